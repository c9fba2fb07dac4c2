"""Render the files a build writes, on every core when there are many (issue #15).

A cold build of 10,000 articles renders 15,000 pages and feeds; in one process that was half
its time. Here forked workers (core/worker_pool.py) render them beside this process, which
renders too whenever no result waits to be written: a worker inherits the collected site, the
compiled templates and the renderers copy-on-write, so only a file's index goes to it and only
its bytes and digest come back. The writer stays the one process that touches the disk. A
rebuild that renders a few files renders them all here: a worker would cost more to start
than it saves.
"""
from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator, Sequence

from ..core.errors import OutputError
from ..core.model import OutputFile, Progress, no_progress
from .records import DIGEST_SIZE

# Below this many files, rendering in this process is faster than starting workers.
_POOL_THRESHOLD = 400


def rendered(files: Sequence[OutputFile], progress: Progress = no_progress,
             jobs: int | None = None) -> Iterator[tuple[OutputFile, bytes, bytes]]:
    """Yield (file, its bytes, their digest) for each file, in the order they are done; an
    exception a renderer raises is raised here."""
    cores = jobs or os.cpu_count() or 1
    pooled = cores > 1 and len(files) >= _POOL_THRESHOLD
    outcomes = _pooled(files, cores) if pooled else ((i, _render(f)) for i, f in enumerate(files))
    for done, (index, outcome) in enumerate(outcomes, 1):
        if done % 500 == 0 or done == len(files):
            progress("rendering", done, len(files))
        yield files[index], *outcome


def content_digest(data: bytes) -> bytes:
    """Return what an output record keeps of a file's bytes."""
    # SHA-256 rather than BLAKE2: the CPU's SHA extensions make it twice as fast here, and a cold
    # build digests every byte it writes (a gigabyte at 10,000 articles).
    return hashlib.sha256(data).digest()[:DIGEST_SIZE]


def _pooled(files: Sequence[OutputFile], cores: int) -> Iterator[tuple[int, tuple[bytes, bytes]]]:
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
        for j, outcome in _in_workers([files[i] for i in group], workers, here):
            yield group[j], outcome


def _render(file: OutputFile) -> tuple[bytes, bytes]:
    try:
        data = file.render()
    except RecursionError as exc:
        raise OutputError(f"rendering {file.path} nests too deeply (a template that calls itself?)") from exc
    return data, content_digest(data)


def _in_workers(files: Sequence[OutputFile], workers: int, here: bool) -> Iterator[tuple[int, tuple[bytes, bytes]]]:
    from ..core.worker_pool import Died, bounded_map

    # Objects the collector never visits are never written to by it in a worker, so the pages
    # holding the site stay shared with this process (fewer copied pages: PSS, not RSS).
    gc.freeze()
    try:
        for index, outcome in bounded_map(lambda i: _render(files[i]), range(len(files)), workers, None, here):
            if isinstance(outcome, Died):
                raise OutputError(f"rendering {files[index].path} stopped: its worker was {outcome.how} "
                                  "(out of memory?)")
            yield index, outcome
    finally:
        gc.unfreeze()
