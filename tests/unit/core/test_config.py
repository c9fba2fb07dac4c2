"""site.toml: defaults, validation that names the key, and the --base-url override."""
from __future__ import annotations

import pytest

from site_builder.core.config import load_config
from site_builder.core.errors import BuildErrors, ConfigError


def write(tmp_path, text):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_every_key_has_a_default(tmp_path):
    config = load_config(tmp_path)
    assert (config.per_page, config.feed_items, config.language, config.timezone) == (10, 20, "en", "UTC")


def test_values_are_read_and_base_url_gets_its_slash(tmp_path):
    config = load_config(write(tmp_path, 'title = "T"\nbase_url = "https://u.github.io/repo"\nper_page = 5\n'))
    assert (config.title, config.base_url, config.base_path, config.per_page) == (
        "T", "https://u.github.io/repo/", "/repo/", 5)
    assert config.entry_id_domain == "u.github.io"  # id_domain defaults to the host


def test_base_url_option_overrides_the_file(tmp_path):
    config = load_config(write(tmp_path, 'base_url = "https://a.org/"\n'), base_url="https://b.org/x/")
    assert config.base_url == "https://b.org/x/"


@pytest.mark.parametrize("text, expected", [
    ('titel = "T"\n', "site.toml: unknown key 'titel'"),
    ('per_page = "ten"\n', "site.toml: 'per_page' must be an integer, not 'ten'"),
    ('title = 3\n', "site.toml: 'title' must be a string, not 3"),
    ('feed_items = true\n', "site.toml: 'feed_items' must be an integer, not True"),
    ('per_page = 0\n', "site.toml: 'per_page' must be at least 1"),
    ('timezone = "Mars/Olympus"\n', "site.toml: 'timezone' 'Mars/Olympus' is not an IANA time zone"),
    ('base_url = "user.github.io/repo"\n', "site.toml: 'base_url' must be an absolute http(s) URL"),
    ('title = "unclosed\n', "site.toml: "),
])
def test_bad_config_names_the_key(tmp_path, text, expected):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert str(info.value).startswith(expected)


def test_all_bad_keys_are_reported_together(tmp_path):
    with pytest.raises(BuildErrors) as info:
        load_config(write(tmp_path, 'titel = "T"\nper_page = "x"\n'))
    assert "'titel'" in str(info.value) and "'per_page'" in str(info.value)
