"""Dates read in their own direction in a real browser (Debian's Chromium, driven by
Playwright): an English date in a right-to-left page and an Arabic date in a left-to-right
one keep their words in order, because each <time> is isolated (dir="auto"); without the
isolation the same check sees the date reordered ("December 2026 2", issue #16)."""
from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import BASE_URL, article, make_site

from site_builder.build.run import build

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium (scripts/test.sh installs it)")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

# The left edge of each word of an element's text, as laid out (words in logical order)
WORD_LEFTS = """element => {
  const text = element.firstChild, lefts = [];
  let start = 0;
  for (const word of text.data.split(' ')) {
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + word.length);
    lefts.push(range.getBoundingClientRect().left);
    start += word.length + 1;
  }
  return lefts;
}"""
# What the isolation prevents: the page with every dir attribute but the page's own removed
WITHOUT_ISOLATION = "() => document.querySelectorAll('body [dir]').forEach(e => e.removeAttribute('dir'))"



def in_order(lefts: list[float], direction: str) -> bool:
    """Whether words laid out at these left edges read in order in that direction."""
    pairs = list(pairwise(lefts))
    return all(a < b for a, b in pairs) if direction == "ltr" else all(a > b for a, b in pairs)


def date_words(browser, page_file: Path, isolated: bool = True) -> list[float]:
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        if not isolated:
            page.evaluate(WITHOUT_ISOLATION)
        return page.eval_on_selector("main time", WORD_LEFTS)
    finally:
        page.close()


@pytest.mark.parametrize(("site_language", "date_language", "direction"), [
    ("ar", "en-GB", "ltr"),  # an English date in an Arabic page: "December 2026, 14:05 2" unisolated
    ("en", "ar", "rtl"),  # an Arabic date in an English page
])
def test_a_date_in_a_page_of_the_other_direction_keeps_its_order(browser, tmp_path, site_language, date_language,
                                                                  direction):
    config = f'title = "T"\nbase_url = "{BASE_URL}"\nlanguage = "{site_language}"\n'
    site = make_site(tmp_path / "site", {"content/a.md": article("Budget", "2026-12-02T14:05:00Z")}, config=config)
    (site / "templates").mkdir()
    # the front-page card's date in the other language (as a theme may show it)
    (site / "templates/_macros.html").write_text(
        (Path(__file__).parents[2] / "templates/_macros.html").read_text(encoding="utf-8")
        .replace("a.date|datetime(a.language)", f"a.date|datetime('{date_language}')"), encoding="utf-8")
    build(site)
    front = site / "output/index.html"
    assert in_order(date_words(browser, front), direction)
    assert not in_order(date_words(browser, front, isolated=False), direction)
