"""The Google News sitemap: the articles of the two days before the newest, as Google reads them."""
from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import BASE_URL, article, make_site, output_files

from site_builder.build.run import build
from site_builder.commands.check import check_site
from site_builder.core.config import load_config
from site_builder.render.news_sitemap import news_language

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def entries(out: Path) -> list[dict[str, str]]:
    """Return each <url> of news-sitemap.xml as {loc, name, language, date, title}."""
    root = ET.parse(out / "news-sitemap.xml").getroot()
    assert root.tag == "{" + NS["s"] + "}urlset"
    return [{"loc": url.findtext("s:loc", namespaces=NS),
             "name": url.findtext("news:news/news:publication/news:name", namespaces=NS),
             "language": url.findtext("news:news/news:publication/news:language", namespaces=NS),
             "date": url.findtext("news:news/news:publication_date", namespaces=NS),
             "title": url.findtext("news:news/news:title", namespaces=NS)}
            for url in root.findall("s:url", NS)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("news") / "s", {
        "content/newest.md": article("Newest & <Best>", "2024-03-10T12:00:00+00:00"),
        "content/yesterday.md": article("عُمان وكوبا", "2024-03-09T00:00:00+03:00", language="ar"),
        "content/edge.md": article("Exactly Two Days", "2024-03-08T12:00:00+00:00"),  # not within: 48 h before
        "content/old.md": article("Old", "2024-02-01"),
        "content/draft.md": article("Draft", "2024-03-10T13:00:00+00:00", draft="true"),
    })
    build(site, now=dt.datetime(2024, 3, 20, tzinfo=dt.UTC))
    return site


def test_it_lists_exactly_the_articles_of_the_two_days_before_the_newest(site):
    assert entries(site / "output") == [
        {"loc": BASE_URL + "articles/newest/", "name": "Test News", "language": "en",
         "date": "2024-03-10T12:00:00+00:00", "title": "Newest & <Best>"},
        {"loc": BASE_URL + "articles/yesterday/", "name": "Test News", "language": "ar",
         "date": "2024-03-09T00:00:00+03:00", "title": "عُمان وكوبا"},
    ]


def test_robots_txt_names_both_sitemaps_and_check_accepts_them(site):
    robots = (site / "output/robots.txt").read_text()
    assert f"Sitemap: {BASE_URL}sitemap.xml\n" in robots and f"Sitemap: {BASE_URL}news-sitemap.xml\n" in robots
    report = check_site(site / "output", load_config(site), site)
    assert report.problems == []


def test_check_finds_a_listed_address_that_is_no_article(site, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(site / "output", out)
    text = (out / "news-sitemap.xml").read_text().replace("articles/newest/", "articles/gone/")
    (out / "news-sitemap.xml").write_text(text)
    messages = [p.message for p in check_site(out, load_config(site)).problems if p.file == "news-sitemap.xml"]
    assert messages and "articles/gone/" in messages[0]


def test_it_is_the_same_whenever_it_is_built(site, tmp_path):
    """The window is counted from the newest article, not the clock: built years later, the same."""
    later = tmp_path / "later"
    shutil.copytree(site, later, ignore=shutil.ignore_patterns(".site-builder-cache", "output", ".output.*"))
    build(later, now=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    assert (later / "output/news-sitemap.xml").read_bytes() == (site / "output/news-sitemap.xml").read_bytes()


def test_an_empty_site_has_an_empty_news_sitemap(tmp_path):
    site = make_site(tmp_path / "s", {"content/.keep": ""})
    build(site)
    assert entries(site / "output") == []


def test_at_most_a_thousand_articles(tmp_path):
    files = {f"content/a{i}.md": article(f"Story {i}", f"2024-03-10T{i // 60 % 24:02}:{i % 60:02}:00+00:00")
             for i in range(1001)}
    files |= {f"content/b{i}.md": article(f"Day before {i}", f"2024-03-09T{i // 60 % 24:02}:{i % 60:02}:00+00:00")
              for i in range(5)}
    site = make_site(tmp_path / "s", files)
    build(site)
    listed = entries(site / "output")
    assert len(listed) == 1000 and all("/articles/a" in e["loc"] for e in listed)


@pytest.mark.parametrize(("field", "old", "new"), [("title", "Old Title", "New Title"), ("language", "en", "ar")])
def test_an_edit_that_moves_no_article_rewrites_it_as_a_cold_build_would(tmp_path, field, old, new):
    def write(value: str) -> None:
        fields = {"title": "Old Title", "language": "en"} | {field: value}
        (site / "content/a.md").write_text(article(fields["title"], "2024-03-10", slug="a", language=fields["language"]))

    site = make_site(tmp_path / "s", {"content/b.md": article("Other", "2024-03-09")})
    write(old)
    build(site)
    write(new)
    build(site)
    assert {e["loc"]: e[field] for e in entries(site / "output")}[BASE_URL + "articles/a/"] == new
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns(".site-builder-cache", "output", ".output.*"))
    build(cold)
    assert output_files(site / "output") == output_files(cold / "output")


@pytest.mark.parametrize(("tag", "google"), [("en", "en"), ("pt-BR", "pt"), ("AR", "ar"), ("zh", "zh-cn"),
                                             ("zh-Hant", "zh-tw"), ("zh-TW", "zh-tw"), ("zh-Hans-CN", "zh-cn")])
def test_languages_are_named_as_google_news_names_them(tag, google):
    assert news_language(tag) == google
