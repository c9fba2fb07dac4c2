"""The names of a site's files and folders, in one place (and a light one: build.py checks
them before it loads anything)."""

import os

# The installed package's folder (site_builder/): its code, its data, the default theme.
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CONFIG_NAME = "site.toml"
CONTENT_DIR = "content"
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"
OUTPUT_DIR = "output"
CACHE_DIR = ".site-builder-cache"
# The site's own records, kept in its repository (the workflow's fresh clone has no cache):
# the wheels `site-builder pin` keeps, and the addresses articles moved from.
RECORDS_DIR = ".site-builder"
REDIRECTS_FILE = RECORDS_DIR + "/redirects.json"
PREVIEW_DIR = "serve"  # under CACHE_DIR: where `serve` builds its preview
# RFC 8615: the folder other services read files from (security.txt, domain verification
# files); GitHub Pages serves it, so static/.well-known/ is published.
WELL_KNOWN = ".well-known"
# What browsers ask a site for when no page names an icon, and the theme's, which is copied there.
FAVICON = "favicon.ico"
THEME_FAVICON = STATIC_DIR + "/" + FAVICON
# The Google News sitemap (render/news_sitemap.py), beside sitemap.xml; robots.txt names both.
NEWS_SITEMAP = "news-sitemap.xml"


def is_hidden(parts: tuple[str, ...]) -> bool:
    """Say whether a file of static/ (its path's parts, from static/) is left out of the site:
    its name or a folder's on its path starts with '.' (.DS_Store, .git/), but for the files
    of a top-level .well-known/ (whose own dotfiles stay out too)."""
    start = 1 if len(parts) > 1 and parts[0] == WELL_KNOWN else 0
    return any(p.startswith(".") for p in parts[start:])
# Search (build/search_index.py): the results page, and the folder of Pagefind's index and UI.
SEARCH_PAGE = "search/index.html"
SEARCH_DIR = "pagefind"
