"""Tell from its letters whether an article is in a right-to-left language, and which.

Only what the script shows is claimed: Hebrew letters → `he`; Arabic letters → `ur` when the
letters only Urdu uses are there (ٹ ڈ ڑ ں ے), `fa` when those of Persian are (پ چ ژ گ ک ی),
else `ar`. Text that is mostly in another script gets no language: the site's own applies.
"""
from __future__ import annotations

import re
import unicodedata

# A language tag as HTML's lang, XML's xml:lang and RFC 4287's schema take it (BCP 47's
# syntax, loosely): "ar", "en", "fa-IR", "zh-Hant".
LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")

_URDU = set("ٹڈڑںے")
_PERSIAN = set("پچژگکی")


def rtl_language(text: str) -> str | None:
    """Return 'ar', 'fa', 'ur' or 'he' when most letters of text are of that script, else None."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    hebrew = sum(1 for c in letters if "HEBREW" in unicodedata.name(c, ""))
    arabic = [c for c in letters if "ARABIC" in unicodedata.name(c, "")]
    if hebrew * 2 > len(letters):
        return "he"
    if len(arabic) * 2 <= len(letters):
        return None
    present = set(arabic)
    if present & _URDU:
        return "ur"
    return "fa" if present & _PERSIAN else "ar"
