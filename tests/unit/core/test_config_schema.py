"""site.toml's schema, declared once (SiteConfig's fields): the README's reference table and
init's site.toml come from it or agree with it, and a mistyped key gets a suggestion."""
from __future__ import annotations

import re
import tomllib
from dataclasses import fields

import pytest
from conftest import REPO

from site_builder.commands.scaffold import init_site
from site_builder.core.config import SETTINGS, SiteConfig, config_from_dict, readme_table, with_readme_table
from site_builder.core.errors import BuildErrors, ConfigError


def test_the_readme_table_is_the_one_the_schema_makes():
    """Regenerate it with `python -m site_builder.core.config --readme`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert with_readme_table(readme) == readme, "run: python -m site_builder.core.config --readme"


def test_the_readme_table_has_a_row_per_key_and_nothing_else():
    rows = readme_table().splitlines()[2:]
    assert [re.match(r"\| `(\w+)` \|", row)[1] for row in rows] == [f.name for f in fields(SiteConfig)]


@pytest.mark.parametrize("base_url", [None, "https://user.github.io/news/"])
def test_init_site_toml_names_only_known_keys(tmp_path, base_url):
    """The keys init's site.toml sets load as they are; those it shows commented out are known."""
    init_site(tmp_path / "s", base_url=base_url)
    text = (tmp_path / "s/site.toml").read_text(encoding="utf-8")
    config_from_dict(tomllib.loads(text))
    shown = re.findall(r"^# (\w+) = ", text, re.MULTILINE)
    assert shown and set(shown) <= set(SETTINGS), set(shown) - set(SETTINGS)


def test_every_key_is_documented_and_checked():
    for name, setting in SETTINGS.items():
        assert setting.metadata["doc"], name
        assert setting.metadata["kind"].check is not None, name


def test_a_mistyped_key_gets_a_suggestion():
    with pytest.raises(ConfigError, match=r"^site\.toml: unknown key 'per_pages' \(did you mean 'per_page'\?\)$"):
        config_from_dict({"per_pages": 5})


def test_an_unknown_key_like_none_lists_the_known_ones():
    with pytest.raises(ConfigError) as info:
        config_from_dict({"zzz": 1})
    assert str(info.value) == f"site.toml: unknown key 'zzz' (known keys: {', '.join(sorted(SETTINGS))})"


def test_defaults_come_from_the_schema():
    config = config_from_dict({})
    assert config == SiteConfig()
    assert (config.feeds, config.tag_aliases, config.parse_timeout, config.id_domain) == (
        ("rss", "atom", "json"), {}, 10.0, None)
    assert SiteConfig().tag_aliases is not SiteConfig().tag_aliases  # each its own dict


def test_values_are_normalised_as_the_schema_says():
    config = config_from_dict({"base_url": "https://u.github.io/r", "feeds": ["rss"], "known_tags": ["A"],
                               "embed_hosts": ["WWW.Example.org"], "tag_aliases": {"A": ["b"]}})
    assert (config.base_url, config.feeds, config.known_tags, config.embed_hosts, config.tag_aliases) == (
        "https://u.github.io/r/", ("rss",), ("A",), ("www.example.org",), {"A": ("b",)})


def test_every_value_error_is_reported_at_once():
    with pytest.raises(BuildErrors) as info:
        config_from_dict({"per_page": 0, "feed_items": 0, "parse_timeout": 0, "id_domain": "a b",
                          "timezone": "Mars/Olympus"})
    assert [str(e).split("'")[1] for e in info.value.errors] == [
        "timezone", "per_page", "feed_items", "parse_timeout", "id_domain"]
