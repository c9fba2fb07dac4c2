"""Rewrite the URLs in an HTML fragment: per page for the site, absolute for feeds."""
from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import urljoin, urlsplit

# Markdown writes double-quoted attributes; raw HTML in a body may use single quotes or none
# (a value then runs to a space or '>', quotes included, as browsers read it), and browsers
# read <a/href=…> as an href too. Anything that looks like such an attribute is rewritten,
# wherever it is (in a comment, in a title's text: harmless), so none a browser follows is
# missed, however the HTML around it is broken.
_VALUE = r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>][^\s>]*))"""
_URL_ATTR = re.compile(r"(?P<name>[\s/](?:href|src|poster)\s*=\s*)" + _VALUE, re.I)
_SRCSET_ATTR = re.compile(r"(?P<name>[\s/]srcset\s*=\s*)" + _VALUE, re.I)


# Schemes that run code when a reader clicks: never published, whoever wrote the body.
_UNSAFE_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)\s*:?", re.I)


def rewrite_urls(fragment: str, convert: Callable[[str], str]) -> str:
    """Return the fragment with every href, src, poster and srcset URL passed through convert;
    a javascript: or vbscript: URL becomes "#"."""
    if "=" not in fragment:
        return fragment
    safe = lambda url: "#" if _UNSAFE_SCHEME.match(html.unescape(url)) else convert(url)  # noqa: E731
    fragment = _URL_ATTR.sub(lambda m: _quoted(m, safe), fragment)
    return _SRCSET_ATTR.sub(lambda m: _quoted(m, lambda v: _srcset(v, safe)), fragment)


def _quoted(match: re.Match, convert: Callable[[str], str]) -> str:
    """Rewrite one attribute's value, keeping its quotes (an unquoted value gets double ones)."""
    quote = "'" if match.group("sq") is not None else '"'
    value = next(v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None)
    new = convert(value)
    if quote == '"' and '"' in new:
        new = new.replace('"', "&quot;")
    return f"{match.group('name')}{quote}{new}{quote}"


def _srcset(value: str, convert: Callable[[str], str]) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            candidates.append(" ".join([convert(parts[0]), *parts[1:]]))
    return ", ".join(candidates)


def page_relative(root: str) -> Callable[[str], str]:
    """Return a converter that points site-root URLs ('/images/x.jpg') below `root`."""
    def convert(url: str) -> str:
        if url.startswith("/") and not url.startswith("//"):
            return root + url.lstrip("/")
        return url
    return convert


def absolute(base_url: str, page_url: str) -> Callable[[str], str]:
    """Return a converter that makes every URL absolute: '/x' under base_url, 'x' under page_url."""
    def convert(url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:  # another site's, or mailto: and the like
            return url
        if url.startswith("/") and not url.startswith("//"):
            return base_url + url.lstrip("/")
        return urljoin(page_url, url)
    return convert
