"""Walk a folder tree fast: scandir and strings, since builds walk every file of a site."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from .stamp import signature


def walk_files(folder: str, prefix: str = "",
               skip: Callable[[str, os.DirEntry], bool] = lambda prefix, entry: False,
               folders: dict[str, str | None] | None = None) -> Iterator[tuple[str, os.DirEntry]]:
    """Yield (relative path, DirEntry) for every file under folder, not following links to
    folders; `skip(prefix, entry)` leaves out a file or a whole folder. Each folder's
    signature (stamp.py) goes into `folders`, if given, taken before the folder is listed."""
    stack = [(folder, prefix)]
    while stack:
        current, here = stack.pop()
        if folders is not None:
            folders[here] = signature(current)
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if skip(here, entry):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, here + entry.name + "/"))
            else:
                yield here + entry.name, entry
