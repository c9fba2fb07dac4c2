"""Escape plain text so that Markdown renders it back as exactly that text (issue #3).

Imported articles are plain text: a paragraph that starts with `#1`, `2. ` or `- `, or holds
`*`, `_`, `<tag>` or `&amp;`, is what the source said, not Markdown syntax. Each character that
the site's Markdown (markup.py: Python-Markdown with tables, footnotes, fenced code, sane lists)
could read as syntax is escaped — with a backslash where Markdown allows one, else as an HTML
character reference — and nothing else is touched, so the content file stays readable.
"""
from __future__ import annotations

import re

# Inline syntax anywhere in a line: emphasis, code, links, images, footnotes, and the escape
# character itself.
_INLINE = re.compile(r"([\\`*_\[\]])")
# `&` that would start a character reference, and `<` that would start HTML or an autolink;
# Python-Markdown has no backslash escape for either. It reads a numeric reference even
# without its semicolon (`&#0` → `&#0;`), a named one only with it.
_ENTITY_AMP = re.compile(r"&(?=#[0-9]|#[xX][0-9a-fA-F]|[a-zA-Z0-9]+;)")
# Block syntax at the start of a line: heading, quote, list item, ordered list, fence.
_LINE_START = re.compile(r"^(?:([#>+\-])|(\d+)(\.)(?=\s|$)|(~)(?=~~))")


def escape_paragraph(text: str) -> str:
    """Return Markdown for one paragraph that renders to `text` (white space collapsed)."""
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY_AMP.sub("&amp;", text).replace("<", "&lt;")
    return _LINE_START.sub(_escape_start, text)


def escape_paragraphs(paragraphs: tuple[str, ...] | list[str]) -> str:
    """Return a Markdown body, one escaped paragraph per source paragraph, blank-line separated."""
    return "\n\n".join(escape_paragraph(p) for p in paragraphs) + "\n"


def _escape_start(match: re.Match[str]) -> str:
    mark, digits, dot, tilde = match.groups()
    if mark:
        return "\\" + mark
    if digits:
        return digits + "\\" + dot
    return "&#126;" if tilde else match.group()
