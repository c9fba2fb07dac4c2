#!/usr/bin/env python3
"""Measure the Pages workflow's build: a fresh clone with a restored cache (issue 13).

    python benchmarks/workflow.py [--sizes 1000 10000] [--keep DIR] [--site-builder CMD]
                                  [--tar-format posix|gnu] [--verify]

For each size, the corpus of make_corpus.py (`--format generic`, run.py's site.toml) is
committed to a git repository, and then, each build a separate process timed as run.py does:

  cold      a build of the repository with no cache and no output/
  workflow  what the workflow does on the next push: `git clone` into a new folder (every
            file a new inode, mtime and ctime), .site-builder-cache/ and output/ restored from
            the tar the last run saved (as actions/cache does: GNU tar --posix), one sentence
            appended to one article's body (the push), and a build

Reported: both times, their ratio (issue 13's goal: ≤ 0.15 at 10,000 articles), the size of
the tar (and zstd's, as actions/cache stores it) and the time to extract it, and how many
output files the workflow build wrote (a new inode: not one restored). `--tar-format gnu`
restores mtimes truncated to whole seconds, as a tar without sub-second times does.
`--verify` also builds the edited clone cold, elsewhere, and checks the two outputs are the
same bytes.

Progress goes to stderr, the Markdown report to stdout. Linux only, like run.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import run as bench  # run.py beside this script: the corpus, the timing, the install

GOAL_SIZE = 10_000
GOAL_RATIO = 0.15
CACHED = (".site-builder-cache", "output")  # the workflow's actions/cache paths
GITIGNORE = "output/\n.output.*\n.site-builder-cache/\n"


@dataclass(frozen=True)
class Result:
    """One size's figures."""

    size: int
    cold: float
    workflow: float
    tar_mb: float
    zstd_mb: float | None
    extract: float
    written: int
    files: int
    same_as_cold: bool | None  # None: not verified


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
                   cwd=cwd, check=True, capture_output=True)


def repository(size: int, root: Path) -> tuple[Path, str]:
    """Write the corpus into a git repository under root; return it and the edit target's
    path inside it."""
    origin = root / "origin"
    target = bench.generate(size, "generic", origin)
    (origin / "site.toml").write_text(bench.SITE_TOML, encoding="utf-8")
    (origin / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "corpus")
    return origin, target.relative_to(origin).as_posix()


def save_cache(site: Path, archive: Path, tar_format: str) -> None:
    """Archive the cached folders as actions/cache does (GNU tar, --posix on Linux)."""
    subprocess.run(["tar", f"--format={tar_format}", "-cf", str(archive), "-C", str(site), *CACHED], check=True)


def zstd_mb(archive: Path) -> float | None:
    """The archive's size compressed as actions/cache stores it, if zstd is installed."""
    if shutil.which("zstd") is None:
        return None
    packed = archive.with_suffix(".tar.zst")
    subprocess.run(["zstd", "-q", "-T0", "-f", str(archive), "-o", str(packed)], check=True)
    size = packed.stat().st_size / 1e6
    packed.unlink()
    return size


def inodes(folder: Path) -> dict[str, int]:
    """Return the inode of every file under folder, by relative path."""
    return {os.path.relpath(os.path.join(d, n), folder): os.stat(os.path.join(d, n)).st_ino
            for d, _, names in os.walk(folder) for n in names}


def bench_size(size: int, root: Path, command: list[str], args: argparse.Namespace) -> Result:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    bench.progress(f"{size:,} articles: generating the repository in {root}")
    origin, target = repository(size, root)
    log = root / "builds.log"
    cold = bench.measure([*command, "build", "--site", str(origin)], log).seconds
    bench.progress(f"{size:,} cold      {cold:8.2f} s")
    archive = root / "cache.tar"
    save_cache(origin, archive, args.tar_format)
    clone = root / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    started = time.perf_counter()
    subprocess.run(["tar", "-xf", str(archive), "-C", str(clone)], check=True)
    extract = time.perf_counter() - started
    bench.append_sentence(clone / target)
    restored = inodes(clone / "output")
    workflow = bench.measure([*command, "build", "--site", str(clone)], log).seconds
    after = inodes(clone / "output")
    written = sum(1 for path, ino in after.items() if restored.get(path) != ino)
    bench.progress(f"{size:,} workflow  {workflow:8.2f} s  {written} of {len(after)} files written")
    same = verify(clone, command, log) if args.verify else None
    return Result(size, cold, workflow, archive.stat().st_size / 1e6, zstd_mb(archive), extract,
                  written, len(after), same)


def verify(clone: Path, command: list[str], log: Path) -> bool:
    """Build the edited clone cold in a copy; True when both outputs hold the same bytes."""
    copy = clone.with_name("cold-copy")
    shutil.copytree(clone, copy, ignore=shutil.ignore_patterns(*CACHED, ".git"))
    bench.measure([*command, "build", "--site", str(copy)], log)
    same = same_trees(clone / "output", copy / "output")
    bench.progress(f"verify: the workflow build's output is {'the same as' if same else 'NOT the same as'} "
                   "a cold build's")
    return same


def same_trees(a: Path, b: Path) -> bool:
    files_a, files_b = inodes(a).keys(), inodes(b).keys()
    return files_a == files_b and all(filecmp.cmp(a / p, b / p, shallow=False) for p in files_a)


def report(results: list[Result], command: list[str], args: argparse.Namespace, measured: str) -> str:
    lines = ["# Benchmark: the Pages workflow's build (fresh clone, restored cache, one article edited)", "",
             f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
             f"- command: `{shlex.join(['python', 'benchmarks/workflow.py', *sys.argv[1:]])}`",
             (f"- machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
              f"Python {platform.python_version()}"),
             f"- site-builder: `{shlex.join(command)} build --site DIR` ({measured})",
             f"- cache archive: GNU tar --format={args.tar_format}"
             + (" (sub-second mtimes, as actions/cache's tar --posix)" if args.tar_format == "posix"
                else " (mtimes in whole seconds)"),
             ("- times are wall-clock, one run each; \"written\" counts output files with a new inode "
              "after the workflow build (not the restored one)"), "",
             ("| articles | cold build | workflow build | workflow / cold | files written | cache tar (zstd) "
              "| tar -x | same bytes as cold |"),
             "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        packed = f" ({r.zstd_mb:.0f} MB)" if r.zstd_mb is not None else ""
        same = "not checked" if r.same_as_cold is None else "yes" if r.same_as_cold else "**no**"
        lines.append(f"| {r.size:,} | {bench.fmt_seconds(r.cold)} | {bench.fmt_seconds(r.workflow)} | "
                     f"{r.workflow / r.cold:.3f} | {r.written} of {r.files:,} | {r.tar_mb:.0f} MB{packed} | "
                     f"{bench.fmt_seconds(r.extract)} | {same} |")
    goal = [r for r in results if r.size == GOAL_SIZE]
    if goal:
        ratio = goal[0].workflow / goal[0].cold
        lines += ["", (f"Issue 13's goal, workflow ≤ {GOAL_RATIO}× cold at {GOAL_SIZE:,} articles: "
                       f"{ratio:.3f}× — {'met' if ratio <= GOAL_RATIO else '**not met**'}")]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000], metavar="N")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--site-builder", metavar="CMD",
                        help="the command that runs site-builder (default: this checkout, pip-installed)")
    parser.add_argument("--tar-format", choices=("posix", "gnu"), default="posix",
                        help="posix (default): as actions/cache; gnu: mtimes in whole seconds")
    parser.add_argument("--verify", action="store_true",
                        help="also build the edited clone cold and compare the outputs byte for byte")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    measured = bench.checkout()
    with tempfile.TemporaryDirectory(prefix="site-builder-workflow-") as tmp:
        base = args.keep.resolve() if args.keep else Path(tmp)
        command = shlex.split(args.site_builder) if args.site_builder else bench.installed_command(base)
        try:
            results = [bench_size(size, base / str(size), command, args) for size in args.sizes]
        except bench.BuildFailed as exc:
            bench.progress(f"error: {exc}")
            return 1
    print(report(results, command, args, measured), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
