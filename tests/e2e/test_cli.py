"""The command line, through its real entry points."""
from __future__ import annotations

import subprocess

from conftest import article, console_script, output_files, run_cli


def test_build_prints_one_summary_line(sample_site):
    result = run_cli("build", "--site", str(sample_site))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Built 3 articles, 3 tags, ") and " feeds " in lines[0] and " s " in lines[0]
    size = sum(len(data) for data in output_files(sample_site / "output").values())
    assert lines[0].endswith(f"; {size / 1e6:.1f} MB)")


def test_a_site_too_large_for_github_pages_gets_a_warning(sample_site, monkeypatch, caplog):
    from site_builder.build import run as build_module  # in-process: the 1 GB limit made small
    build_module.build(sample_site)
    assert "GitHub Pages" not in caplog.text
    monkeypatch.setattr(build_module, "GITHUB_PAGES_LIMIT", 1000)
    result = build_module.build(sample_site)  # nothing changed: warned all the same
    assert result.size > 1000 and "GitHub Pages publishes sites of up to 1 GB" in caplog.text


def test_console_script_is_the_same_command(sample_site):
    exe = console_script()
    result = subprocess.run([exe, "build", "--output", "out"], cwd=sample_site, capture_output=True, check=False,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert (sample_site / "out/index.html").exists()


def test_options_base_url_output_and_drafts(sample_site, tmp_path):
    (sample_site / "content/d.md").write_text(article("Draft Story", "2024-01-01", draft="true"))
    out = tmp_path / "elsewhere"
    result = run_cli("build", "--site", str(sample_site), "--output", str(out),
                     "--base-url", "https://news.example.org", "--drafts")
    assert result.returncode == 0, result.stderr
    assert "https://news.example.org/feed.xml" in (out / "index.html").read_text()
    assert (out / "articles/d/index.html").exists()


def test_all_content_errors_are_reported_at_once_and_nothing_is_written(sample_site):
    run_cli("build", "--site", str(sample_site))
    before = output_files(sample_site / "output")
    (sample_site / "content/a.md").write_text("---\ntitle: A\ndate: 2024-13-45\n---\n")
    (sample_site / "content/b.md").write_text("---\ntitle: B\ndate: 2024-01-01\ntags: [x\n---\n")
    (sample_site / "content/c.md").write_bytes(b"---\ntitle: C\ndate: 2024-01-01\n---\ncaf\xe9\n")
    (sample_site / "content/d.md").write_text("---\ntitle: D\n")
    result = run_cli("build", "--site", str(sample_site))
    assert result.returncode == 1
    assert "content/a.md:3: date: '2024-13-45' is not a date" in result.stderr
    assert "content/b.md:5: front matter is not valid YAML" in result.stderr
    assert "content/c.md:5: not UTF-8 text" in result.stderr
    assert "content/d.md:1: the front matter is not closed" in result.stderr
    assert output_files(sample_site / "output") == before


def test_config_errors_exit_1_naming_the_key(sample_site):
    (sample_site / "site.toml").write_text('per_page = "ten"\n')
    result = run_cli("build", "--site", str(sample_site))
    assert result.returncode == 1 and "'per_page' must be an integer" in result.stderr


def test_template_errors_name_the_template_and_line(sample_site):
    (sample_site / "templates").mkdir()
    (sample_site / "templates/tags.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{{ nope.x }}\n{% endblock %}\n")
    result = run_cli("build", "--site", str(sample_site))
    assert result.returncode == 1
    assert "tags.html:3" in result.stderr and "nope" in result.stderr


def test_help_shows_an_example():
    result = run_cli("build", "--help")
    assert result.returncode == 0 and "examples:\n  site-builder build\n" in result.stdout


def test_articles_held_back_for_their_dates_are_said(sample_site):
    """Issue #13, finding 6: the summary counts the future-dated articles left out and says
    when the next is due; --verbose names them. Drafts are left out for another reason."""
    (sample_site / "content/later.md").write_text(article("Later", "2999-06-01T12:00:00+00:00"))
    (sample_site / "content/soon.md").write_text(article("Soon", "2998-12-03T09:00:00+00:00"))
    (sample_site / "content/plan.md").write_text(article("Plan", "2998-01-01", draft="true"))
    said = "; 2 articles held back until their time, the next on 2998-12-03 09:00 UTC\n"
    for _ in range(2):  # a full build, then one with nothing to do: the same line
        result = run_cli("build", "--site", str(sample_site))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Built 3 articles") and result.stdout.endswith(said), result.stdout
    (sample_site / "content/soon.md").write_text(article("Soon", "2998-12-03T09:00:00+00:00", "Edited."))
    verbose = run_cli("build", "--site", str(sample_site), "--verbose")  # a rebuild of one body
    assert said in verbose.stdout
    assert "held back until its time: content/soon.md (2998-12-03 09:00 UTC)\n" \
           "held back until its time: content/later.md (2999-06-01 12:00 UTC)\n" in verbose.stdout
    assert "plan.md" not in verbose.stdout
    future = run_cli("build", "--site", str(sample_site), "--future")
    assert future.stdout.startswith("Built 5 articles") and "held back" not in future.stdout
    now = run_cli("build", "--site", str(sample_site))
    assert now.stdout.startswith("Built 3 articles") and now.stdout.endswith(said)
