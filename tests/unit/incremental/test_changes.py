"""What changed since the last build: only bodies, fields too, or the layout (plan everything)."""
from __future__ import annotations

from site_builder.incremental.changes import Changes, light_changes

LAST = {"setup": "F", "meta": "M", "layout": "L", "stats": {"content/a.md": "1", "content/b.md": "2"}}
STATS = {"content/a.md": "1", "content/b.md": "3"}


def test_files_whose_stat_changed_are_the_changes_when_setup_and_layout_are_the_same():
    assert light_changes(LAST, "F", "M", "L", STATS, output_as_recorded=True) == Changes(frozenset({"content/b.md"}), True)
    assert light_changes(LAST, "F", "M2", "L", STATS, output_as_recorded=True) == Changes(frozenset({"content/b.md"}), False)


def test_nothing_is_assumed_when_the_layout_settings_or_the_last_output_differ():
    assert light_changes(LAST, "F", "M", "L2", STATS, output_as_recorded=True) is None  # a date, a tag, a URL…
    assert light_changes(LAST, "F2", "M", "L", STATS, output_as_recorded=True) is None  # site.toml, theme, a file added
    assert light_changes(LAST, "F", "M", "L", STATS, output_as_recorded=False) is None  # output/ not that build's
    assert light_changes(None, "F", "M", "L", STATS, output_as_recorded=True) is None  # no build yet


def test_a_file_with_a_new_stat_but_the_bytes_the_last_build_read_is_no_change():
    """A fresh clone (the Pages workflow): every stat is new, the bytes mostly are not."""
    fresh = {"content/a.md": "4", "content/b.md": "5"}
    assert light_changes(LAST, "F", "M", "L", fresh, output_as_recorded=True, same_bytes={"content/a.md"}) \
        == Changes(frozenset({"content/b.md"}), True)
