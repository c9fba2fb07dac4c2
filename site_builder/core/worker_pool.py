"""Run a function over many items in forked worker processes, each item within a time limit.

A build runs two stages here: parsing (build/load.py) and rendering (output/rendering.py).
Forked workers inherit what the parent holds — the settings, the collected site, the compiled
templates — without it being sent to them; only the items' indices and results cross a pipe.

Python-Markdown takes quadratic time or worse on some inputs (issue #12: 10,000 `[a](` take
18 s, 140,000 nested brackets did not finish in 300 s), and no size limit bounds that. So a
build parses its articles here: a worker still busy with one item `limit` seconds after it
began it is killed and replaced, that item alone comes back as `TimedOut`, and the others go
on. A worker that dies (the OOM killer, a crash in C code) is replaced the same way, its item
coming back as `Died`. An item that exhausts Python's recursion limit comes back as `TooDeep`,
and its worker is replaced too: after a RecursionError, Python-Markdown's converter renders
the next articles wrong (no paragraphs, no links), so nothing that ran into one is trusted.

A worker takes a few items at a time, and more before it runs out, and sends each result back
as soon as it has it, so the parent knows which item a worker is on and since when: since the
previous result arrived (or the items were sent to an idle worker). A parent that reads late
only makes the limit more lenient, never stricter. Forking a worker costs ~10 ms (more for a
large parent), which is why even a rebuild that parses one file parses it here: the bound
holds for every article, not only for inputs that look risky.
"""
from __future__ import annotations

import os
import selectors
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import get_context
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

# Items sent to a worker at once, at most: enough that it does not run dry while the parent is
# busy storing a batch of parsed articles (with 16, each parse worker of a 10,000-article
# build waited 0.4 s for items); fewer when there are few items, so that every worker has some
_CHUNK = 64


class TimedOut(NamedTuple):
    """The item was not done within the limit: its worker was killed."""

    seconds: float


class Died(NamedTuple):
    """The worker died while on the item (killed by a signal, or exited)."""

    how: str


class TooDeep(NamedTuple):
    """The item exhausted Python's recursion limit: its worker was replaced."""


class _Worker:
    """A worker process, its end of the pipe, and the items it was given and has not answered."""

    def __init__(self, func: Callable[[Any], Any]):
        context = get_context("fork")  # the worker starts at once, with the parent's modules (Markdown…) loaded
        parent_end, child_end = context.Pipe()
        self.process = context.Process(target=_work, args=(child_end, func), daemon=True)
        self.process.start()
        child_end.close()
        self.conn: Connection = parent_end
        self.pending: deque[int] = deque()
        self.began = time.monotonic()

    def give(self, queue: deque[tuple[int, Any]], size: int) -> None:
        """Send the worker the queue's next `size` items; leave them there if it has died since
        its last result (the next read from it finds it gone)."""
        chunk = [queue.popleft() for _ in range(min(size, len(queue)))]
        try:
            self.conn.send(chunk)
        except OSError:
            queue.extendleft(reversed(chunk))
            return
        if not self.pending:  # else it is still on an earlier item, begun then
            self.began = time.monotonic()
        self.pending.extend(index for index, _ in chunk)

    def retire(self) -> None:
        try:
            self.conn.send(None)  # nothing more: the worker exits
        except OSError:
            pass
        self.conn.close()

    def kill(self) -> str:
        """End the worker; return how it ended."""
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        code = self.process.exitcode or 0
        return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"


def bounded_map(func: Callable[[Any], Any], items: Sequence[Any], workers: int,
                limit: float | None, here: bool = False) -> Iterator[tuple[int, Any]]:
    """Yield (index, func(items[index])) for every item, in the order they finish, each
    computed in a worker within `limit` seconds (None: no limit); an item that is not yields
    TimedOut (or Died, TooDeep). An exception raised by func is raised here.

    `here`: this process computes items too, one at a time whenever no worker has a result
    waiting, with no limit (so only for work that cannot hang): a process fewer to hold a
    copy of every page of memory the work touches (copy-on-write), with the same cores busy."""
    if here and limit is not None:
        raise ValueError("items computed here cannot be held to a time limit")
    queue: deque[tuple[int, Any]] = deque(enumerate(items))
    chunk = max(1, min(_CHUNK, len(items) // (4 * workers)))
    live: dict[Connection, _Worker] = {}
    started: list[_Worker] = []
    # One selector for the whole map: multiprocessing's wait() makes one a call, and a cold
    # build waits for 25,000 results (a fifth of its parent's time parsing was in wait)
    selector = selectors.DefaultSelector()

    def drop(conn: Connection) -> None:
        selector.unregister(conn)
        del live[conn]

    try:
        while queue or live:
            while queue and len(live) < workers:
                worker = _Worker(func)
                started.append(worker)
                live[worker.conn] = worker
                selector.register(worker.conn, selectors.EVENT_READ, worker)
                worker.give(queue, chunk)
            if here and queue and not selector.select(0):
                index, item = queue.popleft()
                yield index, func(item)
                continue
            now = time.monotonic()
            timeout = None if limit is None else max(0.0, min(w.began + limit for w in live.values()) - now)
            done: list[tuple[int, Any]] = []
            for key, _ in selector.select(timeout):
                worker = key.data
                conn = worker.conn
                try:
                    index, ok, value = conn.recv()
                except (EOFError, OSError):  # it died: its current item, if any, is the culprit
                    drop(conn)
                    how = worker.kill()
                    if worker.pending:
                        done.append((worker.pending.popleft(), Died(how)))
                        _requeue(queue, worker, items)
                    continue
                if not ok:
                    raise value
                worker.pending.popleft()
                worker.began = time.monotonic()  # it went on to the next item as it sent this one
                done.append((index, value))
                if isinstance(value, TooDeep):  # it has stopped: its other items go to another
                    drop(conn)
                    worker.kill()
                    _requeue(queue, worker, items)
                elif queue and len(worker.pending) <= chunk // 2:
                    # more before it runs out: a worker that waited for the parent (busy writing
                    # or rendering a page of its own) was idle 7% of a theme change
                    worker.give(queue, chunk)
                elif not worker.pending:
                    drop(conn)
                    worker.retire()
            now = time.monotonic()
            for conn, worker in list(live.items()):
                if limit is not None and now - worker.began >= limit and not conn.poll(0):  # a result waiting is not late
                    drop(conn)
                    worker.kill()
                    done.append((worker.pending.popleft(), TimedOut(limit)))
                    _requeue(queue, worker, items)
            yield from done
    finally:
        selector.close()
        for worker in started:  # a retired worker has sent all it had: no need to wait for its exit
            worker.kill()


def _requeue(queue: deque[tuple[int, Any]], worker: _Worker, items: Sequence[Any]) -> None:
    """Put back the items a lost worker had been given after the one it was on."""
    queue.extendleft((index, items[index]) for index in reversed(worker.pending))
    worker.pending.clear()


def _work(conn: Connection, func: Callable[[Any], Any]) -> None:
    """A worker's loop: take items, send back (index, ok, result or exception) for each."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends us
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        for index, item in chunk:
            try:
                message = (index, True, func(item))
            except RecursionError:
                conn.send((index, True, TooDeep()))
                return  # what it left behind is not to be trusted
            except Exception as exc:  # noqa: BLE001 - raised again in the parent
                message = (index, False, exc)
            try:
                conn.send(message)
            except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
                conn.send((index, False, RuntimeError(f"a worker could not send its result: {exc!r}")))


def _die_with_parent() -> None:
    """Make a worker end when the build that started it is killed (Linux's PR_SET_PDEATHSIG);
    otherwise it would wait forever for work from a parent that is gone."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
        if os.getppid() == 1:  # the parent died before the call: nobody will send the signal
            os._exit(1)


def _prctl() -> Callable[..., int] | None:
    # Found once, in the parent: ctypes.util.find_library would run ldconfig in every worker.
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    return ctypes.CDLL(None, use_errno=True).prctl


_PRCTL = _prctl()
