"""Every language the site publishes in: dates, times and numbers as the page's language writes
them (Babel), isolated from the text around them, and the theme's words in English and Arabic."""
from __future__ import annotations

from pathlib import Path

from conftest import BASE_URL, article, make_site

from site_builder.build.run import build

ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def config(language: str = "en", timezone: str = "UTC", extra: str = "") -> str:
    return (f'title = "Gulf Desk"\nbase_url = "{BASE_URL}"\nid_domain = "user.github.io"\n'
            f'language = "{language}"\ntimezone = "{timezone}"\nper_page = 1\n{extra}')


def built(tmp_path: Path, files: dict[str, str], **settings: str) -> Path:
    site = make_site(tmp_path / "site", files, config=config(**settings))
    build(site)
    return site / "output"


def html(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def time_elements(page: str) -> list[str]:
    """Return each <time …>…</time> of a page, as written."""
    import re
    return re.findall(r"<time [^>]*>[^<]*</time>", page)


def test_an_english_date_has_its_time_in_the_sites_time_zone(tmp_path):
    out = built(tmp_path, {"content/a.md": article("Budget", "2026-12-02T10:05:00+00:00")},
                language="en-GB", timezone="Asia/Muscat")
    page = html(out, "articles/a/index.html")
    assert ('<time datetime="2026-12-02T10:05:00+00:00" dir="auto">2 December 2026, 14:05</time>'
            in page)


def test_an_american_english_date_is_written_as_cldr_writes_it(tmp_path):
    out = built(tmp_path, {"content/a.md": article("Budget", "2026-12-02T14:05:00Z")})
    assert ">December 2, 2026, 2:05\u202fPM</time>" in html(out, "articles/a/index.html")


def test_an_arabic_article_has_arabic_month_names_and_the_digits_of_its_locale(tmp_path):
    files = {"content/a.md": article("خامنئي يدعو كوبا", "2026-12-02T14:05:00Z", language="ar",
                                     updated="2026-12-03T09:30:00Z"),
             "content/eg.md": article("خبر من القاهرة", "2026-12-01T14:05:00Z", language="ar-EG")}
    out = built(tmp_path, files)
    page = html(out, "articles/a/index.html")
    dates = time_elements(page)
    # CLDR writes 'ar' with Latin digits, 'ar-EG' with Arabic-Indic ones
    assert dates[0].endswith(">2 ديسمبر 2026، 2:05 م</time>"), dates[0]
    assert "آخر تحديث" in page and ">3 ديسمبر 2026، 9:30 ص</time>" in dates[1]
    egyptian = time_elements(html(out, "articles/eg/index.html"))[0]
    assert egyptian.endswith(">١ ديسمبر ٢٠٢٦، ٢:٠٥ م</time>"), egyptian
    assert not any(c.isascii() and c.isdigit() for c in egyptian.split(">", 1)[1])
    # the cards of the front page, in an English site, show each in its article's language
    assert "١ ديسمبر ٢٠٢٦" in html(out, "page/2/index.html") and "2 ديسمبر 2026" in html(out, "index.html")


def test_a_date_written_without_a_time_shows_none(tmp_path):
    out = built(tmp_path, {"content/a.md": article("Budget", "2026-12-02")}, timezone="Asia/Muscat")
    assert ">December 2, 2026</time>" in html(out, "articles/a/index.html")


def test_every_shown_date_is_isolated_from_the_direction_around_it(tmp_path):
    files = {"content/en.md": article("English story", "2026-12-01T08:00:00Z", updated="2026-12-02T08:00:00Z"),
             "content/ar.md": article("قصة", "2026-12-02T08:00:00Z", language="ar")}
    for language in ("en", "ar"):  # an LTR site with an RTL article, an RTL site with an LTR one
        out = built(tmp_path / language, files, language=language)
        for rel in ("index.html", "articles/en/index.html", "articles/ar/index.html", "archive/2026/12/index.html"):
            for element in time_elements(html(out, rel)):
                assert 'dir="auto"' in element, (rel, element)


def test_an_arabic_site_speaks_arabic_and_reads_right_to_left(tmp_path):
    files = {f"content/s{i}.md": article(f"قصة {i}", f"2026-0{i}-01", tags="[إيران]") for i in range(1, 4)}
    out = built(tmp_path, files, language="ar")
    front = html(out, "index.html")
    assert '<html lang="ar" dir="rtl">' in front
    for words in ("الرئيسية", "الوسوم", "الأرشيف", "انتقل إلى المحتوى", "الصفحة 1 من 3", "الأقدم"):
        assert words in front, words
    for english in ("Home", "Tags", "Archive", "Page 1", "Older", "Skip to content"):
        assert english not in front, english
    tag_page = html(out, "tags/yrn/index.html")
    assert "3 مقالات" in tag_page and "الوسم:" in tag_page
    assert "<title>الوسوم · Gulf Desk</title>" in html(out, "tags/index.html")
    assert "مارس 2026" in html(out, "archive/2026/03/index.html")
    saudi = tmp_path_site_in(tmp_path, files, "ar-SA")  # Arabic-Indic digits in every number shown
    assert "الصفحة ٢ من ٣" in html(saudi, "page/2/index.html") and "٣ مقالات" in html(saudi, "tags/yrn/index.html")
    assert '<span class="count">٣<span class="visually-hidden"> مقالات</span>' in html(saudi, "tags/index.html")
    archive = html(saudi, "archive/index.html")
    assert ">٢٠٢٦</h2>" in archive and ">مارس</a> <span class=\"count\">١</span>" in archive
    assert "الصفحة غير موجودة" in html(out, "404.html")


def tmp_path_site_in(tmp_path: Path, files: dict[str, str], language: str) -> Path:
    return built(tmp_path / language, files, language=language)


def test_an_arabic_article_in_an_english_site_speaks_arabic_in_the_sites_layout(tmp_path):
    files = {"content/a.md": article("قصة", "2026-12-02", language="ar"),
             "content/b.md": article("Story", "2026-12-01")}
    out = built(tmp_path, files)
    page = html(out, "articles/a/index.html")
    # its words are Arabic; the chrome stays laid out left to right, as the site is
    assert '<html lang="ar">' in page and "الرئيسية" in page and "الأقدم" in page and ">Home<" not in page
    assert '<article class="post" lang="ar" dir="rtl">' in page
    # the English article and the English lists keep English
    assert '<html lang="en">' in html(out, "articles/b/index.html") and ">Home<" in html(out, "index.html")


def test_a_site_can_override_a_word_and_add_a_language(tmp_path):
    files = {"content/a.md": article("Story", "2026-12-02", language="fr"),
             "templates/i18n/en.toml": 'home = "Front page"\n',
             "templates/i18n/fr.toml": 'updated = "Mis à jour"\n'}
    out = built(tmp_path, files)
    front = html(out, "index.html")
    assert ">Front page</a>" in front and ">Tags</a>" in front  # the rest falls back to the theme's
    assert "décembre" in html(out, "articles/a/index.html")


def test_a_broken_catalog_is_an_error_naming_it(tmp_path):
    import pytest

    from site_builder.core.errors import SiteError

    site = make_site(tmp_path / "site", {"content/a.md": article("Story", "2026-12-02"),
                                         "templates/i18n/ar.toml": "home = [1, 2]\n"}, config=config())
    with pytest.raises(SiteError, match=r"templates/i18n/ar.toml: 'home' must be text"):
        build(site)
    assert not (site / "output").exists()


def test_a_word_no_catalog_has_is_an_error_naming_its_key(tmp_path):
    import pytest

    from site_builder.core.errors import SiteError

    site = make_site(tmp_path / "site", {"content/a.md": article("Story", "2026-12-02"),
                                         "templates/404.html": '{% extends "base.html" %}{% block content %}'
                                                               '{{ i18n("gone_fishing") }}{% endblock %}'},
                     config=config(language="ar"))
    with pytest.raises(SiteError, match=r"no words for 'gone_fishing' in i18n/en.toml .*add a line gone_fishing = "):
        build(site)


def test_an_edited_catalog_rebuilds_the_pages_that_show_its_words(tmp_path):
    site = make_site(tmp_path / "site", {"content/a.md": article("Story", "2026-12-02"),
                                         "templates/i18n/en.toml": 'home = "Front page"\n'}, config=config())
    build(site)
    (site / "templates/i18n/en.toml").write_text('home = "Today"\n', encoding="utf-8")
    build(site)
    for rel in ("index.html", "articles/a/index.html", "404.html"):
        assert ">Today</a>" in html(site / "output", rel), rel


def test_the_page_at_an_old_address_speaks_the_sites_language(tmp_path):
    out = built(tmp_path, {"content/a.md": article("قصة", "2026-12-02", aliases='["/old/story/"]')}, language="ar")
    page = html(out, "old/story/index.html")
    assert '<html lang="ar" dir="rtl">' in page and f"<title>نُقلت إلى {BASE_URL}articles/a/</title>" in page
    assert f'نُقلت هذه الصفحة إلى <a href="../../articles/a/">{BASE_URL}articles/a/</a>.' in page
