"""Search: a Pagefind index of the articles, made beside output/ and written by the writer.

Pagefind (pagefind.app; PyPI `pagefind[bin]`) reads HTML pages and makes a static index —
fragments per page, index chunks, a WebAssembly search, its UI — that the browser searches
with no server (the results page: templates/search.html). It indexes what
`data-pagefind-body` marks, the article element of article pages (templates/article.html),
with the headline as the result's title, all in one index of the site's language
(_index_written says why).

The index depends on the article pages alone, so its key is a digest of their paths and keys
(each key holds everything its page is rendered from). When the key is the last build's, the
last build's index files are kept by their records and Pagefind does not run. Otherwise
Pagefind indexes every article page, in a scratch folder (never output/): the pages this
build renders are rendered here, once, and handed to the writer as bytes; the others are
linked from output/. Its files go to the writer as any page does: written when their bytes
differ (fragment and chunk names are digests of their content), removed when no longer made.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import SearchError
from ..core.model import OutputFile, Progress, Site, no_progress
from ..core.names import SEARCH_DIR
from ..incremental.rebuild_plan import render_refused
from ..output.records import TreeRecord
from ..output.rendering import rendered

if TYPE_CHECKING:
    from pagefind.service import PagefindService

# What this module makes of the pages: part of the index's key, so a change here re-indexes.
_VERSION = "2"
ENTRY = SEARCH_DIR + "/pagefind-entry.json"
# Pagefind's other UIs and its highlighter, which the results page does not load: 280 KB a
# site need not publish.
_UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.js")
_FIX = ("install it with `pip install 'pagefind[bin]'` (site-builder's requirements hold it), "
        "or set search = false in site.toml")


@contextmanager
def with_search_index(files: list[OutputFile], site: Site, output_dir: Path, tree: TreeRecord,
                      trust_records: bool, scratch_in: Path,
                      progress: Progress = no_progress) -> Iterator[list[OutputFile]]:
    """Yield the files to write with the search index's in place of the last build's (none
    when search is off). `tree`: the records of output/; `trust_records`: they hold for it.
    The index is made in a folder made inside `scratch_in` (the cache: on output/'s disk, so
    its pages are linked, not copied), which lasts until the context ends: write before."""
    others = [f for f in files if not is_index_file(f.path)]
    if not site.config.search:
        yield others
        return
    article_pages = {a.path + "index.html" for a in site.articles}
    pages = [f for f in others if f.path in article_pages]
    key = index_key(pages)
    entry = tree.files.get(ENTRY)
    if trust_records and entry is not None and entry.key.startswith(key + ":"):
        yield others + [OutputFile(path, record.key, render_refused)
                        for path, record in tree.files.items() if is_index_file(path)]
        return
    scratch_in.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="search-", dir=scratch_in) as scratch:
        pages_dir, bundle_dir = Path(scratch, "pages"), Path(scratch, "bundle")
        handed = _pages_placed(pages_dir, pages, output_dir, tree, progress)
        progress("indexing", 0, 1)
        run_pagefind(pages_dir, bundle_dir, site.config.language.split("-")[0].lower())
        progress("indexing", 1, 1)
        yield [handed.get(f.path, f) for f in others] + bundle_files(bundle_dir, key)


def is_index_file(path: str) -> bool:
    """True for a file of the search index's folder."""
    return path.startswith(SEARCH_DIR + "/")


def index_key(pages: list[OutputFile]) -> str:
    """Return what identifies the index of these pages: their paths and keys, this module's
    version and Pagefind's."""
    digest = hashlib.blake2b(f"{_VERSION}|{_pagefind_version()}".encode(), digest_size=20)
    for page in sorted(pages, key=lambda p: p.path):
        digest.update(f"\0{page.path}\0{page.key}".encode())
    return digest.hexdigest()


def _pagefind_version() -> str:
    from importlib import metadata  # here, as asyncio below: a build with search off never loads them

    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:  # a binary of its own (PAGEFIND_BINARY_PATH): no version known
        return os.environ.get("PAGEFIND_BINARY_PATH", "")


def _pages_placed(pages_dir: Path, pages: list[OutputFile], output_dir: Path, tree: TreeRecord,
                  progress: Progress) -> dict[str, OutputFile]:
    """Put every page in pages_dir: linked from output/ when its record says output/ holds its
    bytes, else rendered. Return the rendered ones as the writer should take them (their
    bytes read from pages_dir, not rendered again)."""
    to_render = []
    for page in pages:
        target = pages_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        record = tree.files.get(page.path)
        if record is None or record.key != page.key or not _linked(output_dir / page.path, target):
            to_render.append(page)
    handed = {}
    for page, data, _ in rendered(to_render, partial(_as_stage, progress, "rendering pages to index")):
        target = pages_dir / page.path
        target.write_bytes(data)
        handed[page.path] = OutputFile(page.path, page.key, partial(target.read_bytes))
    return handed


def _linked(source: Path, target: Path) -> bool:
    """Link (or copy) source to target; False if source is not there."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError:  # another file system, or one without hard links
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:
            return False
    return True


def _as_stage(progress: Progress, stage: str, _: str, done: int, total: int) -> None:
    progress(stage, done, total)


def run_pagefind(pages_dir: Path, bundle_dir: Path, language: str) -> None:
    """Index the pages under pages_dir with Pagefind into bundle_dir, in one index of the
    language (ISO 639-1: "en", "ar"); raise SearchError,
    saying what to do, if Pagefind is missing or fails."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        from pagefind.service import PagefindService
    except ImportError as exc:
        raise SearchError(f"search = true needs Pagefind, which is not installed: {_FIX}") from exc
    try:
        # In a thread of its own: the caller may be running an event loop (a test's browser, an app)
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, _index(PagefindService, pages_dir, bundle_dir, language)).result()
    except SearchError:
        raise
    except FileNotFoundError as exc:  # pagefind_bin missing, or PAGEFIND_BINARY_PATH wrong
        raise SearchError(f"search = true needs Pagefind's program, which was not found ({exc}): {_FIX}") from exc
    except Exception as exc:
        raise SearchError(f"Pagefind could not index the site: {exc} (output/ is as it was; "
                          "build again, and if it fails again, set search = false in site.toml and report it)") from exc


async def _index(service_type: type[PagefindService], pages_dir: Path, bundle_dir: Path, language: str) -> None:
    import asyncio

    service = await service_type().launch()
    # The service waits forever for the answer of a program that died: watch the program too
    # (the service's own attributes: its API says nothing of the process).
    backend = service._backend
    ended = asyncio.ensure_future(backend.wait())
    work = asyncio.ensure_future(_index_written(service, pages_dir, bundle_dir, language))
    try:
        await asyncio.wait({work, ended}, return_when=asyncio.FIRST_COMPLETED)
        if work.done() and work.exception() is None:
            await service.close()
            return
        await asyncio.wait({ended}, timeout=1)  # a failed write to a program that is ending
        if backend.returncode is not None:
            raise SearchError(f"Pagefind stopped while indexing the site (exit status {backend.returncode}): "
                              "build again; if it fails again, set search = false in site.toml and report it")
        raise work.exception() or SearchError("Pagefind did not answer")
    finally:
        for task in (work, ended, service._poll_task):
            task.cancel()
        if backend.returncode is None:
            backend.kill()
            await backend.wait()


async def _index_written(service: PagefindService, pages_dir: Path, bundle_dir: Path, language: str) -> None:
    # One index, in the site's language, for every article: Pagefind would make one per
    # language, and a results page searches one (its merged indexes use its stemmer), so an
    # Arabic article would never be found from an English site's results page. Words of the
    # other languages are indexed and found as written.
    index = await service.create_index({"force_language": language})
    # One request for every page (the service answers one message per tenth of a second)
    await index.add_directory(str(pages_dir))
    # Written to a folder rather than returned (get_files): a large index would overflow the
    # service's 2 MiB pipe buffer.
    await index.write_files(output_path=str(bundle_dir))


def bundle_files(bundle_dir: Path, key: str) -> list[OutputFile]:
    """Return the index's files for the writer, each keyed by its bytes; the entry file's key
    starts with the index's key, so the next build knows the index it belongs to."""
    # Pagefind writes a WebAssembly search for languages it has none for ("unknown"), used
    # only when the entry names it: the index has one language (_index_written)
    entry = json.loads((bundle_dir / "pagefind-entry.json").read_bytes())
    wanted = {f"wasm.{language['wasm']}.pagefind" for language in entry["languages"].values()}
    files = []
    for path in sorted(bundle_dir.rglob("*")):
        rel = path.relative_to(bundle_dir).as_posix()
        if not path.is_file() or rel.startswith(_UNUSED) or (rel.startswith("wasm.") and rel not in wanted):
            continue
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        out = f"{SEARCH_DIR}/{rel}"
        files.append(OutputFile(out, f"{key}:{digest}" if out == ENTRY else f"search:{digest}", partial(bytes, data)))
    return files
