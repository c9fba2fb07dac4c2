"""The first stage: find content/**/*.md and turn each into an Article, using the cache.

A file whose stat (size, mtime, ctime, inode) is what the cache recorded is not read at all;
a file whose bytes hash to a cached digest is not parsed again; the rest are parsed in worker
processes, each article within a time limit (core/worker_pool.py: Python-Markdown is quadratic on
some inputs), on every core when there are many (a cold build), since Markdown is the
costliest step.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, NamedTuple

from .. import __version__
from ..content.markup import GFM_EXTENSIONS, MARKDOWN_EXTENSIONS
from ..core.errors import ContentError, SiteError, raise_all
from ..core.model import Article, Progress, SiteConfig, no_progress
from ..core.names import CONTENT_DIR, PACKAGE_DIR
from ..core.walk import file_kind, signature_of, walk_files
from ..incremental.cache import ArticleRow, BuildCache, article_blob, article_from
from ..incremental.changes import layout_of

if TYPE_CHECKING:
    from ..core.worker_pool import Died, TimedOut, TooDeep

# Below this many files to parse, starting more than one worker costs more than it saves.
_POOL_THRESHOLD = 64
# Python-Markdown slows down faster than linearly on huge inputs: a 50 MB file would stall
# a build for minutes. The longest news articles are well under 1 MB.
MAX_ARTICLE_BYTES = 5_000_000


class SourceFile(NamedTuple):  # a tuple: every build makes one per content file
    """A content file: its site-relative path, where it is, and a signature of its stat."""

    path: str
    file: str  # where to read it (a string: a large site has 100,000 of them)
    stat: str
    size: int
    problem: str | None = None  # why it cannot be read, found without reading it


def discover(site_dir: Path, folders: dict[str, str | None] | None = None) -> list[SourceFile]:
    """Return every content/**/*.md in path order, skipping hidden files and folders; put the
    signature of each folder listed into `folders` (stamp.py)."""
    site = site_dir.resolve()
    hidden = lambda prefix, entry: entry.name.startswith(".")  # .#draft.md, .trash/
    found = [_source_file(rel, entry, site)
             for rel, entry in walk_files(str(site_dir / CONTENT_DIR), CONTENT_DIR + "/", hidden, folders)
             if rel.endswith(".md")]
    return sorted(found, key=lambda source: source.path)


def _source_file(rel: str, entry: os.DirEntry, site: Path) -> SourceFile:
    file = entry.path
    if entry.is_symlink() and site not in Path(file).resolve().parents:
        # A link can make a build publish any file the user can read (~/.ssh/…).
        return SourceFile(rel, file, "", 0, f"is a link to {os.readlink(file)}, outside the site: "
                          "copy the file into content/ instead")
    try:
        st = entry.stat()
    except OSError as exc:
        return SourceFile(rel, file, "", 0, f"cannot be read ({exc.strerror})")
    if not S_ISREG(st.st_mode):  # a named pipe would block the build that opens it, forever
        return SourceFile(rel, file, "", 0, f"is not a regular file ({file_kind(st.st_mode)}): "
                          "remove it or replace it with a file")
    problem = None if st.st_size <= MAX_ARTICLE_BYTES else (
        f"is {st.st_size / 1e6:.1f} MB, more than the {MAX_ARTICLE_BYTES / 1e6:.0f} MB an article may "
        "have: split it, or move large material to static/")
    return SourceFile(rel, file, signature_of(st), st.st_size, problem)


@lru_cache(maxsize=1)
def _library_versions() -> str:
    # Their own version attributes: importlib.metadata would cost a rebuild 60 ms, and a build
    # that parses anything imports these anyway.
    import markdown
    import nh3
    import slugify
    import yaml

    # nh3's stub does not declare the __version__ its module has
    nh3_version: str = nh3.__version__  # type: ignore[attr-defined]
    return f"{markdown.__version__},{yaml.__version__},{slugify.__version__},{nh3_version}"


@lru_cache(maxsize=1)
def _gfm_version() -> str:
    from cmarkgfm.cmark import CMARK_VERSION

    # the cmark-gfm the binding was built with: a new one may render differently
    return f"cmark-gfm {CMARK_VERSION}"


def _engine(config: SiteConfig) -> str:
    """Name the Markdown engine and what it is asked to do, for the salt."""
    if config.markdown == "gfm":
        return f"{_gfm_version()}:{','.join(GFM_EXTENSIONS)}"
    # cmark renders Python-Markdown's plain bodies (content/plain_markdown.py)
    return f"{','.join(MARKDOWN_EXTENSIONS)};plain:{_gfm_version()}"


def parse_salt(config: SiteConfig) -> str:
    """Return what, besides a file's bytes, its parsed Article depends on."""
    # the engine renders the body, and raw_html and embed_hosts decide what sanitise.py keeps
    # of it: switching any of them re-parses; slugs makes the article's and its tags' slugs
    return "|".join([__version__, code_digest(), _library_versions(), _engine(config),
                     config.timezone, config.entry_id_domain, config.raw_html, ",".join(config.embed_hosts),
                     config.slugs, config.author])  # the byline of an article without its own (issue #16)


@lru_cache(maxsize=1)
def code_digest(package: Path = Path(PACKAGE_DIR)) -> str:
    """Return a digest of site-builder's own code: a release that parses differently (a new
    check, a new sanitiser rule) re-parses every article, even under the same version number,
    while a fresh clone of the same code reuses the cache (its files' bytes, not their stat)."""
    digest = hashlib.blake2b(digest_size=8)
    for module in sorted(package.rglob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


class Bodies(Mapping[str, str]):
    """Article bodies by source path: kept in the cache and read when a page needs one, so a
    rebuild holds no more of them in memory than it renders."""

    def __init__(self, cache: BuildCache):
        self.cache = cache
        self.unstored: dict[str, str] = {}  # bodies the cache could not take
        self.paths: set[str] = set()

    def __getitem__(self, path: str) -> str:
        body = self.unstored.get(path)
        if body is None:
            body = self.cache.body(path)
        if body is None:
            raise KeyError(path)
        return body

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def load_articles(sources: list[SourceFile], config: SiteConfig, cache: BuildCache,
                  jobs: int | None = None, progress: Progress = no_progress,
                  every_file: bool = True) -> tuple[list[Article], Bodies]:
    """Return the Article of each content file and their bodies, parsing only what the
    cache cannot answer; report the errors of every file together. `every_file`: the sources
    are all the site has, so the cache forgets the others."""
    salt = parse_salt(config)
    cached = cache.articles(None if every_file else [source.path for source in sources])
    results: dict[str, Article] = {}
    to_parse: list[tuple[str, str, str]] = []
    touched: list[tuple[str, str]] = []
    errors: list[SiteError] = []
    for source in sources:
        if source.problem:
            errors.append(ContentError(source.path, source.problem))
            continue
        stat = cache_signature(salt, source.stat)
        hit = cached.get(source.path)
        if hit and hit[0] == stat:
            results[source.path] = hit[2]
        elif hit and hit[1] == source_digest(salt, Path(source.file).read_bytes()):  # touched, not changed
            results[source.path] = hit[2]
            touched.append((source.path, stat))
        else:  # the parser reads it: a cold build's bytes never all sit in this process at once
            to_parse.append((source.path, source.file, stat))
    bodies = Bodies(cache)
    if to_parse:  # else nothing of the parser is loaded: a theme change parses nothing
        errors += _parse_into(to_parse, config, jobs, cache, results, bodies, progress)
    raise_all(sorted(errors, key=lambda e: getattr(e, "path", "")))
    cache.touch_articles(touched, removed=[path for path in cached if path not in results] if every_file else [])
    bodies.paths = set(results)
    return [results[path] for path in sorted(results)], bodies


def cache_signature(salt: str, stat: str) -> str:
    """Return what the cache records with an article: the file's stat and how it was parsed.
    A row is used only when it has this signature (or, for a touched file, its bytes' digest)."""
    return salt + stat


def source_digest(salt: str, data: bytes) -> str:
    """Return what identifies a file's bytes as parsed with this salt."""
    return hashlib.sha256(salt.encode() + b"\0" + data).hexdigest()


def _parse_into(items: list[tuple[str, str, str]], config: SiteConfig, jobs: int | None,
                cache: BuildCache, results: dict[str, Article], bodies: Bodies, progress: Progress) -> list[SiteError]:
    """Parse the items into results, storing each body in the cache as it comes (or in
    memory if the cache cannot take it); return the errors."""
    errors: list[SiteError] = []
    rows: list[ArticleRow] = []

    def flush() -> None:
        if not cache.put_articles(rows):
            bodies.unstored.update((row.path, row.body) for row in rows)
        rows.clear()

    for done, outcome in enumerate(_parse_many(items, config, jobs), 1):
        if done % 100 == 0 or done == len(items):
            progress("parsing", done, len(items))
        if isinstance(outcome, SiteError):
            errors.append(outcome)
            continue
        results[outcome.path] = article_from(outcome.article)
        rows.append(outcome)
        if len(rows) >= 256:
            flush()
    flush()
    return errors


def _short_digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _parse_many(items: list[tuple[str, str, str]], config: SiteConfig,
                jobs: int | None) -> Iterator[ArticleRow | SiteError]:
    """Yield the cache's row of each item, or its error, each parsed in a worker process
    within config.parse_timeout seconds (core/worker_pool.py); on every core when many."""
    from ..content.article import parse_source  # noqa: F401 - imported here, before the workers fork, not in each
    from ..content.markup import markdown_to_html
    from ..core.worker_pool import Died, TimedOut, TooDeep, bounded_map

    # and the engine set up once, for the same reason (Python-Markdown's converter, 13 ms, is
    # made by a worker that meets a body that is not plain: plain_markdown.py)
    markdown_to_html("", config.markdown)
    jobs = jobs or os.cpu_count() or 1
    workers = 1 if len(items) < _POOL_THRESHOLD else jobs
    parse = partial(_parse_one, config=config, salt=parse_salt(config))
    for index, outcome in bounded_map(parse, items, workers, config.parse_timeout):
        if isinstance(outcome, (TimedOut, Died, TooDeep)):  # the worker was lost on this article
            path, file, _ = items[index]
            yield _lost(path, file, outcome, config.parse_timeout)
        else:
            yield outcome


def _parse_one(item: tuple[str, str, str], config: SiteConfig, salt: str) -> ArticleRow | SiteError:
    """Read and parse one file into the cache's row; errors are returned, not raised, so one
    bad file stops nothing. All of the row is made here, in the worker: the parent that
    receives the rows is a third process on two cores, and what it does slows the workers."""
    from ..content.article import parse_source

    path, file, stat = item
    try:
        with open(file, "rb") as stream:
            data = stream.read()
        parsed = parse_source(path, data, config)
    except SiteError as exc:
        return exc
    except OSError as exc:
        return ContentError(path, f"cannot be read ({exc.strerror})")
    digest = source_digest(salt, data)
    article = replace(parsed.article, digest=digest, meta_digest=_short_digest(repr(parsed.article)),
                      layout_digest=_short_digest(layout_of(parsed.article)))
    return ArticleRow(path, stat, digest, article_blob(article), parsed.body_html)


def _lost(path: str, file: str, outcome: TimedOut | Died | TooDeep, limit: float) -> ContentError:
    """Return the error for an article its worker could not finish: past the time limit, too
    deeply nested, or killed by the system; say what in it is likely to blame."""
    from ..content.markup_shape import what_is_slow
    from ..core.worker_pool import TimedOut, TooDeep

    try:
        with open(file, "rb") as stream:
            shape = what_is_slow(stream.read().decode("utf-8", "replace"))
    except OSError:
        shape = "it can no longer be read"
    if isinstance(outcome, TimedOut):
        return ContentError(path, f"this article takes more than {limit:g} s to parse ({shape}; "
                                  "split it or fix the markup)")
    if isinstance(outcome, TooDeep):
        return ContentError(path, f"this article nests too deeply to parse ({shape}; fix the markup)")
    return ContentError(path, f"parsing this article stopped: its worker process was {outcome.how}, "
                              f"out of memory? ({shape}; split it or fix the markup)")
