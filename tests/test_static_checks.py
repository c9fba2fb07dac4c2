"""The code's types check and its lint is clean: mypy over site_builder/ and ruff over the
repository, each under the configuration in pyproject.toml ([tool.mypy], [tool.ruff]), with
the versions the test extra pins."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, check=False,
                          text=True, timeout=600)


def test_mypy_finds_no_errors_in_site_builder():
    done = _run("mypy", "site_builder")
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    assert done.stdout.startswith("Success: no issues found"), done.stdout


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "site_builder", "tests", "scripts", "benchmarks")
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
