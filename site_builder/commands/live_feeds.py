"""Read the entries of a site's feeds as readers get them: the subscription feed of each format
and the archive chain it links (RFC 5005 prev-archive; JSON Feed's next_url), from the live site
over http(s) or from a built output/ folder (issue #13: the guard for what readers have seen).

    read_feeds(base_url, formats, get) → Feeds: per format, each entry's id (as that format
                                         writes it), published date, link, title, summary

`get(url)` returns a document's bytes, or raises Unreachable (the site, or that document, could
not be read) or Missing (HTTP 404: no such feed). `http_get` is the one for a live site: only
http(s), a timeout and a size cap; `folder_get` reads output/. A document declaring a DTD is
refused unread, so no entity of it is ever expanded (what defusedxml guards against).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, NamedTuple
from urllib.parse import urlsplit
from xml.etree import ElementTree

from .. import __version__
from ..render.feed_urls import feed_path

ATOM = "{http://www.w3.org/2005/Atom}"
TIMEOUT = 20  # seconds per document
MAX_BYTES = 32_000_000  # per document: a month of full-text entries is far smaller
MAX_DOCUMENTS = 2_400  # per format: two centuries of month archives


class Unreachable(Exception):
    """A document could not be read: the site is down, offline, or answered with an error."""


class Missing(Unreachable):
    """The site answered 404: there is no such document (yet)."""


class Entry(NamedTuple):
    """One entry of a feed, as its format writes it."""

    id: str  # Atom <id>, RSS <guid>, JSON Feed "id"
    published: dt.datetime | None
    link: str  # absolute
    title: str
    summary: str  # as the format writes it: escaped HTML in Atom and RSS, text in JSON Feed
    document: str  # the URL of the feed document it is in


@dataclass
class Feeds:
    """What a site's feeds hold: per format its entries, and notes on what could not be read."""

    base_url: str
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


Getter = Callable[[str], bytes]


def read_feeds(base_url: str, formats: tuple[str, ...], get: Getter) -> Feeds:
    """Return the entries of the site's feeds at base_url in each format, archives included."""
    # One thread per format: each archive chain is read in order, but the formats need not
    # wait for each other (a large site's chains are hundreds of documents each).
    with ThreadPoolExecutor(max_workers=max(1, len(formats))) as pool:
        read = list(pool.map(lambda fmt: _format(base_url, fmt, get), formats))
    feeds = Feeds(base_url)
    for fmt, (entries, notes) in zip(formats, read, strict=True):
        if entries is not None:
            feeds.entries[fmt] = entries
        feeds.notes += notes
    return feeds


def _format(base_url: str, fmt: str, get: Getter) -> tuple[list[Entry] | None, list[str]]:
    """Return the entries of one format's chain (None if its feed could not be read) and notes."""
    url = base_url + feed_path("", fmt)
    notes: list[str] = []
    try:
        return _chain(url, fmt, get, notes), notes
    except Missing:
        return None, [f"{url} is not there (HTTP 404): a first publish?"]
    except Unreachable as exc:
        return None, [f"{url} could not be read ({exc})"]


def _chain(url: str, fmt: str, get: Getter, notes: list[str]) -> list[Entry]:
    """Return the entries of a subscription feed and of every archive document before it."""
    entries: list[Entry] = []
    seen: set[str] = set()
    next_url: str | None = url
    while next_url and next_url not in seen and len(seen) < MAX_DOCUMENTS:
        seen.add(next_url)
        try:
            found, older = parse_document(get(next_url), fmt, next_url)
        except Unreachable as exc:
            if next_url == url:
                raise
            notes.append(f"{next_url} could not be read ({exc}): its entries and older ones were not compared")
            break
        entries += found
        next_url = older
    return entries


def parse_document(data: bytes, fmt: str, url: str) -> tuple[list[Entry], str | None]:
    """Return the entries of one feed document and the URL of the older one it links, if any."""
    try:
        if fmt == "json":
            return _json_document(json.loads(data), url)
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
            raise Unreachable("it declares a DTD, which no feed of site-builder does")
        root = ElementTree.fromstring(data)
        return _atom_document(root, url) if fmt == "atom" else _rss_document(root, url)
    except (ValueError, ElementTree.ParseError, AttributeError, TypeError) as exc:
        raise Unreachable(f"it is not a {fmt} feed: {exc}") from exc


def _atom_document(root: ElementTree.Element, url: str) -> tuple[list[Entry], str | None]:
    if root.tag != ATOM + "feed":
        raise ValueError(f"its root is <{root.tag}>, not an Atom <feed>")
    entries = [Entry(e.findtext(ATOM + "id", "").strip(), _iso(e.findtext(ATOM + "published")),
                     _alternate(e.findall(ATOM + "link")), e.findtext(ATOM + "title", ""),
                     e.findtext(ATOM + "summary", ""), url)
               for e in root.findall(ATOM + "entry")]
    return entries, _rel(root.findall(ATOM + "link"), "prev-archive")


def _rss_document(root: ElementTree.Element, url: str) -> tuple[list[Entry], str | None]:
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ValueError(f"its root is <{root.tag}>, not an RSS <rss><channel>")
    entries = [Entry((item.findtext("guid") or "").strip(), _rfc822(item.findtext("pubDate")),
                     (item.findtext("link") or "").strip(), item.findtext("title", ""),
                     item.findtext("description", ""), url)
               for item in channel.findall("item")]
    return entries, _rel(channel.findall(ATOM + "link"), "prev-archive")


def _json_document(feed: dict, url: str) -> tuple[list[Entry], str | None]:
    if not str(feed.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise ValueError("it has no JSON Feed version")
    entries = [Entry(str(item.get("id", "")), _iso(item.get("date_published")), str(item.get("url", "")),
                     str(item.get("title", "")), str(item.get("summary", "")), url)
               for item in feed.get("items", [])]
    older = feed.get("next_url")
    return entries, older if isinstance(older, str) else None


def _alternate(links: list[ElementTree.Element]) -> str:
    return next((link.get("href", "") for link in links if link.get("rel", "alternate") == "alternate"), "")


def _rel(links: list[ElementTree.Element], rel: str) -> str | None:
    return next((link.get("href") for link in links if link.get("rel") == rel), None)


def _iso(text: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(text).strip()) if text else None
    except ValueError:
        return None


def _rfc822(text: str | None) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text.strip()) if text else None
    except (TypeError, ValueError):
        return None


# --- where documents come from ---------------------------------------------------------------

class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follow redirects (a custom domain, http → https) to http(s) addresses only."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.URLError(f"a redirect to {newurl}, which is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def http_get(url: str) -> bytes:
    """Download a document of the live site: http(s) only, within TIMEOUT and MAX_BYTES."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise Unreachable(f"{url} is not an http(s) address")
    opener = urllib.request.build_opener(_HttpOnly)
    request = urllib.request.Request(url, headers={"User-Agent": f"site-builder/{__version__}"})
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise (Missing if exc.code in (404, 410) else Unreachable)(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise Unreachable(str(getattr(exc, "reason", None) or exc)) from exc
    if len(data) > MAX_BYTES:
        raise Unreachable(f"it is larger than {MAX_BYTES // 1_000_000} MB")
    return data


def folder_get(folder: Path, base_url: str) -> Getter:
    """Return a getter reading the documents of a site built for base_url from its folder."""

    def get(url: str) -> bytes:
        if not url.startswith(base_url):
            raise Unreachable(f"it is not under {base_url}, the address {folder} was built for")
        path = folder / url[len(base_url):]
        if folder.resolve() not in path.resolve().parents:
            raise Unreachable(f"{url} is outside the site")
        if not path.is_file():
            raise Missing(f"{path} does not exist")
        return path.read_bytes()

    return get
