"""Render the feeds of the site and of each tag: Site → {path: bytes}.

Every feed is built from one FeedEntry record per article, handed to feedgen for RSS 2.0 and
Atom 1.0 and to jsonfeed for JSON Feed 1.1, so all formats agree. Each entry is serialized
once per format and build, and reused in every document it is in (issue #15).
A subscription feed holds the newest `feed_items` articles. When there are more, it links
(RFC 5005, rel "prev-archive") to archive documents that together hold every article, so a
new subscriber can read the whole history: one per calendar month that has an article (in
the site's `timezone`), `archive/2024/03/atom.xml`, holding every article of that month —
those still in the subscription feed too (documents may overlap; a reader keeps one entry per
id). RFC 5005 §4 asks that the entries of an archive document never change, so a document
depends on nothing but its own month's articles and the names of its nearest non-empty
neighbour months (prev-archive: older, next-archive: newer; empty months are skipped, and
every document links "current", the subscription feed). Adding, deleting, editing or
back-dating an article changes its own month's documents; a neighbour's changes only when a
month appears or disappears next to it, and then only in that link, never in its entries.
(The newest month's document gains entries as its month goes on, as a month page does.) A
month is never split, however busy: a split by count inside it would move entries between
its documents whenever an article is back-dated into it. A feed that holds every article
says so with <fh:complete/> instead. Tags' feeds have archives only with tag_feed_archives;
archive documents carry summaries, not whole articles, unless archive_full_content, and so do
tags' feeds unless tag_feed_full_content (all off by default, issue #15: a large site must fit
GitHub Pages' 1 GB, while the site's subscription feed carries whole articles).
"""
from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from ..core.entry_ids import atom_id, rss_permalink
from ..core.language import LANGUAGE_TAG
from ..core.links import absolute, rewrite_urls
from ..core.model import Article, OutputFile, Site, SiteConfig, Tag, positions, source_paths
from ..incremental.output_keys import Fingerprinter
from .feed_docs import FeedDoc, FeedEntry
from .feed_urls import FORMATS, STYLESHEET, feed_path
from .feedgen_fixes import (
    Enclosure,
    FeedHead,
    Link,
    MediaImage,
    document_xml,
    entry_xml,
    set_enclosure,
    set_ids,
    set_language,
    set_media,
)
from .images import Picture, picture_of
from .jsonfeed import json_feed, json_item
from .month_spans import MonthSpans

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry as FgEntry

# XML 1.0 §2.2 allows tab, newline, carriage return and most of the rest; feedgen (lxml)
# refuses the others with an exception, so one stray control character would stop a build.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
def render_feeds(site: Site, media_sizes: dict[str, int], fingerprint: Fingerprinter,
                 only: frozenset[str] | None = None) -> list[OutputFile]:
    """Return every feed file, subscription feeds and archive pages, site-wide, per tag and per
    author, to be rendered on demand; with `only` (content files), just those they are in.
    `fingerprint` should not hold the theme: no feed is made from it (issue #15)."""
    docs = []
    for tag in (None, *site.tags, *site.authors):  # an author's feeds are made as a tag's
        if only is not None and only.isdisjoint(source_paths(tag.articles if tag else site.articles)):
            continue
        for doc in feed_docs(site, tag, only):
            # A document of summaries shows no body: leaving the bodies out of its key, a body
            # edit renders it only if the summary changed (the article's fields, in `doc`)
            whole = carries_articles(doc, site.config)
            bodies = ",".join(f"{a.digest if whole else ''}:{media_sizes.get(a.image or '')}:{_image_digest(site, a)}"
                              for a in doc.articles)
            docs.append((doc, fingerprint.key(doc, bodies), whole))
    # Entries of summaries are the same bytes in every document of summaries: made once too.
    entries = {True: SerializedEntries(site, media_sizes, summaries=False),
               False: SerializedEntries(site, media_sizes, summaries=True)}
    # Format by format: the entries of one format are kept until its last document is
    # rendered, then dropped, so a build holds one format's entries at a time.
    return [OutputFile(doc.path(fmt), fingerprint.key("feed", fmt, doc_key),
                       partial(render_doc, site, doc, fmt, entries[whole]))
            for fmt in site.config.feeds for doc, doc_key, whole in docs]


def carries_articles(doc: FeedDoc, config: SiteConfig) -> bool:
    """True when a feed document's entries carry whole articles (feed_full_content aside):
    the site's subscription feed does; its archive documents with archive_full_content, a
    tag's documents with tag_feed_full_content (issue #15: what fits GitHub Pages)."""
    return (not doc.archive or config.archive_full_content) and (doc.base == "" or config.tag_feed_full_content)


class SerializedEntries:
    """Each article's entry serialized once per format, through feedgen (RSS, Atom) or
    jsonfeed.py, and reused in every document it is in: the site's feed, its tags' feeds,
    the month archives (issue #15). An entry's bytes are the same in every document;
    `summaries`: the entries of archive documents without the article's body."""

    def __init__(self, site: Site, media_sizes: dict[str, int], summaries: bool):
        self.site, self.media_sizes, self.summaries = site, media_sizes, summaries
        self.fmt: str | None = None
        self.made: dict[str, bytes] = {}  # content file → its entry in self.fmt
        # content file → its FeedEntry, kept for the next formats when it holds no body: making
        # it was over a quarter of an entry's time; keeping it takes about a kilobyte (issue #15)
        self.entries: dict[str, FeedEntry] = {}

    def __call__(self, article: Article, fmt: str) -> bytes:
        """Return the article's entry in the format, serialized."""
        if fmt != self.fmt:
            self.fmt, self.made = fmt, {}
        made = self.made.get(article.source_path)
        if made is None:
            entry = self._entry(article)
            made = json_item(entry) if fmt == "json" else entry_xml(fmt, partial(_fill_entry, entry))
            self.made[article.source_path] = made
        return made

    def _entry(self, article: Article) -> FeedEntry:
        if not self.summaries:
            # Made again for each format: kept for all three, the FeedEntries (a body each)
            # and one format's bytes took a cold build of 10,000 articles from 250 MB to 347 MB.
            return feed_entry(self.site, article, self.media_sizes)
        entry = self.entries.get(article.source_path)
        if entry is None:
            entry = self.entries[article.source_path] = feed_entry(self.site, article, self.media_sizes,
                                                                   summary_only=True)
        return entry


def feed_docs(site: Site, tag: Tag | None, only: frozenset[str] | None = None) -> list[FeedDoc]:
    """Return the subscription feed and the month archive documents of the site or of one tag
    or author (with `only`, those that hold an article from these content files)."""
    config = site.config
    articles = tag.articles if tag else site.articles
    count, per_feed = len(articles), config.feed_items
    archived = count > per_feed and (tag is None or config.tag_feed_archives)
    base = tag.path if tag else ""
    months = MonthSpans(articles, config.timezone)

    def doc(month: str | None, chosen: Sequence[Article], prev: str | None, next_: str | None) -> FeedDoc:
        return FeedDoc(
            title=clean(f"{config.title}: {tag.name}" if tag else config.title),
            description=clean((tag.described if tag else config.description) or config.title),
            page_url=config.absolute(base), base=base, archive=month, prev_archive=prev,
            next_archive=next_, articles=tuple(chosen),
            id_domain=config.entry_id_domain, language=config.language,
            complete=month is None and count <= per_feed)

    at = range(count) if only is None else positions(articles, only)
    current = only is None or any(i < per_feed for i in at)
    archives = [
        doc(months.name(start), articles[start:end], months.name(end) if end < count else None,
            months.name(start - 1) if start else None)
        for start, end in (months.spans(at) if archived else [])
    ]
    if not current:
        return archives
    return [doc(None, articles[:per_feed], months.name(0) if archived else None, None), *archives]


def feed_entry(site: Site, article: Article, media_sizes: dict[str, int], summary_only: bool = False) -> FeedEntry:
    """Return an article as a feed entry: content with absolute URLs, lead image first —
    unless the site's feeds, or this document (an archive or a tag's feed), carry summaries only:
    then the body is not even read."""
    config = site.config
    url = config.absolute(article.path)
    full = config.feed_full_content and not summary_only
    image = site.images.get(article.image or "")
    picture = picture_of(image) if image else None
    content = (rewrite_urls(_lead_figure(article, picture) + site.bodies[article.source_path],
                            absolute(config.base_url, url))
               if full else None)
    entry_id = clean(article.id)
    return FeedEntry(
        id=entry_id,
        atom_id=atom_id(entry_id, config.entry_id_domain),
        guid_permalink=rss_permalink(entry_id, url, article.guid_is_permalink),
        title=clean(article.title),
        url=url,
        published=article.date,
        updated=article.last_modified,
        authors=tuple(clean(author.name) for author in article.authors),
        summary=clean(article.summary),
        content_html=clean(content) if content is not None else None,
        categories=tuple(clean(t.name) for t in article.tags),
        image=_enclosure(site, article, media_sizes),
        media=_media(site, article, picture),
        language=own_language(article, config.language),
    )


def own_language(article: Article, feed_language: str) -> str | None:
    """Return the article's language if it differs from the feed's (issue #12: an Arabic
    article in an English feed), else None: the entry inherits the feed's."""
    language = (article.language or "").strip()
    if not LANGUAGE_TAG.fullmatch(language) or language.casefold() == feed_language.casefold():
        return None  # none, the feed's own, or not a language tag xml:lang could carry
    return language


def _image_digest(site: Site, article: Article) -> str:
    """The digest of the article's processed lead image, or '' (a feed's key holds it)."""
    image = site.images.get(article.image or "")
    return image.digest if image else ""


def _lead_figure(article: Article, picture: Picture | None) -> str:
    """Return the lead image and its caption and credit as HTML, site-relative URLs rooted at
    '/' (made absolute with the rest); a caption without an image is still the writer's text."""
    caption = html.escape(article.image_caption or "")
    if article.image_credit:
        caption += (" " if caption else "") + f"<small>{html.escape(article.image_credit)}</small>"
    if not article.image:
        return f"<p><em>{caption}</em></p>\n" if caption else ""
    alt = html.escape(article.image_alt or "")
    if picture:
        src = picture.src
        img = f'<img src="/{html.escape(src.path)}" width="{src.width}" height="{src.height}" alt="{alt}">'
    else:
        img = f'<img src="{html.escape(article.image if "://" in article.image else "/" + article.image)}" alt="{alt}">'
    return f"<figure>{img}{f'<figcaption>{caption}</figcaption>' if caption else ''}</figure>\n"


def _media(site: Site, article: Article, picture: Picture | None) -> MediaImage | None:
    """The lead image as Media RSS gives it: its widest rendition, or the URL as it is."""
    if not article.image:
        return None
    credit = clean(article.image_credit) if article.image_credit else None
    if picture:
        src = picture.src
        return MediaImage(site.config.absolute(src.path), src.mime, src.width, src.height, credit)
    url = article.image if "://" in article.image else site.config.absolute(article.image)
    kind = mimetypes.guess_type(url.split("?")[0])[0] or "image/jpeg"
    return MediaImage(url, kind, None, None, credit)


def _enclosure(site: Site, article: Article, media_sizes: dict[str, int]) -> Enclosure | None:
    """The lead image as an enclosure: with its real length when the file is the site's own."""
    if not article.image:
        return None
    is_url = "://" in article.image
    url = article.image if is_url else site.config.absolute(article.image)
    kind = mimetypes.guess_type(url.split("?")[0])[0] or "application/octet-stream"
    if not is_url and article.image not in media_sizes:
        return None  # a missing file: nothing to enclose (`site-builder check` reports it)
    return Enclosure(url, 0 if is_url else media_sizes[article.image], kind)


def render_doc(site: Site, doc: FeedDoc, fmt: str, entry: Callable[[Article, str], bytes]) -> bytes:
    """Return one feed document in one format, of its articles' serialized entries."""
    entries = [entry(a, fmt) for a in doc.articles]
    config = site.config
    links = [Link("hub", config.websub_hub)] if config.websub_hub else []
    mime = FORMATS[fmt][1]
    for rel, month in (("prev-archive", doc.prev_archive), ("next-archive", doc.next_archive)):
        if month:
            links.append(Link(rel, config.absolute(feed_path(doc.base, fmt, month)), mime))
    if doc.archive:
        current = config.absolute(feed_path(doc.base, fmt))
        if not (doc.prev_archive or doc.next_archive):
            # The only month: the W3C validator warns "ArchiveIncomplete" about an archive
            # that links no neighbour, so it names what follows it, the subscription feed.
            links.append(Link("next-archive", current, mime))
        links.append(Link("current", current, mime))
    if fmt == "json":
        return json_feed(doc, entries, config.absolute(doc.path(fmt)), links, clean(config.title))
    head = FeedHead(
        id=f"tag:{doc.id_domain},2000:feed/{doc.path('atom').removesuffix('.xml')}",
        title=doc.title, subtitle=doc.description, language=doc.language, updated=doc.updated,
        page_url=doc.page_url, self_url=config.absolute(doc.path(fmt)), self_type=mime, author=clean(config.title),
        links=links, history="archive" if doc.archive else "complete" if doc.complete else None,
        stylesheet="../" * doc.path(fmt).count("/") + STYLESHEET)
    return document_xml(head, fmt, entries)


def _fill_entry(entry: FeedEntry, fe: FgEntry) -> None:
    """Set a feedgen entry's fields from the article's FeedEntry."""
    set_ids(fe, entry.atom_id, entry.id, entry.guid_permalink)
    fe.title(entry.title)
    fe.link(href=entry.url, rel="alternate", type="text/html")
    fe.published(entry.published)
    fe.updated(entry.updated)
    for name in entry.authors:
        fe.author(name=name)
    if entry.authors:
        fe.dc.dc_creator(list(entry.authors))
    # The summary is plain text, published as escaped HTML in both formats: RSS <description>
    # is HTML anyway, and an Atom type="text" summary quoting markup ("<script>") draws the W3C
    # validator's ContainsUndeclaredHTML warning, which type="html" does not.
    fe.summary(html.escape(entry.summary, quote=False), type="html")
    if entry.content_html is not None:
        fe.content(entry.content_html, type="html")
    for name in entry.categories:
        fe.category(term=name)
    set_enclosure(fe, entry.image)
    set_media(fe, entry.media)
    # RSS 2.0 has no language per item: Dublin Core's dc:language, which readers (feedparser)
    # take as the item's; Atom gets xml:lang on <entry> (feedgen_fixes), JSON Feed "language".
    if entry.language:
        fe.dc.dc_language(entry.language)
        set_language(fe, entry.language)


def clean(text: str) -> str:
    """Return text without the characters XML 1.0 cannot carry."""
    return _XML_ILLEGAL.sub("", text)
