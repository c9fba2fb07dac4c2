"""Permanent ids, guarded locally: an article readers have seen keeps its feed id and date, or
the build says why. Readers have seen what was deployed (issue #13): `deploy` and `check --live`
record it (live_guard.py); what was only ever built here blocks nothing. The comparison with
the live site itself is tested in test_live_guard.py."""
from __future__ import annotations

import pytest
from conftest import article, make_site, output_files, run_cli

from site_builder.build.run import build
from site_builder.commands.live_guard import remember_deployed
from site_builder.core.errors import BuildErrors, ContentError

FILES = {
    "content/original-title.md": article("Original Title", "2024-05-01T10:00:00+00:00", tags="[Iran]"),
    "content/pinned.md": article("Pinned Story", "2024-05-02", id="tag:user.github.io,2024-05-02:articles/pinned-story"),
}


@pytest.fixture
def published(tmp_path):
    """A site built and deployed: its articles are now in readers' hands."""
    site = make_site(tmp_path / "site", FILES)
    build(site)
    remember_deployed(site, site / "output")  # what `deploy` records once it has pushed
    return site


@pytest.fixture
def built_only(tmp_path):
    """A site built, never deployed: no reader has seen it."""
    site = make_site(tmp_path / "site", FILES)
    build(site)
    return site


def errors_of(site, **options) -> str:
    with pytest.raises((ContentError, BuildErrors)) as info:
        build(site, **options)
    return str(info.value)


def test_a_new_slug_without_a_pinned_id_is_refused(published):
    before = output_files(published / "output")
    (published / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title"))
    message = errors_of(published)
    assert message.startswith("content/original-title.md: its feed id would change from "
                              "'tag:user.github.io,2024-05-01:articles/original-title'")
    assert "add 'id: tag:user.github.io,2024-05-01:articles/original-title' to its front matter" in message
    assert output_files(published / "output") == before


def test_the_fix_it_suggests_works(published):
    (published / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title", id="tag:user.github.io,2024-05-01:articles/original-title"))
    build(published)
    assert (published / "output/articles/a-better-title/index.html").exists()


def test_a_pinned_id_survives_a_new_slug(published):
    (published / "content/pinned.md").write_text(article(
        "Pinned Story", "2024-05-02", slug="new-address", id="tag:user.github.io,2024-05-02:articles/pinned-story"))
    build(published)
    assert not (published / "output/articles/pinned-story").exists()


def test_a_moved_publication_date_is_refused(published):
    (published / "content/pinned.md").write_text(article(
        "Pinned Story", "2024-06-30", id="tag:user.github.io,2024-05-02:articles/pinned-story"))
    assert "content/pinned.md: its date would move from 2024-05-02T00:00:00+00:00 to 2024-06-30" in errors_of(published)


def test_changing_id_domain_is_caught_for_every_article(published):
    toml = (published / "site.toml").read_text().replace('id_domain = "user.github.io"', 'id_domain = "other.org"')
    (published / "site.toml").write_text(toml)
    message = errors_of(published)
    assert "content/original-title.md" in message and "tag:other.org" in message


def test_allow_id_change_accepts_it(published):
    (published / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title"))
    build(published, allow_id_change=True)
    assert (published / "output/articles/a-better-title/index.html").exists()
    remember_deployed(published, published / "output")  # once deployed, the new id is the one readers have
    (published / "content/pinned.md").write_text(article(
        "Pinned Story", "2024-05-02", "New text.", id="tag:user.github.io,2024-05-02:articles/pinned-story"))
    (published / "site.toml").write_text((published / "site.toml").read_text() + 'description = "Now"\n')
    build(published)  # a full build, guarded: nothing refused


def test_moving_the_site_keeps_ids_so_nothing_is_refused(published):
    build(published, base_url="https://news.example.org/")
    assert "https://news.example.org/articles/original-title/" in (published / "output/atom.xml").read_text()


def test_articles_leaving_the_feed_window_are_normal(tmp_path):
    files = {f"content/s{i}.md": article(f"Story {i}", f"2024-01-{i:02}") for i in range(1, 6)}
    site = make_site(tmp_path / "s", files, config='base_url = "https://u.github.io/r/"\nfeed_items = 2\n')
    build(site)
    remember_deployed(site, site / "output")
    for i in range(6, 9):
        (site / f"content/s{i}.md").write_text(article(f"Story {i}", f"2024-01-{i:02}"))
    build(site)
    (site / "content/s1.md").unlink()  # deleting an article is not an id change either
    build(site)


def test_edits_of_articles_no_reader_has_seen_never_block(built_only):
    """Just-imported articles, built here only: their dates and titles are the writer's to fix
    (the old guard compared with the last local build and refused this)."""
    (built_only / "content/pinned.md").write_text(article(
        "Pinned Story", "2024-06-30", id="tag:user.github.io,2024-05-02:articles/pinned-story"))
    (built_only / "content/original-title.md").write_text(article("A Better Title", "2024-05-03T10:00:00+00:00", slug="a-better-title"))
    build(built_only)
    assert (built_only / "output/articles/a-better-title/index.html").exists()


def test_a_new_article_beside_deployed_ones_is_free_to_change(published):
    (published / "content/fresh.md").write_text(article("Fresh", "2024-05-05"))
    build(published)
    (published / "content/fresh.md").write_text(article("Fresh Again", "2024-05-06"))
    build(published)


def test_the_command_line_refuses_then_accepts_with_the_option(published):
    (published / "content/original-title.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00", slug="a-better-title"))
    refused = run_cli("build", "--site", str(published))
    assert refused.returncode == 1 and "--allow-id-change" in refused.stderr
    accepted = run_cli("build", "--site", str(published), "--allow-id-change")
    assert accepted.returncode == 0, accepted.stderr
