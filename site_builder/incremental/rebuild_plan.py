"""What a rebuild must do again, decided once: from what the last build recorded and what this
build reads.

A build asks its RebuildPlan three questions:

- **Light?** `light_candidates()`: the content files changed since the last build, when
  nothing else may have (the setup is the same and output/ is as recorded). If none of them
  moved (a body, a title or a summary edited: their layouts as they were), the site comes
  from the last build (last_build.py) and no other article is loaded.
- **Which outputs to plan?** `changes(meta, layout, same_bytes)`: None plans every output;
  otherwise only the outputs the changes reach are planned, and every other one keeps the key
  its record holds.
- **Trust the records?** `output_as_recorded`: the last build's output/ is still what its
  records say (no article it held back is due, the same number of files), so an output can be
  kept by its record.

The records may still be wrong (a file edited by hand with its stat restored, a cache row
gone): an output kept by its record then turns out to need rendering (`StalePlan`), or the
last build's site misses an article (`MissingArticle`). `attempt()` then runs the build again
planning everything, as a cold build would.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from .changes import Changes, light_changes
from .last_build import MissingArticle
from .uptodate import is_due

T = TypeVar("T")


class StalePlan(Exception):
    """An output kept by its record must be rendered: the record did not match the disk."""


def render_refused() -> bytes:
    """Stand in for the renderer of an output kept by its record: it must never be called."""
    raise StalePlan


@dataclass(frozen=True)
class RebuildPlan:
    """What this build can take from the last one: answers from the records, decided once."""

    last: Mapping[str, Any]  # what the last build recorded of itself ({} if none; pipeline._last_build)
    setup: str  # this build's: every input but the content files' bytes (changes.py)
    stats: Mapping[str, str]  # content file → its stat, now
    output_as_recorded: bool  # the records of the last build's output/ can be trusted

    @classmethod
    def since(cls, last: Mapping[str, Any], setup: str, stats: Mapping[str, str], files_in_output: int,
              now: float | None) -> RebuildPlan:
        """Return the plan of a build whose inputs are `setup` and `stats`, after the last
        build recorded `last`, into an output/ whose record holds `files_in_output` files."""
        as_recorded = bool(last) and not is_due(last["due"], now) and files_in_output == last["files"]
        return cls(last, setup, stats, as_recorded)

    def light_candidates(self) -> list[str]:
        """Return the content files whose stat changed since the last build, when nothing but
        they may have changed; else (or when none changed) an empty list."""
        if not self.output_as_recorded or self.last.get("setup") != self.setup:
            return []
        before = self.last.get("stats") or {}
        return [path for path, stat in self.stats.items() if before.get(path) != stat]

    def changes(self, meta: str, layout: str, same_bytes: frozenset[str]) -> Changes | None:
        """Return what changed when the outputs it reaches are the only ones to plan, else None
        (plan everything). `same_bytes`: the files whose bytes the last build read."""
        return light_changes(self.last, self.setup, meta, layout, self.stats, self.output_as_recorded, same_bytes)

    def planning_everything(self) -> RebuildPlan:
        """Return the plan that trusts no record: every article loaded, every output planned."""
        return replace(self, output_as_recorded=False)

    def attempt(self, build: Callable[[RebuildPlan], T]) -> T:
        """Return build(self); if the records prove stale, build again planning everything."""
        try:
            return build(self)
        except (StalePlan, MissingArticle):  # output/ or the cache was not as recorded
            return build(self.planning_everything())
