"""Keys that identify exactly the data an output file is rendered from.

A page's key is a hash of its template context with each Article replaced by the digest of
its fields and the site-wide names of its tags, plus the site's settings and the theme; pages
that show a body add the digest of the article's source. A feed's key leaves the theme out:
no template shapes a feed (it names the theme's static/feed.xsl by a fixed path, never by its
bytes), so a theme change rewrites no feed (issue #15). Equal keys mean equal data, so the
file need not be rendered again.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
from functools import partial
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.model import Article, OutputFile, Tag


def article_key(article: Article) -> str:
    """Return what identifies an article's fields on any page: their digest (not the body's:
    only the article's own page and the feeds show it, and they add `article.digest`), and
    the site-wide names of its tags, which other files can change."""
    return article.meta_digest + "|" + "|".join(t.name for t in article.tags)


class Fingerprinter:
    """Hashes template contexts; remembers the key of each large shared object once made."""

    def __init__(self, *shared: str, theme: str = ""):
        self.shared = "|".join((__version__, *shared, theme))
        self._unthemed = "|".join((__version__, *shared))
        self._memo: dict[int, tuple[object, str]] = {}

    def without_theme(self) -> Fingerprinter:
        """Return a Fingerprinter whose keys leave the theme out, for outputs no template
        shapes (feeds: a theme change must not rewrite them, issue #15)."""
        other = copy.copy(self)  # the same memo of large shared objects
        other.shared = self._unthemed
        return other

    def key(self, *parts: Any) -> str:
        """Return the key of the given data, along with the shared settings and theme."""
        text = self.shared + "\0" + "\0".join(map(self._repr, parts))
        return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()

    def _repr(self, value: Any) -> str:
        # A text that differs whenever the data does; this runs ~300,000 times on a rebuild
        # of a 10,000-article site, so the common kinds come first and large shared objects
        # (articles, tags, long lists) are remembered by identity.
        kind = type(value)
        if kind in _PLAIN:
            return repr(value)
        if kind is Article or kind is Tag or (kind is tuple and len(value) > 50):
            memo = self._memo.get(id(value))
            if memo is not None and memo[0] is value:
                return memo[1]
            text = "A:" + article_key(value) if kind is Article else self._describe(kind, value)
            self._memo[id(value)] = (value, text)  # holding value keeps its id its own
            return text
        return self._describe(kind, value)

    def _describe(self, kind: type, value: Any) -> str:
        if kind is list or kind is tuple:
            return self._short("[" + ",".join(map(self._repr, value)) + "]")
        if kind is dict:  # insertion order: contexts and front matter are built in a fixed order
            return self._short("{" + ",".join([repr(k) + ":" + self._repr(v) for k, v in value.items()]) + "}")
        if dataclasses.is_dataclass(value):  # fields in declaration order: no need for their names
            return self._short(kind.__name__ + "(" + ",".join(map(self._repr, vars(value).values())) + ")")
        if kind is set or kind is frozenset:
            return self._short("{" + ",".join(sorted(map(self._repr, value))) + "}")
        return repr(value)

    @staticmethod
    def _short(text: str) -> str:
        """Hash long texts (every article of a tag), so keys of lists of them stay short."""
        return text if len(text) < 4096 else "#" + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


_PLAIN = frozenset({str, int, float, bool, type(None), dt.datetime, dt.date})


def files_digest(folders: list[Path]) -> str:
    """Return a hash of the names and bytes of every file under the folders (the theme)."""
    digest = hashlib.blake2b(digest_size=20)
    for folder in folders:
        for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if file.is_file():
                digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def whole_file(path: str, data: bytes) -> OutputFile:
    """Return an output made whole in advance: cheap to make, so its key is its bytes' digest."""
    return OutputFile(path, hashlib.blake2b(data).hexdigest(), partial(bytes, data))
