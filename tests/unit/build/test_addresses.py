"""Addresses that never move by accident (issue #13): an article's URL comes from its file
name or `slug:`, never its title; when it does move, the old address redirects, from a record
kept in the site's repository, and `aliases:` add old addresses by hand."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE_URL, REPO, article, make_site, run_cli
from hypothesis import given
from hypothesis import strategies as st

from site_builder.build.run import build
from site_builder.commands.check import check_site
from site_builder.content.article import _alias
from site_builder.core.config import load_config
from site_builder.core.errors import SiteError

RECORD = ".site-builder/redirects.json"


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    return make_site(tmp_path / "site", files)


def _pages(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("index.html")}


def _check(site: Path) -> list[str]:
    return [str(p) for p in check_site(site / "output", load_config(site), site).problems]


def _sitemap(out: Path) -> str:
    return (out / "sitemap.xml").read_text(encoding="utf-8")


def _redirect_target(page: Path) -> str:
    """Where a redirect page sends a browser (its meta refresh), checked against its link and
    canonical URL."""
    html = page.read_text(encoding="utf-8")
    refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)[1]
    assert f'<a href="{refresh}">' in html
    canonical = re.search(r'rel="canonical" href="([^"]+)"', html)[1]
    assert 'name="robots" content="noindex"' in html
    return canonical


def test_an_edited_headline_keeps_the_address_and_the_id(tmp_path):
    site = _site(tmp_path, {"content/harbour-cranes-return.md": article("Harbour Cranes Return", "2024-05-01")})
    build(site)
    atom_before = (site / "output/atom.xml").read_text(encoding="utf-8")
    (site / "content/harbour-cranes-return.md").write_text(
        article("Harbour Cranes Return to Aqaba Port", "2024-05-01"), encoding="utf-8")
    build(site)
    out = site / "output"
    assert (out / "articles/harbour-cranes-return/index.html").is_file()
    assert not (out / "articles/harbour-cranes-return-to-aqaba-port").exists()
    ids = re.findall(r"<id>(tag:[^<]+)</id>", (out / "atom.xml").read_text(encoding="utf-8"))
    assert ids and ids == re.findall(r"<id>(tag:[^<]+)</id>", atom_before)
    assert not (site / RECORD).exists()  # nothing moved, nothing to record


def test_the_file_name_gives_the_address(tmp_path):
    site = _site(tmp_path, {
        "content/Harbour Cranes.md": article("Anything", "2024-05-01"),
        "content/news/díaz-canel-visit.md": article("Another headline", "2024-05-02"),
        "content/con.md": article("Reserved on Windows", "2024-05-03"),
    })
    build(site)
    assert {"articles/harbour-cranes/index.html", "articles/diaz-canel-visit/index.html",
            "articles/con-article/index.html"} <= _pages(site / "output")


def test_a_file_name_without_letters_is_refused_with_the_fix(tmp_path):
    site = _site(tmp_path, {"content/★.md": article("A Star", "2024-05-01")})
    with pytest.raises(SiteError) as caught:
        build(site)
    assert "content/★.md" in str(caught.value) and "slug:" in str(caught.value)
    assert not (site / "output").exists()


def test_a_new_slug_leaves_a_redirect_that_check_follows_and_the_sitemap_leaves_out(tmp_path):
    path = "content/cranes.md"
    site = _site(tmp_path, {path: article("Cranes", "2024-05-01"), "content/other.md": article("Other", "2024-04-01")})
    build(site)
    (site / path).write_text(article("Cranes", "2024-05-01", slug="aqaba-cranes",
                                     id="tag:user.github.io,2024-05-01:articles/cranes"), encoding="utf-8")
    build(site)
    (site / path).write_text(article("Cranes", "2024-05-01", slug="aqaba-cranes",
                                     id="tag:user.github.io,2024-05-01:articles/cranes"), encoding="utf-8")
    build(site)
    out = site / "output"
    assert _redirect_target(out / "articles/cranes/index.html") == BASE_URL + "articles/aqaba-cranes/"
    assert (out / "articles/aqaba-cranes/index.html").is_file()
    assert "articles/cranes/" not in _sitemap(out) and "articles/aqaba-cranes/" in _sitemap(out)
    record = json.loads((site / RECORD).read_text(encoding="utf-8"))
    assert record == {"articles/cranes/": {"file": path, "id": "tag:user.github.io,2024-05-01:articles/cranes"}}
    assert _check(site) == []


def test_the_committed_record_keeps_redirects_in_a_fresh_clone(tmp_path):
    """The workflow builds a fresh clone: no cache, no output/, only what was committed."""
    path = "content/cranes.md"
    site = _site(tmp_path, {path: article("Cranes", "2024-05-01", id="cranes-2024")})
    build(site)
    (site / path).rename(site / "content/aqaba-cranes.md")  # a rename that keeps its id
    build(site)
    clone = tmp_path / "clone"
    shutil.copytree(site, clone, ignore=shutil.ignore_patterns("output", ".site-builder-cache"))
    build(clone)
    assert _redirect_target(clone / "output/articles/cranes/index.html") == BASE_URL + "articles/aqaba-cranes/"
    assert _check(clone) == []


def test_a_move_found_by_the_workflow_is_kept_by_its_cache(tmp_path, caplog):
    """A new slug pushed without a local build: the workflow's run (its cache restored) finds
    the move, but cannot commit the record; the cache's copy keeps the redirect in later runs."""
    path = "content/cranes.md"
    site = _site(tmp_path, {path: article("Cranes", "2024-05-01", id="c")})
    build(site)
    (site / path).write_text(article("Cranes", "2024-05-01", slug="aqaba-cranes", id="c"), encoding="utf-8")
    build(site)  # the workflow's run: finds the move, warns that the record is to be committed
    assert "articles/cranes/ redirects to it now, recorded in .site-builder/redirects.json (commit it" in caplog.text
    (site / RECORD).unlink()  # the checkout of the next run has no such file: it was never committed
    (site / "content/later.md").write_text(article("Later", "2024-06-01"), encoding="utf-8")  # every output planned
    build(site)
    assert _redirect_target(site / "output/articles/cranes/index.html") == BASE_URL + "articles/aqaba-cranes/"


def test_a_body_edit_after_a_move_keeps_the_redirect(tmp_path):
    path = "content/cranes.md"
    site = _site(tmp_path, {path: article("Cranes", "2024-05-01", slug="cranes-a", id="c")})
    build(site)
    (site / path).write_text(article("Cranes", "2024-05-01", slug="cranes-b", id="c"), encoding="utf-8")
    build(site)
    (site / path).write_text(article("Cranes", "2024-05-01", "A corrected body.", slug="cranes-b", id="c"), encoding="utf-8")
    build(site)
    (site / path).write_text(article("Cranes, Retitled", "2024-05-01", "A corrected body.", slug="cranes-b", id="c"),
                             encoding="utf-8")
    build(site)
    out = site / "output"
    assert _redirect_target(out / "articles/cranes-a/index.html") == BASE_URL + "articles/cranes-b/"
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns("output", ".site-builder-cache"))
    build(cold)
    assert (cold / "output/articles/cranes-a/index.html").read_bytes() == (out / "articles/cranes-a/index.html").read_bytes()


def test_a_slug_moved_back_is_no_redirect_to_itself(tmp_path):
    path = "content/cranes.md"
    site = _site(tmp_path, {path: article("Cranes", "2024-05-01", id="c")})
    build(site)
    (site / path).write_text(article("Cranes", "2024-05-01", slug="other", id="c"), encoding="utf-8")
    build(site)
    (site / path).write_text(article("Cranes", "2024-05-01", id="c"), encoding="utf-8")
    build(site)
    out = site / "output"
    assert "refresh" not in (out / "articles/cranes/index.html").read_text(encoding="utf-8")
    assert _redirect_target(out / "articles/other/index.html") == BASE_URL + "articles/cranes/"
    assert _check(site) == []


def test_aliases_add_old_addresses_by_hand(tmp_path):
    site = _site(tmp_path, {"content/cranes.md": article(
        "Cranes", "2024-05-01", aliases="[/2019/05/cranes.html, old-site/cranes, /news/cranes/]")})
    build(site)
    out = site / "output"
    for page in ("2019/05/cranes.html", "old-site/cranes/index.html", "news/cranes/index.html"):
        assert _redirect_target(out / page) == BASE_URL + "articles/cranes/"
    assert "cranes.html" not in _sitemap(out)
    assert _check(site) == []
    # a redirect two folders down still reaches the page under the project's sub-path
    assert 'url=../../articles/cranes/"' in (out / "2019/05/cranes.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("alias, says", [
    ("https://old.example/story/", "is a URL"),
    ("/story?id=4", "cannot"),
    ("/story.php", "download"),
    ("/../etc/", "not a page's path"),
    ("/", "not a page's path"),
])
def test_a_bad_alias_is_refused_naming_the_file_and_line(tmp_path, alias, says):
    site = _site(tmp_path, {"content/cranes.md": article("Cranes", "2024-05-01", aliases=json.dumps([alias]))})
    with pytest.raises(SiteError) as caught:
        build(site)
    assert "content/cranes.md:4" in str(caught.value) and says in str(caught.value)
    assert not (site / "output").exists()


def test_an_alias_that_names_a_page_of_the_site_is_refused(tmp_path):
    site = _site(tmp_path, {
        "content/cranes.md": article("Cranes", "2024-05-01", aliases="[/articles/ports/]"),
        "content/ports.md": article("Ports", "2024-05-02"),
    })
    with pytest.raises(SiteError) as caught:
        build(site)
    assert "content/cranes.md" in str(caught.value) and "articles/ports/index.html" in str(caught.value)


def test_a_damaged_record_stops_the_build_before_output(tmp_path):
    site = _site(tmp_path, {"content/cranes.md": article("Cranes", "2024-05-01"), RECORD: '{"articles/x/": [\n'})
    with pytest.raises(SiteError) as caught:
        build(site)
    assert RECORD in str(caught.value) and "git" in str(caught.value)
    assert not (site / "output").exists()


def test_check_reports_a_redirect_loop_and_a_redirect_to_nowhere(tmp_path):
    site = _site(tmp_path, {"content/cranes.md": article("Cranes", "2024-05-01", aliases="[/a/, /b/]")})
    build(site)
    out = site / "output"
    (out / "a/index.html").write_text('<meta http-equiv="refresh" content="0; url=../b/">', encoding="utf-8")
    (out / "b/index.html").write_text('<meta http-equiv="refresh" content="0;URL=\'../a/\'">', encoding="utf-8")
    (out / "c").mkdir()
    (out / "c/index.html").write_text('<meta http-equiv="refresh" content="0; url=../gone/">', encoding="utf-8")
    problems = "\n".join(_check(site))
    assert "a/index.html:1: redirects in a loop" in problems
    assert "c/index.html:1: broken link '../gone/'" in problems


@given(st.text(max_size=40))
def test_an_alias_is_a_safe_path_or_refused(text):
    try:
        path = _alias(text)
    except ValueError:
        return
    assert not path.startswith("/") and ".." not in path.split("/") and "//" not in path
    assert path.endswith("/") or path.lower().endswith((".html", ".htm"))
    assert not re.search(r"[?#%\\\s]", path)


def _old_release() -> Path | None:
    """The last release that took addresses from titles, from this repository's history."""
    try:
        subprocess.run(["git", "cat-file", "-e", "d9209ce^{commit}"], cwd=REPO, check=True, capture_output=True)
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    return REPO


def test_an_upgrade_moves_no_address(tmp_path):
    """Built by the release before this change, then by this one: the files `new` and
    `import` named keep their addresses; a hand-named file whose title gave its address stops
    the build with the fix, and with the fix nothing moves."""
    if _old_release() is None:
        pytest.skip("this clone has no history (a shallow clone): the old release cannot be built")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(["git", "archive", "d9209ce", "site_builder", "templates"], cwd=REPO, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    site = _site(tmp_path, {
        "content/raisi-visits-havana.md": article("Raisi Visits Havana", "2024-05-01"),  # as `new` names it
        "content/raisi-visits-havana-2.md": article("Raisi Visits Havana", "2024-05-02"),  # a second one
        "content/my-notes.md": article("Port Strike Ends", "2024-05-03"),  # named by hand
    })
    built_by_old = subprocess.run([sys.executable, "-m", "site_builder", "build", "--site", str(site)], check=False, cwd=old,
                                  env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert built_by_old.returncode == 0, built_by_old.stderr
    before = _pages(site / "output")
    assert "articles/port-strike-ends/index.html" in before
    refused = run_cli("build", "--site", str(site))
    assert refused.returncode != 0
    assert "content/my-notes.md" in refused.stderr and "slug: port-strike-ends" in refused.stderr
    assert _pages(site / "output") == before  # stopped before touching output/
    text = (site / "content/my-notes.md").read_text(encoding="utf-8")
    (site / "content/my-notes.md").write_text(text.replace("---\n", "---\nslug: port-strike-ends\n", 1), encoding="utf-8")
    assert run_cli("build", "--site", str(site)).returncode == 0
    # every page the old release made, where it made it; author pages (issue #16) are new
    assert {page for page in _pages(site / "output") if not page.startswith("authors/")} == before
