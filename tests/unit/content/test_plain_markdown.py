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
# Lines that may be list items, or almost: lists next to paragraphs, headings, other lists.
line_starts = st.sampled_from(["- ", "- ", "-", "", "  ", "- - ", "-  ", "# ", "1. ", "1. ", "2. ", "0. ", "01. ", "10. ",
                               "1234567890. ", "1) ", "1.", "> ", "> ", ">", "> > ", ">  ", "+ ", "* "])
list_lines = st.lists(st.tuples(line_starts, inline_heavy, st.sampled_from(["\n", "\n", "\n\n", "\n\n\n"])),
                      max_size=8).map(lambda lines: "".join(start + text + end for start, text, end in lines).strip("\n"))


@given(st.one_of(syntax_heavy, inline_heavy, characters, list_lines))
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
    "Officials said\n- one\n- two",  # a list after a paragraph's line: its text, to Python-Markdown
    "- one\n  two",  # the item's next line, indented: kept to Python-Markdown, stripped by cmark
    "- one\n-",  # a setext heading to Python-Markdown, an empty item to cmark
    "01. one\n02. two",  # the list's start: "01" to Python-Markdown, 1 to cmark
    "1. one\n- two",  # an item of the other kind: the last item's text to Python-Markdown
    "1) one\n2) two",  # a list to cmark only
    "1. one\n2.",  # an empty item to cmark, the last item's text to Python-Markdown
    "1234567890. x",  # a list to Python-Markdown; cmark's numbers have nine digits at most
    "> a\n\n> b",  # one quote to Python-Markdown, two to cmark
    "> a\n- b",  # the quote's text to Python-Markdown, a list to cmark
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
# a list as a story has one: after a paragraph that leads into it, a blank line between;
# bullets, or numbers from wherever it starts
markers = st.one_of(st.just(lambda i: "- "), st.integers(0, 999_999_990).map(lambda start: lambda i: f"{start + i}. "))
listed = st.builds(lambda lead, marker, items: lead + "\n\n" + "\n".join(marker(i) + item for i, item in enumerate(items)),
                   paragraph, markers, st.lists(sentence, min_size=1, max_size=5))
# a pull quote, after a paragraph
quoted = st.builds(lambda lead, lines: lead + "\n\n" + "\n".join("> " + line for line in lines),
                   paragraph, st.lists(sentence, min_size=1, max_size=3))
story = st.lists(st.one_of(paragraph, heading, listed, quoted), min_size=1, max_size=6).map("\n\n".join)


# The same lines with any line break between them: lists after a paragraph's line, loose
# lists, lines run on after an item; whatever is_plain lets through must render alike.
mixed_lines = st.lists(st.tuples(st.sampled_from(["- ", "- ", "1. ", "2. ", "> ", "", "# "]), sentence, st.sampled_from(["\n", "\n\n", "\n\n\n"])),
                       min_size=1, max_size=8).map(lambda lines: "".join(start + text + end for start, text, end in lines).rstrip("\n"))


@given(mixed_lines)
def test_lines_of_a_story_however_broken_render_alike_when_plain(text):
    if is_plain(text):
        assert plain_to_html(text) == python_markdown_to_html(text)


@given(story)
def test_a_story_of_paragraphs_headings_lists_quotes_emphasis_and_links_is_plain(text):
    assert is_plain(text)
    assert markdown_to_html(text) == python_markdown_to_html(text)
