"""Escape plain text so that Markdown renders it back as exactly that text (issue #3).

Imported articles are plain text: a paragraph that starts with `#1`, `2. ` or `- `, or holds
`*`, `_`, `<tag>` or `&amp;`, is what the source said, not Markdown syntax. Each character that
either of the site's Markdown engines (markup.py: Python-Markdown with tables, footnotes, fenced
code, sane lists; or cmark-gfm, `markdown = "gfm"`) could read as syntax is escaped — with a
backslash where both allow one, else as an HTML character reference — and nothing else is
touched, so the content file stays readable. One escaping for both engines: an imported
article reads the same after the site switches engine (issue #15). What GitHub-flavoured
Markdown adds is escaped too: `~` (strikethrough, one tilde is enough) as `&#126;`, since
Python-Markdown has no backslash escape for it, and `2)` (a CommonMark list item). A bare
address (`www.example.org`, `desk@example.org`) stays text, which gfm shows as a link to it,
as GitHub does.

Feeds bring HTML, not plain text: `html_to_markdown` keeps its structure with markdownify and
escapes each of its text nodes by the same rules (issue #12), so what a feed says as text —
code it quotes, `&lt;b&gt;`, a line starting `# ` — is text on the page, never HTML or Markdown.
"""
from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import quote

from bs4 import Comment, NavigableString, Tag

# The ignores on markdownify below: its stub lists only convert() and convert_soup(); chomp,
# process_text, convert_hN and convert_code are in its code (markdownify 1.2).
from markdownify import MarkdownConverter, chomp  # type: ignore[attr-defined]

from ..core.links import url_scheme

# Inline syntax anywhere in a line: emphasis, code, links, images, footnotes, and the escape
# character itself.
_INLINE = re.compile(r"([\\`*_\[\]])")
# `&` that would start a character reference, and `<` that would start HTML or an autolink;
# Python-Markdown has no backslash escape for either. It reads a numeric reference even
# without its semicolon (`&#0` → `&#0;`), a named one only with it.
_ENTITY_AMP = re.compile(r"&(?=#[0-9]|#[xX][0-9a-fA-F]|[a-zA-Z0-9]+;)")
# Block syntax at the start of a line: heading, quote, list item, ordered list (`1.`, and
# CommonMark's `1)`). A `~~~` fence goes with every other `~`, as _TILDE.
_LINE_START = re.compile(r"^(?:([#>+\-])|(\d+)([.)])(?=\s|$))")
# Every `~` (a fence, gfm's strikethrough) as a reference: Python-Markdown has no backslash
# escape for it
_TILDE = "&#126;"


def escape_paragraph(text: str) -> str:
    """Return Markdown for one paragraph that renders to `text` (white space collapsed)."""
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY_AMP.sub("&amp;", text).replace("<", "&lt;")
    return _LINE_START.sub(_escape_start, text).replace("~", _TILDE)


def escape_paragraphs(paragraphs: tuple[str, ...] | list[str]) -> str:
    """Return a Markdown body, one escaped paragraph per source paragraph, blank-line separated."""
    return "\n\n".join(escape_paragraph(p) for p in paragraphs) + "\n"


def _escape_start(match: re.Match[str]) -> str:
    mark, digits, dot = match.groups()
    return "\\" + mark if mark else digits + "\\" + dot


# ---------------------------------------------------------------------------------------------
# Feed HTML → Markdown (issue #12, finding 2). A feed's HTML is structure around text; the text
# must reach the page as text even when it reads `<script>`, `&lt;b&gt;` or `# 1`. markdownify
# does the structure; every text node goes through the escaping below, which is stricter than a
# dump paragraph's because a text node is a fragment: the rest of its line is another node's.

# Every `|` too: a line of `|---|` under a line of text is a table (the tables extension).
_FRAGMENT_INLINE = re.compile(r"([\\`*_\[\]|])")
# What a text node that starts a line must not start with: the block syntax above, and `~`/`=`,
# which have no backslash escape (a `~~~` fence, a `===` setext underline). After any white
# space, a no-break space too: markdownify strips a list item's text with str.strip().
_FRAGMENT_START = re.compile(r"^(\s*)(?:([#>+\-])|(\d+)([.)])(?=\s|$)|([~=]))")
# The rest of a number and its dot (or CommonMark's parenthesis), in a text node that follows digits.
_NUMBER_DOT = re.compile(r"^(\d*)([.)])")
# Python-Markdown completes a numeric character reference inside a code span (`&#1.` shows as
# `&#1;.`), and a code span has no escape: such code is written as an HTML <code> element.
_CODE_REFERENCE = re.compile(r"&#[0-9xX]")
# Inline Markdown still applies inside such an element: its syntax characters go as references.
_AS_REFERENCES = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]()!#~|{}+-.:"}
# Elements markdownify keeps within a line; any other element may end a line or start one.
_INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del",
                          "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "q", "s",
                          "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u",
                          "var"})
# Link and image URLs kept in imported content; anything else becomes its text.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
# Containers in which a fenced code block still works (Python-Markdown's fences are top level).
_FENCE_PARENTS = frozenset({"[document]", "html", "body", "div", "article", "section", "main",
                            "header", "footer", "figure", "aside"})


def escape_fragment(text: str) -> str:
    """Return Markdown for a piece of inline text (a text node), without touching white space."""
    text = _FRAGMENT_INLINE.sub(r"\\\1", text)
    # every `&`: the next node may hold the rest of an entity (`&<span>lt;</span>`)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace("~", _TILDE)
    # `[\]:](url)` at a line's start is a reference definition to Python-Markdown, which reads
    # past the escaped bracket: the colon goes as a reference
    return text.replace("\\]:", "\\]&#58;")


def escape_fragment_start(text: str) -> str:
    """Escape what a text node that may start a line must not start with."""
    return _FRAGMENT_START.sub(_escape_fragment_start, text)


def _escape_fragment_start(match: re.Match[str]) -> str:
    space, mark, digits, dot, plain = match.groups()
    if mark:
        return f"{space}\\{mark}"
    if digits:
        return f"{space}{digits}\\{dot}"
    return f"{space}&#{ord(plain)};"


def safe_url(url: str | None, schemes: frozenset[str]) -> str | None:
    """Return the URL ready for a Markdown link, or None when its scheme is not allowed.

    A relative URL passes (feed_import has resolved those against the entry's link). The scheme is read as a
    browser would, with control characters and spaces removed (`java\tscript:`)."""
    if not url or not url.strip():
        return None
    scheme = url_scheme(url)
    if scheme and scheme not in schemes:
        return None
    # what would end or split a Markdown link destination, percent-encoded
    return quote(url.strip(), safe="!#$%&*+,-./:;=?@[]~_")


class TextSafeConverter(MarkdownConverter):
    """markdownify with every text node escaped, so feed text stays text (issue #12)."""

    def __init__(self) -> None:
        # wrap without a width: all white space in text becomes one space, so a text node never
        # holds a line break of its own (`a\n# b` would be a heading)
        super().__init__(heading_style="ATX", bullets="-", autolinks=False, wrap=True,
                         wrap_width=None, escape_misc=False, escape_asterisks=False,
                         escape_underscores=False)

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Escape a text node outside code (markdownify's hook for text)."""
        return escape_fragment(text)

    def process_text(self, el: Any, parent_tags: set[str] | None = None) -> str:
        text = super().process_text(el, parent_tags)  # type: ignore[misc]  # see the import
        if "_noformat" in (parent_tags or set()):
            return text
        if _starts_line(el):  # checked after markdownify has stripped a block's leading space
            return escape_fragment_start(text)
        previous = el.find_previous(string=True)
        if previous and str(previous)[-1:].isdigit():
            # `1<b></b>. x` and `1<b></b>2. x` would be an ordered list
            return _NUMBER_DOT.sub(r"\1\\\2", text, count=1)
        return text

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = safe_url(el.get("href"), LINK_SCHEMES)
        prefix, suffix, inner = chomp(text)
        if "_noformat" in parent_tags or not href or not inner:
            return text
        return f"{prefix}[{inner}]({href}){suffix}"  # no title: it is not text of the page

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        alt = escape_fragment(" ".join((el.get("alt") or "").split()))
        src = safe_url(el.get("src"), IMAGE_SCHEMES)
        if not src or "_inline" in parent_tags:
            return alt
        return f"![{alt}]({src})"

    def convert_video(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return text  # its fallback text; a video is not in the allow-list of imported content

    def convert_del(self, el: Any, text: str, parent_tags: set[str]) -> str:
        # its text: Python-Markdown has no strike-through (`~~` would show as text), and one
        # escaping serves both engines
        return text

    convert_s = convert_del

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: set[str]) -> str:
        # Python-Markdown drops a heading's closing #s: escape the text's own
        return super().convert_hN(  # type: ignore[misc]  # see the import
            n, el, _escape_closing_hashes(text.strip()), parent_tags)

    def convert_code(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_noformat" not in parent_tags and _CODE_REFERENCE.search(text):
            prefix, suffix, inner = chomp(text)
            return f"{prefix}<code>{escape(inner, quote=False).translate(_AS_REFERENCES)}</code>{suffix}"
        return super().convert_code(el, text, parent_tags)  # type: ignore[misc]  # see the import

    def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return ""
        if parent_tags <= _FENCE_PARENTS:
            # a fence longer than any run of backticks in the code, so the code cannot close it
            runs = re.findall(r"`+", text)
            fence = "`" * max(3, 1 + max(map(len, runs), default=0))
            return f"\n\n{fence}\n{text.strip(chr(10))}\n{fence}\n\n"
        # inside a list, quote or table a fence is not a fence: one code span per line
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        return "\n\n" + "  \n".join(self.convert_code(el, line, set()) for line in lines) + "\n\n"


def _starts_line(node: Any) -> bool:
    """Whether the Markdown of a text node may start a line: nothing but empty inline elements
    stands between it and the start of its block or a <br>."""
    while True:
        sibling = node.previous_sibling
        while sibling is not None:
            if isinstance(sibling, Tag):
                if sibling.name not in _INLINE_TAGS:
                    return True  # a <br>, <img> or block: conservative
                if sibling.get_text().strip():  # markdownify strips a block's leading space
                    return False
            elif isinstance(sibling, NavigableString) and not isinstance(sibling, Comment) \
                    and sibling.strip():
                return False
            sibling = sibling.previous_sibling
        node = node.parent
        if node is None or node.name not in _INLINE_TAGS:
            return True


def _escape_closing_hashes(text: str) -> str:
    """Backslash the unescaped `#`s that end a heading's text."""
    tokens = re.findall(r"\\.|.", text, re.DOTALL)
    index = len(tokens)
    while index and tokens[index - 1] == "#":
        index -= 1
    return "".join(tokens[:index]) + "\\#" * (len(tokens) - index)


def html_to_markdown(html: str) -> str:
    """Return Markdown that renders the HTML's structure, with every text node as text."""
    return TextSafeConverter().convert(html).strip() + "\n"
