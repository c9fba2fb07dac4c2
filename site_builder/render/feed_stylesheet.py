"""The page a browser shows for a feed: static/feed.xsl, an XSLT stylesheet every feed names
(feedgen_fixes.py), rendered from the theme's feed.xsl in the site's language — the theme's
words (i18n/<language>.toml), its month names and digits (CLDR) — as the feeds are in it.
A site whose theme has a static/feed.xsl of its own (templates/static/: an older theme copied
by `init --templates`) keeps it.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import jinja2

from ..core.model import OutputFile, SiteConfig
from ..incremental.output_keys import Fingerprinter
from .feed_urls import STYLESHEET
from .locale_format import locale_of, with_digits

TEMPLATE = "feed.xsl"


class _Page(NamedTuple):
    lang: str  # what i18n() speaks, as on any page


def feed_stylesheets(env: jinja2.Environment, config: SiteConfig, fingerprint: Fingerprinter,
                     copies: dict[str, Path]) -> list[OutputFile]:
    """Return static/feed.xsl, rendered on demand (its key holds the theme and the language);
    none when the theme's static/ has one, which is copied as it is (`copies`)."""
    if STYLESHEET in copies:
        return []
    language = config.language
    context = {
        "site": config,
        "page": _Page(language),
        "digits": with_digits("0123456789", language),
        # as a date names them ("10 July"), not standing alone: some languages decline them
        "month_names": [locale_of(language).months["format"]["wide"][m] for m in range(1, 13)],
    }
    return [OutputFile(STYLESHEET, fingerprint.key(TEMPLATE, context),
                       lambda: env.get_template(TEMPLATE).render(context).encode("utf-8"))]
