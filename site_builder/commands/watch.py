"""Watch a site's sources with watchdog and report each burst of changes once.

    SiteWatcher(site_dir, on_change).start()   on_change({"content/x.md", …}) runs in the
                                               watcher's own thread, after a quiet moment

What counts: files under content/, templates/ and static/, and site.toml — not output/, the
cache, hidden files, or the temporary and backup files editors leave (`.x.md.swp`, `x.md~`,
vim's `4913`). A save is often several events (an editor writes a temporary file, renames it
over the old one, touches it), and a `git checkout` or a search-and-replace is hundreds:
events are gathered until none has come for `quiet` seconds (or `longest` has passed since
the first), then reported together, so a burst of saves gives one rebuild.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..build.load import CONTENT_DIR
from ..core.config import CONFIG_NAME
from ..core.names import is_hidden
from ..render.theme import STATIC_DIR, TEMPLATES_DIR

if TYPE_CHECKING:  # watchdog itself is imported when a watch starts: only serve needs it
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers.api import BaseObserver

WATCHED_DIRS = (CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR)
# Events that change a file: opening or reading one (as every build does) is not a change.
_CHANGES = {"created", "modified", "deleted", "moved", "closed"}
log = logging.getLogger(__name__)


def is_source(site_dir: Path, path: str) -> str | None:
    """Return a changed path relative to the site if a build reads it, else None."""
    try:
        rel = Path(path).relative_to(site_dir)
    except ValueError:
        return None
    parts = rel.parts
    if not parts or is_hidden(parts[1:] if parts[0] == STATIC_DIR else parts):
        return None
    name = parts[-1]
    if name.endswith(("~", ".swp", ".swx", ".tmp", ".part")) or name == "4913" or name.startswith("#"):
        return None
    if rel.as_posix() == CONFIG_NAME or parts[0] in WATCHED_DIRS:
        return rel.as_posix()
    return None


class SiteWatcher:
    """Watches content/, templates/, static/ and site.toml; calls on_change with the set of
    changed paths once per burst."""

    def __init__(self, site_dir: Path, on_change: Callable[[set[str]], object],
                 quiet: float = 0.15, longest: float = 2.0):
        self.site_dir = site_dir.resolve()
        self.on_change, self.quiet, self.longest = on_change, quiet, longest
        self.pending: set[str] = set()
        self.first = self.last = 0.0
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.stopping = False
        self.watched: set[str] = set()
        self.observer: BaseObserver | None = None
        self.thread = threading.Thread(target=self._run, name="site-builder-rebuild", daemon=True)

    def start(self) -> None:
        """Start watching (the folders that exist now, and those created later)."""
        from watchdog.observers import Observer  # only serve needs it

        self.observer = observer = Observer()
        observer.schedule(_handler(self), str(self.site_dir), recursive=False)
        for name in WATCHED_DIRS:
            self._watch(name)
        observer.start()
        self.thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the watcher's threads."""
        self.stopping = True
        self.wake.set()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
        if self.thread.is_alive():
            self.thread.join(timeout=30)

    def _watch(self, name: str) -> None:
        folder = self.site_dir / name
        if name not in self.watched and folder.is_dir() and self.observer is not None:
            self.observer.schedule(_handler(self), str(folder), recursive=True)
            self.watched.add(name)

    def changed(self, path: str) -> None:
        """Note a changed file (called by watchdog's thread)."""
        rel = is_source(self.site_dir, path)
        if rel is None:
            return
        if "/" not in rel and rel in WATCHED_DIRS:
            self._watch(rel)  # content/ (or templates/, static/) was just created
        now = time.monotonic()
        with self.lock:
            if not self.pending:
                self.first = now
            self.pending.add(rel)
            self.last = now
        self.wake.set()

    def _run(self) -> None:
        """Wait for a burst to end, then report it; a burst during on_change is the next one."""
        while not self.stopping:
            self.wake.wait()
            self.wake.clear()
            while not self.stopping:
                with self.lock:
                    now = time.monotonic()
                    due = min(self.last + self.quiet, self.first + self.longest)
                    if now >= due:
                        paths, self.pending = self.pending, set()
                        break
                time.sleep(due - now)
            if self.stopping or not paths:
                continue
            try:
                self.on_change(paths)
            except Exception:  # a bug in a rebuild must not stop the watching
                log.exception("the rebuild after a change failed")


def _handler(watcher: SiteWatcher) -> FileSystemEventHandler:
    # watchdog calls only dispatch(): _Handler is one without subclassing watchdog's class,
    # which would import watchdog whenever this module is
    return cast("FileSystemEventHandler", _Handler(watcher))


class _Handler:
    """A watchdog event handler that passes the paths of real changes on."""

    def __init__(self, watcher: SiteWatcher):
        self.watcher = watcher

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # a folder is "modified" when a file in it changes: that file has its own event
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.watcher.changed(path if isinstance(path, str) else path.decode())
