"""The guard for what readers have seen (issue #13): `check --live` and `deploy` compare the new
feeds with those of the live site — a site built earlier, served over real HTTP under /repo/ as
GitHub Pages serves a project site — and stop an id or date change, naming the file and the fix."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import REPO, article, make_site, run_cli
from serving import serving
from test_publish_path import run_steps

from site_builder.build.run import build
from site_builder.commands import live_feeds
from site_builder.commands.live_feeds import Unreachable, folder_get, http_get, read_feeds
from site_builder.output.id_guard import load_records, seen_path

PREFIX = "/repo/"
PINNED = "tag:user.github.io,2024-05-02:articles/pinned-story"


@pytest.fixture
def live(tmp_path):
    """The live site's folder, served at http://127.0.0.1:PORT/repo/; yields (base URL, folder)."""
    folder = tmp_path / "live"
    folder.mkdir()
    with serving(folder, PREFIX) as origin:
        yield origin + PREFIX, folder


def config(base_url: str, id_domain: str | None = "user.github.io", extra: str = "") -> str:
    domain = f'id_domain = "{id_domain}"\n' if id_domain else ""
    return f'title = "Test News"\nbase_url = "{base_url}"\nauthor = "Desk"\ntimezone = "UTC"\n{domain}{extra}'


def publish(site: Path, folder: Path) -> None:
    """Put the site's output/ live, as the Pages workflow's upload does."""
    shutil.rmtree(folder)
    shutil.copytree(site / "output", folder)


def site_for(tmp_path: Path, base_url: str, **options) -> Path:
    site = make_site(tmp_path / "site", {
        "content/original-title.md": article("Original Title", "2024-05-01T10:00:00+00:00", tags="[Iran]"),
        "content/pinned.md": article("Pinned Story", "2024-05-02", id=PINNED),
    }, config=config(base_url, **options))
    build(site)
    return site


@pytest.fixture
def published(tmp_path, live):
    """A site whose output/ is live; yields (site, base URL, live folder)."""
    base_url, folder = live
    site = site_for(tmp_path, base_url)
    publish(site, folder)
    return site, base_url, folder


def check_live(site: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cli("check", "--live", "--site", str(site), *args, cwd=site)


def test_an_unchanged_site_passes_and_is_remembered(published):
    site, base_url, _ = published
    done = check_live(site)
    assert done.returncode == 0, done.stderr
    assert f"Compared 2 entries readers have at {base_url}: 0 would change" in done.stdout
    seen = load_records(seen_path(site))
    assert seen["content/pinned.md"].id == PINNED and seen["content/original-title.md"].path == "articles/original-title/"


def test_a_new_slug_without_an_id_is_stopped_with_the_fix(published):
    site, _, _ = published
    (site / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title"))
    build(site)  # never blocked locally: nothing recorded what readers have
    done = check_live(site)
    assert done.returncode == 1
    assert ("error: content/original-title.md: its feed id would change from "
            "'tag:user.github.io,2024-05-01:articles/original-title' to "
            "'tag:user.github.io,2024-05-01:articles/a-better-title'") in done.stderr
    assert "add 'id: tag:user.github.io,2024-05-01:articles/original-title' to its front matter" in done.stderr
    assert "--allow-id-change" in done.stderr and "1 would change" in done.stderr
    assert done.stderr.count("content/original-title.md") == 1  # one error, not one per feed format
    allowed = check_live(site, "--allow-id-change")
    assert allowed.returncode == 0 and "warning: content/original-title.md" in allowed.stderr


def test_the_fix_it_gives_passes(published):
    site, _, _ = published
    (site / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title", id="tag:user.github.io,2024-05-01:articles/original-title"))
    build(site)
    done = check_live(site)
    assert done.returncode == 0, done.stderr


def test_a_moved_date_is_stopped(published):
    site, _, _ = published
    (site / "content/pinned.md").write_text(article("Pinned Story", "2024-06-30", id=PINNED))
    build(site)
    done = check_live(site)
    assert done.returncode == 1
    assert ("error: content/pinned.md: its date would move from 2024-05-02T00:00:00+00:00 to "
            "2024-06-30T00:00:00+00:00 after it was published: keep 'date: 2024-05-02T00:00:00+00:00'") in done.stderr


def test_a_new_host_without_id_domain_is_stopped_with_the_fix(tmp_path, live):
    """Ids made from base_url's host change with it: the site moved to a custom domain
    (here localhost → 127.0.0.1, the same server), and site.toml had no id_domain."""
    old_url, folder = live
    site = site_for(tmp_path, old_url.replace("127.0.0.1", "localhost"), id_domain=None)
    publish(site, folder)
    build(site, base_url=old_url)
    done = check_live(site, "--base-url", old_url)
    assert done.returncode == 1
    assert "content/original-title.md: its feed id would change from 'tag:localhost,2024-05-01:" in done.stderr
    assert 'set id_domain = "localhost" in site.toml' in done.stderr
    assert "content/pinned.md" not in done.stderr  # its id: was written down
    (site / "site.toml").write_text((site / "site.toml").read_text() + 'id_domain = "localhost"\n')
    build(site, base_url=old_url)
    assert check_live(site, "--base-url", old_url).returncode == 0


def test_the_archives_readers_have_are_compared_too(tmp_path, live):
    """The oldest article is only in the month archive the feeds link (RFC 5005)."""
    base_url, folder = live
    files = {f"content/s{i}.md": article(f"Story {i}", f"2024-0{i}-01", id=f"tag:user.github.io,x:{i}")
             for i in range(1, 6)}
    site = make_site(tmp_path / "site", files, config=config(base_url, extra="feed_items = 2\n"))
    build(site)
    publish(site, folder)
    (site / "content/s1.md").write_text(article("Story 1", "2024-01-15", id="tag:user.github.io,x:1"))
    build(site)
    done = check_live(site)
    assert done.returncode == 1
    assert "content/s1.md: its date would move from 2024-01-01" in done.stderr
    assert "Compared 5 entries" in done.stderr


def test_articles_no_reader_has_seen_and_deleted_ones_pass(published):
    site, _, _ = published
    (site / "content/fresh.md").write_text(article("Fresh", "2024-05-05"))
    build(site)
    (site / "content/fresh.md").write_text(article("Fresh News", "2024-05-09"))  # a date fix before publishing
    (site / "content/original-title.md").unlink()  # deleted on purpose: not an id change
    build(site)
    done = check_live(site)
    assert done.returncode == 0, done.stderr
    assert "note: 1 entry readers have is in no new feed (a deleted article?), such as articles/original-title/" \
        in done.stdout


def test_a_story_deleted_and_another_published_the_same_day_is_no_id_change(published):
    site, _, _ = published
    (site / "content/original-title.md").unlink()
    (site / "content/other.md").write_text(article("Other News", "2024-05-01T10:00:00+00:00", "Other text."))
    build(site)
    done = check_live(site)
    assert done.returncode == 0, done.stderr
    assert "1 entry readers have is in no new feed" in done.stdout


def test_an_unreachable_site_or_a_first_publish_is_a_note(tmp_path, live):
    base_url, _ = live  # serving an empty folder: every feed is a 404
    site = site_for(tmp_path, base_url)
    first = check_live(site)
    assert first.returncode == 0, first.stderr
    assert f"note: nothing to compare: {base_url}atom.xml is not there (HTTP 404): a first publish?" in first.stdout
    down = "http://127.0.0.1:9/repo/"  # the discard port: nothing listens
    build(site, base_url=down)
    offline = check_live(site, "--base-url", down)
    assert offline.returncode == 0, offline.stderr
    assert f"note: nothing to compare: {down}atom.xml could not be read (" in offline.stdout
    assert not seen_path(site).exists()


def test_a_local_build_blocks_only_once_readers_have_seen_it(published):
    site, _, _ = published
    (site / "content/pinned.md").write_text(article("Pinned Story", "2024-06-30", id=PINNED))
    build(site)  # not seen yet as far as this machine knows
    (site / "content/pinned.md").write_text(article("Pinned Story", "2024-05-02", id=PINNED))
    build(site)
    assert check_live(site).returncode == 0  # now it knows
    (site / "content/pinned.md").write_text(article("Pinned Story", "2024-06-30", id=PINNED))
    refused = run_cli("build", "--site", str(site))
    assert refused.returncode == 1 and "content/pinned.md: its date would move" in refused.stderr


def test_reading_a_built_folder_follows_the_archive_chain(tmp_path):
    files = {f"content/s{i}.md": article(f"Story {i}", f"2024-0{i}-01") for i in range(1, 6)}
    base = "https://u.github.io/r/"
    site = make_site(tmp_path / "s", files, config=f'base_url = "{base}"\nfeed_items = 2\n')
    build(site)
    feeds = read_feeds(base, ("atom", "rss", "json"), folder_get(site / "output", base))
    assert feeds.notes == []
    for fmt in ("atom", "rss", "json"):
        links = sorted({e.link for e in feeds.entries[fmt]})  # the newest are in their archive too
        assert links == [f"{base}articles/s{i}/" for i in range(1, 6)], fmt


def test_a_feed_declaring_entities_is_not_read(tmp_path, live):
    base_url, folder = live
    site = site_for(tmp_path, base_url, extra="")
    publish(site, folder)
    atom = folder / "atom.xml"
    atom.write_bytes(atom.read_bytes().replace(b"<?xml-stylesheet", b'<!DOCTYPE feed [<!ENTITY a "b">]><?xml-stylesheet', 1))
    done = check_live(site)
    assert done.returncode == 0 and "declares a DTD" in done.stdout


# --- deploy -----------------------------------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def test_deploy_is_stopped_by_the_guard_and_passes_with_allow_id_change(published, tmp_path):
    site, _, _ = published
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    (site / ".gitignore").write_text("output/\n.output.*\n.site-builder-cache/\n")
    git(site, "init", "--quiet", "--initial-branch", "main")
    git(site, "config", "user.name", "Ana")
    git(site, "config", "user.email", "ana@example.org")
    git(site, "add", ".")
    git(site, "commit", "--quiet", "-m", "The site")
    git(site, "remote", "add", "origin", str(remote))
    (site / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title"))
    stopped = run_cli("deploy", "--site", str(site))
    assert stopped.returncode == 1
    assert "error: content/original-title.md: its feed id would change" in stopped.stderr
    assert git(remote, "branch", "--list") == ""  # nothing pushed
    done = run_cli("deploy", "--site", str(site), "--allow-id-change")
    assert done.returncode == 0, done.stderr
    assert "pushed it to origin" in done.stdout
    assert load_records(seen_path(site))["content/original-title.md"].path == "articles/a-better-title/"


# --- the workflow ------------------------------------------------------------------------------

def test_the_workflows_steps_stop_an_id_change_before_upload(published):
    """The Pages workflow's own run: steps, with the test venv's site-builder (requirements.txt
    installs nothing here: test_publish_path installs the real one), against the live site."""
    site, base_url, _ = published
    (site / "requirements.txt").write_text("# site-builder: the test venv's\n")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    script = run_steps(REPO / "site_builder/site_template/github/workflows/pages.yml", base_url)

    def run_in_a_fresh_clone(name: str, **more_env: str) -> subprocess.CompletedProcess:
        clone = site.parent / name  # nothing built or recorded: GitHub's runner starts so
        shutil.copytree(site, clone, ignore=shutil.ignore_patterns("output", ".output.*", ".site-builder-cache"))
        return subprocess.run(["bash", "-e", "-c", script], cwd=clone, env=env | more_env, capture_output=True,
                              text=True, check=False)

    passed = run_in_a_fresh_clone("clean")
    assert passed.returncode == 0, passed.stdout[-2000:] + passed.stderr[-2000:]
    assert "Compared 2 entries readers have" in passed.stdout
    (site / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title"))
    stopped = run_in_a_fresh_clone("edited")
    assert stopped.returncode == 1, stopped.stdout[-2000:] + stopped.stderr[-2000:]
    assert "error: content/original-title.md: its feed id would change" in stopped.stderr
    # run by hand with allow-id-change ticked: the job's environment passes it to every step
    workflow = yaml.safe_load((REPO / "site_builder/site_template/github/workflows/pages.yml").read_text())
    assert workflow["jobs"]["build"]["env"] == {"SITE_BUILDER_ALLOW_ID_CHANGE": "${{ inputs.allow-id-change }}"}
    allowed = run_in_a_fresh_clone("allowed", SITE_BUILDER_ALLOW_ID_CHANGE="true")
    assert allowed.returncode == 0, allowed.stdout[-2000:] + allowed.stderr[-2000:]
    assert "warning: content/original-title.md" in allowed.stderr


# --- reading the live site --------------------------------------------------------------------

def test_only_http_addresses_are_read():
    with pytest.raises(Unreachable, match="not an http"):
        http_get("file:///etc/passwd")


def test_a_redirect_may_not_leave_http(tmp_path):
    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with pytest.raises(Unreachable):
            http_get(f"http://127.0.0.1:{server.server_port}/atom.xml")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_document_over_the_size_cap_is_not_read(published, monkeypatch):
    _, base_url, _ = published
    monkeypatch.setattr(live_feeds, "MAX_BYTES", 100)
    with pytest.raises(Unreachable, match="larger than"):
        http_get(base_url + "atom.xml")
