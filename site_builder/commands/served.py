"""A built site as GitHub Pages serves it: its files, how its URLs map to them, and what each
HTML page links to — what `check` (check.py) and its feed checks (check_feeds.py) read."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.links import iri_to_uri

_LINK_ATTRS = {"href", "src", "poster"}
_SKIPPED = {".git"}  # a clone of the gh-pages branch inside output/ is not part of the site
_REFRESH_URL = re.compile(r"\s*\d+\s*[;,]\s*url\s*=\s*(.+)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the built site, and the file (and line) it is in."""

    file: str  # relative to output/, e.g. "articles/x/index.html"; "" for the site as a whole
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Link:
    """A URL as a page writes it, and the line it is on."""

    url: str
    line: int
    tag: str


@dataclass
class Page:
    """An HTML page's links, the ids its anchors can point at, and where it sends browsers
    on at once (a <meta http-equiv="refresh"> redirect), if anywhere."""

    links: list[Link]
    ids: set[str]
    refresh: Link | None = None


class SiteFiles:
    """The files of a built site and how its URLs map to them, as GitHub Pages serves it."""

    def __init__(self, output_dir: Path, base_url: str):
        self.root = output_dir
        self.base_url = base_url
        parts = urlsplit(base_url)
        self.origin, self.base_path = f"{parts.scheme}://{parts.netloc}", parts.path or "/"
        self.files = _files_under(output_dir)

    def url_of(self, rel: str) -> str:
        """Return the address a file is served at (404.html: any, so the site's root), a
        Unicode name percent-encoded as links, feeds and the sitemap write it."""
        return self.base_url + ("" if rel == "404.html" else iri_to_uri(rel))

    def is_internal(self, url: str) -> bool:
        """True for an absolute URL on the site's host (http or https)."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.netloc == urlsplit(self.base_url).netloc

    def locate(self, url: str) -> tuple[str | None, str | None]:
        """Return (the file an internal absolute URL is served from, None), or (None, why not)."""
        path = unquote(urlsplit(url).path) or "/"
        if not path.startswith(self.base_path):
            return None, (f"{path} is outside the site's path {self.base_path} (GitHub Pages "
                          "answers it with a 404: link relatively, or with link() in a template)")
        rel = path[len(self.base_path):]
        folder = rel == "" or rel.endswith("/")
        if rel:
            normal = posixpath.normpath(rel)
            if normal.startswith(".."):
                return None, f"{path} is outside the site's path {self.base_path}"
            rel = "" if normal == "." else normal + ("/" if folder else "")
        candidates = [rel + "index.html"] if folder else \
            [rel, rel + "/index.html", rel + ".html"]
        found = next((c for c in candidates if c in self.files), None)
        return (found, None) if found else (None, f"{candidates[0]} does not exist")


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page([], set())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            # a form's action too: the header's search box leads to the results page by it
            if (name in _LINK_ATTRS and not (tag == "link" and _is_hint(attrs))) or (name, tag) == ("action", "form"):
                self.page.links.append(Link(value.strip(), line, tag))
            elif name == "srcset":
                self.page.links += [Link(c.split()[0], line, tag) for c in value.split(",") if c.strip()]
            elif name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
        fields = dict(attrs)
        if tag == "meta" and (fields.get("http-equiv") or "").lower() == "refresh":
            target = _REFRESH_URL.match(fields.get("content") or "")
            if target:
                self.page.refresh = Link(target[1].strip("'\" "), line, tag)
                self.page.links.append(self.page.refresh)

    handle_startendtag = handle_starttag


def _is_hint(attrs: list[tuple[str, str | None]]) -> bool:
    """A <link rel="preconnect"> or "dns-prefetch" names a host, not a resource."""
    rel = dict(attrs).get("rel") or ""
    return bool({"preconnect", "dns-prefetch"} & set(rel.lower().split()))


def parse_page(data: bytes) -> Page:
    """Return the links and ids of an HTML page."""
    parser = _PageParser()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return parser.page


def _files_under(folder: Path) -> set[str]:
    """Return every file under folder, relative, with forward slashes (not inside .git)."""
    found = set()
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if rel.parts[0] not in _SKIPPED and path.is_file():
            found.add(rel.as_posix())
    return found
