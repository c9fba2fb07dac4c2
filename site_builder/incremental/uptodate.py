"""A build's stamp: everything it read, by stat, and what it made of it.

A build records the signature (size, mtime, ctime, inode) of every file and folder it read —
site.toml, the templates, static/, every content file and folder, the tool's own code and the
libraries it renders with — taken before it read them, so an edit made during a build is seen
by the next one. A later build that finds all of them as recorded, with the same command-line
options, no held-back article due, and output/ as written (trees.py), has nothing to do: it
says so without parsing site.toml or loading anything else (build.py). This module and those
it imports are light on purpose: at 10,000 articles, that rebuild is mostly Python starting
and the stat of 50,000 paths.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import NamedTuple

from ..core.names import PACKAGE_DIR
from ..core.walk import signature, signature_of

# The libraries whose code shapes the output: an upgrade replaces their folders.
_LIBRARIES = ("markdown", "yaml", "slugify", "jinja2", "feedgen", "lxml", "babel")


class Stamp(NamedTuple):
    """What a build read and what it made: a rebuild that finds the same has nothing to do."""

    inputs: dict[str, str | None]  # path (site-relative, or absolute) → signature; None: absent
    options: tuple  # what the command line changes: base URL, drafts, future
    due: float | None  # when an article held back for its date is due (POSIX time)
    counts: dict[str, int]  # articles, tags, pages, feeds
    files: int  # in output/
    size: int  # bytes in output/
    base_url: str
    held: tuple = ()  # (content file, POSIX time) of each article held back for its date, soonest first


def signatures(site_dir: str, paths: Iterable[str]) -> dict[str, str | None]:
    """Return the signature of each path (relative to site_dir, or absolute) and, for a
    folder, of everything under it; each folder's is taken before it is listed."""
    found: dict[str, str | None] = {}
    stack = list(paths)
    while stack:
        path = stack.pop()
        full = os.path.join(site_dir, path)
        found[path] = signature(full)
        if found[path] is not None and os.path.isdir(full):
            try:
                stack += [os.path.join(path, name) for name in os.listdir(full)]
            except OSError:
                found[path] = None
    return found


def tool_signatures() -> dict[str, str | None]:
    """Return the signatures of the tool's own code and of the libraries' folders: a new
    version of either may render the same site differently."""
    from importlib.util import find_spec  # here: only a build with something to do records them

    paths = [PACKAGE_DIR]
    for folder, _, names in os.walk(PACKAGE_DIR):
        paths += [folder, *(os.path.join(folder, name) for name in names if name.endswith(".py"))]
    for name in _LIBRARIES:
        spec = sys.modules[name].__spec__ if name in sys.modules else find_spec(name)
        paths += list(spec.submodule_search_locations or []) if spec else []
    return {path: signature(path) for path in paths}


def options_of(base_url: str | None, drafts: bool, future: bool) -> tuple:
    """Return what of a build's command line and installation its stamp holds: another
    installation of site-builder (a pipx one beside a venv's) is other code, whose files'
    signatures the stamp does not hold."""
    return base_url, drafts, future, PACKAGE_DIR


def is_due(due: float | None, now: float | None) -> bool:
    """True when an article held back until `due` is due at `now` (None: a build of the future too)."""
    return due is not None and now is not None and now >= due


def holds(recorded: Stamp, site_dir: str, options: tuple, now: float | None) -> bool:
    """True when the recorded stamp still holds for the inputs: same options, no article due,
    every file and folder as it was. (Whether output/ is as written is trees.is_intact's.)"""
    if recorded.options != options or is_due(recorded.due, now):
        return False
    base, stat = site_dir + os.sep, os.stat
    for path, recorded_signature in recorded.inputs.items():  # a tight loop: 10,000 files at 10,000 articles
        try:
            if signature_of(stat(path if os.path.isabs(path) else base + path)) != recorded_signature:
                return False
        except OSError:
            if recorded_signature is not None:
                return False
    return True
