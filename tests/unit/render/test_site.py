"""End-to-end builds: every page of the URL layout exists and shows what a reader expects."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import BASE_URL, article, make_site, output_files

from site_builder.build.run import build


class Page(HTMLParser):
    """The parts of a built page the tests look at."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.anchors: list[str] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attrs))
        if tag == "link":
            self.links.append(attrs)
        if tag == "a" and "href" in attrs:
            self.anchors.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(out: Path, rel: str) -> Page:
    return Page((out / rel).read_text(encoding="utf-8"))


def test_the_url_layout(built):
    files = output_files(built)
    for rel in ["index.html", "404.html", "archive/index.html", "tags/index.html",
                "articles/first-story/index.html", "articles/second-story/index.html",
                "articles/third-story/index.html", "tags/iran/index.html", "tags/iaea/index.html",
                "tags/cuba/index.html", "feed.xml", "atom.xml", "tags/iran/feed.xml",
                "tags/iran/atom.xml", "sitemap.xml", "robots.txt", ".nojekyll",
                "static/style.css", "images/map.png"]:
        assert rel in files, rel
    assert "CNAME" not in files


def test_front_page_lists_newest_first_and_paginates(tmp_path):
    files = {f"content/a{i}.md": article(f"Story {i:02}", f"2024-01-{i:02}") for i in range(1, 13)}
    site = make_site(tmp_path / "s", files, config=f'base_url = "{BASE_URL}"\nper_page = 5\n')
    build(site)
    out = site / "output"
    first, second, third = (page(out, p) for p in ("index.html", "page/2/index.html", "page/3/index.html"))
    titles = lambda p: re.findall(r"Story \d\d", p.plain)
    assert titles(first)[:5] == [f"Story {i:02}" for i in (12, 11, 10, 9, 8)]
    assert titles(third) == ["Story 02", "Story 01"]
    assert "page/2/" in first.anchors
    assert "../../" in second.anchors and "../3/" in second.anchors  # newer and older
    assert not (out / "page/4").exists() and not (out / "page/1").exists()


def test_article_page_shows_everything_about_the_article(built):
    p = page(built, "articles/second-story/index.html")
    assert "Second Story" in p.plain and "Ana Díaz" in p.plain and "A map" in p.plain
    times = [a for t, a in p.tags if t == "time"]
    assert times[0]["datetime"] == "2024-02-10T08:30:00+01:00"
    lead = next(a for t, a in p.tags if t == "img" and a["src"].startswith("../../images/map."))
    assert (lead["alt"], lead["width"], lead["height"]) == ("", "4", "3")  # the processed lead image
    assert "../../tags/iran/" in p.anchors and "../../tags/iaea/" in p.anchors
    assert "../third-story/" in p.anchors and "../first-story/" in p.anchors
    body_images = [a["src"] for t, a in p.tags if t == "img"]
    assert body_images.count("../../images/map.png") == 1  # a root-relative body link works under /repo/


def test_head_has_feeds_canonical_and_description(built):
    home, tag = page(built, "index.html"), page(built, "tags/iran/index.html")
    alternates = lambda p: {l["href"] for l in p.links if l.get("rel") == "alternate"}
    site_feeds = {BASE_URL + "feed.xml", BASE_URL + "atom.xml", BASE_URL + "feed.json"}
    assert alternates(home) == site_feeds
    assert alternates(tag) == site_feeds | {BASE_URL + "tags/iran/feed.xml", BASE_URL + "tags/iran/atom.xml",
                                            BASE_URL + "tags/iran/feed.json"}
    assert {"rel": "canonical", "href": BASE_URL + "tags/iran/"} in tag.links
    assert any(t == "meta" and a.get("name") == "description" for t, a in tag.tags)


def test_tag_pages_merge_spellings_and_count(built):
    tags = page(built, "tags/index.html").plain
    assert re.search(r"Iran\s*2", tags) and re.search(r"IAEA\s*2", tags) and re.search(r"Cuba\s*1", tags)
    iran = page(built, "tags/iran/index.html").plain
    assert iran.index("Second Story") < iran.index("First Story")


def test_the_archive_lists_months_by_year_each_on_its_own_page(built):
    text = page(built, "archive/index.html").plain
    assert re.search(r"2024\s*March\s*1\s*February\s*1\s*January\s*1", text)
    march = page(built, "archive/2024/03/index.html").plain
    assert "Third Story" in march and "Second Story" not in march and "February 2024" in march
    assert "First Story" in page(built, "archive/2024/01/index.html").plain


def test_sitemap_robots_and_cname(sample_site):
    (sample_site / "site.toml").write_text((sample_site / "site.toml").read_text() + 'cname = "news.example.org"\n')
    build(sample_site)
    out = sample_site / "output"
    sitemap = (out / "sitemap.xml").read_text()
    assert f"<loc>{BASE_URL}articles/first-story/</loc>" in sitemap and "404" not in sitemap
    assert f"Sitemap: {BASE_URL}sitemap.xml" in (out / "robots.txt").read_text()
    assert (out / "CNAME").read_text() == "news.example.org\n"


def test_drafts_appear_only_with_the_drafts_option(sample_site):
    (sample_site / "content/draft.md").write_text(article("Secret Plan", "2024-04-01", draft="true", tags="[Iran]"))
    build(sample_site)
    assert "secret" not in " ".join(output_files(sample_site / "output")).lower()
    assert b"Secret Plan" not in (sample_site / "output/tags/iran/feed.xml").read_bytes()
    build(sample_site, drafts=True)
    assert (sample_site / "output/articles/draft/index.html").exists()


def test_front_matter_values_are_escaped_in_pages(tmp_path):
    site = make_site(tmp_path / "s", {"content/x.md": article(
        "<script>alert(1)</script>", "2024-01-01", tags='["<b>bold</b>"]', slug="x",
        image="https://cdn.example.org/x.jpg",
        image_caption="'\"><img src=x onerror=alert(1)>'")})
    build(site)
    html = (site / "output/articles/x/index.html").read_text()
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # the caption, shown as text


def test_site_templates_override_the_default_theme_by_name(sample_site):
    (sample_site / "templates").mkdir()
    (sample_site / "templates/article.html").write_text(
        "{% extends 'base.html' %}{% block content %}<p>custom {{ article.title }}</p>{% endblock %}")
    build(sample_site)
    assert "custom First Story" in (sample_site / "output/articles/first-story/index.html").read_text()
    assert "Tags" in (sample_site / "output/tags/index.html").read_text()  # the rest: default theme


def test_a_site_with_no_articles_still_builds(tmp_path):
    site = make_site(tmp_path / "s", {})
    build(site)
    assert (site / "output/index.html").exists() and (site / "output/feed.xml").exists()
