"""The site's icon in a real browser: Chromium, at a page of a site served under a project
sub-path as GitHub Pages serves it, asks for an icon and gets it. (Without one linked, it asked
for /favicon.ico at the host's root, outside the site: a 404 in the console.)"""
from __future__ import annotations

import os
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import article, make_site
from serving import handler_for

from site_builder.build.run import build

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium (scripts/test.sh installs it)")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
PREFIX = "/repo/"


def requests_of_a_visit(out: Path, page_path: str) -> list[tuple[int, str]]:
    """Return (status, path) of every request Chromium makes to show the page, the icon's too
    (a browser fetches it itself, so only the server sees it)."""
    asked: list[tuple[int, str]] = []

    class Recording(handler_for(out, PREFIX)):
        def send_response(self, code, message=None):
            asked.append((int(code), self.path))
            super().send_response(code, message)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with sync_api.sync_playwright() as playwright:
            # the new headless mode fetches icons as a windowed browser does (the old one never did)
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=False,
                args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                      "--disable-background-networking", "--disable-component-update", "--no-first-run"])
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}{PREFIX}{page_path}")
                deadline = time.monotonic() + 10
                while not any("icon" in path for _, path in asked) and time.monotonic() < deadline:
                    time.sleep(0.1)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    return asked


def test_chromium_finds_the_icon_under_the_sub_path(tmp_path):
    site = make_site(tmp_path / "s", {"content/one.md": article("One", "2024-01-01", "Text.")})
    build(site)
    asked = requests_of_a_visit(site / "output", "articles/one/")
    icons = [(status, path) for status, path in asked if "icon" in path]
    assert icons, f"Chromium asked for no icon: {asked}"
    assert all(status == 200 and path.startswith(PREFIX) for status, path in icons), icons
    assert all(status == 200 for status, _ in asked), asked
