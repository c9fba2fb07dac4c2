"""One build of a site at a time: a second build waits for the first, and says so."""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

if sys.platform != "win32":
    import fcntl

log = logging.getLogger(__name__)


@contextmanager
def site_lock(folder: Path) -> Iterator[None]:
    """Hold the site's build lock (an advisory lock on folder/build.lock) while inside."""
    if sys.platform == "win32":  # pragma: no cover - no advisory locks: builds are not guarded
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        # A POSIX record lock (lockf), not flock: forked parser workers do not inherit it, so
        # a build killed while its workers still run does not leave the site locked.
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            log.warning("another build of this site is running: waiting for it to finish")
            fcntl.lockf(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock; the system releases it too if the process dies
