"""`site-builder serve` run as a user runs it — a subprocess on a free port — for the tests
of serving, live reload and the browser. The server is always stopped, even when a test fails."""
from __future__ import annotations

import http.client
import json
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit


class DevServerProcess:
    """`python -m site_builder serve --port 0 --site SITE ARGS`, with its printed URL."""

    def __init__(self, site: Path, *args: str, env: dict[str, str] | None = None, start_timeout: float = 60):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "serve", "--site", str(site), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr_lines: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.stderr_lines.append), daemon=True).start()
        try:
            self.url = self._wait_for_url(start_timeout)
        except BaseException:
            self.stop()
            raise
        parts = urlsplit(self.url)
        self.origin, self.prefix = f"{parts.scheme}://{parts.netloc}", parts.path

    @staticmethod
    def _read(stream, put) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def _wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise RuntimeError(f"serve exited with {self.process.returncode}: {self.stderr}") from None
                continue
            found = re.search(r"Serving (http://\S+) ", line)
            if found:
                return found.group(1)
        raise TimeoutError(f"serve printed no URL in {timeout} s: {self.stderr}")

    @property
    def stderr(self) -> str:
        return "\n".join(self.stderr_lines)

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        """GET a path of the server (without following redirects)."""
        parts = urlsplit(self.origin)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8")
        finally:
            conn.close()

    def page(self, rel: str = "") -> str:
        """The body of a page under the site's prefix; it must be there."""
        status, _, body = self.get(self.prefix + rel)
        assert status == 200, (rel, status)
        return body

    def status(self) -> dict:
        return json.loads(self.get("/_site-builder/status")[2])

    def wait_for(self, check, timeout: float = 10, what: str = "the condition"):
        """Poll check() until it returns something true; return it, or fail after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}; server said:\n{self.stderr}")
            time.sleep(0.05)

    def stop(self) -> int:
        """Stop the server (as Ctrl+C does), kill it if it does not stop; return its status."""
        if self.process.poll() is None:
            self.process.send_signal(2)  # SIGINT
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> DevServerProcess:  # noqa: PYI034
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
