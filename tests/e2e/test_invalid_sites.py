"""Invalid sites (tests/sites/invalid/<case>/), each built through the command line: the build
exits 1, prints the text of the case's expected-error.txt (every line of it), and writes no
output/. A new case is a folder with a site.toml, content/ and expected-error.txt."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli

INVALID = Path(__file__).resolve().parent.parent / "sites" / "invalid"
CASES = sorted(p for p in INVALID.iterdir() if p.is_dir())


def test_there_are_invalid_sites():
    assert len(CASES) >= 5 and all((case / "expected-error.txt").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_an_invalid_site_is_refused_with_its_expected_error(case, tmp_path):
    site = tmp_path / case.name
    shutil.copytree(case, site, ignore=shutil.ignore_patterns("expected-error.txt"))
    expected = [line for line in (case / "expected-error.txt").read_text(encoding="utf-8").splitlines() if line]
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1, result.stdout + result.stderr
    for line in expected:
        assert line in result.stderr, f"{case.name}: expected in stderr:\n{line}\nbut stderr was:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists(), "an invalid site wrote output/"
