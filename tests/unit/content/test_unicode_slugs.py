"""Unicode slugs (site.toml `slugs = "unicode"`): Arabic headlines and tags keep their letters
in their addresses, percent-encoded in every link, feed and the sitemap, and found by a web
server under a project sub-path; a site without the key keeps its ASCII addresses."""
from __future__ import annotations

import sys
import types
import unicodedata
import urllib.request
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
from conftest import BASE_URL, article, make_site, output_files
from hypothesis import given
from hypothesis import strategies as st
from serving import serving

from site_builder.build.run import build
from site_builder.content.slugs import slug_of
from site_builder.core.errors import SiteError

UNICODE = 'slugs = "unicode"\n'
HEADLINE = "خامنئي يدعو كوبا"


def site_config(extra: str = "") -> str:
    return f'title = "T"\nbase_url = "{BASE_URL}"\nid_domain = "user.github.io"\n{extra}'


def arabic_site(tmp_path: Path, extra: str) -> Path:
    """A site whose Arabic article takes its address from its file's Arabic name."""
    files = {f"content/{HEADLINE}.md": article(HEADLINE, "2024-07-15", tags="[إيران, كوبا]", language="ar"),
             "content/b.md": article("Second", "2024-07-16", tags="[Cuba]")}
    return make_site(tmp_path / "site", files, config=site_config(extra))


def test_unicode_slugs_keep_arabic_letters_in_paths(tmp_path):
    site = arabic_site(tmp_path, UNICODE)
    build(site)
    files = output_files(site / "output")
    for rel in ("articles/خامنئي-يدعو-كوبا/index.html", "tags/إيران/index.html", "tags/كوبا/feed.xml",
                "tags/إيران/atom.xml"):
        assert rel in files, rel


def test_unicode_addresses_are_percent_encoded_in_links_feeds_and_the_sitemap(tmp_path):
    site = make_site(tmp_path / "site", {"content/a.md": article(HEADLINE, "2024-07-15", tags="[إيران]")},
                     config=site_config(UNICODE))
    build(site)
    out = site / "output"
    tag = quote("إيران")
    front = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="tags/{tag}/"' in front and "tags/إيران" not in front
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE_URL}tags/{tag}/</loc>" in sitemap
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.entries[0].link == f"{BASE_URL}articles/a/"
    tag_page = (out / "tags" / "إيران" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE_URL}tags/{tag}/">' in tag_page


def test_every_link_of_a_unicode_site_is_found_over_http_under_a_sub_path(tmp_path):
    site = arabic_site(tmp_path, UNICODE)
    build(site)
    with serving(site / "output", "/repo/") as origin:
        for path in ("articles/خامنئي-يدعو-كوبا/", "tags/إيران/", "tags/كوبا/feed.xml"):
            with urllib.request.urlopen(f"{origin}/repo/{quote(path)}") as answer:
                assert answer.status == 200, path
        front = urllib.request.urlopen(f"{origin}/repo/").read().decode()
        for href in ("tags/" + quote("إيران") + "/", "articles/" + quote("خامنئي-يدعو-كوبا") + "/"):
            assert f'href="{href}"' in front
            assert urllib.request.urlopen(f"{origin}/repo/{href}").status == 200


def test_words_that_ascii_slugs_merge_get_pages_of_their_own(tmp_path):
    files = {"content/a.md": article("A", "2024-07-15", tags="[سلام, إيران]"),
             "content/b.md": article("B", "2024-07-16", tags="[سلم, ايران]")}
    site = make_site(tmp_path / "u", files, config=site_config(UNICODE))
    build(site)
    for tag in ("سلام", "سلم", "إيران", "ايران"):
        assert (site / "output" / "tags" / tag / "index.html").is_file(), tag
    ascii_site = make_site(tmp_path / "a", files, config=site_config())
    with pytest.raises(SiteError, match="has the same URL"):
        build(ascii_site)


def test_a_site_without_the_setting_keeps_the_ascii_addresses_it_had(tmp_path):
    # the paths the build made before Unicode slugs existed (commit 29ba06f)
    before = {"articles/khmnyy-yd-w-kwb/index.html", "articles/b/index.html",
              "tags/yrn/index.html", "tags/kwb/index.html", "tags/cuba/index.html"}
    site = arabic_site(tmp_path, "")
    build(site)
    assert {rel for rel in output_files(site / "output") if rel.startswith(("articles/", "tags/"))
            and rel.endswith("/index.html") and rel.count("/") == 2} == before


def test_a_slug_field_that_is_no_unicode_slug_is_refused(tmp_path):
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-07-15", slug="'إيران/كوبا'")},
                     config=site_config(UNICODE))
    with pytest.raises(SiteError, match=r"content/a.md:\d+: slug: 'إيران/كوبا' is not a slug"):
        build(site)


def test_site_builder_init_writes_unicode_slugs(tmp_path):
    from site_builder.commands.scaffold import init_site
    from site_builder.core.config import load_config

    init_site(tmp_path / "new")
    assert load_config(tmp_path / "new").slugs == "unicode"


letters_and_more = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(letters_and_more)
def test_unicode_slugs_are_idempotent_nfc_and_never_hold_a_slash(text):
    slug = slug_of(text, "unicode", 80)
    assert slug_of(slug, "unicode", 80) == slug
    assert unicodedata.normalize("NFC", slug) == slug
    assert "/" not in slug and not slug.startswith("-") and not slug.endswith("-")
    assert len(slug) <= 80 and len(slug.encode()) <= 200
    if any(unicodedata.category(c)[0] in "LN" for c in unicodedata.normalize("NFKC", text)):
        assert slug


def test_site_builder_check_finds_every_unicode_address_and_the_sitemap_whole(tmp_path):
    from conftest import run_cli

    site = arabic_site(tmp_path, UNICODE)
    build(site)
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout


def test_new_names_an_arabic_headlines_file_with_its_letters(tmp_path):
    from site_builder.commands.scaffold import new_article

    site = make_site(tmp_path / "site", {"content/.keep": ""}, config=site_config(UNICODE))
    path = new_article(site, HEADLINE, tags=["إيران"])
    assert path.name == "خامنئي-يدعو-كوبا.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    build(site)
    assert (site / "output/articles/خامنئي-يدعو-كوبا/index.html").is_file()


def test_a_macos_file_name_in_nfd_gives_the_same_address(tmp_path):
    nfd = unicodedata.normalize("NFD", "Café à Gaza")
    site = make_site(tmp_path / "site", {f"content/{nfd}.md": article("Café", "2024-07-15", tags=f"[{nfd}]")},
                     config=site_config(UNICODE))
    build(site)
    files = output_files(site / "output")
    assert "articles/café-à-gaza/index.html" in files and "tags/café-à-gaza/index.html" in files


def test_import_names_an_arabic_headlines_file_with_its_letters(tmp_path):
    from conftest import run_cli

    site = make_site(tmp_path / "site", {}, config=site_config(UNICODE))
    caption = "صورة من طهران"
    dump = f"{HEADLINE}\n{caption}\nTT\n{HEADLINE}\n{caption}\nدعا المرشد الإيراني كوبا إلى تحالف.\n"
    (site / "dump.txt").write_text(dump, encoding="utf-8")
    result = run_cli("import", "dump.txt", "--date", "2024-07-15", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "content" / f"{slug_of(HEADLINE, 'unicode')}.md").is_file()
    assert run_cli("build", "--site", str(site)).returncode == 0
    assert (site / "output/articles/خامنئي-يدعو-كوبا/index.html").is_file()


def test_serve_finds_a_unicode_address_and_redirects_it_to_its_folder_encoded(tmp_path):
    from site_builder.commands.serve import Resolved, resolve

    page = tmp_path / "tags" / "إيران" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>Iran</p>", encoding="utf-8")
    encoded = "/repo/tags/" + quote("إيران")
    assert resolve(encoded + "/", "/repo/", tmp_path) == Resolved(200, page)
    assert resolve(encoded, "/repo/", tmp_path) == Resolved(301, location=encoded + "/")


def test_switching_to_unicode_slugs_redirects_each_articles_old_address(tmp_path):
    site = arabic_site(tmp_path, "")
    build(site)
    (site / "site.toml").write_text(site_config(UNICODE), encoding="utf-8")
    build(site)
    old = (site / "output/articles/khmnyy-yd-w-kwb/index.html").read_text(encoding="utf-8")
    new = quote("خامنئي-يدعو-كوبا")
    assert f'<meta http-equiv="refresh" content="0; url=../../articles/{new}/">' in old
    assert f'<link rel="canonical" href="{BASE_URL}articles/{new}/">' in old
    assert f">{BASE_URL}articles/خامنئي-يدعو-كوبا/</a>" in old  # shown as readers read it


def test_ascii_addresses_do_not_change_when_unidecode_is_installed_beside_the_tool(tmp_path, monkeypatch):
    # python-slugify's "auto" prefers Unidecode whenever some other package installed it, and
    # Unidecode writes some letters differently: every such article would move
    site = arabic_site(tmp_path / "before", "")
    build(site)
    unidecode = types.ModuleType("unidecode")
    unidecode.unidecode = lambda text: "other letters"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unidecode", unidecode)
    slug_of.cache_clear()
    again = arabic_site(tmp_path / "after", "")  # no cache: every article parsed again
    build(again)
    assert output_files(again / "output") == output_files(site / "output")
