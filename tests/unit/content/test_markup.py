"""markdown = "gfm" (issue #15): bodies as GitHub renders them, through the same sanitiser.

What both engines share (fields, summaries, sanitising) runs on both in test_content.py and
test_adversarial_sanitise.py; here is what only GitHub-flavoured Markdown does."""
from __future__ import annotations

import re
import time
from dataclasses import replace

import pytest

from site_builder.content.article import parse_article
from site_builder.content.markup import gfm_to_html, markdown_to_html
from site_builder.core.links import is_executable
from site_builder.core.model import SiteConfig

GFM = SiteConfig(base_url="https://user.github.io/repo/", markdown="gfm")


def body(text: str, config: SiteConfig = GFM) -> str:
    return parse_article("content/x.md", "---\ntitle: T\ndate: 2024-01-01\n---\n" + text, config).body_html


def test_a_table_with_its_columns_aligned():
    html = body("| Country | Votes |\n|:--------|------:|\n| Iran    | 12    |\n")
    assert '<th style="text-align: left;">Country</th>' in html
    assert '<td style="text-align: right;">12</td>' in html


def test_strikethrough_with_one_or_two_tildes():
    assert body("~~old~~ and ~gone~ news\n") == "<p><del>old</del> and <del>gone</del> news</p>\n"


def test_bare_addresses_become_links():
    html = body("See www.example.org, https://x.org/a?b=1 and desk@example.org.\n")
    assert '<a href="http://www.example.org">www.example.org</a>' in html
    assert '<a href="https://x.org/a?b=1">https://x.org/a?b=1</a>' in html
    assert '<a href="mailto:desk@example.org">desk@example.org</a>' in html


def test_a_task_list_shows_its_boxes_as_text():
    """GitHub's checkboxes are form controls, which the sanitiser lets into no page or feed."""
    assert body("- [ ] call the ministry\n- [x] file the story\n") == \
        "<ul>\n<li>\u2610 call the ministry</li>\n<li>\u2611 file the story</li>\n</ul>\n"


def test_footnotes_link_both_ways():
    html = body("Pledged[^1].\n\n[^1]: As reported.\n")
    assert '<a href="#fn-1" id="fnref-1">1</a>' in html
    assert '<li id="fn-1">' in html and '<a href="#fnref-1" class="footnote-backref">' in html


def test_raw_html_goes_through_the_sanitiser_not_cmark():
    """cmark's own safe mode drops every tag (a writer's <b> too) and leaves a script's code
    as text: the engine passes raw HTML, and the sanitiser keeps what news is made of."""
    source = 'A <b>bold</b> claim<script>alert(1)</script> <img src="/x.jpg" onerror="alert(1)">\n'
    html = body(source)
    assert html == '<p>A <b>bold</b> claim <img src="/x.jpg"></p>\n'
    trusted = body(source, replace(GFM, raw_html="trusted"))
    assert "<script>alert(1)</script>" in trusted and 'onerror="alert(1)"' in trusted


@pytest.mark.parametrize("link", ["[x](javascript:alert(1))", "<javascript:alert(1)>",
                                  "[x](JaVaScRiPt:alert(1))", "[x](java&#x09;script:alert(1))"])
def test_a_javascript_link_is_removed(link):
    html = body(f"A {link} here.\n")
    hrefs = re.findall(r'href="([^"]*)"', html)
    # the link's text stays, leading nowhere (cmark percent-encodes the tab: a relative URL)
    assert ">x</a>" in html or ">javascript:alert(1)</a>" in html
    assert hrefs in ([], ["java%09script:alert(1)"]) and not any(is_executable(h) for h in hrefs)


def test_an_engine_change_is_what_changes_the_body():
    text = "~~x~~ www.example.org\n"
    assert body(text, replace(GFM, markdown="python-markdown")) == "<p>~~x~~ www.example.org</p>"
    assert markdown_to_html(text, "gfm") == gfm_to_html(text)


@pytest.mark.parametrize("source", ["[" * 50_000, "- " * 20_000 + "x", "> " * 50_000 + "x",
                                    "*a " * 50_000, "<" * 50_000])
def test_pathological_input_renders_in_linear_time(source):
    """cmark-gfm is linear by design: no input needs the parse time limit Python-Markdown does."""
    start = time.perf_counter()
    markdown_to_html(source, "gfm")
    assert time.perf_counter() - start < 2


def test_rendering_frees_what_cmark_allocates():
    """cmarkgfm's own wrapper leaks the document tree and the HTML (~30 KB an article): a parse
    worker of a 10,000-article cold build grew by 90 MB."""
    import resource

    text = "A *paragraph* with a [link](https://x.org/) and ~~this~~.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n" * 40
    gfm_to_html(text)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(3000):
        gfm_to_html(text)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20_000  # KB; leaking: ~100,000
