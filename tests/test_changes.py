"""What changed since the last build: only bodies (plan little), or more (plan everything)."""
from __future__ import annotations

from site_builder.changes import body_changes

LAST = {"frame": "F", "meta": "M", "stats": {"content/a.md": "1", "content/b.md": "2"}}


def test_files_whose_stat_changed_are_the_body_changes_when_frame_and_fields_are_the_same():
    stats = {"content/a.md": "1", "content/b.md": "3"}
    assert body_changes(LAST, "F", "M", stats, last_holds=True) == {"content/b.md"}


def test_nothing_is_assumed_when_fields_settings_or_the_last_output_differ():
    stats = dict(LAST["stats"])
    assert body_changes(LAST, "F", "M2", stats, last_holds=True) is None  # a title, a tag, a date…
    assert body_changes(LAST, "F2", "M", stats, last_holds=True) is None  # site.toml, theme, a file added
    assert body_changes(LAST, "F", "M", stats, last_holds=False) is None  # output/ not that build's
    assert body_changes(None, "F", "M", stats, last_holds=True) is None  # no build yet
