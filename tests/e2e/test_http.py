"""The built site served over real HTTP, as GitHub Pages serves a project site: under
/repo/, with 404.html for any missing address. A crawler follows every link a visitor or a
feed reader could follow and checks that each one works."""
from __future__ import annotations

import http.client
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from conftest import BASE_URL, article, make_site, picture, urls_in
from serving import serving

from site_builder.build.run import build

PREFIX = urlsplit(BASE_URL).path  # "/repo/"


# --- the client (the server is tests/serving.py) ------------------------------------------

def get(origin: str, path: str) -> tuple[int, str, bytes]:
    """GET a path without following redirects; return status, content type and body."""
    parts = urlsplit(origin)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


# --- the crawler ----------------------------------------------------------------------------

def links_in_html(body: bytes) -> list[str]:
    """Every href, src, poster and srcset URL of an HTML document, as written."""
    return urls_in(body.decode("utf-8"))


def links_in_feed(body: bytes) -> list[str]:
    """The links of a feed: its own, each entry's, and every href/src in entry content."""
    feed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    links = [link.href for link in feed.feed.get("links", [])]
    for entry in feed.entries:
        links += [link.href for link in entry.get("links", [])]
        for content in entry.get("content", []):
            links += links_in_html(content.value.encode("utf-8"))
    return links


@dataclass
class Crawl:
    status: dict[str, int] = field(default_factory=dict)  # path → HTTP status
    linked_from: dict[str, str] = field(default_factory=dict)  # path → first page linking it
    outside: list[tuple[str, str]] = field(default_factory=list)  # (page, link) leaving prefix

    def broken(self) -> dict[str, tuple[int, str]]:
        return {p: (s, self.linked_from.get(p, "start")) for p, s in self.status.items() if s != 200}


def crawl(origin: str, start: str, prefix: str, published: str | None = None) -> Crawl:
    """Fetch `start` and everything reachable from it by links, resolving each link against
    the URL of the page it is on. Links to the `published` base URL (canonical and feed
    links) are followed on this server under `prefix`; other sites are not followed."""
    result, queue = Crawl(), deque([start])
    result.status[start] = 0
    while queue:
        page = queue.popleft()
        status, kind, body = get(origin, page)
        result.status[page] = status
        if status != 200 and page != start:
            continue  # the 404 page's own links are checked from its own start
        if "html" in kind:
            links = links_in_html(body)
        elif "xml" in kind:
            links = links_in_feed(body)
        else:
            continue
        for link in links:
            url = urljoin(origin + page, link.strip())
            if published and url.startswith(published):
                url = origin + prefix + url[len(published):]
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
                continue  # another site, mailto:, …
            if not parts.path.startswith(prefix):
                result.outside.append((page, link))
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in result.status:
                result.status[path] = 0
                result.linked_from[path] = page
                queue.append(path)
    return result


def page_urls(out: Path, prefix: str) -> set[str]:
    """The address of every page and feed of the build, as a visitor would ask for it (the
    sitemaps are for search engines: robots.txt names them, no page links them)."""
    files = [p.relative_to(out).as_posix() for p in out.rglob("*")
             if p.suffix in (".html", ".xml") and p.name not in ("404.html", "sitemap.xml", "news-sitemap.xml")]
    return {prefix + f.removesuffix("index.html") for f in files}


# --- the site -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site_output(tmp_path_factory) -> Path:
    """A site of five articles, two per page, whose bodies link the way writers do: to the
    site root (/tags/), to a sibling article (../…/), to an image, to a footnote."""
    root = tmp_path_factory.mktemp("http") / "site"
    make_site(root, {
        "content/one.md": article("One", "2024-01-01", "Start. See [all tags](/tags/).", tags="[Iran]"),
        "content/two.md": article("Two", "2024-01-02", "Follows [one](../one/).[^1]\n\n[^1]: A note.",
                                  tags="[Iran, Cuba]", image="images/map.png", image_caption="Map"),
        "content/three.md": article("Three", "2024-01-03", "![map](/images/map.png)", tags="[IAEA, Iran]"),
        "content/four.md": article("Four", "2024-01-04",
                                   '<img src="/images/map.png" srcset="/images/map.png 1x, /images/map.png 2x" alt="">'),
        "content/five.md": article("Five", "2024-01-05", "Read the [archive](/archive/) or the "
                                   "[feed](/feed.xml).", tags="[Cuba]"),
        "static/images/map.png": picture(),
    }, config=f'title = "Test News"\nbase_url = "{BASE_URL}"\nauthor = "Desk"\nper_page = 2\n')
    build(root)
    return root / "output"


@pytest.fixture(scope="module")
def under_repo(site_output):
    with serving(site_output, PREFIX) as origin:
        yield origin


@pytest.fixture(scope="module")
def at_root(site_output):
    with serving(site_output, "/") as origin:
        yield origin


# --- the tests ------------------------------------------------------------------------------

def test_the_server_serves_only_under_the_prefix(under_repo):
    """The test server behaves like GitHub Pages for a project site, so a link that escapes
    /repo/ is caught as broken."""
    assert get(under_repo, PREFIX)[0] == 200
    assert get(under_repo, "/")[0] == 404
    assert get(under_repo, "/tags/")[0] == 404
    assert get(under_repo, PREFIX + "articles/")[0] == 404  # a folder with no index.html


def test_every_link_works_under_the_project_path(under_repo, site_output):
    """From the home page at /repo/, every link of every page and feed works (200, no
    redirect) and none leaves /repo/."""
    result = crawl(under_repo, PREFIX, PREFIX, published=BASE_URL)
    assert result.broken() == {}
    assert result.outside == []
    assert page_urls(site_output, PREFIX) <= set(result.status), "pages no link leads to"
    assert PREFIX + "images/map.png" in result.status
    assert PREFIX + "tags/iran/page/2/" in result.status
    assert PREFIX + "tags/cuba/atom.xml" in result.status  # feed links announced by pages


def test_every_relative_link_works_at_the_domain_root(at_root, site_output):
    """The same output served at / (a user site, or a custom domain) works too: the pages
    link relatively, so nothing points at /repo/."""
    result = crawl(at_root, "/", "/")  # the base URL's absolute links point elsewhere
    assert result.broken() == {}
    assert result.outside == []
    assert {u for u in page_urls(site_output, "/") if u.endswith("/")} <= set(result.status)


@pytest.mark.parametrize("missing", [PREFIX + "nope/", PREFIX + "a/b/c/old-story.html"])
def test_the_not_found_page_links_work_at_any_depth(under_repo, missing):
    """A mistyped address shows the 404 page, and its links (absolute paths under /repo/,
    since it is served at any depth) lead back into the site."""
    status, _, body = get(under_repo, missing)
    assert status == 404
    assert b"Page not found" in body
    local = [link for link in links_in_html(body) if not urlsplit(link).scheme and not link.startswith("#")]
    assert local and all(link.startswith(PREFIX) for link in local), local
    result = crawl(under_repo, missing, PREFIX, published=BASE_URL)
    assert {p: s for p, s in result.broken().items() if p != missing} == {}
    assert result.outside == []
    assert PREFIX in result.status and PREFIX + "static/style.css" in result.status


def test_links_in_raw_html_stay_under_the_project_path(tmp_path):
    """A body's raw HTML may leave attribute values unquoted (valid HTML); its root-relative
    links must still lead into the site under /repo/, not to the top of the domain."""
    site = make_site(tmp_path / "site", {
        "content/a.md": article("Alpha", "2024-01-01", "<p><a href=/tags/>All tags</a></p>"),
    })
    build(site)
    with serving(site / "output", PREFIX) as origin:
        result = crawl(origin, PREFIX, PREFIX, published=BASE_URL)
    assert result.outside == []
