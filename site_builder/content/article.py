"""Turn one content file into an Article: `parse_source(path, bytes, config)`.

Everything here is pure (no disk, no clock), so it can be tested, cached and run in
parallel; sources.py reads the files.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..core.errors import ContentError, raise_all
from ..core.language import LANGUAGE_TAG
from ..core.links import iri_to_uri, page_relative, rewrite_urls
from ..core.model import Article, AuthorRef, SiteConfig, TagRef, tag_key
from .frontmatter import FrontMatter, split_front_matter
from .markup import markdown_to_html, summary_of
from .sanitise import removed, sanitise
from .slugs import is_slug, slug_of

KNOWN_FIELDS = ("title", "date", "updated", "tags", "summary", "author", "image",
                "image_caption", "slug", "draft", "source", "id", "language", "guid_is_permalink", "aliases",
                "image_credit", "image_alt", "translation_key")
# Names Windows refuses as file names, whatever the extension: a slug like this breaks a
# checkout of the built site there.
_RESERVED_SLUGS = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}
# Long enough for any headline's gist; well under the 255 bytes a file name may have.
SLUG_LENGTH = 80
# Characters no HTML page or XML feed may carry (C0 and C1 controls but tab and newline, and
# Unicode noncharacters); word processors leave some in pasted text, YAML escapes make others.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
                      + "".join(chr(plane << 16 | 0xfffe) + chr(plane << 16 | 0xffff) for plane in range(17)) + "]")
# The same for text without astral characters, the most: a class with astral ones is searched
# ten times slower (0.4 ms a 4 KB article, 4 s of a 10,000-article cold build)
_BMP_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Each of them in UTF-8 holds one of these (a C0 control or DEL is its own byte, a C1 control
# is \xc2 and a byte below \xa0, U+FDD0–FDEF begin \xef\xb7, U+xFFFE and U+xFFFF end \xbf\xbe
# and \xbf\xbf): bytes without any are text without them, found 10 times faster than by
# searching the text (50 µs an article).
_C0_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r") + b"\x7f"
_C1_BYTES = re.compile(b"\xc2[\x80-\x9f]")
# Bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI): one
# left open in a headline or tag reverses or reorders the text after it wherever the field is
# shown among other text — a page's <title>, a feed reader's list (issue #12). The marks LRM,
# RLM and ALM stay: right-to-left text needs them, and they reorder nothing but their
# neighbours. Bodies keep theirs: there the paragraph that holds one ends its effect.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# The fields shown as one line of text, where the above are removed and text is made NFC (a
# tag typed as "Café" and pasted as "Cafe\u0301" is one tag).
_TEXT_FIELDS = ("title", "tags", "summary", "author", "image_caption", "image_credit", "image_alt")
# What no reader sees: controls, format characters (zero-width space, word joiner, BOM…),
# spaces, and combining marks with nothing to combine with; and the letters and symbols that
# fonts draw blank (Hangul fillers, the Braille blank).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Mc", "Me"})
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")
log = logging.getLogger(__name__)


def decode(rel: str, data: bytes) -> str:
    """Decode UTF-8 (a BOM and CRLF line ends are fine) or say where it is not UTF-8; drop
    the control characters that word processors leave in pasted text."""
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise ContentError(rel, "the file holds NUL bytes: it is binary or UTF-16, not UTF-8 "
                           "text; save it as UTF-8", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(rel, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file "
                           "as UTF-8", line=line) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _may_hold_controls(data):
        return text
    first = (_BMP_CONTROL if text.isascii() or not _ASTRAL.search(text) else _CONTROL).search(text)
    return _without_controls(rel, text, first) if first else text


def _may_hold_controls(data: bytes) -> bool:
    # (one byte is looked for before two: bytes.find takes 4 µs for two, 0.2 µs for one)
    return (len(data.translate(None, _C0_BYTES)) < len(data) or _C1_BYTES.search(data) is not None
            or (b"\xb7" in data and b"\xef\xb7" in data)
            or (b"\xbf" in data and (b"\xbf\xbe" in data or b"\xbf\xbf" in data)))


def _without_controls(rel: str, text: str, first: re.Match[str]) -> str:
    """Replace Word's line and page breaks with spaces and drop other control characters,
    which neither YAML nor XML feeds accept; say where they were (`first`: the first one)."""
    line = text.count("\n", 0, first.start()) + 1
    log.warning("%s:%d: removed control characters (first: U+%04X)", rel, line, ord(first.group()))
    return _CONTROL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)


@dataclass(frozen=True)
class Parsed:
    """A content file, parsed: the article's fields, and its body as HTML (kept apart, since
    bodies are most of a site's memory and most pages never show one)."""

    article: Article
    body_html: str


def parse_source(path: str, data: bytes, config: SiteConfig) -> Parsed:
    """Turn one content file's bytes into an Article and its body."""
    return parse_article(path, decode(path, data), config)


def parse_article(path: str, text: str, config: SiteConfig) -> Parsed:
    """Turn one content file's text into an Article and its body."""
    fm = split_front_matter(path, text)
    fields = _Fields(path, fm)
    title = fields.get("title", _headline, required=True)
    date = fields.get("date", _date_in(config.timezone), required=True)
    slug = fields.get("slug", partial(_slug, style=config.slugs)) or slug_of_file(path, config.slugs)
    values = {
        "updated": fields.get("updated", _date_in(config.timezone)),
        "tags": fields.get("tags", partial(_tags, style=config.slugs)) or (),
        "summary": fields.get("summary", _text),
        "authors": fields.get("author", partial(_authors, style=config.slugs)) or site_authors(config),
        "image": fields.get("image", _image),
        "image_caption": fields.get("image_caption", _text),
        "image_credit": fields.get("image_credit", _text),
        "image_alt": fields.get("image_alt", _text),
        "draft": fields.get("draft", _bool) or False,
        "source": fields.get("source", _text),
        "id": fields.get("id", _entry_id),
        "language": fields.get("language", _language),
        "guid_is_permalink": fields.get("guid_is_permalink", _bool),
        "aliases": fields.get("aliases", _aliases) or (),
        "translation_key": fields.get("translation_key", _text) or "",
    }
    fields.raise_errors()
    # Once, here: the cache keeps the body as published, and links.py rewrites only what is left
    body_html = markdown_to_html(fm.body, config.markdown)
    published = sanitise(body_html, config.raw_html, config.embed_hosts)
    if published != body_html and "<" in fm.body:
        _warn_removed(path, removed(body_html, published))
    body_html = published
    article = Article(
        source_path=path,
        title=title,
        slug=slug,
        date=date,
        extra={k: v for k, v in fm.fields.items() if k not in KNOWN_FIELDS},
        **values | {
            # a summary is one line wherever it is shown: the body keeps its controls, not it
            "summary": values["summary"] or _BIDI_CONTROL.sub("", summary_of(body_html)),
            "id": values["id"] or tag_uri(config.entry_id_domain, date, slug),
            # A page's root is only ever put before a site-root path: a body a root changes
            # not at all ("./" here) is the same on every page
            "rooted_body": rewrite_urls(body_html, page_relative("./")) != body_html,
        },
    )
    return Parsed(article, body_html)


def _warn_removed(path: str, names: list[str]) -> None:
    """Say what raw HTML a safe body lost, so an embed or a script does not vanish unnoticed."""
    if names:
        log.warning('%s: removed from the body: %s (raw_html = "safe"; an <iframe> is kept when its host '
                    'is in embed_hosts: see README "Raw HTML in bodies")', path, ", ".join(names))


def _short(value: Any, limit: int = 80, show: Callable[[Any], str] = repr) -> str:
    """Return repr(value) (or `show` of it), cut so that a huge value does not flood the error
    message."""
    text = show(value)
    return text if len(text) <= limit else text[:limit] + "…"


def tag_uri(domain: str, date: dt.datetime, slug: str) -> str:
    """Return the RFC 4151 tag URI that identifies an article for as long as the domain is ours
    (a Unicode slug percent-encoded: an id every feed reader takes as it is)."""
    return f"tag:{domain},{date:%Y-%m-%d}:articles/{iri_to_uri(slug)}"


class _Fields:
    """Front-matter fields, checked one by one; every bad field is kept to report at once."""

    def __init__(self, path: str, fm: FrontMatter):
        self.path, self.fm = path, fm
        self.errors: list[ContentError] = []

    def get(self, key: str, convert: Callable[[Any], Any], required: bool = False) -> Any:
        value = self.fm.fields.get(key)
        if value is None:
            if required:
                self._fail(key, f"'{key}' is missing: add a line '{key}: …' to the front matter")
            return None
        if key in _TEXT_FIELDS:
            value = self._as_text_field(key, value)
        try:
            return convert(value)
        except (ValueError, TypeError) as exc:
            self._fail(key, f"{key}: {exc}")
            return None

    def _as_text_field(self, key: str, value: Any) -> Any:
        """Return a field's text (or each text of its list) in NFC, without bidi controls;
        warn where they were."""
        texts = value if isinstance(value, list) else [value]
        found = [m for t in texts if isinstance(t, str) and (m := _BIDI_CONTROL.search(t))]
        if found:
            log.warning("%s:%d: removed bidi control characters (first: U+%04X)",
                        self.path, self.fm.lines.get(key, 1), ord(found[0].group()))
        cleaned = [unicodedata.normalize("NFC", _BIDI_CONTROL.sub("", t)) if isinstance(t, str) else t
                   for t in texts]
        return cleaned if isinstance(value, list) else cleaned[0]

    def _fail(self, key: str, message: str) -> None:
        line = self.fm.lines.get(key, 1)
        self.errors.append(ContentError(self.path, message, line=line))

    def raise_errors(self) -> None:
        raise_all(self.errors)


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise TypeError(f"must be text, not a {type(value).__name__}")
    return _CONTROL.sub(" ", str(value)).strip()


def _language(value: Any) -> str:
    # it becomes the page's lang and the feed entry's xml:lang, which take only a language tag
    language = _text(value)
    if not LANGUAGE_TAG.fullmatch(language):
        raise ValueError(f"{_short(language)} is not a language tag: use a code such as 'en', 'ar' or 'pt-BR'")
    return language


def _headline(value: Any) -> str:
    title = _text(value)
    if not title:
        raise ValueError("is empty: every article needs a headline")
    if not _visible(title):
        raise ValueError("has no visible characters: every article needs a headline")
    return title


def _visible(text: str) -> bool:
    """Say whether a reader would see anything of the text."""
    return any(unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _BLANK for c in text)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"must be true or false, not {_short(value)}")
    return value


# The years every feed format and reader can carry: RSS dates (RFC 5322 §3.3) start in 1900,
# and a date in 9999 west of UTC is in the year 10000 in UTC, which neither Python nor
# feedparser can hold (issue #12).
FIRST_YEAR, LAST_YEAR = 1900, 9998


def _date_in(timezone: str) -> Callable[[Any], dt.datetime]:
    """Return a converter of YAML dates, date-times and ISO 8601 strings to aware datetimes."""
    zone = zoneinfo.ZoneInfo(timezone)

    def convert(value: Any) -> dt.datetime:
        written = value
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"{_short(value)} is not a date (use YYYY-MM-DD or an ISO 8601 "
                                 "date-time such as 2024-07-15T09:30:00+02:00)") from None
        if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"{_short(str(written).strip())} is outside the years {FIRST_YEAR}–"
                             f"{LAST_YEAR} a feed can carry: check the year")
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=zone)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
        raise ValueError(f"{_short(value)} is not a date (use YYYY-MM-DD or an ISO 8601 date-time)")

    return convert


MAX_TAGS = 100  # each tag is a page and three feeds: 10,000 tags on one article is a mistake


def _tags(value: Any, style: str) -> tuple[TagRef, ...]:
    if not isinstance(value, list):
        raise TypeError(f"must be a list such as [Iran, Cuba], not {_short(value)}")
    if len(value) > MAX_TAGS:
        raise ValueError(f"{len(value)} tags is more than the {MAX_TAGS} an article may have")
    refs: dict[str, TagRef] = {}
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"every tag must be text; {_short(item)} is not (quote it: '\"{item}\"')")
        name = " ".join(_CONTROL.sub(" ", item).split())
        if not _visible(name):
            raise ValueError(f"tag {_short(name, show=ascii)} has no visible characters: write it out "
                             "or remove it")
        slug = slug_of(name, style, SLUG_LENGTH)
        if not slug:
            raise ValueError(f"tag {_short(item)} has no letters or digits to make its URL from")
        refs.setdefault(tag_key(name), TagRef(name, slug))
    return tuple(refs.values())


MAX_AUTHORS = 100  # each author is a page and three feeds, as a tag is


def _authors(value: Any, style: str) -> tuple[AuthorRef, ...]:
    """Return the byline of `author:`, one name or a list of them (issue #16), their pages' slugs
    of the site's style, as tags'."""
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_AUTHORS:
        raise ValueError(f"{len(items)} authors is more than the {MAX_AUTHORS} an article may have")
    refs: dict[str, AuthorRef] = {}
    for item in items:
        if isinstance(item, (dict, list)) or item is None:
            raise TypeError(f"must be a name or a list of names such as [Ana Díaz, Omar Said], not {_short(value)}")
        name = " ".join(_CONTROL.sub(" ", str(item)).split())
        if not name:
            continue
        if not _visible(name):
            raise ValueError(f"author {_short(name, show=ascii)} has no visible characters: write it out or remove it")
        slug = slug_of(name, style, SLUG_LENGTH)
        if not slug:
            raise ValueError(f"author {_short(name)} has no letters or digits to make their page's URL from")
        refs.setdefault(tag_key(name), AuthorRef(name, slug))
    return tuple(refs.values())


def site_authors(config: SiteConfig) -> tuple[AuthorRef, ...]:
    """Return the byline of an article with no `author:`: the site's `author`, if it has one
    (site.toml's check made sure it makes a URL)."""
    return _authors(config.author, config.slugs)


MAX_ALIASES = 100
# What an alias may not hold: a query or fragment (a static host ignores them), an escape (a
# static host looks a file up by the decoded name), and what is no part of a file name.
_NOT_IN_ALIAS = re.compile(r"[?#%\\\s\x00-\x1f\x7f\"<>`{}|^]")


def _aliases(value: Any) -> tuple[str, ...]:
    """Return the old addresses of an article ('/2019/05/story.html', 'news/story/') as
    site-relative paths: a folder ending in '/', or an .html page."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"must be a list of paths such as ['/2019/05/old-story.html'], not {_short(value)}")
    if len(items) > MAX_ALIASES:
        raise ValueError(f"{len(items)} aliases is more than the {MAX_ALIASES} an article may have")
    return tuple(dict.fromkeys(_alias(item.strip()) for item in items))


def _alias(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        raise ValueError(f"{_short(text)} is a URL: write its path on this site, such as '{parts.path or '/'}'")
    if _NOT_IN_ALIAS.search(text):
        raise ValueError(f"{_short(text)} holds a character a page's address cannot: write the path as a "
                         "reader types it, without '?', '#', '%' escapes or spaces")
    path = text.lstrip("/")
    segments = path.removesuffix("/").split("/")
    if not path or any(s in ("", ".", "..") or s.startswith(".") for s in segments):
        raise ValueError(f"{_short(text)} is not a page's path: write one such as '/2019/05/old-story.html'")
    last = segments[-1]
    if path.endswith("/") or "." not in last:
        return path.removesuffix("/") + "/"
    if last.lower().endswith((".html", ".htm")):
        return path
    raise ValueError(f"{_short(text)}: a static host serves a .{last.rsplit('.', 1)[1]} file as a download, "
                     "not as a page that redirects: only folders and .html pages can be aliases")


def _slug(value: Any, style: str) -> str:
    slug = _text(value)
    if not is_slug(slug, style):
        suggestion = slug_of(slug, style)
        hint = f" (such as {suggestion!r})" if suggestion else ""
        letters = "letters" if style == "unicode" else "ASCII letters"
        raise ValueError(f"{_short(slug)} is not a slug: use lowercase {letters}, digits and "
                         f"hyphens{hint}")
    if slug in _RESERVED_SLUGS:
        raise ValueError(f"{_short(slug)} is a reserved file name on Windows; choose another slug")
    if len(slug) > 2 * SLUG_LENGTH:
        raise ValueError(f"is {len(slug)} characters long; keep it under {2 * SLUG_LENGTH}")
    return slug


def slug_of_file(path: str, style: str = "ascii") -> str:
    """Return the URL slug a content file's name gives (as Hugo and Zola do): never the title,
    which newsrooms edit after publication, so an edited headline keeps its address."""
    stem = PurePosixPath(path).stem
    if is_slug(stem, style) and len(stem) <= 2 * SLUG_LENGTH:
        slug = stem
    else:  # 'Harbour Cranes.md', 'Díaz-Canel.md': what the importer and `new` would name them
        slug = slug_of(stem, style, 2 * SLUG_LENGTH)
    if not slug:
        raise ContentError(path, f"the file name {_short(stem)} has no letters or digits to make the "
                           "article's URL from: rename the file, or add a 'slug:' line")
    return slug if slug not in _RESERVED_SLUGS else f"{slug}-article"


# Characters a URI cannot hold (RFC 3986): an image URL with them is an invalid URI in every
# feed, and a quote breaks out of the attribute of any template that forgets to escape it.
_NOT_IN_URL = re.compile(r"[\s\"'<>\\^`{|}\x00-\x1f\x7f-\x9f]")


def _image(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise TypeError(f"must be text, not a {type(value).__name__}")
    image = str(value).strip()
    bad = _NOT_IN_URL.search(image)
    if bad:
        raise ValueError(f"{_short(image)} is not a valid URL or path: it holds {bad.group()!r} "
                         "(rename the file without spaces, quotes or brackets, or percent-encode "
                         "the character in a URL: a space is %20)")
    parts = urlsplit(image)
    if image.startswith("//") and parts.netloc:
        # Protocol-relative, as in HTML: another site's picture, published over https like
        # any remote image (a page-relative path would point inside this site)
        image, parts = "https:" + image, urlsplit("https:" + image)
    if parts.scheme:
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"{_short(image)}: use an http(s) URL or a path under static/")
        if not parts.hostname:
            raise ValueError(f"{_short(image)} has no host: write it as https://host/path/photo.jpg")
        return image
    path = image.lstrip("/")
    if not path or ".." in path.split("/"):
        raise ValueError(f"{_short(image)}: use a path inside the site, such as images/photo.jpg")
    return path


def _entry_id(value: Any) -> str:
    # Any text: an imported RSS guid is kept as its source wrote it (issue #13), and each feed
    # format writes it as it may (entry_ids.py: Atom gets a tag URI when it is no IRI).
    if isinstance(value, bool):  # `id: yes` or `id: true`: YAML's, not a feed's
        raise TypeError(f"{_short(value)} is not an id (use a tag: URI, e.g. "
                         "'tag:example.org,2024-07-15:articles/my-story', or the guid of the feed "
                         "the article came from)")
    entry_id = _text(value)
    if not entry_id:
        raise ValueError("is empty: remove the line, or give the article's permanent id (e.g. "
                         "'tag:example.org,2024-07-15:articles/my-story')")
    return entry_id
