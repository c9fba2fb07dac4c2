"""Search: Pagefind indexes of the articles, made beside output/ and written by the writer.

Pagefind (pagefind.app; PyPI `pagefind[bin]`) reads HTML pages and makes a static index —
fragments per page, index chunks, a WebAssembly search — that the browser searches with no
server (the results page: templates/search.html, with Pagefind's UI, whose two files are
kept at the top of pagefind/). It indexes what `data-pagefind-body` marks, the article
element of article pages (templates/article.html), with the headline as the result's title,
in the site's language (_indexes_written says why).

The articles are split into shards (render/search_shards.py: a year each, the newest month
apart), each an index of its own in pagefind/<shard>/, which the results page searches as
one. A shard's key is a digest of its pages' paths and keys (each key holds everything its
page is rendered from). A shard whose key is the last build's keeps the last build's files
by their records; the others are indexed again, in a scratch folder (never output/): the
pages this build renders are rendered there, once, and handed to the writer as bytes; the
others are linked from output/. Their files go to the writer as any page does: written when
their bytes differ (fragment and chunk names are digests of their content), removed when no
longer made. An edit to one of this month's articles re-indexes this month's, not 10,000.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Collection, Container, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import SearchError
from ..core.model import OutputFile, Progress, Site, no_progress
from ..core.names import SEARCH_DIR
from ..incremental.rebuild_plan import render_refused
from ..output.records import TreeRecord
from ..output.rendering import rendered_then
from ..render.search_shards import search_shards, shard_folder

if TYPE_CHECKING:
    from pagefind.service import PagefindService

# What this module makes of the pages: part of the index's key, so a change here re-indexes.
_VERSION = "3"
ENTRY = "pagefind-entry.json"  # in each shard's folder
# Pagefind's UI: one copy, at the top of pagefind/, for the results page
_UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")
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
    The shards to index again are made in a folder made inside `scratch_in` (the cache: on
    output/'s disk, so its pages are linked, not copied), which lasts until the context
    ends: write before."""
    others = [f for f in files if not is_index_file(f.path)]
    if not site.config.search:
        yield others
        return
    by_path = {f.path: f for f in others}
    shards = {name: [by_path[path] for path in (a.path + "index.html" for a in articles) if path in by_path]
              for name, articles in search_shards(site.articles, site.config.timezone).items()}
    keys = {name: index_key(pages) for name, pages in shards.items()}
    stale = [name for name in shards if not (trust_records and _entry_key(tree, name).startswith(keys[name] + ":"))]
    kept = [OutputFile(path, record.key, render_refused) for path, record in tree.files.items()
            if is_index_file(path) and _is_kept(path, shards, stale)]
    if not stale:
        yield others + kept
        return
    scratch_in.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="search-", dir=scratch_in) as scratch:
        dirs = {name: (Path(scratch, "pages", name), Path(scratch, "bundles", name)) for name in stale}
        handed = _pages_placed([(page, dirs[name][0]) for name in stale for page in shards[name]],
                               output_dir, tree, progress)
        run_pagefind(list(dirs.values()), site.config.language.split("-")[0].lower(), progress)
        made = [f for name in stale for f in bundle_files(dirs[name][1], shard_folder(name), keys[name])]
        yield [handed.get(f.path, f) for f in others] + kept + made + ui_files(dirs[stale[0]][1])


def is_index_file(path: str) -> bool:
    """True for a file of the search index's folder."""
    return path.startswith(SEARCH_DIR + "/")


def _entry_key(tree: TreeRecord, shard: str) -> str:
    record = tree.files.get(shard_folder(shard) + ENTRY)
    return record.key if record is not None else ""


def _is_kept(path: str, shards: Collection[str], stale: Container[str]) -> bool:
    """True for a recorded index file this build keeps: one of a shard not indexed again, or
    the UI's when no shard is, and there are shards (no shard gone: it would not be in
    `shards`; a site with no article has no index, as a cold build of it has none)."""
    parts = path.split("/")
    if len(parts) == 2:  # pagefind/pagefind-ui.js: the UI's
        return bool(shards) and not stale
    return parts[1] in shards and parts[1] not in stale


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


def _pages_placed(pages: list[tuple[OutputFile, Path]], output_dir: Path, tree: TreeRecord,
                  progress: Progress) -> dict[str, OutputFile]:
    """Put every page in its folder (its shard's pages folder): linked from output/ when its
    record says output/ holds its bytes, else rendered. Return the rendered ones as the writer
    should take them (their bytes read from the folder, not rendered again)."""
    folders = {page.path: folder for page, folder in pages}
    to_render = []
    for page, folder in pages:
        target = folder / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        record = tree.files.get(page.path)
        if record is None or record.key != page.key or not _linked(output_dir / page.path, target):
            to_render.append(page)

    def written(index: int, page: OutputFile, data: bytes, digest: bytes) -> Path:  # where it was rendered
        target = folders[page.path] / page.path
        target.write_bytes(data)
        return target

    return {page.path: OutputFile(page.path, page.key, partial(target.read_bytes))
            for page, target in rendered_then(to_render, written, partial(_as_stage, progress, "rendering pages to index"))}


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


def run_pagefind(shards: list[tuple[Path, Path]], language: str, progress: Progress = no_progress) -> None:
    """Index each shard's pages (pages folder, bundle folder) with Pagefind into its bundle
    folder, in one index of the language (ISO 639-1: "en", "ar"); raise SearchError,
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
            thread.submit(asyncio.run, _index(PagefindService, shards, language, progress)).result()
    except SearchError:
        raise
    except FileNotFoundError as exc:  # pagefind_bin missing, or PAGEFIND_BINARY_PATH wrong
        raise SearchError(f"search = true needs Pagefind's program, which was not found ({exc}): {_FIX}") from exc
    except Exception as exc:
        raise SearchError(f"Pagefind could not index the site: {exc} (output/ is as it was; "
                          "build again, and if it fails again, set search = false in site.toml and report it)") from exc


async def _index(service_type: type[PagefindService], shards: list[tuple[Path, Path]], language: str,
                 progress: Progress) -> None:
    import asyncio

    service = await service_type().launch()
    # The service waits forever for the answer of a program that died: watch the program too
    # (the service's own attributes: its API says nothing of the process).
    backend = service._backend
    ended = asyncio.ensure_future(backend.wait())
    work = asyncio.ensure_future(_indexes_written(service, shards, language, progress))
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


async def _indexes_written(service: PagefindService, shards: list[tuple[Path, Path]], language: str,
                           progress: Progress) -> None:
    # Each shard's index in the site's language, whatever its articles': Pagefind would make
    # one per language, and a results page searches one (the merged shards use its stemmer),
    # so an Arabic article would never be found from an English site's results page. Words of
    # the other languages are indexed and found as written.
    for done, (pages_dir, bundle_dir) in enumerate(shards):
        progress("indexing", done, len(shards))
        index = await service.create_index({"force_language": language})
        # One request for every page (the service answers one message per tenth of a second)
        await index.add_directory(str(pages_dir))
        # Written to a folder rather than returned (get_files): a large index would overflow
        # the service's 2 MiB pipe buffer.
        await index.write_files(output_path=str(bundle_dir))
        await index.delete_index()  # the program holds every index it made until told: 1.6 GB at 10,000
    progress("indexing", len(shards), len(shards))


def bundle_files(bundle_dir: Path, folder: str, key: str) -> list[OutputFile]:
    """Return a shard's index files for the writer, in `folder`, each keyed by its bytes; the
    entry file's key starts with the shard's key, so the next build knows the pages it
    indexes. Pagefind's UI is not among them: it is shared (ui_files)."""
    # Pagefind writes a WebAssembly search for languages it has none for ("unknown"), used
    # only when the entry names it: the index has one language (_indexes_written)
    entry = json.loads((bundle_dir / ENTRY).read_bytes())
    wanted = {f"wasm.{language['wasm']}.pagefind" for language in entry["languages"].values()}
    files = []
    for path in sorted(bundle_dir.rglob("*")):
        rel = path.relative_to(bundle_dir).as_posix()
        if (not path.is_file() or rel.startswith(_UNUSED) or rel in _UI_FILES
                or (rel.startswith("wasm.") and rel not in wanted)):
            continue
        data = path.read_bytes()
        files.append(OutputFile(folder + rel, f"{key}:{_digest(data)}" if rel == ENTRY else f"search:{_digest(data)}",
                                partial(bytes, data)))
    return files


def ui_files(bundle_dir: Path) -> list[OutputFile]:
    """Return Pagefind's UI, which the results page loads from pagefind/, as a bundle has it."""
    files = []
    for name in _UI_FILES:
        data = (bundle_dir / name).read_bytes()
        files.append(OutputFile(f"{SEARCH_DIR}/{name}", f"search:{_digest(data)}", partial(bytes, data)))
    return files


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()
