"""Fixture sites with reviewed expected output (tests/sites/<name>/expected/): how one is built
and what of its output is compared. Shared by tests/e2e/test_golden.py, which compares, and
scripts/regenerate_golden.py, which rewrites expected/ after an intended change.

A golden site is a folder of tests/sites/ with an expected/ folder in it. expected/ holds a
handful of the built site's files, byte for byte, and FILE_LIST: the path of every file the
build wrote, one a line, so a file added or lost shows too."""
from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

from site_builder.build.run import build

SITES = Path(__file__).resolve().parent / "sites"
EXPECTED = "expected"
FILE_LIST = "files.txt"
REGENERATE = ".venv/bin/python scripts/regenerate_golden.py"


def golden_sites() -> list[Path]:
    """Return the fixture sites that have expected output, by name."""
    return sorted(p.parent for p in SITES.glob(f"*/{EXPECTED}") if p.is_dir())


def build_copy(site: Path, work: Path, now: dt.datetime | None = None) -> Path:
    """Build a copy of `site` (without its expected/) in `work`, at `now` (default: the
    clock); return the output folder. The copy keeps the build's cache out of the repository."""
    copy = work / site.name
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(EXPECTED, ".site-builder-cache", "output"))
    build(copy, now=now)
    return copy / "output"


def file_list(output: Path) -> str:
    """Return the path of every file under `output`, sorted, one a line."""
    return "".join(f"{p.relative_to(output).as_posix()}\n" for p in sorted(output.rglob("*")) if p.is_file())


def expected_paths(site: Path) -> list[str]:
    """Return the paths (relative, POSIX) of the compared output files kept in expected/."""
    expected = site / EXPECTED
    return sorted(rel for rel in (p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file())
                  if rel != FILE_LIST)


def actual(output: Path, paths: list[str]) -> dict[str, bytes | None]:
    """Return what the build wrote at each of `paths` (None where it wrote nothing), and its
    file list under FILE_LIST."""
    found: dict[str, bytes | None] = {FILE_LIST: file_list(output).encode()}
    for rel in paths:
        path = output / rel
        found[rel] = path.read_bytes() if path.is_file() else None
    return found


def unified_diff(rel: str, expected: bytes | None, got: bytes | None) -> str:
    """Return a unified diff from the expected bytes of `rel` to the built ones."""
    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else data.decode("utf-8", "replace").splitlines(keepends=True)
    diff = difflib.unified_diff(lines(expected), lines(got), f"expected/{rel}", f"built/{rel}")
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
    if got is None:
        return f"built/{rel}: the build wrote no such file\n"
    return text or f"{rel}: the bytes differ, but not as text lines\n"
