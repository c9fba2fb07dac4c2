"""The writer: atomic swap, stale files removed, unchanged files kept, dangerous outputs refused."""
from __future__ import annotations

import os
import shutil
import time
from functools import partial

import pytest
from conftest import article, inodes, output_files

from site_builder.build.run import build
from site_builder.core.errors import ContentError, OutputError, TemplateError
from site_builder.core.model import OutputFile
from site_builder.output import write as output
from site_builder.output.ownership import MARKER, MARKER_TEXT
from site_builder.output.records import TreeRecord
from site_builder.output.write import OutputState, write_output
from site_builder.render import pages as render


def test_a_failing_build_leaves_the_previous_output_as_it_was(sample_site, monkeypatch):
    build(sample_site)
    before = output_files(sample_site / "output")
    (sample_site / "content/new.md").write_text(article("New Story", "2024-05-01"))

    def fail_half_way(*args, **kwargs):
        raise TemplateError("article.html:3: boom")
    monkeypatch.setattr(render._Renderer, "render", fail_half_way)
    with pytest.raises(TemplateError):
        build(sample_site)
    assert output_files(sample_site / "output") == before


def files(contents: dict[str, bytes]) -> list[OutputFile]:
    return [OutputFile(path, f"key-{data!r}", partial(bytes, data)) for path, data in contents.items()]


def test_a_write_interrupted_mid_way_keeps_the_previous_output(tmp_path, monkeypatch):
    out = tmp_path / "output"
    write_output(out, files({"index.html": b"old", "a/index.html": b"a"}), {}, OutputState(TreeRecord({}, {}), TreeRecord({}, {})))
    real_write = output._write_into
    calls = []

    def write_then_die(target, data, temp, absent=False):  # the disk fills up on the second new file
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_write(target, data, temp, absent)
    monkeypatch.setattr(output, "_write_into", write_then_die)
    with pytest.raises(OutputError, match="no space left on device"):
        write_output(out, files({"index.html": b"new", "b/index.html": b"b", "c/index.html": b"c"}), {},
                     OutputState(TreeRecord({}, {}), TreeRecord({}, {})))
    assert output_files(out) == {"index.html": b"old", "a/index.html": b"a", MARKER: MARKER_TEXT}
    monkeypatch.undo()  # the next write recovers whatever the failed one left half done
    write_output(out, files({"index.html": b"new", "b/index.html": b"b"}), {}, OutputState(TreeRecord({}, {}), TreeRecord({}, {})))
    assert output_files(out) == {"index.html": b"new", "b/index.html": b"b", MARKER: MARKER_TEXT}


def test_a_build_failing_while_rendering_removes_from_the_spare_tree_only_what_it_wrote(tmp_path):
    """A theme change whose template fails on one page must not cost the spare tree the
    thousands of files the build never got to: only those it wrote go."""
    out, spare = tmp_path / "output", tmp_path / ".output.previous"
    pages = {f"p{n}/index.html": n for n in range(10)}
    state = OutputState(TreeRecord({}, {}), TreeRecord({}, {}))
    for version in (b"A", b"B"):
        state = write_output(out, files({path: version * (n + 1) for path, n in pages.items()}), {}, state).state
    kept = {path: os.stat(spare / path).st_ino for path in pages}

    def page(n: int) -> bytes:
        if n == 5:
            raise TemplateError("page.html:1: boom")
        return b"C" * (n + 1)
    failing = [OutputFile(path, f"key-C-{n}", partial(page, n)) for path, n in pages.items()]
    with pytest.raises(TemplateError):
        write_output(out, failing, {}, state)
    assert output_files(out) == {**{path: b"B" * (n + 1) for path, n in pages.items()}, MARKER: MARKER_TEXT}
    left = {path: os.stat(spare / path).st_ino for path in pages if (spare / path).exists()}
    assert set(left) == {f"p{n}/index.html" for n in range(5, 10)}  # rendered in order: 0–4 written, then removed
    assert all(left[path] == kept[path] and (spare / path).read_bytes()[:1] == b"A" for path in left)


def test_a_file_is_written_over_only_where_no_file_of_output_shares_its_inode(tmp_path):
    """Every page changed (a theme change): the spare tree's files that are links to output/'s
    get new inodes, so output/ stays as it was until the swap; its own files are written over."""
    out, spare = tmp_path / "output", tmp_path / ".output.previous"
    pages = [f"p{n}/index.html" for n in range(6)]
    state = OutputState(TreeRecord({}, {}), TreeRecord({}, {}))

    def version(v: bytes, news: bytes = b"") -> list[OutputFile]:
        return files({**{path: v * (n + 3) for n, path in enumerate(pages)}, "news.html": news})

    for v, news in ((b"A", b""), (b"B", b""), (b"B", b"1")):  # the last links the spare tree's pages to output/'s
        state = write_output(out, version(v, news), {}, state).state
    shared = {path: os.stat(out / path).st_ino for path in pages}
    assert all(os.stat(spare / path).st_ino == shared[path] for path in pages)
    state = write_output(out, version(b"C", b"2"), {}, state).state
    assert output_files(spare) == {**{p: b"B" * (n + 3) for n, p in enumerate(pages)}, "news.html": b"1",
                                   MARKER: MARKER_TEXT}
    assert all(os.stat(spare / path).st_ino == shared[path] for path in pages)  # the B site, untouched
    write_output(out, version(b"D", b"3"), {}, state)
    assert output_files(out) == {**{p: b"D" * (n + 3) for n, p in enumerate(pages)}, "news.html": b"3",
                                 MARKER: MARKER_TEXT}
    assert output_files(spare) == {**{p: b"C" * (n + 3) for n, p in enumerate(pages)}, "news.html": b"2",
                                   MARKER: MARKER_TEXT}
    assert {path: os.stat(out / path).st_ino for path in pages} == shared  # B's files, written over


def two_builds(tmp_path):
    """Return output/, the spare tree and their state after two builds of one page, each tree's
    file its own inode."""
    out, spare = tmp_path / "output", tmp_path / ".output.previous"
    state = OutputState(TreeRecord({}, {}), TreeRecord({}, {}))
    for v in (b"A", b"B"):
        state = write_output(out, files({"index.html": v}), {}, state).state
    return out, spare, state


def test_a_link_in_the_spare_tree_is_replaced_not_written_through(tmp_path):
    out, spare, state = two_builds(tmp_path)
    outside = tmp_path / "notes.txt"
    outside.write_bytes(b"mine")
    (spare / "index.html").unlink()
    (spare / "index.html").symlink_to(outside)
    write_output(out, files({"index.html": b"C"}), {}, state)
    assert outside.read_bytes() == b"mine"
    assert (out / "index.html").read_bytes() == b"C" and not (out / "index.html").is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_the_spare_tree_is_replaced_not_waited_on(tmp_path):
    out, spare, state = two_builds(tmp_path)
    (spare / "index.html").unlink()
    os.mkfifo(spare / "index.html")
    write_output(out, files({"index.html": b"C"}), {}, state)  # with no reader, a wait would never end
    assert (out / "index.html").read_bytes() == b"C"


@pytest.mark.parametrize("spare_kept", [False, True])
def test_a_first_build_leaves_a_spare_tree_of_links_to_every_file_it_wrote(sample_site, spare_kept):
    """The spare tree a first build leaves (made as the files are written, issue #15) is the
    new site file for file, each a second name of output/'s inode, its mark too; so is it
    when output/ alone was removed and the spare tree kept (its files are kept, not written)."""
    if spare_kept:
        build(sample_site)
        shutil.rmtree(sample_site / "output")
    result = build(sample_site)
    out, spare = sample_site / "output", sample_site / ".output.previous"
    assert inodes(spare) == inodes(out)
    assert MARKER in inodes(out) and (result.written == 0) == spare_kept
    assert sorted(p.name for p in sample_site.iterdir()) == [".output.previous", ".site-builder-cache", "content",
                                                             "output", "site.toml", "static"]


def test_a_failing_first_build_leaves_no_copy_of_links_behind(sample_site, monkeypatch):
    def fail_half_way(*args, **kwargs):
        raise TemplateError("article.html:3: boom")
    monkeypatch.setattr(render._Renderer, "render", fail_half_way)
    with pytest.raises(TemplateError):
        build(sample_site)
    assert not [p for p in sample_site.iterdir() if p.name.endswith((".mirror", ".sb-new"))]


def test_files_no_longer_produced_are_removed(sample_site):
    build(sample_site)
    (sample_site / "content/sub/third-story.md").unlink()
    build(sample_site)
    assert not (sample_site / "output/articles/third-story").exists()
    assert (sample_site / "output/articles/first-story/index.html").exists()


def test_unchanged_files_keep_their_mtime(sample_site):
    build(sample_site)
    out = sample_site / "output"
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    os.utime(out / "index.html", ns=(1, 1))  # make any rewrite visible
    stamps[out / "index.html"] = 1
    build(sample_site)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_a_git_clone_inside_output_survives_the_swap(sample_site):
    build(sample_site)
    (sample_site / "output/.git").mkdir()
    (sample_site / "output/.git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    build(sample_site)
    assert (sample_site / "output/.git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"


@pytest.mark.parametrize("where", [".", "content", "content/x", "templates", "static", ".."])
def test_an_output_that_would_replace_sources_is_refused(sample_site, where):
    (sample_site / "templates").mkdir(exist_ok=True)
    before = sorted(p.relative_to(sample_site.parent) for p in sample_site.parent.rglob("*"))
    with pytest.raises(OutputError, match="--output"):
        build(sample_site, output_dir=sample_site / where)
    assert sorted(p.relative_to(sample_site.parent) for p in sample_site.parent.rglob("*")) == before


def test_a_static_file_that_collides_with_a_page_is_refused(sample_site):
    (sample_site / "static/feed.xml").write_text("mine")
    with pytest.raises(OutputError, match="static/feed.xml would overwrite"):
        build(sample_site)


def test_errors_stop_the_build_before_output_is_touched(sample_site):
    build(sample_site)
    before = output_files(sample_site / "output")
    (sample_site / "content/bad.md").write_text("---\ntitle: Bad\n---\n")
    with pytest.raises(ContentError):
        build(sample_site)
    assert output_files(sample_site / "output") == before


def test_an_output_that_is_a_link_is_refused(sample_site, tmp_path):
    """Swapping a link would leave the next build writing through it into the linked folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("keep me")
    (sample_site / "output").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="is a link to .*elsewhere: give that folder itself as --output"):
        build(sample_site)
    assert [p.name for p in elsewhere.iterdir()] == ["mine.txt"]


def _replace(path, data: bytes) -> None:
    path.with_name("tmp").write_bytes(data)
    os.replace(path.with_name("tmp"), path)


# What a user (or git checkout) may do to a built tree by hand: all of it is undone by the next
# build, whether the tree is output/ or the spare one the next build turns into output/.
HAND_CHANGES = {
    "a page edited in place": lambda tree: (tree / "index.html").write_bytes(b"<p>hand edit</p>"),
    "a page replaced": lambda tree: _replace(tree / "articles/first-story/index.html", b"old version"),
    "a page deleted": lambda tree: (tree / "articles/third-story/index.html").unlink(),
    "a file added": lambda tree: (tree / "articles/first-story/notes.txt").write_text("draft notes"),
    "a folder added": lambda tree: ((tree / "drafts/x").mkdir(parents=True),
                                    (tree / "drafts/x/index.html").write_text("secret")),
    "a folder deleted": lambda tree: __import__("shutil").rmtree(tree / "tags"),
}


@pytest.mark.parametrize("tree", ["output", ".output.previous"])
@pytest.mark.parametrize("change", HAND_CHANGES)
def test_hand_changes_to_either_tree_are_undone_by_the_next_builds(sample_site, tmp_path, tree, change):
    build(sample_site)
    (sample_site / "content/first-story.md").write_text(article("First Story", "2024-01-05", "Edited once."))
    build(sample_site)  # both trees now hold a build: output/ this one, the spare the one before
    time.sleep(0.02)  # file systems without fine-grained timestamps: be a clock tick later
    HAND_CHANGES[change](sample_site / tree)
    for edit in ("Edited once.", "Edited twice."):  # a build with nothing to do, then one with an edit
        (sample_site / "content/first-story.md").write_text(article("First Story", "2024-01-05", edit))
        build(sample_site)
        assert output_files(sample_site / "output") == output_files(build(sample_site, tmp_path / edit).output_dir)
