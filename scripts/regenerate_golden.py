"""Rewrite the expected output of the fixture sites (tests/sites/<name>/expected/) from a build.

    .venv/bin/python scripts/regenerate_golden.py                 # every golden site
    .venv/bin/python scripts/regenerate_golden.py bilingual       # one
    .venv/bin/python scripts/regenerate_golden.py bilingual --add tags/fishing/index.html

Each site is copied into a temporary folder (its cache stays out of the repository) and
built; every file already in its expected/ is replaced by the built one, `--add` keeps more,
and expected/files.txt lists every file the build wrote. Run it after a change meant to alter
the output, then review `git diff tests/sites/` before committing: what it shows is what the
change does to a reader's pages and feeds (tests/e2e/test_golden.py compares them)."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from golden import EXPECTED, FILE_LIST, SITES, actual, build_copy, expected_paths, golden_sites


def regenerate(site: Path, add: list[str]) -> list[str]:
    """Build `site` and write the chosen files of its output into expected/; return what changed."""
    paths = sorted(set(expected_paths(site)) | set(add))
    with tempfile.TemporaryDirectory() as work:
        built = actual(build_copy(site, Path(work)), paths)
    missing = [rel for rel, data in built.items() if data is None]
    if missing:
        sys.exit(f"{site.name}: the build wrote no {', '.join(missing)}")
    changed = []
    for rel, data in built.items():
        target = site / EXPECTED / rel
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            changed.append(rel)
    return changed


def main() -> None:
    """Regenerate the sites named on the command line, or all of them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", help="names of folders of tests/sites/ (default: all with expected/)")
    parser.add_argument("--add", action="append", default=[], metavar="PATH",
                        help="also keep this output file (relative to output/) in expected/")
    args = parser.parse_args()
    sites = [SITES / name for name in args.sites] or golden_sites()
    if args.add and len(sites) != 1:
        parser.error("--add needs exactly one site")
    for site in sites:
        if not (site / "site.toml").is_file():
            parser.error(f"{site}: not a site (no site.toml)")
        changed = regenerate(site, args.add)
        print(f"{site.relative_to(SITES.parent.parent)}/{EXPECTED}: "
              + (f"{len(changed)} changed: {', '.join(changed)}" if changed else "unchanged"))
    print(f"review with: git diff {SITES.relative_to(SITES.parent.parent)}/  ({FILE_LIST} lists every output file)")


if __name__ == "__main__":
    main()
