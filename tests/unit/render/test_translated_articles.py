"""Articles that are one story in several languages (issue #16): the articles sharing a
`translation_key:` link to each other, for readers (each language named in itself) and for
search engines (hreflang, absolute, the page itself among them; og:locale:alternate)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import article, make_site, output_files, run_cli

from site_builder.build.run import build
from site_builder.core.errors import SiteError

CONFIG = 'title = "Gulf Desk"\nbase_url = "https://u.github.io/r/"\nid_domain = "u.github.io"\n'
STORY = {
    "content/strike.md": article("Port Strike Ends", "2024-03-11", tags="[Ports]", translation_key="strike"),
    "content/strike-ar.md": article("انتهاء الإضراب", "2024-03-11T10:00:00+00:00", tags="[Ports]", language="ar",
                                    translation_key="strike"),
    "content/strike-fr.md": article("La grève prend fin", "2024-03-11T11:00:00+00:00", tags="[Ports]", language="fr",
                                    translation_key="strike"),
    "content/other.md": article("Fishing Season Opens", "2024-03-01", tags="[Ports]"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", STORY, config=CONFIG)
    build(site)
    return site


def page(site: Path, slug: str) -> str:
    return (site / f"output/articles/{slug}/index.html").read_text(encoding="utf-8")


def hreflangs(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)


def shown(html: str) -> list[tuple[str, str, str]]:
    """Return the (href, hreflang, text) of each link the page shows to its translations."""
    block = re.search(r'<p class="translations">(.*?)</p>', html, re.DOTALL)
    return re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+" dir="auto">([^<]+)</a>', block[1]) if block else []


def test_each_translation_links_to_every_language_of_the_story(site):
    expected = [("ar", "https://u.github.io/r/articles/strike-ar/"), ("en", "https://u.github.io/r/articles/strike/"),
                ("fr", "https://u.github.io/r/articles/strike-fr/")]
    for slug in ("strike", "strike-ar", "strike-fr"):
        assert hreflangs(page(site, slug)) == expected, slug
    english = page(site, "strike")
    assert shown(english) == [("../strike-ar/", "ar", "العربية"), ("../strike-fr/", "fr", "Français")]
    assert "In other languages:" in english
    arabic = page(site, "strike-ar")
    assert shown(arabic) == [("../strike/", "en", "English"), ("../strike-fr/", "fr", "Français")]
    assert "بلغات أخرى:" in arabic  # the theme's words in the article's language
    assert re.findall(r'og:locale:alternate" content="([^"]+)"', arabic) == ["en", "fr"]


def test_a_story_without_translations_links_to_none_and_they_are_not_its_related_stories(site):
    other = page(site, "other")
    assert hreflangs(other) == [] and shown(other) == [] and "og:locale:alternate" not in other
    related = page(site, "strike").split('<section class="related"', 1)[1].split("</section>")[0]
    assert "Fishing Season Opens" in related and "strike-ar" not in related and "strike-fr" not in related


def test_a_translation_moved_to_another_address_is_linked_there_by_the_others(site, tmp_path):
    arabic = site / "content/strike-ar.md"
    arabic.write_text(arabic.read_text(encoding="utf-8").replace("language: ar", "language: ar\nslug: idrab"),
                      encoding="utf-8")
    build(site)
    assert ("ar", "https://u.github.io/r/articles/idrab/") in hreflangs(page(site, "strike-fr"))
    cold = make_site(tmp_path / "cold", {**STORY, "content/strike-ar.md": arabic.read_text(encoding="utf-8")}, config=CONFIG)
    build(cold)
    moved = {"articles/strike-ar/index.html"}  # the old address's page sends readers on
    assert {k: v for k, v in output_files(site / "output").items() if k not in moved} == output_files(cold / "output")


def test_a_second_translation_in_one_language_is_refused_naming_both_files(site):
    before = output_files(site / "output")
    (site / "content/strike-ar-2.md").write_text(
        article("نسخة ثانية", "2024-03-12", language="ar", translation_key="strike"), encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        build(site)
    message = str(raised.value)
    assert "content/strike-ar-2.md" in message and "content/strike-ar.md is its 'ar' translation too" in message
    assert output_files(site / "output") == before
    result = run_cli("build", "--site", str(site))
    assert result.returncode != 0 and "translation_key 'strike'" in result.stderr


def test_an_article_in_the_sites_language_is_that_languages_translation(tmp_path):
    """An article with no `language:` is in the site's: two such in one group are refused."""
    site = make_site(tmp_path / "site", {
        "content/a.md": article("A", "2024-03-11", translation_key="k"),
        "content/b.md": article("B", "2024-03-12", translation_key="k", language="en"),
    }, config=CONFIG)
    with pytest.raises(SiteError, match="'en' translation too"):
        build(site)
