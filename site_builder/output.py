"""Write the built site to output/: staged beside it, swapped in only when complete.

The writer alone touches output/. It refuses paths that escape it and two sources for one
path, keeps the files whose bytes did not change (hard links, so their mtimes stay and a
deploy uploads nothing new), drops what the build no longer produces, and swaps the new tree
in with renames, so an interrupted build leaves the previous site in place.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import OutputError, SiteError, raise_all

# Kept across builds though no build writes them: a user's clone of the gh-pages branch.
_CARRIED_OVER = (".git",)


@dataclass(frozen=True)
class WriteReport:
    """How many output files the build wrote anew and how many it kept as they were."""

    written: int
    unchanged: int


def check_output_dir(output_dir: Path, site_dir: Path, protected: list[Path]) -> None:
    """Refuse an output folder whose replacement would delete the site or its sources."""
    out, site = output_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents:
        raise OutputError(f"--output {output_dir} would replace the site folder itself: "
                          "choose a folder inside it, such as output/")
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder in out.parents:
            raise OutputError(f"--output {output_dir} is inside {folder.name}/, which holds your "
                              "sources: choose another folder, such as output/")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--output {output_dir} is a file, not a folder")


def write_output(output_dir: Path, files: dict[str, bytes], copies: dict[str, Path]) -> WriteReport:
    """Make output_dir hold exactly `files` (bytes) and `copies` (files copied from disk)."""
    raise_all(_path_errors([*files, *copies]) + _collisions(files, copies))
    _recover(output_dir)
    staging = _sibling(output_dir, "new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        written = sum(_stage_bytes(staging, output_dir, path, data) for path, data in files.items())
        written += sum(_stage_copy(staging, output_dir, path, src) for path, src in copies.items())
        _swap(staging, output_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write {output_dir}: {exc}") from exc
    return WriteReport(written, len(files) + len(copies) - written)


def _path_errors(paths: list[str]) -> list[SiteError]:
    bad = [p for p in paths if PurePosixPath(p).is_absolute() or ".." in PurePosixPath(p).parts or not p]
    return [OutputError(f"refusing to write {p!r}: it is not a path inside the output folder") for p in bad]


def _collisions(files: dict[str, bytes], copies: dict[str, Path]) -> list[SiteError]:
    return [OutputError(f"static/{path} would overwrite the page the build writes at {path}: "
                        "rename or move the static file")
            for path in sorted(set(files) & set(copies))]


def _sibling(output_dir: Path, kind: str) -> Path:
    return output_dir.parent / f".{output_dir.name}.{kind}"


def _recover(output_dir: Path) -> None:
    """Put back the previous site if a build stopped between its two renames."""
    old = _sibling(output_dir, "old")
    if old.is_dir() and not output_dir.exists():
        old.rename(output_dir)
    elif old.is_dir():
        _carry_over(old, output_dir)
        shutil.rmtree(old, ignore_errors=True)


def _stage_bytes(staging: Path, previous: Path, path: str, data: bytes) -> bool:
    """Stage one generated file; return True if its bytes are new."""
    target, before = staging / path, previous / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if _same_bytes(before, data) and _link(before, target):
        return False
    target.write_bytes(data)
    return True


def _stage_copy(staging: Path, previous: Path, path: str, src: Path) -> bool:
    """Stage one static file; return True if its bytes are new."""
    target, before = staging / path, previous / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if before.is_file() and before.stat().st_size == src.stat().st_size \
            and _same_bytes(before, src.read_bytes()) and _link(before, target):
        return False
    shutil.copyfile(src, target)
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _link(existing: Path, target: Path) -> bool:
    try:
        os.link(existing, target)
        return True
    except OSError:  # a file system without hard links: write the bytes instead
        return False


def _carry_over(old: Path, new: Path) -> None:
    for name in _CARRIED_OVER:
        if (old / name).exists() and not (new / name).exists():
            (old / name).rename(new / name)


def _swap(staging: Path, output_dir: Path) -> None:
    old = _sibling(output_dir, "old")
    if output_dir.exists():
        output_dir.rename(old)
    staging.rename(output_dir)
    if old.exists():
        _carry_over(old, output_dir)
        shutil.rmtree(old)


def write_json(path: Path, data: object) -> None:
    """Write a JSON record atomically (a temp file renamed over the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)
