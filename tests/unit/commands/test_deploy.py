"""`site-builder deploy`: output/ published as the whole tree of a gh-pages branch, pushed to
a local bare repository standing in for GitHub; the branch's tree is then read back."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import article, make_site, run_cli

from site_builder import __version__

CONFIG = ('title = "Test News"\nbase_url = "https://news.example.org/"\ncname = "news.example.org"\n'
          'id_domain = "news.example.org"\n')


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


@pytest.fixture
def repo(tmp_path) -> tuple[Path, Path]:
    """A site in a git repository with a commit, and a bare repository as its origin."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    site = make_site(tmp_path / "site", {
        "content/one.md": article("One", "2024-01-01", "First.", tags="[Iran]"),
        "content/two.md": article("Two", "2024-01-02", "Second."),
        ".gitignore": "output/\n.output.*\n.site-builder-cache/\n",
    }, config=CONFIG)
    git(site, "init", "--quiet", "--initial-branch", "main")
    git(site, "config", "user.name", "Ana Díaz")
    git(site, "config", "user.email", "ana@example.org")
    git(site, "add", ".")
    git(site, "commit", "--quiet", "-m", "The site")
    git(site, "remote", "add", "origin", str(remote))
    return site, remote


def tree(repo: Path, ref: str = "gh-pages") -> set[str]:
    return set(git(repo, "ls-tree", "-r", "--name-only", ref).split("\n")) - {""}


def test_deploy_builds_and_pushes_output_as_the_branchs_tree(repo):
    site, remote = repo
    result = run_cli("deploy", "--site", str(site))
    assert result.returncode == 0, result.stderr
    files = tree(remote)
    assert {"CNAME", ".nojekyll", "index.html", "404.html", "feed.xml", "atom.xml", "sitemap.xml",
            "robots.txt", "articles/one/index.html", "tags/iran/index.html", "static/style.css"} <= files
    assert not any(f.startswith(("output/", ".site-builder-cache", "content/")) for f in files)
    built = {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*") if p.is_file()}
    assert files == built
    assert git(remote, "show", "gh-pages:CNAME") == "news.example.org\n"
    source = git(site, "rev-parse", "--short", "HEAD").strip()
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").strip() == \
        f"Publish the site from {source} with site-builder {__version__}"
    assert "Committed " in result.stdout and "pushed it to origin" in result.stdout
    # the source branch and the working tree are as they were
    assert git(site, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(site, "status", "--porcelain") == ""


def test_a_second_deploy_adds_a_commit_with_the_new_tree(repo):
    site, remote = repo
    assert run_cli("deploy", "--site", str(site)).returncode == 0
    first = git(remote, "rev-parse", "gh-pages").strip()
    (site / "content/two.md").unlink()
    result = run_cli("deploy", "--site", str(site), "--message", "Evening edition")
    assert result.returncode == 0, result.stderr
    assert git(remote, "rev-parse", "gh-pages^").strip() == first  # history kept
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").strip() == "Evening edition"
    files = tree(remote)
    assert "articles/one/index.html" in files and "articles/two/index.html" not in files


def test_no_push_commits_to_the_local_branch_only(repo):
    site, remote = repo
    result = run_cli("deploy", "--site", str(site), "--no-push", "--branch", "pages")
    assert result.returncode == 0, result.stderr
    assert "index.html" in tree(site, "pages")
    assert git(remote, "branch", "--list") == ""
    assert "not pushed" in result.stdout


def test_another_remote_and_branch(repo, tmp_path):
    site, _ = repo
    other = tmp_path / "other.git"
    git(tmp_path, "init", "--quiet", "--bare", str(other))
    git(site, "remote", "add", "upstream", str(other))
    result = run_cli("deploy", "--site", str(site), "--remote", "upstream", "--branch", "site")
    assert result.returncode == 0, result.stderr
    assert "CNAME" in tree(other, "site")


def test_a_clone_inside_output_is_not_published(repo):
    site, remote = repo
    assert run_cli("build", "--site", str(site)).returncode == 0
    git(site / "output", "init", "--quiet")  # a user's clone of gh-pages, kept by the writer
    result = run_cli("deploy", "--site", str(site), "--no-build")
    assert result.returncode == 0, result.stderr
    assert not any(f.startswith(".git/") for f in tree(remote))
    assert (site / "output/.git").is_dir()


def test_a_deploy_publishes_over_a_branch_pushed_from_elsewhere(repo, tmp_path):
    """The branch on the remote is fetched first: a deploy from another clone is built on."""
    site, remote = repo
    assert run_cli("deploy", "--site", str(site)).returncode == 0
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    git(clone, "config", "user.name", "B")
    git(clone, "config", "user.email", "b@example.org")
    git(clone, "checkout", "--quiet", "gh-pages")
    (clone / "extra.txt").write_text("x")
    git(clone, "add", "extra.txt")
    git(clone, "commit", "--quiet", "-m", "from elsewhere")
    git(clone, "push", "--quiet", "origin", "gh-pages")
    result = run_cli("deploy", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert git(remote, "log", "-1", "--format=%s", "gh-pages^").strip() == "from elsewhere"


def test_errors_say_what_to_do(tmp_path, repo):
    plain = make_site(tmp_path / "plain", {"content/a.md": article("A", "2024-01-01")}, config=CONFIG)
    result = run_cli("deploy", "--site", str(plain))
    assert result.returncode == 1 and "git init" in result.stderr
    site, _ = repo
    git(site, "remote", "remove", "origin")
    result = run_cli("deploy", "--site", str(site))
    assert result.returncode == 1 and "no remote 'origin'" in result.stderr and "--no-push" in result.stderr
    result = run_cli("deploy", "--site", str(tmp_path / "plain"), "--no-build", "--output", str(tmp_path / "none"))
    assert result.returncode == 1 and "holds no built site" in result.stderr
