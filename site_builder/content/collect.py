"""Gather parsed articles into a Site: drafts dropped, newest first, tags merged, slugs checked."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace

from ..core.errors import ContentError, SiteError, raise_all
from ..core.model import Article, Site, SiteConfig, Tag, TagRef, tag_key


def collect_site(config: SiteConfig, articles: list[Article], bodies: Mapping[str, str] | None = None,
                 drafts: bool = False, until: dt.datetime | None = None) -> Site:
    """Return the Site to render: without drafts (unless `drafts`) and articles dated after
    `until` (when given); raise on slug collisions between articles or between tags."""
    published = [a for a in articles if (drafts or not a.draft) and (until is None or a.date <= until)]
    raise_all(_collisions(published, lambda a: a.slug.casefold(), "slug", "give one of them another 'slug:' (or file name)")
              + _collisions(published, lambda a: a.id, "feed id", "give each its own 'id:' (a copied file keeps its id)"))
    # Oldest first, so a tag's display name is the one its first article gave it and adding a
    # newer article never renames a tag page.
    oldest_first = sorted(published, key=lambda a: (a.date.timestamp(), a.slug))  # floats: 10× faster
    tags = _collect_tags(oldest_first)
    names = {tag_key(t.name): TagRef(t.name, t.slug) for t in tags}
    newest_first = tuple(with_tag_names(a, names) for a in reversed(oldest_first))
    by_key = _articles_by_tag(newest_first)
    final_tags = tuple(Tag(t.name, t.slug, by_key[tag_key(t.name)]) for t in tags)
    return Site(config, newest_first, final_tags, {} if bodies is None else bodies)


def _collisions(articles: list[Article], key: Callable[[Article], str], what: str, fix: str) -> list[SiteError]:
    """An error for each value of `key` that two files share. Slugs are compared without case,
    as they collide on case-insensitive file systems (macOS checkouts)."""
    owners: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        owners[key(article)].append(article.source_path)
    return [
        ContentError(paths[0], f"{what} '{value}' is also the {what} of {', '.join(paths[1:])}: {fix}")
        for value, paths in sorted(item for item in owners.items() if len(item[1]) > 1)
    ]


def _collect_tags(oldest_first: list[Article]) -> list[Tag]:
    """Return every tag once, with its first-seen name, sorted by name; refuse slug clashes."""
    first: dict[str, tuple[TagRef, Article]] = {}
    for article in oldest_first:
        for ref in article.tags:
            first.setdefault(tag_key(ref.name), (ref, article))
    by_slug: dict[str, list[tuple[TagRef, Article]]] = defaultdict(list)
    for ref, article in first.values():
        by_slug[ref.slug].append((ref, article))
    errors: list[SiteError] = [
        ContentError(seen[1][1].source_path,
                     f"tag '{seen[1][0].name}' has the same URL (tags/{slug}/) as tag "
                     f"'{seen[0][0].name}' of {seen[0][1].source_path}: use one spelling")
        for slug, seen in sorted(by_slug.items()) if len(seen) > 1
    ]
    raise_all(errors)
    refs = sorted((ref for ref, _ in first.values()), key=lambda r: (r.name.casefold(), r.slug))
    return [Tag(ref.name, ref.slug, ()) for ref in refs]


def with_tag_names(article: Article, names: dict[str, TagRef]) -> Article:
    """Give an article's tags the site-wide display name of each."""
    tags = tuple(names[tag_key(ref.name)] for ref in article.tags)
    return article if tags == article.tags else replace(article, tags=tags)


def _articles_by_tag(newest_first: tuple[Article, ...]) -> dict[str, tuple[Article, ...]]:
    lists: dict[str, list[Article]] = defaultdict(list)
    for article in newest_first:
        for ref in article.tags:
            lists[tag_key(ref.name)].append(article)
    return {key: tuple(items) for key, items in lists.items()}
