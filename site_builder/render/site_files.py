"""The files a published site needs besides pages and feeds: sitemap, robots.txt, markers."""
from __future__ import annotations

from xml.sax.saxutils import escape

from ..core.model import OutputFile, Site
from ..core.names import NEWS_SITEMAP, SEARCH_PAGE
from ..incremental.output_keys import whole_file
from .news_sitemap import news_sitemap_file


def site_files(site: Site, page_paths: list[str]) -> list[OutputFile]:
    """Return sitemap.xml, news-sitemap.xml, robots.txt, .nojekyll and (when configured) CNAME."""
    config = site.config
    files = {
        "sitemap.xml": sitemap(site, page_paths),
        "robots.txt": (f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute('sitemap.xml')}\n"
                       f"Sitemap: {config.absolute(NEWS_SITEMAP)}\n").encode(),
        # GitHub Pages would otherwise run Jekyll over the site and drop _-prefixed files.
        ".nojekyll": b"",
    }
    if config.cname:
        files["CNAME"] = (config.cname.strip() + "\n").encode()
    return [whole_file(path, data) for path, data in files.items()] + [news_sitemap_file(site)]


def sitemap(site: Site, page_paths: list[str]) -> bytes:
    """Return a sitemaps.org sitemap of every page, with lastmod for articles."""
    lastmod = {a.path + "index.html": a.last_modified for a in site.articles}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in page_paths:
        if path in ("404.html", SEARCH_PAGE):  # no page of its own: an error, a search's results (noindex)
            continue
        url = site.config.absolute(path.removesuffix("index.html"))
        modified = f"<lastmod>{lastmod[path].isoformat()}</lastmod>" if path in lastmod else ""
        lines.append(f"  <url><loc>{escape(url)}</loc>{modified}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode()
