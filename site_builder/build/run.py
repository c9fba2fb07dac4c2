"""`build()`: a site into output/ — or, when the last build's stamp still holds, nothing.

This module is light: a rebuild with nothing to do (incremental/nothing_to_do.py) loads
neither the site nor the libraries. The stages themselves (pipeline.py) are imported only when
there is work; an import-linter contract (pyproject.toml) keeps nothing_to_do.py so.
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..core.errors import ConfigError, OutputError
from ..core.model import BuildResult
from ..core.names import CACHE_DIR, CONTENT_DIR, OUTPUT_DIR, PREVIEW_DIR, STATIC_DIR, TEMPLATES_DIR
from ..incremental import uptodate as stamp
from ..incremental.nothing_to_do import unchanged
from .lock import site_lock

if TYPE_CHECKING:
    from ..core.model import Progress

GITHUB_PAGES_LIMIT = 1_000_000_000  # bytes: "Published GitHub Pages sites may be no larger than 1 GB"
log = logging.getLogger(__name__)


def build(site_dir: Path, output_dir: Path | None = None, base_url: str | None = None,
          drafts: bool = False, allow_id_change: bool = False, progress: Progress | None = None,
          future: bool = False, now: dt.datetime | None = None) -> BuildResult:
    """Build the site in site_dir into output_dir (default site_dir/output). Articles dated
    after `now` (default: the clock) are left out unless `future`, as drafts are unless
    `drafts`."""
    if not site_dir.is_dir():
        raise ConfigError(f"{site_dir}: no such folder (give the site's folder with --site)")
    output_dir = output_dir or site_dir / OUTPUT_DIR
    check_output_dir(output_dir, site_dir, [site_dir / d for d in (CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR)],
                     preview=site_dir / CACHE_DIR / PREVIEW_DIR)
    until = None if future else (now or dt.datetime.now(dt.UTC))
    with site_lock(site_dir / CACHE_DIR):
        result = unchanged(site_dir, output_dir, stamp.options_of(base_url, drafts, future), until)
        if result is None:
            from ..core.model import no_progress
            from .pipeline import run

            with _fewer_collections():
                result = run(site_dir, output_dir, base_url, drafts, allow_id_change, progress or no_progress,
                             future, until)
    _warn_if_too_large(result)
    return result


def check_output_dir(output_dir: Path, site_dir: Path, protected: list[Path],
                     preview: Path | None = None) -> None:
    """Refuse an output folder whose replacement would delete the site, its sources, its
    cache, a git repository or the user's home (whatever it holds: ownership.py checks the
    rest). `preview`, inside the cache, is the folder `serve` builds into."""
    out, site = output_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents:
        raise OutputError(f"--output {output_dir} would replace the site folder itself: "
                          "choose a folder inside it, such as output/")
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder in out.parents:
            raise OutputError(f"--output {output_dir} is inside {folder.name}/, which holds your "
                              "sources: choose another folder, such as output/")
    cache = (site_dir / CACHE_DIR).resolve()
    if (out == cache or cache in out.parents) and not (preview and (out == preview.resolve()
                                                                    or preview.resolve() in out.parents)):
        raise OutputError(f"--output {output_dir} would write into {CACHE_DIR}/, the build's cache: choose "
                          "another folder, such as output/")
    if ".git" in out.parts:
        raise OutputError(f"--output {output_dir} would write into a .git folder, a repository's history: "
                          "choose another folder, such as output/")
    home = Path(os.path.expanduser("~")).resolve()
    if out == home or out in home.parents or out == Path(out.anchor):
        what = "your home folder" if out == home else "above your home folder"
        raise OutputError(f"--output {output_dir} is {what}; a build replaces everything in its output "
                          "folder: choose a new folder, such as output/ in the site")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--output {output_dir} is a file, not a folder")
    if output_dir.is_symlink():  # the swap would move the link, and the next build write through it
        raise OutputError(f"--output {output_dir} is a link to {out}: give that folder itself as --output")


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Let the garbage collector run less often during a build. A build holds ~100,000
    long-lived objects (the articles of a large site): with the default thresholds Python
    traverses them all again and again, a third of a rebuild's time; the build makes few
    reference cycles, so collecting them later costs little memory."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _warn_if_too_large(result: BuildResult) -> None:
    """Warn if GitHub Pages would refuse to publish the site."""
    if result.size > GITHUB_PAGES_LIMIT and (urlsplit(result.base_url).hostname or "").endswith("github.io"):
        from ..core.config import SHRINKING_SETTINGS

        log.warning("the site is %.2f GB: GitHub Pages publishes sites of up to 1 GB. See 'Size' in "
                    "the README for the settings that shrink its feeds (%s)", result.size / 1e9, SHRINKING_SETTINGS)
