"""The first stage: find content/**/*.md and turn each into an Article, using the cache.

A file whose stat (size, mtime, ctime, inode) is what the cache recorded is not read at all;
a file whose bytes hash to a cached digest is not parsed again; the rest are parsed, spread
over a process pool when there are many (a cold build), since Markdown is the costliest step.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import markdown
import yaml

from . import __version__
from .cache import BuildCache
from .content import CONTENT_DIR, parse_source
from .errors import SiteError, raise_all
from .markup import EXTENSIONS
from .model import Article, SiteConfig

# Below this many files to parse, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 64


@dataclass(frozen=True)
class SourceFile:
    """A content file: its site-relative path, where it is, and a signature of its stat."""

    path: str
    file: Path
    stat: str


def discover(site_dir: Path) -> list[SourceFile]:
    """Return every content/**/*.md in path order, skipping hidden files and folders."""
    found = []
    for folder, dirs, files in os.walk(site_dir / CONTENT_DIR):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # editor and system folders: .trash/
        for name in files:
            if name.endswith(".md") and not name.startswith("."):  # .#draft.md
                file = Path(folder, name)
                st = file.stat()
                found.append(SourceFile(file.relative_to(site_dir).as_posix(), file,
                                        f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"))
    return sorted(found, key=lambda source: source.path)


def parse_salt(config: SiteConfig) -> str:
    """Return what, besides a file's bytes, its parsed Article depends on."""
    return "|".join([__version__, markdown.__version__, yaml.__version__, ",".join(EXTENSIONS),
                     config.timezone, config.entry_id_domain])


def load_articles(sources: list[SourceFile], config: SiteConfig, cache: BuildCache,
                  jobs: int | None = None) -> list[Article]:
    """Return the Article of every content file, parsing only what the cache cannot answer;
    report the errors of every file together."""
    salt = parse_salt(config)
    cached = cache.articles()
    by_digest = {digest: article for _, digest, article in cached.values()}
    results: dict[str, Article] = {}
    to_parse: list[tuple[str, bytes, str]] = []
    stats = {}
    for source in sources:
        stats[source.path] = salt + source.stat
        hit = cached.get(source.path)
        if hit and hit[0] == stats[source.path]:
            results[source.path] = hit[2]
            continue
        data = source.file.read_bytes()
        digest = hashlib.sha256(salt.encode() + b"\0" + data).hexdigest()
        known = by_digest.get(digest)
        if known is not None and known.source_path == source.path:
            results[source.path] = known
        else:
            to_parse.append((source.path, data, digest))
    errors: list[SiteError] = []
    for path, digest, outcome in _parse_many(to_parse, config, jobs):
        if isinstance(outcome, SiteError):
            errors.append(outcome)
        else:
            results[path] = replace(outcome, digest=digest)
    raise_all(sorted(errors, key=lambda e: getattr(e, "path", "")))
    articles = [results[path] for path in sorted(results)]
    cache.update_articles([(a.source_path, stats[a.source_path], a.digest, a) for a in articles
                           if cached.get(a.source_path, ("",))[0] != stats[a.source_path]],
                          removed=[path for path in cached if path not in results])
    return articles


def _parse_many(items: list[tuple[str, bytes, str]], config: SiteConfig, jobs: int | None):
    """Yield (path, digest, Article or SiteError) for each item, in a pool when it pays."""
    jobs = jobs or os.cpu_count() or 1
    if len(items) < _POOL_THRESHOLD or jobs == 1:
        yield from _parse_batch(items, config)
        return
    batches = [items[i::jobs * 4] for i in range(jobs * 4)]
    # fork: workers start at once with the parent's modules already imported
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        for batch in pool.map(_parse_batch, batches, [config] * len(batches)):
            yield from batch


def _parse_batch(items: list[tuple[str, bytes, str]], config: SiteConfig) -> list[tuple[str, str, Article | SiteError]]:
    """Parse a batch of files; errors are returned, not raised, so one bad file stops nothing."""
    out: list[tuple[str, str, Article | SiteError]] = []
    for path, data, digest in items:
        try:
            out.append((path, digest, parse_source(path, data, config)))
        except SiteError as exc:
            out.append((path, digest, exc))
    return out
