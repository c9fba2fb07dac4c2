"""Render the feeds of the site and of each tag: Site → {path: bytes}.

Every feed is built from one list of FeedEntry records, made once per article and handed to
feedgen for RSS 2.0 and Atom 1.0 and to jsonfeed for JSON Feed 1.1, so all formats agree.
A subscription feed holds the newest `feed_items` articles. When there are more, it links
(RFC 5005, rel "prev-archive") to archive pages that together hold every article, so a new
subscriber can read the whole history. Archive pages are cut from the oldest end,
`feed_items` each, so a full page keeps its entries for good as articles are added; only the
newest page fills up, and a page gains its "next-archive" link once, when the page after it
starts. (Every page links to a neighbour, as the W3C validator asks of archives.) A feed that
holds every article says so with <fh:complete/> instead.
"""
from __future__ import annotations

import datetime as dt
import html
import mimetypes
import re
from dataclasses import dataclass
from functools import partial
from typing import Callable

from .feed_urls import FORMATS, STYLESHEET, feed_path
from .feedgen_fixes import Enclosure, FeedHead, Link, append_entry, new_feed, rss_text_refs, set_enclosure
from .fingerprint import Fingerprinter
from .jsonfeed import json_feed
from .links import absolute, rewrite_urls
from .model import Article, OutputFile, Site, Tag, positions, source_paths

# XML 1.0 §2.2 allows tab, newline, carriage return and most of the rest; feedgen (lxml)
# refuses the others with an exception, so one stray control character would stop a build.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A feed with no entries still needs a fixed date, never the clock (reproducible builds).
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class FeedEntry:
    """One article as every feed format presents it; every URL is absolute."""

    id: str
    title: str
    url: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    summary: str
    content_html: str | None  # None when the site publishes summaries only
    categories: tuple[str, ...]
    image: Enclosure | None


@dataclass(frozen=True)
class FeedDoc:
    """One feed document (subscription or archive page) in every format."""

    title: str
    description: str
    page_url: str
    base: str  # "" for the site, "tags/<slug>/" for a tag
    archive: int | None  # the archive page number, None for the subscription feed
    prev_archive: int | None
    next_archive: int | None
    articles: tuple[Article, ...]
    id_domain: str
    language: str
    complete: bool  # it holds every article of its feed (RFC 5005's fh:complete)

    @property
    def updated(self) -> dt.datetime:
        return max((a.last_modified for a in self.articles), default=_EPOCH)

    def path(self, fmt: str) -> str:
        return feed_path(self.base, fmt, self.archive)


def render_feeds(site: Site, media_sizes: dict[str, int], fingerprint: Fingerprinter,
                 only: frozenset[str] | None = None) -> list[OutputFile]:
    """Return every feed file, subscription feeds and archive pages, site-wide and per tag,
    to be rendered on demand; with `only` (content files), just those they are in."""
    made: dict[str, FeedEntry] = {}  # an article's entry is the same in every feed it is in

    def entry(article: Article) -> FeedEntry:
        if article.source_path not in made:
            made[article.source_path] = feed_entry(site, article, media_sizes)
        return made[article.source_path]

    files = []
    for tag in (None, *site.tags):
        if only is not None and only.isdisjoint(source_paths(tag.articles if tag else site.articles)):
            continue
        for doc in feed_docs(site, tag, only):
            bodies = ",".join(f"{a.digest}:{media_sizes.get(a.image or '')}" for a in doc.articles)
            doc_key = fingerprint.key(doc, bodies)
            for fmt in site.config.feeds:
                files.append(OutputFile(doc.path(fmt), fingerprint.key("feed", fmt, doc_key),
                                        partial(render_doc, site, doc, fmt, entry)))
    return files


def feed_docs(site: Site, tag: Tag | None, only: frozenset[str] | None = None) -> list[FeedDoc]:
    """Return the subscription feed and the archive pages of the site or of one tag (with
    `only`, those that hold an article from these content files). Archive page n holds the
    n-th `feed_items` articles counted from the oldest."""
    config = site.config
    articles = tag.articles if tag else site.articles
    count, per_feed = len(articles), config.feed_items
    archived = tag is None or config.tag_feed_archives
    pages = -(-count // per_feed) if count > per_feed and archived else 0
    base = tag.path if tag else ""

    def doc(number: int | None, chosen, prev: int | None, next_: int | None) -> FeedDoc:
        return FeedDoc(
            title=clean(f"{config.title}: {tag.name}" if tag else config.title),
            description=clean((f"Articles tagged {tag.name}" if tag else config.description) or config.title),
            page_url=config.absolute(base), base=base, archive=number, prev_archive=prev,
            next_archive=next_, articles=tuple(chosen),
            id_domain=config.entry_id_domain, language=config.language,
            complete=number is None and count <= per_feed)

    if only is None:
        current, numbers = True, range(1, pages + 1)
    else:  # positions, newest first, of the articles asked for
        at = positions(articles, only)
        current = any(i < per_feed for i in at)
        numbers = sorted({(count - 1 - i) // per_feed + 1 for i in at}) if pages else []
    archives = [
        doc(n, articles[max(0, count - n * per_feed): count - (n - 1) * per_feed],
            n - 1 if n > 1 else None, n + 1 if n < pages else None)
        for n in numbers
    ]
    return ([doc(None, articles[:per_feed], pages or None, None)] if current else []) + archives


def feed_entry(site: Site, article: Article, media_sizes: dict[str, int]) -> FeedEntry:
    """Return an article as a feed entry: content with absolute URLs, lead image first."""
    config = site.config
    url = config.absolute(article.path)
    content = rewrite_urls(_lead_figure(article) + site.bodies[article.source_path], absolute(config.base_url, url))
    return FeedEntry(
        id=clean(article.id),
        title=clean(article.title),
        url=url,
        published=article.date,
        updated=article.last_modified,
        author=clean(article.author or config.author or config.title),
        summary=clean(article.summary),
        content_html=clean(content) if config.feed_full_content else None,
        categories=tuple(clean(t.name) for t in article.tags),
        image=_enclosure(site, article, media_sizes),
    )


def _lead_figure(article: Article) -> str:
    if not article.image:
        return ""
    src = html.escape(article.image if "://" in article.image else "/" + article.image)
    caption = f"<figcaption>{html.escape(article.image_caption)}</figcaption>" if article.image_caption else ""
    return f'<figure><img src="{src}" alt="">{caption}</figure>\n'


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


def render_doc(site: Site, doc: FeedDoc, fmt: str, entry: Callable[[Article], FeedEntry]) -> bytes:
    """Return one feed document in one format."""
    entries = [entry(a) for a in doc.articles]
    config = site.config
    links = [Link("hub", config.websub_hub)] if config.websub_hub else []
    mime = FORMATS[fmt][2]
    for rel, number in (("prev-archive", doc.prev_archive), ("next-archive", doc.next_archive)):
        if number:
            links.append(Link(rel, config.absolute(feed_path(doc.base, fmt, number)), mime))
    if doc.archive:
        links.append(Link("current", config.absolute(feed_path(doc.base, fmt)), mime))
    if fmt == "json":
        return json_feed(doc, entries, config.absolute(doc.path(fmt)), links)
    head = FeedHead(
        id=f"tag:{doc.id_domain},2000:feed/{doc.path('atom').removesuffix('.xml')}",
        title=doc.title, subtitle=doc.description, language=doc.language, updated=doc.updated,
        page_url=doc.page_url, self_url=config.absolute(doc.path(fmt)), self_type=mime,
        links=links, history="archive" if doc.archive else "complete" if doc.complete else None,
        stylesheet="../" * doc.path(fmt).count("/") + STYLESHEET)
    fg = new_feed(head)
    for item in entries:
        _add_entry(fg, item, fmt)
    return rss_text_refs(fg.rss_str(pretty=True)) if fmt == "rss" else fg.atom_str(pretty=True)


def _add_entry(fg, entry: FeedEntry, fmt: str) -> None:
    fe = append_entry(fg)
    fe.id(entry.id)
    fe.guid(entry.id, permalink=entry.id == entry.url)
    fe.title(entry.title)
    fe.link(href=entry.url, rel="alternate", type="text/html")
    fe.published(entry.published)
    fe.updated(entry.updated)
    fe.author(name=entry.author)
    fe.dc.dc_creator(entry.author)
    # RSS <description> is HTML; Atom <summary> is text.
    fe.summary(html.escape(entry.summary, quote=False) if fmt == "rss" else entry.summary)
    if entry.content_html is not None:
        fe.content(entry.content_html, type="html")
    for name in entry.categories:
        fe.category(term=name)
    set_enclosure(fe, entry.image)


def clean(text: str) -> str:
    """Return text without the characters XML 1.0 cannot carry."""
    return _XML_ILLEGAL.sub("", text)
