"""Walk a folder tree fast: scandir and strings, since builds walk every file of a site."""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator


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


def file_kind(mode: int) -> str:
    """Return what kind of file a stat's mode says it is, as a user would name it."""
    for test, kind in ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return kind
    return "not a file"


def special_files(folder: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Yield (relative path, kind) for each entry under folder that is neither a file nor a
    folder, nor a link to one: a named pipe, a socket, a device. Opening one can block a build
    forever (issue #12), so they are found without opening anything. Broken links are left out."""
    for rel, entry in walk_files(folder, prefix):
        if entry.is_file():  # the common case, answered from the folder listing alone
            continue
        try:
            mode = entry.stat().st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            yield rel, file_kind(mode)


def signature_of(st: os.stat_result) -> str:
    """Return what changes whenever a file's bytes (or a folder's entries) do."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def signature(path: str) -> str | None:
    try:
        return signature_of(os.stat(path))
    except OSError:
        return None
