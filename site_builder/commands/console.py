"""What the user sees on the terminal: log messages and progress, set by --quiet and --verbose.

    configure_logging(verbosity)   warnings from any module as `warning: …`; info lines unless
                                   --quiet; debug lines with --verbose
    progress_reporter(verbosity)   a build's `progress(stage, done, total)`: a rich progress bar
                                   on a terminal, a plain line now and then in CI and pipes

Only the CLI calls these: library code logs with `logging.getLogger(__name__)` and reports
progress through the callable it is given, never knowing which of these draws it.
"""
from __future__ import annotations

import logging
import sys
import time
from typing import Any

QUIET, NORMAL, VERBOSE = -1, 0, 1
# A stage that finishes within this many seconds is not worth a line in a CI log.
_PLAIN_STAGE_SECONDS = 1.0
_PLAIN_EVERY_SECONDS = 2.0


class _Formatter(logging.Formatter):
    """`warning: content/x.md:3: …` for problems; info lines as they are."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        if record.levelno >= logging.WARNING or record.levelno < logging.INFO:
            return f"{record.levelname.lower()}: {message}"
        return message


class _StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is when a record comes, so that lines logged while a
    progress bar is drawn go through the bar's console (rich redirects sys.stderr) and do not
    tear it."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(verbosity: int = NORMAL) -> None:
    """Send log records to stderr: warnings and errors always, site-builder's info lines
    unless quiet, debug lines (and other libraries' info) when verbose."""
    handler = _StderrHandler()
    handler.setFormatter(_Formatter("%(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbosity >= VERBOSE else logging.WARNING)
    own = {QUIET: logging.WARNING, NORMAL: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.getLogger("site_builder").setLevel(own)


class PlainProgress:
    """Progress as plain lines on stderr, for CI logs and pipes: a line every few seconds
    while a long stage runs and one when it ends; every report when verbose."""

    def __init__(self, verbose: bool = False):
        self.verbose = verbose
        self.last_report = self.last_line = time.monotonic()
        self.stage_started: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        started = self.stage_started.setdefault(stage, self.last_report)
        running = now - started
        if (self.verbose or (done < total and now - self.last_line >= _PLAIN_EVERY_SECONDS)
                or (done >= total and running >= _PLAIN_STAGE_SECONDS)):
            print(f"{stage}: {done}/{total} ({running:.1f} s)", file=sys.stderr, flush=True)
            self.last_line = now
        self.last_report = now

    def close(self) -> None:
        """Nothing to tidy up."""


class BarProgress:
    """A rich progress bar on stderr, one row per stage, drawn only once a stage reports
    before it is done (a build that finishes at once shows no bar) and removed at the end."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if done >= total:
                return
            self.bar = _rich_bar()
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def close(self) -> None:
        """Remove the bar from the terminal."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _rich_bar() -> Any:
    # rich is imported only when a bar is drawn: most commands finish before it would be
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)


class NoProgress:
    """Progress for --quiet: nothing."""

    def __call__(self, stage: str, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_reporter(verbosity: int = NORMAL) -> NoProgress | PlainProgress | BarProgress:
    """Return how to show progress: a bar on a terminal, plain lines elsewhere (CI, pipes,
    and with --verbose, which lists every report), nothing when quiet."""
    if verbosity <= QUIET:
        return NoProgress()
    if verbosity >= VERBOSE or not sys.stderr.isatty():
        return PlainProgress(verbose=verbosity >= VERBOSE)
    return BarProgress()
