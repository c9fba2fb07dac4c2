"""`site-builder deploy`: publish output/ as the whole tree of a gh-pages branch, with
ghp-import (the library MkDocs and Pelican publish with), for sites that do not use the
GitHub Actions workflow.

    deploy(site/, output/, DeployOptions) → fetch the branch → commit output/ on top of it
                                             → push (unless --no-push)

ghp-import writes the commit with `git fast-import`, so the working tree, the index and the
checked-out branch are never touched; each deploy is one commit on the branch, whose tree is
exactly output/ (CNAME and .nojekyll included, as the build writes them). It runs git in the
current folder, so the site's folder is made current for the call. A `.git` clone inside
output/ (the writer keeps one) is left out of the published tree.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.errors import DeployError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeployOptions:
    """Where and how to publish."""

    remote: str = "origin"
    branch: str = "gh-pages"
    message: str | None = None  # default: names the source commit and site-builder's version
    push: bool = True


@dataclass(frozen=True)
class DeployResult:
    """The commit made on the branch, and how many files its tree holds."""

    commit: str
    files: int


def deploy(site_dir: Path, output_dir: Path, options: DeployOptions) -> DeployResult:
    """Commit output_dir as the branch's whole tree in the site's git repository; push it."""
    import ghp_import

    if not (output_dir / "index.html").is_file():
        raise DeployError(f"{output_dir} holds no built site (no index.html): run `site-builder build` first")
    site_dir = site_dir.resolve()
    _git(site_dir, "rev-parse", "--git-dir", what="find the site's git repository (run `git init` first)")
    _check_identity(site_dir)
    remote_exists = options.remote in _git(site_dir, "remote").split()
    if options.push and not remote_exists:
        raise DeployError(f"the repository has no remote {options.remote!r}: add it with `git remote add "
                          f"{options.remote} URL`, name another with --remote, or use --no-push")
    if remote_exists:  # start from what was published, wherever it was published from
        fetched = _run(site_dir, "fetch", "--quiet", options.remote, f"+{options.branch}:refs/remotes/"
                       f"{options.remote}/{options.branch}")
        if fetched.returncode != 0 and "couldn't find remote ref" not in fetched.stderr:
            raise DeployError(f"git fetch {options.remote} {options.branch} failed: {fetched.stderr.strip()}")
    message = options.message or _default_message(site_dir)
    with _published_tree(output_dir) as tree, contextlib.chdir(site_dir):
        log.debug("ghp-import %s → %s (push: %s)", tree, options.branch, options.push)
        try:
            ghp_import.ghp_import(str(tree), mesg=message, remote=options.remote, branch=options.branch,
                                  push=options.push, nojekyll=True, force=False)
        except ghp_import.GhpError as exc:
            raise DeployError(f"ghp-import: {exc.message}") from exc
        except subprocess.CalledProcessError as exc:
            raise DeployError(f"git push {options.remote} {options.branch} failed (exit {exc.returncode}): "
                              "see git's message above; is the remote's branch newer than yours?") from exc
        except TypeError as exc:  # ghp-import 2.1 writes bytes to stdout when fast-import fails
            raise DeployError(f"git fast-import could not commit to {options.branch}") from exc
        files = sum(1 for p in tree.rglob("*") if p.is_file())
    commit = _git(site_dir, "rev-parse", f"refs/heads/{options.branch}", what="read the new commit").strip()
    return DeployResult(commit, files)


def _default_message(site_dir: Path) -> str:
    """Return 'Publish the site from 1a2b3c4 with site-builder 0.1.0' (no commit: no 'from')."""
    head = _run(site_dir, "rev-parse", "--short", "HEAD")
    source = f" from {head.stdout.strip()}" if head.returncode == 0 else ""
    return f"Publish the site{source} with site-builder {__version__}"


def _check_identity(site_dir: Path) -> None:
    """ghp-import commits as git's user.name and user.email (or GIT_COMMITTER_*): say so
    clearly when neither is set, rather than fail inside git fast-import."""
    for key, env in (("user.name", "GIT_COMMITTER_NAME"), ("user.email", "GIT_COMMITTER_EMAIL")):
        if not os.environ.get(env) and not _run(site_dir, "config", key).stdout.strip():
            raise DeployError(f"git has no {key} to commit with: set it with `git config {key} …`")


@contextlib.contextmanager
def _published_tree(output_dir: Path) -> Iterator[Path]:
    """Yield output_dir, or a copy of it (hard links) without the .git clone it may hold."""
    if not (output_dir / ".git").exists():
        yield output_dir
        return
    with tempfile.TemporaryDirectory(prefix=".deploy-", dir=output_dir.parent) as temp:
        tree = Path(temp) / "site"
        shutil.copytree(output_dir, tree, ignore=lambda folder, names: [".git"] if Path(folder) == output_dir else [],
                        copy_function=_link_or_copy)
        yield tree


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _run(site_dir: Path, *args: str) -> subprocess.CompletedProcess:
    log.debug("git %s", " ".join(args))
    return subprocess.run(["git", *args], cwd=site_dir, capture_output=True, text=True, check=False)


def _git(site_dir: Path, *args: str, what: str = "run git") -> str:
    """Run git in the site's folder; raise DeployError with git's message if it fails."""
    try:
        result = _run(site_dir, *args)
    except FileNotFoundError as exc:
        raise DeployError("git is not installed: deploy needs it (or publish with the GitHub Actions workflow)") from exc
    if result.returncode != 0:
        raise DeployError(f"could not {what}: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout
