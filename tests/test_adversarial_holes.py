"""The smaller holes of issue #12 (finding 9), end to end through the command line: a bad
input is refused with a message naming the file (and line), exit status 1, and neither
output/ nor content/ changes; what is not an error is shown on the built site.
"""
from __future__ import annotations

import pytest
from conftest import article, make_site, output_files, run_cli
from test_hostile_inputs import Row, snapshot
from test_hostile_inputs import test_a_bad_input_gets_a_clear_message_and_changes_nothing as assert_refused

GOOD_TOML = 'title = "T"\nbase_url = "https://u.github.io/r/"\n'

ROWS = [
    # base_url: whatever it holds is published in every link of every page, feed and sitemap
    Row("base_url with a user name and password", {},
        "site.toml: 'base_url' 'https://bob:…@example.org/' holds a user name or password, which "
        "would be published in every link: remove 'bob:…@'",
        config='base_url = "https://bob:secret@example.org/"\n'),
    Row("base_url with a user name", {}, "site.toml: 'base_url' 'https://bob@example.org/' holds a user name",
        config='base_url = "https://bob@example.org/"\n'),
    Row("base_url with a space in the host", {},
        "site.toml: 'base_url': 'exa mple.org' in 'https://exa mple.org/' is not a host name",
        config='base_url = "https://exa mple.org/"\n'),
    Row("base_url with a bad port", {}, "site.toml: 'base_url': the port of 'https://example.org:80a/' is not "
        "a number", config='base_url = "https://example.org:80a/"\n'),
    Row("base_url with a space in the path", {}, "site.toml: 'base_url': 'https://example.org/my news/' "
        "holds ' ', which no URL may hold: write it as %20", config='base_url = "https://example.org/my news"\n'),
    # dates every feed format and reader can carry
    Row("date in the year 1", {"content/bad.md": article("T", "0001-01-01")},
        "content/bad.md:3: date: '0001-01-01' is outside the years 1900–9998 a feed can carry: check the year"),
    Row("date in 1899 (RSS dates start in 1900)", {"content/bad.md": article("T", "1899-12-31")},
        "content/bad.md:3: date: '1899-12-31' is outside the years 1900–9998"),
    Row("date in 9999 west of UTC", {"content/bad.md": article("T", "9999-12-31T20:00:00-05:00")},
        "content/bad.md:3: date: '9999-12-31T20:00:00-05:00' is outside the years 1900–9998"),
    Row("updated in the year 1", {"content/bad.md": article("T", "2024-01-01", updated="0001-01-01T10:00:00+02:00")},
        "content/bad.md:4: updated: '0001-01-01T10:00:00+02:00' is outside the years 1900–9998"),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_a_hole_of_issue_12_is_refused_and_changes_nothing(tmp_path, row):
    assert_refused(tmp_path, row)


def test_a_password_in_base_url_is_never_printed(tmp_path):
    site = make_site(tmp_path / "site", {}, config='base_url = "https://bob:secret@example.org/"\n')
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1 and "secret" not in result.stderr + result.stdout


def test_a_bad_base_url_option_is_named_as_the_option(tmp_path):
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-01-01")}, config=GOOD_TOML)
    result = run_cli("build", "--site", str(site), "--base-url", "https://bob:secret@example.org/")
    assert result.returncode == 1
    assert ("--base-url 'https://bob:…@example.org/' holds a user name or password, which would be "
            "published in every link: remove 'bob:…@'") in result.stderr
    assert "secret" not in result.stderr and not (site / "output").exists()

