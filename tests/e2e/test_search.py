"""Search in a real browser: a site with English and Arabic articles, built with search = true,
served over HTTP under a project sub-path (/repo/) as GitHub Pages serves it; Debian's Chromium
(driven by Playwright) opens the results page, Pagefind's UI searches the index the build made,
and the right articles are listed, each link leading to its page."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.request import urlopen

import pytest
from conftest import BASE_URL, article, make_site
from devserver import DevServerProcess
from serving import serving

from site_builder.build.run import build

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium (scripts/test.sh installs it)")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CONFIG = f'title = "Test News"\nbase_url = "{BASE_URL}"\nlanguage = "en"\nslugs = "unicode"\nsearch = true\n'
RESULT_LINKS = ".pagefind-ui__result-link"



@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("search") / "site", {
        "content/desalination.md": article("Muscat opens a desalination plant", "2026-11-30",
                                           "The plant turns seawater into drinking water for the capital."),
        "content/budget.md": article("Parliament passes the budget", "2026-12-01",
                                     "Spending on schools rises by a tenth."),
        "content/saffron.md": article("محصول الزعفران يتضاعف", "2026-12-02",
                                      "قال المزارعون في خراسان إن محصول الزعفران تضاعف هذا العام.", language="ar"),
    }, config=CONFIG)
    build(site)
    with serving(site / "output", "/repo/") as origin:
        yield origin + "/repo/"


def results(browser, url: str) -> list[str]:
    """Open a page, follow it to the results page, and return the result links' hrefs."""
    page = browser.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(RESULT_LINKS, timeout=15_000)
        return page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)")
    finally:
        page.close()


@pytest.mark.parametrize(("word", "found"), [
    ("desalination", "articles/desalination/"),
    ("schools", "articles/budget/"),
    ("الزعفران", "articles/saffron/"),  # an Arabic word, from the English site's results page
])
def test_the_results_page_finds_an_article_by_a_word_of_it(browser, site_url, word, found):
    links = results(browser, f"{site_url}search/?q={word}")
    assert links == [site_url + found]
    with urlopen(links[0]) as response:
        assert response.status == 200


def test_the_header_search_box_leads_to_the_results_page(browser, site_url):
    page = browser.new_page()
    try:
        page.goto(site_url)
        box = page.get_by_role("searchbox", name="Search this site")
        box.fill("seawater")
        box.press("Enter")
        page.wait_for_selector(RESULT_LINKS, timeout=15_000)
        assert page.url == f"{site_url}search/?q=seawater"
        assert page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)") == \
            [site_url + "articles/desalination/"]
        # one box on the results page, Pagefind's (a text input, so a "textbox" to the
        # accessibility tree), holding the query
        boxes = page.get_by_role("searchbox").or_(page.get_by_role("textbox"))
        assert boxes.count() == 1
        assert boxes.input_value() == "seawater"
    finally:
        page.close()


def test_without_javascript_the_search_box_still_reaches_the_results_page(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "articles/budget/")
        page.get_by_role("searchbox").fill("water")
        page.get_by_role("searchbox").press("Enter")
        page.wait_for_url(f"{site_url}search/?q=water")
        assert page.get_by_role("link", name="Archive").last.get_attribute("href") == "../archive/"
    finally:
        context.close()


def test_serve_keeps_the_index_current(browser, tmp_path):
    site = make_site(tmp_path / "site", {
        "content/port.md": article("Port reopens", "2026-11-30", "Cranes unload the first freighter."),
    }, config=CONFIG)
    with DevServerProcess(site) as server:
        assert results(browser, f"{server.url}search/?q=freighter") == [server.url + "articles/port/"]
        (site / "content/port.md").write_text(
            article("Port reopens", "2026-11-30", "Cranes unload the first tanker."), encoding="utf-8")
        server.wait_for(lambda: "tanker" in server.page("articles/port/"), what="the edit")
        assert results(browser, f"{server.url}search/?q=tanker") == [server.url + "articles/port/"]
        assert no_results(browser, f"{server.url}search/?q=freighter")


def no_results(browser, url: str) -> bool:
    """Whether the results page says it found nothing."""
    page = browser.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(".pagefind-ui__message", timeout=15_000)
        page.wait_for_function("() => /No results/.test(document.querySelector('.pagefind-ui__message').textContent)",
                               timeout=15_000)
        return page.locator(RESULT_LINKS).count() == 0
    finally:
        page.close()
