"""The records every feed format is made from: one entry per article, one document per feed
page (subscription or monthly archive). feeds.py makes them; feedgen (RSS, Atom) and
jsonfeed.py (JSON Feed) write them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.model import Article
from .feed_urls import feed_path
from .feedgen_fixes import Enclosure, MediaImage

# A feed with no entries still needs a fixed date, never the clock (reproducible builds).
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)  # slots: a process keeps thousands (feeds.SerializedEntries)
class FeedEntry:
    """One article as every feed format presents it; every URL is absolute."""

    id: str  # the article's id: the RSS guid and JSON Feed id, as it is
    atom_id: str  # the id as an IRI (entry_ids.atom_id)
    guid_permalink: bool  # the RSS guid's isPermaLink
    title: str
    url: str
    published: dt.datetime
    updated: dt.datetime
    # the byline's names; none: the feed's author (the site) is the entry's, as Atom and JSON
    # Feed say, not repeated in each entry (issue 15's size goal)
    authors: tuple[str, ...]
    summary: str
    content_html: str | None  # None when the site publishes summaries only
    categories: tuple[str, ...]
    image: Enclosure | None  # the lead image's file, as it is in static/ (or its URL)
    media: MediaImage | None  # the lead image as shown: its widest rendition, caption and credit
    language: str | None  # the article's own language, when it is not the feed's


@dataclass(frozen=True)
class FeedDoc:
    """One feed document (subscription or archive page) in every format."""

    title: str
    description: str
    page_url: str
    base: str  # "" for the site, "tags/<slug>/" for a tag, "authors/<slug>/" for an author
    archive: str | None  # the archive document's month, "YYYY/MM"; None for the subscription feed
    prev_archive: str | None  # the nearest older month with an article
    next_archive: str | None  # the nearest newer month with an article
    articles: tuple[Article, ...]
    id_domain: str
    language: str
    complete: bool  # it holds every article of its feed (RFC 5005's fh:complete)

    @property
    def updated(self) -> dt.datetime:
        return max((a.last_modified for a in self.articles), default=_EPOCH)

    def path(self, fmt: str) -> str:
        return feed_path(self.base, fmt, self.archive)
