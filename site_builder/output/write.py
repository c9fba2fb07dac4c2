"""Write the built site to output/: prepared beside it, swapped in only when complete.

The writer alone touches output/. It refuses paths that escape it and two sources for one
path, and any output folder that is not empty or site-builder's (ownership.py): every tree it
makes holds a mark, written as one of the site's files. It keeps two trees: output/ and,
beside it, .output.previous/ (the site as it was one build ago). A build brings the previous
tree up to date — only the files that differ, so an edit touches a handful of files, not the
15,000 of a large site — then exchanges the two names in one step (swap.py). output/ is thus
always one whole site, old or new, and an interrupted build leaves it as it was; a build that
fails (a full disk) removes what it wrote. Unchanged files are hard links to the same inode, so
their mtimes stay and a deploy uploads nothing; when nothing changed, nothing is touched.

An output/ where a file system is mounted cannot be swapped: the build writes every changed
file inside it, hidden, first, then renames them all into place (_write_in_place).
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import NamedTuple, TypeGuard, cast

from ..core.errors import OutputError, SiteError, raise_all
from ..core.model import OutputFile, Progress, no_progress
from ..core.walk import walk_files
from . import swap
from .ownership import MARKER, MARKER_TEXT, claim, mark, remove_if_ours
from .records import (
    NO_DIGEST,
    OutputRecord,
    TreeRecord,
    discard_leftovers,
    folders_as_recorded,
    is_intact,
    mirror_dir,
    previous_dir,
    temp_dir,
)
from .rendering import content_digest, rendered, rendered_then

# Kept across builds though no build writes them: a user's clone of the gh-pages branch.
_CARRIED_OVER = (".git",)
# Inside a mounted output/ (which cannot be swapped), where changed files wait to be renamed
# into place.
_STAGING = ".site-builder-staging"
# At the root of a tree, never the site's: listing a tree for stale files skips them.
_NOT_SITE = (*_CARRIED_OVER, _STAGING, "lost+found")


@dataclass(frozen=True)
class OutputState:
    """What the last builds recorded of the two trees, path by path."""

    current: TreeRecord  # output/
    previous: TreeRecord  # .output.previous/


@dataclass(frozen=True)
class WriteReport:
    """What the writer did: files whose bytes are new, files kept as they were, and the
    state of both trees for the next build."""

    written: int
    unchanged: int
    state: OutputState


def write_output(output_dir: Path, files: list[OutputFile], copies: dict[str, Path],
                 state: OutputState, progress: Progress = no_progress) -> WriteReport:
    """Make output_dir hold exactly `files` and `copies` (files copied from disk), and the
    mark that site-builder made it (ownership.py).

    A file whose key is the one recorded for it, and which is on disk as recorded, is not
    rendered again. When output_dir already holds exactly this, it is not touched at all.
    A folder that is not site-builder's is refused before anything is touched.
    """
    raise_all(_refused_paths(files, copies))
    in_place = swap.is_mount_point(output_dir)
    claim_output(output_dir, state, in_place)
    planned = _planned_files(files, copies)
    if in_place:
        return _write_in_place(output_dir, planned, state, progress)
    spare = _spare_recovered(output_dir)
    if _as_recorded(output_dir, planned, state.current):
        return WriteReport(0, len(planned), state)
    mirror = None if output_dir.exists() else _mirror_begun(spare)
    new = _spare_written(spare, output_dir, planned, state, progress, mirror)
    after = _state_swapped(spare, output_dir, new, state.current, mirror)
    return _report(planned, state.current, after)


def _refused_paths(files: list[OutputFile], copies: dict[str, Path]) -> list[SiteError]:
    """Return an error for each path that escapes the output folder or that two sources claim."""
    paths = [f.path for f in files]
    return _path_errors([*paths, *copies]) + _collisions(paths, copies)


def _planned_files(files: list[OutputFile], copies: dict[str, Path]) -> list[OutputFile]:
    """Return every file the new tree holds: the mark, the rendered files, the static copies."""
    return [_MARK, *(f for f in files if f.path != MARKER),
            *(OutputFile(path, copy_key(src), partial(src.read_bytes)) for path, src in copies.items())]


def _spare_recovered(output_dir: Path) -> Path:
    """Return the spare tree, after putting right what an interrupted build left: a swap half
    done, a .git in the wrong tree, temporary and staging folders."""
    spare = previous_dir(output_dir)
    swap.recover(output_dir, spare)
    _carry_over(spare, output_dir)  # a .git a crash left behind
    discard_leftovers(output_dir)
    shutil.rmtree(output_dir / _STAGING, ignore_errors=True)  # left by a build when output/ was mounted
    return spare


def _spare_written(spare: Path, output_dir: Path, planned: list[OutputFile], state: OutputState,
                   progress: Progress, mirror: Path | None) -> TreeRecord:
    """Return the record of the spare tree once it holds the planned files (output/ untouched);
    `mirror`: where a first build makes its copy of links as it goes (_mirror_begun)."""
    try:
        return _update_spare(spare, output_dir, planned, state, progress, mirror)
    except OSError as exc:
        raise _write_error(output_dir, exc) from exc


def _state_swapped(spare: Path, output_dir: Path, new: TreeRecord, current: TreeRecord,
                   mirror: Path | None) -> OutputState:
    """Return the records of both trees once the spare one, recorded as `new`, is output/ and
    the old output/, recorded as `current`, is the spare one (`mirror`: the copy of links a
    first build began, _mirror_begun)."""
    try:
        # Moving a .git between the roots changes their mtimes: a root the records matched
        # before is recorded anew after, one they did not match stays unmatched.
        root_as_recorded = _mtime(output_dir) == current.folders.get("")
        _carry_over(output_dir, spare)
        if output_dir.exists():
            _exchange(spare, output_dir)
            # The old output/ is the spare tree now, its record with it (the same object, so
            # the cache can move it rather than store it again): checked against the disk when
            # the next build uses it, so hand edits there are caught then.
            old = current
            if mirror is not None:  # output/ was made while this build ran: no copy needed
                remove_if_ours(mirror)
        else:  # a first build: the new tree becomes output/, its copy of links the spare one
            if mirror is not None:
                _link_into(os.path.join(spare, MARKER), os.path.join(mirror, MARKER), os.path.join(mirror, MARKER + ".new"))
            spare.rename(output_dir)
            old, root_as_recorded = TreeRecord({}, {}), True
            if mirror is not None:
                mirror.rename(spare)
                old = TreeRecord(new.files, _folder_mtimes(str(spare), new.folders))
            # else output/ was removed while this build ran: the next build makes a spare tree
        new = _with_root(output_dir, new)
        if root_as_recorded and _mtime(spare) != old.folders.get(""):
            old = _with_root(spare, old)
    except OSError as exc:
        remove_if_ours(mirror_dir(spare))  # links only, but folders take room too
        raise _write_error(output_dir, exc) from exc
    return OutputState(new, old)


def _report(planned: list[OutputFile], recorded: TreeRecord, after: OutputState) -> WriteReport:
    """Return what the writer did: the files whose bytes are new, and the others."""
    written = sum(1 for path, record in after.current.files.items() if not _same_file(recorded.files.get(path), record))
    return WriteReport(written, len(planned) - written, after)


def claim_output(output_dir: Path, state: OutputState, mount_point: bool | None = None) -> None:
    """Raise OutputError unless output_dir and the folders a build keeps beside it are absent,
    empty, or site-builder's (ownership.py); trees a version before the mark wrote are
    recognised by the cache's records of them."""
    spare = previous_dir(output_dir)
    claim(output_dir, [spare, swap.spare_of(spare)], [temp_dir(output_dir), mirror_dir(spare)],
          lambda: state.current.files.keys() | state.previous.files.keys(),
          swap.is_mount_point(output_dir) if mount_point is None else mount_point)


# A symbolic link in the spare tree is replaced, never followed (to a file outside it); a
# named pipe is not waited on; the bytes are written as they are (Windows would translate
# newlines)
_OVERWRITE = (os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
              | getattr(os, "O_BINARY", 0))


# Every tree a build makes holds this file (ownership.py): written, recorded and carried over
# from tree to tree as any page is, so it needs no code of its own to survive a swap.
_MARK = OutputFile(MARKER, f"mark:{len(MARKER_TEXT)}", lambda: MARKER_TEXT)


def _as_recorded(output_dir: Path, planned: list[OutputFile], tree: TreeRecord) -> bool:
    """True when output_dir already holds exactly the planned files, as recorded."""
    return len(planned) == len(tree.files) and \
        all(f.key == getattr(tree.files.get(f.path), "key", None) for f in planned) and \
        is_intact(str(output_dir), tree.stats())


def _exchange(spare: Path, output_dir: Path) -> None:
    try:
        swap.exchange(spare, output_dir)
    except OSError as exc:
        if exc.errno in (errno.EBUSY, errno.EXDEV):  # a mount point is_mount_point did not see
            raise OutputError(f"cannot replace {output_dir} with the new site: {exc.strerror}. Is a file "
                              "system mounted there? Build into a folder inside it instead") from exc
        raise


def _write_error(output_dir: Path, exc: OSError, mixed: bool = False) -> OutputError:
    """Return the error for a write that failed (its partial files already removed); `mixed`:
    it failed while renaming the new files into a mounted output/."""
    now = (f"{output_dir.name}/ holds part of the new site until the next build" if mixed else
           f"{output_dir.name}/ still holds the previous site")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "no space left on device" if exc.errno == errno.ENOSPC else "disk quota exceeded"
        return OutputError(f"cannot write {output_dir}: {why} (the build removed what it had written, and "
                           f"{now}: free some space and build again)")
    return OutputError(f"cannot write {output_dir}: {exc}" + (f" ({now})" if mixed else ""))


def _update_spare(spare: Path, output_dir: Path, planned: list[OutputFile], state: OutputState,
                  progress: Progress, mirror: Path | None) -> TreeRecord:
    """Make the spare tree hold the planned files; return its new record. On an error, remove
    what it wrote (the spare tree is then checked by listing at the next build)."""
    made = not spare.exists()
    spare.mkdir(parents=True, exist_ok=True)
    temps = str(temp_dir(output_dir))
    mark(Path(temps))
    wrote: list[str] = []
    try:
        return _fill_spare(spare, output_dir, planned, state, progress, temps, wrote, mirror)
    except Exception:  # a kill (KeyboardInterrupt) leaves it to the next build: discard_leftovers
        shutil.rmtree(temps, ignore_errors=True)
        if mirror is not None:
            remove_if_ours(mirror)
        if made:
            shutil.rmtree(spare, ignore_errors=True)
        else:
            _remove(spare, _touched(spare, wrote, state.previous))
        raise


def _fill_spare(spare: Path, output_dir: Path, planned: list[OutputFile], state: OutputState,
                progress: Progress, temps: str, wrote: list[str], mirror: Path | None) -> TreeRecord:
    on_spare, trusted = _scan(spare, state.previous)
    wanted = {f.path for f in planned}
    stale = [p for p in on_spare if p not in wanted]
    del wanted
    # what rendering keeps of the scan: the paths, not a stat per file (30,000 at 10,000
    # articles with pictures); the stats go once the kept files are known
    in_spare = frozenset(on_spare)
    _remove(spare, stale)
    records, changed = {}, stale
    # plain strings: this runs for every changed file of a 100,000-article site
    spare_root, output_root = str(spare), str(output_dir)
    mirror_root = None if mirror is None else str(mirror)
    folders: set[str] = set()  # made or seen in the spare tree (and a first build's copy): each checked once

    def put(f: OutputFile, data: bytes | None, temp: str) -> FileStat:
        """Put f in the spare tree, in whichever process rendered it: a link to output/'s file
        when that holds its bytes (`data` None: known by its record), else the bytes written;
        return its stat."""
        target, current = os.path.join(spare_root, f.path), os.path.join(output_root, f.path)
        _make_folder(os.path.dirname(target), folders)
        if data is None or _same_bytes(current, data):
            _link_into(current, target, temp, absent=f.path not in in_spare)
            st = os.stat(target)
        else:
            st = _write_into(target, data, temp, absent=f.path not in in_spare)
        if mirror_root is not None:
            _copy_link(spare_root, mirror_root, f.path, folders)
        return FileStat(st.st_size, st.st_mtime_ns)

    def recorded(f: OutputFile, digest: bytes, st: FileStat) -> None:
        records[f.path] = OutputRecord(f.key, st.st_size, st.st_mtime_ns, digest)
        changed.append(f.path)

    to_render = []
    for f in planned:
        kept, record = state.previous.files.get(f.path), state.current.files.get(f.path)
        if _matches(kept, f.key, on_spare.get(f.path)):
            records[f.path] = kept
            if mirror_root is not None:
                _copy_link(spare_root, mirror_root, f.path, folders)
        elif _is_recorded(record, f.key, os.path.join(output_root, f.path)):
            wrote.append(f.path)
            recorded(f, record.digest, put(f, None, f"{temps}/{len(wrote)}"))
        else:
            to_render.append(f)
    # The folders of the files to render again that the spare tree keeps exist: a theme change
    # would otherwise ask the disk for 10,000 of them again
    folders.update(os.path.dirname(os.path.join(spare_root, f.path)) for f in to_render if f.path in in_spare)
    del on_spare
    wrote.extend(f.path for f in to_render)  # any of them may be in the tree when a worker fails

    def placed(index: int, f: OutputFile, data: bytes, digest: bytes) -> tuple[bytes, FileStat]:
        return digest, put(f, data, f"{temps}/r{index}")

    for f, (digest, st) in rendered_then(to_render, placed, progress):
        recorded(f, digest, st)
    shutil.rmtree(temps)
    return TreeRecord(records, _new_folders(spare_root, state.previous.folders if trusted else {}, records, changed))


def _write_in_place(output_dir: Path, planned: list[OutputFile], state: OutputState,
                    progress: Progress) -> WriteReport:
    """Update a mounted output_dir, whose name no rename can exchange: every changed file is
    written first into a hidden folder inside it, and only when all are written are they
    renamed into place (each rename atomic) and the stale files removed. A failed build leaves
    output_dir as it was; a build killed while renaming leaves a mix of the two sites, which
    the next build completes (README: Safe output)."""
    staging = output_dir / _STAGING
    shutil.rmtree(staging, ignore_errors=True)  # a killed build's
    if _as_recorded(output_dir, planned, state.current):
        return WriteReport(0, len(planned), state)
    root, recorded = str(output_dir), state.current.files
    on_disk, trusted = _scan(output_dir, state.current)
    records: dict[str, OutputRecord | None] = {}
    staged: list[tuple[str, str, str, bytes]] = []  # path, key, temp, digest
    try:
        to_render = []
        for f in planned:
            st, record = on_disk.get(f.path), recorded.get(f.path)
            if _matches(record, f.key, st):
                records[f.path] = record
            elif st is not None and _same_content(record, f.key, os.path.join(root, f.path), st):
                records[f.path] = record._replace(mtime_ns=st.st_mtime_ns)
            else:
                to_render.append(f)
        for f, data, digest in rendered(to_render, progress):
            st = on_disk.get(f.path)
            if st is not None and _same_bytes(os.path.join(root, f.path), data):
                records[f.path] = OutputRecord(f.key, st.st_size, st.st_mtime_ns, digest)
                continue
            if not staged:
                mark(staging)
            staged.append((f.path, f.key, f"{staging}/{len(staged)}", digest))
            records[f.path] = None
            with open(staged[-1][2], "wb") as stream:
                stream.write(data)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_error(output_dir, exc) from exc
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    stale = [p for p in on_disk if p not in records]
    try:
        for path, _, temp, _ in staged:  # all written: now only renames, a burst of them
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            os.replace(temp, os.path.join(root, path))
        _remove(output_dir, stale)
        shutil.rmtree(staging, ignore_errors=True)
        for path, key, _, digest in staged:
            st_now = os.stat(os.path.join(root, path))
            records[path] = OutputRecord(key, st_now.st_size, st_now.st_mtime_ns, digest)
        changed = [p for p, _, _, _ in staged] + stale
        done_records = cast(dict[str, OutputRecord], records)  # its Nones (staged files) are replaced
        folders = _new_folders(root, state.current.folders if trusted else {}, done_records, changed)
    except OSError as exc:  # the records are not saved: the next build checks every file
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_error(output_dir, exc, mixed=True) from exc
    new = _with_root(output_dir, TreeRecord(done_records, folders))  # the staging folder came and went
    written = len(staged)
    return WriteReport(written, len(planned) - written, OutputState(new, state.previous))


def _new_folders(root: str, before: dict[str, int], files: dict[str, OutputRecord], changed: list[str]) -> dict[str, int]:
    """Return the mtime of every folder of the tree now holding `files`: stat anew where a
    file was written or removed (and in the folders above, which may have gained or lost a
    folder), kept from `before` (checked against the disk by _scan) elsewhere."""
    touched, folders = _folders_of(changed), _folders_of(files)
    fresh = _folder_mtimes(root, touched & folders | (folders - before.keys()))
    return {folder: fresh[folder] if folder in fresh else before[folder] for folder in folders}


def _folders_of(paths: Iterable[str]) -> set[str]:
    """Return every folder the paths are in, up to the root (""): "a/b/c" → a/b, a, ""."""
    folders: set[str] = set()
    for parent in {path.rpartition("/")[0] for path in paths}:
        while parent not in folders:
            folders.add(parent)
            if not parent:
                break
            parent = parent.rpartition("/")[0]
    return folders


def _folder_mtimes(root: str, folders: Iterable[str]) -> dict[str, int]:
    return {folder: os.stat(f"{root}/{folder}").st_mtime_ns for folder in folders}


def _mtime(path: Path) -> int | None:
    st = _stat(str(path))
    return st.st_mtime_ns if st else None


def _with_root(root: Path, tree: TreeRecord) -> TreeRecord:
    return TreeRecord(tree.files, {**tree.folders, "": root.stat().st_mtime_ns})


def _mirror_begun(tree: Path) -> Path:
    """Return the folder where a first build makes a copy of its tree out of hard links (no
    disk space, same mtimes), marked as site-builder's: the copy becomes the spare tree, so the
    first edit after a first build finds it ready instead of making one. Each file is linked
    into it as it is put into the tree (_copy_link), while pages render: made at the end, when
    nothing else was left to do, it was 1.6–3 s of a cold build at 10,000 articles, most of it
    making 15,000 folders (on a large ext4 file system a new folder can take half a
    millisecond of the kernel's time)."""
    mirror = mirror_dir(tree)
    remove_if_ours(mirror)
    mark(mirror)
    return mirror


def _copy_link(tree: str, mirror: str, path: str, folders: set[str]) -> None:
    """Link a file of a first build's tree into its copy (_mirror_begun), but the mark, which
    the copy has had from the start: the tree's replaces it once the tree is whole."""
    if path != MARKER:
        link = os.path.join(mirror, path)
        _make_folder(os.path.dirname(link), folders)
        _link_or_copy(os.path.join(tree, path), link)


def _link_or_copy(existing: str, target: str) -> None:
    try:
        os.link(existing, target)
    except OSError:  # a file system without hard links: copy, keeping the mtime
        shutil.copy2(existing, target)


class FileStat(NamedTuple):
    """What a scan keeps of a file's stat: a quarter of an os.stat_result's memory, and a build
    holds one for each of its output files (30,000 at 10,000 articles with pictures)."""

    st_size: int
    st_mtime_ns: int


def _stat(path: str, follow: bool = True) -> FileStat | None:
    try:
        st = os.stat(path, follow_symlinks=follow)
    except OSError:
        return None
    return FileStat(st.st_size, st.st_mtime_ns)


def _scan(root: Path, tree: TreeRecord) -> tuple[dict[str, FileStat], bool]:
    """Return every file under root with its stat, by relative path, and whether the folders
    were as recorded: then no file was added or removed, and a stat of each recorded file
    does; otherwise every folder is listed."""
    base = str(root) + "/"
    if not folders_as_recorded(base, tree.folders.items()):
        return _files_under(root), False
    found = {path: _stat(base + path, follow=False) for path in tree.files}
    return {path: st for path, st in found.items() if st is not None}, True


def _matches(record: OutputRecord | None, key: str, st: FileStat | None) -> TypeGuard[OutputRecord]:
    """True when a file was recorded with this key and is on disk as recorded."""
    return (record is not None and st is not None and record.key == key
            and record.size == st.st_size and record.mtime_ns == st.st_mtime_ns)


def _is_recorded(record: OutputRecord | None, key: str, path: str) -> TypeGuard[OutputRecord]:
    """True when the file at path was recorded with this key and is as recorded: by its stat,
    or else by its bytes."""
    st = _stat(path)
    return _matches(record, key, st) or (st is not None and _same_content(record, key, path, st))


def _same_content(record: OutputRecord | None, key: str, path: str, st: FileStat) -> TypeGuard[OutputRecord]:
    """True when a file recorded with this key, whose stat is not as recorded, still holds the
    recorded bytes: output/ restored by tar (the Pages workflow's cache), every file with a new
    inode and an mtime maybe cut to whole seconds. Read only when the size is right."""
    if record is None or record.key != key or record.size != st.st_size or record.digest == NO_DIGEST:
        return False
    try:
        with open(path, "rb") as stream:
            return content_digest(stream.read()) == record.digest
    except OSError:
        return False


def _same_file(before: OutputRecord | None, after: OutputRecord) -> bool:
    """True when two records are of the same bytes from the same data (the mtime aside: a
    file trusted by its bytes is not one written)."""
    return before is not None and before[:2] == after[:2] and before.digest == after.digest


def _make_folder(folder: str, made: set[str]) -> None:
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def _link_into(existing: str, target: str, temp: str, absent: bool = False) -> None:
    """Make target another name of existing's inode (same bytes, same mtime), by way of temp;
    `absent`: target is not there, so it is linked at once (a spare tree made anew, as for
    a restored output/, links every file: a third of the time of that build)."""
    if absent:
        try:
            os.link(existing, target)
            return
        except OSError:
            pass  # there after all, or no hard links here: the way that copes with both
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.exists(target) and os.path.samefile(existing, target):
        return  # rename() of one inode onto itself would do nothing and leave temp behind
    _link_or_copy(existing, temp)
    os.replace(temp, target)


def _write_into(target: str, data: bytes, temp: str, absent: bool = False) -> os.stat_result:
    """Put data at target, in a folder that exists; return its stat. The spare tree is no
    one's site until the swap, and a file there cut short by a kill is one the next build's
    listing of it finds unrecorded, so target is written in its place: over it when it is its
    inode's only name, else (a hard link to output/'s file, a symbolic link, a pipe) as a new
    file once that name is removed. `absent`: target is not there.
    A theme change after an edit makes 15,000 pages anew: made in the one temporary folder and
    moved into place, they took 2.6–7.8 s of this VM's ext4 kernel time; in place, 1.5–3.3 s."""
    if not absent:
        st = _overwritten(target, data)
        if st is not None:
            return st
        try:
            os.unlink(target)
        except OSError:
            pass  # not there, or a folder: the way by temp says which
    try:
        return _written(target, data, "xb")
    except FileExistsError:
        pass  # there after all: by way of temp
    st = _written(temp, data, "wb")
    os.replace(temp, target)  # the rename keeps the inode: st is what a stat of target would say
    return st


def _overwritten(path: str, data: bytes) -> os.stat_result | None:
    """Write data over the regular file at path if no other name links to it; return its
    stat, or None (nothing written). Making a file costs this VM's ext4 0.1–0.5 ms of kernel
    time, writing over one 15 µs: a theme change after a theme change rewrites 15,000."""
    try:
        fd = os.open(path, _OVERWRITE)
    except OSError:
        return None  # not there, a link, or not writable: the new inode's way says which
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode) or before.st_nlink != 1:
            return None
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(data))
        return os.fstat(fd)
    finally:
        os.close(fd)


def _written(path: str, data: bytes, mode: str) -> os.stat_result:
    with open(path, mode) as stream:
        stream.write(data)
        stream.flush()
        return os.fstat(stream.fileno())


def _touched(root: Path, paths: list[str], tree: TreeRecord) -> list[str]:
    """Return the paths whose file under root is not as the tree's record says: those a failed
    build wrote or linked there (a worker's, or one cut short), and those with no file, whose
    folder it may have made; not the thousands it would have written."""
    base = str(root) + "/"
    return [path for path in paths if (st := _stat(base + path, follow=False)) is None
            or (record := tree.files.get(path)) is None or (record.size, record.mtime_ns) != st]


def _remove(root: Path, paths: list[str]) -> None:
    """Delete files under root, then the folders they leave empty."""
    folders: set[PurePosixPath] = set()
    for path in paths:
        (root / path).unlink(missing_ok=True)
        folders.update(PurePosixPath(path).parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.parts:
            try:
                (root / folder).rmdir()
            except OSError:
                pass  # not empty


def copy_key(src: Path) -> str:
    """Return what identifies a static file to copy: where it is, its size and mtime."""
    st = src.stat()
    return f"copy:{src}:{st.st_size}:{st.st_mtime_ns}"


def _files_under(folder: Path) -> dict[str, FileStat]:
    """Return every file under folder (not in a top-level .git) with its stat, by relative path."""
    carried = lambda prefix, entry: prefix == "" and entry.name in _NOT_SITE
    found = {rel: _stat(entry.path, follow=False) for rel, entry in walk_files(str(folder), "", carried)}
    return {rel: st for rel, st in found.items() if st is not None}


def _path_errors(paths: list[str]) -> list[SiteError]:
    bad = [p for p in paths if not p or p.startswith("/") or "\\" in p or ".." in p.split("/")]
    return [OutputError(f"refusing to write {p!r}: it is not a path inside the output folder") for p in bad]


def _collisions(files: list[str], copies: dict[str, Path]) -> list[SiteError]:
    return [OutputError(f"static/{path} would overwrite the page the build writes at {path}: "
                        "rename or move the static file")
            for path in sorted(set(files) & set(copies))]


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def _carry_over(old: Path, new: Path) -> None:
    """Move what no build writes (a .git clone) from one tree to the other."""
    for name in _CARRIED_OVER:
        if (old / name).exists() and new.is_dir() and not (new / name).exists():
            (old / name).rename(new / name)


def write_json(path: Path, data: object) -> None:
    """Write a JSON record atomically (a temp file renamed over the old one), one key a line
    and sorted, so a record kept in a repository diffs well."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temp, path)
