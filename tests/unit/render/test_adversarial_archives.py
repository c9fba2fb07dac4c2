"""Published feed archives stay put (issue #12, finding 5): adding, deleting or back-dating an
article changes only the archive documents of its own month (RFC 5005 §4: an archive
document's entries should not change). The one allowed exception, README "Feeds": when a
month appears or empties, the documents of its nearest non-empty neighbour months change
their prev-archive / next-archive link (JSON Feed: next_url), and nothing else.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import feedparser
import pytest
from conftest import REPO, article, examples, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_feeds import jing

from site_builder.build.run import build

BASE = "https://u.github.io/repo/"
CONFIG = (f'title = "News"\nbase_url = "{BASE}"\nid_domain = "u.github.io"\nfeed_items = 3\n'
          # every archive document there is, with whole articles: tags' too (not the defaults)
          'tag_feed_archives = true\narchive_full_content = true\n')
TAGS = ("Iran", "Cuba", "Oil")
ARCHIVE = re.compile(r"^(?P<base>(?:tags/[^/]+/)?)archive/(?P<month>\d{4}/\d\d)/(?:atom\.xml|feed\.xml|feed\.json)$")
LINK = re.compile(rb'<(?:atom:)?link rel="(?:prev|next)-archive"[^>]*/>')


def story(n: int, date: str, tags: tuple[str, ...]) -> str:
    return article(f"Story {n}", date, f"Body {n}.", id=f"tag:u.github.io,2020:s{n}", slug=f"s{n}",
                   tags="[" + ", ".join(tags) + "]")


def archives(out: Path) -> dict[str, bytes]:
    """Every archive document of the build: path → bytes."""
    found = {}
    for path in out.rglob("*"):
        rel = path.relative_to(out).as_posix()
        if ARCHIVE.match(rel):
            found[rel] = path.read_bytes()
    return found


def months_by_feed(docs: dict[str, bytes]) -> dict[str, list[str]]:
    """Feed base ("" or "tags/<slug>/") → its archive months, oldest first."""
    months: dict[str, set[str]] = {}
    for rel in docs:
        match = ARCHIVE.match(rel)
        months.setdefault(match["base"], set()).add(match["month"])
    return {base: sorted(found) for base, found in months.items()}


def neighbours(months: list[str], month: str) -> tuple[str | None, str | None]:
    at = months.index(month)
    return (months[at - 1] if at else None), (months[at + 1] if at + 1 < len(months) else None)


def without_links(rel: str, data: bytes) -> bytes:
    """The document less its prev-archive / next-archive links."""
    if rel.endswith(".json"):
        feed = json.loads(data)
        feed.pop("next_url", None)
        return json.dumps(feed).encode()
    return LINK.sub(b"", data)


def feeds_of(tags: tuple[str, ...]) -> set[str]:
    return {""} | {f"tags/{tag.lower()}/" for tag in tags}


def assert_only_own_months_changed(before: dict[str, bytes], after: dict[str, bytes], touched: set[tuple[str, str]]):
    """Every archive document, in both builds, of a (feed, month) not touched is the same
    bytes — or, when a neighbour month appeared or emptied, the same but for that link."""
    months_before, months_after = months_by_feed(before), months_by_feed(after)
    for rel in before.keys() & after.keys():
        match = ARCHIVE.match(rel)
        base, month = match["base"], match["month"]
        if (base, month) in touched:
            continue
        if neighbours(months_before[base], month) == neighbours(months_after[base], month):
            assert after[rel] == before[rel], f"{rel} changed though none of its month's articles did"
        else:
            assert without_links(rel, after[rel]) == without_links(rel, before[rel]), (
                f"{rel} changed more than its prev-/next-archive link")


def assert_every_article_reachable(out: Path, expected: dict[str, set[str]]) -> None:
    """From each subscription feed, following prev-archive (JSON: next_url) as an RFC 5005
    client does reaches every article of the feed, in each format."""
    for base, ids in expected.items():
        for name in ("atom.xml", "feed.xml", "feed.json"):
            seen, url, hops = set(), BASE + base + name, 0
            while url and hops < 1000:
                path = out / url.removeprefix(BASE)
                if name == "feed.json":
                    feed = json.loads(path.read_text())
                    seen |= {item["id"] for item in feed["items"]}
                    url = feed.get("next_url")
                else:
                    feed = feedparser.parse(str(path))
                    assert feed.bozo == 0, path
                    seen |= {entry.id for entry in feed.entries}
                    url = next((link.href for link in feed.feed.links if link.rel == "prev-archive"), None)
                hops += 1
            assert seen == ids, f"{base}{name}: {sorted(ids - seen)} unreachable"


def assert_atom_valid(out: Path) -> None:
    files = sorted(str(p) for p in out.rglob("atom.xml"))
    result = subprocess.run([jing(), "-c", str(REPO / "tests/schemas/atom.rnc"), *files],
                            capture_output=True, check=False, text=True, timeout=300)
    assert result.returncode == 0, result.stdout


def month_of(date: str) -> str:
    return date[:7].replace("-", "/")


dates = st.builds(lambda y, m, d: f"{y}-{m:02}-{d:02}",
                  st.integers(2021, 2024), st.integers(1, 12), st.integers(1, 28))
actions = st.one_of(
    st.tuples(st.just("add"), dates, st.lists(st.sampled_from(TAGS), max_size=2, unique=True).map(tuple)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("redate"), st.integers(0, 30), dates),
)


@pytest.mark.fuzz
@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(actions, min_size=1, max_size=5))
def test_an_edit_changes_only_its_own_months_archive_documents(tmp_path_factory, steps):
    """Random additions, deletions and back-datings over a site of several months: every
    other month's archive documents keep their bytes, and every article stays reachable."""
    site_dir = tmp_path_factory.mktemp("archives") / "site"
    state = {n: (f"2023-{1 + n % 6:02}-{1 + n:02}", (TAGS[n % 3],) if n % 2 else ()) for n in range(14)}
    site = make_site(site_dir, {f"content/s{n}.md": story(n, *entry) for n, entry in state.items()}, config=CONFIG)
    build(site)
    out = site / "output"
    assert len(months_by_feed(archives(out))[""]) == 6  # January to June 2023
    for kind, *args in steps:
        before = archives(out)
        if kind == "add":
            n, (date, tags) = max(state, default=0) + 1, args
            old = None
        else:
            if not state:
                continue
            n = sorted(state)[args[0] % len(state)]
            old = state[n]
            date, tags = (args[1], old[1]) if kind == "redate" else (None, old[1])
        if date is None:
            del state[n]
            (site / f"content/s{n}.md").unlink()
        else:
            state[n] = (date, tags)
            (site / f"content/s{n}.md").write_text(story(n, date, tags))
        build(site, allow_id_change=True)  # a back-dated article's date moves: allowed here
        months = {month_of(d) for d in (date, old[0] if old else None) if d}
        touched = {(base, month) for base in feeds_of(tags) for month in months}
        assert_only_own_months_changed(before, archives(out), touched)
        expected = {base: {f"tag:u.github.io,2020:s{i}" for i, (_, t) in state.items() if base in feeds_of(t)}
                    for base in feeds_of(TAGS)}
        assert_every_article_reachable(out, {base: ids for base, ids in expected.items() if ids})
    assert_atom_valid(out)


@pytest.fixture
def year_of_news(tmp_path) -> Path:
    """42 articles, three or four a month through 2024, feed_items 3: the issue's site had 15
    archive pages of this size."""
    files = {f"content/s{n}.md": story(n, f"2024-{1 + n % 12:02}-{1 + n // 2:02}", ("Iran",) if n % 3 == 0 else ())
             for n in range(42)}
    site = make_site(tmp_path / "site", files, config=CONFIG)
    build(site)
    return site


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}


def test_a_back_dated_article_changes_only_its_months_documents(year_of_news):
    """The finding, literally: one article dated 2021 used to rewrite archive pages 1–14. Now
    it adds its month's documents, and the formerly oldest month (January 2024) gains a
    prev-archive link to it, in the site's feed and its tag's: nothing else changes."""
    out = year_of_news / "output"
    before = archives(out)
    (year_of_news / "content/old.md").write_text(story(99, "2021-06-15", ("Iran",)))
    build(year_of_news)
    after = archives(out)
    names = ("atom.xml", "feed.xml", "feed.json")
    assert changed(before, after) == {f"{base}archive/{month}/{name}" for base in ("", "tags/iran/")
                                      for month in ("2021/06", "2024/01") for name in names}
    for base in ("", "tags/iran/"):
        rel = f"{base}archive/2024/01/atom.xml"
        assert without_links(rel, after[rel]) == without_links(rel, before[rel])
        assert f'<link rel="prev-archive" href="{BASE}{base}archive/2021/06/atom.xml"'.encode() in after[rel]
    assert_every_article_reachable(out, {"": {f"tag:u.github.io,2020:s{n}" for n in [*range(42), 99]}})


def test_a_deleted_article_changes_only_its_months_documents(year_of_news):
    """Deleting one article used to shift archive pages 3–15; now it changes its month's."""
    out = year_of_news / "output"
    before = archives(out)
    (year_of_news / "content/s5.md").unlink()  # June 2024, no tag
    build(year_of_news)
    assert changed(before, archives(out)) == {f"archive/2024/06/{name}" for name in ("atom.xml", "feed.xml", "feed.json")}


def test_a_new_month_between_two_changes_one_link_in_each_neighbour(tmp_path):
    """January, March and April hold articles; one dated February makes February's
    documents, and January's next-archive and March's prev-archive now name February: their
    entries stay."""
    files = {f"content/s{n}.md": story(n, date, ()) for n, date in
             enumerate(["2024-01-05", "2024-01-06", "2024-03-05", "2024-03-06", "2024-04-01", "2024-04-02"])}
    site = make_site(tmp_path / "site", files, config=CONFIG)
    build(site)
    before = archives(site / "output")
    (site / "content/feb.md").write_text(story(9, "2024-02-10", ()))
    build(site)
    after = archives(site / "output")
    # January's JSON Feed is the same: JSON Feed links older documents only (next_url)
    assert changed(before, after) == {f"archive/{month}/{name}" for month in ("2024/01", "2024/02", "2024/03")
                                      for name in ("atom.xml", "feed.xml", "feed.json")} - {"archive/2024/01/feed.json"}
    for month in ("2024/01", "2024/03"):
        for name in ("atom.xml", "feed.xml", "feed.json"):
            rel = f"archive/{month}/{name}"
            assert without_links(rel, after[rel]) == without_links(rel, before[rel]), rel
    assert b'rel="next-archive" href="' + f"{BASE}archive/2024/02/atom.xml".encode() in after["archive/2024/01/atom.xml"]
    assert json.loads(after["archive/2024/03/feed.json"])["next_url"] == BASE + "archive/2024/02/feed.json"
