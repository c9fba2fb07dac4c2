"""The search stage (build/search_index.py) through real builds: Pagefind's files are written
by the writer with the rest, one index a shard (a year, the newest month), kept when no article
page of the shard changed (Pagefind not even run for it), made again with only the files whose
bytes differ written when one did, removed when search is turned off; a missing or failing
Pagefind stops the build before output/ is touched."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from conftest import BASE_URL, article, make_site

from site_builder.build import search_index
from site_builder.build.run import build
from site_builder.commands.check import check_site
from site_builder.core.config import load_config
from site_builder.core.errors import SearchError

CONFIG = f'title = "Test News"\nbase_url = "{BASE_URL}"\ntimezone = "UTC"\nslugs = "unicode"\nsearch = true\n'


@pytest.fixture
def site(tmp_path) -> Path:
    return make_site(tmp_path / "site", {
        "content/one.md": article("Port reopens", "2026-11-30", "Cranes unload the first freighter.", tags="[Trade]"),
        "content/two.md": article("Budget passes", "2026-12-01", "Schools get more money."),
        "content/three.md": article("الزعفران يتضاعف", "2026-12-02", "محصول الزعفران تضاعف هذا العام.",
                                    language="ar"),
    }, config=CONFIG)


def index_files(out: Path) -> dict[str, os.stat_result]:
    return {p.relative_to(out).as_posix(): p.stat() for p in sorted((out / "pagefind").rglob("*")) if p.is_file()}


def fragments(out: Path) -> list[Path]:
    return sorted(out.glob("pagefind/*/fragment/*"))


def indexed_words(out: Path) -> str:
    """Return the text of every page the shards hold (their fragments: gzip'd JSON after a signature)."""
    texts = []
    for fragment in fragments(out):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        texts.append(f"{record['url']} {record['meta']['title']} {record['content']}")
    return "\n".join(sorted(texts))


def no_pagefind(*args, **kwargs):
    raise AssertionError("Pagefind ran")


def test_the_index_holds_each_articles_body_with_its_headline_and_url(site):
    build(site)
    out = site / "output"
    words = indexed_words(out)
    assert "/articles/one/ Port reopens" in words and "Cranes unload the first freighter." in words
    assert "/articles/three/ الزعفران يتضاعف" in words and "محصول الزعفران تضاعف" in words
    # the article's main content alone: no navigation, no related stories, no footer
    assert "Skip to content" not in words and "Related stories" not in words
    assert len(fragments(out)) == 3  # articles only, no list page
    # the newest month's articles are a shard, the rest of their year another
    assert sorted(os.listdir(out / "pagefind")) == ["2026", "2026-12", "pagefind-ui.css", "pagefind-ui.js"]
    assert len(list((out / "pagefind/2026-12/fragment").iterdir())) == 2
    for shard in ("2026", "2026-12"):
        entry = json.loads((out / f"pagefind/{shard}/pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ["en"]  # the site's language, the Arabic article in it
        assert "pagefind.js" in os.listdir(out / f"pagefind/{shard}")
    assert not [p for p in (out / "pagefind").rglob("*") if "component-ui" in p.name or "modular" in p.name
                or (p.name.startswith("pagefind-ui.") and p.parent.name != "pagefind")]


def test_the_results_page_and_the_search_box(site):
    build(site)
    out = site / "output"
    results = (out / "search/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in results
    assert 'href="../pagefind/pagefind-ui.css"' in results and 'src="../pagefind/pagefind-ui.js"' in results
    assert '["../pagefind/2026-12/", "../pagefind/2026/"]' in results  # newest shard first, the others merged
    assert "site-search" not in results  # the header's box is not shown above Pagefind's own
    article_page = (out / "articles/one/index.html").read_text()
    assert '<form class="site-search" role="search" action="../../search/">' in article_page
    assert '<input type="search" name="q" aria-label="Search this site" placeholder="Search">' in article_page
    assert "data-pagefind-body" in article_page and 'data-pagefind-meta="title"' in article_page
    arabic = (out / "articles/three/index.html").read_text()
    assert '<input type="search" name="q" aria-label="ابحث في الموقع" placeholder="بحث">' in arabic  # its words
    assert "search/" not in (out / "sitemap.xml").read_text()
    report = check_site(out, load_config(site), site)
    assert report.problems == []


def test_search_is_off_unless_the_site_turns_it_on(site):
    (site / "site.toml").write_text(CONFIG.replace("search = true\n", ""), encoding="utf-8")
    build(site)
    out = site / "output"
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    page = (out / "articles/one/index.html").read_text()
    assert "site-search" not in page and "pagefind" not in page


def test_nothing_changed_touches_nothing_and_runs_no_pagefind(site, monkeypatch):
    build(site)
    before = index_files(site / "output")
    monkeypatch.setattr(search_index, "run_pagefind", no_pagefind)
    result = build(site)
    assert result.written == 0 and index_files(site / "output") == before


def test_a_change_no_article_page_shows_keeps_the_index_without_running_pagefind(site, monkeypatch):
    build(site)
    before = index_files(site / "output")
    monkeypatch.setattr(search_index, "run_pagefind", no_pagefind)
    (site / "static").mkdir()
    (site / "static/notes.txt").write_text("A file of the site.", encoding="utf-8")
    result = build(site)
    assert result.written >= 1 and (site / "output/notes.txt").is_file()
    assert index_files(site / "output") == before


def test_an_edited_article_is_found_by_its_new_word_and_only_changed_files_are_written(site):
    build(site)
    out = site / "output"
    before = index_files(out)
    (site / "content/two.md").write_text(article("Budget passes", "2026-12-01", "Schools get more zanzibarite."),
                                         encoding="utf-8")
    build(site)
    after = index_files(out)
    assert "zanzibarite" in indexed_words(out) and "money" not in indexed_words(out)
    kept = {path for path, st in after.items() if path in before and st.st_ino == before[path].st_ino
            and st.st_mtime_ns == before[path].st_mtime_ns}
    assert "pagefind/pagefind-ui.js" in kept and "pagefind/2026-12/wasm.en.pagefind" in kept
    # the other shard is kept whole; in the edited one, the other article's fragment (named by
    # its content) is the same file
    assert {path for path in before if path.startswith("pagefind/2026/")} <= kept
    assert len([path for path in kept if path.startswith("pagefind/2026-12/fragment/")]) == 1
    assert set(after) - set(before), "the edited article's fragment has a new name"


def shards_indexed(monkeypatch) -> list[list[str]]:
    """Record the pages of each shard Pagefind is asked to index, as it runs."""
    runs: list[list[str]] = []
    real = search_index.run_pagefind

    def recording(shards, *args, **kwargs):
        runs.append(sorted(p.relative_to(pages).as_posix() for pages, _ in shards for p in pages.rglob("*.html")))
        return real(shards, *args, **kwargs)

    monkeypatch.setattr(search_index, "run_pagefind", recording)
    return runs


def test_an_edit_re_indexes_its_shard_alone(site, monkeypatch):
    dam = article("Dam opens", "2025-06-01", "Turbines spin.", summary="The dam opens.")
    (site / "content/old.md").write_text(dam, encoding="utf-8")
    build(site)
    out = site / "output"
    assert sorted(p.name for p in (out / "pagefind").iterdir() if p.is_dir()) == ["2025", "2026", "2026-12"]
    before = index_files(out)
    runs = shards_indexed(monkeypatch)
    (site / "content/old.md").write_text(dam.replace("spin", "hum"), encoding="utf-8")  # the body alone
    build(site)
    assert runs == [["articles/old/index.html"]]  # the 2025 shard's one page, not the site's four
    after = index_files(out)
    untouched = {p for p, st in after.items() if p in before and st.st_mtime_ns == before[p].st_mtime_ns}
    assert {p for p in before if not p.startswith("pagefind/2025/")} <= untouched
    assert "hum" in indexed_words(out) and "spin" not in indexed_words(out)


def test_a_new_months_first_article_moves_the_month_before_into_its_year(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", {
        "content/october.md": article("Harvest ends", "2026-10-05", "Barns are full."),
        "content/november.md": article("Ferry resumes", "2026-11-02", "Boats sail again."),
    }, config=CONFIG)
    build(site)
    out = site / "output"
    assert sorted(p.name for p in (out / "pagefind").iterdir() if p.is_dir()) == ["2026", "2026-11"]
    runs = shards_indexed(monkeypatch)
    (site / "content/december.md").write_text(article("Snow closes the pass", "2026-12-01", "Drifts block it."),
                                              encoding="utf-8")
    build(site)
    # November's article joins 2026's; December is the newest month; 2026-11/ is gone
    assert sorted(p.name for p in (out / "pagefind").iterdir() if p.is_dir()) == ["2026", "2026-12"]
    assert runs == [["articles/december/index.html", "articles/november/index.html", "articles/october/index.html"]]
    assert '["../pagefind/2026-12/", "../pagefind/2026/"]' in (out / "search/index.html").read_text()
    cold = tmp_path / "cold"
    build(site, cold)
    assert {p: (out / p).read_bytes() for p in index_files(out)} == {p: (cold / p).read_bytes() for p in index_files(cold)}


def test_a_site_without_articles_has_a_results_page_and_no_index(tmp_path):
    site = make_site(tmp_path / "site", {}, config=CONFIG)
    build(site)
    out = site / "output"
    results = (out / "search/index.html").read_text()
    assert "pagefind" not in results and "No articles yet." in results
    assert not (out / "pagefind").exists()
    assert check_site(out, load_config(site), site).problems == []


def test_a_site_whose_every_article_is_deleted_keeps_no_index(site):
    build(site)
    assert (site / "output/pagefind/pagefind-ui.js").exists()
    for name in ("one", "two", "three"):
        (site / f"content/{name}.md").unlink()
    build(site)
    # as a cold build of a site without articles: Pagefind's UI goes with the last shard
    assert not (site / "output/pagefind").exists()


def test_a_cold_build_makes_the_index_a_rebuild_made(site, tmp_path):
    build(site)
    (site / "content/two.md").write_text(article("Budget passes", "2026-12-01", "Schools get more zanzibarite."),
                                         encoding="utf-8")
    build(site)
    cold = tmp_path / "cold"
    build(site, cold)
    files = {p: (site / "output" / p).read_bytes() for p in index_files(site / "output")}
    assert files == {p: (cold / p).read_bytes() for p in index_files(cold)}


def test_turning_search_off_removes_the_index_and_the_results_page(site):
    build(site)
    (site / "site.toml").write_text(CONFIG.replace("search = true", "search = false"), encoding="utf-8")
    build(site)
    out = site / "output"
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert "site-search" not in (out / "index.html").read_text()


def pages_of(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_a_missing_pagefind_stops_the_build_before_output_is_touched(site, monkeypatch):
    build(site)
    before = pages_of(site / "output")
    (site / "content/two.md").write_text(article("Budget passes", "2026-12-01", "Edited."), encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site / "no-such-pagefind"))
    with pytest.raises(SearchError, match=r"needs Pagefind's program, which was not found .*"
                                          r"pip install 'pagefind\[bin\]'.* or set search = false"):
        build(site)
    assert pages_of(site / "output") == before


def test_a_pagefind_that_fails_stops_the_build_before_output_is_touched(site, monkeypatch, tmp_path):
    build(site)
    before = pages_of(site / "output")
    (site / "content/two.md").write_text(article("Budget passes", "2026-12-01", "Edited."), encoding="utf-8")
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: out of memory' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(SearchError, match=r"Pagefind stopped while indexing the site \(exit status 3\)"):
        build(site)
    assert pages_of(site / "output") == before


def test_init_turns_search_on_for_a_new_site_whose_first_build_checks(tmp_path):
    from site_builder.commands.scaffold import init_site

    init_site(tmp_path / "new", base_url=BASE_URL)
    assert load_config(tmp_path / "new").search is True
    build(tmp_path / "new")
    out = tmp_path / "new/output"
    assert (out / "search/index.html").is_file() and list(out.glob("pagefind/*/pagefind-entry.json"))
    assert check_site(out, load_config(tmp_path / "new"), tmp_path / "new").problems == []


def test_a_site_without_the_key_has_no_search():
    from site_builder.core.config import config_from_dict

    assert config_from_dict({}).search is False
