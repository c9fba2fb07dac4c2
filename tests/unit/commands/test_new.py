"""`site-builder new "Headline"`: a draft in content/ with its date, tags and permanent id,
whose path is printed; an existing file is never overwritten."""
from __future__ import annotations

import datetime as dt
import subprocess
import zoneinfo

import yaml
from conftest import article, console_script, make_site, run_cli

from site_builder.commands.scaffold import new_article


def front_matter(path) -> dict:
    fields = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    if isinstance(fields.get("date"), dt.datetime):
        date_line = next(line for line in path.read_text().splitlines() if line.startswith("date: "))
        fields["date"] = date_line.removeprefix("date: ")  # as written, with its offset
    return fields


def site_in(tmp_path, zone: str = "Asia/Tehran"):
    return make_site(tmp_path / "site", {}, config=(
        'title = "T"\nbase_url = "https://user.github.io/repo/"\n'
        f'id_domain = "news.example.org"\ntimezone = "{zone}"\n'))


def test_new_writes_a_draft_and_prints_its_path(tmp_path):
    site = site_in(tmp_path)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = run_cli("new", "Raisi Visits Havana", "--tag", "Iran", "--tag", "Cuba", cwd=site)
    after = dt.datetime.now(dt.UTC)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/raisi-visits-havana.md\n"
    fields = front_matter(site / "content/raisi-visits-havana.md")
    assert fields["title"] == "Raisi Visits Havana"
    assert fields["tags"] == ["Iran", "Cuba"]
    assert fields["draft"] is True
    date = dt.datetime.fromisoformat(fields["date"])
    assert date.utcoffset() == dt.timedelta(hours=3, minutes=30)  # the site's zone (no DST since 2022)
    assert before <= date <= after
    assert fields["id"] == f"tag:news.example.org,{date:%Y-%m-%d}:articles/raisi-visits-havana"
    assert "draft" in result.stderr  # says how to see and publish it


def test_the_date_is_written_with_the_sites_offset(tmp_path):
    site = site_in(tmp_path, zone="America/New_York")
    moment = dt.datetime(2024, 7, 15, 3, 30, 12, 999, tzinfo=dt.UTC)
    path = new_article(site, "Summer Story", now=moment)
    text = path.read_text()
    assert "date: 2024-07-14T23:30:12-04:00\n" in text
    assert "id: tag:news.example.org,2024-07-14:articles/summer-story\n" in text  # the local day


def test_the_new_article_builds_with_drafts_and_not_without(tmp_path):
    site = site_in(tmp_path)
    assert run_cli("new", "Draft One", "--site", str(site)).returncode == 0
    assert run_cli("build", "--site", str(site)).returncode == 0
    assert not (site / "output/articles/draft-one").exists()
    assert run_cli("build", "--site", str(site), "--drafts", "--output", str(tmp_path / "o")).returncode == 0
    assert (tmp_path / "o/articles/draft-one/index.html").is_file()


def test_a_taken_name_gets_a_number_and_nothing_is_overwritten(tmp_path):
    site = site_in(tmp_path)
    (site / "content").mkdir()
    mine = article("Raisi Visits Havana", "2024-01-01", "My text.")
    (site / "content/raisi-visits-havana.md").write_text(mine)
    first = run_cli("new", "Raisi Visits Havana", "--site", str(site))
    second = run_cli("new", "Raisi Visits Havana", "--site", str(site))
    assert first.returncode == second.returncode == 0
    assert first.stdout.strip().endswith("content/raisi-visits-havana-2.md")
    assert second.stdout.strip().endswith("content/raisi-visits-havana-3.md")
    assert (site / "content/raisi-visits-havana.md").read_text() == mine
    fields = front_matter(site / "content/raisi-visits-havana-2.md")
    assert fields["slug"] == "raisi-visits-havana-2"
    assert fields["id"].endswith(":articles/raisi-visits-havana-2")
    assert run_cli("build", "--site", str(site), "--drafts").returncode == 0  # no slug clash


def test_a_slug_taken_by_another_files_title_is_avoided(tmp_path):
    """The build derives a slug from the title: a file named otherwise can hold the name."""
    site = site_in(tmp_path)
    (site / "content").mkdir()
    (site / "content/old.md").write_text(article("Raisi Visits Havana", "2024-01-01"))
    result = run_cli("new", "Raisi visits Havana!", "--site", str(site))
    assert result.stdout.strip().endswith("raisi-visits-havana-2.md")
    assert run_cli("build", "--site", str(site), "--drafts").returncode == 0


def test_a_given_slug_that_is_taken_is_refused(tmp_path):
    site = site_in(tmp_path)
    assert run_cli("new", "One", "--slug", "story", "--site", str(site)).returncode == 0
    result = run_cli("new", "Two", "--slug", "story", "--site", str(site))
    assert result.returncode == 1 and "the slug 'story' is taken" in result.stderr
    assert front_matter(site / "content/story.md")["title"] == "One"


def test_bad_input_is_an_error_naming_what_to_do(tmp_path):
    site = site_in(tmp_path)
    result = run_cli("new", "!!!", "--site", str(site))
    assert result.returncode == 1 and "--slug" in result.stderr
    result = run_cli("new", "Story", "--slug", "Not A Slug", "--site", str(site))
    assert result.returncode == 1 and "is not a slug" in result.stderr
    assert not (site / "content").exists() or not list((site / "content").iterdir())


def test_long_and_non_latin_headlines_get_a_readable_short_name(tmp_path):
    site = site_in(tmp_path)
    long = "Iran and Cuba Pledge to Strengthen Their Relations in Every Field, From Trade and Energy to Medicine"
    path = new_article(site, long)
    assert len(path.stem) <= 80 and path.stem.startswith("iran-and-cuba-pledge")
    assert front_matter(path)["slug"] == path.stem  # the URL is the file's name
    arabic = new_article(site, "خامنئي يدعو كوبا")
    assert arabic.stem.isascii() and arabic.stem
    assert run_cli("build", "--site", str(site), "--drafts").returncode == 0


def test_quiet_prints_only_the_path_for_scripts(tmp_path):
    site = site_in(tmp_path)
    result = subprocess.run([console_script(), "new", "Quiet One", "--quiet"],
                            cwd=site, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "content/quiet-one.md\n", "")


def test_the_time_zone_is_the_sites(tmp_path):
    site = site_in(tmp_path, zone="Europe/Madrid")
    path = new_article(site, "Madrid")
    date = dt.datetime.fromisoformat(front_matter(path)["date"])
    assert date.utcoffset() == dt.datetime.now(zoneinfo.ZoneInfo("Europe/Madrid")).utcoffset()
