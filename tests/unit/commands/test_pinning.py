"""pinning.py: the requirements.txt line that installs, on GitHub's runner, exactly the
site-builder in use — read from its PEP 610 record (direct_url.json) — and `site-builder pin`."""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from conftest import run_cli

from site_builder.commands import pinning
from site_builder.commands.pinning import Pin, pin_site, requirement_for

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def installed(root: Path, direct_url: dict | None, files: dict[str, str] | None = None) -> metadata.Distribution:
    """Return an installation of site-builder 0.1.0 in root (a site-packages folder): the given
    package files, a dist-info with its RECORD, and direct_url.json when given."""
    info = root / "site_builder-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: site-builder\nVersion: 0.1.0\n")
    (info / "WHEEL").write_text("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    (info / "INSTALLER").write_text("pip\n")
    (info / "entry_points.txt").write_text("[console_scripts]\nsite-builder = site_builder.cli:main\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
    record = []
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
        record.append(f"{name},,")
    record += [f"{info.name}/{n}," for n in ("METADATA", "WHEEL", "INSTALLER", "entry_points.txt", "RECORD")]
    record += ["../../../bin/site-builder,,", "site_builder/__pycache__/cli.cpython-311.pyc,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n")
    return metadata.PathDistribution(info)


def test_installed_from_an_index_pins_the_version(tmp_path):
    assert requirement_for(tmp_path, installed(tmp_path / "sp", None)).line == "site-builder==0.1.0"


def test_installed_from_a_git_url_pins_the_commit(tmp_path):
    dist = installed(tmp_path / "sp", {"url": "https://github.com/newsroom/site-builder.git",
                                       "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}})
    assert requirement_for(tmp_path, dist).line == \
        f"site-builder @ git+https://github.com/newsroom/site-builder.git@{COMMIT}"


def test_installed_from_a_wheel_url_names_it_with_its_hash(tmp_path):
    url = "https://files.example.org/site_builder-0.1.0-py3-none-any.whl"
    dist = installed(tmp_path / "sp", {"url": url, "archive_info": {"hashes": {"sha256": "ab12"}}})
    assert requirement_for(tmp_path, dist).line == f"site-builder @ {url}#sha256=ab12"


@pytest.mark.parametrize("origin", [
    {"url": "file:///home/ana/site-builder", "dir_info": {}},  # pip install ./site-builder
    {"url": "file:///home/ana/site-builder", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},  # a local repo
    {"url": "file:///home/ana/dist/site_builder-0.1.0-py3-none-any.whl", "archive_info": {}},
])
def test_installed_from_where_the_runner_cannot_reach_packs_the_installed_files(tmp_path, origin):
    """The runner reaches neither the writer's folders nor a local repository: the wheel is
    the installed files, packed again, and pip installs it as such."""
    files = {"site_builder/__init__.py": "__version__ = '0.1.0'\n", "site_builder/cli.py": "def main():\n    return 0\n",
             "site_builder/templates/base.html": "<html></html>\n"}
    pin = requirement_for(tmp_path, installed(tmp_path / "sp", origin, files))
    assert pin.wheel is not None and pin.wheel.name == "site_builder-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(pin.wheel) as wheel:
        names = wheel.namelist()
        assert sorted(names[:3]) == sorted(files) and names[-1] == "site_builder-0.1.0.dist-info/RECORD"
        assert not [n for n in names if "__pycache__" in n or n.startswith("..") or "direct_url" in n
                    or n.endswith(("INSTALLER", "REQUESTED"))]
        for line in wheel.read(names[-1]).decode().splitlines()[:-1]:  # PEP 427: every hash right
            name, digest, size = line.split(",")
            data = wheel.read(name)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert int(size) == len(data)
    target = tmp_path / "target"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                           "--target", str(target), str(pin.wheel)], capture_output=True, check=False, text=True)
    assert done.returncode == 0, done.stderr
    for name, text in files.items():
        assert (target / name).read_text() == text


def test_pin_replaces_its_own_line_and_keeps_the_others(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / ".site-builder/wheels").mkdir(parents=True)
    (site / ".site-builder/wheels/site_builder-0.0.9-py3-none-any.whl").write_bytes(b"old")
    (site / "requirements.txt").write_text("# mine\nsite-builder==0.1.0\nmarkdown-katex==1.0\n")
    new = tmp_path / "work/site_builder-0.2.0-py3-none-any.whl"
    new.parent.mkdir()
    new.write_bytes(b"new")
    monkeypatch.setattr(pinning, "requirement_for", lambda work: Pin("", new, "a folder"))
    pin_site(site)
    assert (site / "requirements.txt").read_text() == \
        "# mine\n./.site-builder/wheels/site_builder-0.2.0-py3-none-any.whl\nmarkdown-katex==1.0\n"
    assert [p.name for p in (site / ".site-builder/wheels").iterdir()] == [new.name]


def test_pin_command_after_an_upgrade(tmp_path):
    """A site made before pinning (site-builder==0.1.0, on no index) gets the wheel."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "requirements.txt").write_text("site-builder==0.1.0\n")
    result = run_cli("pin", "--site", str(site))
    assert result.returncode == 0, result.stderr
    line = "./.site-builder/wheels/site_builder-0.1.0-py3-none-any.whl"
    assert (site / "requirements.txt").read_text() == line + "\n"
    assert (site / line).is_file()
    assert f"requirements.txt: {line}" in result.stdout and "Commit " in result.stdout


def test_init_writes_nothing_when_no_wheel_can_be_made(tmp_path, monkeypatch):
    """The workflow would fail at its first step: init says why and leaves no half-made site."""
    from site_builder.commands.scaffold import init_site
    from site_builder.core.errors import SiteError

    def offline(work):
        raise SiteError("could not build a wheel of site-builder from /src for the site's workflow "
                        "(pip wheel: no network); try again when the package index can be reached")

    monkeypatch.setattr(pinning, "requirement_for", offline)
    with pytest.raises(SiteError, match="could not build a wheel"):
        init_site(tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_stray_egg_info_is_not_an_installation(tmp_path, monkeypatch):
    """A build leaves site_builder.egg-info in the source folder; run from there, it is found
    first, and it is no record of where the running site-builder came from."""
    stray = tmp_path / "src/site_builder.egg-info"
    stray.mkdir(parents=True)
    (stray / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: site-builder\nVersion: 0.1.0\n")
    real = installed(tmp_path / "sp", {"url": "https://github.com/newsroom/site-builder.git",
                                       "vcs_info": {"vcs": "git", "commit_id": COMMIT}})
    monkeypatch.setattr(pinning.metadata, "distributions",
                        lambda name: [metadata.PathDistribution(stray), real])
    assert requirement_for(tmp_path).line.endswith(f"@{COMMIT}")
    monkeypatch.setattr(pinning.metadata, "distributions", lambda name: [metadata.PathDistribution(stray)])
    assert pinning._installed() is None  # then: a wheel of the source folder it runs from
