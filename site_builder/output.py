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
from functools import partial
from pathlib import Path, PurePosixPath

from .cache import OutputRecord
from .errors import OutputError, SiteError, raise_all
from .model import OutputFile

# Kept across builds though no build writes them: a user's clone of the gh-pages branch.
_CARRIED_OVER = (".git",)


@dataclass(frozen=True)
class WriteReport:
    """What the writer did: files rendered and written anew, files kept as they were, and
    the record of every output file for the next build."""

    written: int
    unchanged: int
    records: dict[str, OutputRecord]


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


def write_output(output_dir: Path, files: list[OutputFile], copies: dict[str, Path],
                 previous: dict[str, OutputRecord]) -> WriteReport:
    """Make output_dir hold exactly `files` and `copies` (files copied from disk).

    A file whose key is the one the previous build recorded, and which is still on disk as
    that build left it, is kept without rendering. When every file is kept and nothing is
    extra, output_dir is not touched at all.
    """
    paths = [f.path for f in files]
    raise_all(_path_errors([*paths, *copies]) + _collisions(paths, copies))
    _recover(output_dir)
    planned = files + [OutputFile(path, _copy_key(src), partial(src.read_bytes)) for path, src in copies.items()]
    on_disk = _files_under(output_dir)
    kept = {f.path for f in planned if _unchanged(f, previous.get(f.path), on_disk.get(f.path))}
    if len(kept) == len(planned) and set(on_disk) == kept:
        return WriteReport(0, len(kept), {p: previous[p] for p in kept})
    staging = _sibling(output_dir, "new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        records = {f.path: _stage(staging, output_dir, f, f.path in kept) for f in planned}
        _swap(staging, output_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write {output_dir}: {exc}") from exc
    written = sum(1 for f in planned if records[f.path].mtime_ns != getattr(on_disk.get(f.path), "st_mtime_ns", None))
    return WriteReport(written, len(planned) - written, records)


def _copy_key(src: Path) -> str:
    st = src.stat()
    return f"copy:{src}:{st.st_size}:{st.st_mtime_ns}"


def _files_under(folder: Path) -> dict[str, os.stat_result]:
    """Return every file under folder (not in .git) with its stat, by relative path."""
    found: dict[str, os.stat_result] = {}
    stack = [(folder, "")]
    while stack:
        current, prefix = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not (prefix == "" and entry.name in _CARRIED_OVER):
                    stack.append((Path(entry.path), prefix + entry.name + "/"))
            else:
                found[prefix + entry.name] = entry.stat(follow_symlinks=False)
    return found


def _unchanged(file: OutputFile, record: OutputRecord | None, st: os.stat_result | None) -> bool:
    """True when the previous build wrote this key here and the file is as it left it."""
    return (record is not None and st is not None and record.key == file.key
            and record.size == st.st_size and record.mtime_ns == st.st_mtime_ns)


def _stage(staging: Path, previous: Path, file: OutputFile, kept: bool) -> OutputRecord:
    """Put one file into the staging tree: a hard link to the previous one when it is kept or
    its new bytes are the same (its mtime stays, so deploys upload nothing), else new bytes."""
    target, before = staging / file.path, previous / file.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if not (kept and _link(before, target)):
        data = file.render()
        if not (_same_bytes(before, data) and _link(before, target)):
            target.write_bytes(data)
    st = target.stat()
    return OutputRecord(file.key, st.st_size, st.st_mtime_ns)


def _path_errors(paths: list[str]) -> list[SiteError]:
    bad = [p for p in paths if PurePosixPath(p).is_absolute() or ".." in PurePosixPath(p).parts or not p]
    return [OutputError(f"refusing to write {p!r}: it is not a path inside the output folder") for p in bad]


def _collisions(files: list[str], copies: dict[str, Path]) -> list[SiteError]:
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
