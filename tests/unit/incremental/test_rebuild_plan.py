"""What a rebuild takes from the last build (incremental/rebuild_plan.py): the answers it
gives from the records alone, and its fall-back to planning everything when they prove stale."""
from __future__ import annotations

import pytest

from site_builder.incremental.changes import Changes
from site_builder.incremental.last_build import MissingArticle
from site_builder.incremental.rebuild_plan import RebuildPlan, StalePlan, render_refused

LAST = {"setup": "F", "meta": "M", "layout": "L", "stats": {"a.md": "1", "b.md": "2"}, "due": None,
        "counts": {}, "files": 10, "held": ()}


def plan(last=LAST, setup="F", stats=None, files=10, now=None) -> RebuildPlan:
    return RebuildPlan.since(last, setup, stats or {"a.md": "1", "b.md": "2"}, files, now)


def test_the_records_are_trusted_when_output_is_as_the_last_build_left_it():
    assert plan().output_as_recorded
    assert not plan(last={}).output_as_recorded  # no last build
    assert not plan(files=9).output_as_recorded  # a file gone from output/
    assert not plan(last={**LAST, "due": 100.0}, now=100.0).output_as_recorded  # a held-back article is due
    assert plan(last={**LAST, "due": 100.0}, now=99.0).output_as_recorded


def test_light_candidates_are_the_files_whose_stat_changed_under_the_same_setup():
    assert plan(stats={"a.md": "1", "b.md": "3"}).light_candidates() == ["b.md"]
    assert plan().light_candidates() == []  # nothing changed
    assert plan(setup="G", stats={"a.md": "1", "b.md": "3"}).light_candidates() == []
    assert plan(files=9, stats={"a.md": "1", "b.md": "3"}).light_candidates() == []


def test_only_the_changed_files_outputs_are_planned_when_the_layout_is_the_same():
    changed = plan(stats={"a.md": "1", "b.md": "3", "c.md": "4"})
    assert changed.changes("M", "L", frozenset()) == Changes(frozenset({"b.md", "c.md"}), bodies_only=True)
    assert changed.changes("M2", "L", frozenset({"c.md"})) == Changes(frozenset({"b.md"}), bodies_only=False)
    assert changed.changes("M", "L2", frozenset()) is None  # an article moved: plan everything
    assert plan(setup="G").changes("M", "L", frozenset()) is None


def test_planning_everything_trusts_no_record():
    everything = plan(stats={"a.md": "1", "b.md": "3"}).planning_everything()
    assert not everything.output_as_recorded
    assert everything.light_candidates() == [] and everything.changes("M", "L", frozenset()) is None


@pytest.mark.parametrize("stale", [StalePlan, MissingArticle])
def test_a_stale_record_makes_the_build_start_again_planning_everything(stale):
    tries = []

    def build(attempt: RebuildPlan) -> str:
        tries.append(attempt.output_as_recorded)
        if attempt.output_as_recorded:
            raise stale()
        return "built"

    assert plan().attempt(build) == "built" and tries == [True, False]


def test_an_output_kept_by_its_record_is_never_rendered():
    with pytest.raises(StalePlan):
        render_refused()
