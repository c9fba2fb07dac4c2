"""Render the site's HTML pages: Site → OutputFiles (path, key, render). Nothing here touches
the disk; a page is rendered only when the writer asks, i.e. when its key is new."""
from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, is_dataclass
from functools import partial
from itertools import groupby
from typing import Any

import jinja2
from markupsafe import Markup

from ..core.errors import TemplateError
from ..core.links import page_relative, rewrite_urls, root_of
from ..core.model import Article, ArticleList, OutputFile, Site, TagSummary, month_of, positions
from ..incremental.changes import Changes
from ..incremental.output_keys import Fingerprinter
from .feed_urls import FeedLink, feed_links
from .share_cards import ShareCard, article_card, site_card


@dataclass(frozen=True)
class PageInfo:
    """What base.html needs to know about the page it lays out."""

    title: str | None
    description: str
    canonical: str
    site_feeds: tuple[FeedLink, ...]
    tag_feeds: tuple[FeedLink, ...]  # a tag page's own feeds
    lang: str
    card: ShareCard  # Open Graph, Twitter card and JSON-LD

    @property
    def feeds(self) -> tuple[FeedLink, ...]:
        """Every feed the page announces in its <head>."""
        return self.site_feeds + self.tag_feeds


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
    renderer = _Renderer(site, env)
    return [
        OutputFile(path, fingerprint.key(template, title, context, _body_digest(context)),
                   partial(renderer.render, path, template, title, context))
        for path, template, title, context in _pages_reached(site, changes)
    ]


# A page to render: its path, template, title and the template's context.
_Page = tuple[str, str, str | None, dict[str, Any]]


def _pages_reached(site: Site, changes: Changes | None) -> Iterable[_Page]:
    if changes is None:
        return _page_list(site)
    if changes.bodies_only:
        return _article_pages(site, changes.paths)
    return (page for page in _page_list(site) if _holds(page[3], changes.paths))


def _holds(value: Any, paths: frozenset[str]) -> bool:
    """True if the data holds an article from one of these content files, at any depth."""
    kind = type(value)
    if kind is Article:
        return value.source_path in paths
    if kind is tuple or kind is list:
        return any(_holds(item, paths) for item in value)
    if kind is dict:
        return any(_holds(item, paths) for item in value.values())
    if is_dataclass(value):
        return any(_holds(item, paths) for item in vars(value).values())
    return False


def _body_digest(context: dict[str, Any]) -> str:
    """The digest of the body a page shows: an article page's, none for a list."""
    return context["article"].digest if "article" in context else ""


def _page_list(site: Site) -> Iterator[_Page]:
    """Yield (output path, template, page title, template context) for every page."""
    yield from _paginated(site, "", "index.html", None, site.articles, {})
    yield from _article_pages(site)
    yield "tags/index.html", "tags.html", "Tags", {"tags": [tag.summary for tag in site.tags]}
    for tag in site.tags:
        yield from _paginated(site, tag.path, "tag.html", tag.name, tag.articles, {"tag": tag.summary})
    yield from _archive_pages(site.articles, site.config.timezone)
    yield "404.html", "404.html", "Page not found", {}


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
        }
        yield article.path + "index.html", "article.html", article.title, context


def _paginated(site: Site, base: str, template: str, title: str | None,
               articles: ArticleList, extra: dict[str, Any]) -> Iterator[_Page]:
    """Yield one page per `per_page` articles: base/index.html, base/page/2/index.html, …"""
    per_page = site.config.per_page
    count = max(1, -(-len(articles) // per_page))
    for number in range(1, count + 1):
        pager = Pager(number, count, _page_path(base, number - 1) if number > 1 else None,
                      _page_path(base, number + 1) if number < count else None)
        chunk = articles[(number - 1) * per_page: number * per_page]
        page_title = title if number == 1 else f"{title or site.config.title} (page {number})"
        yield (_page_path(base, number) + "index.html", template, page_title,
               {**extra, "articles": chunk, "pager": pager})


def _page_path(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def _archive_pages(articles: ArticleList, timezone: str) -> Iterator[_Page]:
    """Yield the archive's index of months and a page per month: a title edit re-renders one
    month, not a page of every article (10 MB and a quarter of a second at 10,000)."""
    months = archive_months(articles, timezone)
    links = [MonthLink(m.year, m.month, m.name, f"archive/{m.year}/{m.month:02}/") for m in months]
    years = [YearGroup(year, [MonthCount(**vars(link), count=len(month.articles)) for link, month in group])
             for year, group in groupby(zip(links, months), key=lambda pair: pair[0].year)]
    yield "archive/index.html", "archive.html", "Archive", {"archive": years}
    for i, (link, month) in enumerate(zip(links, months)):
        yield (link.path + "index.html", "archive_month.html", f"{month.name} {month.year}",
               {"month": month, "newer": links[i - 1] if i > 0 else None,
                "older": links[i + 1] if i + 1 < len(links) else None})


def archive_months(articles: ArticleList, timezone: str) -> list[MonthGroup]:
    """Group newest-first articles by month, in the site's time zone: the months of the feeds'
    archive documents (feeds.py), which live next to these pages."""
    return [MonthGroup(year, month, calendar.month_name[month], tuple(in_month))
            for (year, month), in_month in groupby(articles, key=partial(month_of, timezone=timezone))]


class _Renderer:
    """Renders pages with what every page shares: the site, its feeds, links relative to it."""

    def __init__(self, site: Site, env: jinja2.Environment):
        self.site, self.env = site, env
        self.site_feeds = feed_links(site, None)

    def render(self, path: str, template_name: str, title: str | None, context: dict[str, Any]) -> bytes:
        root = self._root(path)
        context = {**context, "site": self.site.config, "root": root, "link": _linker(root),
                   "page": self._page_info(path, title, context)}
        if "article" in context:
            body = rewrite_urls(self.site.bodies[context["article"].source_path], page_relative(root))
            context["body"] = Markup(body)
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
        tag: TagSummary | None = context.get("tag")
        article: Article | None = context.get("article")
        # never empty: search engines and share cards show it (the title when there is nothing better)
        description = ((article.summary or article.title) if article else
                       f"Articles tagged {tag.name} on {config.title}" if tag else config.description or config.title)
        canonical = config.absolute(path.removesuffix("index.html"))
        tag_feeds = feed_links(self.site, tag) if tag else ()
        card = (article_card(article, config, canonical, description) if article
                else site_card(config, title, canonical, description, home=path == "index.html"))
        return PageInfo(title, description, canonical, self.site_feeds, tag_feeds, config.language, card)


def _linker(root: str) -> Callable[[str], str]:
    def link(path: str) -> str:
        return path if "://" in path or path.startswith(("#", "mailto:")) else root + path.lstrip("/")
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
