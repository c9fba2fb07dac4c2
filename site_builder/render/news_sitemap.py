"""The Google News sitemap, news-sitemap.xml: the articles of the site's last two days.

Google reads only articles "created in the last two days" from a news sitemap, at most 1,000
of them (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
The two days are counted back from the newest article's date, not from the clock: the same
articles build the same file, whenever and however (incrementally or not) they are built.
A site that stops publishing keeps listing its last two days until its next article; Google
ignores the entries older than two days. An empty news sitemap is valid (Google warns, once,
that it is empty).
"""
from __future__ import annotations

import datetime as dt
from itertools import islice, takewhile
from xml.sax.saxutils import escape

from ..core.model import Article, ArticleList, OutputFile, Site
from ..core.names import NEWS_SITEMAP
from ..incremental.output_keys import whole_file

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
WINDOW = dt.timedelta(days=2)
MOST = 1000  # <news:news> entries Google reads from one sitemap


def news_articles(articles: ArticleList) -> list[Article]:
    """Return the articles dated less than two days before the newest, newest first (at most
    1,000). Reads only those: a rebuild's articles load from the cache as they are read."""
    if not articles:
        return []
    since = articles[0].date - WINDOW
    return list(islice(takewhile(lambda a: a.date > since, articles), MOST))


def news_sitemap_file(site: Site) -> OutputFile:
    """Return news-sitemap.xml: each recent article's URL, publication, date and title."""
    config = site.config
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">']
    for article in news_articles(site.articles):
        lines += ["  <url>",
                  f"    <loc>{escape(config.absolute(article.path))}</loc>",
                  "    <news:news>",
                  "      <news:publication>",
                  f"        <news:name>{escape(config.title)}</news:name>",
                  f"        <news:language>{news_language(article.language or config.language)}</news:language>",
                  "      </news:publication>",
                  f"      <news:publication_date>{article.date.isoformat()}</news:publication_date>",
                  f"      <news:title>{escape(article.title)}</news:title>",
                  "    </news:news>",
                  "  </url>"]
    lines.append("</urlset>\n")
    return whole_file(NEWS_SITEMAP, "\n".join(lines).encode())


def news_language(tag: str) -> str:
    """Return a language tag as Google News names a language: ISO 639 ('pt-BR' → 'pt'), but
    Chinese as 'zh-cn' (simplified) or 'zh-tw' (traditional)."""
    parts = tag.lower().split("-")
    if parts[0] != "zh":
        return parts[0]
    return "zh-tw" if {"hant", "tw", "hk", "mo"} & set(parts[1:]) else "zh-cn"
