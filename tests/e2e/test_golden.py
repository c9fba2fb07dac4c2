"""Fixture sites with reviewed output (tests/sites/<name>/expected/): a build of each, made
now and here, is byte for byte what was reviewed; a failure shows a unified diff per file.

After a change meant to alter the output: `.venv/bin/python scripts/regenerate_golden.py`, then
review `git diff tests/sites/` (tests/golden.py says what is kept)."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import output_files
from golden import (
    EXPECTED,
    FILE_LIST,
    REGENERATE,
    actual,
    build_copy,
    expected_paths,
    golden_sites,
    unified_diff,
)


@pytest.mark.parametrize("site", golden_sites(), ids=lambda site: site.name)
def test_a_fixture_site_builds_to_its_reviewed_output(site, tmp_path):
    paths = expected_paths(site)
    assert paths, f"{site}/{EXPECTED}/ compares no page: add some with {REGENERATE} {site.name} --add PATH"
    built = actual(build_copy(site, tmp_path), paths)
    diffs = [unified_diff(rel, (site / EXPECTED / rel).read_bytes(), data)
             for rel, data in built.items() if (site / EXPECTED / rel).read_bytes() != data]
    if diffs:
        pytest.fail(f"the build of {site.name} differs from {site.name}/{EXPECTED}/ "
                    f"(if the change is meant, run {REGENERATE} and review the diff):\n" + "".join(diffs),
                    pytrace=False)


def test_the_golden_sites_are_found():
    """A golden site that lost its expected/ would pass by not being compared."""
    assert "bilingual" in [site.name for site in golden_sites()]
    assert all((site / EXPECTED / FILE_LIST).is_file() for site in golden_sites())


@pytest.mark.parametrize("site", golden_sites(), ids=lambda site: site.name)
def test_a_fixture_site_builds_the_same_whenever_it_is_built(site, tmp_path):
    """Expected output can be kept only if the clock changes nothing once every article is
    past: built the day after its newest article and in 2099, every file is the same."""
    soon = build_copy(site, tmp_path / "soon", dt.datetime(2024, 3, 13, tzinfo=dt.UTC))
    late = build_copy(site, tmp_path / "late", dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    assert output_files(soon) == output_files(late)
