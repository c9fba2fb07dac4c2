"""Markdown → HTML, and plain-text summaries of HTML."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import markdown

# What Markdown is asked to do. The build puts them in the cache's salt (build/load.py), which
# is why Markdown itself is imported only when a body is rendered. Tables, footnotes and fenced
# code are what news writers reach for; the full "extra" set doubles the cost per article
# (issue #5) for abbreviations and definition lists nobody uses.
MARKDOWN_EXTENSIONS = ("tables", "footnotes", "fenced_code", "sane_lists")
SUMMARY_LIMIT = 300

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    import markdown

    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")


def markdown_to_html(text: str) -> str:
    """Render a Markdown body to an HTML fragment."""
    converter = _converter()
    try:
        return converter.convert(text)
    except BaseException:
        # A converter that failed mid-way (RecursionError on deep nesting) keeps broken state
        # and renders later bodies without paragraphs or links: the next call gets a new one.
        _converter.cache_clear()
        raise
    finally:
        converter.reset()


def html_to_text(fragment: str) -> str:
    """Return the text of an HTML fragment, tags removed and whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()


def summary_of(body_html: str, limit: int = SUMMARY_LIMIT) -> str:
    """Return the first paragraph's text, cut at a word boundary after `limit` characters."""
    match = _FIRST_PARAGRAPH.search(body_html)
    text = html_to_text(match.group(1)) if match else html_to_text(body_html)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"
