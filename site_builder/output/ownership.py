"""Whose a folder is: the mark site-builder leaves in the folders it makes, and the check that
refuses to touch any other folder (issue #12: `--output ~/` moved a home folder aside, and the
next build deleted it).

A build replaces everything in its output folder, and keeps beside it folders of its own
(trees.py: the previous site, the files it is writing, a tree of links). It writes into such a
folder only when the folder is

- absent, or empty (nothing in it but a `.git` clone of the gh-pages branch, and `lost+found`
  at the root of a mounted disk);
- marked: site-builder made it. Every tree it makes holds MARKER, written as one of the
  site's files (output.py), so it is in output/ and in the previous tree alike, survives the
  swap of the two, and comes back if deleted by hand;
- or built by a version before the mark: every file in it is one the build cache records as
  written there (the cache's tree records). Such a tree gets the mark at its next build.

Any other folder is refused, before anything is moved or written, with what it holds and what
to do. A light module: build.py uses it before loading anything else.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Container
from pathlib import Path

from ..core.errors import OutputError

MARKER = ".site-builder-output"
MARKER_TEXT = (b"site-builder made this folder: each build replaces everything in it.\n"
               b"Keep no files of your own here; put them in the site's static/ folder.\n")
_KEPT = (".git",)  # a clone of the gh-pages branch inside output/ (README: Safe output)
_LIMIT = 1000  # entries listed at most to describe a folder that is not ours (a home has millions)


def is_ours(folder: Path) -> bool:
    """True when folder holds site-builder's mark."""
    return os.path.isfile(os.path.join(folder, MARKER)) and not os.path.islink(os.path.join(folder, MARKER))


def mark(folder: Path) -> None:
    """Make folder (if needed) and mark it as site-builder's."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, MARKER), "wb") as stream:
        stream.write(MARKER_TEXT)


def claim(output_dir: Path, trees: list[Path], helpers: list[Path], recorded: Callable[[], Container[str]],
          mount_point: bool = False) -> None:
    """Raise OutputError unless every folder a build would write is absent, empty or
    site-builder's: output/ and the `trees` beside it that hold a site (the previous tree, a
    swap's spare), whose files may be the `recorded()` ones a version before the mark wrote;
    and the `helpers`, the folders of files being written, which hold no site."""
    for folder in [output_dir, *trees]:
        _check(output_dir, folder, recorded, mount_point and folder == output_dir)
    for folder in helpers:
        if not is_leftover(folder):
            _check(output_dir, folder, lambda: (), False)


def _check(output_dir: Path, folder: Path, recorded: Callable[[], Container[str]], mount_point: bool) -> None:
    if not os.path.lexists(folder):
        return
    where = f"--output {output_dir}" if folder == output_dir else \
        f"{folder} (beside --output {output_dir}, where a build keeps its own files)"
    todo = ("a build replaces everything in its output folder: give --output a new or empty folder, or "
            "empty this one yourself" if folder == output_dir else
            "a build replaces what is in it: move or rename it, or give --output another folder")
    if os.path.islink(folder):
        raise OutputError(f"{where} is a link to {os.path.realpath(folder)}, not a folder site-builder "
                          f"made; {todo}")
    if not os.path.isdir(folder):
        raise OutputError(f"{where} is a file, not a folder; {todo}")
    if is_ours(folder):
        return
    kept = _KEPT + (("lost+found",) if mount_point else ())
    foreign, more = _foreign(str(folder), recorded(), kept)
    if foreign:
        count = f"{_LIMIT} or more" if more else str(len(foreign))
        shown = ", ".join(foreign[:3])
        raise OutputError(f"{where} holds {count} {'file' if len(foreign) == 1 else 'files'} not made by "
                          f"site-builder, such as {shown}; {todo}")


def _foreign(folder: str, recorded: Container[str], kept: tuple[str, ...]) -> tuple[list[str], bool]:
    """Return the files and empty folders under folder that the cache does not record (up to
    _LIMIT, sorted as found depth-first), and whether there are more."""
    found: list[str] = []
    stack = [("", folder)]
    while stack:
        prefix, current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name, reverse=True)
        except OSError as exc:
            raise OutputError(f"cannot read {current} ({exc.strerror}): a build writes only into a "
                              "folder it can see is empty or its own") from exc
        if not entries and prefix and not recorded:
            found.append(prefix)  # an empty folder: the user's (a build leaves none)
        for entry in entries:
            if not prefix and entry.name in kept:
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((prefix + entry.name + "/", entry.path))
            elif prefix + entry.name not in recorded:
                found.append(prefix + entry.name)
            if len(found) >= _LIMIT:
                return sorted(found), True
    return sorted(found), False


def is_leftover(folder: Path) -> bool:
    """True when folder is one of files a build was writing: marked, empty, or as a version
    before the mark left it (files named by number)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    return not os.path.islink(folder) and (MARKER in names and is_ours(folder)
                                           or all(name.isdigit() for name in names))


def remove_if_ours(folder: Path) -> None:
    """Remove a folder of files a killed build was writing, if site-builder made it."""
    if os.path.lexists(folder) and is_leftover(folder):
        import shutil  # here: a build with nothing to clean up never needs it

        shutil.rmtree(folder, ignore_errors=True)
