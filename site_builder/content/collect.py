"""Gather parsed articles into a Site: drafts dropped, newest first, tags and authors merged,
slugs checked, sections found, related stories and translations worked out."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from ..core.errors import ConfigError, ContentError, SiteError, raise_all
from ..core.model import Article, Author, AuthorRef, Site, SiteConfig, Tag, TagRef, tag_key
from .related import RelatedStories
from .translated_articles import Translations, translation_groups

T = TypeVar("T", bound=Tag)
R = TypeVar("R", bound=TagRef)


def collect_site(config: SiteConfig, articles: list[Article], bodies: Mapping[str, str] | None = None,
                 drafts: bool = False, until: dt.datetime | None = None) -> Site:
    """Return the Site to render: without drafts (unless `drafts`) and articles dated after
    `until` (when given); raise on slug collisions between articles, tags or authors, and on
    a section no article is tagged with."""
    published = [a for a in articles if (drafts or not a.draft) and (until is None or a.date <= until)]
    raise_all(_collisions(published, lambda a: a.slug.casefold(), "slug", "give one of them another 'slug:' (or file name)")
              + _collisions(published, lambda a: a.id, "feed id", "give each its own 'id:' (a copied file keeps its id)"))
    # Oldest first, so a tag's display name is the one its first article gave it and adding a
    # newer article never renames a tag page (an author's page likewise).
    oldest_first = sorted(published, key=lambda a: (a.date.timestamp(), a.slug))  # floats: 10× faster
    (tags, tag_clashes), (authors, author_clashes) = (_collect_refs(oldest_first, _tags_of, "tag", Tag),
                                                      _collect_refs(oldest_first, _authors_of, "author", Author))
    tag_names, author_names = names_of(tags, TagRef), names_of(authors, AuthorRef)
    newest_first = tuple(with_site_names(a, tag_names, author_names) for a in reversed(oldest_first))
    translated, translation_clashes = translation_groups(newest_first, config.language)
    raise_all(tag_clashes + author_clashes + translation_clashes)
    final_tags = _with_articles(tags, newest_first, _tags_of)
    position = {a.source_path: i for i, a in enumerate(newest_first)}
    return Site(config, newest_first, final_tags, {} if bodies is None else bodies,
                authors=_with_articles(authors, newest_first, _authors_of),
                sections=sections_of(config, final_tags),
                related=RelatedStories(newest_first, [[position[a.source_path] for a in t.articles] for t in final_tags],
                                       config.related_stories, translated),
                translations=Translations(newest_first, translated))


def _tags_of(article: Article) -> Sequence[TagRef]:
    return article.tags


def _authors_of(article: Article) -> Sequence[TagRef]:
    return article.authors


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


def _collect_refs(oldest_first: list[Article], refs_of: Callable[[Article], Sequence[TagRef]], word: str,
                  make: type[T]) -> tuple[list[T], list[SiteError]]:
    """Return every tag (or author) once, with its first-seen name, sorted by name, and an
    error for each two that would have one URL, naming the files that first gave each."""
    first: dict[str, tuple[TagRef, Article]] = {}
    for article in oldest_first:
        for ref in refs_of(article):
            first.setdefault(tag_key(ref.name), (ref, article))
    by_slug: dict[str, list[tuple[TagRef, Article]]] = defaultdict(list)
    for ref, article in first.values():
        by_slug[ref.slug].append((ref, article))
    errors: list[SiteError] = [
        ContentError(seen[1][1].source_path,
                     f"{word} '{seen[1][0].name}' has the same URL ({seen[1][0].path}) as {word} "
                     f"'{seen[0][0].name}' of {seen[0][1].source_path}: use one spelling")
        for slug, seen in sorted(by_slug.items()) if len(seen) > 1
    ]
    refs = sorted((ref for ref, _ in first.values()), key=lambda r: (r.name.casefold(), r.slug))
    return [make(ref.name, ref.slug, ()) for ref in refs], errors


def names_of(refs: Sequence[TagRef], kind: type[R]) -> dict[str, R]:
    """Return each tag's (or author's: `kind`) site-wide name and slug, by what makes two
    names one."""
    return {tag_key(ref.name): kind(ref.name, ref.slug) for ref in refs}


def with_site_names(article: Article, tags: dict[str, TagRef], authors: dict[str, AuthorRef]) -> Article:
    """Give an article's tags and authors the site-wide display name of each."""
    new_tags = tuple(tags[tag_key(ref.name)] for ref in article.tags)
    new_authors = tuple(authors[tag_key(ref.name)] for ref in article.authors)
    if new_tags == article.tags and new_authors == article.authors:
        return article
    return replace(article, tags=new_tags, authors=new_authors)


def _with_articles(refs: list[T], newest_first: tuple[Article, ...], refs_of: Callable[[Article], Sequence[TagRef]]) -> tuple[T, ...]:
    lists: dict[str, list[Article]] = defaultdict(list)
    for article in newest_first:
        for ref in refs_of(article):
            lists[tag_key(ref.name)].append(article)
    return tuple(type(ref)(ref.name, ref.slug, tuple(lists[tag_key(ref.name)])) for ref in refs)


def sections_of(config: SiteConfig, tags: Sequence[Tag]) -> tuple[Tag, ...]:
    """Return the site's sections (site.toml's `sections`, in its order and spelling) as tags;
    refuse a section no published article is tagged with: its link would be a broken one."""
    by_key = {tag_key(t.name): t for t in tags}
    wanted = {tag_key(name): name for name in reversed(config.sections)}  # the first spelling of each
    names = [wanted[key] for key in dict.fromkeys(tag_key(name) for name in config.sections)]
    raise_all([ConfigError(f"site.toml: 'sections': no published article is tagged '{name}' (tag one with it, "
                           "or remove it from sections)") for name in names if tag_key(name) not in by_key])
    return tuple(Tag(name, by_key[tag_key(name)].slug, by_key[tag_key(name)].articles) for name in names)
