"""What a build left in an output tree, and whether the disk still holds exactly that.

A light module (no import beyond the standard library's smallest parts): a rebuild with
nothing to do checks output/ with it before loading anything else (stamp.py).
"""
from __future__ import annotations

import os
from typing import NamedTuple


class OutputRecord(NamedTuple):  # a tuple: a large site has 20,000 of them per tree
    """What the last build wrote at one output path."""

    key: str
    size: int
    mtime_ns: int


class TreeRecord(NamedTuple):
    """What the last build left in one output tree: a record per file, and the mtime of each
    folder. Adding, removing or renaming a file changes its folder's mtime, so a tree whose
    folders and files all stat as recorded holds exactly the recorded files: no need to list
    its 15,000 folders (listing costs three times as much as a stat)."""

    files: dict[str, OutputRecord]  # or plain (key, size, mtime_ns) tuples, as stored
    folders: dict[str, int]  # "" is the tree's root


def is_intact(tree_dir: str, tree: TreeRecord) -> bool:
    """True when tree_dir holds exactly the recorded files, each as recorded."""
    base = tree_dir + "/"
    if not tree.files or not folders_as_recorded(base, tree.folders):
        return False
    lstat = os.lstat
    try:  # a tight loop: it is most of a rebuild with nothing to do (22,000 files at 10,000 articles)
        for path, (_, size, mtime_ns) in tree.files.items():
            st = lstat(base + path)
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return False
    except OSError:
        return False
    return True


def folders_as_recorded(base: str, folders: dict[str, int]) -> bool:
    """True when every recorded folder under base has its recorded mtime: then no file was
    added to or removed from the tree."""
    stat = os.stat
    try:
        return bool(folders) and all(stat(base + folder).st_mtime_ns == mtime for folder, mtime in folders.items())
    except OSError:
        return False
