"""`site-builder serve`'s answers, without a socket: which file, status, redirect and headers a
request path leads to (commands/serve.py `resolve` and `answer`), the rules GitHub Pages
follows (tests/serving.py). tests/e2e/test_serve.py checks the same over HTTP, with a server
running."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.commands.serve import STATUS, Answer, BuildState, Resolved, answer, resolve

MARKER = b"data-site-builder-live-reload"


@pytest.fixture
def root(tmp_path) -> Path:
    """A built site: a home page, an article folder, a feed, a page reachable without .html."""
    files = {
        "index.html": "<html><body>home</body></html>",
        "articles/one/index.html": "<html><body>one</body></html>",
        "articles/bare/.keep": "",
        "feed.xml": "<rss/>",
        "about.html": "<html><body>about</body></html>",
        "a b/index.html": "<html><body>spaced</body></html>",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def state(prefix: str = "/repo/", error: str | None = None) -> BuildState:
    return BuildState("abcd-1", error, 1, prefix)


def headers(response: Answer) -> dict[str, str]:
    return dict(response.headers)


# --- resolve: path → file, redirect or nothing ------------------------------------------------

@pytest.mark.parametrize("path, rel", [
    ("/repo/", "index.html"),
    ("/repo/articles/one/", "articles/one/index.html"),
    ("/repo/feed.xml", "feed.xml"),
    ("/repo/about", "about.html"),  # x is x.html when there is no file x
    ("/repo/about.html", "about.html"),
    ("/repo/a%20b/", "a b/index.html"),  # percent-encoded
    ("/repo/articles/../articles/one/", "articles/one/index.html"),  # normalised, still inside
])
def test_a_path_under_the_prefix_is_a_file_of_the_site(root, path, rel):
    assert resolve(path, "/repo/", root) == Resolved(200, root / rel)


@pytest.mark.parametrize("path, location", [
    ("/", "/repo/"),  # the server's root: the site is under its prefix
    ("/repo", "/repo/"),  # the prefix without its slash
    ("/repo/articles/one", "/repo/articles/one/"),  # a folder without its slash
    ("/repo/articles/bare", "/repo/articles/bare/"),  # a folder, even without index.html
])
def test_a_folder_without_its_slash_redirects(root, path, location):
    assert resolve(path, "/repo/", root) == Resolved(301, location=location)


@pytest.mark.parametrize("path", [
    "/tags/",  # outside the prefix
    "/repox/",
    "/repo/no/such/page/",
    "/repo/no-such-file.css",
    "/repo/articles/bare/",  # a folder without index.html is never listed
    "/repo/../secret",  # escaping the root
    "/repo/%2e%2e/secret",
    "/repo/..%2fsecret",
    "/repo//etc/passwd",  # an absolute path after the prefix
])
def test_anything_else_is_not_found(root, path):
    assert resolve(path, "/repo/", root) == Resolved(404)


def test_a_site_at_the_root_has_no_redirect_for_the_root(root):
    assert resolve("/", "/", root) == Resolved(200, root / "index.html")
    assert resolve("/about", "/", root) == Resolved(200, root / "about.html")
    assert resolve("/articles/one", "/", root) == Resolved(301, location="/articles/one/")


# --- answer: the whole response -------------------------------------------------------------

def test_an_html_page_is_sent_with_the_live_reload_script_and_never_cached(root):
    response = answer("/repo/articles/one/?utm=x", state(), root)  # the query is ignored
    assert response.status == 200 and MARKER in response.body
    assert response.body.index(MARKER) < response.body.index(b"</body>")
    assert headers(response) == {"Content-Type": "text/html; charset=utf-8",
                                 "Content-Length": str(len(response.body)), "Cache-Control": "no-store"}
    assert MARKER not in (root / "articles/one/index.html").read_bytes()  # only as it is sent


def test_other_files_are_sent_as_they_are(root):
    response = answer("/repo/feed.xml", state(), root)
    assert response.status == 200 and response.body == b"<rss/>"
    assert headers(response)["Content-Type"] == "application/xml; charset=utf-8"


def test_a_redirect_has_a_location_and_no_body(root):
    response = answer("/repo", state(), root)
    assert response == Answer(301, (("Location", "/repo/"), ("Content-Length", "0")))


def test_a_missing_page_is_the_sites_404_page_with_the_script(root):
    (root / "404.html").write_text("<html><body>Page not found</body></html>", encoding="utf-8")
    response = answer("/repo/no/such/page/", state(), root)
    assert response.status == 404 and b"Page not found" in response.body and MARKER in response.body


def test_before_a_404_page_is_built_a_page_of_our_own_shows_it(root):
    response = answer("/tags/", state(), root)
    assert response.status == 404 and b"<h1>Not found</h1>" in response.body and MARKER in response.body


def test_a_build_error_is_shown_on_every_page_and_is_the_page_when_there_is_none(root):
    failed = state(error="content/one.md:5: front matter is not valid YAML")
    assert b"front matter is not valid YAML" in answer("/repo/", failed, root).body
    response = answer("/repo/nothing-built-yet/", failed, root)
    assert response.status == 404 and b"<title>Build error</title>" in response.body
    assert b"front matter is not valid YAML" in response.body


def test_the_status_is_the_build_state_as_json(root):
    response = answer(STATUS, state(error="broken"), root)
    assert response.status == 200 and headers(response)["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.body) == {"build_id": "abcd-1", "error": "broken", "builds": 1, "prefix": "/repo/"}
