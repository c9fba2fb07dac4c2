"""A front page like a news front (issue #16): bylines, author pages and feeds, sections in
the header navigation, a lead story and a grid, related stories under each article."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import feedparser
import lxml.html
import pytest
from conftest import BASE_URL, article, make_site, run_cli

from site_builder.build.run import build
from site_builder.core.errors import SiteError

CONFIG = (f'title = "Test News"\nbase_url = "{BASE_URL}"\nauthor = "Desk"\nid_domain = "user.github.io"\n'
          'per_page = 4\n')


def page(out: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / rel).read_bytes())


def texts(elements: list) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]


def built(tmp_path: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    site = make_site(tmp_path / "site", files, config=config)
    build(site)
    return site / "output"


NEWS = {
    "content/vote.md": article("Budget vote", "2024-03-05", tags="[Politics, Economy]", author="[Ana Díaz, Omar Said]"),
    "content/rates.md": article("Rates rise", "2024-03-04", tags="[Business, Economy]", author="Omar Said"),
    "content/derby.md": article("Derby night", "2024-03-03", tags="[Sport]"),
    "content/poll.md": article("New poll", "2024-03-02", tags="[Politics]", author="Ana Díaz"),
    "content/strike.md": article("Port strike", "2024-03-01", tags="[Business, Politics]"),
    "content/old.md": article("Old news", "2024-02-01", tags="[Politics, Economy]"),
}


# Bylines and author pages


def test_a_byline_names_every_author_and_links_their_pages(tmp_path):
    out = built(tmp_path, NEWS)
    vote = page(out, "articles/vote/index.html")
    assert texts(vote.xpath("//article[@class='post']//span[@class='author']")) == ["By Ana Díaz and Omar Said"]
    assert vote.xpath("//article[@class='post']//a[@rel='author']/@href") == [
        "../../authors/ana-diaz/", "../../authors/omar-said/"]
    # no author: the site's; and cards carry bylines too
    assert texts(page(out, "articles/derby/index.html").xpath("//span[@class='author']")) == ["By Desk"]
    front = page(out, "index.html")
    assert "By Ana Díaz and Omar Said" in texts(front.xpath("//article[contains(@class, 'card')]//span[@class='author']"))


def test_three_authors_read_as_a_list():
    from site_builder.content.article import parse_article
    from site_builder.core.config import SiteConfig

    text = article("T", "2024-01-01", author='["A One", "B Two", "a one", "C Three"]')
    parsed = parse_article("content/t.md", text, SiteConfig(author="Desk")).article
    assert [(a.name, a.path) for a in parsed.authors] == [
        ("A One", "authors/a-one/"), ("B Two", "authors/b-two/"), ("C Three", "authors/c-three/")]
    none = parse_article("content/t.md", article("T", "2024-01-01"), SiteConfig()).article
    assert none.authors == ()


def test_each_author_has_a_paginated_page_newest_first_and_an_index(tmp_path):
    out = built(tmp_path, {**NEWS, **{f"content/desk{i}.md": article(f"Desk {i}", f"2024-01-{i:02}") for i in range(1, 6)}})
    desk = page(out, "authors/desk/index.html")
    assert texts(desk.xpath("//h1")) == ["Desk"]
    assert texts(desk.xpath("//article//h2")) == ["Derby night", "Port strike", "Old news", "Desk 5"]
    assert texts(page(out, "authors/desk/page/2/index.html").xpath("//article//h2")) == ["Desk 4", "Desk 3", "Desk 2", "Desk 1"]
    index = page(out, "authors/index.html")
    assert texts(index.xpath("//main//li/a")) == ["Ana Díaz", "Desk", "Omar Said"]
    assert page(out, "index.html").xpath("//header//nav//a[text()='Authors']/@href") == ["authors/"]


def test_each_author_has_feeds_naming_every_author_of_each_entry(tmp_path):
    out = built(tmp_path, NEWS)
    atom = feedparser.parse(str(out / "authors/omar-said/atom.xml"))
    assert atom.bozo == 0
    assert [e.title for e in atom.entries] == ["Budget vote", "Rates rise"]
    assert [a["name"] for a in atom.entries[0].authors] == ["Ana Díaz", "Omar Said"]
    assert atom.feed.title == "Test News: Omar Said"
    rss = feedparser.parse(str(out / "authors/omar-said/feed.xml"))
    assert rss.bozo == 0 and [e.title for e in rss.entries] == ["Budget vote", "Rates rise"]
    assert [a["name"] for a in rss.entries[0].authors] == ["Ana Díaz", "Omar Said"]  # a dc:creator each
    items = json.loads((out / "authors/omar-said/feed.json").read_text())["items"]
    assert [item["authors"] for item in items] == [[{"name": "Ana Díaz"}, {"name": "Omar Said"}], [{"name": "Omar Said"}]]
    # the site's feed too
    site_feed = feedparser.parse(str(out / "atom.xml"))
    assert {e.title: [a["name"] for a in e.authors] for e in site_feed.entries}["Derby night"] == ["Desk"]


def test_author_pages_and_the_index_are_in_the_sitemap(tmp_path):
    sitemap = (built(tmp_path, NEWS) / "sitemap.xml").read_text()
    for path in ("authors/", "authors/ana-diaz/", "authors/omar-said/", "authors/desk/"):
        assert f"<loc>{BASE_URL}{path}</loc>" in sitemap, path


def test_two_authors_with_one_url_is_an_error_naming_both_files(tmp_path):
    site = make_site(tmp_path / "site", {
        "content/a.md": article("A", "2024-01-01", author="Ana Díaz"),
        "content/b.md": article("B", "2024-01-02", author="Ana Diaz"),
    }, config=CONFIG)
    with pytest.raises(SiteError) as info:
        build(site)
    assert str(info.value) == ("content/b.md: author 'Ana Diaz' has the same URL (authors/ana-diaz/) as author "
                               "'Ana Díaz' of content/a.md: use one spelling")
    assert not (site / "output").exists()


def test_a_tag_clash_and_an_author_clash_are_reported_together(tmp_path):
    site = make_site(tmp_path / "site", {
        "content/a.md": article("A", "2024-01-01", author="Ana Díaz", tags="[C++]"),
        "content/b.md": article("B", "2024-01-02", author="Ana Diaz", tags="[C]"),
    }, config=CONFIG)
    with pytest.raises(SiteError) as info:
        build(site)
    assert str(info.value).splitlines() == [
        "content/b.md: tag 'C' has the same URL (tags/c/) as tag 'C++' of content/a.md: use one spelling",
        ("content/b.md: author 'Ana Diaz' has the same URL (authors/ana-diaz/) as author 'Ana Díaz' of content/a.md: "
         "use one spelling")]


def test_an_author_with_nothing_to_make_a_url_from_is_an_error_naming_the_line(tmp_path):
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-01-01", author='"!!!"')}, config=CONFIG)
    with pytest.raises(SiteError, match=r"^content/a\.md:4: author: author '!!!' has no letters or digits"):
        build(site)


# Sections


SECTIONS = CONFIG + 'sections = ["Politics", "Business", "sport"]\n'


def test_sections_are_in_the_navigation_in_their_order_linking_their_tag_pages(tmp_path):
    out = built(tmp_path, NEWS, SECTIONS)
    nav = page(out, "index.html").xpath("//header//nav//a")
    assert texts(nav) == ["Home", "Politics", "Business", "sport", "Tags", "Authors", "Archive", "Feed"]
    assert [a.get("href") for a in nav[1:4]] == ["tags/politics/", "tags/business/", "tags/sport/"]
    assert (out / "tags/sport/atom.xml").exists()


def test_the_nav_says_which_section_a_page_is_in(tmp_path):
    out = built(tmp_path, NEWS, SECTIONS)

    def current(rel: str) -> list[tuple[str, str]]:
        return [(a.text_content(), a.get("aria-current")) for a in page(out, rel).xpath("//header//nav//a[@aria-current]")]

    assert current("tags/business/index.html") == [("Business", "page")]
    assert current("articles/rates/index.html") == [("Business", "true")]  # its first tag that is a section
    assert current("articles/vote/index.html") == [("Politics", "true")]
    assert current("tags/economy/index.html") == []
    assert current("index.html") == []


def test_a_section_no_article_has_is_a_config_error_naming_key_and_name(tmp_path):
    site = make_site(tmp_path / "site", NEWS, config=CONFIG + 'sections = ["Politics", "Weather"]\n')
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1
    assert ("site.toml: 'sections': no published article is tagged 'Weather' (tag one with it, or remove it "
            "from sections)") in result.stderr
    assert not (site / "output").exists()


# The front page


def test_the_front_page_leads_with_the_newest_story_then_a_grid_then_section_blocks(tmp_path):
    out = built(tmp_path, {**NEWS, "content/vote.md": NEWS["content/vote.md"].replace("---\nSome", "summary: The vote.\n---\nSome")},
                SECTIONS)
    front = page(out, "index.html")
    main = front.xpath("//main")[0]
    lead = main.xpath("./article[contains(@class, 'lead')]")
    assert texts(lead[0].xpath(".//h2")) == ["Budget vote"]
    assert texts(lead[0].xpath(".//p[@class='summary']")) == ["The vote."]
    assert texts(main.xpath("./div[@class='story-grid']/article//h2")) == ["Rates rise", "Derby night", "New poll"]
    blocks = main.xpath("./section[@class='section-block']")
    assert texts([b.xpath("./h2")[0] for b in blocks]) == ["Politics", "Business", "sport"]
    assert texts(blocks[0].xpath(".//article//h3")) == ["Budget vote", "New poll", "Port strike"]  # the newest 3
    assert texts(blocks[2].xpath(".//article//h3")) == ["Derby night"]
    # headings in order: one h1, then h2s, h3s only under a section's h2
    levels = [int(h.tag[1]) for h in main.xpath(".//*[self::h1 or self::h2 or self::h3]")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    # no script runs (the one script element is JSON-LD data) and no web font loads
    assert [s.get("type") for s in front.xpath("//script")] == ["application/ld+json"]
    assert "@font-face" not in (out / "static/style.css").read_text()


def test_later_pages_of_the_front_are_a_plain_list(tmp_path):
    out = built(tmp_path, NEWS, SECTIONS)
    second = page(out, "page/2/index.html").xpath("//main")[0]
    assert texts(second.xpath("./article//h2")) == ["Port strike", "Old news"]
    assert not second.xpath(".//*[contains(@class, 'lead') or contains(@class, 'story-grid') or @class='section-block']")


def test_the_grid_is_one_column_on_a_phone_and_several_on_a_desktop():
    """The grid's columns are at least 22rem (352 px) wide, as many as fit: one in a 390 px
    phone's 358 px, three in a 1280 px desktop's 80rem wrap."""
    from site_builder.render.theme import default_theme_dir

    css = (default_theme_dir() / "static/style.css").read_text()
    assert "grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));" in css
    assert ".wrap.front { max-inline-size: 80rem; }" in css
    column, gap, padding = 352, 32, 32
    assert (390 - padding) // column == 1
    assert (min(1280, 80 * 16) - padding + gap) // (column + gap) == 3


# Related stories


def test_related_stories_share_the_most_tags_ties_newest_first(tmp_path):
    out = built(tmp_path, NEWS)
    vote = page(out, "articles/vote/index.html")
    related = vote.xpath("//section[@class='related']//a")
    # Old news shares two tags (Politics, Economy); then one each, newest first
    assert texts(related) == ["Old news", "Rates rise", "New poll", "Port strike"]
    assert related[0].get("href") == "../old/"
    assert texts(page(out, "articles/derby/index.html").xpath("//section[@class='related']//a")) == []


def test_related_stories_can_be_fewer_or_none(tmp_path):
    out = built(tmp_path, NEWS, CONFIG + "related_stories = 1\n")
    assert texts(page(out, "articles/vote/index.html").xpath("//section[@class='related']//a")) == ["Old news"]
    out = built(tmp_path / "none", NEWS, CONFIG + "related_stories = 0\n")
    assert not page(out, "articles/vote/index.html").xpath("//section[@class='related']")
