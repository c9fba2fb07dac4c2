"""Permanent ids, guarded: a published article keeps its feed id and date, or the build says why."""
from __future__ import annotations

import pytest
from conftest import article, make_site, output_files, run_cli

from site_builder.build import build
from site_builder.errors import BuildErrors, ContentError


@pytest.fixture
def published(tmp_path):
    """A site built once: its articles are now in readers' hands."""
    site = make_site(tmp_path / "site", {
        "content/story.md": article("Original Title", "2024-05-01T10:00:00+00:00", tags="[Iran]"),
        "content/pinned.md": article("Pinned Story", "2024-05-02", id="tag:user.github.io,2024-05-02:articles/pinned-story"),
    })
    build(site)
    return site


def errors_of(site, **options) -> str:
    with pytest.raises((ContentError, BuildErrors)) as info:
        build(site, **options)
    return str(info.value)


def test_renaming_an_article_without_a_pinned_id_is_refused(published):
    before = output_files(published / "output")
    (published / "content/story.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00"))
    message = errors_of(published)
    assert message.startswith("content/story.md: its feed id would change from "
                              "'tag:user.github.io,2024-05-01:articles/original-title'")
    assert "add 'id: tag:user.github.io,2024-05-01:articles/original-title' to its front matter" in message
    assert output_files(published / "output") == before


def test_the_fix_it_suggests_works(published):
    (published / "content/story.md").write_text(article(
        "A Better Title", "2024-05-01T10:00:00+00:00", id="tag:user.github.io,2024-05-01:articles/original-title"))
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
    assert "content/story.md" in message and "tag:other.org" in message


def test_allow_id_change_accepts_it(published):
    (published / "content/story.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00"))
    build(published, allow_id_change=True)
    build(published)  # and from then on, the new id is the published one
    assert (published / "output/articles/a-better-title/index.html").exists()


def test_moving_the_site_keeps_ids_so_nothing_is_refused(published):
    build(published, base_url="https://news.example.org/")
    assert "https://news.example.org/articles/original-title/" in (published / "output/atom.xml").read_text()


def test_articles_leaving_the_feed_window_are_normal(tmp_path):
    files = {f"content/s{i}.md": article(f"Story {i}", f"2024-01-{i:02}") for i in range(1, 6)}
    site = make_site(tmp_path / "s", files, config='base_url = "https://u.github.io/r/"\nfeed_items = 2\n')
    build(site)
    for i in range(6, 9):
        (site / f"content/s{i}.md").write_text(article(f"Story {i}", f"2024-01-{i:02}"))
    build(site)
    (site / "content/s1.md").unlink()  # deleting an article is not an id change either
    build(site)


def test_the_command_line_refuses_then_accepts_with_the_option(published):
    (published / "content/story.md").write_text(article("A Better Title", "2024-05-01T10:00:00+00:00"))
    refused = run_cli("build", "--site", str(published))
    assert refused.returncode == 1 and "--allow-id-change" in refused.stderr
    accepted = run_cli("build", "--site", str(published), "--allow-id-change")
    assert accepted.returncode == 0, accepted.stderr


def test_the_old_output_is_read_from_every_months_archive(tmp_path):
    """Without records, the guard reads what was published from the Atom feed and its month
    archive documents (archive/YYYY/MM/atom.xml): every article, not the newest only."""
    from site_builder.idguard import published_in_output

    files = {f"content/s{i}.md": article(f"Story {i}", f"2024-0{i}-01") for i in range(1, 6)}
    site = make_site(tmp_path / "s", files, config='base_url = "https://u.github.io/r/"\nfeed_items = 2\n')
    build(site)
    assert {p.path for p in published_in_output(site / "output")} == {f"articles/story-{i}/" for i in range(1, 6)}
