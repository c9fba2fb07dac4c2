"""A real feed reader (Debian's newsboat) subscribed to a built site served over HTTP under
/repo/, as GitHub Pages serves a project site (issue 4, "Tested with a real feed reader").

Each feed gets a newsboat of its own (its own urls, config and cache files), because newsboat
keeps one cache row per guid for all its feeds: an article in feed.xml and in a tag feed
would be one row, and "once per feed" could not be seen. After `newsboat -x reload` the
test reads newsboat's SQLite cache (tables rss_feed and rss_item), which is what its user
sees: every article once, with its title, link and date. An edited article must update its
item in place, and a site that moves to another base URL must not show its articles again:
the ids are tag: URIs under `id_domain`, which does not move with the site.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import BASE_URL, article, make_site
from serving import serving

from site_builder.build.run import build

PREFIX = urlsplit(BASE_URL).path  # "/repo/"
ID_DOMAIN = "user.github.io"
MOVED_URL = "https://news.example.org/"
FEEDS = ("feed.xml", "atom.xml", "tags/iran/atom.xml")  # RSS, Atom, and a tag's feed

CONFIG = f'title = "Test News"\nauthor = "Desk"\nid_domain = "{ID_DOMAIN}"\ntimezone = "UTC"\n'


@dataclass(frozen=True)
class Story:
    """An article of the test site and what a reader should show for it."""

    file: str
    title: str
    date: str
    slug: str
    tags: tuple[str, ...]

    @property
    def guid(self) -> str:
        return f"tag:{ID_DOMAIN},{self.date[:10]}:articles/{self.slug}"

    @property
    def timestamp(self) -> int:
        when = dt.datetime.fromisoformat(self.date)
        return int((when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp())

    def url(self, base: str = BASE_URL) -> str:
        return f"{base}articles/{self.slug}/"

    def source(self, title: str | None = None, body: str = "Some text.", **fields: str) -> str:
        tags = "[" + ", ".join(self.tags) + "]"
        return article(title or self.title, self.date, body, tags=tags, slug=self.slug, **fields)


STORIES = (
    Story("content/alliance.md", "Iran & Cuba Pledge a ‘Global Alliance’", "2024-01-05T09:30:00+02:00",
          "alliance", ("Iran", "Cuba")),
    Story("content/talks.md", "Talks Resume in Vienna", "2024-02-10", "talks", ("Iran", "IAEA")),
    Story("content/sub/visit.md", "Grossi Plans a Visit", "2024-03-01T14:00:00+00:00", "visit", ("IAEA",)),
    Story("content/sanctions.md", "New Sanctions Announced", "2024-03-02T08:00:00-05:00", "sanctions",
          ("Iran",)),
)


def in_feed(feed: str) -> list[Story]:
    """The stories a feed holds: all of them, or those of the tag."""
    if feed.startswith("tags/"):
        return [s for s in STORIES if feed.split("/")[1] in {t.lower() for t in s.tags}]
    return list(STORIES)


# --- newsboat ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def newsboat() -> str:
    """The newsboat program: skipped on a developer's machine without it, never on CI."""
    path = shutil.which("newsboat")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("newsboat is missing on CI: scripts/test.sh installs it (apt-get install newsboat)")
    pytest.skip("newsboat is not installed: `apt-get install newsboat`, or run scripts/test.sh")


@dataclass(frozen=True)
class Item:
    """One row of newsboat's rss_item table."""

    guid: str
    title: str
    url: str
    feedurl: str
    pub_date: int
    content: str


class Reader:
    """One newsboat with its own urls, config and cache files, all in `folder`."""

    def __init__(self, program: str, folder: Path, feed_url: str):
        self.program, self.folder, self.feed_url = program, folder, feed_url
        folder.mkdir(parents=True)
        (folder / "urls").write_text(feed_url + "\n", encoding="utf-8")
        # Nothing interactive, nothing outside this folder, no article dropped for its age.
        (folder / "config").write_text(
            "auto-reload no\nconfirm-exit no\nreload-threads 1\ndownload-timeout 10\n"
            "download-retries 1\nkeep-articles-days 0\nmax-items 0\nhistory-limit 0\n"
            f'user-agent "site-builder tests"\nerror-log "{folder / "error.log"}"\n',
            encoding="utf-8")

    def reload(self) -> None:
        """Fetch the feed once, as the `reload` command of a running newsboat does."""
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.folder),
               "XDG_CONFIG_HOME": str(self.folder), "XDG_DATA_HOME": str(self.folder),
               "LC_ALL": "C.UTF-8", "TERM": "dumb"}
        done = subprocess.run(
            [self.program, "-u", str(self.folder / "urls"), "-c", str(self.folder / "cache.db"),
             "-C", str(self.folder / "config"), "-x", "reload"],
            env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
        log = self.folder / "error.log"
        errors = log.read_text(encoding="utf-8") if log.exists() else ""
        assert done.returncode == 0 and not errors.strip(), (done.stdout, done.stderr, errors)

    def feed_title(self) -> str:
        with sqlite3.connect(self.folder / "cache.db") as db:
            rows = db.execute("SELECT title FROM rss_feed WHERE rssurl = ?", (self.feed_url,)).fetchall()
        assert len(rows) == 1, f"newsboat did not store {self.feed_url}"
        return rows[0][0]

    def items(self) -> list[Item]:
        """The items newsboat shows for the feed, oldest first."""
        with sqlite3.connect(self.folder / "cache.db") as db:
            rows = db.execute(
                "SELECT guid, title, url, feedurl, pubDate, content FROM rss_item "
                "WHERE deleted = 0 ORDER BY pubDate, id").fetchall()
        return [Item(*row) for row in rows]


# --- the site ---------------------------------------------------------------------------------

@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site", {s.file: s.source(body=f"About {s.slug}.") for s in STORIES},
                     config=CONFIG + f'base_url = "{BASE_URL}"\n')
    build(root)
    return root


@pytest.fixture
def readers(site: Path, tmp_path: Path, newsboat: str):
    """One newsboat per feed of FEEDS, subscribed to the site served under /repo/."""
    with serving(site / "output", PREFIX) as origin:
        yield {feed: Reader(newsboat, tmp_path / "newsboat" / feed.replace("/", "-"),
                            f"{origin}{PREFIX}{feed}") for feed in FEEDS}


def reload_all(readers: dict[str, Reader]) -> dict[str, list[Item]]:
    for reader in readers.values():
        reader.reload()
    return {feed: reader.items() for feed, reader in readers.items()}


def rebuild(site: Path, **options) -> None:
    """Build again into the served output/, in a later second than the files it replaces.
    HTTP dates count whole seconds, so a conditional GET (If-Modified-Since) made after a
    rebuild in the same second would rightly get 304 Not Modified. newsboat 2.21's `-x
    reload` sends none, though it stores Last-Modified; waiting keeps the test true for
    readers that do."""
    output = site / "output"
    newest = max(p.stat().st_mtime for p in output.rglob("*") if p.is_file())
    delay = math.floor(newest) + 1 - time.time()
    if delay > 0:
        time.sleep(delay)
    build(site, **options)


def assert_one_item_per_story(items: dict[str, list[Item]], base: str = BASE_URL) -> None:
    for feed, shown in items.items():
        expected = in_feed(feed)
        assert sorted(i.guid for i in shown) == sorted(s.guid for s in expected), feed
        by_guid = {i.guid: i for i in shown}
        for story in expected:
            item = by_guid[story.guid]
            assert (item.title, item.url, item.pub_date) == (story.title, story.url(base), story.timestamp), \
                (feed, item)


# --- the tests --------------------------------------------------------------------------------

def test_every_article_shows_once_per_feed(readers):
    """Every article is in each feed's reader once, with its title, link and date, and the
    RSS, Atom and tag feeds give an article the same id."""
    items = reload_all(readers)
    assert_one_item_per_story(items)
    assert readers["feed.xml"].feed_title() == readers["atom.xml"].feed_title() == "Test News"
    assert readers["tags/iran/atom.xml"].feed_title() == "Test News: Iran"
    assert any("About alliance." in i.content for i in items["feed.xml"])  # the full text
    # A second reload with nothing rebuilt changes nothing (and newsboat gets 304s).
    assert reload_all(readers) == items


def test_an_edited_article_updates_its_item_in_place(readers, site):
    """Editing an article's title and body (with `updated:`) and rebuilding updates the
    reader's item for it, found by its guid: no second copy appears."""
    before = reload_all(readers)
    talks = STORIES[1]
    (site / talks.file).write_text(
        talks.source(title="Talks Resume in Vienna, Then Stall", body="The talks stalled on Friday.",
                     updated="2024-02-12T10:00:00+00:00"), encoding="utf-8")
    rebuild(site)
    after = reload_all(readers)
    for feed in ("feed.xml", "atom.xml", "tags/iran/atom.xml"):
        assert len(after[feed]) == len(before[feed]), feed
        assert [i.guid for i in after[feed]] == [i.guid for i in before[feed]], feed
        edited = next(i for i in after[feed] if i.guid == talks.guid)
        assert edited.title == "Talks Resume in Vienna, Then Stall", feed
        assert edited.url == talks.url() and edited.pub_date == talks.timestamp, feed
        assert "stalled on Friday" in edited.content, feed
        assert [i for i in after[feed] if i.guid != talks.guid] == \
            [i for i in before[feed] if i.guid != talks.guid], feed


def test_a_site_that_moves_shows_no_article_twice(readers, site):
    """Rebuilt for another base URL and still served at the same feed address (a redirect
    or a reader's updated subscription), the site's articles keep their ids, so the reader
    updates their links and shows none of them again."""
    before = reload_all(readers)
    rebuild(site, base_url=MOVED_URL)
    feed_xml = (site / "output" / "feed.xml").read_text(encoding="utf-8")
    assert MOVED_URL + "articles/" in feed_xml and BASE_URL not in feed_xml  # it did move
    after = reload_all(readers)
    for feed in FEEDS:
        assert [i.guid for i in after[feed]] == [i.guid for i in before[feed]], feed
    assert_one_item_per_story(after, base=MOVED_URL)
