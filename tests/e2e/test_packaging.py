"""The package as a release would upload it: `python -m build` makes an sdist and, from it, a
wheel (PyPI's `build`, as `pip install` from PyPI would get them), and the wheel's site-builder
runs on its own — init, build, check — with none of this checkout on the path."""
from __future__ import annotations

import email
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from site_builder import __version__


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
                          capture_output=True, check=False, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


@pytest.mark.slow
def test_build_makes_an_sdist_and_a_wheel_with_the_metadata_pypi_shows(dist):
    wheel, sdist = dist / f"site_builder-{__version__}-py3-none-any.whl", dist / f"site_builder-{__version__}.tar.gz"
    assert sorted(p.name for p in dist.iterdir()) == sorted([wheel.name, sdist.name])
    with zipfile.ZipFile(wheel) as zipped:
        names = set(zipped.namelist())
        meta = email.message_from_bytes(zipped.read(f"site_builder-{__version__}.dist-info/METADATA"))
    for name in ("site_builder/cli.py", "site_builder/templates/base.html", "site_builder/templates/feed.xsl",
                 "site_builder/templates/static/style.css",
                 "site_builder/data/places.txt", "site_builder/site_template/github/workflows/pages.yml"):
        assert name in names, name
    assert meta["Name"] == "site-builder" and meta["Version"] == __version__
    assert meta["Requires-Python"] == ">=3.11" and meta["Summary"]
    assert meta.get_content_type() == "text/markdown" or meta["Description-Content-Type"] == "text/markdown"
    assert "Programming Language :: Python :: 3.11" in meta.get_all("Classifier")
    with tarfile.open(sdist) as tar:
        assert f"site_builder-{__version__}/templates/base.html" in tar.getnames()


@pytest.mark.slow
def test_the_wheel_runs_on_its_own(dist, tmp_path):
    """Installed alone (its dependencies from the test venv), it makes a site that builds and checks."""
    target = tmp_path / "installed"
    wheel = next(dist.glob("*.whl"))
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                           "--target", str(target), str(wheel)], capture_output=True, check=False, text=True)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=tmp_path, env=env,
                              capture_output=True, check=False, text=True, timeout=120)

    where = subprocess.run([sys.executable, "-c", "import site_builder; print(site_builder.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, check=False, text=True)
    assert where.stdout.startswith(str(target)), where.stdout + where.stderr
    assert cli("--version").stdout.strip() == f"site-builder {__version__}"
    assert cli("init", "s", "--base-url", "https://example.org/news/").returncode == 0
    built = cli("build", "--site", "s")
    assert built.returncode == 0 and built.stdout.startswith("Built 1 articles"), built.stderr
    checked = cli("check", "--site", "s")
    assert checked.returncode == 0, checked.stdout + checked.stderr
