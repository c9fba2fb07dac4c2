"""Exchange two folders' names in one step, so output/ is always one whole site.

Linux has renameat2(RENAME_EXCHANGE) and macOS renamex_np(RENAME_SWAP): the kernel swaps
the two names atomically. Elsewhere, three renames do it, and `recover()` repairs the one
moment at which a crash could leave output/ missing.

A folder where a file system is mounted (a Docker volume, a bind mount) has a name no rename
can take from it (EBUSY): `is_mount_point()` tells the writer to write inside it instead.
"""
from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    import ctypes  # here: a build with nothing to write never swaps

    try:
        # The symbols the process has loaded, the C library's among them (dlopen(NULL), Linux
        # and macOS alike): ctypes.util.find_library would run ldconfig, 8 ms of every build
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def exchange(a: Path, b: Path) -> None:
    """Swap the names of two existing folders, atomically where the system allows."""
    if _native_exchange(a, b):
        return
    spare = spare_of(a)
    os.rename(a, spare)
    os.rename(b, a)
    os.rename(spare, b)


def recover(a: Path, b: Path) -> None:
    """Finish a three-rename exchange that a crash interrupted."""
    spare = spare_of(a)
    if spare.is_dir():
        if not a.exists():
            os.rename(spare, a)  # the crash came before b was renamed: undo the first step
        elif not b.exists():
            os.rename(spare, b)  # the crash came after: finish the last step


def spare_of(a: Path) -> Path:
    """Return the name a three-rename exchange gives `a` for a moment."""
    return a.with_name(a.name + ".swap")


def is_mount_point(folder: Path) -> bool:
    """True when a file system is mounted at folder: its own device (os.path.ismount), or a
    bind mount of a folder of the same device, which only the kernel's table shows (Linux)."""
    if os.path.islink(folder) or not os.path.isdir(folder):
        return False
    if os.path.ismount(folder):
        return True
    try:
        with open("/proc/self/mountinfo", "rb") as stream:
            table = stream.read()
    except OSError:
        return False
    # Field 5 of each line is the mount point, with space, tab, newline and backslash as \ooo.
    points = {re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), line.split()[4])
              for line in table.splitlines() if len(line.split()) > 4}
    return os.fsencode(os.path.realpath(folder)) in points


def _native_exchange(a: Path, b: Path) -> bool:
    libc = _libc()
    if libc is None:
        return False
    old, new = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(_AT_FDCWD, old, _AT_FDCWD, new, _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(old, new, _RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    import ctypes

    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: a file system without it
        return False
    raise OSError(errno, os.strerror(errno), str(a))
