"""URL slugs of headlines, file names and tags, in the site's `slugs` style:

    "ascii"    transliterated to lowercase ASCII (python-slugify): 'Díaz-Canel' → 'diaz-canel',
               'خامنئي يدعو كوبا' → 'khmnyy-yd-w-kwb' (the default: no existing URL moves)
    "unicode"  every script's letters kept, as Hugo and WordPress write them: 'خامنئي يدعو
               كوبا' → 'خامنئي-يدعو-كوبا'; lowercase, NFC; percent-encoded in links (core/links.py)
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify

from ..core.config import SLUG_BACKEND
from ..core.config import SLUG_STYLES as SLUG_STYLES  # noqa: PLC0414 (re-exported)

_ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Well under the 255 bytes a file name may have, whatever the script (a CJK letter is 3 bytes)
_MAX_BYTES = 200


# A site's tags and authors come back in article after article: each is made into a slug once
@lru_cache(maxsize=4096)
def slug_of(text: str, style: str, max_length: int = 0) -> str:
    """Return text as a slug of the style, at most max_length characters (0: any), cut at a
    hyphen when it can be; '' when text has no letters or digits."""
    if style != "unicode":
        # named, not "auto", which also tries to import Unidecode for every non-ASCII text
        return slugify(text, max_length=max_length, word_boundary=True, backend=SLUG_BACKEND)
    words = _unicode_words(text)
    while len(words) > 1 and _too_long("-".join(words), max_length):
        words = words[:-1]
    slug = "-".join(words)
    return _cut(slug, max_length) if _too_long(slug, max_length) else slug


def _too_long(slug: str, max_length: int) -> bool:
    return bool(max_length and len(slug) > max_length) or len(slug.encode()) > _MAX_BYTES


def _unicode_words(text: str) -> list[str]:
    """Return the runs of letters, marks and digits of the text, lowercased, in NFC."""
    folded = unicodedata.normalize("NFKC", text).lower()
    words: list[str] = []
    word: list[str] = []
    for char in folded:
        kind = unicodedata.category(char)[0]
        if kind in "LN" or (kind == "M" and word):  # a mark belongs to the letter before it
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return [unicodedata.normalize("NFC", w) for w in words]


def _cut(word: str, max_length: int) -> str:
    """Return a single word cut to the limits, never inside a letter and its marks."""
    while _too_long(word, max_length):
        word = word[:-1]
        while word and unicodedata.category(word[-1])[0] == "M":
            word = word[:-1]
    return word


def is_slug(text: str, style: str) -> bool:
    """Say whether text is already a slug of the style (what `slug:` may hold)."""
    if style == "unicode":
        return bool(text) and slug_of(text, style) == text
    return bool(_ASCII_SLUG.fullmatch(text))
