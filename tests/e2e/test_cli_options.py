"""Options every command shares (--help with examples, --quiet, --verbose), what the user
sees of progress (a bar on a terminal, plain lines in pipes), and log messages from library
code. Through the real entry point, in a pipe and in a pseudo-terminal."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, article, make_site, run_cli

COMMANDS = ("init", "new", "serve", "build", "check", "deploy", "import")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples_and_the_common_options(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "examples:\n" in result.stdout
    assert f"\n  site-builder {command}" in result.stdout  # an example of this very command
    assert "--quiet" in result.stdout and "--verbose" in result.stdout


def test_the_main_help_shows_a_day_of_work_with_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"  site-builder {command} " in result.stdout, command


def test_quiet_and_verbose_together_are_refused():
    result = run_cli("build", "--quiet", "--verbose")
    assert result.returncode == 2 and "not allowed with" in result.stderr


def test_quiet_build_prints_nothing(sample_site):
    result = run_cli("build", "--quiet", "--site", str(sample_site))
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")


def test_a_quick_build_in_a_pipe_prints_no_progress(sample_site):
    result = run_cli("build", "--site", str(sample_site))
    assert result.returncode == 0
    assert result.stderr == ""


def test_verbose_build_lists_every_progress_step_as_plain_lines(sample_site):
    result = run_cli("build", "--verbose", "--site", str(sample_site))
    assert result.returncode == 0, result.stderr
    assert "parsing: 3/3 (" in result.stderr
    assert re.search(r"^rendering: (\d+)/\1 \(", result.stderr, re.MULTILINE), result.stderr
    assert "\x1b[" not in result.stderr  # no terminal codes in a pipe


def test_quiet_import_prints_only_problems(tmp_path):
    site = make_site(tmp_path / "site", {})
    dump = FIXTURES / "000_5d718aeda1ebb40d.txt"
    result = run_cli("import", str(dump), "--date", "2024-07-15", "--site", str(site), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    assert len(list((site / "content").glob("*.md"))) == 2
    result = run_cli("import", str(dump), "--date", "2024-07-15", "--site", str(site))
    assert "Imported 2 articles from 1 source: 0 created, 0 replaced, 2 unchanged" in result.stdout


def test_warnings_from_library_code_are_shown_with_their_level(tmp_path):
    """content.py logs a warning when it drops a control character: the CLI shows it (it
    is configured by the CLI, not by the library), even with --quiet."""
    site = make_site(tmp_path / "site", {"content/a.md": article("Alpha", "2024-01-01", "Word\x0bbreak.")})
    result = run_cli("build", "--quiet", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "warning: content/a.md:5: removed control characters (first: U+000B)" in result.stderr


def run_in_terminal(*args: str, timeout: float = 120) -> tuple[int, bytes]:
    """Run `python -m site_builder ARGS` with a pseudo-terminal as its stdout and stderr."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "site_builder", *args], stdin=follower,
                               stdout=follower, stderr=follower, close_fds=True, cwd=REPO)
    os.close(follower)
    output, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            output += chunk
        return process.wait(timeout=10), output
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory) -> Path:
    """Enough articles that parsing reports progress before it is done."""
    files = {f"content/s{n}.md": article(f"Story {n}", "2024-01-01", f"Body {n}.") for n in range(150)}
    return make_site(tmp_path_factory.mktemp("many") / "site", files)


def test_a_build_on_a_terminal_draws_a_progress_bar(many_articles):
    status, output = run_in_terminal("build", "--site", str(many_articles))
    assert status == 0, output
    assert "━".encode() in output and b"parsing" in output
    assert b"Built 150 articles" in output


def test_the_same_build_in_a_pipe_draws_no_bar(many_articles, tmp_path):
    result = run_cli("build", "--site", str(many_articles), "--output", str(tmp_path / "elsewhere"))
    assert result.returncode == 0, result.stderr
    assert "━" not in result.stderr + result.stdout
