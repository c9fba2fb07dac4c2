"""The output folder is the tool's alone (issue #12, findings 1 and 8, and the full disk).

A build writes only into an output folder that is absent, empty, or one site-builder made;
any other folder is refused before anything is touched, and the user's files stay byte for
byte where they were. A mounted output/ builds, and a build that fills the disk removes what
it wrote. Through the real command line wherever it is something a user does.
"""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import article, make_site, output_files, run_cli

from site_builder.build.run import build
from site_builder.core.errors import OutputError
from site_builder.incremental.cache import BuildCache
from site_builder.output import write as output
from site_builder.output.ownership import MARKER, MARKER_TEXT
from site_builder.output.records import TreeRecord, previous_dir, temp_dir
from site_builder.output.write import swap


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {
        "content/first-story.md": article("First Story", "2024-01-05", "First body.", tags="[Iran]"),
        "content/second-story.md": article("Second Story", "2024-02-10", "Second body.", tags="[IAEA]"),
    })


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, bytes | str]:
    """Every file (its bytes), folder and link under root, by relative path."""
    found: dict[str, bytes | str] = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder) / name
            if any(path == s or s in path.parents for s in skip):
                continue
            rel = path.relative_to(root).as_posix()
            found[rel] = (f"link:{os.readlink(path)}" if path.is_symlink() else
                          "folder" if path.is_dir() else path.read_bytes())
    return found


def reference(tmp_path: Path, site: Path) -> dict[str, bytes]:
    """What a cold build of the site makes, in a fresh folder."""
    fresh = tmp_path / "reference" / str(len(list(tmp_path.glob("reference/*"))))
    return output_files(build(site, fresh).output_dir)


# --- folders that are not site-builder's: refused, nothing touched -------------------------------

def _home_like(root: Path) -> Path:
    (root / "Documents").mkdir(parents=True)
    (root / "Documents/thesis.txt").write_text("Four years of work.\n")
    (root / ".bashrc").write_text("export PATH=$HOME/bin:$PATH\n")
    return root


def _docs(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs/guide.md").write_text("# How we work\n")
    return root / "docs"


def _repository(root: Path) -> Path:
    (root / "repo/.git/refs").mkdir(parents=True)
    (root / "repo/.git/HEAD").write_text("ref: refs/heads/main\n")
    (root / "repo/README.md").write_text("# A project\n")
    return root / "repo"


# case → (make the folder under tmp_path: returns --output; what the message says)
FOREIGN = {
    "a home-like folder": (lambda tmp: _home_like(tmp / "someone"),
                           "holds 2 files not made by site-builder, such as .bashrc, Documents/thesis.txt"),
    "docs/ with a guide": (_docs, "holds 1 file not made by site-builder, such as guide.md"),
    "a repository": (_repository, "holds 1 file not made by site-builder, such as README.md"),
    "a repository's .git": (lambda tmp: _repository(tmp) / ".git", "would write into a .git folder"),
}


@pytest.mark.parametrize("case", FOREIGN)
def test_a_folder_holding_the_users_files_is_refused_and_left_as_it_was(tmp_path, site, case):
    make, says = FOREIGN[case]
    out = make(tmp_path)
    before = snapshot(tmp_path, skip=(site / ".site-builder-cache",))
    result = run_cli("build", "--site", str(site), "--output", str(out))
    assert result.returncode == 1, result.stdout
    assert f"--output {out}" in result.stderr and says in result.stderr
    assert "give --output a new or empty folder, or empty this one yourself" in result.stderr or \
        "choose another folder" in result.stderr
    assert snapshot(tmp_path, skip=(site / ".site-builder-cache",)) == before  # no move, no .previous


def test_the_users_files_survive_a_second_build_too(tmp_path, site):
    """On main the first build moved them to .someone.previous/, and the next one deleted them."""
    out = _home_like(tmp_path / "someone")
    before = snapshot(out)
    for edit in ("Edited.", "Edited again."):
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
        assert run_cli("build", "--site", str(site), "--output", str(out)).returncode == 1
    assert snapshot(out) == before
    assert not previous_dir(out).exists()


@pytest.mark.parametrize("where", [".site-builder-cache", ".site-builder-cache/pages", "content"])
def test_the_sites_own_folders_are_refused(site, where):
    assert run_cli("build", "--site", str(site)).returncode == 0  # the cache exists, and output/
    before = snapshot(site.parent, skip=(site / ".site-builder-cache/build.sqlite-wal",
                                         site / ".site-builder-cache/build.sqlite-shm"))
    result = run_cli("build", "--site", str(site), "--output", str(site / where))
    assert result.returncode == 1
    assert f"--output {site / where} " in result.stderr
    assert "choose another folder, such as output/" in result.stderr
    assert snapshot(site.parent, skip=(site / ".site-builder-cache/build.sqlite-wal",
                                       site / ".site-builder-cache/build.sqlite-shm")) == before


def test_the_home_folder_is_refused(tmp_path, site, monkeypatch):
    home = _home_like(tmp_path / "home")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(tmp_path, skip=(site / ".site-builder-cache",))
    for given in (str(home), "~"):
        result = run_cli("build", "--site", str(site), "--output", os.path.expanduser(given))
        assert result.returncode == 1
        assert f"--output {home} is your home folder" in result.stderr
    assert snapshot(tmp_path, skip=(site / ".site-builder-cache",)) == before


@pytest.mark.parametrize("beside", [".output.previous", ".output.sb-new"])
def test_a_users_folder_with_a_name_the_build_keeps_beside_output_is_left_alone(site, beside):
    """site-builder keeps the previous site, and the files it is writing, beside output/: a
    folder of that name it did not make is the user's, and is neither filled nor deleted."""
    (site / beside).mkdir()
    (site / beside / "notes.txt").write_text("mine\n")
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1
    assert f"{site / beside} (beside --output {site / 'output'}" in result.stderr
    assert "holds 1 file not made by site-builder, such as notes.txt" in result.stderr
    assert "move or rename it" in result.stderr
    assert snapshot(site / beside) == {"notes.txt": b"mine\n"}
    assert not (site / "output").exists()


def test_a_link_named_as_the_previous_tree_is_left_alone(tmp_path, site):
    """On main the build deleted such a link (and would have written through a folder's)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("keep me\n")
    (site / ".output.previous").symlink_to(elsewhere)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1
    assert f"{site / '.output.previous'} (beside --output {site / 'output'}" in result.stderr
    assert f"is a link to {elsewhere}" in result.stderr
    assert os.readlink(site / ".output.previous") == str(elsewhere)
    assert snapshot(elsewhere) == {"mine.txt": b"keep me\n"}


# --- folders a build may use --------------------------------------------------------------------

def test_an_empty_folder_is_accepted_and_marked(tmp_path, site):
    out = tmp_path / "empty"
    out.mkdir()
    result = run_cli("build", "--site", str(site), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / MARKER).read_bytes() == MARKER_TEXT
    assert output_files(out) == reference(tmp_path, site)


def test_an_empty_clone_of_the_gh_pages_branch_is_accepted_and_kept(tmp_path, site):
    out = tmp_path / "pages"
    (out / ".git").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    for edit in ("Edited.", "Edited again."):
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
        assert run_cli("build", "--site", str(site), "--output", str(out)).returncode == 0
        assert (out / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (out / MARKER).is_file()


def test_a_folder_site_builder_made_keeps_rebuilding(tmp_path, site):
    out = tmp_path / "public"
    for edit in ("Edited.", "Edited again.", "Edited a third time."):
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
        result = run_cli("build", "--site", str(site), "--output", str(out))
        assert result.returncode == 0, result.stderr
        assert output_files(out) == reference(tmp_path, site)
    # Both trees are marked: the swap carries the mark with the site.
    assert (out / MARKER).is_file() and (previous_dir(out) / MARKER).is_file()


def _as_an_earlier_version_left_it(site: Path) -> None:
    """Remove the mark from both trees and from the cache's records of them, as a build by a
    version before the mark would have left them."""
    with BuildCache(site) as cache:
        for tree in (site / "output", previous_dir(site / "output")):
            (tree / MARKER).unlink()
            record = cache.tree(tree)
            files = {path: r for path, r in record.files.items() if path != MARKER}
            cache.save_tree(tree, TreeRecord(files, {**record.folders, "": tree.stat().st_mtime_ns}))


def test_an_output_built_by_an_earlier_version_keeps_building(tmp_path, site):
    """An output/ with no mark is site-builder's when the cache records every file in it."""
    for edit in ("Edited.", "Edited again."):  # both trees hold a build
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
        build(site)
    _as_an_earlier_version_left_it(site)
    for edit in ("Edited once more.", "Edited at last."):
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
        result = run_cli("build", "--site", str(site))
        assert result.returncode == 0, result.stderr
        assert output_files(site / "output") == reference(tmp_path, site)
    assert (site / "output" / MARKER).is_file() and (site / ".output.previous" / MARKER).is_file()


def test_an_unmarked_output_holding_a_file_the_cache_does_not_record_is_refused(site):
    build(site)
    _as_an_earlier_version_left_it(site)
    (site / "output/my-notes.txt").write_text("not the site's\n")
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1
    assert "holds 1 file not made by site-builder, such as my-notes.txt" in result.stderr
    assert (site / "output/my-notes.txt").read_text() == "not the site's\n"


# --- a mounted output/ ------------------------------------------------------------------------------

@contextmanager
def mounted(target: Path, *how: str) -> Iterator[Path]:
    """Mount a file system at target (`how`: mount's arguments before the target), or skip."""
    if os.geteuid() != 0:
        pytest.skip("mounting needs root: the in-place writer is tested without a mount below")
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *how, str(target)], capture_output=True, check=False, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip()})")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@pytest.mark.parametrize("kind", ["tmpfs", "bind mount"])
def test_a_mount_point_as_output_builds_and_rebuilds(tmp_path, site, kind):
    """Docker volumes and bind mounts: on main every build failed with EBUSY, naming
    .output.previous."""
    how = ("-t", "tmpfs", "-o", "size=8m", "tmpfs") if kind == "tmpfs" else \
        ("--bind", str(tmp_path / "volume"))
    (tmp_path / "volume").mkdir()
    with mounted(site / "output", *how) as out:
        for edit in ("Edited.", "Edited again.", "Edited again."):
            (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
            result = run_cli("build", "--site", str(site))
            assert result.returncode == 0, result.stderr
            assert output_files(out) == reference(tmp_path, site)
        assert not previous_dir(out).exists() and not temp_dir(out).exists() and swap.is_mount_point(out)
        assert [p.name for p in out.iterdir() if p.name.startswith(".site-builder")] == [MARKER]
        (out / "stray.html").write_text("not the site's")  # a hand edit is undone, as in any output/
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", "Last edit."))
        assert run_cli("build", "--site", str(site)).returncode == 0
        assert output_files(out) == reference(tmp_path, site)


def test_a_mount_point_holding_the_users_files_is_refused(tmp_path, site):
    (tmp_path / "volume").mkdir()
    (tmp_path / "volume/backup.tar").write_bytes(b"\0" * 100)
    with mounted(site / "output", "--bind", str(tmp_path / "volume")) as out:
        result = run_cli("build", "--site", str(site))
        assert result.returncode == 1
        assert f"--output {out} holds 1 file not made by site-builder, such as backup.tar" in result.stderr
        assert snapshot(out) == {"backup.tar": b"\0" * 100}


def test_the_in_place_writer_builds_as_the_swap_does(tmp_path, site, monkeypatch):
    """Without root: the writer for a mounted output/, chosen by pretending output/ is one."""
    monkeypatch.setattr(swap, "is_mount_point", lambda folder: folder == site / "output")
    for edit in ("Edited.", "Edited again."):
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
        build(site)
        assert output_files(site / "output") == reference(tmp_path, site)
    assert not previous_dir(site / "output").exists()
    (site / "content/third-story.md").write_text(article("Third Story", "2024-03-01", "Third."))
    monkeypatch.setattr(output, "open", _full_after(2), raising=False)  # the disk fills up
    before = output_files(site / "output")
    with pytest.raises(OutputError, match="no space left on device"):
        build(site)
    assert output_files(site / "output") == before  # nothing renamed into place
    assert not (site / "output/.site-builder-staging").exists()


def test_a_build_killed_while_writing_into_a_mounted_output_leaves_it_as_it_was(tmp_path, site, monkeypatch):
    monkeypatch.setattr(swap, "is_mount_point", lambda folder: folder == site / "output")
    build(site)
    before = output_files(site / "output")
    (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", "Edited.", tags="[Cuba]"))
    with monkeypatch.context() as patched:
        patched.setattr(output, "open", _killed_after_opening(2), raising=False)
        with pytest.raises(KeyboardInterrupt):
            build(site)
    assert (site / "output/.site-builder-staging").is_dir(), "the test should leave files being written"
    assert {p: d for p, d in output_files(site / "output").items() if ".site-builder-staging" not in p} == before
    build(site)
    assert output_files(site / "output") == reference(tmp_path, site)


def _killed_after_opening(count: int):
    opened = []

    def killed(path, mode="r", *args, **kwargs):
        if "w" in mode or "x" in mode:  # a file written over, or made
            opened.append(path)
            if len(opened) > count:
                raise KeyboardInterrupt  # as a kill would, half-way through the writes
        return open(path, mode, *args, **kwargs)
    return killed


# --- a full disk -------------------------------------------------------------------------------------

def _full_after(count: int):
    """An open() for output.py whose writes fill the disk after `count` files."""
    opened = []

    def full_open(path, mode="r", *args, **kwargs):
        stream = open(path, mode, *args, **kwargs)  # noqa: SIM115 - an open() in its place: returned open
        if "w" in mode or "x" in mode:  # a file written over, or made
            opened.append(path)
            if len(opened) > count:
                stream.write(b"half a page")
                stream.close()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        return stream
    return full_open


def test_a_build_that_fills_the_disk_removes_what_it_wrote(tmp_path, site, monkeypatch):
    """Without a small disk: the writer's writes fail as on a full one."""
    build(site)
    (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", "Edited."))
    build(site)  # both trees hold a build
    trees = {tree: snapshot(site / tree) for tree in ("output", ".output.previous")}
    (site / "content/third-story.md").write_text(article("Third Story", "2024-03-01", "Third.", tags="[New]"))
    monkeypatch.setattr(output, "open", _full_after(3), raising=False)
    with pytest.raises(OutputError) as failed:
        build(site)
    assert str(failed.value) == (f"cannot write {site / 'output'}: no space left on device (the build "
                                 "removed what it had written, and output/ still holds the previous site: "
                                 "free some space and build again)")
    assert snapshot(site / "output") == trees["output"]
    assert not temp_dir(site / "output").exists()
    spare = snapshot(site / ".output.previous")  # what is left is the previous tree's, nothing new
    assert all(trees[".output.previous"].get(path) == data for path, data in spare.items())
    monkeypatch.undo()
    build(site)
    assert output_files(site / "output") == reference(tmp_path, site)


def _free(folder: Path) -> int:
    st = os.statvfs(folder)
    return st.f_bfree * st.f_frsize


@pytest.mark.parametrize("where", ["output/ inside a small disk", "output/ a small disk"])
def test_a_build_on_a_full_disk_leaves_the_previous_site_and_no_partial_files(tmp_path, site, where):
    """A real full disk (tmpfs, as root). On main the failed build left its partial files:
    megabytes of them."""
    disk = tmp_path / "disk" if where == "output/ inside a small disk" else tmp_path / "disk/output"
    with mounted(disk, "-t", "tmpfs", "-o", "size=1m", "tmpfs"):
        out = tmp_path / "disk/output"
        result = run_cli("build", "--site", str(site), "--output", str(out))
        assert result.returncode == 0, result.stderr
        before, free = snapshot(disk), _free(disk)
        big = article("Big Story", "2024-03-01", "word " * 200_000, tags="[Iran]")  # 7 MB of pages and feeds
        (site / "content/big.md").write_text(big)
        result = run_cli("build", "--site", str(site), "--output", str(out))
        assert result.returncode == 1
        after = snapshot(disk)  # the spare tree may have lost files (checked at the next build)
        assert {path: data for path, data in after.items() if path.startswith("output/") or disk == out} == \
            {path: data for path, data in before.items() if path.startswith("output/") or disk == out}
        assert all(before.get(path) == data for path, data in after.items()), "no new file is left"
        assert _free(disk) == free
        assert f"cannot write {out}: no space left on device" in result.stderr
        assert "free some space and build again" in result.stderr
        (site / "content/big.md").unlink()
        (site / "content/first-story.md").write_text(article("First Story", "2024-01-05", "Edited."))
        assert run_cli("build", "--site", str(site), "--output", str(out)).returncode == 0
        assert output_files(out) == reference(tmp_path, site)


def test_a_mount_point_is_told_from_a_folder():
    assert not swap.is_mount_point(Path(__file__).parent)
    assert swap.is_mount_point(Path("/"))
    assert not swap.is_mount_point(Path(__file__))


def test_the_cache_folder_of_a_preview_stays_usable(site):
    """`serve` builds into .site-builder-cache/serve/: the cache's refusal leaves that alone."""
    build(site, site / ".site-builder-cache/serve")
    with pytest.raises(OutputError, match="would write into .site-builder-cache/"):
        build(site, site / ".site-builder-cache")
    shutil.rmtree(site / ".site-builder-cache/serve")
