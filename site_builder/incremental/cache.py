"""The build cache in .site-builder-cache/: parsed articles, and what each output file holds.

Only the expensive per-file step is cached: front matter + Markdown → Article, keyed by the
file's bytes and everything parsing depends on (the `salt`: the tool's version, the Markdown
options, the config values parsing reads). A file whose stat is unchanged is not even read.
For each output tree it keeps the key of the data each file was rendered from, with its size,
mtime and a digest of its bytes, and the mtime of each folder, so a page whose key did not
change is neither rendered nor written again, and a tree can be checked by stat alone — or, when
tar restored it with new mtimes (the Pages workflow's cache), by its bytes.

A damaged, foreign or stale cache is harmless: anything it cannot answer is rebuilt, and the
whole file is dropped and started afresh when it cannot be read.
"""
from __future__ import annotations

import json
import logging
import marshal
import os
import pickle
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Self

from ..core.names import CACHE_DIR
from ..output.records import DIGEST_SIZE, NO_DIGEST, OutputRecord, TreeRecord, TreeStats
from .uptodate import Stamp

if TYPE_CHECKING:
    from ..core.model import Article

_SCHEMA = 14  # bump when the tables or the pickled Article change shape
log = logging.getLogger(__name__)


class ArticleRow(NamedTuple):
    """A parsed article as the cache stores it: made whole where the article was parsed (a
    worker process), so the build's parent only stores it."""

    path: str
    stat: str  # the content file's stat signature
    digest: str  # of its bytes (load.py)
    article: bytes  # the Article, pickled (article_blob)
    body: str  # its body as HTML


def article_blob(article: Article) -> bytes:
    """Return the Article as the cache keeps it."""
    return pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)


def article_from(blob: bytes) -> Article:
    """Return the Article the cache kept as `blob`."""
    article: Article = pickle.loads(blob)
    return article


class BuildCache:
    """A SQLite file of cached articles and output records."""

    def __init__(self, site_dir: Path):
        self.path = site_dir / CACHE_DIR / "build.sqlite"
        self.site = site_dir.resolve()
        self._in_transaction = False
        self._db, self._pid = self._open(), os.getpid()
        self._inherited: list[sqlite3.Connection] = []

    @property
    def db(self) -> sqlite3.Connection | None:
        """The connection to the cache; a forked worker (output/rendering.py) gets its own."""
        if self._pid != os.getpid() and self._db is not None:
            # SQLite forbids using a connection in a child process it was opened before: the
            # child opens its own, and keeps the inherited one unused and unclosed (closing it
            # could disturb the parent's). A worker only reads.
            self._inherited.append(self._db)
            self._db, self._pid = self._open(), os.getpid()
        return self._db

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None)
            if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
                db.executescript(f"""
                    DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS outputs; DROP TABLE IF EXISTS builds;
                    DROP TABLE IF EXISTS trees; DROP TABLE IF EXISTS skeletons; DROP TABLE IF EXISTS stamps;
                    CREATE TABLE builds (output TEXT PRIMARY KEY, summary TEXT);
                    CREATE TABLE articles (path TEXT PRIMARY KEY, stat TEXT, digest TEXT, article BLOB, body TEXT);
                    CREATE TABLE trees (output TEXT PRIMARY KEY, record BLOB);
                    CREATE TABLE skeletons (output TEXT PRIMARY KEY, skeleton BLOB);
                    CREATE TABLE stamps (output TEXT PRIMARY KEY, stamp BLOB);
                    PRAGMA user_version = {_SCHEMA};""")
            db.execute("PRAGMA journal_mode = WAL")
            # No wait for the disk at each commit: a power cut may lose the last build's records,
            # never the file's consistency, and a build without them checks the disk instead.
            db.execute("PRAGMA synchronous = NORMAL")
            return db
        except (sqlite3.Error, OSError) as exc:
            log.warning("ignoring the build cache %s (%s): building everything", self.path, exc)
            self.path.unlink(missing_ok=True)
            return None

    def articles(self, paths: list[str] | None = None) -> dict[str, tuple[str, str, Article]]:
        """Return path → (stat signature, digest, Article) for every cached article (or those
        of the given paths)."""
        if self.db is None:
            return {}
        cached = {}
        query = "SELECT path, stat, digest, article FROM articles"
        batches = [()] if paths is None else [tuple(paths[i:i + 500]) for i in range(0, len(paths), 500)]
        try:
            for batch in batches:
                where = f" WHERE path IN ({','.join('?' * len(batch))})" if paths is not None else ""
                for path, stat, digest, blob in self.db.execute(query + where, batch):
                    try:
                        cached[path] = (stat, digest, article_from(blob))
                    except Exception:  # noqa: BLE001, S112 - a row from another version: parse again
                        continue
        except sqlite3.Error as exc:
            log.warning("ignoring the build cache (%s)", exc)
        return cached

    def put_articles(self, rows: Sequence[ArticleRow]) -> bool:
        """Store the rows; False if it could not."""
        return self._write("", [], "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)", rows)

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

    def tree(self, output_dir: Path, like: TreeRecord | None = None) -> TreeRecord:
        """Return what the last build left in output_dir (nothing known: an empty record).
        `like`: another tree, whose path strings and records this one shares where they are
        equal (hard links to one inode are): a build holds both trees' records, 30,000 of
        each at 10,000 articles with pictures, and most are the same."""
        stored = self._stored_tree(output_dir)
        if stored is None:
            return TreeRecord({}, {})
        stats, keys, digests = stored
        records = map(OutputRecord, _split(keys), stats.sizes, stats.mtimes, _digests(digests, len(stats.paths)))
        files = dict(zip(stats.paths, records)) if like is None else _shared(stats.paths, records, like.files)
        return TreeRecord(files, dict(zip(stats.folders, stats.folder_mtimes)))

    def tree_stats(self, output_dir: Path) -> TreeStats:
        """Return what trees.is_intact needs of the record of output_dir (no keys)."""
        stored = self._stored_tree(output_dir)
        return stored[0] if stored else TreeStats([], [], [], [], [])

    def _stored_tree(self, output_dir: Path) -> tuple[TreeStats, tuple[str, int], bytes] | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT record FROM trees WHERE output = ?", (self._place(output_dir),)).fetchone()
            if row is None:
                return None
            paths, keys, sizes, mtimes, folders, folder_mtimes, digests = marshal.loads(row[0])
            return TreeStats(_split(paths), _numbers(sizes), _numbers(mtimes), _split(folders),
                             _numbers(folder_mtimes)), keys, digests
        except Exception:  # noqa: BLE001 - unreadable: the tree is scanned instead
            return None

    def save_tree(self, output_dir: Path, tree: TreeRecord) -> None:
        """Record what output_dir now holds (one row: rewriting it costs less than diffing)."""
        self._write("", [], "INSERT OR REPLACE INTO trees VALUES (?, ?)", [(self._place(output_dir), _tree_blob(tree))])

    def swap_trees(self, output_dir: Path, spare_dir: Path, current: TreeRecord) -> None:
        """Record a swap of the two trees: what was recorded of output_dir is now spare_dir's
        (moved, not stored again: a large site's record is a megabyte), and output_dir holds
        `current`."""
        out, spare = self._place(output_dir), self._place(spare_dir)
        if self.db is None:
            return
        try:
            with self._transaction(self.db):
                self.db.execute("DELETE FROM trees WHERE output = ?", (spare,))
                self.db.execute("UPDATE trees SET output = ? WHERE output = ?", (spare, out))
                self.db.execute("INSERT OR REPLACE INTO trees VALUES (?, ?)", (out, _tree_blob(current)))
        except sqlite3.Error as exc:
            self._failed(exc)

    def skeleton(self, output_dir: Path) -> tuple | None:
        """Return the skeleton of the site the last build wrote into output_dir (skeleton.py:
        plain tuples and dicts), or None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT skeleton FROM skeletons WHERE output = ?",
                                  (self._place(output_dir),)).fetchone()
            return marshal.loads(row[0]) if row else None
        except Exception:  # noqa: BLE001 - unreadable: the build loads every article instead
            return None

    def save_skeleton(self, output_dir: Path, skeleton: tuple) -> None:
        # marshal: ten times faster than pickle for the 10,000 paths of a large site
        self._write("", [], "INSERT OR REPLACE INTO skeletons VALUES (?, ?)",
                    [(self._place(output_dir), marshal.dumps(skeleton))])

    def stamp(self, output_dir: Path) -> Stamp | None:
        """Return the stamp of the last build into output_dir (stamp.py), or None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT stamp FROM stamps WHERE output = ?", (self._place(output_dir),)).fetchone()
            return Stamp(*marshal.loads(row[0])) if row else None
        except Exception:  # noqa: BLE001 - unreadable: the build does its work
            return None

    def save_stamp(self, output_dir: Path, stamp: Stamp) -> None:
        self._write("", [], "INSERT OR REPLACE INTO stamps VALUES (?, ?)",
                    [(self._place(output_dir), marshal.dumps(tuple(stamp)))])

    def last_build(self, output_dir: Path) -> dict | None:
        """Return what the last build into output_dir recorded of itself (see pipeline.py)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT summary FROM builds WHERE output = ?", (self._place(output_dir),)).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def save_build(self, output_dir: Path, summary: dict) -> None:
        """Record what this build was made from and what it made."""
        self._write("DELETE FROM builds WHERE output = ?", [(self._place(output_dir),)],
                    "INSERT INTO builds VALUES (?, ?)", [(self._place(output_dir), json.dumps(summary))])

    def _place(self, folder: Path) -> str:
        """Return what the records of an output folder are kept under: its path in the site
        when it is inside it, so a clone of the site elsewhere, given the cache and output/
        of another (the Pages workflow's actions/cache), finds them; else its absolute path."""
        folder = folder.resolve()
        return folder.relative_to(self.site).as_posix() if self.site in folder.parents else str(folder)

    def _write(self, delete: str, delete_rows: Sequence[tuple], insert: str, rows: Sequence[tuple]) -> bool:
        if self.db is None:
            return False
        if not (delete_rows or rows):
            return True
        try:
            with self._transaction(self.db):
                if delete_rows:
                    self.db.executemany(delete, delete_rows)
                self.db.executemany(insert, rows)
            return True
        except sqlite3.Error as exc:
            self._failed(exc)
            return False

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Make the writes inside one transaction: a build's records of what it wrote (its
        trees, skeleton, summary and stamp) describe one build, all of them or none — a build killed
        between two of them would leave the trees recorded as the new site's and the build as
        the old one's, and the next build would keep pages of the wrong site."""
        if self.db is None:
            yield
            return
        try:
            with self._transaction(self.db):
                yield
        except sqlite3.Error as exc:
            self._failed(exc)

    @contextmanager
    def _transaction(self, db: sqlite3.Connection) -> Iterator[None]:
        if self._in_transaction:  # inside recording(): its transaction holds this write
            yield
            return
        with db:  # commits, or rolls back on any exception (a Ctrl-C too)
            db.execute("BEGIN")
            self._in_transaction = True
            try:
                yield
            finally:
                self._in_transaction = False

    def _failed(self, exc: sqlite3.Error) -> None:
        if self._in_transaction:
            raise exc  # recording() rolls the whole transaction back
        log.warning("could not update the build cache (%s): the next build does more work", exc)

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _tree_blob(tree: TreeRecord) -> bytes:
    # Columns, the strings joined by NULs (no path has one): loaded five times faster than
    # 20,000 tuples, and the nothing-changed check reads no key.
    stats = tree.stats()
    return marshal.dumps((_joined(stats.paths), _joined(r.key for r in tree.files.values()),
                          array("q", stats.sizes).tobytes(), array("q", stats.mtimes).tobytes(),
                          _joined(stats.folders), array("q", stats.folder_mtimes).tobytes(),
                          b"".join(r.digest if len(r.digest) == DIGEST_SIZE else NO_DIGEST for r in tree.files.values())))


def _shared(paths: list[str], records: Iterable[OutputRecord], like: dict[str, OutputRecord]) -> dict[str, OutputRecord]:
    """Return paths' records, made of `like`'s path strings and records wherever equal."""
    same_path = {path: path for path in like}
    files = {}
    for path, record in zip(paths, records):
        known = like.get(path)
        files[same_path.get(path, path)] = known if known == record else record
    return files


def _joined(strings: Iterable[str]) -> tuple[str, int]:
    strings = list(strings)
    return "\0".join(strings), len(strings)  # the count: [] and [""] join alike


def _split(joined: tuple[str, int]) -> list[str]:
    text, count = joined
    return text.split("\0") if count else []


def _digests(joined: bytes, count: int) -> list[bytes]:
    if len(joined) != count * DIGEST_SIZE:  # damaged: no file is trusted by its bytes
        return [NO_DIGEST] * count
    return [joined[i:i + DIGEST_SIZE] for i in range(0, len(joined), DIGEST_SIZE)]


def _numbers(data: bytes) -> array:
    numbers = array("q")
    numbers.frombytes(data)
    return numbers
