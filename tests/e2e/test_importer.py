"""`site-builder import`, end to end through the real command line: what it writes, what it
leaves alone, what it refuses, and the sample site it produced."""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, make_site, output_files, run_cli

from site_builder.content.frontmatter import split_front_matter
from site_builder.core.errors import SiteError
from site_builder.importer.write import parse_date, write_files

SEED = FIXTURES / "000_5d718aeda1ebb40d.txt"
SEED_DATES = ("--date", "2023-12-04T16:20:00+00:00", "--date", "2024-07-10T11:45:00+01:00")
KHAMENEI = "khamenei-invites-cuba-to-form-global-alliance-against-us.md"
GROSSI = "grossi-wants-to-meet-with-irans-pezeshkian-at-earliest-convenience.md"
SITE_TOML = ('title = "T"\nbase_url = "https://user.github.io/repo/"\nid_domain = "user.github.io"\n'
             'timezone = "Asia/Tehran"\n')


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An empty site in Tehran's time zone with a copy of the seed dump."""
    root = make_site(tmp_path / "site", {}, config=SITE_TOML)
    shutil.copy(SEED, root / SEED.name)
    return root


def imp(site: Path, *args: str):
    return run_cli("import", *args, cwd=site)


def front(path: Path) -> dict:
    """Return a content file's front matter as the build reads it (dates stay text)."""
    return split_front_matter(path.name, path.read_text(encoding="utf-8")).fields


def contents(site: Path) -> dict[str, bytes]:
    return output_files(site / "content") if (site / "content").exists() else {}


# --- what an import writes ---------------------------------------------------------------------

def test_seed_becomes_two_content_files_that_build(site):
    result = imp(site, SEED.name, *SEED_DATES)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"created   content/{KHAMENEI}  ({SEED.name}:1; tags: ")
    assert lines[1].startswith(f"created   content/{GROSSI}  ({SEED.name}:29; tags: ")
    assert lines[-1] == "Imported 2 articles from 1 source: 2 created, 0 replaced, 0 unchanged, 0 skipped"
    first, second = front(site / "content" / KHAMENEI), front(site / "content" / GROSSI)
    assert first["title"] == "Khamenei Invites Cuba to Form ‘Global Alliance’ Against US"
    assert first["date"] == "2023-12-04T19:50:00+03:30"  # the same instant, in the site's zone
    assert second["date"] == "2024-07-10T14:15:00+03:30"
    assert {"Iran", "Cuba", "Khamenei", "Díaz-Canel"} <= set(first["tags"])
    assert {"Iran", "IAEA", "Grossi", "Pezeshkian"} <= set(second["tags"])
    assert first["summary"].startswith("Iran and Cuba on Monday pledged")
    assert first["image_caption"].endswith("Cuban President Miguel Díaz-Canel")
    assert first["source"] == SEED.name and "language" not in first
    assert first["id"] == f"tag:user.github.io,2023-12-04:articles/{KHAMENEI[:-3]}"
    assert first["import_digest"].startswith("sha256:")
    body = (site / "content" / KHAMENEI).read_text().split("---\n", 2)[2]
    assert "TT" not in body.split("\n") and first["title"] not in body and first["image_caption"] not in body
    built = run_cli("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    page = (site / "output/articles" / KHAMENEI[:-3] / "index.html").read_text()
    assert "fight against the cruel embargo" in page


def test_markdown_syntax_in_a_dump_is_shown_as_written(site):
    (site / "d.txt").write_text("#1 Story\nTT\n#1 Story\n#1 priority: *all* of it\n2. <b>not</b> a "
                                "list & AT&amp;T\n- [x](y) `code` \\ back", encoding="utf-8")
    assert imp(site, "d.txt", "--date", "2024-01-01").returncode == 0
    assert run_cli("build", "--site", str(site)).returncode == 0
    page = (site / "output/articles/1-story/index.html").read_text()
    assert "<p>#1 priority: *all* of it</p>" in page
    assert "<p>2. &lt;b&gt;not&lt;/b&gt; a list &amp; AT&amp;amp;T</p>" in page
    assert "<p>- [x](y) `code` \\ back</p>" in page


def test_arabic_article_gets_a_readable_slug_and_its_language(site):
    shutil.copy(FIXTURES / "tagging/arabic.txt", site / "ar.txt")
    result = imp(site, "ar.txt", "--date", "2024-08-01", "--tag", "Iran")
    assert result.returncode == 0, result.stderr
    (path,) = (site / "content").glob("*.md")
    assert path.name == "grwsy-yzwr-thrn-lbhth-lmlf-lnwwy.md"
    assert front(path)["language"] == "ar" and front(path)["tags"][0] == "Iran"
    assert run_cli("build", "--site", str(site)).returncode == 0
    assert 'dir="rtl"' in (site / "output/articles" / path.stem / "index.html").read_text()


def test_without_date_the_file_time_is_used_and_said(site):
    when = dt.datetime(2024, 3, 5, 8, 0, tzinfo=dt.UTC)
    os.utime(site / SEED.name, (when.timestamp(), when.timestamp()))
    result = imp(site, SEED.name)
    assert result.returncode == 0, result.stderr
    # distinct times in the dump's order, none after the file's (issue #12: W3C warns on equal ones)
    assert (f"note: {SEED.name}: no --date given, so 2 articles are dated 2024-03-05T11:29:00+03:30 "
            "to 2024-03-05T11:30:00+03:30, a minute apart, the last at the file's modification "
            "time") in result.stdout
    assert front(site / "content" / KHAMENEI)["date"] == "2024-03-05T11:29:00+03:30"
    assert front(site / "content" / GROSSI)["date"] == "2024-03-05T11:30:00+03:30"


def test_one_date_for_the_run_and_tags_by_hand(site):
    result = imp(site, SEED.name, "--date", "2024-07-15", "--tag", "Middle East", "--tag", "iran")
    assert result.returncode == 0, result.stderr
    for name, time in ((KHAMENEI, "00:00"), (GROSSI, "00:01")):  # a minute apart (issue #12)
        fields = front(site / "content" / name)
        assert fields["date"] == f"2024-07-15T{time}:00+03:30"
        assert fields["tags"][:2] == ["Middle East", "iran"] and "Iran" not in fields["tags"]


def test_wrong_number_of_dates_is_refused_and_nothing_written(site):
    result = imp(site, SEED.name, "--date", "2024-01-01", "--date", "2024-01-02", "--date", "2024-01-03")
    assert result.returncode == 1
    assert "--date was given 3 times, but the run has 2 articles without a date" in result.stderr
    assert contents(site) == {}
    bad = imp(site, SEED.name, "--date", "2024-13-45")
    assert bad.returncode == 1 and "error: --date '2024-13-45' is not a date" in bad.stderr


def test_dry_run_writes_nothing(site):
    result = imp(site, SEED.name, "--dry-run", *SEED_DATES)
    assert result.returncode == 0
    assert result.stdout.startswith(f"would create content/{KHAMENEI}")
    assert result.stdout.splitlines()[-1].startswith("Dry run, nothing written: 2 articles")
    assert contents(site) == {}


# --- re-imports: nothing created twice, nothing edited overwritten -----------------------------

def test_reimport_is_unchanged_even_after_the_user_edited_the_files(site):
    imp(site, SEED.name, *SEED_DATES)
    path = site / "content" / KHAMENEI
    edited = path.read_text().replace("date: 2023-12-04T19:50:00+03:30", "date: 2023-12-05") \
        .replace("tags: [", "tags: [Havana, ").replace("Iran and Cuba on Monday", "Iran and Cuba on Sunday")
    path.write_text(edited)
    before = contents(site)
    for args in ((), SEED_DATES, ("--date", "2025-01-01")):
        result = imp(site, SEED.name, *args)
        assert result.returncode == 0, result.stderr
        assert [line.split()[0] for line in result.stdout.splitlines()[:2]] == ["unchanged", "unchanged"]
        assert "note:" not in result.stdout  # nothing was dated from the file's time
        assert contents(site) == before


def test_force_replaces_an_imported_file_keeping_its_id_and_slug(site):
    imp(site, SEED.name, "--date", "2024-01-01")
    path = site / "content" / KHAMENEI
    original_id = front(path)["id"]
    path.write_text(path.read_text().replace("tags: [", "tags: [Edited, "))
    result = imp(site, SEED.name, "--force", *SEED_DATES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"replaced  content/{KHAMENEI}")
    fields = front(path)
    assert "Edited" not in fields["tags"] and fields["date"] == "2023-12-04T19:50:00+03:30"
    assert fields["id"] == original_id  # feed readers must not see it as a new article
    again = imp(site, SEED.name, "--force", *SEED_DATES)
    assert [line.split()[0] for line in again.stdout.splitlines()[:2]] == ["unchanged", "unchanged"]


def test_same_headline_with_another_body_gets_a_numbered_slug(site):
    imp(site, SEED.name, *SEED_DATES)
    text = SEED.read_text(encoding="utf-8").replace("which also included Venezuela.", "and Bolivia.")
    (site / "fixed.txt").write_text(text, encoding="utf-8")
    result = imp(site, "fixed.txt", *SEED_DATES)
    assert result.returncode == 0, result.stderr
    slug = KHAMENEI[:-3]
    assert (f"created   content/{slug}-2.md  (fixed.txt:1; {slug} is another article's slug, "
            f"so this one is {slug}-2; tags:") in result.stdout
    assert "unchanged" in result.stdout.splitlines()[1]
    assert front(site / "content" / f"{slug}-2.md")["slug"] == f"{slug}-2"
    assert run_cli("build", "--site", str(site)).returncode == 0  # no slug clash


def test_a_hand_written_file_with_the_headline_is_never_overwritten(site):
    hand = site / "content" / KHAMENEI
    hand.parent.mkdir()
    hand.write_text("---\ntitle: Mine\ndate: 2024-01-01\nslug: khamenei-invites-cuba-to-form-global"
                    "-alliance-against-us\n---\nMy text.\n")
    before = hand.read_bytes()
    for extra in ((), ("--force",)):
        imp(site, SEED.name, *SEED_DATES, *extra)
        assert hand.read_bytes() == before


def test_an_article_twice_in_one_run_is_written_once(site):
    text = SEED.read_text(encoding="utf-8")
    (site / "twice.txt").write_text(text + "\n\n\n" + text, encoding="utf-8")
    result = imp(site, "twice.txt", "--date", "2024-01-01")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[:4]] == [
        "created", "created", "skipped", "skipped"]
    second_copy = text.count("\n") + 4  # after the first copy and two blank lines
    assert f"(twice.txt:{second_copy}; the same text as twice.txt:1)" in result.stdout
    assert len(contents(site)) == 2


# --- what is refused: a clear message naming file and line, and nothing written ----------------

@pytest.mark.parametrize("data, message", [
    (b"", "error: bad.txt:1: the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "error: bad.txt:3: binary data (a NUL byte)"),
    ("Head\nTT\nHead\nShe said “no” – twice.".encode("cp1252"),
     "error: bad.txt:4: not UTF-8 text (byte 0x93 in column 10), which Windows-1252 reads as '“'"),
    (b"Fine\nTT\nFine\nBody.\n\n\nNo body\nTT\nNo body\n", "error: bad.txt:7: the article “No body” has no body"),
    (("H" * 2000 + "\nTT\n" + "H" * 2000 + "\nBody").encode(),
     "error: bad.txt:1: the headline is 2,000 characters long (at most 300)"),
])
def test_bad_files_are_refused_and_write_nothing(site, data, message):
    (site / "bad.txt").write_bytes(data)
    result = imp(site, "bad.txt", SEED.name, *SEED_DATES[:2])
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Nothing was written for: bad.txt" in result.stderr
    assert sorted(contents(site)) == [GROSSI, KHAMENEI]  # the good dump still lands, whole
    assert "1 could not be imported" in result.stdout


def test_cp1252_dump_is_read_correctly_when_its_encoding_is_given(site):
    (site / "win.txt").write_bytes("Head\nTT\nHead\nShe said “no” – twice.".encode("cp1252"))
    result = imp(site, "win.txt", "--encoding", "cp1252", "--date", "2024-01-01")
    assert result.returncode == 0, result.stderr
    assert (site / "content/head.md").read_text(encoding="utf-8").endswith("She said “no” – twice.\n")


def test_missing_file_and_folder_are_named(site):
    result = imp(site, "nope.txt", "content")
    assert result.returncode == 1
    assert "error: nope.txt: no such file" in result.stderr
    assert "error: content: is a folder" in result.stderr or "error: content: no such file" in result.stderr


def test_a_failed_write_leaves_no_file_of_the_source(tmp_path):
    good, blocked = tmp_path / "a.md", tmp_path / "file" / "b.md"
    (tmp_path / "file").write_text("a file where a folder should be")
    with pytest.raises(SiteError, match="cannot write"):
        write_files([(good, "a"), (blocked, "b")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # no a.md, no temporary file


def test_parse_date_reads_dates_in_the_site_zone():
    assert parse_date("2024-07-10", "Asia/Tehran").isoformat() == "2024-07-10T00:00:00+03:30"
    assert parse_date("2024-07-10T11:45:00+01:00", "Asia/Tehran").isoformat() == "2024-07-10T14:15:00+03:30"
    with pytest.raises(SiteError, match="is not a date"):
        parse_date("July 10", "UTC")


def test_help_has_an_example():
    result = run_cli("import", "--help")
    assert result.returncode == 0
    assert "site-builder import dump.txt --date 2024-07-15" in result.stdout


# --- the sample site --------------------------------------------------------------------------

def test_sample_content_is_what_the_importer_makes_of_the_seed(tmp_path):
    """content/ was produced by `site-builder import` from the seed; importing it again into a
    copy changes nothing, with or without the dates."""
    site = tmp_path / "sample"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.toml", site / "site.toml")
    before = contents(site)
    assert sorted(before) == [GROSSI, KHAMENEI]
    for args in (SEED_DATES, ()):
        result = run_cli("import", str(SEED), *args, cwd=site)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].endswith("0 created, 0 replaced, 2 unchanged, 0 skipped")
        assert contents(site) == before
    assert front(site / "content" / KHAMENEI)["date"] == "2023-12-04T19:50:00+03:30"
    assert front(site / "content" / GROSSI)["date"] == "2024-07-10T14:15:00+03:30"
    # and --force regenerates them byte for byte: nothing in them was edited by hand
    result = run_cli("import", str(SEED), *SEED_DATES, "--force", cwd=site)
    assert result.stdout.splitlines()[-1].endswith(" 2 unchanged, 0 skipped") and contents(site) == before
