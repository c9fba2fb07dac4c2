"""The one record every import source maps to: a dump article or a feed entry.

    dump.parse_dump ─────┐
                         ├→ ImportedArticle → importer.plan_article → content/<slug>.md
    feed_import.parse_feed ┘
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportedArticle:
    """An article as it arrived: plain-text paragraphs (dumps) or a Markdown body (feeds)."""

    title: str
    origin: str  # the dump's or feed's file name (or URL), as `source:` records it
    line: int = 1  # where the article starts in its file, for messages
    caption: str | None = None
    paragraphs: tuple[str, ...] = ()  # plain text, exactly as written (dumps)
    markdown: str | None = None  # the body already in Markdown (feeds)
    date: dt.datetime | None = None  # dumps carry none
    updated: dt.datetime | None = None
    tags: tuple[str, ...] = ()  # a feed entry's categories
    author: str | None = None
    link: str | None = None
    entry_id: str | None = None  # a feed entry's own permanent id, as it gave it
    guid_is_permalink: bool | None = None  # an RSS item's <guid isPermaLink>, when it had a guid

    @property
    def where(self) -> str:
        """`file:line`, for messages."""
        return f"{self.origin}:{self.line}"

    @property
    def digest(self) -> str:
        """Identify the imported text, so a re-import recognises it whatever was edited since."""
        parts = [self.title, self.caption or "", *self.paragraphs, self.markdown or ""]
        text = "\x1e".join(" ".join(p.split()) for p in parts)
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
