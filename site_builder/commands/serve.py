"""`site-builder serve`: build, serve on 127.0.0.1, rebuild on every save, reload the browser.

    watch (watch.py) → rebuild (build.build, incremental) → swap output → reload open pages

The site is built for http://127.0.0.1:PORT/<the base URL's path>, so its feeds and
canonical links point at this server and a project site is served under /repo/ as GitHub
Pages serves it (the rules are tests/serving.py's: `x/` is x/index.html, a missing page is
404.html). It is built into .site-builder-cache/serve/, never into output/: a preview has
other addresses (and perhaps drafts) in it, and output/ is what gets published.

Live reload: every HTML page is sent with a small script added before </body> — only as it
is sent, never in the files — that listens to /_site-builder/events (server-sent events).
Each build has an id; a page loaded from an older one reloads itself. When a build fails,
the error is logged (the terminal) and sent to the pages, which show it over the site; the
last good build is still what is served, and every page served meanwhile carries the error
too. The next good build reloads them. /_site-builder/status tells the same as JSON.
"""
from __future__ import annotations

import html
import json
import logging
import mimetypes
import posixpath
import secrets
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..core.errors import BuildErrors, SiteError
from ..core.model import Progress, no_progress
from ..core.names import PREVIEW_DIR
from ..incremental.cache import CACHE_DIR

if TYPE_CHECKING:  # imported when serving starts
    from .watch import SiteWatcher

SERVE_DIR = PREVIEW_DIR  # under .site-builder-cache/
ENDPOINT = "/_site-builder/"
EVENTS, STATUS = ENDPOINT + "events", ENDPOINT + "status"
_KEEPALIVE_SECONDS = 15  # a comment line now and then finds closed connections
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildState:
    """What the pages are told: which build is served, and the error of the last attempt."""

    build_id: str  # changes with every build that changed the site (or ended an error)
    error: str | None
    builds: int  # attempts so far, failed ones too
    prefix: str  # the base URL's path the site is served under, "/repo/"


class LiveState:
    """The state pages are told, and a condition to wait for it to change."""

    def __init__(self, prefix: str):
        self.session = secrets.token_hex(4)  # a restarted server is a new build to open pages
        self.version = 0
        self.current = BuildState(self._id(), None, 0, prefix)
        self.changed = threading.Condition()
        self.closed = False

    def _id(self) -> str:
        return f"{self.session}-{self.version}"

    def update(self, error: str | None, site_changed: bool, prefix: str) -> BuildState:
        """Record a build attempt; wake everyone waiting."""
        with self.changed:
            old = self.current
            if site_changed or (old.error and not error):
                self.version += 1
            self.current = BuildState(self._id(), error, old.builds + 1, prefix)
            self.changed.notify_all()
            return self.current

    def wait(self, seen: BuildState, timeout: float) -> BuildState:
        """Return the state once it differs from `seen`, or after timeout."""
        with self.changed:
            self.changed.wait_for(lambda: self.current != seen or self.closed, timeout)
            return self.current

    def close(self) -> None:
        """End every wait, so that event streams finish."""
        with self.changed:
            self.closed = True
            self.changed.notify_all()


class DevServer:
    """The development server: one initial build, then a rebuild per burst of changes."""

    def __init__(self, site_dir: Path, port: int = 8000, drafts: bool = False, future: bool = False,
                 progress: Progress = no_progress, host: str = "127.0.0.1"):
        self.site_dir, self.port, self.drafts, self.future, self.host = site_dir, port, drafts, future, host
        self.progress = progress
        self.output_dir = site_dir / CACHE_DIR / SERVE_DIR
        self.http: _PreviewHTTPServer | None = None
        self.state: LiveState | None = None
        self.watcher: SiteWatcher | None = None
        self.thread: threading.Thread | None = None
        self.stopped = threading.Event()

    @property
    def base_url(self) -> str:
        """The address the site is built for and served at."""
        assert self.state is not None
        return self._url(self.state.current.prefix)

    def _url(self, prefix: str) -> str:
        assert self.http is not None
        return f"http://{self.host}:{self.http.server_port}{prefix}"

    def start(self) -> str:
        """Bind the port, build once, start serving and watching; return the site's URL."""
        from .watch import SiteWatcher

        if not self.site_dir.is_dir():
            raise SiteError(f"{self.site_dir}: no such folder (give the site's folder with --site)")
        try:
            self.http = _PreviewHTTPServer((self.host, self.port), self)
        except OSError as exc:
            raise SiteError(f"cannot serve on {self.host}:{self.port} ({exc.strerror}): choose another "
                            "port with --port, or --port 0 for any free one") from exc
        self.state = LiveState(_prefix(self.site_dir, "/"))
        self.rebuild(set(), progress=self.progress)
        self.thread = threading.Thread(target=self.http.serve_forever, kwargs={"poll_interval": 0.1},
                                       name="site-builder-http", daemon=True)
        self.thread.start()
        self.watcher = SiteWatcher(self.site_dir, self.rebuild)
        self.watcher.start()
        return self.base_url

    def rebuild(self, changed: set[str], progress: Progress = no_progress) -> BuildState:
        """Build the site for this server; log the outcome and tell the pages."""
        from ..build.run import build

        assert self.state is not None
        prefix = _prefix(self.site_dir, self.state.current.prefix)  # site.toml may have moved it
        started = time.perf_counter()
        what = ", ".join(sorted(changed)[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        try:
            result = build(self.site_dir, self.output_dir, base_url=self._url(prefix), drafts=self.drafts,
                           future=self.future, allow_id_change=True,  # a preview publishes nothing
                           progress=progress)
        except SiteError as exc:
            errors = exc.errors if isinstance(exc, BuildErrors) else [exc]
            for each in errors:
                log.error("%s", each)
            log.info("The build failed: still serving the last good build. Fix the file and save it.")
            return self.state.update("\n".join(str(e) for e in errors), False, prefix)
        except Exception as exc:  # a bug: say so, keep serving
            log.exception("the build crashed")
            return self.state.update(f"site-builder crashed while building: {exc!r} (see the terminal)", False, prefix)
        took = time.perf_counter() - started
        if changed:
            log.info("%s: rebuilt in %.2f s (%d files written)", what, took, result.written)
        else:
            log.info("Built %d articles in %.2f s", result.articles, took)
        return self.state.update(None, result.written > 0, prefix)

    def wait(self) -> None:
        """Serve until stop() (or Ctrl+C)."""
        while not self.stopped.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching and serving."""
        self.stopped.set()
        if self.watcher is not None:
            self.watcher.stop()
        if self.state is not None:
            self.state.close()
        if self.http is not None:
            self.http.shutdown()
            self.http.server_close()


def _prefix(site_dir: Path, fallback: str) -> str:
    """Return the path of the site's base URL ('/repo/'), or fallback while site.toml is broken."""
    from ..core.config import load_config

    try:
        return load_config(site_dir).base_path or "/"
    except SiteError:
        return fallback


# --- the HTTP side ----------------------------------------------------------------------------

_SCRIPT = """<script data-site-builder-live-reload>
(function () {
  var loaded = %(build)s, box = null;
  function show(error) {
    if (!box) {
      box = document.getElementById("site-builder-error") || document.createElement("div");
      box.id = "site-builder-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:60vh;" +
        "overflow:auto;margin:0;padding:1em 1.5em;background:#fff0f0;color:#8b0000;border-bottom:3px solid " +
        "#c00;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 2px 8px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "The site could not be built (still showing the last good build):\\n\\n" + error;
  }
  function hide() {
    var old = box || document.getElementById("site-builder-error");
    if (old) old.remove();
    box = null;
  }
  var events = new EventSource(%(events)s);
  events.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (state.error) { show(state.error); return; }
    if (state.build_id !== loaded) { events.close(); location.reload(); return; }
    hide();
  };
})();
</script>
"""


def live_reload_snippet(state: BuildState) -> str:
    """Return what is added to every HTML page served: the error (if any) and the script."""
    banner = ""
    if state.error:
        banner = ('<div id="site-builder-error" role="alert" style="position:fixed;z-index:2147483647;left:0;'
                  'right:0;top:0;padding:1em 1.5em;background:#fff0f0;color:#8b0000;white-space:pre-wrap;'
                  'font:14px/1.5 monospace">The site could not be built (still showing the last good build):'
                  f"\n\n{html.escape(state.error)}</div>\n")
    return banner + _SCRIPT % {"build": json.dumps(state.build_id), "events": json.dumps(EVENTS)}


def inject(page: bytes, snippet: str) -> bytes:
    """Return an HTML page with the snippet before its last </body> (or at its end)."""
    at = page.lower().rfind(b"</body>")
    data = snippet.encode("utf-8")
    return page + data if at < 0 else page[:at] + data + page[at:]


@dataclass(frozen=True)
class Resolved:
    """Where a request for a path leads: a file to send with a status, a redirect, or
    nothing (404: the site's 404.html if it has one)."""

    status: int
    file: Path | None = None
    location: str | None = None  # for a redirect


def resolve(path: str, prefix: str, root: Path) -> Resolved:
    """Return what a GET of `path` (no query) leads to in the site built into `root` and
    served under `prefix`, as GitHub Pages answers (tests/serving.py): `x/` is x/index.html,
    `x` is x.html when there is no file x, a folder without its slash and the bare prefix
    redirect, anything outside the prefix or escaping the root is not found."""
    if path in ("/", prefix.rstrip("/")) and path != prefix:
        return Resolved(HTTPStatus.MOVED_PERMANENTLY, location=prefix)
    if not path.startswith(prefix):
        return Resolved(HTTPStatus.NOT_FOUND)
    rel = unquote(path[len(prefix):])
    normal = posixpath.normpath(rel) if rel else ""
    if normal.startswith(("..", "/")):
        return Resolved(HTTPStatus.NOT_FOUND)
    if rel == "" or rel.endswith("/"):
        file = root / (normal if normal not in ("", ".") else "") / "index.html"
    elif (root / normal).is_dir():
        return Resolved(HTTPStatus.MOVED_PERMANENTLY, location=path + "/")
    elif not (root / normal).is_file() and (root / (normal + ".html")).is_file():
        file = root / (normal + ".html")
    else:
        file = root / normal
    return Resolved(HTTPStatus.OK, file) if file.is_file() else Resolved(HTTPStatus.NOT_FOUND)


@dataclass(frozen=True)
class Answer:
    """A response, whole: status, headers and body (not sent to a HEAD request)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""


def answer(target: str, state: BuildState, root: Path) -> Answer:
    """Return the response to a GET of `target` (a path and perhaps a query) to the server
    of the build in `root` whose state is `state`; the event stream is the handler's."""
    path = urlsplit(target).path
    if path == STATUS:
        return _content(HTTPStatus.OK, "application/json", json.dumps(state.__dict__).encode())
    resolved = resolve(path, state.prefix, root)
    if resolved.location is not None:
        return Answer(resolved.status, (("Location", resolved.location), ("Content-Length", "0")))
    if resolved.file is not None:
        return _file(resolved.file, resolved.status, state)
    return _not_found(root, state)


def _file(file: Path, status: int, state: BuildState) -> Answer:
    """Return a file of the site as the response, an HTML page with the live reload snippet."""
    data = file.read_bytes()
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if kind == "text/html":
        data = inject(data, live_reload_snippet(state))
    return _content(status, kind, data)


def _not_found(root: Path, state: BuildState) -> Answer:
    """Return the site's 404.html, or a page of our own until a build made one."""
    page = root / "404.html"
    if page.is_file():
        return _file(page, HTTPStatus.NOT_FOUND, state)
    body = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
    if state.error:  # no build yet to show: the error is the page
        body = b"<!doctype html><title>Build error</title><body></body>"
    return _content(HTTPStatus.NOT_FOUND, "text/html", inject(body, live_reload_snippet(state)))


def _content(status: int, kind: str, data: bytes) -> Answer:
    """Return a response carrying `data` of media type `kind`, never cached."""
    if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/javascript"):
        kind += "; charset=utf-8"
    return Answer(status, (("Content-Type", kind), ("Content-Length", str(len(data))),
                           ("Cache-Control", "no-store")),  # a reload must fetch the new build
                  data)


class _PreviewHTTPServer(ThreadingHTTPServer):
    """The HTTP server of a DevServer: one thread per request, the handler finds `dev` on it."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], dev: DevServer):
        self.dev = dev
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD (answer()), and streams the build state to /_site-builder/events."""

    server: _PreviewHTTPServer

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        dev = self.server.dev
        assert dev.state is not None
        if urlsplit(self.path).path == EVENTS:
            return self._events(dev)
        response = answer(self.path, dev.state.current, dev.output_dir)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def _events(self, dev: DevServer) -> None:
        """Stream the build state as server-sent events until the client or server goes."""
        assert dev.state is not None
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not dev.stopped.is_set():
                state = dev.state.current if seen is None else dev.state.wait(seen, _KEEPALIVE_SECONDS)
                if dev.stopped.is_set():
                    break
                if state != seen:
                    self.wfile.write(f"data: {json.dumps(state.__dict__)}\n\n".encode())
                    seen = state
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)
