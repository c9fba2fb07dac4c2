"""The whole path of a new publisher (issue #13), as one story: `init` → import the seed →
fix the dates → build → check → commit → the workflow's own `run:` steps in a fresh clone and
a fresh venv → the site live (served over real HTTP under /repo/, as GitHub Pages serves a
project site) → later edits → `deploy` to a local bare repository, guarded by the live site."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from serving import serving
from test_publish_path import git, run_steps

SEED = FIXTURES / "000_5d718aeda1ebb40d.txt"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = run_cli(*args, cwd=cwd)
    assert done.returncode == 0, f"site-builder {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def set_date(path: Path, date: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^date: .*$", f"date: {date}", text, count=1), encoding="utf-8")


def workflow(clone: Path, ci: Path, base_url: str) -> subprocess.CompletedProcess:
    """Run the workflow's run: steps in the clone with the fresh venv first on the PATH."""
    env = {**os.environ, "PATH": f"{ci / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "SITE_BUILDER_ALLOW_ID_CHANGE"):
        env.pop(name, None)
    return subprocess.run(["bash", "-e", "-c", run_steps(clone / ".github/workflows/pages.yml", base_url)],
                          cwd=clone, env=env, capture_output=True, check=False, text=True, timeout=600)


def go_live(output: Path, live: Path) -> None:
    """What the workflow's upload and deploy-pages steps do: output/ becomes the live site."""
    shutil.rmtree(live)
    shutil.copytree(output, live, ignore=shutil.ignore_patterns(".git"))


@pytest.mark.slow
def test_a_new_publisher_goes_from_init_to_a_live_site_and_a_guarded_deploy(tmp_path):
    live = tmp_path / "live"
    live.mkdir()
    with serving(live, "/repo/") as origin:
        base_url = origin + "/repo/"
        site = tmp_path / "site"
        cli("init", str(site), "--base-url", base_url, cwd=tmp_path)
        assert "id_domain = \"127.0.0.1\"" in (site / "site.toml").read_text(encoding="utf-8")
        (site / "content/welcome-to-your-news-site.md").unlink()

        # import the seed; its articles are dated with the dump's time until the writer fixes them
        shutil.copy(SEED, tmp_path / SEED.name)
        cli("import", str(tmp_path / SEED.name), "--site", str(site), cwd=site)
        imported = sorted((site / "content").glob("*.md"))
        assert len(imported) >= 2
        cli("build", cwd=site)
        for day, path in enumerate(imported, 1):  # never deployed: fixing dates blocks nothing
            set_date(path, f"2024-07-{day:02}T09:00:00+03:30")
        built = cli("build", cwd=site)
        assert f"Built {len(imported)} articles" in built.stdout
        assert "no problems" in cli("check", cwd=site).stdout

        # commit, clone as GitHub's runner checks it out, and run the workflow's own steps
        git(tmp_path, "init", "--quiet", "--initial-branch", "main", str(site))
        git(site, "add", "-A")
        git(site, "commit", "--quiet", "-m", "The site")
        clone, ci = tmp_path / "clone", tmp_path / "ci"
        git(tmp_path, "clone", "--quiet", str(site), str(clone))
        venv.create(ci, with_pip=True)
        first = workflow(clone, ci, base_url)
        assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
        assert "no problems" in first.stdout
        assert "note:" in first.stdout + first.stderr  # the first publish: nothing live to compare
        pages = {p.relative_to(clone / "output") for p in (clone / "output").rglob("index.html")}
        assert {p.relative_to(site / "output") for p in (site / "output").rglob("index.html")} == pages
        go_live(clone / "output", live)

        # a headline edit: nothing moves, no id changes, the next workflow run publishes it
        story = imported[0]
        story.write_text(re.sub(r"(?m)^title: .*$", "title: An Edited Headline", story.read_text(encoding="utf-8"),
                                count=1), encoding="utf-8")
        git(site, "commit", "--quiet", "-am", "A better headline")
        git(clone, "pull", "--quiet")
        second = workflow(clone, ci, base_url)
        assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
        assert re.search(rf"Compared \d+ entries readers have at {re.escape(base_url)}: 0 would change", second.stdout)
        go_live(clone / "output", live)
        assert "An Edited Headline" in (live / "articles" / story.stem / "index.html").read_text(encoding="utf-8")

        # deploy (no Actions) to a bare repository: a published date that moves stops it, with the fix
        remote = tmp_path / "remote.git"
        git(tmp_path, "init", "--quiet", "--bare", str(remote))
        git(site, "remote", "add", "origin", str(remote))
        set_date(story, "2024-08-01T09:00:00+03:30")
        stopped = run_cli("deploy", cwd=site)
        assert stopped.returncode != 0
        assert f"content/{story.name}: its date would move" in stopped.stderr and "updated:" in stopped.stderr
        set_date(story, "2024-07-01T09:00:00+03:30")
        deployed = cli("deploy", cwd=site)
        assert "0 would change" in deployed.stdout + deployed.stderr
        tree = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=remote,
                              capture_output=True, text=True, check=True).stdout.split()
        assert "index.html" in tree and f"articles/{story.stem}/index.html" in tree and "atom.xml" in tree
    assert sys.executable  # the test venv ran every local step; the fresh venv ran the workflow's
