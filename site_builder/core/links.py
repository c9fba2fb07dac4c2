"""Rewrite the URLs in an HTML fragment: per page for the site, absolute for feeds."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote, urljoin, urlsplit

# Markdown writes double-quoted attributes; raw HTML in a body may use single quotes or none
# (a value then runs to a space or '>', quotes included, as browsers read it), and browsers
# read <a/href=…> as an href too. Anything that looks like such an attribute is rewritten,
# wherever it is (in a comment, in a title's text: harmless), so none a browser follows is
# missed, however the HTML around it is broken.
_VALUE = r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>][^\s>]*))"""
# xlink:href is SVG's link; action and formaction are where a form goes; data, what <object> loads.
_URL_NAME = r"[\s/](?:xlink:)?(?:href|src|poster|action|formaction|data)\s*="
_SRCSET_NAME = r"[\s/]srcset\s*="


class _Attribute:
    """Where an attribute of some names is in a fragment, and its value (a match of `whole`).

    The regex alone tries at every space of a body's text: a quarter of a millisecond an
    article, twice a build (parsing asks if a body has site-root URLs; its feed entry makes
    every URL absolute). A match is a separator, a name of at most `longest` characters, spaces
    and an '=', the first '=' after the separator: so it is looked for only just before each
    '=', which a body's text has few of, and found exactly where whole.sub finds it (the tests
    hold the two to it)."""

    def __init__(self, name: str, longest: int):
        self.whole = re.compile(f"(?P<name>{name}\\s*)" + _VALUE, re.IGNORECASE)
        self.name = re.compile(name, re.IGNORECASE)
        # IGNORECASE folds one character to one ('ſ' is 's'): a name's length is its length
        self.reach = 1 + longest

    def sub(self, replace: Callable[[re.Match], str], fragment: str) -> str:
        """Return whole.sub(replace, fragment)."""
        parts: list[str] = []
        done = floor = 0  # the end of the last match; where the next can begin (after any '=' seen)
        eq = fragment.find("=")
        while eq >= 0:
            name_end = eq
            while name_end > floor and fragment[name_end - 1].isspace():  # \s is str.isspace
                name_end -= 1
            found = self.name.search(fragment, max(floor, name_end - self.reach), eq + 1)
            match = self.whole.match(fragment, found.start()) if found else None
            if match is None:  # no attribute ends at this '=' (or its value is missing)
                floor = eq + 1
            else:
                parts += (fragment[done:match.start()], replace(match))
                done = floor = match.end()
            eq = fragment.find("=", floor)
        return "".join(parts) + fragment[done:] if parts else fragment


_URL_ATTR = _Attribute(_URL_NAME, len("xlink:formaction"))
_SRCSET_ATTR = _Attribute(_SRCSET_NAME, len("srcset"))

# A browser reads a URL as the WHATWG URL Standard says: character references decoded (HTML),
# then leading and trailing C0 controls and spaces stripped and every tab, newline and carriage
# return removed, wherever it is ("java\tscript:" is javascript:). The scheme is read from that.
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# Inline pictures are fine; any other data: URL (text/html, image/svg+xml…) can hold script.
_DATA_PICTURE = re.compile(r"data:\s*image/(?:png|gif|jpeg|jpg|webp|avif)\s*[;,]", re.IGNORECASE)


def _as_read(url: str) -> str:
    """Return the URL with its character references decoded, until none is left (a feed
    reader that unescapes its HTML once too often must not find a scheme either), without
    the controls and spaces at its ends, or tabs and newlines anywhere."""
    decoded = html.unescape(url)
    while decoded != url:
        url, decoded = decoded, html.unescape(decoded)
    return _TAB_OR_NEWLINE.sub("", url).strip(_C0_AND_SPACE)


def url_scheme(url: str) -> str | None:
    """Return the scheme a browser reads in an attribute's URL, lowercased ('javascript' for
    'java&#x09;script:…'), or None for a relative URL."""
    match = _SCHEME.match(_as_read(url))
    return match.group(1).lower() if match else None


def is_executable(url: str) -> bool:
    """Whether following the URL runs code: javascript:, vbscript:, or a data: URL that is not
    a picture. Never published, whoever wrote the body."""
    scheme = url_scheme(url)
    if scheme == "data":
        return not _DATA_PICTURE.match(_as_read(url))
    return scheme in ("javascript", "vbscript")


def rewrite_urls(fragment: str, convert: Callable[[str], str]) -> str:
    """Return the fragment with every href, src, poster, action and srcset URL passed through
    convert; a URL that runs code (is_executable) becomes "#"."""
    return map_urls(fragment, lambda url: "#" if is_executable(url) else convert(url))


def map_urls(fragment: str, convert: Callable[[str], str]) -> str:
    """Return the fragment with every href, src, poster, action and srcset URL passed through
    convert, whatever its scheme (the importer resolves relative URLs with it, and leaves
    judging schemes to markdown_escape)."""
    if "=" not in fragment:
        return fragment
    fragment = _URL_ATTR.sub(lambda m: _quoted(m, convert), fragment)
    return _SRCSET_ATTR.sub(lambda m: _quoted(m, lambda v: _srcset(v, convert)), fragment)


def _quoted(match: re.Match, convert: Callable[[str], str]) -> str:
    """Rewrite one attribute's value in its own quotes. An unquoted value stays unquoted: the
    match may be text inside another attribute's quoted value (title="a src=x onmouseover=…"),
    where a quote added here would end that value and make what follows an attribute."""
    bare = match.group("bare")
    if bare is not None and '"' not in bare:  # (one with '"' is in no double-quoted value)
        return match.group("name") + _UNQUOTED_UNSAFE.sub(lambda c: f"%{ord(c.group()):02X}", convert(bare))
    quote = "'" if match.group("sq") is not None else '"'
    new = convert(match.group("sq") if quote == "'" else match.group("dq") if bare is None else bare)
    new = new.replace('"', "&quot;") if quote == '"' else new.replace("'", "&#39;")
    return f"{match.group('name')}{quote}{new}{quote}"


# What an unquoted value cannot hold without ending (or changing) the attribute around it
_UNQUOTED_UNSAFE = re.compile(r"[\s\">]")


def _srcset(value: str, convert: Callable[[str], str]) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            candidates.append(" ".join([convert(parts[0]), *parts[1:]]))
    # an unquoted srcset (no descriptors: they need a space) stays one word
    return ("," if len(value.split()) == 1 else ", ").join(candidates)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def iri_to_uri(path: str) -> str:
    """Return a path or URL with each non-ASCII character percent-encoded as UTF-8 (RFC 3987
    §3.1: 'tags/إيران/' → 'tags/%D8%A5…/'), as feeds, sitemaps and HTTP want it; the rest as it is."""
    return _NON_ASCII.sub(lambda m: quote(m.group(), safe=""), path) if not path.isascii() else path


def root_of(path: str) -> str:
    """Return the relative way from the page at a site-relative path ('articles/x/index.html')
    back to the site's root ('../../'; './' at the root), so a project site's sub-path is kept."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


def relative_linker(page: str) -> Callable[[str], str]:
    """Return what makes a site-relative path ('tags/peru/') a link from the page at `page`
    ('tags/cuba/page/3/index.html' → '../../../peru/'): the shortest relative way, the folders
    they share left out (every page carries hundreds of links, and a project site's sub-path is
    kept as with root_of). The target is percent-encoded (iri_to_uri)."""
    folders = page.split("/")[:-1]
    up = "../" * len(folders)
    first = folders[0] + "/" if folders else None

    def link(target: str) -> str:
        if first is None or not target.startswith(first):  # no folder shared: most links
            way = up + target
            return iri_to_uri(way) if way else "./"
        parts = target.split("/")
        shared = 0
        for mine, theirs in zip(folders, parts[:-1]):
            if mine != theirs:
                break
            shared += 1
        way = "../" * (len(folders) - shared) + "/".join(parts[shared:])
        return iri_to_uri(way) if way else "./"
    return link


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
