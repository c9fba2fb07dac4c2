"""The check that makes a rebuild with nothing to do take a fraction of a second: the last
build's stamp (uptodate.py) still holds and output/ is as that build wrote it. Light on
purpose — no stage of the build, no rendering library — which the import-linter contract
"nothing to do" (pyproject.toml) keeps so."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..core.model import BuildResult
from ..output.records import discard_leftovers, is_intact
from . import uptodate as stamp
from .cache import BuildCache


def unchanged(site_dir: Path, output_dir: Path, options: tuple, until: dt.datetime | None) -> BuildResult | None:
    """Return the last build's result if its stamp still holds: then there is nothing to do."""
    with BuildCache(site_dir) as cache:
        recorded = cache.stamp(output_dir)
        now = until.timestamp() if until else None
        if recorded is None or not stamp.holds(recorded, str(site_dir), options, now) \
                or not is_intact(str(output_dir), cache.tree_stats(output_dir)):
            return None
    discard_leftovers(output_dir)
    return BuildResult(**recorded.counts, written=0, unchanged=recorded.files, output_dir=output_dir,
                       size=recorded.size, base_url=recorded.base_url, held=recorded.held)
