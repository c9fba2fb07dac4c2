"""The data a build passes from stage to stage: plain frozen dataclasses, no behaviour but
derived names.

    SiteConfig   site.toml, validated                       (config.py declares and makes it)
    LeadImage    a picture of static/ an article leads with  (build/images.py reads it)
    Article      one content file, parsed and rendered      (content.py makes it)
    Tag          one tag, with the articles that carry it    (collect.py makes it)
    Author       one author, with the articles they signed   (collect.py makes it)
    Site         everything a render needs, in final order   (collect.py makes it)
    ArticleList  a site's or a tag's articles, newest first: a tuple, or read on demand
"""
from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, TypeAlias, overload

# SiteConfig's fields are site.toml's schema, so config.py declares it; it is one of the
# model's records all the same, and is imported from here (an explicit re-export, for mypy)
from .config import SiteConfig as SiteConfig  # noqa: PLC0414

RTL_LANGUAGES = frozenset({"ar", "arc", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})


def direction_of(language: str) -> str:
    """Return 'rtl' for a language tag of a right-to-left language ('ar', 'fa-IR'), else 'ltr'."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=65536)  # a site names the same few hundred tags tens of thousands of times
def tag_key(name: str) -> str:
    """Return what makes two tag names the same tag: case, spacing and Unicode normal form
    ("Café" typed or pasted as "Cafe" + U+0301) do not count."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", " ".join(name.split())).casefold())


@dataclass(frozen=True)
class TagRef:
    """A tag as an article names it: display name and URL slug."""

    name: str
    slug: str
    folder: ClassVar[str] = "tags"  # where its pages and feeds are
    listing: ClassVar[str] = "Articles tagged {}"  # what its page and feeds hold

    # Worked out once, when made: a build asks tags and authors for it hundreds of thousands of
    # times (the links and kickers of 15,000 pages). Set in every one alike (output keys read a
    # tag's fields), and left out of its repr and equality.
    path: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", f"{self.folder}/{self.slug}/")

    @property
    def described(self) -> str:
        """What its page and feeds list, in words: "Articles tagged Iran"."""
        return self.listing.format(self.name)


class _ByAuthor:
    """An author is named, placed and listed as a tag is, under authors/ (issue #16)."""

    folder: ClassVar[str] = "authors"
    listing: ClassVar[str] = "Articles by {}"


@dataclass(frozen=True)
class AuthorRef(_ByAuthor, TagRef):
    """An author as an article's byline names them: display name and URL slug."""


@dataclass(frozen=True)
class Article:
    """One article: its front-matter fields (the body is apart: Site.bodies)."""

    source_path: str  # relative to the site root, with forward slashes
    title: str
    slug: str
    date: dt.datetime  # timezone-aware
    updated: dt.datetime | None
    tags: tuple[TagRef, ...]
    summary: str  # plain text
    authors: tuple[AuthorRef, ...]  # the byline: its own `author:`, else the site's author
    image: str | None  # a site-relative path or an absolute URL
    image_caption: str | None
    draft: bool
    source: str | None
    id: str  # the permanent entry id feeds use (any text: entry_ids.py)
    language: str | None
    guid_is_permalink: bool | None = None  # an imported RSS guid's isPermaLink, as its source said
    aliases: tuple[str, ...] = ()  # old addresses that redirect here ('old/story/', 'x.html')
    image_credit: str | None = None  # who made the lead image, shown apart from its caption
    image_alt: str | None = None  # the lead image's text alternative
    translation_key: str = ""  # shared by the articles that are one story in several languages
    extra: dict[str, Any] = field(default_factory=dict)  # unknown front-matter fields
    digest: str = ""  # identifies the source bytes and how they were parsed (sources.py)
    meta_digest: str = ""  # identifies the fields above, not the body: what list pages show
    layout_digest: str = ""  # identifies what places it on the site (changes.layout_of)
    # Its body has a URL each page rewrites (links.rewrite_urls: a site-root path, a URL that
    # runs code); most have none, and their pages show the body as the cache keeps it. Apart
    # from what list pages show (meta_digest, from the repr).
    rooted_body: bool = field(default=True, repr=False)

    @cached_property  # as TagRef.path: asked for by every card and link to the article
    def path(self) -> str:
        return f"articles/{self.slug}/"

    @property
    def last_modified(self) -> dt.datetime:
        return self.updated or self.date

    @property
    def direction(self) -> str:
        """'rtl' for an article in a right-to-left language, else 'ltr'."""
        return direction_of(self.language or "")


class MissingArticle(Exception):
    """An ArticleList read on demand could not load an article (the build cache no longer
    holds it): the build that renders it starts again, loading every article."""


ArticleList: TypeAlias = Sequence[Article]
"""The articles of a Site or a Tag, newest first. collect_site makes a tuple; a rebuild after
edits that move no article (incremental/last_build.py) makes a LazyArticles that reads each
article from the build cache when it is first read, so reading one (by index, slice or
iteration) may raise MissingArticle. Only its length and order are known without reading."""


class LazyArticles(ArticleList):
    """A list of articles that knows their content files and loads an article only when it
    is read (`load`: content files → their articles): an ArticleList whose reads may raise
    MissingArticle."""

    def __init__(self, paths: Sequence[str], load: Callable[[Sequence[str]], list[Article]]):
        self.paths, self._load = paths, load

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Article, ...]: ...

    def __getitem__(self, index: int | slice) -> Article | tuple[Article, ...]:
        if isinstance(index, slice):
            return tuple(self._load(self.paths[index]))
        return self._load([self.paths[index]])[0]


@dataclass(frozen=True)
class Tag(TagRef):
    """A tag with its articles, newest first."""

    articles: ArticleList

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def summary(self) -> TagSummary:
        """The tag as pages show it: without its articles, so a page that lists one tag's
        name and count does not change when an article of that tag is edited."""
        return TagSummary(self.name, self.slug, self.count)


@dataclass(frozen=True)
class TagSummary(TagRef):
    """A tag's name, URL slug and number of articles."""

    count: int


@dataclass(frozen=True)
class Author(_ByAuthor, Tag):
    """An author with their articles, newest first."""

    @property
    def summary(self) -> AuthorSummary:
        return AuthorSummary(self.name, self.slug, self.count)


@dataclass(frozen=True)
class AuthorSummary(_ByAuthor, TagSummary):
    """An author's name, URL slug and number of articles."""


@dataclass(frozen=True)
class Site:
    """Everything rendering needs: the config and the published articles, newest first."""

    config: SiteConfig
    articles: ArticleList
    tags: tuple[Tag, ...]  # sorted by name, case-insensitively
    # source path → the article's body as Markdown rendered it (links not yet rewritten per
    # page); read on demand, so a rebuild need not hold every body in memory
    bodies: Mapping[str, str] = field(default_factory=dict, compare=False)
    redirects: tuple[Redirect, ...] = ()  # old addresses of its articles (redirects.py)
    authors: tuple[Author, ...] = ()  # sorted by name, case-insensitively
    sections: tuple[Tag, ...] = ()  # site.toml's `sections`, in its order and spelling
    # source path → its related stories (content/related.py), worked out when first read
    related: Mapping[str, Sequence[Article]] = field(default_factory=dict, compare=False)
    # source path → its translations (content/translated_articles.py), by language
    translations: Mapping[str, Sequence[Article]] = field(default_factory=dict, compare=False)
    # site-relative path → the local lead images Pillow can process (build/images.py reads them)
    images: Mapping[str, LeadImage] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class LeadImage:
    """A picture in static/ that articles lead with, as read once: what its derived files
    (render/images.py) are made from."""

    path: str  # site-relative, as articles name it: 'images/tehran.jpg'
    digest: str  # of its bytes: the derived files' names and keys hold it
    width: int  # upright, EXIF orientation applied
    height: int
    alpha: bool  # it has transparency: its fallback is a PNG, not a JPEG


@dataclass(frozen=True)
class Redirect:
    """A page at an address an article no longer has, sending readers on to it."""

    path: str  # the output file: 'articles/old/index.html', 'news/story.html'
    target: str  # the article's page: 'articles/new/'
    alias_of: str | None = None  # the content file whose `aliases:` asked for it


def source_paths(articles: Sequence[Article]) -> Sequence[str]:
    """Return the articles' content files, without loading them if they are not loaded yet
    (a LazyArticles knows its paths)."""
    known = getattr(articles, "paths", None)
    return known if known is not None else [a.source_path for a in articles]


def language_of(article: Article, site_language: str) -> str:
    """Return the language an article is written in: its own, else the site's."""
    return article.language or site_language


def month_of(article: Article, timezone: str) -> tuple[int, int]:
    """Return the (year, month) of an article's date in the site's time zone: the month whose
    archive page and archive feeds hold it. (Its own offset could put an article dated
    2024-03-31T23:30-05:00 in March though it sorts among April's.)"""
    local = article.date.astimezone(zoneinfo.ZoneInfo(timezone))  # ZoneInfo caches its zones
    return local.year, local.month


def positions(articles: Sequence[Article], paths: frozenset[str]) -> list[int]:
    """Return where the articles from these content files are in the list (loading none)."""
    return [i for i, path in enumerate(source_paths(articles)) if path in paths]


class OutputFile(NamedTuple):  # a tuple: a build plans 22,000 of them at 10,000 articles
    """A file the build will write: where, the key of the data it shows, and how to render it
    (called only when no earlier build wrote the same key there)."""

    path: str
    key: str
    render: Callable[[], bytes]
    # Rendered first, in workers of its own (output/rendering.py): a picture's libraries keep
    # memory a page's rendering would otherwise add to
    heavy: bool = False


# A build reports its progress as (stage, done, total): the CLI draws a bar from it.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """Report nothing."""


class BuildResult(NamedTuple):
    """What a build produced, for the summary line."""

    articles: int
    tags: int
    pages: int
    feeds: int
    written: int
    unchanged: int
    output_dir: Path
    size: int = 0  # bytes in output_dir
    base_url: str = ""  # the site's address
    held: tuple = ()  # (content file, POSIX time) of each article left out until its date, soonest first
