"""Read an RSS or Atom feed (a file's bytes, or fetched from an http(s) URL) into ImportedArticles.

Parsing is feedparser's (which sanitises the HTML); HTML content becomes Markdown with
markdown_escape.html_to_markdown, which keeps its structure and escapes its text, so what the
feed said as text is text on the page, never HTML or Markdown (issue #12). Each entry keeps its
title, link, dates, categories (as tags), author and permanent id, so the site's own feeds go
on using the id readers already know (issue #3): an RSS item's <guid> exactly as written, with
its isPermaLink, whatever it looks like (issue #13; feedparser would resolve a guid that is
not marked isPermaLink="false" against the feed's URL, so the guids are read from the XML
here); an Atom entry's <id> as it is. Relative URLs in the content are resolved against the
entry's own link (or the feed's xml:base, when it gives one), not left pointing into this site.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import urllib.request
from html import escape
from typing import Any, NamedTuple
from urllib.error import URLError
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat
from xml.sax import SAXException

import feedparser

from .. import __version__
from ..content.markup import html_to_text
from ..core.errors import ContentError, SiteError, raise_all
from ..core.links import map_urls, url_scheme
from .imported_article import ImportedArticle
from .markdown_escape import html_to_markdown

FETCH_TIMEOUT = 30  # seconds
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?[^>]*>\s*)*"
                         rb"<(?:rss|feed|rdf:RDF)\b", re.DOTALL)
_ENTRY_TAG = re.compile(rb"<(?:item|entry)\b")
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)


def is_url(source: str) -> bool:
    """Whether an import source is an http(s) URL rather than a file."""
    return urlsplit(source).scheme in ("http", "https")


def looks_like_feed(data: bytes) -> bool:
    """Whether bytes start like an RSS, RSS 1.0 or Atom document (a dump never does)."""
    return bool(_FEED_START.match(data.removeprefix(b"\xef\xbb\xbf")[:4096]))


def fetch(url: str) -> bytes:
    """Download a feed, or raise SiteError saying why it could not be."""
    request = urllib.request.Request(url, headers={"User-Agent": f"site-builder/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return response.read()
    except (URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SiteError(f"{url}: could not download the feed ({reason})") from exc


def parse_feed(name: str, data: bytes, base_url: str | None = None) -> list[ImportedArticle]:
    """Return the entries of a feed as articles; raise every entry's error together."""
    headers = {"content-location": base_url} if base_url else {}
    # Relative URLs are resolved here (_resolve), against each entry's link: feedparser would
    # resolve them against the feed's own URL.
    feed = feedparser.parse(data, response_headers=headers, sanitize_html=True,
                            resolve_relative_uris=False)
    exc = feed.get("bozo_exception") if feed.bozo else None
    # feedparser reads on past broken XML; a feed cut short would import half its entries
    if isinstance(exc, SAXException) or (exc and not feed.entries):
        raise ContentError(name, f"not a well-formed RSS or Atom feed ({_reason(exc)}): it is "
                           "broken or was cut short", line=_error_line(data, exc))
    if not feed.entries:
        raise ContentError(name, "the feed has no entries to import", line=1)
    lines = [data.count(b"\n", 0, m.start()) + 1 for m in _ENTRY_TAG.finditer(data)]
    guids = rss_guids(data) if feed.version.startswith("rss") else []
    if len(guids) != len(feed.entries):
        guids = []  # not items one for one (not well-formed for expat): feedparser's ids
    articles: list[ImportedArticle] = []
    errors: list[SiteError] = []
    for index, entry in enumerate(feed.entries):
        line = lines[index] if index < len(lines) else 1
        try:
            articles.append(_article(name, entry, line, base_url or "", guids[index] if guids else None))
        except ContentError as exc:
            errors.append(exc)
    raise_all(errors)
    return articles


def _error_line(data: bytes, exc: BaseException) -> int | None:
    """Return the line of an XML error in `data` (feedparser adds an XML declaration line
    to a document that has none before parsing it)."""
    line = getattr(exc, "getLineNumber", lambda: None)()
    if not line:
        return None
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        line -= 1
    return max(1, min(line, data.count(b"\n") + 1))


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "getMessage", lambda: exc)())


def _article(name: str, entry: Any, line: int, feed_base: str, guid: Guid | None) -> ImportedArticle:
    """Map one feedparser entry to an ImportedArticle."""
    title = _text(entry.get("title_detail") or {}, entry.get("title", ""))
    if not title:
        raise ContentError(name, "a feed entry has no title", line=line)
    html = _resolve(_content(entry), _base(entry, feed_base))
    if not html.strip():
        raise ContentError(name, f"the entry {title!r} has no content or summary to import", line=line)
    published, updated = _date(entry, "published"), _date(entry, "updated")
    try:
        markdown = html_to_markdown(html)
    except RecursionError as exc:  # markdownify walks the HTML tree recursively
        raise ContentError(name, f"the entry {title!r} nests too deeply to import (elements hundreds "
                           "deep, such as lists in lists): fix it at the source", line=line) from exc
    return ImportedArticle(
        title=title, origin=name, line=line,
        paragraphs=tuple(_paragraphs(html)),
        markdown=markdown,
        date=published or updated,
        updated=updated if published and updated and updated > published else None,
        tags=_tags(entry),
        author=entry.get("author") or None,
        link=entry.get("link") or None,
        entry_id=guid.text if guid and guid.text else _entry_id(entry),
        guid_is_permalink=guid.permalink if guid and guid.text else None,
    )


def _text(detail: Any, value: str) -> str:
    """Return a title as plain text, whether the feed gave it as text or HTML."""
    if "html" in str(detail.get("type", "")):
        value = html_to_text(value)
    return " ".join(value.split())


def _content(entry: Any) -> str:
    """Return the entry's fullest HTML: its content, else its summary."""
    contents = entry.get("content") or []
    html = next((c.value for c in contents if "html" in c.get("type", "")), None)
    if html is None and contents:
        html = "".join(f"<p>{escape(p)}</p>" for p in contents[0].value.split("\n\n"))
    return html or entry.get("summary", "") or ""


def _paragraphs(html: str) -> list[str]:
    """Return the plain text of each HTML paragraph (for tags, summary and language)."""
    found = [html_to_text(p) for p in _PARAGRAPH.findall(html)]
    return [p for p in found if p] or [html_to_text(html)]


def _tags(entry: Any) -> tuple[str, ...]:
    terms = (" ".join((t.get("term") or t.get("label") or "").split()) for t in entry.get("tags", []))
    return tuple(dict.fromkeys(t for t in terms if t))


def _date(entry: Any, key: str) -> dt.datetime | None:
    """Return a feed date as an aware datetime (feedparser gives UTC struct_times)."""
    # dict.get: FeedParserDict.get would stand published in for a missing updated date
    parsed = dict.get(entry, f"{key}_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)


def _entry_id(entry: Any) -> str | None:
    """Return the entry's permanent id as the feed gives it, else its link."""
    return (entry.get("id") or "").strip() or entry.get("link") or None


class Guid(NamedTuple):
    """An RSS item's <guid> as written: its text, and its isPermaLink (RSS 2.0: true unless
    the attribute says "false")."""

    text: str
    permalink: bool


def rss_guids(data: bytes) -> list[Guid | None]:
    """Return each RSS <item>'s <guid> (None for an item without one), read with expat: exact
    text, and the isPermaLink feedparser does not keep; [] if expat cannot read the feed."""
    found: list[Guid | None] = []
    stack: list[str] = []
    text: list[str] = []
    permalink = True

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "item":
            found.append(None)
        elif tag == "guid" and stack[-1:] == ["item"]:
            text.clear()
        stack.append(tag)

    def end(tag: str) -> None:
        stack.pop()
        if tag == "guid" and stack[-1:] == ["item"]:
            found[-1] = Guid("".join(text).strip(), permalink)

    def start_guid(tag: str, attrs: dict[str, str]) -> None:
        nonlocal permalink
        if tag == "guid":  # feedparser's reading: only "true" (or no attribute) is true
            permalink = attrs.get("isPermaLink", "true") == "true"
        start(tag, attrs)

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start_guid, end
    parser.CharacterDataHandler = lambda chunk: text.append(chunk) if stack[-2:] == ["item", "guid"] else None
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, ValueError):
        return []
    return found


def _base(entry: Any, feed_base: str) -> str:
    """Return the URL the entry's relative URLs are relative to: the feed's xml:base when it
    gives one, else the entry's link (RSS has no other base), else the feed's own URL."""
    detail = next(iter(entry.get("content") or []), None) or entry.get("summary_detail") or {}
    given = detail.get("base") or ""
    if given and given != feed_base:
        return given  # an xml:base (feedparser resolves it against the feed's URL)
    link = entry.get("link") or ""
    return urljoin(feed_base, link) if link else feed_base


def _resolve(html: str, base: str) -> str:
    """Return the HTML with relative and root-relative href, src, srcset and poster URLs made
    absolute against base (an http(s) URL). A `#fragment` too: the Markdown keeps no element
    ids, so it names a place in the source's page."""
    if urlsplit(base).scheme not in ("http", "https"):
        return html  # a feed file whose entries have no link: nothing to resolve against

    def convert(url: str) -> str:
        url = url.strip()  # as written in the attribute: character references not decoded
        # a scheme as a browser reads it ("java&#9;script:") is kept, for markdown_escape to judge
        return url if not url or url_scheme(url) else urljoin(base, url)
    return map_urls(html, convert)
