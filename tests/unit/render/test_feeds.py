"""The RSS and Atom feeds, end to end: build a small site for real, read the feeds back the
way a subscriber's feed reader would, and check what it would show."""
from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from conftest import ATOM_SCHEMA, BASE_URL, article, make_site, picture, urls_in

from site_builder.build.run import build
from site_builder.core.errors import SiteError

TAG_SLUGS = ("cuba", "iaea", "iran")  # the sample site's tags
AUTHOR_SLUGS = ("ana-diaz", "desk")  # its authors: its own, and the site's for the others
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
# What XML 1.0 cannot carry, raw or as a character reference such as &#11;.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#0*(?:[0-8]|1[124-9]|2\d|3[01]);"
                           r"|&#x0*(?:[0-8bcef]|1[0-9a-f]);", re.IGNORECASE)


# --- helpers -------------------------------------------------------------------------------

def feed_files(out: Path) -> list[str]:
    """The feeds a build should write: the site's and every sample tag's, RSS and Atom."""
    return [base + name for base in ["", *(f"tags/{s}/" for s in TAG_SLUGS)]
            for name in ("feed.xml", "atom.xml")]


def read_feed(path: Path) -> feedparser.FeedParserDict:
    """Parse a feed as a reader would, but without feedparser fixing up relative links."""
    return feedparser.parse(str(path), resolve_relative_uris=False, sanitize_html=False)


def titles(path: Path) -> list[str]:
    return [e.title for e in read_feed(path).entries]


def entry_ids(path: Path) -> list[str]:
    return [e.id for e in read_feed(path).entries]


def raw_entries(path: Path) -> list[dict]:
    """Each entry's id, link, content HTML and (RSS) guid element, read from the XML itself."""
    root = ET.parse(path).getroot()
    if root.tag == ATOM + "feed":
        return [{"id": e.findtext(ATOM + "id"), "link": e.find(ATOM + "link").get("href"),
                 "content": e.findtext(ATOM + "content"), "guid": None}
                for e in root.iter(ATOM + "entry")]
    return [{"id": i.findtext("guid"), "link": i.findtext("link"),
             "content": i.findtext(CONTENT_ENCODED), "guid": i.find("guid")}
            for i in root.iter("item")]


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def jing() -> str:
    """The jing command; skipped when it is missing, except in CI where it must be there."""
    path = shutil.which("jing")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("jing is not installed, so the Atom feeds cannot be validated "
                        "(apt-get install jing)")
        pytest.skip("jing is not installed (apt-get install jing): Atom schema check skipped")
    return path


def atom_date(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def rss_date(text: str) -> dt.datetime:
    return email.utils.parsedate_to_datetime(text)


# --- which feeds there are, and what is in them ----------------------------------------------

def test_site_and_every_tag_have_an_rss_and_an_atom_feed(built):
    """A reader can subscribe to the whole site or to one tag, in either format, and every
    one of those feeds parses cleanly."""
    for rel in feed_files(built):
        path = built / rel
        assert path.is_file(), f"{rel} was not written"
        feed = read_feed(path)
        assert feed.bozo == 0, f"{rel}: {feed.get('bozo_exception')}"
        assert feed.version == ("atom10" if rel.endswith("atom.xml") else "rss20"), rel
        assert feed.entries, f"{rel} has no entries"


def test_tag_feed_is_about_its_tag(built):
    """A tag's feed is titled with the tag and points back at the tag's page."""
    for name in ("feed.xml", "atom.xml"):
        feed = read_feed(built / "tags/iaea" / name).feed
        assert feed.title == "Test News: IAEA"
        assert feed.link == BASE_URL + "tags/iaea/"


def test_entries_are_newest_first(built):
    """The newest article is at the top of the site's feed and of each tag's feed."""
    for name in ("feed.xml", "atom.xml"):
        assert titles(built / name) == ["Third Story", "Second Story", "First Story"]
        assert titles(built / "tags/iran" / name) == ["Second Story", "First Story"]
        assert titles(built / "tags/iaea" / name) == ["Third Story", "Second Story"]
        assert titles(built / "tags/cuba" / name) == ["First Story"]


def test_feed_items_keeps_only_the_newest_entries(tmp_path):
    """With feed_items = 3, a feed of five articles shows the three newest, newest first,
    whatever order the files are in."""
    dates = {"a": "2024-05-03", "b": "2024-05-01", "c": "2024-05-05", "d": "2024-05-02", "e": "2024-05-04"}
    site = make_site(tmp_path / "site", {
        f"content/{name}.md": article(f"Story {date[-1]}", date, tags="[Daily]")
        for name, date in dates.items()
    }, config=f'title = "T"\nbase_url = "{BASE_URL}"\nfeed_items = 3\n')
    build(site)
    for rel in ("feed.xml", "atom.xml", "tags/daily/feed.xml", "tags/daily/atom.xml"):
        assert titles(site / "output" / rel) == ["Story 5", "Story 4", "Story 3"], rel


# --- links --------------------------------------------------------------------------------

def test_every_link_in_every_entry_is_absolute(built):
    """A feed is read far from the site, so entry links and every href/src in the content
    are full URLs under the site's base URL, never /tags/ or images/map.png."""
    for rel in feed_files(built):
        for entry in raw_entries(built / rel):
            assert entry["link"].startswith(BASE_URL), (rel, entry["link"])
            for url in urls_in(entry["content"] or ""):  # tags' feeds carry summaries: no content
                assert is_absolute(url), f"{rel}: {entry['link']} has the link {url!r}"


def test_root_relative_links_in_a_body_point_under_the_base_url(built):
    """The sample's body links /tags/ and /images/map.png are the site's pages, which live
    under /repo/ on GitHub Pages, not at the root of the domain."""
    for name in ("feed.xml", "atom.xml"):
        urls = {e["link"]: urls_in(e["content"]) for e in raw_entries(built / name)}
        assert urls[BASE_URL + "articles/first-story/"] == ["https://user.github.io/repo/tags/"]
        assert "https://user.github.io/repo/images/map.png" in urls[BASE_URL + "articles/second-story/"]


def test_relative_links_and_footnotes_resolve_against_the_article(tmp_path):
    """A link relative to the article (../other/) and a footnote (#fn:1) lead to the same
    place from a feed reader as from the article's page."""
    site = make_site(tmp_path / "site", {
        "content/alpha.md": article("Alpha", "2024-01-02", "See [the other](../beta/) story.[^1]\n\n[^1]: A note."),
        "content/beta.md": article("Beta", "2024-01-01"),
    })
    build(site)
    for name in ("feed.xml", "atom.xml"):
        alpha = raw_entries(site / "output" / name)[0]
        urls = urls_in(alpha["content"])
        assert BASE_URL + "articles/beta/" in urls
        assert BASE_URL + "articles/alpha/#fn:1" in urls
        assert all(is_absolute(u) for u in urls), urls


def test_unquoted_links_in_raw_html_are_made_absolute(tmp_path):
    """Raw HTML in a body may leave attribute values unquoted (valid HTML); its links must
    still come out absolute in the feed."""
    site = make_site(tmp_path / "site", {
        "content/a.md": article("Alpha", "2024-01-02", "<p><a href=/tags/>tags</a> <img src=/images/m.png></p>"),
    })
    build(site)
    urls = urls_in(raw_entries(site / "output/atom.xml")[0]["content"])
    assert urls == [BASE_URL + "tags/", BASE_URL + "images/m.png"]


# --- what each entry carries ----------------------------------------------------------------

def test_rss_entries_carry_the_full_article_and_a_summary(built):
    """RSS readers get the whole article (content:encoded, lead image included) and a short
    plain-text description."""
    raw = {e["link"]: e for e in raw_entries(built / "feed.xml")}
    second = raw[BASE_URL + "articles/second-story/"]["content"]
    assert "Second <em>body</em>." in second
    assert '<figcaption>A map</figcaption>' in second
    feed = read_feed(built / "feed.xml")
    summaries = {e.title: e.summary for e in feed.entries}
    assert summaries == {"Third Story": "Third body.", "Second Story": "Second body.",
                         "First Story": "First body with a link."}


def test_atom_entries_carry_the_full_article_and_a_summary(built):
    """Atom readers get the same: HTML content and a plain-text summary."""
    entry = next(e for e in read_feed(built / "atom.xml").entries if e.title == "Second Story")
    assert entry.content[0].type == "text/html"
    assert "Second <em>body</em>." in entry.content[0].value
    assert entry.summary == "Second body."


def test_entries_name_their_author(built):
    """An article's own author is named, else the site's author."""
    for name in ("feed.xml", "atom.xml"):
        authors = {e.title: e.author for e in read_feed(built / name).entries}
        assert authors == {"Third Story": "Desk", "Second Story": "Ana Díaz", "First Story": "Desk"}


def test_entry_dates_keep_their_time_zone(built):
    """Published (and, in Atom, updated) dates carry a time zone, and say the moment the
    article gives: 08:30 at +01:00 for the second story, midnight UTC for a bare date."""
    cet = dt.timezone(dt.timedelta(hours=1))
    expected = {"Second Story": dt.datetime(2024, 2, 10, 8, 30, tzinfo=cet),
                "First Story": dt.datetime(2024, 1, 5, tzinfo=dt.UTC)}
    atom = {e.title: e for e in read_feed(built / "atom.xml").entries}
    rss = {e.title: e for e in read_feed(built / "feed.xml").entries}
    for title, when in expected.items():
        for date in (atom_date(atom[title].published), atom_date(atom[title].updated),
                     rss_date(rss[title].published)):
            assert date.tzinfo is not None, (title, date)
            assert date == when and date.utcoffset() == when.utcoffset(), (title, date)


def test_tags_are_categories_with_their_site_wide_name(built):
    """Each entry lists its tags as categories, spelled as the tag page spells them
    (" iran " in the second story's front matter is the tag Iran)."""
    for name in ("feed.xml", "atom.xml"):
        tags = {e.title: [t.term for t in e.tags] for e in read_feed(built / name).entries}
        assert tags == {"Third Story": ["IAEA"], "Second Story": ["Iran", "IAEA"],
                        "First Story": ["Iran", "Cuba"]}


# --- entry ids ------------------------------------------------------------------------------

def test_entry_ids_are_unique_within_every_feed(built):
    """No two entries of a feed share an id (a reader would show only one of them)."""
    for rel in feed_files(built):
        ids = entry_ids(built / rel)
        assert len(ids) == len(set(ids)), rel


def test_entry_ids_survive_a_new_base_url_and_a_new_template(sample_site, tmp_path):
    """Moving the site to another address or changing its look must not make readers show
    every article again: the ids of every feed stay the same."""
    build(sample_site)
    build(sample_site, tmp_path / "moved", base_url="https://example.com/")
    (sample_site / "templates").mkdir()
    (sample_site / "templates/article.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Redesigned {{ article.title }}</h1>'
        "{{ body }}{% endblock %}", encoding="utf-8")
    build(sample_site, tmp_path / "restyled")

    # The two rebuilds really are different sites.
    assert read_feed(tmp_path / "moved/atom.xml").entries[0].link.startswith("https://example.com/")
    assert "Redesigned" in (tmp_path / "restyled/articles/first-story/index.html").read_text()
    for rel in feed_files(sample_site / "output"):
        ids = set(entry_ids(sample_site / "output" / rel))
        assert set(entry_ids(tmp_path / "moved" / rel)) == ids, rel
        assert set(entry_ids(tmp_path / "restyled" / rel)) == ids, rel


def test_front_matter_id_is_the_entry_id(tmp_path):
    """An `id:` in the front matter (say, the id an article had on the old site) is the
    entry's Atom <id> and RSS <guid>; a guid that is not a link says isPermaLink="false"."""
    ids = {"Old Story": "tag:old.example.org,2019-05-01:story-42",
           "Wire Story": "urn:uuid:6f1c1f4e-2d1b-4c55-9d3a-0c3b7f3a9e11"}
    site = make_site(tmp_path / "site", {
        "content/old.md": article("Old Story", "2024-01-01", id=f'"{ids["Old Story"]}"'),
        "content/wire.md": article("Wire Story", "2024-01-02", id=ids["Wire Story"]),
    })
    build(site)
    for name in ("feed.xml", "atom.xml"):
        assert {e.title: e.id for e in read_feed(site / "output" / name).entries} == ids
    for entry in raw_entries(site / "output/feed.xml"):
        assert entry["guid"].get("isPermaLink") == "false", entry["id"]


def test_generated_ids_are_not_permalinks(built):
    """The ids the builder makes are tag: URIs, not links, so RSS says isPermaLink="false"
    (or a reader would open the id as the article's address)."""
    for entry in raw_entries(built / "feed.xml"):
        assert entry["id"].startswith("tag:user.github.io,")
        assert entry["guid"].get("isPermaLink") == "false", entry["id"]


def test_two_articles_claiming_one_id_are_refused_or_kept_apart(tmp_path):
    """A copied file that keeps its `id:` would make readers drop one of the two articles:
    the build should refuse it (naming the files), or at least not publish one id twice."""
    site = make_site(tmp_path / "site", {
        "content/a.md": article("Alpha", "2024-01-01", id="tag:user.github.io,2024:same"),
        "content/b.md": article("Beta", "2024-01-02", id="tag:user.github.io,2024:same"),
    })
    try:
        build(site)
    except SiteError as exc:
        assert "content/a.md" in str(exc) and "content/b.md" in str(exc)
        return
    ids = entry_ids(site / "output/atom.xml")
    assert len(ids) == len(set(ids)), ids


# --- validity and reproducibility -------------------------------------------------------------

def test_atom_feeds_are_valid_rfc_4287(built):
    """Every atom.xml of the build validates against the RFC 4287 RELAX NG schema."""
    files = sorted(str(p) for p in built.rglob("atom.xml"))
    assert len(files) == 1 + len(TAG_SLUGS) + len(AUTHOR_SLUGS)
    result = subprocess.run([jing(), "-c", str(ATOM_SCHEMA), *files],
                            capture_output=True, check=False, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_building_twice_gives_byte_identical_feeds(sample_site, tmp_path):
    """Rebuilding an unchanged site changes no feed, so readers and deploys see nothing new."""
    build(sample_site, tmp_path / "one")
    build(sample_site, tmp_path / "two")
    for rel in feed_files(tmp_path / "one"):
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_feed_date_is_the_newest_entry_date_not_the_build_time(built):
    """A feed says it was updated when its newest entry was, not when the build ran."""
    assert ET.parse(built / "atom.xml").getroot().findtext(ATOM + "updated") == "2024-03-01T00:00:00+00:00"
    last_build = ET.parse(built / "feed.xml").getroot().findtext("channel/lastBuildDate")
    assert rss_date(last_build) == dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    # A tag's feed follows its own newest entry.
    cuba = ET.parse(built / "tags/cuba/atom.xml").getroot().findtext(ATOM + "updated")
    assert atom_date(cuba) == dt.datetime(2024, 1, 5, tzinfo=dt.UTC)


def test_an_updated_article_moves_the_feed_date(tmp_path):
    """Correcting an old article (its `updated:` date) makes the feed's date that of the
    correction, so readers look again."""
    site = make_site(tmp_path / "site", {
        "content/a.md": article("Old", "2024-01-01", updated="2024-06-01T12:00:00+00:00"),
        "content/b.md": article("New", "2024-03-01"),
    })
    build(site)
    atom = ET.parse(site / "output/atom.xml").getroot()
    assert atom.findtext(ATOM + "updated") == "2024-06-01T12:00:00+00:00"
    rss = ET.parse(site / "output/feed.xml").getroot()
    assert rss_date(rss.findtext("channel/lastBuildDate")) == dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)


# --- control characters -------------------------------------------------------------------

def test_control_characters_do_not_break_the_feeds(tmp_path):
    """Text pasted from a word processor can hold control characters (\\x0b is Word's line
    break): the build still succeeds, the feeds parse, and the characters are gone."""
    site = make_site(tmp_path / "site", {
        # YAML escapes put the characters themselves into the title and caption.
        "content/a.md": ('---\ntitle: "Vertical\\x0bTab and \\x01Start"\ndate: 2024-01-01\n'
                         'image: images/a.png\nimage_caption: "Cap\\x0btion"\ntags: [News]\n---\n'
                         "Line one\x0bline two and \x01 a start of heading.\n"),
        "static/images/a.png": picture(),
    })
    build(site)
    for rel in ("feed.xml", "atom.xml", "tags/news/feed.xml", "tags/news/atom.xml"):
        data = (site / "output" / rel).read_text(encoding="utf-8")
        assert not CONTROL_CHARS.search(data), (rel, CONTROL_CHARS.search(data))
        feed = read_feed(site / "output" / rel)
        assert feed.bozo == 0, (rel, feed.get("bozo_exception"))
        entry = feed.entries[0]
        assert "Vertical" in entry.title and "Start" in entry.title
        assert "a start of heading" in (entry.content[0].value if "content" in entry else entry.summary)


def test_a_control_character_typed_into_the_title_line_does_not_stop_the_build(tmp_path):
    """A title pasted straight into the front matter with its \\x0b still in it builds,
    and the feed shows the title with a space in its place."""
    site = make_site(tmp_path / "site", {
        "content/a.md": "---\ntitle: Vertical\x0bTab\ndate: 2024-01-01\n---\nBody.\n",
    })
    build(site)
    assert titles(site / "output/atom.xml") == ["Vertical Tab"]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_document_of_entries_serialized_once_is_what_feedgen_writes_whole(fmt):
    """Issue #15: entries are serialized once and spliced into each document; the bytes must
    be those feedgen writes when it builds the document with its entries itself."""
    from site_builder.render.feedgen_fixes import (
        Enclosure,
        FeedHead,
        Link,
        append_entry,
        document_xml,
        entry_xml,
        new_feed,
        rss_text_refs,
        set_enclosure,
        set_ids,
        set_language,
    )

    when = dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    def fill(n: int, fe) -> None:
        set_ids(fe, f"tag:example.org,2024:{n}", f"guid {n}", False)
        fe.title(f"Title {n} & <more>")
        fe.link(href=f"https://example.org/{n}/", rel="alternate", type="text/html")
        fe.published(when)
        fe.updated(when)
        fe.author(name="Ana Díaz")
        fe.dc.dc_creator("Ana Díaz & co")
        fe.summary("a &lt;b&gt; summary", type="html")
        fe.content(f"<p>body {n}</p>\n<p>مرحبا</p>", type="html")
        fe.category(term="Iran & Cuba")
        set_enclosure(fe, Enclosure("https://example.org/a.png", 10, "image/png") if n else None)
        if n:
            fe.dc.dc_language("ar")
            set_language(fe, "ar")

    head = FeedHead(id="tag:example.org,2000:feed/atom", title="T & <t>", subtitle="S", language="en",
                    updated=when, page_url="https://example.org/", self_url="https://example.org/feed.xml",
                    self_type="application/rss+xml", links=[Link("current", "https://example.org/feed.xml")],
                    history="archive", stylesheet="../static/feed.xsl")
    fg = new_feed(head)
    for n in range(3):
        fill(n, append_entry(fg))
    whole = rss_text_refs(fg.rss_str(pretty=False)) if fmt == "rss" else fg.atom_str(pretty=False)
    spliced = document_xml(head, fmt, [entry_xml(fmt, lambda fe, n=n: fill(n, fe)) for n in range(3)])
    # the same document, but for the line break before each entry and the document's end
    closing = b"</channel></rss>" if fmt == "rss" else b"</feed>"
    entry_start = b"<item>" if fmt == "rss" else b"<entry"
    assert spliced.replace(b"\n" + entry_start, entry_start).replace(b"\n" + closing + b"\n", closing) == whole
    assert spliced.count(b"\n" + entry_start) == 3 and spliced.endswith(b">\n" + closing + b"\n")
    empty = rss_text_refs(new_feed(head).rss_str(pretty=False)) if fmt == "rss" else new_feed(head).atom_str(pretty=False)
    assert document_xml(head, fmt, []) == empty.replace(closing, b"\n" + closing + b"\n")


def test_a_json_feed_of_items_serialized_once_is_what_json_dumps_writes_whole(built):
    """The JSON Feed's items, serialized once each and spliced in, read as json.dumps of the
    whole document would write it (issue #15)."""
    import json

    for path in [built / "feed.json", built / "tags/iran/feed.json"]:
        data = path.read_bytes()
        whole = json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":")) + "\n"
        assert data == whole.encode("utf-8") and json.loads(data)["items"]
