"""Render the site's HTML pages: Site → OutputFiles (path, key, render). Nothing here touches
the disk; a page is rendered only when the writer asks, i.e. when its key is new."""
from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import groupby
from typing import Any

import jinja2
from markupsafe import Markup

from ..core.errors import TemplateError
from ..core.links import iri_to_uri, page_relative, relative_linker, rewrite_urls, root_of
from ..core.model import (
    Article,
    ArticleList,
    OutputFile,
    Site,
    SiteConfig,
    TagRef,
    TagSummary,
    direction_of,
    language_of,
    month_of,
    positions,
    source_paths,
)
from ..core.names import SEARCH_PAGE
from ..incremental.changes import Changes
from ..incremental.output_keys import Fingerprinter
from .feed_urls import FeedLink, feed_links
from .images import pictures_of
from .locale_format import month_and_year
from .localized import catalogs_of
from .month_spans import MonthSpans
from .search_shards import search_shards, shard_folder
from .share_cards import ShareCard, article_card, site_card

# The theme's words in the site's language, for the titles and descriptions made here
Words = Callable[..., Markup]


@dataclass(frozen=True)
class PageInfo:
    """What base.html needs to know about the page it lays out."""

    title: str | None
    description: str
    canonical: str
    site_feeds: tuple[FeedLink, ...]
    tag_feeds: tuple[FeedLink, ...]  # a tag's or an author's page's own feeds
    lang: str  # the page's language: an article's own, else the site's (its words and dates)
    direction: str  # the site's: 'rtl' lays out the page's chrome right to left
    card: ShareCard  # Open Graph, Twitter card and JSON-LD
    sections: tuple[TagRef, ...] = ()  # the header navigation's sections, in site.toml's order
    section: str | None = None  # the path of the section the page is in
    section_page: bool = False  # the page is its section's own (first) page
    # an article's page and its translations' (hreflang, absolute URL), itself among them
    alternates: tuple[tuple[str, str], ...] = ()

    @property
    def feeds(self) -> tuple[FeedLink, ...]:
        """Every feed the page announces in its <head>."""
        return self.site_feeds + self.tag_feeds

    def current(self, section: TagRef) -> str | None:
        """Return the aria-current of a section's link: "page" on its own page, "true" on a
        page in it (an article tagged with it, a later page of its list), else None."""
        if section.path != self.section:
            return None
        return "page" if self.section_page else "true"

    def kicker(self, tags: tuple[TagRef, ...], listed: str = "") -> TagRef | None:
        """Return the tag a story's card is labelled with, as news fronts label stories: its
        first section, else its first tag; never the tag the list is of (`listed`, a path)."""
        sections, first = self.section_paths, None
        for tag in tags:  # one pass, nothing made: a tenth of a card's time was a list and a generator
            path = tag.path
            if path == listed:
                continue
            if path in sections:
                return tag
            if first is None:
                first = tag
        return first

    @cached_property  # asked for every card of the page: tens of thousands a build
    def section_paths(self) -> frozenset[str]:
        return frozenset(section.path for section in self.sections)


@dataclass(frozen=True)
class Pager:
    """Where a page of a paginated list is; paths are site-relative."""

    number: int
    count: int
    prev_path: str | None  # newer articles
    next_path: str | None  # older articles


@dataclass(frozen=True)
class MonthLink:
    """A month of the archive: its name and its page (site-relative)."""

    year: int
    month: int
    name: str
    path: str


@dataclass(frozen=True)
class MonthCount(MonthLink):
    count: int  # articles that month


@dataclass(frozen=True)
class YearGroup:
    year: int
    months: list[MonthCount]  # newest first


@dataclass(frozen=True)
class SectionBlock:
    """A section on the front page: its tag and newest stories."""

    tag: TagRef
    articles: tuple[Article, ...]


# How many of each section's newest stories the front page shows.
SECTION_STORIES = 3
# How many links _linker keeps for the pages of one depth and folder: the chrome's and the most
# linked stories', in a few hundred kilobytes a rendering process.
_MEMO_LINKS = 2048


@dataclass(frozen=True)
class MonthGroup:
    """A month's archive page: its articles, newest first."""

    year: int
    month: int
    name: str
    articles: tuple[Article, ...]


def render_pages(site: Site, env: jinja2.Environment, fingerprint: Fingerprinter,
                 changes: Changes | None = None) -> list[OutputFile]:
    """Return every HTML page of the site, to be rendered on demand; with `changes`, just the
    pages they reach: those that show the changed articles' bodies, or (when fields changed
    too) every page whose data holds a changed article."""
    words = _words(env, site.config.language)
    renderer = _Renderer(site, env, words)
    # Every page shows the sections in its header: their names and links are in every key
    return [
        OutputFile(path, fingerprint.key(template, title, context, _body_digest(context), renderer.sections),
                   partial(renderer.render, path, template, title, context))
        for path, template, title, context in _titled(_pages_reached(site, changes, words))
    ]


def _words(env: jinja2.Environment, language: str) -> Words:
    """Return the theme's words in the language: words('page_title', title=…, number=2)."""
    catalogs = catalogs_of(env)
    return lambda key, **values: catalogs.text(key, language, values)


# A page to render: its path, template, title and the template's context. A list's later
# pages ("Iran (page 3)") are titled only once planned: a title edit looks at 4,000 of them
# and plans a few.
_Page = tuple[str, str, str | None | Callable[[], str], dict[str, Any]]


def _titled(pages: Iterable[_Page]) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
    for path, template, title, context in pages:
        yield path, template, title() if callable(title) else title, context


def _pages_reached(site: Site, changes: Changes | None, words: Words) -> Iterable[_Page]:
    if changes is None:
        return _page_list(site, words)
    if changes.bodies_only:
        return _article_pages(site, changes.paths)
    return _page_list(site, words, changes.paths)


def _showing(site: Site, paths: frozenset[str]) -> frozenset[str]:
    """Return the content files whose article pages show an article from `paths`, when no
    article moved: those articles, their neighbours (newer, older), their translations, and
    the articles that list one among their related stories (all of which share a tag with
    it). Found from positions: a title edit loads the articles of these pages, not 10,000."""
    order = source_paths(site.articles)
    at = positions(site.articles, paths)
    near = {order[j] for i in at for j in (i - 1, i + 1) if 0 <= j < len(order)}
    translated = {t.source_path for path in paths for t in site.translations.get(path, ())}
    tagged = {path for members in (source_paths(tag.articles) for tag in site.tags) if not paths.isdisjoint(members)
              for path in members}
    listing = {path for path in tagged if not paths.isdisjoint(source_paths(site.related.get(path, ())))}
    return paths | near | translated | listing


def _body_digest(context: dict[str, Any]) -> str:
    """The digest of the body a page shows: an article page's, none for a list."""
    return context["article"].digest if "article" in context else ""


def _page_list(site: Site, words: Words, reach: frozenset[str] | None = None) -> Iterator[_Page]:
    """Yield (output path, template, page title, template context) for every page; with
    `reach` (content files whose fields changed, no article moved), only the pages that show
    one of their articles, found from positions."""
    yield from _front_pages(site, words, reach)
    yield from _article_pages(site, None if reach is None else _showing(site, reach))
    if reach is None:
        yield "tags/index.html", "tags.html", words("tags"), {"tags": [tag.summary for tag in site.tags]}
    for tag in site.tags:
        yield from _paginated(site, tag.path, "tag.html", tag.name, tag.articles, {"tag": tag.summary}, words,
                              _numbers(site, tag.articles, reach))
    if reach is None:
        yield "authors/index.html", "authors.html", words("authors"), {"authors": [author.summary for author in site.authors]}
    for author in site.authors:
        yield from _paginated(site, author.path, "author.html", author.name, author.articles,
                              {"author": author.summary}, words, _numbers(site, author.articles, reach))
    if reach is not None:  # no other page shows an article
        yield from _month_pages_showing(site.articles, site.config, reach)
        return
    yield from _archive_pages(site.articles, site.config, words)
    yield "404.html", "404.html", words("not_found"), {}
    if site.config.search:
        shards = search_shards(site.articles, site.config.timezone)
        yield SEARCH_PAGE, "search.html", words("search"), {"bundles": [shard_folder(name) for name in shards]}


def _front_pages(site: Site, words: Words, reach: frozenset[str] | None) -> Iterator[_Page]:
    """Yield the front page's pages (with `reach`, those that show one of its articles): the
    first shows each section's newest stories too."""
    numbers = _numbers(site, site.articles, reach)
    if reach is not None and numbers is not None and any(
            not reach.isdisjoint(source_paths(tag.articles)[:SECTION_STORIES]) for tag in site.sections):
        numbers.add(1)
    for path, template, title, context in _paginated(site, "", "index.html", None, site.articles, {}, words, numbers):
        yield path, template, title, _with_sections(site, context) if path == "index.html" else context


def _numbers(site: Site, articles: ArticleList, reach: frozenset[str] | None) -> set[int] | None:
    """Return the numbers of a list's pages that hold an article from `reach` (None: all)."""
    if reach is None:
        return None
    return {i // site.config.per_page + 1 for i in positions(articles, reach)}


def _with_sections(site: Site, context: dict[str, Any]) -> dict[str, Any]:
    """Return the front page's context with its section blocks and their pictures."""
    blocks = _section_blocks(site)
    section_images = pictures_of(site.images, (a for block in blocks for a in block.articles))
    return {**context, "sections": blocks, "images": {**context["images"], **section_images}}


def _article_pages(site: Site, only: frozenset[str] | None = None) -> Iterator[_Page]:
    """Yield the page of each article (of those from the `only` content files, if given)."""
    articles = site.articles
    at = range(len(articles)) if only is None else positions(articles, only)
    for i in at:
        article = articles[i]
        context = {
            "article": article,
            "newer": articles[i - 1] if i > 0 else None,
            "older": articles[i + 1] if i + 1 < len(articles) else None,
            # worked out in the model stage: the page's key holds them, so an edit that changes
            # them (or their titles) renders this page again
            "related": tuple(site.related.get(article.source_path, ())),
            "translations": tuple(site.translations.get(article.source_path, ())),
            # its lead image's renditions: in the context, so the page's key holds them
            "images": pictures_of(site.images, [article]),
        }
        yield article.path + "index.html", "article.html", article.title, context


def _paginated(site: Site, base: str, template: str, title: str | None, articles: ArticleList,
               extra: dict[str, Any], words: Words, numbers: set[int] | None = None) -> Iterator[_Page]:
    """Yield one page per `per_page` articles: base/index.html, base/page/2/index.html, …
    (those of the given `numbers` only)."""
    per_page = site.config.per_page
    count = max(1, -(-len(articles) // per_page))
    for number in range(1, count + 1) if numbers is None else sorted(numbers):
        pager = Pager(number, count, _page_path(base, number - 1) if number > 1 else None,
                      _page_path(base, number + 1) if number < count else None)
        chunk = articles[(number - 1) * per_page: number * per_page]
        page_title = title if number == 1 else partial(words, "page_title", title=title or site.config.title, number=number)
        yield (_page_path(base, number) + "index.html", template, page_title,
               {**extra, "articles": chunk, "pager": pager, "images": pictures_of(site.images, chunk)})


def _section_blocks(site: Site) -> tuple[SectionBlock, ...]:
    """Return the front page's block of each section: its newest few stories."""
    return tuple(SectionBlock(TagRef(tag.name, tag.slug), tuple(tag.articles[:SECTION_STORIES]))
                 for tag in site.sections)


def _page_path(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def _archive_pages(articles: ArticleList, config: SiteConfig, words: Words) -> Iterator[_Page]:
    """Yield the archive's index of months and a page per month: a title edit re-renders one
    month, not a page of every article (10 MB and a quarter of a second at 10,000)."""
    months = archive_months(articles, config.timezone)
    links = [_month_link(m.year, m.month) for m in months]
    years = [YearGroup(year, [MonthCount(**vars(link), count=len(month.articles)) for link, month in group])
             for year, group in groupby(zip(links, months), key=lambda pair: pair[0].year)]
    yield "archive/index.html", "archive.html", words("archive"), {"archive": years}
    for i, month in enumerate(months):
        yield _month_page(month, links[i - 1] if i > 0 else None, links[i + 1] if i + 1 < len(links) else None, config)


def _month_pages_showing(articles: ArticleList, config: SiteConfig, reach: frozenset[str]) -> Iterator[_Page]:
    """Yield the archive's month pages that hold an article from `reach`, found by bisection
    (month_spans.py): the articles of those months are loaded, not the archive's."""
    months = MonthSpans(articles, config.timezone)
    for start, end in months.spans(positions(articles, reach)):
        year, month = months.month(start)
        yield _month_page(MonthGroup(year, month, calendar.month_name[month], tuple(articles[start:end])),
                          _month_link(*months.month(start - 1)) if start else None,
                          _month_link(*months.month(end)) if end < len(articles) else None, config)


def _month_link(year: int, month: int) -> MonthLink:
    return MonthLink(year, month, calendar.month_name[month], f"archive/{year}/{month:02}/")


def _month_page(month: MonthGroup, newer: MonthLink | None, older: MonthLink | None, config: SiteConfig) -> _Page:
    return (f"archive/{month.year}/{month.month:02}/index.html", "archive_month.html",
            month_and_year(month.year, month.month, config.language), {"month": month, "newer": newer, "older": older})


def archive_months(articles: ArticleList, timezone: str) -> list[MonthGroup]:
    """Group newest-first articles by month, in the site's time zone: the months of the feeds'
    archive documents (feeds.py), which live next to these pages."""
    return [MonthGroup(year, month, calendar.month_name[month], tuple(in_month))
            for (year, month), in_month in groupby(articles, key=partial(month_of, timezone=timezone))]


class _Renderer:
    """Renders pages with what every page shares: the site, its feeds, links relative to it."""

    def __init__(self, site: Site, env: jinja2.Environment, words: Words):
        self.site, self.env, self.words = site, env, words
        self.site_feeds = feed_links(site, None)
        self.sections = tuple(TagRef(tag.name, tag.slug) for tag in site.sections)
        self.section_paths = frozenset(section.path for section in self.sections)
        self.links: dict[tuple[str, str], dict[str, str]] = {}  # _linker's

    def render(self, path: str, template_name: str, title: str | None, context: dict[str, Any]) -> bytes:
        root = self._root(path)
        context = {**context, "site": self.site.config, "root": root, "link": _linker(root, path, self.links),
                   "page": self._page_info(path, title, context)}
        article: Article | None = context.get("article")
        if article is not None:
            body = self.site.bodies[article.source_path]
            context["body"] = Markup(rewrite_urls(body, page_relative(root)) if article.rooted_body else body)
        try:
            return self.env.get_template(template_name).render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template '{exc.name}' not found in templates/ or the default theme") from exc
        except Exception as exc:  # an error inside a template: name the template and line
            raise TemplateError(f"{_template_location(exc, template_name)}: {exc} "
                                f"(while rendering {path})") from exc

    def _root(self, path: str) -> str:
        if path == "404.html":  # served for a missing URL at any depth, so no relative links
            return self.site.config.base_path
        return root_of(path)

    def _page_info(self, path: str, title: str | None, context: dict[str, Any]) -> PageInfo:
        config = self.site.config
        listing: TagSummary | None = context.get("tag") or context.get("author")
        article: Article | None = context.get("article")
        # never empty: search engines and share cards show it (the title when there is nothing better)
        description = ((article.summary or article.title) if article else
                       self._listing_description(context) if listing else config.description or config.title)
        canonical = config.absolute(path.removesuffix("index.html"))
        tag_feeds = feed_links(self.site, listing) if listing else ()
        lang = language_of(article, config.language) if article else config.language
        translated = [(language_of(t, config.language), config.absolute(t.path)) for t in context.get("translations", ())]
        card = (article_card(article, config, canonical, description, context["images"].get(article.image),
                             [language for language, _ in translated])
                if article
                else site_card(config, title, canonical, description, home=path == "index.html"))
        section, own = self._section_of(context)
        # hreflang links name the page itself too, as search engines ask
        alternates = tuple(sorted([(lang, canonical), *translated], key=lambda pair: pair[0].casefold())) if translated else ()
        return PageInfo(title, description, canonical, self.site_feeds, tag_feeds, lang, direction_of(config.language),
                        card, self.sections, section, own, alternates)

    def _listing_description(self, context: dict[str, Any]) -> str:
        """Return a tag's or an author's page's description, in the site's words."""
        if "author" in context:
            return self.words("author_description", author=context["author"].name, site=self.site.config.title)
        return self.words("tag_description", tag=context["tag"].name, site=self.site.config.title)

    def _section_of(self, context: dict[str, Any]) -> tuple[str | None, bool]:
        """Return the path of the section a page is in, and whether it is the section's own
        page: a section's tag pages are in it, and so is an article tagged with it (its first
        such tag)."""
        tag: TagSummary | None = context.get("tag")
        if tag is not None:
            in_section = tag.path in self.section_paths
            return (tag.path, context["pager"].number == 1) if in_section else (None, False)
        article: Article | None = context.get("article")
        paths = [t.path for t in article.tags if t.path in self.section_paths] if article else []
        return (paths[0], False) if paths else (None, False)


def _linker(root: str, page: str, memos: dict[tuple[str, str], dict[str, str]]) -> Callable[[str], str]:
    """Return the templates' link(): a site path as a link from the page, relative (an absolute
    root, the 404 page's, is kept: that page is served at any depth); URLs as they are.
    `memos`: the links already made, kept across the pages of a build."""
    relative = relative_linker(page) if root.startswith(".") else lambda path: root + iri_to_uri(path)
    folders = page.split("/")[:-1]
    first = folders[0] + "/" if folders else None
    # A link to a path outside the page's first folder is the same from every page as deep in
    # that folder (every article's link to the style sheet, the sections, the tags it has): made
    # once, not for each of the 25 to 50 links of each of 15,000 pages. A link within the folder
    # depends on the folders shared (relative_linker) and is made each time.
    memo = memos.setdefault((root, first or ""), {})

    def link(path: str) -> str:
        way = memo.get(path)
        if way is None:
            target = path.lstrip("/")
            way = path if "://" in path or path.startswith(("#", "mailto:")) else relative(target)
            if (first is None or not target.startswith(first)) and len(memo) < _MEMO_LINKS:
                memo[path] = way
        return way
    return link


def _template_location(exc: Exception, fallback: str) -> str:
    """Return 'template:line' of the innermost template frame of a traceback."""
    tb, where = exc.__traceback__, fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
