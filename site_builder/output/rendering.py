"""Render the files a build writes, on every core when there are many (issue #15).

A cold build of 10,000 articles renders 15,000 pages and feeds; in one process that was half
its time. Here forked workers (core/worker_pool.py) render them beside this process, which
renders too whenever no result waits to be written: a worker inherits the collected site, the
compiled templates and the renderers copy-on-write, so only a file's index goes to it. What
comes back is what the caller's `then` makes of the bytes, run where they were rendered: the
writer puts each file in its place there (output/write.py), so only a few numbers cross the
pipe, and no process waits for another to write. At 10,000 articles a cold build's writer,
alone in this process, spent half its time making folders and writing files while the
worker waited for more to do (the disk can take half a millisecond a folder). A rebuild that
renders a few files renders them all here: a worker would cost more to start than it saves.
"""
from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TypeVar

from ..core.errors import OutputError
from ..core.model import OutputFile, Progress, no_progress
from .records import DIGEST_SIZE

# Below this many files, rendering in this process is faster than starting workers.
_POOL_THRESHOLD = 400

T = TypeVar("T")
Then = Callable[[int, OutputFile, bytes, bytes], T]  # (index, file, bytes, digest) → what comes back


def rendered(files: Sequence[OutputFile], progress: Progress = no_progress,
             jobs: int | None = None) -> Iterator[tuple[OutputFile, bytes, bytes]]:
    """Yield (file, its bytes, their digest) for each file, in the order they are done; an
    exception a renderer raises is raised here."""
    for file, (data, digest) in rendered_then(files, _bytes_and_digest, progress, jobs):
        yield file, data, digest


def rendered_then(files: Sequence[OutputFile], then: Then[T], progress: Progress = no_progress,
                  jobs: int | None = None) -> Iterator[tuple[OutputFile, T]]:
    """Yield (file, then(its index in files, file, its bytes, their digest)) for each file, in
    the order they are done, `then` run in the process that rendered the file (a worker's
    result must pickle); an exception a renderer or `then` raises is raised here."""
    cores = jobs or os.cpu_count() or 1
    pooled = cores > 1 and len(files) >= _POOL_THRESHOLD
    render = partial(_render_then, then, files)
    outcomes = _pooled(files, render, cores) if pooled else ((i, render(i)) for i in range(len(files)))
    for done, (index, outcome) in enumerate(outcomes, 1):
        if done % 500 == 0 or done == len(files):
            progress("rendering", done, len(files))
        yield files[index], outcome


def content_digest(data: bytes) -> bytes:
    """Return what an output record keeps of a file's bytes."""
    # SHA-256 rather than BLAKE2: the CPU's SHA extensions make it twice as fast here, and a cold
    # build digests every byte it writes (a gigabyte at 10,000 articles).
    return hashlib.sha256(data).digest()[:DIGEST_SIZE]


def _pooled(files: Sequence[OutputFile], render: Callable[[int], T], cores: int) -> Iterator[tuple[int, T]]:
    """Yield (index, outcome) of each file, rendered on `cores` processes: the heavy files
    first, in workers that end before the others start, so that what their libraries keep (Pillow's
    decoded pictures, 20–40 MB a process) ends with them instead of adding to the peak of the
    pages' rendering; then the others in workers and here. Here renders too, so `cores`
    processes in all: one copy fewer of the pages of the site they touch (copy-on-write) than
    as many workers beside a parent that only writes."""
    heavy = [i for i, f in enumerate(files) if f.heavy]
    light = [i for i, f in enumerate(files) if not f.heavy]
    for group, workers, here in ((heavy, cores, False), (light, cores - 1, True)):
        if not group:
            continue
        yield from _in_workers(files, group, render, workers, here)


def _render_then(then: Then[T], files: Sequence[OutputFile], index: int) -> T:
    file = files[index]
    try:
        data = file.render()
    except RecursionError as exc:
        raise OutputError(f"rendering {file.path} nests too deeply (a template that calls itself?)") from exc
    return then(index, file, data, content_digest(data))


def _bytes_and_digest(index: int, file: OutputFile, data: bytes, digest: bytes) -> tuple[bytes, bytes]:
    return data, digest


def _in_workers(files: Sequence[OutputFile], indices: list[int], render: Callable[[int], T], workers: int,
                here: bool) -> Iterator[tuple[int, T]]:
    from ..core.worker_pool import Died, bounded_map

    # Objects the collector never visits are never written to by it in a worker, so the pages
    # holding the site stay shared with this process (fewer copied pages: PSS, not RSS).
    gc.freeze()
    try:
        for j, outcome in bounded_map(render, indices, workers, None, here):
            if isinstance(outcome, Died):
                raise OutputError(f"rendering {files[indices[j]].path} stopped: its worker was "
                                  f"{outcome.how} (out of memory?)")
            yield indices[j], outcome
    finally:
        gc.unfreeze()
