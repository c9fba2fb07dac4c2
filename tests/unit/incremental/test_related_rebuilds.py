"""Related stories stay exact in incremental builds (issue #16): an edit that changes an
article's related list renders its page again; a body edit renders only its own page."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import article, make_site, output_files

from site_builder.build.run import build
from site_builder.output import write as output

CONFIG = 'title = "T"\nbase_url = "https://u.github.io/r/"\nid_domain = "u.github.io"\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {
        "content/a.md": article("Alpha", "2024-03-05", tags="[Iran, Oil]"),
        "content/b.md": article("Beta", "2024-03-04", tags="[Iran]"),
        "content/c.md": article("Gamma", "2024-03-03", tags="[Cuba]"),
        "content/d.md": article("Delta", "2024-03-02", tags="[Cuba, Oil]"),
    }, config=CONFIG)
    build(site)
    return site


def rendered_pages(site: Path, monkeypatch: pytest.MonkeyPatch, edit) -> set[str]:
    """Return the article pages a rebuild after `edit` rendered (and compared with output/)."""
    seen: list[str] = []
    same_bytes = output._same_bytes
    monkeypatch.setattr(output, "_same_bytes", lambda path, data: seen.append(path) or same_bytes(path, data))
    edit()
    build(site)
    monkeypatch.undo()
    paths = {Path(os.path.relpath(path, site / "output")).as_posix() for path in seen}
    return {path.split("/")[1] for path in paths if path.startswith("articles/")}


def related_of(site: Path, slug: str) -> str:
    text = (site / f"output/articles/{slug}/index.html").read_text()
    return text.split('<section class="related"', 1)[1].split("</section>")[0] if '<section class="related"' in text else ""


def test_a_new_shared_tag_renders_the_pages_whose_related_lists_change(site, monkeypatch):
    assert "Gamma" not in related_of(site, "b")
    gamma = site / "content/c.md"
    reached = rendered_pages(site, monkeypatch, lambda: gamma.write_text(gamma.read_text().replace("[Cuba]", "[Cuba, Iran]")))
    assert "Gamma" in related_of(site, "b") and "Gamma" in related_of(site, "a")
    assert {"a", "b", "c"} <= reached


def test_a_new_title_renders_the_pages_that_list_it_as_related(site, monkeypatch):
    beta = site / "content/b.md"
    reached = rendered_pages(site, monkeypatch, lambda: beta.write_text(beta.read_text().replace("Beta", "Beta Revised")))
    assert "Beta Revised" in related_of(site, "a")
    assert reached >= {"a", "b", "c"} and "d" not in reached  # c: Beta is its newer neighbour


def test_a_body_edit_renders_only_its_own_article_page(site, monkeypatch):
    gamma = site / "content/c.md"
    reached = rendered_pages(site, monkeypatch, lambda: gamma.write_text(gamma.read_text() + "\nA correction.\n"))
    assert reached == {"c"}
    assert "Delta" in related_of(site, "c")


def test_rebuilds_equal_a_cold_build(site, tmp_path):
    gamma = site / "content/c.md"
    gamma.write_text(gamma.read_text().replace("[Cuba]", "[Cuba, Iran, Oil]"))
    build(site)
    (site / "content/a.md").unlink()
    build(site)
    cold = make_site(tmp_path / "cold", {f"content/{p.name}": p.read_text() for p in (site / "content").glob("*.md")},
                     config=CONFIG)
    build(cold)
    assert output_files(site / "output") == output_files(cold / "output")
