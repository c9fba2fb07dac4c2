"""Shared fixtures: tiny sites written into temp folders, built for real."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.build.run import build

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ATOM_SCHEMA = Path(__file__).resolve().parent / "schemas" / "atom.rnc"

BASE_URL = "https://user.github.io/repo/"


def article(title: str, date: str, body: str = "Some text.", **fields) -> str:
    """Return the text of a content file with the given front matter."""
    lines = ["---", f"title: {title!r}" if "'" not in title else f'title: "{title}"', f"date: {date}"]
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n" + textwrap.dedent(body).strip() + "\n"


def picture(fmt: str = "PNG", size: tuple[int, int] = (4, 3), mode: str = "RGB", **save: object) -> bytes:
    """Return the bytes of a real picture (Pillow), for a site's static/ folder."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new(mode, size, (180, 40, 40, 200)[:len(mode)] if mode in ("RGB", "RGBA") else 128).save(out, fmt, **save)
    return out.getvalue()


def make_site(root: Path, files: dict[str, str | bytes], config: str | None = None) -> Path:
    """Write a site: `files` maps site-relative paths to their text; returns the site folder."""
    root.mkdir(parents=True, exist_ok=True)
    toml = config if config is not None else (
        f'title = "Test News"\nbase_url = "{BASE_URL}"\nauthor = "Desk"\n'
        'id_domain = "user.github.io"\ntimezone = "UTC"\n'
    )
    (root / "site.toml").write_text(toml, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def _feedvalidator() -> Path | None:
    """The W3C Feed Validation Service's source (w3c/feedvalidator), when this machine has it."""
    path = Path(os.environ.get("FEEDVALIDATOR_SRC", "/tmp/feedvalidator/src"))
    return path if (path / "feedvalidator").is_dir() else None


needs_feedvalidator = pytest.mark.skipif(
    _feedvalidator() is None, reason="the W3C feed validator's source is not on this machine "
    "(set FEEDVALIDATOR_SRC to a checkout's src/); it is not on PyPI")


def assert_w3c_valid(output: Path, base_url: str) -> None:
    """Assert that the W3C Feed Validation Service's code finds no error and no warning in any
    RSS or Atom feed of a built site (scripts/validate_feeds.py)."""
    result = subprocess.run([sys.executable, str(REPO / "scripts/validate_feeds.py"), str(output),
                             "--base-url", base_url, "--validator", str(_feedvalidator())],
                            capture_output=True, check=False, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m site_builder ARGS` as a user would; capture its output."""
    return subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=cwd,
                          capture_output=True, check=False, text=True, timeout=120)


def console_script() -> str:
    """Return the `site-builder` console script of the venv running the tests (beside
    sys.executable), so a suite run from any venv tests its own install, not another on PATH."""
    script = Path(sys.executable).parent / "site-builder"
    assert script.exists(), f"{script} is missing: install the package (pip install -e '.[test]')"
    return str(script)


class _Urls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "poster") and value is not None:
                self.urls.append(value)
            elif name == "srcset" and value:
                self.urls += [c.split()[0] for c in value.split(",") if c.strip()]


def urls_in(html: str) -> list[str]:
    """Every href, src, poster and srcset URL of an HTML page or fragment, as written."""
    parser = _Urls()
    parser.feed(html)
    parser.close()
    return parser.urls


def output_files(out: Path) -> dict[str, bytes]:
    """Return every file under out, keyed by its relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    """Return the inode of every file under folder, keyed by its relative path."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A small site with three articles, two sharing a tag spelled differently."""
    return make_site(tmp_path / "site", {
        "content/first-story.md": article("First Story", "2024-01-05", "First body with a [link](/tags/).",
                                    tags='["Iran", "Cuba"]'),
        "content/second-story.md": article("Second Story", "2024-02-10T08:30:00+01:00",
                                     "Second *body*.\n\n![map](/images/map.png)",
                                     tags='[" iran ", "IAEA"]', author="Ana Díaz",
                                     image="images/map.png", image_caption="A map"),
        "content/sub/third-story.md": article("Third Story", "2024-03-01", "Third body.", tags="[IAEA]"),
        "static/images/map.png": picture(),
    })


@pytest.fixture
def built(sample_site: Path) -> Path:
    """The sample site, built; returns its output folder."""
    build(sample_site)
    return sample_site / "output"


# `HYPOTHESIS_PROFILE=long pytest` runs the property tests with many more examples than CI.
from hypothesis import settings as _hypothesis_settings

LONG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "long"
_hypothesis_settings.register_profile("long", max_examples=1000, deadline=None)
if LONG_RUN:
    _hypothesis_settings.load_profile("long")


def examples(ci: int) -> int:
    """Return how many examples a property test tries: `ci` in CI, far more in a long run."""
    return 1000 if LONG_RUN else ci


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, which never downloads a browser of its own;
    skipped when it is missing (failed under CI=true: scripts/test.sh installs it)."""
    if not CHROMIUM.exists():
        why = f"Debian's chromium is missing ({CHROMIUM}): run scripts/test.sh"
        pytest.fail(why) if os.environ.get("CI") == "true" else pytest.skip(why)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            yield chromium
        finally:
            chromium.close()
