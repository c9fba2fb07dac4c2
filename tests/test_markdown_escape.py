"""Escaped text renders back to exactly the text: what a reader sees is what the source said."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.markdown_escape import escape_paragraph, escape_paragraphs
from site_builder.markup import html_to_text, markdown_to_html

# Markdown's syntax characters, often, among any other printable text.
_SYNTAX = list("#>-+*_`[]()!<>&;\\|~=:.^{}\"' \t") + ["1.", "2)", "&amp;", "&#35;", "&#", "&#x", "<b>", "</p>",
                                                     "[^1]:", "```", "~~~", "---", "    ", "\u00a0"]
_TEXT = st.lists(st.one_of(st.sampled_from(_SYNTAX), st.characters(
    blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff")), min_size=1, max_size=40).map("".join)


def shown(markdown: str) -> str:
    return html_to_text(markdown_to_html(markdown))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT.filter(str.strip))
def test_any_paragraph_renders_back_to_itself(text):
    assert shown(escape_paragraph(text)) == " ".join(text.split())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT.filter(str.strip), min_size=1, max_size=6))
def test_paragraphs_stay_separate_paragraphs(paragraphs):
    html = markdown_to_html(escape_paragraphs(paragraphs))
    assert re.findall(r"<(\w+)", html) == ["p"] * len(paragraphs)  # no heading, list, code, quote…
    assert [html_to_text(p) for p in re.findall(r"<p>(.*?)</p>", html, re.DOTALL)] == [
        " ".join(p.split()) for p in paragraphs]


@pytest.mark.parametrize("text, markdown", [
    ("#1 on the list", r"\#1 on the list"),
    ("2. Second point", r"2\. Second point"),
    ("- not a list", r"\- not a list"),
    ("> not a quote", r"\> not a quote"),
    ("+ plus", r"\+ plus"),
    ("a *b* _c_ `d` [e](f)", r"a \*b\* \_c\_ \`d\` \[e\](f)"),
    ("<b>bold</b> & more", "&lt;b>bold&lt;/b> & more"),
    ("&amp; is an entity", "&amp;amp; is an entity"),
    ("&#0 and &#x41 without semicolons", "&amp;#0 and &amp;#x41 without semicolons"),
    (r"C:\path\*", r"C:\\path\\\*"),
    ("~~~ fence", "&#126;~~ fence"),
    ("Q&A: 3.5 percent, “quoted” — Díaz-Canel", "Q&A: 3.5 percent, “quoted” — Díaz-Canel"),
])
def test_escapes_only_what_markdown_would_read_as_syntax(text, markdown):
    assert escape_paragraph(text) == markdown
    assert shown(markdown) == text
