"""Plain bodies (content/plain_markdown.py): cmark renders them, and must write Python-Markdown's
HTML byte for byte, or a site would change with no one asking. Hypothesis writes bodies thick
with Markdown's syntax; whatever is_plain lets through is rendered both ways and compared."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.content.markup import markdown_to_html, plain_to_html, python_markdown_to_html
from site_builder.content.plain_markdown import is_plain

# Pieces of news prose, and every piece of syntax the two engines could read differently,
# at the start of a line or within one.
PROSE = ["Officials", "said", "the", "vote", "é", "مصر", "2024", "5,654", "40%", "AT&T", "Q&A", "a",
         ".", ",", ";", ":", "!", "?", "(", ")", "“", "”", "‘", "’", "'", '"', "—", "-", "/", " "]
SYNTAX = ["*", "**", "***", "_", "__", "`", "\\", "[", "]", "](", "[x](https://e.org/a?b=1&c=2)",
          "[the site](/a/b#c)", "![x](y.png)", "#", "## ", "###### ", "> ", "- ", "+ ", "* ", "1. ", "2) ",
          "    ", "\t", "  ", "\xa0", "\u3000", "&", "&amp;", "&copy;", "&#169;", "&x;", "<b>", "</b>", "<",
          ">", "|", "~", "~~", "```", "===", "---", "[^1]", "[x]: /u", "<https://e.org>", "https://e.org",
          "www.e.org", "x@e.org", "\n", "\n\n", "\n\n\n"]
pieces = st.one_of(st.sampled_from(PROSE), st.sampled_from(SYNTAX))
syntax_heavy = st.lists(pieces, max_size=40).map("".join)
# Emphasis and links among the characters that decide whether an asterisk opens or closes.
INLINE = ["*a*", "**b c**", "*x y*", "*", "**", " ", "x", "é", "1", "(", ")", '"', "'", "“", "”", "‘", "’", ".", ",",
          "!", "?", ":", ";", "-", "/", "&", "#", "_", "[t](https://e.org/a)", "[t u](/v)", "[", "]", "\n", "\n\n", "\xa0"]
inline_heavy = st.lists(st.sampled_from(INLINE), max_size=30).map("".join)
characters = st.text(st.sampled_from("ab *_[]()#>-+=~`\\<&;!1.\n\"'\xa0“”"), max_size=40)


@given(st.one_of(syntax_heavy, inline_heavy, characters))
def test_what_is_plain_is_rendered_as_python_markdown_renders_it(text):
    if is_plain(text):
        assert plain_to_html(text) == python_markdown_to_html(text)


@pytest.mark.parametrize("text", [
    "#hash tag",  # a heading to Python-Markdown, a paragraph to cmark
    "text \n",  # Python-Markdown keeps the space
    "[x](é)",  # cmark percent-encodes the address
    "a &copy; b",  # cmark decodes the reference
    "&#169 b",  # Python-Markdown ends the reference
    "*&copy;*",  # a reference inside emphasis
    "![x](y.png)",  # the picture's attributes in another order
])
def test_a_body_the_engines_render_differently_is_not_plain(text):
    assert plain_to_html(text) != python_markdown_to_html(text)
    assert not is_plain(text)
    assert markdown_to_html(text) == python_markdown_to_html(text)


# What news stories are made of: paragraphs and headings of prose, with emphasis and links.
# (A line that begins with a word: one that begins with "-" or "1." is a list.)
words = st.builds(lambda first, rest: " ".join([first, *rest]), st.sampled_from([w for w in PROSE if w.isalnum()]),
                  st.lists(st.sampled_from([w for w in PROSE if w.strip()]), max_size=8))
emphasis = st.builds(lambda mark, text: f"{mark}{text}{mark}", st.sampled_from(["*", "**"]), words)
link = st.builds(lambda text, url: f"[{text}]({url})", words,
                 st.sampled_from(["https://example.org/a-b?c=1&d=2", "/2024/05/vote", "#notes", "mailto:desk@e.org"]))
sentence = st.lists(st.one_of(words, emphasis, link), min_size=1, max_size=6).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=3).map("\n".join)
heading = st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 6), words)
story = st.lists(st.one_of(paragraph, heading), min_size=1, max_size=6).map("\n\n".join)


@given(story)
def test_a_story_of_paragraphs_headings_emphasis_and_links_is_plain(text):
    assert is_plain(text)
    assert markdown_to_html(text) == python_markdown_to_html(text)


def test_a_body_python_markdown_reads_otherwise_goes_to_python_markdown():
    lists = "Officials said:\n\n- one\n- two\n"
    assert not is_plain(lists)
    assert markdown_to_html(lists) == python_markdown_to_html(lists)
    assert "<li>one</li>" in markdown_to_html(lists)
