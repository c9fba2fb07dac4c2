"""What our feeds do beyond the peers': JSON Feed, RFC 5005 archives, enclosures, WebSub,
summary-only feeds, a choice of formats, and the W3C validator's verdict."""
from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
from conftest import REPO, article, assert_w3c_valid, make_site, needs_feedvalidator, picture

from site_builder.build.run import build

ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"
BASE = "https://u.github.io/repo/"


def news_site(tmp_path: Path, count: int, extra: str = "") -> Path:
    """Story i is dated 2024-MM-i, two stories a month: 1 and 2 in January, 3 and 4 in February…"""
    files = {f"content/s{i}.md": article(f"Story {i}", f"2024-{(i + 1) // 2:02}-{i:02}", f"Body {i}.", tags="[Iran]")
             for i in range(1, count + 1)}
    return make_site(tmp_path / "site", files, config=f'title = "News"\nbase_url = "{BASE}"\n'
                     f'id_domain = "u.github.io"\nfeed_items = 3\n{extra}')


def atom_links(path: Path) -> dict[str, str]:
    return {link.get("rel"): link.get("href") for link in ET.parse(path).getroot().findall(ATOM + "link")}


def walk_archives(out: Path, start: str) -> list[list[str]]:
    """Follow rel="prev-archive" from a subscription feed, as an RFC 5005 client does; return
    each document's entry titles, newest document first."""
    documents, url = [], BASE + start
    while url:
        path = out / url.removeprefix(BASE)
        feed = feedparser.parse(str(path))
        assert feed.bozo == 0, path
        documents.append([e.title for e in feed.entries])
        url = atom_links(path).get("prev-archive") if path.suffix == ".xml" else None
    return documents


def test_subscription_feed_and_archives_together_hold_every_article(tmp_path):
    site = news_site(tmp_path, 8, "tag_feed_archives = true\n")  # as a site that set it keeps it
    build(site)
    out = site / "output"
    documents = walk_archives(out, "atom.xml")
    assert documents[0] == ["Story 8", "Story 7", "Story 6"]  # the newest feed_items
    # then a document per month, each holding the whole month (April's overlaps the feed)
    assert documents[1:] == [["Story 8", "Story 7"], ["Story 6", "Story 5"], ["Story 4", "Story 3"],
                             ["Story 2", "Story 1"]]
    archive = ET.parse(out / "archive/2024/01/atom.xml").getroot()
    assert archive.find(FH + "archive") is not None
    assert atom_links(out / "archive/2024/01/atom.xml") | {"self": ""} == {
        "self": "", "alternate": BASE, "current": BASE + "atom.xml", "next-archive": BASE + "archive/2024/02/atom.xml"}
    assert walk_archives(out, "tags/iran/atom.xml")[-1] == ["Story 2", "Story 1"]
    rss = ET.parse(out / "feed.xml").getroot()
    assert {l.get("rel"): l.get("href") for l in rss.iter(ATOM + "link")}["prev-archive"] == BASE + "archive/2024/04/feed.xml"


def test_tag_feeds_have_no_archives_by_default(tmp_path):
    """By default (issue #15) a tag's feed holds its newest entries only, and says so (no
    archive link, no claim to be complete); the site's feed keeps its archive."""
    site = news_site(tmp_path, 8)
    build(site)
    out = site / "output"
    assert not (out / "tags/iran/archive").exists()
    assert walk_archives(out, "tags/iran/atom.xml") == [["Story 8", "Story 7", "Story 6"]]
    for feed in ("tags/iran/atom.xml", "tags/iran/feed.xml"):
        root = ET.parse(out / feed).getroot()
        assert root.find(f".//{FH}complete") is None and root.find(f".//{FH}archive") is None, feed
    assert len(walk_archives(out, "atom.xml")) == 5  # the newest 3, and 4 months
    assert "next_url" not in json.loads((out / "tags/iran/feed.json").read_text())


def test_archive_documents_carry_summaries_by_default(tmp_path):
    """By default (issue #15) an archived entry is its summary and link, in every format, and
    the subscription feed keeps whole articles; `archive_full_content = true` archives them whole."""
    site = news_site(tmp_path, 8)
    build(site)
    out = site / "output"
    for doc in ("archive/2024/01/atom.xml", "archive/2024/01/feed.xml"):
        entries = feedparser.parse(str(out / doc)).entries
        assert [e.title for e in entries] == ["Story 2", "Story 1"]
        assert all("content" not in e and e.summary == e.title.replace("Story", "Body") + "." for e in entries)
        assert all(e.link.startswith(BASE + "articles/") for e in entries)
    items = json.loads((out / "archive/2024/01/feed.json").read_text())["items"]
    # the summary is the item's text, said once
    assert [(i["content_text"], "summary" in i) for i in items] == [("Body 2.", False), ("Body 1.", False)]
    assert feedparser.parse(str(out / "atom.xml")).entries[0].content[0].value == "<p>Body 8.</p>"

    whole = news_site(tmp_path / "whole", 8, "archive_full_content = true\n")
    build(whole)
    entries = feedparser.parse(str(whole / "output/archive/2024/01/atom.xml")).entries
    assert [e.content[0].value for e in entries] == ["<p>Body 2.</p>", "<p>Body 1.</p>"]


def test_tags_feeds_carry_summaries_by_default_and_the_sites_feed_whole_articles(tmp_path):
    """By default (issue #15: a large site fits GitHub Pages) a tag's feed carries each
    article's summary and link in every format; `tag_feed_full_content = true` carries them whole."""
    site = news_site(tmp_path, 4)
    build(site)
    out = site / "output"
    for doc in ("tags/iran/atom.xml", "tags/iran/feed.xml"):
        entries = feedparser.parse(str(out / doc)).entries
        assert [(e.title, "content" in e, e.summary) for e in entries] == [
            ("Story 4", False, "Body 4."), ("Story 3", False, "Body 3."), ("Story 2", False, "Body 2.")]
    items = json.loads((out / "tags/iran/feed.json").read_text())["items"]
    assert [(i["content_text"], "content_html" in i) for i in items] == [("Body 4.", False), ("Body 3.", False), ("Body 2.", False)]
    assert [e.content[0].value for e in feedparser.parse(str(out / "atom.xml")).entries] == [
        "<p>Body 4.</p>", "<p>Body 3.</p>", "<p>Body 2.</p>"]

    whole = news_site(tmp_path / "whole", 4, "tag_feed_full_content = true\n")
    build(whole)
    entries = feedparser.parse(str(whole / "output/tags/iran/atom.xml")).entries
    assert [e.content[0].value for e in entries] == ["<p>Body 4.</p>", "<p>Body 3.</p>", "<p>Body 2.</p>"]


def test_a_body_edit_below_the_summary_renders_no_tag_feed(tmp_path):
    """A tag's feed of summaries shows no body: editing a body past its first paragraph
    rewrites the site's feeds, not the tag's."""
    site = news_site(tmp_path, 4)
    build(site)
    out = site / "output"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    story = site / "content/s4.md"
    story.write_text(story.read_text() + "\nA second paragraph.\n")
    build(site)
    changed = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.stat().st_mtime_ns != before.get(p)}
    assert {"feed.xml", "atom.xml", "feed.json"} <= changed
    assert not {c for c in changed if c.startswith("tags/")}


def test_a_past_month_keeps_its_archive_documents_as_articles_are_added(tmp_path):
    site = news_site(tmp_path, 7, "tag_feed_archives = true\n")  # January to April
    build(site)
    past = [f"{base}archive/2024/{month}/{name}" for base in ("", "tags/iran/") for month in ("01", "02", "03")
            for name in ("atom.xml", "feed.xml", "feed.json")]
    before = {path: (site / "output" / path).read_bytes() for path in past}
    for i in range(8, 15):  # April to July
        (site / f"content/s{i}.md").write_text(article(f"Story {i}", f"2024-{(i + 1) // 2:02}-{i:02}", tags="[Iran]"))
    build(site)
    assert {path: (site / "output" / path).read_bytes() for path in past} == before


def test_a_feed_holding_every_article_says_it_is_complete(tmp_path):
    site = news_site(tmp_path, 2)
    build(site)
    assert ET.parse(site / "output/atom.xml").getroot().find(FH + "complete") is not None
    assert not list((site / "output").glob("**/archive/*/*/atom.xml"))


def test_json_feed_holds_the_same_entries_as_atom(tmp_path):
    site = news_site(tmp_path, 5)
    build(site)
    feed = json.loads((site / "output/feed.json").read_text())
    atom = feedparser.parse(str(site / "output/atom.xml"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == BASE + "feed.json" and feed["home_page_url"] == BASE
    assert [(i["id"], i["title"], i["url"]) for i in feed["items"]] == [(e.id, e.title, e.link) for e in atom.entries]
    item = feed["items"][0]
    assert item["content_html"] == "<p>Body 5.</p>" and item["tags"] == ["Iran"]
    assert item["date_published"] == "2024-03-05T00:00:00+00:00" and "date_modified" not in item  # never updated
    # no byline: the feed's author, the site, is the item's (JSON Feed 1.1), as feedparser reads Atom's
    assert "authors" not in item and feed["authors"] == [{"name": feedparser.parse(str(site / "output/atom.xml")).feed.author}]
    assert feed["next_url"] == BASE + "archive/2024/03/feed.json"
    assert json.loads((site / "output/tags/iran/feed.json").read_text())["items"][0]["title"] == "Story 5"


def test_the_lead_image_is_an_enclosure_with_its_real_length_and_type(tmp_path):
    site = make_site(tmp_path / "site", {
        "content/a.md": article("Local", "2024-01-02", image="images/photo.jpg"),
        "content/b.md": article("Remote", "2024-01-01", image="https://cdn.example.org/p.png"),
        "static/images/photo.jpg": picture("JPEG"),
    })
    build(site)
    rss = feedparser.parse(str(site / "output/feed.xml"))
    local, remote = rss.entries
    length = str(len(picture("JPEG")))
    assert local.enclosures == [{"href": "https://user.github.io/repo/images/photo.jpg", "length": length,
                                 "type": "image/jpeg"}]
    assert remote.enclosures[0]["href"] == "https://cdn.example.org/p.png" and remote.enclosures[0]["type"] == "image/png"
    atom = ET.parse(site / "output/atom.xml").getroot()
    entry = next(atom.iter(ATOM + "entry"))
    rels = sorted(link.get("rel") for link in entry.findall(ATOM + "link"))
    assert rels == ["alternate", "enclosure"]  # feedgen alone would write two alternates


def test_websub_hub_is_announced_in_every_format(tmp_path):
    site = news_site(tmp_path, 1, 'websub_hub = "https://hub.example.org/"\n')
    build(site)
    out = site / "output"
    assert atom_links(out / "atom.xml")["hub"] == "https://hub.example.org/"
    rss = ET.parse(out / "feed.xml").getroot()
    assert "https://hub.example.org/" in {l.get("href") for l in rss.iter(ATOM + "link") if l.get("rel") == "hub"}
    assert json.loads((out / "feed.json").read_text())["hubs"] == [{"type": "WebSub", "url": "https://hub.example.org/"}]


def test_summary_only_feeds(tmp_path):
    site = news_site(tmp_path, 1, "feed_full_content = false\n")
    build(site)
    rss, atom = (feedparser.parse(str(site / "output" / f)) for f in ("feed.xml", "atom.xml"))
    assert "content" not in rss.entries[0] and "content" not in atom.entries[0]
    assert rss.entries[0].summary == "Body 1." == atom.entries[0].summary


def test_only_the_chosen_formats_are_written_and_announced(tmp_path):
    site = news_site(tmp_path, 1, 'feeds = ["atom"]\n')
    build(site)
    out = site / "output"
    assert (out / "atom.xml").exists() and not (out / "feed.xml").exists() and not (out / "feed.json").exists()
    assert "feed.xml" not in (out / "index.html").read_text()  # neither announced nor linked
    assert "feed.json" not in (out / "tags/iran/index.html").read_text()
    assert 'href="https://u.github.io/repo/atom.xml"' in (out / "index.html").read_text()


def test_feeds_link_the_browser_stylesheet(tmp_path):
    site = news_site(tmp_path, 4, "tag_feed_archives = true\n")
    build(site)
    out = site / "output"
    assert '<?xml-stylesheet type="text/xsl" href="static/feed.xsl"?>' in (out / "feed.xml").read_text()
    assert ('<?xml-stylesheet type="text/xsl" href="../../../../../static/feed.xsl"?>'
            in (out / "tags/iran/archive/2024/01/atom.xml").read_text())


@needs_feedvalidator
def test_the_w3c_validator_finds_no_error_or_warning(tmp_path):
    """Archives of three months (the site, Iran, Cuba) and of one (Oil: its lone month links
    the subscription feed as next-archive), and an Arabic entry (xml:lang, dc:language)."""
    site = make_site(tmp_path / "site", {
        **{f"content/s{i}.md": article(f"Story {i} & <more>", f"2024-0{(i + 1) // 2}-{i:02}", f"Body {i} [x](/tags/).",
                                       tags="[Iran, Cuba, Oil]" if i < 3 else "[Iran, Cuba]",
                                       image="images/p.jpg" if i % 2 else "https://cdn.example.org/p.png")
           for i in range(1, 6)},
        "content/ar.md": article("خبر عاجل", "2024-01-06", "نص الخبر.", tags="[Oil]", language="ar"),
        "static/images/p.jpg": picture("JPEG"),
    }, config=f'title = "News"\nbase_url = "{BASE}"\nfeed_items = 2\nwebsub_hub = "https://hub.example.org/"\n'
              'tag_feed_archives = true\n')  # archives of summaries (the default), tags' too
    build(site)
    assert_w3c_valid(site / "output", BASE)
    assert (site / "output/archive/2024/02/atom.xml").is_file() and (site / "output/tags/oil/archive/2024/01/atom.xml").is_file()


def test_an_article_in_another_language_says_so_in_every_feed(tmp_path):
    """Issue #12 finding 7: an Arabic article in an English site's feeds is labelled Arabic —
    Atom <entry xml:lang="ar">, JSON Feed item "language", RSS item dc:language (RSS 2.0 has
    no language per item) — and an English one inherits the feed's language."""
    site = make_site(tmp_path / "site", {
        "content/ar.md": article("خبر عاجل", "2024-01-02", "نص الخبر.", language="ar"),
        "content/en.md": article("English", "2024-01-03", "Text.", language="EN"),
    }, config=f'title = "News"\nbase_url = "{BASE}"\n')
    build(site)
    out = site / "output"
    atom = feedparser.parse(str(out / "atom.xml"))
    assert atom.bozo == 0 and atom.feed.language == "en"
    assert [(e.title, e.title_detail.language) for e in atom.entries] == [("English", "en"), ("خبر عاجل", "ar")]
    entries = ET.parse(out / "atom.xml").getroot().findall(ATOM + "entry")
    assert [e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in entries] == [None, "ar"]
    assert [item.get("language") for item in json.loads((out / "feed.json").read_text())["items"]] == [None, "ar"]
    assert [e.get("language") for e in feedparser.parse(str(out / "feed.xml")).entries] == [None, "ar"]
    from test_feeds import jing
    result = subprocess.run([jing(), "-c", str(REPO / "tests/schemas/atom.rnc"), str(out / "atom.xml")],
                            capture_output=True, check=False, text=True)
    assert result.returncode == 0, result.stdout
