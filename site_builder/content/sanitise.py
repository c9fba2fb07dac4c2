"""Sanitise a rendered body: keep the markup a news article is made of, remove what can run.

A body's raw HTML may come from anywhere: pasted from a web page, or imported from another
site's feed. With `raw_html = "safe"` (the default, as Hugo renders no raw HTML unless asked)
every body goes through ammonia (the `nh3` binding), an HTML5 parser that keeps only the
allow-list below and checks each href and src as a browser reads it: character references
decoded, tabs and newlines removed, then the scheme. With `raw_html = "trusted"` bodies pass as
written; links.py still turns any URL that runs code into "#".
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from ..core.links import is_executable, url_scheme

# What news articles are made of; Python-Markdown's tables, footnotes and fenced code, and
# cmark-gfm's (markdown = "gfm": its footnotes are a <section>), emit only these. Anything else (script, style, object, embed, form, input, svg, math, base…)
# is removed; the text inside it stays, except in CLEAN_CONTENT (code, or never shown).
TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "q", "cite",
    "abbr", "dfn", "kbd", "samp", "var", "code", "pre", "time", "data", "bdi", "bdo", "wbr",
    "a", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "figure", "figcaption", "img", "picture", "source",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "details", "summary", "iframe", "section",
})
CLEAN_CONTENT = frozenset({"script", "style", "template", "noscript", "title", "textarea"})
_EVERYWHERE = {"id", "title", "lang", "dir", "class"}
ATTRIBUTES = {
    "*": _EVERYWHERE,
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "sizes", "media", "type", "width", "height"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "time": {"datetime"}, "data": {"value"}, "abbr": {"title"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "th": {"colspan", "rowspan", "scope", "style"}, "td": {"colspan", "rowspan", "style"},
    "col": {"span"}, "colgroup": {"span"}, "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# An embedded page runs its own scripts in its own origin; the sandbox also keeps it from
# navigating the reader's tab away (allow-top-navigation is not granted).
_IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
# Python-Markdown aligns table columns with a style; no other style survives.
_TABLE_ALIGN = re.compile(r"text-align:\s*(left|right|center);?")
# Link relations a writer may mean (nofollow and sponsored for paid links, as search engines
# ask); site-builder adds none of its own: see README "Raw HTML in bodies".
_REL = frozenset({"nofollow", "ugc", "sponsored", "noopener", "noreferrer", "external", "license",
                  "author", "tag", "footnote", "me"})
# Classes are kept for what the theme and Markdown use them for; a body cannot borrow the
# page's own classes to dress itself as the site's navigation.
_CLASSES = frozenset({"footnote", "footnotes", "footnote-ref", "footnote-backref", "codehilite", "caption",
                      "credit"})
_CODE_CLASS = re.compile(r"language-[\w+#.-]+")
# ammonia keeps an iframe whose src it had to remove; an empty frame is worse than none.
# Its output is canonical (attributes double-quoted, '"' escaped), so this reads it exactly.
_IFRAME = re.compile(r'<iframe((?:\s[^\s="]+(?:="[^"]*")?)*)>.*?</iframe>', re.DOTALL)


def sanitise(body_html: str, mode: str, embed_hosts: tuple[str, ...] = ()) -> str:
    """Return the body as the site publishes it: with mode "safe", only allow-listed markup
    and URLs that run no code; with "trusted", as written."""
    if mode == "trusted":
        return body_html
    cleaner = _cleaner(tuple(sorted(embed_hosts)))
    clean = cleaner.clean(body_html)
    # Removing an element can leave a tree no parser builds (<p><select><p> → <p><p>), which a
    # browser re-reads differently from what was checked; cleaning the output again until it
    # no longer changes publishes HTML that reads back as the tree that was checked. A body
    # the first clean gave back as it was is such HTML already (most bodies: the second clean
    # was half of a cold build's sanitising).
    for _ in range(3 if clean != body_html else 0):
        again = cleaner.clean(clean)
        if again == clean:
            break
        clean = again
    return _IFRAME.sub(_frame, clean) if "<iframe" in clean else clean


# What a writer puts in a body on purpose and would miss: named in a warning when removed
_NOTABLE = re.compile(r"<(script|style|iframe|form|object|embed|svg|math)\b|<[a-zA-Z][^>]*?\s(on)[a-z]+\s*=", re.IGNORECASE)


def removed(before: str, after: str) -> list[str]:
    """Name the notable things a clean removed: '<script>', '<iframe>', 'on… handlers'."""
    def counts(fragment: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for match in _NOTABLE.finditer(fragment):
            name = f"<{match.group(1).lower()}>" if match.group(1) else "on… handlers"
            found[name] = found.get(name, 0) + 1
        return found
    kept = counts(after)
    return [name for name, count in counts(before).items() if count > kept.get(name, 0)]


def _frame(match: re.Match) -> str:
    attributes = match.group(1)
    return f"<iframe{attributes}></iframe>" if ' src="' in attributes else ""


@lru_cache(maxsize=4)
def _cleaner(embed_hosts: tuple[str, ...]) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS), clean_content_tags=set(CLEAN_CONTENT), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_filter(frozenset(h.lower() for h in embed_hosts)), strip_comments=True,
        link_rel=None, url_schemes=set(URL_SCHEMES),
        set_tag_attribute_values={"iframe": {"sandbox": _IFRAME_SANDBOX}})


def _filter(embed_hosts: frozenset[str]) -> Callable[[str, str, str], str | None]:
    """Return ammonia's attribute callback: what it does not check itself (srcset, an
    iframe's host, classes, rel, table alignment). None removes the attribute."""
    def keep(tag: str, name: str, value: str) -> str | None:
        if name == "srcset":
            return value if all(_safe_url(url) for url in srcset_urls(value)) else None
        if tag == "iframe" and name == "src":
            parts = urlsplit(value.strip())
            return value if parts.scheme == "https" and (parts.hostname or "") in embed_hosts else None
        if name == "class":
            kept = [c for c in value.split() if c in _CLASSES or (tag == "code" and _CODE_CLASS.fullmatch(c))]
            return " ".join(kept) or None
        if name == "rel":
            kept = [r for r in value.lower().split() if r in _REL]
            return " ".join(kept) or None
        if name == "style":
            align = _TABLE_ALIGN.fullmatch(value.strip())
            return f"text-align: {align.group(1)};" if align else None
        return value
    return keep


def _safe_url(url: str) -> bool:
    scheme = url_scheme(url)
    return not is_executable(url) and (scheme is None or scheme in URL_SCHEMES)


def srcset_urls(value: str) -> list[str]:
    """Return the URLs of a srcset, split as the HTML standard does (a URL may hold commas;
    a comma ends a candidate only after its URL or outside parentheses in its descriptors)."""
    urls: list[str] = []
    pos, end = 0, len(value)
    while True:
        while pos < end and value[pos] in ", \t\n\r\f":
            pos += 1
        if pos >= end:
            return urls
        start = pos
        while pos < end and value[pos] not in " \t\n\r\f":
            pos += 1
        url = value[start:pos]
        urls.append(url.rstrip(","))
        if url.endswith(","):
            continue
        depth = 0
        while pos < end and not (value[pos] == "," and depth == 0):
            if value[pos] == "(":
                depth += 1
            elif value[pos] == ")" and depth:
                depth -= 1
            pos += 1
        pos += 1
