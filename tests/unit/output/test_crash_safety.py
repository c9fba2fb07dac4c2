"""Nothing is lost: builds killed at random moments leave output/ whole (the old site or the
new one, never a mix) and the next build recovers; two builds at once make one whole site; a
killed import leaves no half-written content file."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, article, make_site, output_files, run_cli

from site_builder.build.run import build
from site_builder.incremental.cache import BuildCache
from site_builder.output import write as output
from site_builder.output.write import swap

CONFIG = 'title = "T"\nbase_url = "https://u.github.io/r/"\nid_domain = "u.github.io"\nfeed_items = 5\n'


def write_version(site: Path, version: str, count: int = 150) -> None:
    """Give every article a body and tags of one version ("A" or "B") of the site."""
    for i in range(count):
        tags = "[Iran, Cuba]" if (i + (version == "B")) % 2 else "[IAEA]"
        body = f"Version {version} of story {i}.\n\n" + f"More text {version}. " * 40
        (site / "content" / f"s{i:03}.md").write_text(
            article(f"Story {i}", f"2024-01-{i % 28 + 1:02}T{i % 24:02}:00:00Z", body, tags=tags,
                    id=f"tag:u.github.io,2024:s{i}"))


def reference(tmp_path: Path, version: str) -> dict[str, bytes]:
    """The complete site of one version, built cold in a folder of its own."""
    site = make_site(tmp_path / f"ref-{version}", {}, config=CONFIG)
    (site / "content").mkdir(exist_ok=True)
    write_version(site, version)
    assert run_cli("build", "--site", str(site)).returncode == 0
    return output_files(site / "output")


def start_build(site: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--site", str(site)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_builds_leave_the_old_site_or_the_new_one_never_a_mix(tmp_path):
    references = {v: reference(tmp_path, v) for v in "AB"}
    site = make_site(tmp_path / "site", {}, config=CONFIG)
    (site / "content").mkdir(exist_ok=True)
    write_version(site, "A")
    assert run_cli("build", "--site", str(site)).returncode == 0
    rng = random.Random(5)
    for round_ in range(10):
        version = "B" if round_ % 2 == 0 else "A"
        write_version(site, version)
        process = start_build(site)
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        published = output_files(site / "output")
        assert published in (references["A"], references["B"]), \
            f"round {round_}: a mix of two sites: {_differences(published, references)}"
        assert _wait_until_gone(site), f"round {round_}: a killed build left its workers running"
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert output_files(site / "output") == references[version]
    leftovers = [p for p in site.parent.rglob("*") if p.name.endswith((".sb-new", ".swap", ".mirror"))]
    assert leftovers == []


def _differences(published: dict[str, bytes], references: dict[str, dict[str, bytes]]) -> dict[str, list[str]]:
    """The files by which the published site differs from each reference site."""
    return {version: sorted(path for path in published.keys() | files.keys() if published.get(path) != files.get(path))
            for version, files in references.items()}


def _processes_on(site: Path) -> list[int]:
    """The processes whose command line names the site (a build and its parser workers)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if str(site).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            continue
    return found


def _wait_until_gone(site: Path, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while _processes_on(site):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_two_builds_at_once_make_one_whole_site(tmp_path):
    expected = reference(tmp_path, "B")
    site = make_site(tmp_path / "site", {}, config=CONFIG)
    (site / "content").mkdir(exist_ok=True)
    write_version(site, "B")
    first, second = start_build(site), start_build(site)
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    assert any("another build of this site is running: waiting for it to finish" in err for _, err in results)
    assert output_files(site / "output") == expected


def test_a_killed_import_leaves_no_half_written_article(tmp_path):
    site = make_site(tmp_path / "site", {}, config=CONFIG)
    dump = tmp_path / "dump.txt"
    seed = (FIXTURES / "000_5d718aeda1ebb40d.txt").read_text(encoding="utf-8-sig")
    articles = seed.strip().split("\n\n\n\n")
    # many distinct articles: the seed's two, with numbered headlines
    copies = [a.replace("Khamenei", f"Khamenei {i}").replace("Grossi", f"Grossi {i}")
              for i in range(60) for a in articles]
    dump.write_text("\n\n\n\n".join(copies), encoding="utf-8")
    rng = random.Random(7)
    for _ in range(6):
        process = subprocess.Popen([sys.executable, "-m", "site_builder", "import", str(dump), "--site", str(site),
                                    "--date", "2024-07-10"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        written = sorted((site / "content").glob("*.md")) if (site / "content").exists() else []
        assert len(written) in (0, len(copies)), "an import is all or nothing"
    done = subprocess.run([sys.executable, "-m", "site_builder", "import", str(dump), "--site", str(site),
                           "--date", "2024-07-10"], capture_output=True, check=False, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list((site / "content").glob("*.md"))) == len(copies)
    assert run_cli("build", "--site", str(site)).returncode == 0


@pytest.mark.parametrize("step", ["exchange", "swap_trees", "save_skeleton", "save_build"])
def test_a_build_killed_while_recording_leaves_records_that_match_the_disk(tmp_path, monkeypatch, step):
    """A build stopped between swapping output/ in and recording what it wrote (found by the
    random kills above: the trees were recorded as the new site's, the build as the old one's,
    and the next build kept pages of the wrong site). Stopping right after the swap, or at any
    of the records, leaves none of them, so the next build compares against what the disk holds."""
    references = {v: reference(tmp_path, v) for v in "AB"}
    site = built_as_a_then_b(tmp_path)
    with monkeypatch.context() as patched:
        if step == "exchange":
            patched.setattr(swap, "exchange", _killed_after(swap.exchange))
        else:
            patched.setattr(BuildCache, step, _killed)
        with pytest.raises(KeyboardInterrupt):
            build(site)
    write_version(site, "A")
    build(site)
    assert output_files(site / "output") == references["A"]
    write_version(site, "B")
    build(site)
    assert output_files(site / "output") == references["B"]


def test_a_build_killed_while_writing_leaves_nothing_behind_after_the_next(tmp_path, monkeypatch):
    """A page of the spare tree that is a link to output/'s is written anew in its place there:
    a kill cuts it short and output/ stays whole; the next build, even one with nothing to
    write, leaves no stray file beside the two trees, and the first that uses the spare tree
    again finds the half page unlike its record and writes it whole."""
    expected = reference(tmp_path, "A")
    site = built_as_a_then_b(tmp_path)
    with monkeypatch.context() as patched:
        patched.setattr(output, "_written", _killed_writing)
        with pytest.raises(KeyboardInterrupt):
            build(site)
    assert output_files(site / "output") == expected
    assert _half_pages(site) == [".output.previous"], "the test should leave a half-written page"
    write_version(site, "A")
    build(site)  # writes nothing: output/ holds A
    assert output_files(site / "output") == expected
    files = {p.relative_to(site).parts[0] for p in site.rglob("*") if p.is_file()}
    assert files == {"site.toml", "content", "output", ".output.previous", ".site-builder-cache"}
    # the spare tree keeps the half page until a build uses it: its record no longer matches
    write_version(site, "B")
    build(site)
    write_version(site, "A")
    build(site)
    assert output_files(site / "output") == expected and _half_pages(site) == []


def test_a_first_build_killed_while_writing_leaves_no_half_file_after_the_next(tmp_path, monkeypatch):
    """A file new to the spare tree is written in place there, not by way of a temporary
    name: one a kill cut short is found and replaced by the next build."""
    expected = reference(tmp_path, "A")
    site = make_site(tmp_path / "site", {}, config=CONFIG)
    (site / "content").mkdir(exist_ok=True)
    write_version(site, "A")
    with monkeypatch.context() as patched:
        patched.setattr(output, "_written", _killed_writing)
        with pytest.raises(KeyboardInterrupt):
            build(site)
    assert _half_pages(site) == [".output.previous"], "the test should leave a half-written page"
    build(site)
    assert output_files(site / "output") == expected
    assert output_files(site / ".output.previous") == expected
    files = {p.relative_to(site).parts[0] for p in site.rglob("*") if p.is_file()}
    assert files == {"site.toml", "content", "output", ".output.previous", ".site-builder-cache"}


def _half_pages(site: Path) -> list[str]:
    """The trees that hold a page cut short."""
    return [p.relative_to(site).parts[0] for p in site.rglob("*.html") if not p.read_bytes().rstrip().endswith(b"</html>")]


def built_as_a_then_b(tmp_path: Path) -> Path:
    """A site built (in process) with version A of its content, then given version B."""
    site = make_site(tmp_path / "site", {}, config=CONFIG)
    (site / "content").mkdir(exist_ok=True)
    write_version(site, "A")
    build(site)
    write_version(site, "B")
    return site


def _killed_writing(path, data, mode):
    """output.write._written, killed half way through a page."""
    with open(path, mode) as stream:
        stream.write(data[:len(data) // 2] if path.endswith(".html") else data)
    if path.endswith(".html"):
        raise KeyboardInterrupt
    return os.stat(path)


def _killed(*args, **kwargs):
    raise KeyboardInterrupt  # as a kill would, at this point of the build


def _killed_after(step):
    def killed(*args, **kwargs):
        step(*args, **kwargs)
        raise KeyboardInterrupt
    return killed
