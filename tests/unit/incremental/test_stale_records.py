"""A rebuild that trusts records which no longer match the disk starts again planning
everything (incremental/rebuild_plan.py, StalePlan), and its output is a cold build's."""
from __future__ import annotations

import shutil

from conftest import article, make_site, output_files

from site_builder.build.run import build


def test_an_output_edited_by_hand_then_a_body_edit_still_equals_a_cold_build(tmp_path):
    site = make_site(tmp_path / "site", {
        "content/one.md": article("One", "2024-01-01", "The first version.", tags="[Iran]"),
        "content/two.md": article("Two", "2024-01-02", "Another story.", tags="[Cuba]"),
    })
    out = site / "output"
    build(site, out)
    # A page the body edit below does not reach, changed in place: its record no longer holds,
    # though output/ has as many files as recorded.
    page = out / "tags/cuba/index.html"
    page.write_bytes(page.read_bytes().replace(b"Another story", b"Edited by hand"))
    (site / "content/one.md").write_text(article("One", "2024-01-01", "The second version.", tags="[Iran]"))
    result = build(site, out)
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns("output", ".site-builder-cache", ".output.previous"))
    build(cold, cold / "output")
    assert output_files(out) == output_files(cold / "output")
    assert result.written >= 2  # the edited article's page, and the page edited by hand restored
