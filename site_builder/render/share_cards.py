"""What a page tells the sites it is shared on and search engines: its Open Graph tags
(https://ogp.me: the card a shared link shows), the kind of Twitter (X) card, and JSON-LD.

Each property is said once: X takes a card's title, description and image from Open Graph, and
an article's modified time is given only when it differs from its published time (every page
carries these bytes; issue 15's output-size goal counts them)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..core.config import SiteConfig
from ..core.model import Article, language_of
from .images import Picture
from .structured_data import absolute, news_article, script_text, web_site


@dataclass(frozen=True)
class ShareCard:
    """A page's <meta property> tags (Open Graph), <meta name> tags (Twitter) and JSON-LD."""

    properties: tuple[tuple[str, str], ...]
    names: tuple[tuple[str, str], ...]
    json_ld: Markup | None  # safe as the text of a <script> element (structured_data.script_text)


def article_card(article: Article, config: SiteConfig, canonical: str, description: str,
                 picture: Picture | None = None, translated: Sequence[str] = ()) -> ShareCard:
    """Return the card of an article page: type article, its image, times and authors (no
    article:tag: no card shows it, and the page lists its tags), the languages of its
    translations (`translated`). A picture the build processed is shared as its widest
    rendition (1200 px when the source has them: what Open Graph and Google's Article rich
    result ask for), with its size."""
    image = card_image(article, config, picture)
    properties = [*_common(config, article.title, description, canonical, "article",
                           language_of(article, config.language))]
    properties += [("og:locale:alternate", og_locale(language)) for language in translated]
    if image:
        properties.append(("og:image", image))
        if picture:
            properties += [("og:image:width", str(picture.src.width)), ("og:image:height", str(picture.src.height))]
        if article.image_alt:
            properties.append(("og:image:alt", article.image_alt))
    properties.append(("article:published_time", article.date.isoformat()))
    if article.last_modified != article.date:
        properties.append(("article:modified_time", article.last_modified.isoformat()))
    # each author's page: Open Graph's article:author is a profile
    properties += [("article:author", config.absolute(author.path)) for author in article.authors]
    # X reads a card's title, description and image from Open Graph when its own tags are absent
    names = [("twitter:card", "summary_large_image" if image else "summary")]
    if image:
        names.append(("twitter:image", image))
    data = news_article(article, config, canonical, image)
    return ShareCard(tuple(properties), tuple(names), Markup(script_text(data)))


def card_image(article: Article, config: SiteConfig, picture: Picture | None) -> str | None:
    """Return the absolute URL of the picture an article is shared with: a rendition of a
    processed picture, else its image as it is (a remote URL, a .gif), or None."""
    if picture:
        return config.absolute(picture.src.path)
    return absolute(config, article.image) if article.image else None


def site_card(config: SiteConfig, title: str | None, canonical: str, description: str, home: bool) -> ShareCard:
    """Return the card of any other page (type website); the home page's says it is the WebSite."""
    properties = _common(config, title or config.title, description, canonical, "website", config.language)
    names = (("twitter:card", "summary"),)
    json_ld = Markup(script_text(web_site(config, description))) if home else None
    return ShareCard(tuple(properties), names, json_ld)


def _common(config: SiteConfig, title: str, description: str, canonical: str, kind: str,
            language: str) -> list[tuple[str, str]]:
    return [("og:type", kind), ("og:title", title), ("og:description", description), ("og:url", canonical),
            ("og:site_name", config.title), ("og:locale", og_locale(language))]


def og_locale(language: str) -> str:
    """Return a language tag as Open Graph writes a locale: 'pt-BR' → 'pt_BR', 'ar' → 'ar'."""
    return language.replace("-", "_")
