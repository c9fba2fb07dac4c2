"""`site-builder serve`, started as a user starts it on a free port and used over HTTP: the
site under its sub-path, edits served within a second or two, a broken file shown while the
last good build is still served, recovery, one rebuild per burst of saves, live reload events."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import article, make_site, run_cli
from devserver import DevServerProcess

MARKER = "data-site-builder-live-reload"


@pytest.fixture
def site(tmp_path) -> Path:
    return make_site(tmp_path / "site", {
        "content/one.md": article("One", "2024-01-01", "The first version.", tags="[Iran]"),
        "content/two.md": article("Two", "2024-01-02", "Another story."),
        "content/draft.md": article("Draft Story", "2024-01-03", "Not yet.", draft="true"),
    })


@pytest.fixture
def server(site):
    with DevServerProcess(site) as running:
        yield running


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_it_serves_the_site_under_the_base_urls_path(server, site):
    assert server.url.startswith("http://127.0.0.1:") and server.prefix == "/repo/"
    home = server.page()
    assert "One" in home and "Two" in home and "Draft Story" not in home  # as published
    assert server.get("/")[0] == 301 and server.get("/")[1]["Location"] == "/repo/"
    assert server.get("/repo")[1]["Location"] == "/repo/"
    assert server.get("/repo/articles/one")[1]["Location"] == "/repo/articles/one/"
    status, _, body = server.get("/repo/no/such/page/")
    assert status == 404 and "Page not found" in body
    assert server.get("/tags/")[0] == 404  # a link that escapes /repo/ is broken here too
    feed = server.page("feed.xml")
    assert f"<link>{server.url}</link>" in feed  # built for this server, not for the published site
    assert "<?xml-stylesheet" in feed and MARKER not in feed


def test_the_live_reload_script_is_only_in_what_is_served(server, site):
    assert MARKER in server.page() and MARKER in server.page("articles/one/")
    served_dir = site / ".site-builder-cache/serve"
    html = list(served_dir.rglob("*.html"))
    assert html and not any(MARKER in p.read_text() for p in html)
    assert not (site / "output").exists()  # output/ is what gets published: serve leaves it alone


def test_an_edit_is_served_within_a_second_or_two(server, site):
    assert "The first version." in server.page("articles/one/")
    before = server.status()["build_id"]
    edit(site / "content/one.md", article("One", "2024-01-01", "The second version.", tags="[Iran]"))
    started = time.monotonic()
    server.wait_for(lambda: "The second version." in server.page("articles/one/"), what="the edit")
    assert time.monotonic() - started < 2.5
    # The pages are written before the build's end is recorded: the new id follows at once.
    server.wait_for(lambda: server.status()["build_id"] != before, what="the new build's id")
    assert "rebuilt in" in server.wait_for(lambda: "content/one.md: rebuilt in" in server.stderr and server.stderr)


def test_a_broken_file_shows_its_error_while_the_last_good_build_is_served_then_recovers(server, site):
    edit(site / "content/one.md", "---\ntitle: One\ndate: 2024-01-01\ntags: [Iran\n---\nThe broken version.\n")
    state = server.wait_for(lambda: server.status()["error"] and server.status(), what="the error")
    assert state["error"].startswith("content/one.md:5: front matter is not valid YAML")
    status, _, page = server.get("/repo/articles/one/")
    assert status == 200 and "The first version." in page  # the last good build
    assert 'id="site-builder-error"' in page and "content/one.md:5: front matter is not valid YAML" in page
    assert "error: content/one.md:5: front matter is not valid YAML" in server.stderr  # the terminal
    edit(site / "content/one.md", article("One", "2024-01-01", "The fixed version.", tags="[Iran]"))
    server.wait_for(lambda: server.status()["error"] is None, what="recovery")
    page = server.page("articles/one/")
    assert "The fixed version." in page and 'id="site-builder-error"' not in page


def test_a_burst_of_saves_gives_one_rebuild(server, site):
    builds = server.status()["builds"]
    for n in range(20):  # an editor's save-all, or a search-and-replace over every file
        edit(site / f"content/burst-{n % 5}.md", article(f"Burst {n % 5}", "2024-02-01", f"Version {n}."))
    server.wait_for(lambda: "Version 19." in server.get("/repo/articles/burst-4/")[2], what="the burst")
    time.sleep(0.6)  # long enough for a stray second rebuild to have started
    assert server.status()["builds"] == builds + 1


def test_templates_static_and_site_toml_are_watched_too(server, site):
    edit(site / "site.toml", (site / "site.toml").read_text().replace('title = "Test News"', 'title = "Evening News"'))
    server.wait_for(lambda: "Evening News" in server.page(), what="the new title")
    (site / "static").mkdir()
    (site / "static/extra.txt").write_text("hello")
    server.wait_for(lambda: server.get("/repo/extra.txt")[0] == 200, what="the static file")
    (site / "templates").mkdir()
    edit(site / "templates/tags.html", "{% extends 'base.html' %}{% block content %}<p>My tags page</p>{% endblock %}")
    server.wait_for(lambda: "My tags page" in server.page("tags/"), what="the new template")


def test_events_tell_pages_of_each_build(server, site):
    """The stream the live reload script listens to: the current build at once, then each new one."""
    parts = urlsplit(server.origin)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", "/_site-builder/events")
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"

        def next_event() -> dict:
            while True:
                line = response.fp.readline().decode()
                if line.startswith("data: "):
                    return json.loads(line[len("data: "):])

        first = next_event()
        assert first["error"] is None and first["build_id"] == server.status()["build_id"]
        edit(site / "content/two.md", article("Two", "2024-01-02", "Changed."))
        second = next_event()
        assert second["build_id"] != first["build_id"] and second["error"] is None
    finally:
        conn.close()


def test_drafts_and_future_articles_are_served_when_asked(site):
    (site / "content/later.md").write_text(article("Later Story", "2999-01-01", "Scheduled."))
    with DevServerProcess(site, "--drafts", "--future") as server:
        assert "Not yet." in server.page("articles/draft/")
        assert "Scheduled." in server.page("articles/later/")


def test_open_opens_the_browser_at_the_sites_url(site, tmp_path):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"
    browser.write_text(f"import sys, pathlib\npathlib.Path({str(opened)!r}).write_text(sys.argv[1])\n")
    env = {**os.environ, "BROWSER": f"{sys.executable} {browser} %s"}
    with DevServerProcess(site, "--open", env=env) as server:
        assert server.wait_for(lambda: opened.exists() and opened.read_text(), what="the browser") == server.url


def test_ctrl_c_stops_the_server_cleanly(site):
    server = DevServerProcess(site)
    try:
        assert server.page()
    finally:
        assert server.stop() == 0


def test_a_port_in_use_is_an_error_that_says_what_to_do(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--site", str(site), "--port", str(port))
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "--port 0" in result.stderr


def test_a_site_that_does_not_build_at_start_is_served_once_fixed(site):
    good = (site / "content/one.md").read_text()
    edit(site / "content/one.md", "---\ntitle: One\n")
    with DevServerProcess(site) as server:
        status, _, page = server.get("/repo/")
        assert status == 404 and "content/one.md:1: the front matter is not closed" in page
        edit(site / "content/one.md", good)
        server.wait_for(lambda: server.get("/repo/")[0] == 200, what="the first good build")


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="POSIX signals")
def test_the_server_process_is_gone_after_the_tests(site):
    server = DevServerProcess(site)
    server.stop()
    assert server.process.poll() is not None
