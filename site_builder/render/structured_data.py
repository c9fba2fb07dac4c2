"""A page's structured data for search engines: schema.org JSON-LD, and the script text that
carries it safely inside HTML.

An article page says it is a `NewsArticle` with what Google's Article rich result asks for
(headline, image, dates, authors, publisher with logo); the home page says it is the
`WebSite`. https://developers.google.com/search/docs/appearance/structured-data/article
"""
from __future__ import annotations

import json
from typing import Any

from ..core.config import SiteConfig
from ..core.model import Article

# Google shows at most 110 characters of a headline; a longer one is cut at a word.
HEADLINE_LIMIT = 110
# The publisher's logo when site.toml names none: the theme's 180×180 touch icon.
THEME_LOGO = "static/apple-touch-icon.png"


def script_text(data: dict[str, Any]) -> str:
    """Return data as JSON to put between <script type="application/ld+json"> and </script>."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # In a <script> element's text, the HTML parser looks for "</script" and "<!--" and nothing
    # else; JSON escapes of these three keep any text from closing the element or opening a
    # comment, and read back as the same characters. (replace(), not translate(): that looks
    # every character up, 10,000 pages' worth.)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def news_article(article: Article, config: SiteConfig, canonical: str, image: str | None = None) -> dict[str, Any]:
    """Return the schema.org NewsArticle of an article page; `image` is the absolute URL of
    the picture it is shared with (share_cards.card_image)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline(article.title),
        "datePublished": article.date.isoformat(),
        "dateModified": article.last_modified.isoformat(),
        "author": authors(article, config),
        "publisher": publisher(config),
        "inLanguage": article.language or config.language,
        "mainEntityOfPage": canonical,
    }
    if image:
        data["image"] = [image]
    return data


def web_site(config: SiteConfig, description: str) -> dict[str, Any]:
    """Return the schema.org WebSite of the home page."""
    return {"@context": "https://schema.org", "@type": "WebSite", "name": config.title,
            "url": config.base_url, "inLanguage": config.language, "description": description}


def headline(title: str) -> str:
    """Return the title, cut at a word with an ellipsis when longer than Google shows."""
    if len(title) <= HEADLINE_LIMIT:
        return title
    cut = title[:HEADLINE_LIMIT - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
    return words.rstrip(" ,;:–—-") + "…"


def authors(article: Article, config: SiteConfig) -> list[dict[str, str]]:
    """Return each author of the byline as a Person with their page (an article naming none
    has the site's author), and the site itself (an Organization) when there is none."""
    if not article.authors:
        return [{"@type": "Organization", "name": config.title, "url": config.base_url}]
    return [{"@type": "Person", "name": author.name, "url": config.absolute(author.path)} for author in article.authors]


def publisher(config: SiteConfig) -> dict[str, Any]:
    """Return the site as the publisher: an Organization with its logo."""
    return {"@type": "Organization", "name": config.title, "url": config.base_url,
            "logo": {"@type": "ImageObject", "url": logo_url(config)}}


def logo_url(config: SiteConfig) -> str:
    """Return the absolute URL of the site's logo (site.toml's `logo`, else the theme's icon)."""
    return config.absolute(config.logo or THEME_LOGO)


def absolute(config: SiteConfig, image: str) -> str:
    """Return an image's absolute URL: a remote one as it is, a file of the site under base_url."""
    return image if "://" in image else config.absolute(image.lstrip("/"))
