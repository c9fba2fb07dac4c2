"""Rendering on every core (issue #15): forked workers give the bytes one process gives, and a
renderer's failure comes back as the error it raised, or as one naming the file."""
from __future__ import annotations

import os
import signal
from functools import partial

import pytest
from conftest import article, make_site, output_files

from site_builder.build.run import build
from site_builder.core.errors import ContentError, OutputError
from site_builder.core.model import OutputFile
from site_builder.incremental.rebuild_plan import StalePlan, render_refused
from site_builder.output import rendering
from site_builder.output.rendering import content_digest, rendered, rendered_then


def _page(n: int) -> bytes:
    return f"<p>page {n} rendered in {os.getpid()}</p>".encode()


def _files(count: int) -> list[OutputFile]:
    return [OutputFile(f"p{n}/index.html", f"k{n}", partial(_page, n)) for n in range(count)]


def test_a_worker_and_this_process_render_every_file_once_with_its_digest():
    files = _files(1000)
    done = list(rendered(files, jobs=2))
    assert sorted(f.path for f, _, _ in done) == sorted(f.path for f in files)
    assert all(digest == content_digest(data) for _, data, digest in done)
    assert all(data.startswith(f"<p>page {f.path[1:-11]} ".encode()) for f, data, _ in done)
    pids = {data.rsplit(b" ", 1)[1] for _, data, _ in done}
    assert str(os.getpid()).encode() + b"</p>" in pids and len(pids) == 2  # this process and a worker


def test_then_runs_in_the_process_that_rendered_the_file_and_only_its_result_comes_back():
    files = _files(1000)
    done = list(rendered_then(files, lambda index, f, data, digest: (index, os.getpid(), data.rsplit(b" ", 1)[1],
                                                                     digest == content_digest(data)), jobs=2))
    assert sorted(f.path for f, _ in done) == sorted(f.path for f in files)
    assert all(files[index] is f and ok for f, (index, _, _, ok) in done)
    assert all(str(pid).encode() + b"</p>" == rendered_by for _, (_, pid, rendered_by, _) in done)
    assert len({pid for _, (_, pid, _, _) in done}) == 2  # this process and a worker


def test_heavy_files_are_rendered_first_in_workers_that_end_before_the_others_start():
    heavy = [OutputFile(f"images/p{n}.webp", f"h{n}", partial(_page, n), heavy=True) for n in range(40)]
    files = _files(300) + heavy + _files(700)[300:]
    done = list(rendered(files, jobs=2))
    assert sorted(f.path for f, _, _ in done) == sorted(f.path for f in files)
    pids = [(f.heavy, data.rsplit(b" ", 1)[1]) for f, data, _ in done]
    assert [is_heavy for is_heavy, _ in pids] == [True] * 40 + [False] * 700
    heavy_pids = {pid for is_heavy, pid in pids if is_heavy}
    light_pids = {pid for is_heavy, pid in pids if not is_heavy}
    # Pillow's memory stays out of this process, and out of the workers that render pages
    assert f"{os.getpid()}</p>".encode() not in heavy_pids and not heavy_pids & light_pids


def test_a_few_files_are_rendered_here():
    done = list(rendered(_files(10), jobs=2))
    assert {data.rsplit(b" ", 1)[1] for _, data, _ in done} == {f"{os.getpid()}</p>".encode()}


def _failing(error: Exception) -> bytes:
    raise error


@pytest.mark.parametrize("error", [ContentError("content/a.md", "has no title", 3), StalePlan()])
def test_a_renderers_error_comes_back_from_its_worker_as_raised(error):
    files = _files(600)
    files[450] = OutputFile("bad/index.html", "k", partial(_failing, error))
    with pytest.raises(type(error)) as raised:
        list(rendered(files, jobs=2))
    assert str(raised.value) == str(error)


def test_a_worker_killed_while_rendering_names_the_file():
    parent = os.getpid()
    # First in the list, so in the first share a worker is given, whatever this process does
    # meanwhile (on a slow machine it renders every other file before the worker starts).
    files = [OutputFile(f"tags/big-{n}/index.html", "k",
                        lambda: b"" if os.getpid() == parent else os.kill(os.getpid(), signal.SIGKILL) or b"")
             for n in range(3)] + _files(600)
    with pytest.raises(OutputError, match=r"rendering tags/big-\d+/index.html stopped: its worker was killed by SIGKILL"):
        list(rendered(files, jobs=2))


def _endless() -> bytes:
    return _endless()


def test_a_renderer_that_recurses_without_end_names_the_file():
    with pytest.raises(OutputError, match=r"rendering loop.html nests too deeply"):
        list(rendered([*_files(500), OutputFile("loop.html", "k", _endless)], jobs=2))


def test_a_kept_files_renderer_is_never_called_in_a_worker():
    with pytest.raises(StalePlan):
        list(rendered([*_files(500), OutputFile("kept.html", "k", render_refused)], jobs=2))


in_workers_ = rendering._in_workers


def test_a_site_rendered_in_workers_is_byte_for_byte_the_one_rendered_in_one_process(tmp_path, monkeypatch):
    posts = {f"content/story-{n:03}.md": article(f"Story {n}", f"2024-0{1 + n % 9}-1{n % 10}T0{n % 10}:00:00Z",
                                                 f"Body of story {n}, with [a link](/about/).", tags=[f"t{n % 7}"])
             for n in range(500)}
    pools = []
    monkeypatch.setattr(rendering, "_in_workers", lambda files, indices, render, workers, here: pools.append(workers)
                        or in_workers_(files, indices, render, workers, here))
    in_workers = make_site(tmp_path / "a", posts)
    build(in_workers)
    assert pools and pools[0] >= 1 or os.cpu_count() == 1
    monkeypatch.setattr(rendering, "_POOL_THRESHOLD", 10**9)
    here = make_site(tmp_path / "b", posts)
    build(here)
    assert output_files(in_workers / "output") == output_files(here / "output")


def test_a_worker_reads_the_cache_through_a_connection_of_its_own(tmp_path):
    from site_builder.incremental.cache import ArticleRow, BuildCache

    with BuildCache(tmp_path) as cache:
        cache.put_articles([ArticleRow("a.md", "stat", "digest", b"an article", "<p>body</p>")])
        parents = id(cache.db)
        files = [OutputFile(f"{n}.html", "k", lambda: f"{os.getpid()} {id(cache.db)} {cache.body('a.md')}".encode())
                 for n in range(500)]
        seen = {tuple(data.split(b" ", 2)) for _, data, _ in rendered(files, jobs=2)}
        assert all(body == b"<p>body</p>" for _, _, body in seen)
        in_worker = {connection for pid, connection, _ in seen if pid != str(os.getpid()).encode()}
        assert in_worker and str(parents).encode() not in in_worker
        assert cache.body("a.md") == "<p>body</p>" and id(cache.db) == parents
