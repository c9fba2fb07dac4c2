"""Escaped text renders back to exactly the text: what a reader sees is what the source said."""
from __future__ import annotations

import html
import re

import html5lib
import pytest
from conftest import examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.content.markup import html_to_text, markdown_to_html
from site_builder.importer.markdown_escape import (
    LINK_SCHEMES,
    escape_paragraph,
    escape_paragraphs,
    html_to_markdown,
    safe_url,
)

# Markdown's syntax characters, often, among any other printable text.
_SYNTAX = list("#>-+*_`[]()!<>&;\\|~=:.^{}\"' \t") + ["1.", "2)", "&amp;", "&#35;", "&#", "&#x", "<b>", "</p>",
                                                     "[^1]:", "```", "~~~", "---", "    ", "\u00a0"]
_TEXT = st.lists(st.one_of(st.sampled_from(_SYNTAX), st.characters(
    blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff")), min_size=1, max_size=40).map("".join)


# The escaping holds for both engines a site may use (site.toml `markdown`, issue #15).
ENGINES = ("python-markdown", "gfm")


def shown(markdown: str, engine: str = "python-markdown") -> str:
    return html_to_text(markdown_to_html(markdown, engine))


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT.filter(str.strip))
def test_any_paragraph_renders_back_to_itself(engine, text):
    assert shown(escape_paragraph(text), engine) == " ".join(text.split())


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT.filter(str.strip), min_size=1, max_size=6))
def test_paragraphs_stay_separate_paragraphs(engine, paragraphs):
    html = markdown_to_html(escape_paragraphs(paragraphs), engine)
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
    ("~~~ fence", "&#126;&#126;&#126; fence"),
    ("2) Second point, ~struck~ in gfm", r"2\) Second point, &#126;struck&#126; in gfm"),
    ("Q&A: 3.5 percent, “quoted” — Díaz-Canel", "Q&A: 3.5 percent, “quoted” — Díaz-Canel"),
])
def test_escapes_only_what_markdown_would_read_as_syntax(text, markdown):
    assert escape_paragraph(text) == markdown
    assert shown(markdown) == text == shown(markdown, "gfm")


# --- feed HTML (issue #12): structure kept, every text node escaped ---------------------------

_PLACES = ["<p>{}</p>", "<p>{}<br>{}</p>", "<ul><li>{}</li><li>{}</li></ul>", "<ol><li>{}</li></ol>",
           "<ul><li><p>{}</p><p>{}</p></li></ul>", "<ul><li>{}<ul><li>{}</li></ul></li></ul>",
           "<blockquote><p>{}</p></blockquote>", "<blockquote>{}<br>{}</blockquote>", "<h2>{}</h2>",
           "<h2>{}<br>{}</h2>", "<p><b>{}</b><br>{}</p>", "<p>{}<span>{}</span>{}</p>",
           '<p><a href="https://x.org/">{}</a>{}</p>', "{}<p>{}</p>{}", "<p><code>{}</code></p>",
           "<pre>{}</pre>", "<ul><li><pre>{}</pre></li></ul>",
           "<table><tr><th>{}</th></tr><tr><td>{}</td></tr></table>"]


def _tree(fragment: str):
    return html5lib.parseFragment(fragment, namespaceHTMLElements=False)


def _tags(tree) -> set[str]:
    renamed = {"b": "strong", "i": "em"}
    return {renamed.get(e.tag, e.tag) for e in tree.iter() if isinstance(e.tag, str)} - {"DOCUMENT_FRAGMENT"}


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=examples(800), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(_PLACES), pieces=st.lists(_TEXT.filter(str.strip), min_size=3, max_size=3))
@example(place="<ul><li>{}</li><li>{}</li></ul>", pieces=["<", "\u00a0>", "x"])  # li strips the nbsp
@example(place="<p>{}<span>{}</span>{}</p>", pieces=["1", ". one", "x"])  # `1. one` across nodes
@example(place="<p><code>{}</code></p>", pieces=["&#1.", "x", "y"])  # completed to `&#1;.` in a code span
@example(place="<p><code>{}</code></p>", pieces=["*&#35;*", "#", "#"])  # emphasis inside a <code> element
@example(place='<p><a href="https://x.org/">{}</a>{}</p>', pieces=["]:", "#", "#"])  # a reference definition
def test_feed_html_keeps_its_text_as_text(engine, place, pieces):
    source = place.format(*(html.escape(p) for p in pieces[:place.count("{}")]))
    shown_html = markdown_to_html(html_to_markdown(source), engine)
    text = ["".join("".join(_tree(h).itertext()).split()) for h in (shown_html, source)]
    assert text[0] == text[1]
    assert _tags(_tree(shown_html)) <= _tags(_tree(source)) | {"p", "br", "code", "thead", "tbody"}


@pytest.mark.parametrize("url, kept", [
    ("https://other.example/a (b)", "https://other.example/a%20%28b%29"),
    ("mailto:desk@x.org", "mailto:desk@x.org"), ("/relative", "/relative"),
    ("java\tscript:alert(1)", None), (" JavaScript:x", None), ("file:///etc", None),
    ("data:text/html,x", None), ("", None),
])
def test_link_urls_keep_web_and_mail_schemes_only(url, kept):
    assert safe_url(url, LINK_SCHEMES) == kept
