"""Where each feed lives. These URLs are a promise to subscribers: they never change."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.model import Site, Tag, TagSummary

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_TYPE = "application/feed+json"

# format → (file name, MIME type, label)
FORMATS = {
    "rss": ("feed.xml", RSS_TYPE, "RSS"),
    "atom": ("atom.xml", ATOM_TYPE, "Atom"),
    "json": ("feed.json", JSON_TYPE, "JSON Feed"),
}
STYLESHEET = "static/feed.xsl"


@dataclass(frozen=True)
class FeedLink:
    """A feed a page announces with <link rel="alternate"> and links to."""

    title: str
    type: str
    href: str  # absolute, for <link rel="alternate">
    path: str  # site-relative, for links in the page: link(feed.path)
    label: str  # "RSS", "Atom", "JSON Feed"


def feed_path(base: str, fmt: str, archive: str | None = None) -> str:
    """Return the site-relative path of a subscription feed, or of its archive document of one
    month (RFC 5005; `archive` is "YYYY/MM"), for the site (base "") or a tag or author (base
    "tags/<slug>/", "authors/<slug>/"): `atom.xml`, `archive/2024/03/atom.xml`, `tags/iran/archive/2024/03/feed.json`.
    The site's month documents sit next to the month's page, archive/2024/03/index.html."""
    name = FORMATS[fmt][0]
    return base + name if archive is None else f"{base}archive/{archive}/{name}"


def feed_links(site: Site, tag: Tag | TagSummary | None) -> tuple[FeedLink, ...]:
    """Return the feeds of the site (tag None) or of one tag, in the formats the site writes."""
    base = tag.path if tag else ""
    name = f"{site.config.title}: {tag.name}" if tag else site.config.title
    return tuple(
        FeedLink(f"{name} ({FORMATS[fmt][2]})", FORMATS[fmt][1], site.config.absolute(feed_path(base, fmt)),
                 feed_path(base, fmt), FORMATS[fmt][2])
        for fmt in site.config.feeds
    )
