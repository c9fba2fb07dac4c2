"""Live reload in a real browser: Playwright drives Debian's Chromium (never a browser of its
own) at a page of `site-builder serve`; the page reloads by itself after an edit, shows a
build error over the last good page, and reloads again when the error is fixed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import article, make_site
from devserver import DevServerProcess

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium (scripts/test.sh installs it)")
# Playwright must never fetch a browser of its own: there is one, and no network for it.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")



@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def site(tmp_path) -> Path:
    return make_site(tmp_path / "site", {
        "content/one.md": article("One", "2024-01-01", "The first version."),
    })


def test_an_open_page_reloads_by_itself_after_an_edit(page, site):
    with DevServerProcess(site) as server:
        page.goto(server.url + "articles/one/")
        assert "The first version." in page.inner_text("body")
        page.evaluate("window.notReloaded = true")  # gone once the page has reloaded
        page.wait_for_function("window.notReloaded === true")
        (site / "content/one.md").write_text(article("One", "2024-01-01", "The second version."))
        page.wait_for_function("document.body.innerText.includes('The second version.')", timeout=10_000)
        assert page.evaluate("window.notReloaded") is None


def test_a_build_error_shows_over_the_page_until_it_is_fixed(page, site):
    with DevServerProcess(site) as server:
        page.goto(server.url + "articles/one/")
        page.evaluate("window.notReloaded = true")
        (site / "content/one.md").write_text("---\ntitle: One\ndate: 2024-13-45\n---\nBroken.\n")
        banner = page.locator("#site-builder-error")
        banner.wait_for(state="visible", timeout=10_000)
        assert "content/one.md:3: date: '2024-13-45' is not a date" in banner.inner_text()
        assert "The first version." in page.inner_text("body")  # still the last good page
        assert page.evaluate("window.notReloaded") is True  # shown without a reload
        (site / "content/one.md").write_text(article("One", "2024-01-01", "The fixed version."))
        page.wait_for_function("document.body.innerText.includes('The fixed version.')", timeout=10_000)
        assert banner.count() == 0
