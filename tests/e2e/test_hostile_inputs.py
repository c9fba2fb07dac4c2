"""Hostile and broken inputs, end to end through the command line: each gets a clear message
naming the file (and line), exit status 1, and neither output/ nor content/ changes.

The table below is the one the README and issue #6's closing note show.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from conftest import article, make_site, output_files, run_cli

BOMB = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'lol, lol'}]\n" for i in range(9))


@dataclass(frozen=True)
class Row:
    """One bad input: the files that make it, and the message the user gets."""

    name: str
    files: dict[str, str | bytes]
    message: str
    config: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # symlinks: path → target


ROWS = [
    Row("front matter not closed", {"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\n"},
        "content/bad.md:1: the front matter is not closed: add a line '---' after its last field"),
    Row("YAML not a mapping", {"content/bad.md": "---\n- a\n- b\n---\n"},
        "content/bad.md:2: the front matter must be 'key: value' lines, not a list"),
    Row("YAML bomb (aliases)", {"content/bad.md": "---\ntitle: T\ndate: 2024-01-01\n" + BOMB + "---\n"},
        "content/bad.md:4: YAML aliases (&name … *name) are not allowed in front matter"),
    Row("date 2024-13-45", {"content/bad.md": article("T", "2024-13-45")},
        "content/bad.md:3: date: '2024-13-45' is not a date (use YYYY-MM-DD or an ISO 8601"),
    Row("date 'yesterday'", {"content/bad.md": article("T", "yesterday")},
        "content/bad.md:3: date: 'yesterday' is not a date"),
    Row("a number in the tags", {"content/bad.md": article("T", "2024-01-01", tags="[Iran, 42]")},
        "content/bad.md:4: tags: every tag must be text; 42 is not (quote it: '\"42\"')"),
    Row("a null in the tags", {"content/bad.md": article("T", "2024-01-01", tags="[Iran, null]")},
        "content/bad.md:4: tags: every tag must be text; None is not"),
    Row("a 50 MB article", {"content/big.md": article("Big", "2024-01-01", "word " * 10_000_000)},
        "content/big.md: is 50.0 MB, more than the 5 MB an article may have"),
    Row("not UTF-8 (cp1252)", {"content/bad.md": "---\ntitle: “Quoted”\ndate: 2024-01-01\n---\n".encode("cp1252")},
        "content/bad.md:2: not UTF-8 text (byte 0x93); save the file as UTF-8"),
    Row("NUL bytes (UTF-16)", {"content/bad.md": article("T", "2024-01-01").encode("utf-16")},
        "content/bad.md:1: the file holds NUL bytes: it is binary or UTF-16, not UTF-8 text"),
    Row("a link to a file outside the site", {}, "content/passwd.md: is a link to /etc/passwd, outside the site",
        links={"content/passwd.md": "/etc/passwd"}),
    Row("a link in static/ to a file outside the site", {}, "static/passwd: is a link to /etc/passwd, outside the site",
        links={"static/passwd": "/etc/passwd"}),
    Row("static/ a link to a folder outside the site", {}, "static/passwd: is a link to /etc/passwd, outside the site",
        links={"static": "/etc"}),
    Row("slug ../../etc/passwd", {"content/bad.md": article("T", "2024-01-01", slug="../../etc/passwd")},
        "content/bad.md:4: slug: '../../etc/passwd' is not a slug: use lowercase ASCII letters, digits and hyphens"),
    Row("slug 'con'", {"content/bad.md": article("T", "2024-01-01", slug="con")},
        "content/bad.md:4: slug: 'con' is a reserved file name on Windows"),
    Row("empty slug", {"content/bad.md": article("T", "2024-01-01", slug='""')},
        "content/bad.md:4: slug: '' is not a slug"),
    Row("slugs that differ only by case", {"content/Story.md": article("Story", "2024-01-01"),
                                           "content/story.md": article("story", "2024-01-02")},
        "content/Story.md: slug 'story' is also the slug of content/story.md"),
    Row("an uppercase slug", {"content/bad.md": article("T", "2024-01-01", slug="Story")},
        "content/bad.md:4: slug: 'Story' is not a slug: use lowercase ASCII letters, digits and hyphens (such as 'story')"),
    Row("10,000 tags", {"content/bad.md": article("T", "2024-01-01", tags="[" + ", ".join(f"t{i}" for i in range(10_000)) + "]")},
        "content/bad.md:4: tags: 10000 tags is more than the 100 an article may have"),
    Row("a tag with no letters ('!!!')", {"content/bad.md": article("T", "2024-01-01", tags='["!!!"]')},
        "content/bad.md:4: tags: tag '!!!' has no letters or digits to make its URL from"),
    Row("site.toml with a wrong type", {}, "site.toml: 'per_page' must be an integer, not 'ten'",
        config='base_url = "https://u.github.io/r/"\nper_page = "ten"\n'),
    Row("site.toml with an unknown key", {}, "site.toml: unknown key 'titel'",
        config='base_url = "https://u.github.io/r/"\ntitel = "T"\n'),
    Row("two articles with one id", {"content/a.md": article("A", "2024-01-01", id="tag:x.org,2024:a"),
                                     "content/b.md": article("B", "2024-01-02", id="tag:x.org,2024:a")},
        "content/a.md: feed id 'tag:x.org,2024:a' is also the feed id of content/b.md"),
]


def snapshot(folder):
    return output_files(folder) if folder.exists() else {}


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_a_bad_input_gets_a_clear_message_and_changes_nothing(tmp_path, row):
    site = make_site(tmp_path / "site", {"content/good.md": article("Good Story", "2024-01-01", tags="[Iran]")})
    assert run_cli("build", "--site", str(site)).returncode == 0
    make_site(site, row.files, config=row.config)
    for link, target in row.links.items():
        (site / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, site / link)
    output_before, content_before = snapshot(site / "output"), snapshot(site / "content")
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1, result.stdout
    assert row.message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site / "output") == output_before
    assert snapshot(site / "content") == content_before


def test_every_bad_file_is_reported_in_one_build(tmp_path):
    files = {f"content/bad-{i}.md": row.files[next(iter(row.files))] for i, row in enumerate(ROWS[:8])}
    site = make_site(tmp_path / "site", files)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1
    assert all(f"content/bad-{i}.md" in result.stderr for i in range(8)), result.stderr


@pytest.mark.parametrize("text, warning, page, shown", [
    ("---\ntitle: Line\x0bbreak\ndate: 2024-01-01\n---\nText\x01.\n", ("content/a.md:2: removed control characters "
     "(first: U+000B)"), "articles/a/index.html", "Line break"),
    # U+8FFFE (found by the fuzz test) is as unfit for a page as U+FFFE: html5lib refuses it
    ("---\ntitle: T\ndate: 2024-01-01\n---\nText\U0008fffe.\n", ("content/a.md:5: removed control characters "
     "(first: U+8FFFE)"), "articles/a/index.html", "Text.</p>"),
])
def test_control_characters_are_removed_with_a_warning_not_an_error(tmp_path, text, warning, page, shown):
    site = make_site(tmp_path / "site", {"content/a.md": text})
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert warning in result.stderr
    assert shown in (site / "output" / page).read_text()
