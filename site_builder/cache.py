"""The build cache in .site-builder-cache/: parsed articles, and what each output file holds.

Only the expensive per-file step is cached: front matter + Markdown → Article, keyed by the
file's bytes and everything parsing depends on (the `salt`: the tool's version, the Markdown
options, the config values parsing reads). A file whose stat is unchanged is not even read.
For output files it keeps the key of the data each one was rendered from, with its size and
mtime, so a page whose key did not change is neither rendered nor written again.

A damaged, foreign or stale cache is harmless: anything it cannot answer is rebuilt, and the
whole file is dropped and started afresh when it cannot be read.
"""
from __future__ import annotations

import json
import logging
import pickle
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .model import Article

CACHE_DIR = ".site-builder-cache"
_SCHEMA = 5  # bump when the tables or the pickled Article change shape
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutputRecord:
    """What the last build wrote at one output path."""

    key: str
    size: int
    mtime_ns: int


class BuildCache:
    """A SQLite file of cached articles and output records."""

    def __init__(self, site_dir: Path):
        self.path = site_dir / CACHE_DIR / "build.sqlite"
        self.db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None)
            if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
                db.executescript(f"""
                    DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS outputs; DROP TABLE IF EXISTS builds;
                    CREATE TABLE builds (output TEXT PRIMARY KEY, summary TEXT);
                    CREATE TABLE articles (path TEXT PRIMARY KEY, stat TEXT, digest TEXT, article BLOB, body TEXT);
                    CREATE TABLE outputs (output TEXT, path TEXT, key TEXT, size INTEGER, mtime_ns INTEGER,
                                          PRIMARY KEY (output, path));
                    PRAGMA user_version = {_SCHEMA};""")
            db.execute("PRAGMA journal_mode = WAL")
            return db
        except (sqlite3.Error, OSError) as exc:
            log.warning("ignoring the build cache %s (%s): building everything", self.path, exc)
            self.path.unlink(missing_ok=True)
            return None

    def articles(self) -> dict[str, tuple[str, str, Article]]:
        """Return path → (stat signature, digest, Article) for every cached article."""
        if self.db is None:
            return {}
        cached = {}
        try:
            for path, stat, digest, blob in self.db.execute("SELECT path, stat, digest, article FROM articles"):
                try:
                    cached[path] = (stat, digest, pickle.loads(blob))
                except Exception:  # noqa: BLE001 - a row from another version: parse again
                    continue
        except sqlite3.Error as exc:
            log.warning("ignoring the build cache (%s)", exc)
        return cached

    def put_articles(self, rows: list[tuple[str, str, str, Article, str]]) -> bool:
        """Store rows of (path, stat signature, digest, Article, body HTML); False if it could not."""
        return self._write("", [], "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                           [(p, s, d, pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL), b) for p, s, d, a, b in rows])

    def touch_articles(self, stats: list[tuple[str, str]], removed: list[str]) -> None:
        """Record new stat signatures of unchanged files (path, stat); forget removed paths."""
        self._write("DELETE FROM articles WHERE path = ?", [(p,) for p in removed],
                    "UPDATE articles SET stat = ? WHERE path = ?", [(s, p) for p, s in stats])

    def body(self, path: str) -> str | None:
        """Return the body HTML stored for a content file."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT body FROM articles WHERE path = ?", (path,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def outputs(self, output_dir: Path) -> dict[str, OutputRecord]:
        """Return path → OutputRecord for what the last build wrote into output_dir."""
        if self.db is None:
            return {}
        try:
            rows = self.db.execute("SELECT path, key, size, mtime_ns FROM outputs WHERE output = ?",
                                   (str(output_dir.resolve()),))
            return {path: OutputRecord(key, size, mtime) for path, key, size, mtime in rows}
        except sqlite3.Error:
            return {}

    def update_outputs(self, output_dir: Path, previous: dict[str, OutputRecord],
                       records: dict[str, OutputRecord]) -> None:
        """Record what output_dir now holds, writing only the rows that changed."""
        where = str(output_dir.resolve())
        self._write("DELETE FROM outputs WHERE output = ? AND path = ?",
                    [(where, p) for p in previous.keys() - records.keys()],
                    "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)",
                    [(where, p, r.key, r.size, r.mtime_ns) for p, r in records.items() if previous.get(p) != r])

    def last_build(self, output_dir: Path) -> dict | None:
        """Return what the last build into output_dir recorded of itself (see build.py)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT summary FROM builds WHERE output = ?", (str(output_dir.resolve()),)).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def save_build(self, output_dir: Path, summary: dict) -> None:
        """Record what this build was made from and what it made."""
        self._write("DELETE FROM builds WHERE output = ?", [(str(output_dir.resolve()),)],
                    "INSERT INTO builds VALUES (?, ?)", [(str(output_dir.resolve()), json.dumps(summary))])

    def _write(self, delete: str, delete_rows: list[tuple], insert: str, rows: list[tuple]) -> bool:
        if self.db is None:
            return False
        if not (delete_rows or rows):
            return True
        try:
            with self.db:
                self.db.execute("BEGIN")
                if delete_rows:
                    self.db.executemany(delete, delete_rows)
                self.db.executemany(insert, rows)
            return True
        except sqlite3.Error as exc:
            log.warning("could not update the build cache (%s): the next build does more work", exc)
            return False

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
