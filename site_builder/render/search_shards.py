"""Search shards (issue #16): the articles split into the Pagefind indexes a build makes apart,
so that an edit re-indexes one shard, not the site (build/search_index.py), and the results
page (templates/search.html) searches them all as one (Pagefind's mergeIndex).

Pagefind cannot update an index in part, and indexing costs ~5 ms a page: 50 s at 10,000
articles for any edit. A shard is a year of articles in the site's time zone, except the
newest month's, which are a shard of their own: the articles a news desk corrects and adds to
are its smallest index (a few hundred pages), and a past year's changes only when one of its
articles does. When a new month's first article comes, the month before joins its year. The
shards follow from the articles alone, so a rebuild and a cold build make the same ones.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..core.model import Article, month_of
from ..core.names import SEARCH_DIR


def search_shards(articles: Sequence[Article], timezone: str) -> dict[str, list[Article]]:
    """Return each shard's name ("2026-12" for the newest month, "2026" for a year) → its
    articles, newest shard first (`articles` newest first)."""
    shards: dict[str, list[Article]] = {}
    newest = month_of(articles[0], timezone) if articles else None
    for article in articles[:]:  # a slice: a rebuild's lazy list loads them in one read, not 10,000
        year, month = at = month_of(article, timezone)
        shards.setdefault(f"{year}-{month:02}" if at == newest else str(year), []).append(article)
    return shards


def shard_folder(name: str) -> str:
    """Return the output folder of a shard's index."""
    return f"{SEARCH_DIR}/{name}/"
