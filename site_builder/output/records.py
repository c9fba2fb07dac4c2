"""What a build left in an output tree, whether the disk still holds exactly that, and the
folders beside output/: the previous tree, and what a killed build leaves.

A light module (no import beyond the standard library's smallest parts): a rebuild with
nothing to do checks output/ with it before loading anything else (stamp.py).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from .ownership import remove_if_ours

DIGEST_SIZE = 16
NO_DIGEST = bytes(DIGEST_SIZE)  # matches no file's digest


class OutputRecord(NamedTuple):  # a tuple: a large site has 20,000 of them per tree
    """What the last build wrote at one output path."""

    key: str
    size: int
    mtime_ns: int
    # Of the bytes, taken as they were written: a tree restored by tar (the Pages workflow's
    # cache) has new mtimes, maybe in whole seconds, yet the same bytes, and is trusted by them.
    digest: bytes = NO_DIGEST


class TreeRecord(NamedTuple):
    """What the last build left in one output tree: a record per file, and the mtime of each
    folder. Adding, removing or renaming a file changes its folder's mtime, so a tree whose
    folders and files all stat as recorded holds exactly the recorded files: no need to list
    its 15,000 folders (listing costs three times as much as a stat)."""

    files: dict[str, OutputRecord]
    folders: dict[str, int]  # "" is the tree's root

    def stats(self) -> TreeStats:
        return TreeStats(list(self.files), [r.size for r in self.files.values()],
                         [r.mtime_ns for r in self.files.values()], list(self.folders), list(self.folders.values()))


class TreeStats(NamedTuple):
    """A tree's record as its check by stat reads it: paths, sizes and mtimes side by side,
    loaded from the cache without making 20,000 records."""

    paths: list[str]
    sizes: Sequence[int]
    mtimes: Sequence[int]
    folders: list[str]
    folder_mtimes: Sequence[int]


def is_intact(tree_dir: str, tree: TreeStats) -> bool:
    """True when tree_dir holds exactly the recorded files, each as recorded."""
    base = tree_dir + "/"
    if not tree.paths or not folders_as_recorded(base, zip(tree.folders, tree.folder_mtimes)):
        return False
    lstat = os.lstat
    try:  # a tight loop: it is most of a rebuild with nothing to do (22,000 files at 10,000 articles)
        for path, size, mtime_ns in zip(tree.paths, tree.sizes, tree.mtimes):
            st = lstat(base + path)
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return False
    except OSError:
        return False
    return True


def folders_as_recorded(base: str, folders: Iterable[tuple[str, int]]) -> bool:
    """True when every recorded folder (name, mtime) under base has its recorded mtime: then
    no file was added to or removed from the tree."""
    stat, seen = os.stat, False
    try:
        for folder, mtime in folders:
            if stat(base + folder).st_mtime_ns != mtime:
                return False
            seen = True
    except OSError:
        return False
    return seen


def previous_dir(output_dir: Path) -> Path:
    """Return the folder that holds the site as it was one build ago."""
    return output_dir.parent / f".{output_dir.name}.previous"


def discard_leftovers(output_dir: Path) -> None:
    """Remove what a build killed half-way leaves beside output_dir: files it was writing,
    a tree of links it was making. (Neither is ever inside a tree, where only a listing of
    15,000 folders would find it.)"""
    for leftover in (temp_dir(output_dir), mirror_dir(previous_dir(output_dir))):
        remove_if_ours(leftover)  # a folder of that name site-builder did not make is the user's


def temp_dir(output_dir: Path) -> Path:
    """Where files are written before they are renamed into a tree: beside the trees, on their
    file system."""
    return output_dir.with_name(f".{output_dir.name}.sb-new")


def mirror_dir(tree: Path) -> Path:
    return tree.with_name(tree.name + ".mirror")
