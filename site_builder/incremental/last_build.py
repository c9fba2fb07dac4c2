"""The last build's site without its articles: their order, their tags, what each one's fields
were. A rebuild after edits that move no article (a body, a title, a summary: every other
input as it was) renders from it, loading from the cache just the articles that the pages
and feeds it reaches show — a few dozen to a few hundred, not the 10,000 of a large site,
which are neither loaded nor collected again.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..content.collect import names_of, sections_of, with_site_names
from ..content.related import RelatedStories
from ..content.translated_articles import Translations, translation_groups
from ..core.model import (
    Article,
    Author,
    AuthorRef,
    LazyArticles,
    MissingArticle,
    Site,
    SiteConfig,
    Tag,
    TagRef,
)
from .cache import BuildCache
from .changes import fields_signature


@dataclass(frozen=True)
class Skeleton:
    order: tuple[str, ...]  # the published articles' content files, newest first
    tags: tuple[tuple[str, str, tuple[int, ...]], ...]  # name, slug, positions in `order`
    # every article's meta and layout digests and the digest of the bytes it was read from, drafts too
    fields: dict[str, tuple[str, str, str]]
    addresses: dict[str, tuple[str, str]]  # published articles' content file → (address, id)
    authors: tuple[tuple[str, str, tuple[int, ...]], ...] = ()  # name, slug, positions in `order`
    translations: tuple[tuple[int, ...], ...] = ()  # each group's positions in `order`, by language


def skeleton_of(site: Site, articles: list[Article]) -> Skeleton:
    """Return the skeleton of a collected site (`articles`: every one loaded, drafts too)."""
    position = {a.source_path: i for i, a in enumerate(site.articles)}
    return Skeleton(tuple(position),
                    tuple((t.name, t.slug, tuple(position[a.source_path] for a in t.articles)) for t in site.tags),
                    {a.source_path: _fields(a) for a in articles},
                    {a.source_path: (a.path, a.id) for a in site.articles},
                    tuple((p.name, p.slug, tuple(position[a.source_path] for a in p.articles)) for p in site.authors),
                    tuple(translation_groups(site.articles, site.config.language)[0]))


def _fields(a: Article) -> tuple[str, str, str]:
    return a.meta_digest, a.layout_digest, a.digest


def with_fields(skeleton: Skeleton, changed: list[Article]) -> Skeleton:
    """Return the skeleton with the changed articles' fields (their layouts as they were)."""
    return replace(skeleton, fields=skeleton.fields | {a.source_path: _fields(a) for a in changed})


def same_bytes(skeleton: Skeleton, articles: list[Article]) -> frozenset[str]:
    """Return the content files whose bytes are those the skeleton's build read, though their
    stat may be new: a fresh clone's (the Pages workflow's) are all."""
    return frozenset(a.source_path for a in articles
                     if a.digest and skeleton.fields.get(a.source_path, ())[2:] == (a.digest,))


def as_plain(skeleton: Skeleton) -> tuple:
    """Return the skeleton as tuples and dicts, for the cache."""
    return skeleton.order, skeleton.tags, skeleton.fields, skeleton.addresses, skeleton.authors, skeleton.translations


def from_plain(plain: tuple | None) -> Skeleton | None:
    """Return the skeleton the cache kept, or None if it is not one (or there is none)."""
    if plain is None:
        return None
    try:
        order, tags, fields, addresses, authors, translations = plain
        return Skeleton(tuple(order), tuple((name, slug, tuple(at)) for name, slug, at in tags), dict(fields),
                        {file: tuple(place) for file, place in addresses.items()},
                        tuple((name, slug, tuple(at)) for name, slug, at in authors),
                        tuple(tuple(group) for group in translations))
    except (TypeError, ValueError):
        return None


def same_layout(skeleton: Skeleton, changed: list[Article]) -> bool:
    """True if the changed articles are placed on the site as in the skeleton's build: each
    one's layout as it was (changes.layout_of), its other fields maybe not."""
    return all(skeleton.fields.get(a.source_path, ())[1:2] == (a.layout_digest,) for a in changed)


def fields_meta(skeleton: Skeleton) -> str:
    """Return the meta signature of the skeleton's articles (changes.meta_signature)."""
    return fields_signature((path, meta) for path, (meta, _, _) in sorted(skeleton.fields.items()))


def site_from(skeleton: Skeleton, config: SiteConfig, cache: BuildCache, changed: list[Article], bodies: Mapping[str, str],
              cached_as: Mapping[str, str]) -> Site:
    """Return the site of the skeleton's build, its changed articles replaced: the Site
    collect_site would make, with articles read from the cache when a page or feed needs them.
    `cached_as`: content file → the stat signature its cached article must have been made
    with (another output's build, with another base_url, may have cached another parse)."""
    names = names_of([TagRef(name, slug) for name, slug, _ in skeleton.tags], TagRef)
    author_names = names_of([AuthorRef(name, slug) for name, slug, _ in skeleton.authors], AuthorRef)
    load = _Loader(cache, {a.source_path: a for a in changed}, names, author_names, cached_as)
    order = LazyArticles(skeleton.order, load)

    def listed(at: tuple[int, ...]) -> LazyArticles:
        return LazyArticles(tuple(skeleton.order[i] for i in at), load)

    tags = tuple(Tag(name, slug, listed(at)) for name, slug, at in skeleton.tags)
    return Site(config, order, tags, bodies,
                authors=tuple(Author(name, slug, listed(at)) for name, slug, at in skeleton.authors),
                sections=sections_of(config, tags),
                related=RelatedStories(order, [at for _, _, at in skeleton.tags], config.related_stories,
                                       skeleton.translations),
                translations=Translations(order, skeleton.translations))


class _Loader:
    """Reads articles from the cache (or the changed ones), with the site-wide names of their
    tags and authors."""

    def __init__(self, cache: BuildCache, changed: dict[str, Article], tags: dict[str, TagRef],
                 authors: dict[str, AuthorRef], cached_as: Mapping[str, str]):
        self.cache, self.changed, self.cached_as = cache, changed, cached_as
        self.tags, self.authors = tags, authors
        self.loaded: dict[str, Article] = {}

    def __call__(self, paths: Sequence[str]) -> list[Article]:
        missing = [path for path in paths if path not in self.loaded]
        found = {path: self.changed[path] for path in missing if path in self.changed}
        if len(found) < len(missing):
            rows = self.cache.articles([path for path in missing if path not in found])
            found |= {path: article for path, (stat, _, article) in rows.items() if stat == self.cached_as.get(path)}
        try:
            self.loaded |= {path: with_site_names(article, self.tags, self.authors) for path, article in found.items()}
            return [self.loaded[path] for path in paths]
        except KeyError as exc:  # gone from the cache, or a tag or author the skeleton does not know
            raise MissingArticle(str(exc)) from None
