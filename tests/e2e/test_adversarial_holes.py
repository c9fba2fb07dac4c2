"""The smaller holes of issue #12 (finding 9), end to end through the command line: a bad
input is refused with a message naming the file (and line), exit status 1, and neither
output/ nor content/ changes; what is not an error is shown on the built site.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import article, make_site, output_files, run_cli
from test_hostile_inputs import Row
from test_hostile_inputs import test_a_bad_input_gets_a_clear_message_and_changes_nothing as assert_refused

from site_builder.build import load as sources
from site_builder.core.model import SiteConfig

GOOD_TOML = 'title = "T"\nbase_url = "https://u.github.io/r/"\n'


def front(title: str, *lines: str, date: str = "2024-01-01", body: str = "Text.") -> str:
    """Return a content file whose title is a YAML double-quoted string (escapes such as
    \\u202e allowed), with more front-matter lines after the date."""
    return "\n".join(["---", f'title: "{title}"', f"date: {date}", *lines, "---", body]) + "\n"


ROWS = [
    # base_url: whatever it holds is published in every link of every page, feed and sitemap
    Row("base_url with a user name and password", {},
        "site.toml: 'base_url' 'https://bob:…@example.org/' holds a user name or password, which "
        "would be published in every link: remove 'bob:…@'",
        config='base_url = "https://bob:secret@example.org/"\n'),
    Row("base_url with a user name", {}, "site.toml: 'base_url' 'https://bob@example.org/' holds a user name",
        config='base_url = "https://bob@example.org/"\n'),
    Row("base_url with a space in the host", {},
        "site.toml: 'base_url': 'exa mple.org' in 'https://exa mple.org/' is not a host name",
        config='base_url = "https://exa mple.org/"\n'),
    Row("base_url with a bad port", {}, "site.toml: 'base_url': the port of 'https://example.org:80a/' is not "
        "a number", config='base_url = "https://example.org:80a/"\n'),
    Row("base_url with a space in the path", {}, "site.toml: 'base_url': 'https://example.org/my news/' "
        "holds ' ', which no URL may hold: write it as %20",
        config='base_url = "https://example.org/my news"\n'),
    # dates every feed format and reader can carry
    Row("date in the year 1", {"content/bad.md": article("T", "0001-01-01")},
        "content/bad.md:3: date: '0001-01-01' is outside the years 1900–9998 a feed can carry: check the year"),
    Row("date in 1899 (RSS dates start in 1900)", {"content/bad.md": article("T", "1899-12-31")},
        "content/bad.md:3: date: '1899-12-31' is outside the years 1900–9998"),
    Row("date in 9999 west of UTC", {"content/bad.md": article("T", "9999-12-31T20:00:00-05:00")},
        "content/bad.md:3: date: '9999-12-31T20:00:00-05:00' is outside the years 1900–9998"),
    Row("updated in the year 1",
        {"content/bad.md": article("T", "2024-01-01", updated="0001-01-01T10:00:00+02:00")},
        "content/bad.md:4: updated: '0001-01-01T10:00:00+02:00' is outside the years 1900–9998"),
    # what no reader sees is no headline and no tag
    Row("a title of zero-width characters, with a slug",
        {"content/bad.md": front("\\u200b\\u2060\\ufeff", "slug: x")},
        "content/bad.md:2: title: has no visible characters: every article needs a headline"),
    Row("a title of combining marks, with a slug", {"content/bad.md": front("\\u0301\\u0308", "slug: x")},
        "content/bad.md:2: title: has no visible characters"),
    Row("a title of Braille blanks and Hangul fillers", {"content/bad.md": front("\\u2800\\u3164", "slug: x")},
        "content/bad.md:2: title: has no visible characters"),
    Row("a title of bidi controls, with a slug", {"content/bad.md": front("\\u202e\\u2066", "slug: x")},
        "content/bad.md:2: title: is empty: every article needs a headline"),
    Row("a tag of zero-width spaces", {"content/bad.md": front("T", 'tags: [Iran, "\\u200b\\u200b"]')},
        "content/bad.md:4: tags: tag '\\u200b\\u200b' has no visible characters: write it out or remove it"),
    # a language becomes the page's lang and the Atom entry's xml:lang: only a language tag fits
    Row("a language that is not a language tag", {"content/bad.md": article("T", "2024-01-01", language='"Arabic please"')},
        "content/bad.md:4: language: 'Arabic please' is not a language tag: use a code such as 'en', 'ar' or 'pt-BR'"),
    Row("a site language that is not a language tag", {"content/a.md": article("T", "2024-01-01")},
        "site.toml: 'language' must be a language tag such as \"en\", \"ar\" or \"pt-BR\"",
        config='title = "T"\nbase_url = "https://u.github.io/r/"\nlanguage = "en_US"\n'),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_a_hole_of_issue_12_is_refused_and_changes_nothing(tmp_path, row):
    assert_refused(tmp_path, row)


def test_a_password_in_base_url_is_never_printed(tmp_path):
    site = make_site(tmp_path / "site", {}, config='base_url = "https://bob:secret@example.org/"\n')
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1 and "secret" not in result.stderr + result.stdout


def test_a_bad_base_url_option_is_named_as_the_option(tmp_path):
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-01-01")}, config=GOOD_TOML)
    result = run_cli("build", "--site", str(site), "--base-url", "https://bob:secret@example.org/")
    assert result.returncode == 1
    assert ("--base-url 'https://bob:…@example.org/' holds a user name or password, which would be "
            "published in every link: remove 'bob:…@'") in result.stderr
    assert "secret" not in result.stderr and not (site / "output").exists()



def built_site(tmp_path, files, *args):
    """Build a site of `files` through the CLI; return its folder and what the build printed."""
    site = make_site(tmp_path / "site", files)
    result = run_cli("build", "--site", str(site), *args)
    assert result.returncode == 0, result.stderr
    return site, result.stderr


BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


def test_bidi_controls_are_removed_from_one_line_fields_with_a_warning(tmp_path):
    site, printed = built_site(tmp_path, {
        "content/a.md": front("Gaza \\u202eReport", 'tags: ["\\u2067Iran", "Cuba"]',
                              'author: "\\u202d\\u200fعلي"', body="A body that keeps its \u202econtrol."),
        "content/b.md": front("Older", "tags: [Iran]", date="2023-01-01"),
    })
    assert "content/a.md:2: removed bidi control characters (first: U+202E)" in printed
    assert "content/a.md:4: removed bidi control characters (first: U+2067)" in printed
    assert "content/a.md:5: removed bidi control characters (first: U+202D)" in printed
    out = output_files(site / "output")
    body = '<div class="body">\n<p>A body that keeps its \u202econtrol.</p>'
    assert body in out["articles/a/index.html"].decode()  # a body keeps its own
    leaks = [path for path, data in out.items() if path.endswith(".html")
             and any(c in data.decode().replace(body, "") for c in BIDI_CONTROLS)]
    assert leaks == []
    item = json.loads(out["feed.json"])["items"][0]
    shown = [item["title"], item["summary"], *item["tags"], *(a["name"] for a in item["authors"])]
    assert shown == ["Gaza Report", "A body that keeps its control.", "Iran", "Cuba", "\u200fعلي"]
    page = out["articles/a/index.html"].decode()
    assert "<title>Gaza Report · Test News</title>" in page
    assert 'rel="author" dir="auto">\u200fعلي</a>' in page  # in the byline, a right-to-left mark stays
    assert "Tagged: <bdi>Iran</bdi>" in out["tags/iran/index.html"].decode()
    # a title among other text is isolated from it
    assert "<span>Older</span> <bdi>Older</bdi>" in page


def test_a_tag_in_two_unicode_normal_forms_is_one_tag(tmp_path):
    site, _ = built_site(tmp_path, {
        "content/a.md": front("Typed", 'tags: ["Caf\\u00e9"]'),
        "content/b.md": front("Pasted Cafe\\u0301 story", 'tags: ["cafe\\u0301"]', date="2024-01-02"),
    })
    out = output_files(site / "output")
    tag_page = out["tags/cafe/index.html"].decode()
    assert "articles/a/" in tag_page and "articles/b/" in tag_page
    assert "Tagged: <bdi>Caf\u00e9</bdi>" in tag_page  # the name its oldest article gives it
    assert "Pasted Caf\u00e9 story" in out["articles/b/index.html"].decode()  # titles are NFC too
    assert [p for p in out if p.startswith("tags/") and p.endswith("/index.html")] == [
        "tags/cafe/index.html", "tags/index.html"]


def test_static_well_known_is_published_and_other_dotfiles_are_not(tmp_path):
    site, _ = built_site(tmp_path, {
        "content/a.md": front("A"),
        "static/.well-known/security.txt": "Contact: mailto:security@example.org\n",
        "static/.well-known/acme-challenge/token": "token\n",
        "static/.well-known/.DS_Store": b"\0\0",
        "static/.DS_Store": b"\0\0",
        "static/.git/HEAD": "ref: refs/heads/main\n",
    })
    out = output_files(site / "output")
    assert out[".well-known/security.txt"] == b"Contact: mailto:security@example.org\n"
    assert out[".well-known/acme-challenge/token"] == b"token\n"
    assert not {".DS_Store", ".well-known/.DS_Store", ".git/HEAD"} & set(out)


def test_parses_cached_by_other_code_are_not_reused_but_a_fresh_clone_of_the_same_code_is(tmp_path):
    """The rules above (dates, bidi controls, invisible titles) live in the code, not in the
    version number: a cache made by the code before them must not keep a year-1 date or an RLO
    alive. The parse cache's key holds a digest of the code's bytes, so a new release re-parses,
    while a fresh clone (same bytes, new mtimes: a CI checkout) reuses its cache."""
    package = Path(sources.__file__).parent.parent
    copy = tmp_path / "site_builder"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    os.utime(copy / "content" / "article.py", (1, 1))
    assert sources.code_digest(copy) == sources.code_digest(package)
    with open(copy / "content" / "article.py", "a", encoding="utf-8") as stream:
        stream.write("\n# a new check\n")
    assert sources.code_digest(copy) != sources.code_digest(package)
    assert sources.code_digest() in sources.parse_salt(SiteConfig())
