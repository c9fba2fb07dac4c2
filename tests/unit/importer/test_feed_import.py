"""Importing another site's RSS or Atom feed, from a file or over real HTTP."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import make_site, run_cli

from site_builder.content.frontmatter import split_front_matter
from site_builder.core.errors import ContentError
from site_builder.importer.feed import looks_like_feed, parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Other News</title><link>https://other.example/</link><description>d</description>
<item>
  <title>Tehran Hosts Talks</title>
  <link>https://other.example/2024/tehran-talks</link>
  <guid isPermaLink="false">12345</guid>
  <pubDate>Wed, 10 Jul 2024 09:30:00 GMT</pubDate>
  <dc:creator>Ana Díaz</dc:creator>
  <category>Iran</category><category>Diplomacy</category>
  <content:encoded><![CDATA[<p>Talks <strong>opened</strong> in <a href="https://other.example/tehran">Tehran</a>.</p>
  <ul><li>First point</li><li>Second point</li></ul><p>More &amp; more.</p>]]></content:encoded>
</item>
<item>
  <title>Second &amp; Last</title>
  <link>https://other.example/2024/second</link>
  <guid>https://other.example/?p=2</guid>
  <pubDate>Thu, 11 Jul 2024 10:00:00 +0200</pubDate>
  <description>Only a &lt;em&gt;summary&lt;/em&gt; here.</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom News</title><id>urn:uuid:feed</id><updated>2024-07-12T08:00:00Z</updated>
  <entry>
    <title type="html">Grossi &lt;em&gt;Visits&lt;/em&gt; Tehran</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <link href="https://atom.example/grossi"/>
    <published>2024-07-12T06:00:00Z</published><updated>2024-07-13T06:00:00Z</updated>
    <author><name>Desk</name></author>
    <category term="IAEA"/>
    <content type="html">&lt;h2&gt;Context&lt;/h2&gt;&lt;p&gt;Rafael Grossi met officials.&lt;/p&gt;</content>
  </entry>
</feed>
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {"feed.xml": RSS, "atom.xml": ATOM}, config=(
        'base_url = "https://user.github.io/repo/"\nid_domain = "user.github.io"\ntimezone = "Asia/Tehran"\n'))


def front(path: Path) -> dict:
    return split_front_matter(path.name, path.read_text(encoding="utf-8")).fields


def test_rss_entries_keep_title_link_dates_categories_author_content_and_id():
    first, second = parse_feed("feed.xml", RSS.encode())
    assert first.title == "Tehran Hosts Talks" and first.line == 5
    assert first.link == "https://other.example/2024/tehran-talks"
    assert first.entry_id == "12345" and first.guid_is_permalink is False  # the guid, as written (issue #13)
    assert first.date.isoformat() == "2024-07-10T09:30:00+00:00"
    assert first.tags == ("Iran", "Diplomacy") and first.author == "Ana Díaz"
    assert "Talks **opened** in [Tehran](https://other.example/tehran)." in first.markdown
    assert "- First point\n- Second point" in first.markdown
    assert first.paragraphs == ("Talks opened in Tehran.", "More & more.")
    assert second.title == "Second & Last" and second.entry_id == "https://other.example/?p=2"
    assert second.markdown.strip() == "Only a *summary* here."
    assert second.date.isoformat() == "2024-07-11T08:00:00+00:00"


def test_atom_entry_keeps_its_urn_id_and_updated_date():
    (entry,) = parse_feed("atom.xml", ATOM.encode())
    assert entry.title == "Grossi Visits Tehran"
    assert entry.entry_id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert (entry.date.isoformat(), entry.updated.isoformat()) == (
        "2024-07-12T06:00:00+00:00", "2024-07-13T06:00:00+00:00")
    assert entry.markdown.startswith("## Context") and entry.tags == ("IAEA",)


@pytest.mark.parametrize("data, message", [
    (b"<rss version='2.0'><channel><title>x</title></channel></rss>", "feed.xml:1: the feed has no entries"),
    (b"<rss version='2.0'><channel>\n<item><title>x</title><description>y",
     "feed.xml:2: not a well-formed RSS or Atom feed (no element found): it is broken or was cut short"),
    ((b"<rss version='2.0'><channel>\n<item><title>A</title><description>y</description></item>\n"
     b"<item><description>no title</description></item></channel></rss>"),
     "feed.xml:3: a feed entry has no title"),
])
def test_bad_feeds_are_refused_naming_the_line(data, message):
    with pytest.raises(ContentError) as caught:
        parse_feed("feed.xml", data)
    assert str(caught.value).startswith(message)


def test_feeds_are_told_from_dumps_by_their_first_element():
    assert looks_like_feed(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<feed xmlns='x'>")
    assert looks_like_feed(b"<rss version='2.0'>") and looks_like_feed(b"<rdf:RDF>")
    assert not looks_like_feed(b"Headline about <feed> prices\nTT\n")


def test_feed_file_import_end_to_end(site):
    result = run_cli("import", "feed.xml", "atom.xml", "--tag", "Imported", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "note:" not in result.stdout  # feed entries carry their own dates
    tehran = front(site / "content/tehran-hosts-talks.md")
    assert tehran["id"] == "12345" and tehran["guid_is_permalink"] is False
    assert tehran["link"] == "https://other.example/2024/tehran-talks" and tehran["author"] == "Ana Díaz"
    assert tehran["tags"] == ["Imported", "Iran", "Diplomacy"]
    assert tehran["date"] == "2024-07-10T13:00:00+03:30" and tehran["source"] == "feed.xml"
    grossi = front(site / "content/grossi-visits-tehran.md")
    assert grossi["id"] == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert grossi["updated"] == "2024-07-13T06:00:00+00:00"
    assert run_cli("build", "--site", str(site)).returncode == 0
    atom = (site / "output/atom.xml").read_text()
    assert "<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>" in atom  # the feeds keep it
    page = (site / "output/articles/tehran-hosts-talks/index.html").read_text()
    assert "<strong>opened</strong>" in page and "<li>Second point</li>" in page


def test_changed_feed_entry_is_skipped_until_forced(site):
    run_cli("import", "feed.xml", cwd=site)
    path = site / "content/tehran-hosts-talks.md"
    (site / "feed.xml").write_text(RSS.replace("Talks <strong>opened</strong>", "Talks resumed"))
    result = run_cli("import", "feed.xml", cwd=site)
    assert result.returncode == 0
    assert ("skipped   content/tehran-hosts-talks.md  (feed.xml:5; this feed entry was imported "
            "there and its text has changed since: --force replaces the file)") in result.stdout
    assert "opened" in path.read_text()
    forced = run_cli("import", "feed.xml", "--force", cwd=site)
    assert forced.stdout.startswith("replaced  content/tehran-hosts-talks.md")
    assert "Talks resumed" in path.read_text()
    assert front(path)["id"] == "12345"


@contextmanager
def serving(body: bytes):
    """Serve `body` at every path of a local HTTP server; yield its base URL."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_feed_url_import_over_http(site):
    with serving(RSS.encode()) as base:
        result = run_cli("import", f"{base}/feed.xml", cwd=site)
    assert result.returncode == 0, result.stderr
    assert front(site / "content/second-last.md")["source"] == f"{base}/feed.xml"
    assert "Imported 2 articles from 1 source: 2 created" in result.stdout


def test_unreachable_feed_url_is_a_clear_error(site):
    with serving(b"") as base:
        pass  # the server is gone: nothing listens there any more
    result = run_cli("import", f"{base}/feed.xml", cwd=site)
    assert result.returncode == 1
    assert f"error: {base}/feed.xml: could not download the feed" in result.stderr


def test_a_hand_written_file_with_the_entry_id_is_kept_even_with_force(site):
    hand = site / "content/mine.md"
    hand.parent.mkdir()
    hand.write_text("---\ntitle: Mine\ndate: 2024-01-01\nid: urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a\n---\nx\n")
    result = run_cli("import", "atom.xml", "--force", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("skipped   content/mine.md  (atom.xml:4; that file has this feed "
                                    "entry's id and was not written by the importer)")
    assert hand.read_text().endswith("---\nx\n") and len(list(hand.parent.iterdir())) == 1
