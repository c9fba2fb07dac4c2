"""Render the RSS 2.0 and Atom 1.0 feeds of the site and of each tag: Site → {path: bytes}.

The entries of a feed are built once, as plain FeedEntry records, and handed to feedgen for
each format, so RSS and Atom always say the same thing.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from .links import absolute, rewrite_urls
from .model import Article, Site, Tag
from .render import ATOM_TYPE, RSS_TYPE

# XML 1.0 §2.2 allows tab, newline, carriage return and most of the rest; feedgen (lxml)
# refuses the others with an exception, so one stray control character would stop a build.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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
    content_html: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class FeedInfo:
    """A feed's own metadata: what it is about and where it lives."""

    title: str
    description: str
    page_url: str  # the HTML page the feed mirrors
    rss_url: str
    atom_url: str
    id: str
    language: str
    updated: dt.datetime


def render_feeds(site: Site) -> dict[str, bytes]:
    """Return feed.xml and atom.xml for the site and for every tag."""
    files: dict[str, bytes] = {}
    made: dict[str, FeedEntry] = {}  # an article's entry is the same in every feed it is in
    for tag in (None, *site.tags):
        articles = (tag.articles if tag else site.articles)[: site.config.feed_items]
        for article in articles:
            if article.source_path not in made:
                made[article.source_path] = feed_entry(site, article)
        feed_entries = [made[a.source_path] for a in articles]
        info = feed_info(site, tag, feed_entries)
        base = tag.path if tag else ""
        files[base + "feed.xml"] = _generator(info, feed_entries, info.rss_url).rss_str(pretty=True)
        files[base + "atom.xml"] = _generator(info, feed_entries, info.atom_url).atom_str(pretty=True)
    return files


def feed_entry(site: Site, article: Article) -> FeedEntry:
    """Return an article as a feed entry: full content with absolute URLs, lead image first."""
    config = site.config
    url = config.absolute(article.path)
    to_absolute = absolute(config.base_url, url)
    content = rewrite_urls(_lead_figure(article) + article.body_html, to_absolute)
    return FeedEntry(
        id=article.id,
        title=clean(article.title),
        url=url,
        published=article.date,
        updated=article.last_modified,
        author=clean(article.author or config.author or config.title),
        summary=clean(article.summary),
        content_html=clean(content),
        categories=tuple(clean(t.name) for t in article.tags),
    )


def _lead_figure(article: Article) -> str:
    if not article.image:
        return ""
    src = html.escape(article.image if "://" in article.image else "/" + article.image)
    caption = f"<figcaption>{html.escape(article.image_caption)}</figcaption>" if article.image_caption else ""
    return f'<figure><img src="{src}" alt="">{caption}</figure>\n'


def feed_info(site: Site, tag: Tag | None, entries: list[FeedEntry]) -> FeedInfo:
    """Return the metadata of the site's feed (tag None) or of one tag's feed."""
    config = site.config
    base = tag.path if tag else ""
    return FeedInfo(
        title=clean(f"{config.title}: {tag.name}" if tag else config.title),
        description=clean((f"Articles tagged {tag.name}" if tag else config.description) or config.title),
        page_url=config.absolute(base),
        rss_url=config.absolute(base + "feed.xml"),
        atom_url=config.absolute(base + "atom.xml"),
        id=f"tag:{config.entry_id_domain},2000:feed/{base}",
        language=config.language,
        updated=max((e.updated for e in entries), default=_EPOCH),
    )


def _generator(info: FeedInfo, entries: list[FeedEntry], self_url: str) -> FeedGenerator:
    """Return a feedgen generator holding the feed, with `self_url` as its rel="self" link."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(info.id)
    fg.title(info.title)
    fg.subtitle(info.description)
    # feedgen makes the last link added the RSS <link>, which must be the HTML page.
    fg.link(href=self_url, rel="self", type=RSS_TYPE if self_url == info.rss_url else ATOM_TYPE)
    fg.link(href=info.page_url, rel="alternate", type="text/html")
    fg.language(info.language)
    # feedgen stamps updated/lastBuildDate with the clock unless told: use the newest entry.
    fg.updated(info.updated)
    fg.lastBuildDate(info.updated)
    fg.generator("site-builder")
    for entry in entries:
        # feedgen prepends by default, which would turn newest-first into oldest-first.
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=entry.id == entry.url)
        fe.title(entry.title)
        fe.link(href=entry.url, rel="alternate", type="text/html")
        fe.published(entry.published)
        fe.updated(entry.updated)
        fe.author(name=entry.author)
        fe.dc.dc_creator(entry.author)
        fe.summary(entry.summary)
        fe.content(entry.content_html, type="html")
        for name in entry.categories:
            fe.category(term=name)
    return fg


def clean(text: str) -> str:
    """Return text without the characters XML 1.0 cannot carry."""
    return _XML_ILLEGAL.sub("", text)
