"""build/load.py's parse cache: what a parsed article depends on besides its bytes (the salt)."""
from __future__ import annotations

from conftest import BASE_URL, article, make_site

from site_builder.build.load import parse_salt
from site_builder.build.run import build
from site_builder.core.config import config_from_dict

CONFIG = f'title = "T"\nbase_url = "{BASE_URL}"\n'


def test_switching_the_markdown_engine_parses_again(tmp_path):
    """The cache holds rendered bodies: `markdown = "gfm"` must not reuse Python-Markdown's (issue #15)."""
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-01-01", "~~old~~ news", slug="a")},
                     config=CONFIG)
    page = site / "output/articles/a/index.html"
    build(site)
    assert "~~old~~ news" in page.read_text()
    (site / "site.toml").write_text(CONFIG + 'markdown = "gfm"\n', encoding="utf-8")
    build(site)
    assert "<del>old</del> news" in page.read_text()
    (site / "site.toml").write_text(CONFIG, encoding="utf-8")
    build(site)
    assert "~~old~~ news" in page.read_text()
    assert parse_salt(config_from_dict({})) != parse_salt(config_from_dict({"markdown": "gfm"}))
