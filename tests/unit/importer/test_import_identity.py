"""Imports keep the source's identity (issue #13, finding 4): an imported entry's id is the id
readers already know, written back by every feed format, and its content's relative URLs
point at the site it came from."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape as xml_escape

import pytest
from conftest import BASE_URL, article, assert_w3c_valid, make_site, needs_feedvalidator, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serving import serving

from site_builder.build.run import build
from site_builder.content.frontmatter import split_front_matter
from site_builder.core.config import load_config
from site_builder.core.entry_ids import is_iri
from site_builder.importer.feed import parse_feed
from site_builder.importer.write import ImportOptions, run_import

ATOM = "{http://www.w3.org/2005/Atom}"
OMAN_GUID = "gulfdesk-2024-0311-oman-fishing"
DERIVED = "tag:user.github.io,2000:guid/"


def rss(*items: str, channel: str = "") -> str:
    """An RSS 2.0 feed of Gulf Desk, the site being moved to site-builder."""
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Gulf Desk</title><link>https://gulfdesk.example/</link><description>d</description>"
            f"{channel}{''.join(items)}</channel></rss>\n")


def item(title: str, link: str, guid: str, day: int, body: str = "<p>Text.</p>") -> str:
    return (f"<item><title>{title}</title><link>{link}</link>{guid}"
            f"<pubDate>{day:02} Mar 2024 08:00:00 GMT</pubDate>"
            f"<description>{xml_escape(body)}</description></item>")


GULF_DESK = rss(
    item("Oman Fishing", "https://gulfdesk.example/2024/03/oman-fishing/",
         f'<guid isPermaLink="false">{OMAN_GUID}</guid>', 11,
         '<p>Sardines <img src="/img/sardines.jpg" alt="Sardines"> and '
         '<a href="nets/">the nets</a>.</p>'),
    item("Port Reopens", "https://gulfdesk.example/2024/03/port/",
         "<guid>https://gulfdesk.example/2024/03/port/</guid>", 12),
    item("Odd Guid", "https://gulfdesk.example/2024/03/odd/",
         """<guid isPermaLink="false">desk #7: 'odd' "guid" &amp; more</guid>""", 13),
    item("Old Address", "https://gulfdesk.example/2024/03/moved/",
         '<guid isPermaLink="false">https://gulfdesk.example/?p=4</guid>', 14),
)


def front(path: Path) -> dict:
    return split_front_matter(path.name, path.read_text(encoding="utf-8")).fields


def rss_guids(output: Path) -> dict[str, tuple[str, str]]:
    """Each RSS item's link → (guid text, isPermaLink)."""
    root = ElementTree.parse(output / "feed.xml").getroot()
    return {i.findtext("link"): (i.findtext("guid"), i.find("guid").get("isPermaLink"))
            for i in root.iter("item")}


def atom_ids(output: Path) -> dict[str, str]:
    root = ElementTree.parse(output / "atom.xml").getroot()
    return {e.find(ATOM + "link").get("href"): e.findtext(ATOM + "id") for e in root.iter(ATOM + "entry")}


def json_ids(output: Path) -> dict[str, str]:
    return {i["url"]: i["id"] for i in json.loads((output / "feed.json").read_text())["items"]}


@pytest.fixture
def moved(tmp_path):
    """Gulf Desk's feed imported into a new site with the CLI, and built."""
    site = make_site(tmp_path / "site", {"gulfdesk.xml": GULF_DESK})
    imported = run_cli("import", "gulfdesk.xml", cwd=site)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    built = run_cli("build", cwd=site)
    assert built.returncode == 0, built.stdout + built.stderr
    return site


def test_an_rss_guid_is_the_articles_id_and_every_feed_writes_it_back(moved):
    oman = front(moved / "content/oman-fishing.md")
    assert oman["id"] == OMAN_GUID and oman["guid_is_permalink"] is False
    url = BASE_URL + "articles/oman-fishing/"
    assert rss_guids(moved / "output")[url] == (OMAN_GUID, "false")
    assert json_ids(moved / "output")[url] == OMAN_GUID
    assert atom_ids(moved / "output")[url] == DERIVED + OMAN_GUID  # Atom needs an IRI
    odd = BASE_URL + "articles/odd-guid/"
    assert rss_guids(moved / "output")[odd] == ("""desk #7: 'odd' "guid" & more""", "false")
    assert json_ids(moved / "output")[odd] == """desk #7: 'odd' "guid" & more"""
    assert atom_ids(moved / "output")[odd] == DERIVED + "desk%20%237%3A%20%27odd%27%20%22guid%22%20%26%20more"
    checked = run_cli("check", cwd=moved)  # the three formats agree on every entry's identity
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_rss_guid_keeps_the_is_permalink_its_source_gave(moved):
    guids = rss_guids(moved / "output")
    # no attribute: RSS's default, true — the guid is the old article's address
    assert guids[BASE_URL + "articles/port-reopens/"] == ("https://gulfdesk.example/2024/03/port/", "true")
    assert front(moved / "content/port-reopens.md")["guid_is_permalink"] is True
    # a URL the source said was not a permalink stays not one
    assert guids[BASE_URL + "articles/old-address/"] == ("https://gulfdesk.example/?p=4", "false")
    assert atom_ids(moved / "output")[BASE_URL + "articles/old-address/"] == "https://gulfdesk.example/?p=4"


def test_the_derived_atom_id_never_changes_with_the_title_slug_date_or_base_url(moved):
    path = moved / "content/oman-fishing.md"
    path.write_text(path.read_text().replace("title: Oman Fishing", "title: Oman Fishing Fleet Returns")
                    .replace("slug: oman-fishing", "slug: oman-fleet")
                    .replace("date: 2024-03-11T08:00:00+00:00", "date: 2024-03-10T08:00:00+00:00"))
    toml = (moved / "site.toml").read_text().replace(BASE_URL, "https://gulfdesk.news/")
    (moved / "site.toml").write_text(toml)
    assert run_cli("build", "--allow-id-change", cwd=moved).returncode == 0  # the URL moved on purpose
    url = "https://gulfdesk.news/articles/oman-fleet/"
    assert atom_ids(moved / "output")[url] == DERIVED + OMAN_GUID
    assert rss_guids(moved / "output")[url] == (OMAN_GUID, "false")


def test_relative_and_root_relative_urls_point_at_the_site_the_entry_came_from(moved):
    body = (moved / "content/oman-fishing.md").read_text().split("---\n", 2)[2]
    assert "![Sardines](https://gulfdesk.example/img/sardines.jpg)" in body
    assert "[the nets](https://gulfdesk.example/2024/03/oman-fishing/nets/)" in body
    page = (moved / "output/articles/oman-fishing/index.html").read_text()
    assert 'src="https://gulfdesk.example/img/sardines.jpg"' in page


def test_a_fetched_feeds_entries_resolve_against_their_own_link_not_the_feeds_url():
    feed = rss(item("A", "https://gulfdesk.example/2024/03/a/", "<guid>desk-a</guid>", 11,
                    '<p><a href="photos/">photos</a> <img src="/img/a.jpg" alt="a"></p>'))
    [entry] = parse_feed("https://gulfdesk.example/feeds/all.xml", feed.encode(),
                         base_url="https://gulfdesk.example/feeds/all.xml")
    assert "[photos](https://gulfdesk.example/2024/03/a/photos/)" in entry.markdown
    assert "![a](https://gulfdesk.example/img/a.jpg)" in entry.markdown
    # feedparser reads a guid without isPermaLink="false" as a URL relative to the feed's
    assert entry.entry_id == "desk-a" and entry.guid_is_permalink is True
    # an xml:base, when the feed gives one, is the base instead
    based = feed.replace("<channel>", '<channel xml:base="https://cdn.gulfdesk.example/">')
    [entry] = parse_feed("https://gulfdesk.example/feeds/all.xml", based.encode(),
                         base_url="https://gulfdesk.example/feeds/all.xml")
    assert "![a](https://cdn.gulfdesk.example/img/a.jpg)" in entry.markdown


def test_imported_atom_ids_are_kept_as_they_are(tmp_path):
    atom = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Desk</title><id>urn:uuid:feed</id><updated>2024-03-11T08:00:00Z</updated>"
            "<author><name>Desk</name></author>"
            '<entry><title>Story</title><id>gulfdesk:story:17</id><updated>2024-03-11T08:00:00Z</updated>'
            '<link href="https://gulfdesk.example/story-17"/><content type="html">&lt;p&gt;Text.&lt;/p&gt;</content></entry>'
            # not an IRI, as RFC 4287 asks, but what readers of that feed know the entry by
            '<entry><title>Other</title><id>story-18</id><updated>2024-03-12T08:00:00Z</updated>'
            '<link href="https://gulfdesk.example/story-18"/><content type="html">&lt;p&gt;More.&lt;/p&gt;</content></entry>'
            "</feed>\n")
    site = make_site(tmp_path / "site", {"atom.xml": atom})
    assert run_cli("import", "atom.xml", cwd=site).returncode == 0
    assert front(site / "content/story.md")["id"] == "gulfdesk:story:17"
    assert "guid_is_permalink" not in front(site / "content/story.md")
    assert run_cli("build", cwd=site).returncode == 0
    url = BASE_URL + "articles/story/"
    assert atom_ids(site / "output")[url] == "gulfdesk:story:17"
    assert rss_guids(site / "output")[url] == ("gulfdesk:story:17", "false")
    assert json_ids(site / "output")[url] == "gulfdesk:story:17"
    assert front(site / "content/other.md")["id"] == "story-18"
    url = BASE_URL + "articles/other/"
    assert atom_ids(site / "output")[url] == DERIVED + "story-18"
    assert rss_guids(site / "output")[url] == ("story-18", "false")
    assert json_ids(site / "output")[url] == "story-18"


def test_an_id_in_front_matter_may_be_any_text_but_not_empty(tmp_path):
    site = make_site(tmp_path / "site", {
        "content/a.md": article("A Story", "2024-03-11", id="'desk #7: a story'"),
    })
    assert run_cli("build", cwd=site).returncode == 0
    assert rss_guids(site / "output")[BASE_URL + "articles/a/"] == ("desk #7: a story", "false")
    (site / "content/a.md").write_text(article("A Story", "2024-03-11", id="''"))
    result = run_cli("build", cwd=site)
    assert result.returncode == 1
    assert "content/a.md:4: id: is empty: remove the line, or give the article's permanent id" in result.stderr


def test_the_id_guard_knows_a_guid_in_the_atom_feed_readers_have(moved, tmp_path):
    """The live Atom feed holds the tag URI derived from the guid: the fix the guard gives is
    the guid itself, quoted for YAML. (The guard compares with the live site, which a local
    HTTP server plays here: test_live_guard.py.)"""
    live = tmp_path / "live"
    live.mkdir()
    with serving(live, "/repo/") as origin:
        base_url = origin + "/repo/"
        assert run_cli("build", "--base-url", base_url, cwd=moved).returncode == 0
        shutil.rmtree(live)
        shutil.copytree(moved / "output", live)
        path = moved / "content/odd-guid.md"
        text = path.read_text()
        path.write_text(text.replace(next(line for line in text.splitlines() if line.startswith("id: ")),
                                     "id: something-else"))
        assert run_cli("build", "--base-url", base_url, cwd=moved).returncode == 0  # not deployed from here
        result = run_cli("check", "--live", "--base-url", base_url, cwd=moved)
    assert result.returncode == 1
    assert """add 'id: 'desk #7: ''odd'' "guid" & more'' to its front matter""" in result.stderr


@needs_feedvalidator
def test_a_site_imported_from_a_feed_of_non_uri_guids_is_w3c_valid(moved):
    guids = {guid for guid, _ in rss_guids(moved / "output").values()}
    assert {OMAN_GUID, """desk #7: 'odd' "guid" & more"""} <= guids  # the source's, not URLs
    assert_w3c_valid(moved / "output", BASE_URL)


# What an RSS guid may hold and a content file keeps: XML characters but controls and
# noncharacters (which content files drop, and no feed may carry), with the ones YAML and
# Markdown treat specially made likely; leading and trailing white space is not part of it.
_GUID = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from(" \t\n#:'\"&<>%-?{}[],!|*"),
                min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(guid=_GUID)
def test_any_guid_survives_import_and_build_byte_for_byte(tmp_path_factory, guid):
    site = make_site(tmp_path_factory.mktemp("site"), {"feed.xml": rss(
        item("Story", "https://gulfdesk.example/story", f'<guid isPermaLink="false">{xml_escape(guid)}</guid>', 11))})
    config = load_config(site)
    options = ImportOptions(dates=())
    report = run_import([str(site / "feed.xml")], site, site / "content", config, options)
    assert not report.errors, [str(e) for e in report.errors]
    ids = []
    for base_url in (BASE_URL, "https://gulfdesk.news/"):  # a move keeps every id
        build(site, base_url=base_url, allow_id_change=True)
        url = base_url + "articles/story/"
        assert rss_guids(site / "output")[url] == (guid, "false")
        assert json_ids(site / "output")[url] == guid
        ids.append(atom_ids(site / "output")[url])
    assert is_iri(ids[0]) and ids[0] == ids[1]
