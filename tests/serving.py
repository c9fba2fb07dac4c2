"""A built site served over real HTTP, as GitHub Pages serves it: under a prefix such as
/repo/ (a project site), with 404.html for any missing address. Used by the tests that need
a real client: the crawler (test_http), a browser (test_feed_xsl) and a feed reader
(test_newsboat)."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


def handler_for(out: Path, prefix: str):
    """A handler serving `out` at `prefix`, answering 404 (with out/404.html, as GitHub Pages
    does) for anything missing or outside the prefix, and never listing a folder."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out), **kwargs)

        def translate_path(self, path: str) -> str:
            if not urlsplit(path).path.startswith(prefix):
                return str(out / ".outside-the-prefix")  # no such file: a 404
            return super().translate_path("/" + path[len(prefix):])

        def list_directory(self, path):  # a folder without index.html is a missing page
            self.send_error(404)

        def send_error(self, code, message=None, explain=None):
            page = out / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    return Handler


@contextmanager
def serving(out: Path, prefix: str):
    """Serve `out` at http://127.0.0.1:PORT{prefix} while the block runs; yield the origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(out, prefix))
    # A short poll makes shutdown() quick: these servers live for one test or module.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
