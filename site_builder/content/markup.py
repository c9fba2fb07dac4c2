"""Markdown → HTML with the site's engine, and plain-text summaries of HTML.

Two engines (site.toml `markdown`): Python-Markdown with MARKDOWN_EXTENSIONS (the default),
and cmark-gfm ("gfm", PyPI `cmarkgfm`): GitHub-flavoured Markdown as GitHub renders it, with
GFM_EXTENSIONS and footnotes. Either one's HTML goes through the same sanitiser
(sanitise.py), link rewriting and summary rules afterwards; neither sanitises on its own.
"""
from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .plain_markdown import is_plain

if TYPE_CHECKING:
    import markdown

# What Markdown is asked to do. The build puts them in the cache's salt (build/load.py), which
# is why Markdown itself is imported only when a body is rendered. Tables, footnotes and fenced
# code are what news writers reach for; the full "extra" set doubles the cost per article
# (issue #5) for abbreviations and definition lists nobody uses.
MARKDOWN_EXTENSIONS = ("tables", "footnotes", "fenced_code", "sane_lists")
# GitHub's own set but "tagfilter": that one shows a <script> or <iframe> as text, where the
# sanitiser removes the one and keeps an allowed embed (and raw_html = "trusted" keeps both).
GFM_EXTENSIONS = ("table", "strikethrough", "autolink", "tasklist")
# A tasklist item's checkbox, as cmark-gfm writes it: shown as a ballot box, since a form
# control is no part of what the sanitiser lets into a page or a feed.
_CHECKBOXES = {'<input type="checkbox" disabled="" />': "\u2610",
               '<input type="checkbox" checked="" disabled="" />': "\u2611"}
_CHECKBOX = re.compile("|".join(re.escape(box) for box in _CHECKBOXES))
SUMMARY_LIMIT = 300

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    import importlib

    import markdown

    # Made from their modules, not given by name: a name makes Python-Markdown look for a
    # package registering it first, reading every installed package's metadata (50 ms of
    # each build that parses anything), and the extension is the one it ships, whatever else
    # is installed
    extensions = [importlib.import_module(f"markdown.extensions.{name}").makeExtension() for name in MARKDOWN_EXTENSIONS]
    return markdown.Markdown(extensions=extensions, output_format="html")


def markdown_to_html(text: str, engine: str = "python-markdown") -> str:
    """Render a Markdown body to an HTML fragment with the engine named (MARKDOWN_ENGINES)."""
    if engine == "gfm":
        return gfm_to_html(text)
    if is_plain(text):  # Python-Markdown's HTML for it, 25 times faster
        return plain_to_html(text)
    return python_markdown_to_html(text)


def python_markdown_to_html(text: str) -> str:
    """Render a body with Python-Markdown and the build's extensions."""
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


class _Cmark(NamedTuple):
    """cmark-gfm's C functions, and what every call to it shares."""

    lib: Any
    ffi: Any
    free: Callable[[int], None]  # the C library's free()
    node_free: Callable[[int], None]  # cmark_node_free(), which the binding does not declare
    extensions: list[Any]
    options: int


@lru_cache(maxsize=1)
def _cmark() -> _Cmark:
    import ctypes

    from cmarkgfm import cmark

    lib, ffi = cmark._cmark.lib, cmark._cmark.ffi
    # The binding's markdown_to_html_with_extensions frees neither the document tree nor the
    # HTML string: ~30 KB an article, 90 MB in each parse worker of a 10,000-article cold
    # build. Its own module exports cmark_node_free; the string is malloc'd by cmark's default
    # allocator, so the C library's free() releases it.
    node_free = ctypes.CDLL(cmark._cmark.__file__).cmark_node_free
    node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
    # (Windows: the Universal CRT, which CPython's extensions are built against; untested here)
    free = (ctypes.cdll.ucrtbase if sys.platform == "win32" else ctypes.CDLL(None)).free
    free.argtypes, free.restype = [ctypes.c_void_p], None
    lib.cmark_gfm_core_extensions_ensure_registered()
    extensions = [lib.cmark_find_syntax_extension(name.encode()) for name in GFM_EXTENSIONS]
    # UNSAFE: raw HTML passes to the sanitiser, as with Python-Markdown. cmark's safe mode
    # would drop every tag (a writer's <b> too, leaving an omitted <script>'s code as text) and
    # could keep nothing for raw_html = "trusted". Table alignment as a style, which the
    # sanitiser keeps (an align attribute it does not).
    options = lib.CMARK_OPT_UNSAFE | lib.CMARK_OPT_FOOTNOTES | lib.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
    return _Cmark(lib, ffi, free, node_free, extensions, options)


def gfm_to_html(text: str) -> str:
    """Render a body as GitHub-flavoured Markdown (cmark-gfm), before sanitising."""
    c = _cmark()
    rendered = _cmark_html(c, text, c.extensions, c.options)
    return _CHECKBOX.sub(lambda m: _CHECKBOXES[m.group()], rendered) if "<input" in rendered else rendered


def plain_to_html(text: str) -> str:
    """Render a plain body (plain_markdown.is_plain) with cmark, as Python-Markdown would."""
    c = _cmark()
    # What remains of the engines' difference for such a body: cmark ends every block with a
    # newline and writes a double quote in text as a reference.
    return _cmark_html(c, text, [], c.lib.CMARK_OPT_UNSAFE).rstrip("\n").replace("&quot;", '"')


def _cmark_html(c: _Cmark, text: str, extensions: list[Any], options: int) -> str:
    data = text.encode("utf-8")
    parser = c.lib.cmark_parser_new(options)
    try:
        for extension in extensions:
            c.lib.cmark_parser_attach_syntax_extension(parser, extension)
        c.lib.cmark_parser_feed(parser, data, len(data))
        root = c.lib.cmark_parser_finish(parser)
        try:
            raw = c.lib.cmark_render_html(root, options, c.lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return c.ffi.string(raw).decode("utf-8")
            finally:
                c.free(int(c.ffi.cast("uintptr_t", raw)))
        finally:
            c.node_free(int(c.ffi.cast("uintptr_t", root)))
    finally:
        c.lib.cmark_parser_free(parser)


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
