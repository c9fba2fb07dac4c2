"""Incremental builds are correct by construction: after any sequence of edits, an
incremental build's output is byte-identical to a cold build's of the same content."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import article, examples, make_site, output_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build import build

TAGS = ["Iran", "Cuba", "IAEA", "iran", "Oil"]
BASE_CONFIG = 'title = "T"\nbase_url = "https://u.github.io/r/"\nid_domain = "u.github.io"\nper_page = 2\nfeed_items = 2\n'


def story(n: int, entry: dict) -> str:
    tag_list = "[" + ", ".join(f'"{t}"' for t in entry["tags"]) + "]"
    fields = {name: json.dumps(entry[name]) for name in ("summary", "author", "slug") if entry.get(name)}
    if entry.get("updated"):
        fields["updated"] = f"2024-04-{entry['updated']:02}"
    # over three months, so that feed archives have several months (feeds.py) to keep apart
    date = f"2024-{1 + entry['day'] % 3:02}-{entry['day']:02}"
    return article(entry["title"] + f" {n}", date, entry["body"], tags=tag_list,
                   id=f"tag:u.github.io,2024:s{n}", **fields)


actions = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 3), st.integers(1, 28), st.lists(st.sampled_from(TAGS), max_size=3)),
    st.tuples(st.just("body"), st.integers(0, 3), st.text("abc *_[]\n", min_size=1, max_size=30)),
    st.tuples(st.just("title"), st.integers(0, 3), st.sampled_from(["Alpha", "Beta", "Gamma Story", "Delta"])),
    # edits that move no article: a title under a pinned slug, a summary, an author, a correction date
    st.tuples(st.just("pinned title"), st.integers(0, 3), st.sampled_from(["Alpha", "Beta"])),
    st.tuples(st.just("field"), st.integers(0, 3), st.sampled_from(["summary", "author"]),
              st.sampled_from(["One", "Two: three", "Ana Díaz"])),
    st.tuples(st.just("updated"), st.integers(0, 3), st.integers(1, 28)),
    st.tuples(st.just("delete"), st.integers(0, 3)),
    st.tuples(st.just("rename"), st.integers(0, 3)),
    st.tuples(st.just("template"), st.sampled_from(["A", "B"])),
    st.tuples(st.just("config"), st.sampled_from([2, 3]), st.sampled_from(["T", "Other Title"])),
    st.tuples(st.just("static"), st.binary(max_size=20)),
)


def apply(site: Path, state: dict, action: tuple) -> None:
    """Change the site the way a user would."""
    kind, *args = action
    if kind == "add":
        n, day, tags = args
        if n in state:  # adding over an article replaces it
            (site / "content" / state[n]["file"]).unlink()
        state[n] = {"title": f"Story {n}", "day": day, "body": "Text.", "tags": tags, "file": f"s{n}.md"}
    elif kind in ("body", "title", "delete", "rename") and args[0] in state:
        entry = state[args[0]]
        (site / "content" / entry["file"]).unlink()
        if kind == "delete":
            del state[args[0]]
        elif kind == "rename":
            entry["file"] = "moved-" + entry["file"]
        else:
            # a body edit below the first paragraph leaves the summary as it was
            entry[kind] = args[1] if kind == "title" else "Text.\n\n" + args[1]
    elif kind in ("pinned title", "field", "updated") and args[0] in state:
        entry = state[args[0]]
        if kind == "pinned title":
            entry["slug"], entry["title"] = f"s{args[0]}", args[1]
        elif kind == "field":
            entry[args[1]] = args[2]
        else:
            entry["updated"] = args[1]
    elif kind == "template":
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates/404.html").write_text(f"{{% extends 'base.html' %}}{{% block content %}}{args[0]}{{% endblock %}}")
    elif kind == "config":
        (site / "site.toml").write_text(BASE_CONFIG.replace("per_page = 2", f"per_page = {args[0]}")
                                        .replace('title = "T"', f'title = "{args[1]}"'))
    elif kind == "static":
        (site / "static").mkdir(exist_ok=True)
        (site / "static/logo.bin").write_bytes(args[0])
    for n, entry in state.items():
        path = site / "content" / entry["file"]
        text = story(n, entry)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


def cold_build(site: Path, where: Path) -> dict[str, bytes]:
    """Build a copy of the site's sources with no cache and no earlier output."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".site-builder-cache", "output", ".output.*"))
    build(where, allow_id_change=True)
    return output_files(where / "output")


@pytest.mark.fuzz
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(actions, min_size=1, max_size=6))
def test_incremental_build_equals_cold_build(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("inc")
    site = make_site(root / "site", {"content/.keep": ""}, config=BASE_CONFIG)
    state: dict = {}
    apply(site, state, ("add", 0, 1, ["Iran"]))
    apply(site, state, ("add", 1, 2, ["Cuba", "iran"]))
    build(site)
    for step in steps:
        apply(site, state, step)
        build(site, allow_id_change=True)
        assert output_files(site / "output") == cold_build(site, root / "cold"), step


def test_a_body_edit_when_the_cache_lost_an_article_still_equals_a_cold_build(sample_site, tmp_path):
    """A body-only rebuild reads the other articles from the cache: one missing there (a
    damaged cache) makes it load them all instead."""
    build(sample_site)
    with sqlite3.connect(sample_site / ".site-builder-cache/build.sqlite") as db:
        db.execute("DELETE FROM articles WHERE path = 'content/first-story.md'")  # the edited one's neighbour
    second = sample_site / "content/second-story.md"
    second.write_text(second.read_text() + "\nA correction.\n")
    build(sample_site)
    assert "A correction." in (sample_site / "output/articles/second-story/index.html").read_text()
    assert output_files(sample_site / "output") == cold_build(sample_site, tmp_path / "cold")


def test_a_body_edit_after_a_build_for_another_address_still_equals_a_cold_build(tmp_path):
    """Another output's build (`serve`, or --base-url) caches articles parsed for its address
    (entry ids take the address's host when site.toml has no id_domain): a body-only rebuild of
    output/ must not take those."""
    site = make_site(tmp_path / "site", {f"content/s{n}.md": article(f"Story {n}", f"2024-03-0{n}", tags="[Iran]")
                                         for n in (1, 2, 3)},
                     config='title = "T"\nbase_url = "https://u.github.io/r/"\n')
    build(site)
    build(site, tmp_path / "local", base_url="http://localhost:8000/")
    second = site / "content/s2.md"
    second.write_text(second.read_text() + "\nA correction.\n")
    build(site)
    assert b"localhost" not in b"".join(output_files(site / "output").values())
    assert output_files(site / "output") == cold_build(site, tmp_path / "cold")
