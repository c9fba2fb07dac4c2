"""A title or summary edit that moves no article (issue #15): the rebuild starts from the last
build's skeleton, as a body edit does, and reads from the cache only the articles of the pages
that show the edited one. It renders exactly the pages whose bytes change, and its output is
a cold build's."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import article, make_site, output_files

from site_builder.build.run import build
from site_builder.incremental.cache import BuildCache
from site_builder.output import write as output

CONFIG = ('title = "T"\nbase_url = "https://u.github.io/r/"\nid_domain = "u.github.io"\ntimezone = "UTC"\n'
          'per_page = 3\nfeed_items = 3\nsections = ["Cuba"]\n')
PLACES, TOPICS = ["Iran", "Cuba", "Chile", "Peru", "Oman", "Laos"], ["Oil", "Trade", "Sport", "Art", "Rail"]
COUNT = 120


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # 28 stories a month over five months, two tags each; each slug pinned, so a new title moves nothing
    site = make_site(tmp_path / "site", {
        f"content/s{n:03}.md": article(f"Story {n}", month_of(n) + f"-{1 + n % 28:02}", slug=f"s{n:03}",
                                       tags=f"[{PLACES[n % 6]}, {TOPICS[n % 5]}]")
        for n in range(COUNT)}, config=CONFIG)
    build(site)
    return site


def month_of(n: int) -> str:
    return f"2024-{1 + n // 28:02}"


def retitle(site: Path, n: int) -> None:
    source = site / f"content/s{n:03}.md"
    source.write_text(source.read_text().replace(f"Story {n}'", f"Story {n}, revised'"))


def rebuilt(site: Path, monkeypatch: pytest.MonkeyPatch, n: int) -> tuple[set[str], set[str]]:
    """Retitle story n and build; return the content files the build read from the cache
    ("every article" if it asked for all) and the output files it rendered."""
    asked: list[list[str] | None] = []
    rendered: list[str] = []
    articles, same_bytes = BuildCache.articles, output._same_bytes  # the writer compares each rendered file with output/'s
    monkeypatch.setattr(BuildCache, "articles", lambda cache, paths=None: asked.append(paths) or articles(cache, paths))
    monkeypatch.setattr(output, "_same_bytes", lambda path, data: rendered.append(path) or same_bytes(path, data))
    retitle(site, n)
    build(site)
    monkeypatch.undo()
    return ({path for paths in asked for path in paths or ["every article"]},
            {os.path.relpath(path, site / "output") for path in rendered})


# 119: the newest story (the front page's first, and among the related stories of every
# story that shares a tag with it); 109: a Cuba story in the front page's section block, far
# down the list; 60: in the middle of everything
@pytest.mark.parametrize("n", [119, 109, 60])
def test_a_title_edit_reads_only_the_articles_of_the_files_it_renders(site, monkeypatch, n):
    read, rendered = rebuilt(site, monkeypatch, n)
    shown = {f"content/s{int(k):03}.md" for path in rendered
             for k in re.findall(r"Story (\d+)", (site / "output" / path).read_text())}
    assert f"content/s{n:03}.md" in read and "every article" not in read
    # and the few that finding a month's first and last article by bisection reads
    assert len(read - shown) <= 2 * COUNT.bit_length()
    assert f"Story {n}, revised" in (site / f"output/articles/s{n:03}/index.html").read_text()


@pytest.mark.parametrize("n", [119, 109, 60])
def test_a_title_edit_renders_exactly_the_pages_whose_bytes_change(site, monkeypatch, n):
    before = output_files(site / "output")
    rendered = {path for path in rebuilt(site, monkeypatch, n)[1] if path.endswith(".html")}
    after = output_files(site / "output")
    changed = {path for path in after if path.endswith(".html") and before.get(path) != after[path]}
    assert rendered == changed
    assert {f"articles/s{n:03}/index.html", f"archive/{month_of(n).replace('-', '/')}/index.html"} <= changed
    assert ("index.html" in changed) == (n in (119, 109))  # the front page's first page or section block


def test_title_edits_then_a_body_edit_equal_a_cold_build(site, tmp_path):
    for n in (119, 109, 60):
        retitle(site, n)
        build(site)
    source = site / "content/s060.md"
    source.write_text(source.read_text() + "\nA correction.\n")
    build(site)
    cold = shutil.copytree(site / "content", tmp_path / "cold/content").parent
    (cold / "site.toml").write_text(CONFIG)
    build(cold)
    assert output_files(site / "output") == output_files(cold / "output")
