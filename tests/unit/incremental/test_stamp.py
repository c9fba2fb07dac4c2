"""A rebuild with nothing to do is told so by the last build's stamp, without loading the site
or the libraries; any change to what a build reads — down to the tool's own code — makes it
build again."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, article, output_files

_BUILD_AND_SAY = """
import sys
from pathlib import Path
from site_builder.build.run import build
result = build(Path(sys.argv[1]))
print(result.written, "site_builder.build.pipeline" in sys.modules, "jinja2" in sys.modules, "markdown" in sys.modules)
"""


def build_in_new_process(site: Path, python_path: Path | None = None) -> tuple[int, bool, bool, bool]:
    """Build in a fresh interpreter; return (files written, pipeline loaded, Jinja2 loaded,
    Markdown loaded)."""
    env = {**os.environ, **({"PYTHONPATH": str(python_path)} if python_path else {})}
    done = subprocess.run([sys.executable, "-P", "-c", _BUILD_AND_SAY, str(site)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    written, *loaded = done.stdout.split()
    return int(written), *(flag == "True" for flag in loaded)


def test_a_rebuild_with_nothing_to_do_loads_neither_the_site_nor_the_libraries(sample_site):
    assert build_in_new_process(sample_site)[:2] == (len(output_files(sample_site / "output")), True)
    assert build_in_new_process(sample_site) == (0, False, False, False)


def test_an_article_in_a_folder_that_had_none_is_built(sample_site):
    """content/drafts/ is empty, then gains an article: content/'s own mtime does not change,
    only the subfolder's, which the stamp holds too."""
    (sample_site / "content/drafts").mkdir()
    build_in_new_process(sample_site)
    (sample_site / "content/drafts/new.md").write_text(article("Brand New", "2024-03-01"))
    written, pipeline, *_ = build_in_new_process(sample_site)
    assert pipeline and written > 0
    assert (sample_site / "output/articles/new/index.html").exists()


def test_each_kind_of_input_change_makes_a_build(sample_site):
    build_in_new_process(sample_site)
    changes = [
        lambda: (sample_site / "site.toml").write_text((sample_site / "site.toml").read_text() + "per_page = 1\n"),
        lambda: (sample_site / "templates").mkdir(),
        lambda: (sample_site / "templates/base.html").write_text(
            (REPO / "templates/base.html").read_text().replace("<body", "<body data-x")),
        lambda: (sample_site / "static/new.txt").write_text("new"),
        lambda: (sample_site / "content/first-story.md").write_text(
            (sample_site / "content/first-story.md").read_text() + "\nMore.\n"),
    ]
    for change in changes:
        change()
        _, pipeline, *_ = build_in_new_process(sample_site)
        assert pipeline, "a changed input must be read again"
        assert build_in_new_process(sample_site)[1] is False, "and the next build has nothing to do"
    assert "data-x" in (sample_site / "output/index.html").read_text()
    assert (sample_site / "output/new.txt").read_text() == "new"


def test_a_new_version_of_the_tool_builds_again(sample_site, tmp_path):
    """The stamp holds the tool's own code: another site_builder (an upgrade, or an edit in a
    checkout) renders the site again, though no input changed."""
    tool = tmp_path / "tool"
    shutil.copytree(REPO / "site_builder", tool / "site_builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", tool / "templates")  # the default theme, beside it as in a checkout
    build_in_new_process(sample_site, tool)
    assert build_in_new_process(sample_site, tool)[1] is False
    with (tool / "site_builder/render/pages.py").open("a") as module:
        module.write("\n# a newer version\n")
    assert build_in_new_process(sample_site, tool)[1] is True
