"""`site-builder init DIR`: a new site that builds, checks clean and is ready to publish; a
folder with someone's files in it is refused, or with --force added to without overwriting."""
from __future__ import annotations

import tomllib

import yaml
from conftest import REPO, run_cli

from site_builder.core.config import SETTINGS


def test_init_makes_a_site_that_builds_and_checks_clean(tmp_path):
    site = tmp_path / "mysite"
    result = run_cli("init", str(site), "--title", "Gulf & World", "--base-url", "https://user.github.io/news/")
    assert result.returncode == 0, result.stderr
    for name in ("site.toml", ".gitignore", "requirements.txt", ".github/workflows/pages.yml"):
        assert (site / name).is_file(), name
        assert f"created   {(site / name).as_posix()}\n" in result.stdout, name
    articles = list((site / "content").glob("*.md"))
    assert len(articles) == 1
    config = tomllib.loads((site / "site.toml").read_text())
    assert config["title"] == "Gulf & World"
    assert config["base_url"] == "https://user.github.io/news/"
    assert config["id_domain"] == "user.github.io"
    built = run_cli("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built 1 articles")
    checked = run_cli("check", "--site", str(site))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no problems" in checked.stdout


def test_init_markdown_gfm_makes_a_gfm_site_that_builds(tmp_path):
    """`init --markdown gfm` sets the engine (issue #15); the default stays Python-Markdown."""
    site = tmp_path / "s"
    assert run_cli("init", str(site), "--markdown", "gfm").returncode == 0
    assert tomllib.loads((site / "site.toml").read_text())["markdown"] == "gfm"
    article = next((site / "content").glob("*.md"))
    article.write_text(article.read_text() + "\n~~old~~ new, see www.example.org\n")
    built = run_cli("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    page = (site / "output/articles" / article.stem / "index.html").read_text()
    assert "<del>old</del>" in page and '<a href="http://www.example.org">' in page
    assert run_cli("init", str(tmp_path / "d")).returncode == 0
    assert tomllib.loads((tmp_path / "d/site.toml").read_text())["markdown"] == "python-markdown"


def test_site_toml_explains_every_key(tmp_path):
    """Every key config.py knows is in the file, set or commented out, under a comment."""
    assert run_cli("init", str(tmp_path / "s")).returncode == 0
    lines = (tmp_path / "s/site.toml").read_text().splitlines()
    for key in SETTINGS:
        at = next((i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{key} =")
                   or line == f"[{key}]"), None)
        assert at is not None, f"{key} is not in site.toml"
        assert lines[at - 1].startswith("#") and not lines[at - 1].lstrip("# ").startswith(f"{key} ="), key


def test_the_example_article_has_a_permanent_id_and_is_published(tmp_path):
    assert run_cli("init", str(tmp_path / "s"), "--base-url", "https://news.example.org").returncode == 0
    text = next((tmp_path / "s/content").glob("*.md")).read_text()
    fields = yaml.safe_load(text.split("---\n")[1])
    assert fields["id"].startswith("tag:news.example.org,")
    assert "draft" not in fields


def test_gitignore_and_workflow(tmp_path):
    assert run_cli("init", str(tmp_path / "s")).returncode == 0
    ignored = (tmp_path / "s/.gitignore").read_text().split()
    assert {"output/", ".output.*", ".site-builder-cache/"} <= set(ignored)
    workflow = yaml.safe_load((tmp_path / "s/.github/workflows/pages.yml").read_text())
    ours = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    assert workflow["permissions"] == ours["permissions"]
    assert [s.get("uses") for s in workflow["jobs"]["build"]["steps"]] == \
        [s.get("uses") for s in ours["jobs"]["build"]["steps"]]
    run = next(s["run"] for s in workflow["jobs"]["build"]["steps"] if "run" in s)
    assert "pip install -r requirements.txt" in run and "site-builder build --base-url" in run
    # the test venv's site-builder is an editable install: the workflow installs a wheel of it
    wheel = (tmp_path / "s/requirements.txt").read_text().splitlines()[-1]
    assert wheel == "./.site-builder/wheels/site_builder-0.1.0-py3-none-any.whl"
    assert (tmp_path / "s" / wheel).is_file()


def test_without_a_base_url_it_says_to_set_one(tmp_path):
    result = run_cli("init", str(tmp_path / "s"))
    assert result.returncode == 0
    assert "Set base_url and id_domain in site.toml" in result.stdout
    toml = (tmp_path / "s/site.toml").read_text()
    assert 'base_url = "https://example.org/"' in toml and "# id_domain = " in toml


def test_templates_copies_the_default_theme_and_the_site_still_builds(tmp_path):
    site = tmp_path / "s"
    assert run_cli("init", str(site), "--templates").returncode == 0
    assert (site / "templates/base.html").read_text() == (REPO / "templates/base.html").read_text()
    assert (site / "templates/static/style.css").is_file()
    (site / "templates/base.html").write_text((site / "templates/base.html").read_text().replace(
        "</body>", "<p>My own footer</p></body>"))
    assert run_cli("build", "--site", str(site)).returncode == 0
    assert "My own footer" in (site / "output/index.html").read_text()


def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    site = tmp_path / "s"
    site.mkdir()
    (site / "README.md").write_text("mine")
    result = run_cli("init", str(site))
    assert result.returncode == 1
    assert "is not empty (README.md)" in result.stderr and "--force" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["README.md"]


def test_an_empty_git_clone_counts_as_empty(tmp_path):
    site = tmp_path / "s"
    (site / ".git").mkdir(parents=True)
    assert run_cli("init", str(site)).returncode == 0


def test_force_overwrites_nothing_the_user_wrote(tmp_path):
    site = tmp_path / "s"
    (site / "content").mkdir(parents=True)
    (site / "templates").mkdir()
    mine = {
        "README.md": "mine",
        "site.toml": 'title = "Mine"\nbase_url = "https://me.example.org/"\n',
        ".gitignore": "secrets/\n",
        "content/story.md": "---\ntitle: My Story\ndate: 2024-01-01\n---\nMine.\n",
        "templates/base.html": (REPO / "templates/base.html").read_text().replace("</body>", "<p>mine</p></body>"),
    }
    for name, text in mine.items():
        (site / name).write_text(text)
    result = run_cli("init", str(site), "--force", "--templates")
    assert result.returncode == 0, result.stderr
    for name, text in mine.items():
        assert (site / name).read_text() == text, name
        if name not in ("README.md", "content/story.md"):  # not files init writes: not mentioned
            assert f"kept      {(site / name).as_posix()}  (it exists; not overwritten)" in result.stdout
    assert (site / ".github/workflows/pages.yml").is_file() and (site / "templates/article.html").is_file()
    assert [p.name for p in (site / "content").iterdir()] == ["story.md"]  # no example among mine
    assert run_cli("build", "--site", str(site)).returncode == 0


def test_init_into_a_file_is_an_error(tmp_path):
    (tmp_path / "f").write_text("x")
    result = run_cli("init", str(tmp_path / "f"))
    assert result.returncode == 1 and "is a file" in result.stderr
