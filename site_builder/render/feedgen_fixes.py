"""Every workaround site-builder needs for feedgen 1.0.0 (unmaintained since 2023), in one place.

The traps, and where each is handled:
1. `add_entry()` prepends by default, so newest-first input comes out oldest-first:
   `new_feed()` callers add with `add_entry(order="append")` via `append_entry()`.
2. `content(..., type="CDATA")` writes Atom that RFC 4287 does not allow: we always pass
   `type="html"` (escaped HTML is valid in both formats).
3. In Atom output, entry links lose `rel` and `type` (feedgen issue #135), so a link plus an
   enclosure would become two alternate links: `_EntryLinks` puts rel/type back and writes the
   enclosure itself, in RSS as <enclosure> and in Atom as <link rel="enclosure">.
4. `updated` and `lastBuildDate` default to the clock, so every build would change every feed:
   `new_feed()` sets both from the data, and entries always get `updated`.
5. RSS gets only the `self` <atom:link>, so hub and archive links need an extension:
   `_FeedLinks` adds them (and RFC 5005's <fh:archive/>) to both formats.
6. Naive datetimes raise inside feedgen: `aware()` refuses them here with a clear message.
7. The last link added becomes the RSS <link>, which must be the HTML page: `new_feed()` adds
   `self` first and the page last.
8. `id()` and `guid()` each set both the Atom <id> and the RSS <guid>, but an imported guid
   that is not an IRI needs another Atom id (issue #13): `set_ids()` sets them apart.
feedgen has no way to write an <?xml-stylesheet?> instruction either: `_FeedLinks` adds it,
nor an entry's own language (an Arabic article in an English feed): `_EntryLinks` sets
xml:lang on the Atom <entry> (`set_language()`).
feedgen builds and serializes every entry of a document each time it writes one, though an
entry reads the same in every document it is in (issue #15): `entry_xml()` serializes an
entry once, through feedgen, and `document_xml()` writes a document's head through feedgen and
splices the entries in where feedgen puts them — last in <channel> or <feed>, at the same
depth and under the same namespace prefixes, so the bytes are those feedgen would write.
And lxml escapes "&" and "<" in RSS titles as &amp; and &lt;, which the W3C validator flags
(RSS Profile: many readers take titles for HTML): `rss_text_refs()` writes &#x26; and &#x3C;.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from feedgen.entry import FeedEntry as FgEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

if TYPE_CHECKING:
    from lxml.etree import _Element

ATOM_NS = "http://www.w3.org/2005/Atom"
HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
MEDIA_NS = "http://search.yahoo.com/mrss/"  # Media RSS, which readers take an entry's picture from
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Link:
    """A feed-level link: rel, absolute href, MIME type."""

    rel: str
    href: str
    type: str | None = None


@dataclass
class Enclosure:
    """A media file attached to an entry."""

    url: str
    length: int
    type: str


@dataclass(frozen=True)
class MediaImage:
    """An entry's lead picture, as Media RSS gives it (media:content, in RSS and Atom alike)."""

    url: str
    type: str
    width: int | None  # None: a remote picture, never fetched
    height: int | None
    # No media:description for the caption: feedparser (and the readers built on it) takes it
    # for the entry's content, and shows a tag's feed of summaries as captions. The caption is
    # in the figure that opens the whole article's content.
    credit: str | None  # media:credit


def aware(when: dt.datetime) -> dt.datetime:
    """Return `when`, refusing a naive datetime (feedgen would raise deep inside)."""
    if when.tzinfo is None:
        raise ValueError(f"feed dates need a time zone: {when!r}")
    return when


class _FeedLinks(BaseExtension):
    """Adds links feedgen cannot write: hub, archives, fh:archive, and the XSLT instruction."""

    def __init__(self) -> None:
        self.links: list[Link] = []
        self.history: str | None = None  # RFC 5005: "archive", "complete" or None
        self.stylesheet: str | None = None

    def extend_ns(self) -> dict[str, str]:
        # media: declared in every document, as in the one entries are serialized in (entry_xml)
        return {"media": MEDIA_NS, **({"fh": HISTORY_NS} if self.history else {})}

    def extend_rss(self, feed: _Element) -> _Element:
        channel = feed[0]
        for link in self.links:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", _attrs(link))
        if self.history:
            etree.SubElement(channel, f"{{{HISTORY_NS}}}{self.history}")
        return self._with_stylesheet(feed)

    def extend_atom(self, feed: _Element) -> _Element:
        # feedgen builds Atom elements without a namespace under a default xmlns, so ours
        # must be plain "link" too, or lxml would give them a prefix of their own.
        for link in self.links:
            etree.SubElement(feed, "link", _attrs(link))
        if self.history:
            etree.SubElement(feed, f"{{{HISTORY_NS}}}{self.history}")
        return self._with_stylesheet(feed)

    def _with_stylesheet(self, feed: _Element) -> _Element:
        if self.stylesheet:
            feed.addprevious(etree.ProcessingInstruction(
                "xml-stylesheet", f'type="text/xsl" href="{self.stylesheet}"'))
        return feed


class _EntryLinks(BaseEntryExtension):
    """Writes an entry's enclosure, gives Atom entry links back their rel and type, and sets
    an Atom entry's own language."""

    def __init__(self) -> None:
        self.enclosure: Enclosure | None = None
        self.media: MediaImage | None = None
        self.language: str | None = None  # xml:lang of the Atom <entry>; None: the feed's

    def extend_rss(self, item: _Element) -> _Element:
        if self.enclosure:
            etree.SubElement(item, "enclosure", url=self.enclosure.url,
                             length=str(self.enclosure.length), type=self.enclosure.type)
        _add_media(item, self.media)
        return item

    def extend_atom(self, entry: _Element) -> _Element:
        if self.language:
            entry.set(XML_LANG, self.language)
        for link in entry.findall("link"):
            link.set("rel", "alternate")
            link.set("type", "text/html")
        if self.enclosure:
            etree.SubElement(entry, "link", rel="enclosure", href=self.enclosure.url,
                             type=self.enclosure.type, length=str(self.enclosure.length))
        _add_media(entry, self.media)
        return entry


def _add_media(parent: _Element, media: MediaImage | None) -> None:
    """Add <media:content medium="image"> with its credit (Media RSS 2.0)."""
    if media is None:
        return
    attrs = {"url": media.url, "medium": "image", "type": media.type}
    if media.width and media.height:
        attrs |= {"width": str(media.width), "height": str(media.height)}
    content = etree.SubElement(parent, f"{{{MEDIA_NS}}}content", attrs)
    if media.credit:
        etree.SubElement(content, f"{{{MEDIA_NS}}}credit").text = media.credit


def _attrs(link: Link) -> dict[str, str]:
    return {"rel": link.rel, "href": link.href, **({"type": link.type} if link.type else {})}


@dataclass
class FeedHead:
    """What a feed says about itself."""

    id: str
    title: str
    subtitle: str
    language: str
    updated: dt.datetime
    page_url: str
    self_url: str
    self_type: str
    links: list[Link] = field(default_factory=list)  # hub, current, prev-/next-archive
    history: str | None = None  # RFC 5005 marker: "archive", "complete" or None
    stylesheet: str | None = None
    author: str | None = None  # the author of every entry that names none: the site


def new_feed(head: FeedHead) -> FeedGenerator:
    """Return a FeedGenerator with the feed's metadata set, clock-free (traps 4, 5, 7)."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("sitebuilder", _FeedLinks, _EntryLinks)
    fg.sitebuilder.links = head.links
    fg.sitebuilder.history = head.history
    fg.sitebuilder.stylesheet = head.stylesheet
    fg.id(head.id)
    fg.title(head.title)
    fg.subtitle(head.subtitle)
    fg.link(href=head.self_url, rel="self", type=head.self_type)
    fg.link(href=head.page_url, rel="alternate", type="text/html")
    fg.language(head.language)
    fg.updated(aware(head.updated))
    fg.lastBuildDate(aware(head.updated))
    fg.generator("site-builder")
    if head.author:
        fg.author(name=head.author)  # Atom: <author> of the feed, its entries' unless they name theirs
        fg.dc.dc_creator(head.author)  # RSS has no such rule: Dublin Core's creator of the channel
    return fg


_RSS_TEXT = re.compile(rb"(<(title|dc:creator|category)>)([^<]*)(</\2>)")


def rss_text_refs(rss: bytes) -> bytes:
    """Write & and < in RSS plain-text elements as hexadecimal references (RSS Profile)."""
    def refs(match: re.Match) -> bytes:
        text = match.group(3).replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")
        return match.group(1) + text + match.group(4)
    return _RSS_TEXT.sub(refs, rss)


def append_entry(fg: FeedGenerator) -> FgEntry:
    """Add an entry after the ones already there (trap 1)."""
    return fg.add_entry(order="append")


def set_enclosure(fe: FgEntry, enclosure: Enclosure | None) -> None:
    """Attach an enclosure through our extension, never feedgen's own (trap 3)."""
    fe.sitebuilder.enclosure = enclosure


def set_media(fe: FgEntry, media: MediaImage | None) -> None:
    """Give an entry its lead picture as media:content."""
    fe.sitebuilder.media = media


def set_language(fe: FgEntry, language: str | None) -> None:
    """Give an Atom entry its own xml:lang (RFC 4287 §2; feedgen has no setter for it)."""
    fe.sitebuilder.language = language


def set_ids(fe: FgEntry, atom_id: str, guid: str, permalink: bool) -> None:
    """Give an entry its RSS <guid> and, apart from it, its Atom <id> (trap 8)."""
    fe.guid(guid, permalink=permalink)
    fe._FeedEntry__atom_id = atom_id  # feedgen has no setter for the Atom id alone


# The head of the one-entry feed each entry is serialized in: any valid head will do, for an
# entry's bytes do not depend on it (feedgen writes no feed-level data into entries).
_ENTRY_HOLDER = FeedHead(id="urn:site-builder:entry", title="entry", subtitle="entry", language="en",
                         updated=dt.datetime(1970, 1, 1, tzinfo=dt.UTC), page_url="https://example.org/",
                         self_url="https://example.org/feed.xml", self_type="application/rss+xml")
# Where feedgen's documents close: the entries come just before (RSS items are the last
# children of <channel>, Atom entries of <feed>).
_CLOSING = {"rss": b"</channel></rss>", "atom": b"</feed>"}


def _serialize(fg: FeedGenerator, fmt: str) -> bytes:
    # Not pretty-printed: indentation was a tenth of a feed's bytes (issue 15's size goal); the
    # documents put each entry on a line of its own instead (document_xml).
    return rss_text_refs(fg.rss_str(pretty=False)) if fmt == "rss" else fg.atom_str(pretty=False)


@cache
def _holder() -> tuple[FeedGenerator, dict[str, bytes]]:
    """The one-entry feed entries are filled in, made once (new_feed() costs as much as
    serializing an entry), and its bytes without an entry, per format."""
    fg = new_feed(_ENTRY_HOLDER)
    return fg, {fmt: _serialize(fg, fmt) for fmt in _CLOSING}


@cache
def _holder_tree(fmt: str) -> tuple[_Element, _Element]:
    """The holder's document as a tree, made once per format, and the element its entries go
    in: serialized with one entry in it, it gives the bytes feedgen gives for the holder with
    that entry, without building the document's head again for each entry (two-fifths of
    the time of an entry)."""
    root = etree.fromstring(_holder()[1][fmt])
    return root, root[0] if fmt == "rss" else root


def entry_xml(fmt: str, fill: Callable[[FgEntry], None]) -> bytes:
    """Return one entry as feedgen writes it inside a document of format fmt ("rss" or
    "atom"), on a line of its own: `fill` sets the entry's fields."""
    fg, empty = _holder()
    entry = append_entry(fg)
    try:
        fill(entry)
        # As feedgen's rss_str() and atom_str() do: each entry built, then appended last
        element = entry.rss_entry() if fmt == "rss" else entry.atom_entry()
    finally:
        fg.remove_entry(0)
    root, parent = _holder_tree(fmt)
    parent.append(element)
    try:
        whole = etree.tostring(root.getroottree(), pretty_print=False, encoding="UTF-8", xml_declaration=True)
    finally:
        parent.remove(element)
    whole = rss_text_refs(whole) if fmt == "rss" else whole
    start = len(empty[fmt]) - len(_CLOSING[fmt])
    if not (empty[fmt].endswith(_CLOSING[fmt]) and whole.startswith(empty[fmt][:start])):  # feedgen changed
        raise RuntimeError(f"feedgen's {fmt} output is not laid out as feedgen_fixes.entry_xml expects")
    return b"\n" + whole[start:-len(_CLOSING[fmt])]


def document_xml(head: FeedHead, fmt: str, entries: Sequence[bytes]) -> bytes:
    """Return a feed document: its head written by feedgen, then the entries (from
    `entry_xml`) a line each, then its end on a line of its own."""
    empty = _serialize(new_feed(head), fmt)
    if not empty.endswith(_CLOSING[fmt]):
        raise RuntimeError(f"feedgen's {fmt} output is not laid out as feedgen_fixes.document_xml expects")
    return b"".join([empty[:-len(_CLOSING[fmt])], *entries, b"\n", _CLOSING[fmt], b"\n"])
