"""`site-builder check`: check a built site as a publisher would before pushing it.

    check_site(output/, config) → CheckReport(problems, pages, feeds)

It reads output/ only (never the sources), as the site will be served at `base_url`: a
project site under its sub-path (/repo/), with GitHub Pages' rules for addresses (`x/` is
x/index.html, `x` is x, x/index.html or x.html). It checks that

- every link, image, script and stylesheet of every page resolves to a file of the site,
  and every #anchor to an id on its page; a link that leaves the sub-path is a problem, since
  GitHub Pages answers it with a 404 (other sites' links are not followed: no network);
- every feed parses and follows the feed rules (check_feeds.py);
- sitemap.xml lists every article and nothing that does not exist or redirects, and
  news-sitemap.xml only articles' pages;
- no page is orphaned: every page can be reached from the home page by following links;
- every redirect page (an article's old address, redirects.py) leads, redirect by
  redirect, to a page of the site; redirect pages need no link to them;
- a site GitHub Pages publishes (base_url on github.io, or a CNAME file) fits its 1 GB: over
  it is a problem (Pages refuses to publish it), over 80% of it a warning (issue #15).

Every problem is reported with the file (and line) it is in; none stops the others.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..build.run import GITHUB_PAGES_LIMIT
from ..core.config import SHRINKING_SETTINGS
from ..core.errors import SiteError
from ..core.model import Progress, SiteConfig, no_progress
from ..core.names import NEWS_SITEMAP, STATIC_DIR
from .served import Page, Problem, SiteFiles, parse_page

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_ARTICLE_PAGE = re.compile(r"articles/[^/]+/index\.html")
NEAR_PAGES_LIMIT = 0.8  # the share of GitHub Pages' 1 GB from which `check` warns


@dataclass
class CheckReport:
    """Every problem found, and how much was checked."""

    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    feeds: int = 0
    warnings: list[str] = field(default_factory=list)  # not problems: the site works as it is


def check_site(output_dir: Path, config: SiteConfig, site_dir: Path | None = None,
               progress: Progress = no_progress) -> CheckReport:
    """Check the built site in output_dir as published at config.base_url; with site_dir,
    pages copied from its static/ folder are not expected to be linked."""
    from .check_feeds import check_feeds

    if not (output_dir / "index.html").is_file():
        raise SiteError(f"{output_dir} holds no built site (no index.html): run `site-builder build` first")
    site = SiteFiles(output_dir, config.base_url)
    html = [rel for rel in sorted(site.files) if rel.endswith(".html")]
    pages = {}
    for done, rel in enumerate(html, 1):
        pages[rel] = parse_page((output_dir / rel).read_bytes())
        if done % 200 == 0 or done == len(html):
            progress("pages", done, len(html))
    problems = link_problems(pages, site) + redirect_problems(pages, site)
    static = site_dir / STATIC_DIR if site_dir else None
    problems += orphan_problems(pages, site, lambda rel: bool(static and (static / rel).is_file()))
    feed_problems, feeds = check_feeds(site, progress)
    problems += feed_problems
    problems += sitemap_problems(site, pages) + news_sitemap_problems(site, pages)
    size_problems, warnings = size_findings(site)
    problems += size_problems
    return CheckReport(sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message)), len(pages), feeds,
                       warnings)


def size_findings(site: SiteFiles, limit: int = GITHUB_PAGES_LIMIT) -> tuple[list[Problem], list[str]]:
    """Return a problem if GitHub Pages would refuse the site (over `limit`, its 1 GB), else a
    warning if it is over NEAR_PAGES_LIMIT of it; nothing for a site not on GitHub Pages (its
    base_url is not on github.io and there is no CNAME file)."""
    host = urlsplit(site.base_url).hostname or ""
    if not (host == "github.io" or host.endswith(".github.io") or "CNAME" in site.files):
        return [], []
    size = sum((site.root / rel).stat().st_size for rel in site.files)
    where = f"the site is {size / 1e6:,.0f} MB in {len(site.files):,} files"
    shrink = f"see 'Size' in the README for the settings that shrink it ({SHRINKING_SETTINGS})"
    if size > limit:
        return [Problem("", None, f"{where}: GitHub Pages refuses sites over {limit / 1e9:g} GB; {shrink}")], []
    if size > NEAR_PAGES_LIMIT * limit:
        return [], [f"{where}, {size / limit:.0%} of the {limit / 1e9:g} GB GitHub Pages publishes; {shrink}"]
    return [], []


def link_problems(pages: dict[str, Page], site: SiteFiles) -> list[Problem]:
    """Return a problem for every link of every page that does not resolve."""
    problems = []
    for rel, page in pages.items():
        for link in page.links:
            message = link_problem(site.url_of(rel), link.url, site, pages, rel)
            if message:
                problems.append(Problem(rel, link.line, message))
    return problems


def link_problem(page_url: str, link: str, site: SiteFiles, pages: dict[str, Page], here: str) -> str | None:
    """Return what is wrong with a link on a page at page_url, or None if it resolves."""
    if not link or link.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    url = urljoin(page_url, link)
    if not site.is_internal(url):
        return None  # another site: not checked (it needs the network)
    target, why = site.locate(url)
    if target is None:
        return f"broken link {link!r}: {why}"
    fragment = unquote(urlsplit(url).fragment)
    if fragment and fragment != "top" and target in pages and fragment not in pages[target].ids:
        page = "this page" if target == here else target
        return f"broken anchor {link!r}: {page} has no element with id {fragment!r}"
    return None


def orphan_problems(pages: dict[str, Page], site: SiteFiles,
                    from_static: Callable[[str], bool]) -> list[Problem]:
    """Return a problem for every page no chain of links from the home page reaches. The
    404 page and pages copied as they are from the site's static/ folder are exempt."""
    reached, queue = {"index.html"}, deque(["index.html"])
    while queue:
        rel = queue.popleft()
        for link in pages[rel].links:
            url = urljoin(site.url_of(rel), link.url)
            if site.is_internal(url):
                target, _ = site.locate(url)
                if target in pages and target not in reached:
                    reached.add(target)
                    queue.append(target)
    return [Problem(rel, None, "orphaned page: no chain of links from the home page leads here")
            for rel, page in pages.items()
            if rel not in reached and rel != "404.html" and not page.refresh and not from_static(rel)]


def redirect_problems(pages: dict[str, Page], site: SiteFiles) -> list[Problem]:
    """Return a problem for every redirect page that does not lead, redirect by redirect, to
    a page that stays (a missing page is link_problems' to report)."""
    problems = []
    for rel, page in pages.items():
        seen, here = [rel], page
        while here.refresh is not None:
            target, _ = site.locate(urljoin(site.url_of(seen[-1]), here.refresh.url))
            if target is None or target not in pages:
                break
            if target in seen:
                problems.append(Problem(rel, page.refresh.line if page.refresh else None,
                                        f"redirects in a loop: {' → '.join([*seen, target])}"))
                break
            seen.append(target)
            here = pages[target]
    return problems


def sitemap_problems(site: SiteFiles, pages: dict[str, Page]) -> list[Problem]:
    """Return a problem for every article sitemap.xml leaves out and every address it lists
    that does not exist or redirects; and check that robots.txt points at it."""
    name = "sitemap.xml"
    if name not in site.files:
        return [Problem(name, None, "missing: search engines find the pages by it")]
    try:
        root = ET.parse(site.root / name).getroot()
    except ET.ParseError as exc:
        return [Problem(name, exc.position[0], f"not well-formed XML: {exc}")]
    problems, listed = [], set()
    for loc in root.iter(SITEMAP_NS + "loc"):
        url = (loc.text or "").strip()
        target, why = site.locate(url) if url.startswith(site.base_url) else (None, f"it is not under {site.base_url}")
        if target is None:
            problems.append(Problem(name, None, f"lists {url}, but {why}"))
        elif target in pages and pages[target].refresh:
            problems.append(Problem(name, None, f"lists {url}, but it is a redirect: list the page it leads to"))
        listed.add(target)
    for rel in sorted(site.files):
        if _ARTICLE_PAGE.fullmatch(rel) and rel not in listed and not (rel in pages and pages[rel].refresh):
            problems.append(Problem(name, None, f"does not list the article {site.url_of(rel.removesuffix('index.html'))}"))
    robots = site.root / "robots.txt"
    if robots.is_file():
        lines = robots.read_text(encoding="utf-8", errors="replace").splitlines()
        pointers = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
        for url in pointers:
            target, why = site.locate(url) if site.is_internal(url) else (None, "it is on another site")
            if target not in (name, NEWS_SITEMAP):
                problems.append(Problem("robots.txt", None, f"points search engines at {url}, but {why or 'that is not the sitemap'}"))
    return problems


def news_sitemap_problems(site: SiteFiles, pages: dict[str, Page]) -> list[Problem]:
    """Return a problem for every address news-sitemap.xml lists that is not an article's page."""
    if NEWS_SITEMAP not in site.files:
        return []
    try:
        root = ET.parse(site.root / NEWS_SITEMAP).getroot()
    except ET.ParseError as exc:
        return [Problem(NEWS_SITEMAP, exc.position[0], f"not well-formed XML: {exc}")]
    problems = []
    for loc in root.iter(SITEMAP_NS + "loc"):
        url = (loc.text or "").strip()
        target, why = site.locate(url) if url.startswith(site.base_url) else (None, f"it is not under {site.base_url}")
        if target is None or not _ARTICLE_PAGE.fullmatch(target) or target not in pages or pages[target].refresh:
            problems.append(Problem(NEWS_SITEMAP, None, f"lists {url}, but {why or 'that is not an article page'}"))
    return problems


