"""What a site's workflow installs: exactly the site-builder that made it (issue #13, finding 1).

    requirement_for  the running installation → the requirements.txt line that installs it on
                     GitHub's runner, and the wheel to keep in the site when it needs one
    pin_site         site_dir → requirements.txt (its site-builder line) and .site-builder/wheels/

Where the running site-builder came from is in its PEP 610 record, `direct_url.json`:

    no record (an index, e.g. PyPI)        → site-builder==VERSION
    vcs_info, an http(s) URL               → site-builder @ git+URL@COMMIT
    archive_info, an http(s) URL           → site-builder @ URL#sha256=…
    anything else (a local folder, an editable install, a file: URL or a local repository;
    the runner cannot reach any of them)   → a wheel of the running tool in the site's
                                             .site-builder/wheels/, named by a relative path

The wheel is the installed files themselves, packed again (their RECORD lists them), so it is
exactly what runs; an editable install has no installed files, so its source folder is built
with `pip wheel`, as `pip install` would have (once per content of that source: the wheel is
kept in ~/.cache/site-builder/wheels/).
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import __version__
from ..core.errors import SiteError
from ..core.names import PACKAGE_DIR, RECORDS_DIR

DIST_NAME = "site-builder"
REQUIREMENTS = "requirements.txt"
WHEELS_DIR = RECORDS_DIR + "/wheels"
# The lines of requirements.txt that install site-builder: `pin` replaces them.
_OURS = re.compile(r"^\s*(site[-_.]builder\b|\S*\.site-builder/wheels/)", re.IGNORECASE)
# Files of an installed dist-info that describe the installation, not the package (PEP 376, 610).
_INSTALL_ONLY = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


@dataclass(frozen=True)
class Pin:
    """The requirements.txt line for the running site-builder, and the wheel it names (if any)."""

    line: str
    wheel: Path | None = None  # a built wheel to copy into the site's WHEELS_DIR
    source: str = ""  # where it came from, in words


def requirement_for(work_dir: Path, dist: metadata.Distribution | None = None) -> Pin:
    """Return how a fresh venv installs the running site-builder; a wheel is built in work_dir."""
    dist = dist or _installed()
    if dist is None:
        return _built_wheel(Path(PACKAGE_DIR).parent, work_dir, "its source folder")
    record = dist.read_text("direct_url.json")
    if not record:
        return Pin(f"{DIST_NAME}=={dist.version}", source="a package index")
    origin = json.loads(record)
    url, sub = origin.get("url", ""), origin.get("subdirectory")
    remote = urlsplit(url).scheme in ("http", "https")
    vcs = origin.get("vcs_info")
    if vcs and remote and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return Pin(f"{DIST_NAME} @ git+{url}@{vcs['commit_id']}" + (f"#subdirectory={sub}" if sub else ""),
                   source=f"{url} at commit {vcs['commit_id'][:12]}")
    archive = origin.get("archive_info")
    if archive is not None and remote:
        hashes = archive.get("hashes") or {}
        digest = f"sha256={hashes['sha256']}" if "sha256" in hashes else archive.get("hash")
        return Pin(f"{DIST_NAME} @ {url}" + (f"#{digest}" if digest else ""), source=url)
    if (origin.get("dir_info") or {}).get("editable"):
        return _built_wheel(Path(unquote(urlsplit(url).path)), work_dir, "the editable install's source")
    return Pin("", _repacked_wheel(dist, work_dir), source=f"the installed files ({url or 'unknown origin'})")


def _installed() -> metadata.Distribution | None:
    """Return the installation of site-builder: one an installer recorded (PEP 627's INSTALLER),
    not the site_builder.egg-info a build leaves in a source folder that is on sys.path."""
    found = list(metadata.distributions(name=DIST_NAME))
    recorded = [d for d in found if d.read_text("INSTALLER") is not None]
    candidates = recorded or [d for d in found if not str(getattr(d, "_path", "")).endswith(".egg-info")]
    return candidates[0] if candidates else None


def pin_site(site_dir: Path) -> Pin:
    """Make site_dir's requirements.txt install the running site-builder: replace its
    site-builder line (the other lines are kept) and, when it names a wheel, put that wheel
    alone in .site-builder/wheels/."""
    with tempfile.TemporaryDirectory(prefix="site-builder-wheel-") as work:
        pin = requirement_for(Path(work))
        if pin.wheel is not None:
            wheels = site_dir / WHEELS_DIR
            if wheels.is_dir():
                for stale in wheels.glob("*.whl"):
                    stale.unlink()
            wheels.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pin.wheel, wheels / pin.wheel.name)
            pin = Pin(f"./{WHEELS_DIR}/{pin.wheel.name}", wheels / pin.wheel.name, pin.source)
    path = site_dir / REQUIREMENTS
    old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in old if not _OURS.match(line)]
    at = next((i for i, line in enumerate(old) if _OURS.match(line)), len(kept))
    at = min(at, len(kept))
    path.write_text("\n".join(kept[:at] + [pin.line] + kept[at:]) + "\n", encoding="utf-8")
    return pin


_PACKED = ("pyproject.toml", "README.md", "site_builder", "templates")  # what the wheel is made of


def _built_wheel(source: Path, work_dir: Path, what: str) -> Pin:
    """Build a wheel of the source folder with pip, as `pip install` of it would; kept in the
    user's cache by the digest of the files it is made of, so the same source builds once."""
    if not (source / "pyproject.toml").is_file():
        raise SiteError(f"site-builder {__version__} runs from {source}, which has no pyproject.toml to "
                        "build a wheel from for the site's workflow: install site-builder from a git URL "
                        "or a wheel (README, \"Publishing to GitHub Pages\")")
    cached = _cache_dir() / _source_digest(source)
    found = sorted(cached.glob("site_builder-*.whl"))
    if found:
        return Pin("", found[-1], source=f"{what}, {source}")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
               "--wheel-dir", str(work_dir), str(source)]
    done = subprocess.run(command, capture_output=True, check=False, text=True)
    wheels = sorted(work_dir.glob("site_builder-*.whl"))
    if done.returncode != 0 or not wheels:
        last = (done.stderr.strip().splitlines() or ["no wheel was made"])[-1]
        raise SiteError(f"could not build a wheel of site-builder from {source} for the site's workflow "
                        f"(pip wheel: {last}); try again when the package index can be reached")
    try:  # the cache is a convenience: a read-only home still gets its wheel
        cached.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(wheels[-1], cached / f".{wheels[-1].name}.tmp")
        os.replace(cached / f".{wheels[-1].name}.tmp", cached / wheels[-1].name)
    except OSError:
        return Pin("", wheels[-1], source=f"{what}, {source}")
    return Pin("", cached / wheels[-1].name, source=f"{what}, {source}")


def _source_digest(source: Path) -> str:
    """Return a digest of the files a wheel of source is made of (their names and bytes)."""
    digest = hashlib.sha256()
    for name in _PACKED:
        top = source / name
        for path in sorted([top, *top.rglob("*")] if top.is_dir() else [top]):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(source).as_posix()}\0{path.stat().st_size}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _cache_dir() -> Path:
    """Return where built wheels are kept: the user's cache (XDG_CACHE_HOME, else ~/.cache)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "site-builder" / "wheels"


def _repacked_wheel(dist: metadata.Distribution, work_dir: Path) -> Path:
    """Pack the installed files of dist into a wheel again (PEP 427): what runs, byte for byte."""
    info = next((f.parts[0] for f in dist.files or [] if f.parts[0].endswith(".dist-info")), None)
    tags = [line.split(":", 1)[1].strip() for line in (dist.read_text("WHEEL") or "").splitlines()
            if line.startswith("Tag:")]
    if info is None or len(tags) != 1:
        raise SiteError(f"site-builder {dist.version} is installed without a record of its files: "
                        "reinstall it (pip install --force-reinstall …) and run `site-builder pin` again")
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"]).lower()
    wheel = work_dir / f"{name}-{dist.version}-{tags[0]}.whl"
    entries = []
    for file in dist.files or ():
        relative = str(file).replace("\\", "/")
        if relative.startswith("..") or "__pycache__" in file.parts or (
                file.parts[0] == info and file.name in _INSTALL_ONLY):
            continue  # scripts (pip makes them again), byte code, the installation's own records
        entries.append((relative, Path(file.locate()).read_bytes()))
    # the dist-info last, as wheels have it; fixed times, so the same files make the same wheel
    entries.sort(key=lambda e: (e[0].startswith(info + "/"), e[0]))
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in entries] + [f"{info}/RECORD,,"]
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as out:
        for path, data in entries:
            member = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            member.external_attr = 0o644 << 16
            out.writestr(member, data, zipfile.ZIP_DEFLATED)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
