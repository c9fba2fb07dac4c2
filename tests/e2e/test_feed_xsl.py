"""The feed stylesheet (templates/feed.xsl, written to static/feed.xsl): an RSS or Atom feed
opened in a browser is a readable page that lists the articles and says how to subscribe
(issue 4), in the site's language (issue 16).

The stylesheet is applied with lxml (libxslt, the engine Chromium uses) to every RSS and Atom
document a real build writes, subscription feeds and RFC 5005 archive pages, site-wide and
per tag; and, when Chromium is installed, a real browser opens a feed served over HTTP.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from conftest import BASE_URL, article, make_site
from lxml import etree
from serving import serving

from site_builder.build.run import build

PREFIX = urlsplit(BASE_URL).path  # "/repo/"
CHROMIUM = Path("/usr/bin/chromium")
NS = {"atom": "http://www.w3.org/2005/Atom", "fh": "http://purl.org/syndication/history/1.0"}

SCRIPT_TITLE = "<script>alert(1)</script> Breaking"
IMG_SUMMARY = "<img src=x onerror=alert(1)> A summary with markup"
TITLES = ("One & Only", "Two", "Three", "Four", SCRIPT_TITLE)  # oldest first


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """Five articles, two per feed, in January (1), February (2, 3) and March (4, 5): the site
    and the Iran tag both get a month's archive documents."""
    root = tmp_path_factory.mktemp("xsl") / "site"
    files = {
        f"content/{n}.md": article(title, f"2024-0{(n + 2) // 2}-0{n}T10:00:00+0{n}:00", f"Body {n} with <b>bold</b> & more.",
                                   tags="[Iran]" if n != 2 else "[Cuba]", slug=f"story-{n}")
        for n, title in enumerate(TITLES, 1)
    }
    files["content/4.md"] = article("Four", "2024-03-04", "Body.", tags="[Iran, Cuba]", slug="story-4",
                                    summary=repr(IMG_SUMMARY))
    root = make_site(root, files, config=f'title = "Test News"\nbase_url = "{BASE_URL}"\nauthor = "Desk"\n'
                                         'description = "All the news"\nfeed_items = 2\n'
                                         'tag_feed_archives = true\narchive_full_content = true\n')
    build(root)
    return root / "output"


def feed_files(out: Path) -> list[str]:
    """Every RSS and Atom document of the build, relative to out."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xml")
                  if p.name not in ("sitemap.xml", "news-sitemap.xml"))


@cache
def _transform(xsl: Path) -> etree.XSLT:
    return etree.XSLT(etree.parse(str(xsl)))


def stylesheet_of(feed: Path) -> Path:
    """The file the feed's <?xml-stylesheet?> instruction points at, as a browser finds it."""
    pis = etree.parse(str(feed)).xpath("/processing-instruction('xml-stylesheet')")
    assert len(pis) == 1, f"{feed}: expected one xml-stylesheet instruction"
    assert pis[0].get("type") == "text/xsl"
    return (feed.parent / pis[0].get("href")).resolve()


def render(feed: Path, xsl: Path | None = None) -> tuple[str, lxml.html.HtmlElement]:
    """Apply the feed's stylesheet (or `xsl`) to it; return the HTML text and its tree."""
    html = str(_transform(xsl or stylesheet_of(feed))(etree.parse(str(feed))))
    return html, lxml.html.document_fromstring(html)


def text(node) -> str:
    return " ".join(node.text_content().split())


def html_text(fragment: str) -> str:
    """The text an HTML fragment shows (an RSS <description> is HTML)."""
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()


def _atom_text(element) -> str:
    """The text an Atom text construct stands for (RFC 4287 §3.1): type="html" is escaped HTML."""
    return html_text(element.text or "") if element.get("type") == "html" else element.text or ""


def feed_facts(feed: Path) -> dict:
    """What the page must show, read from the feed itself (RSS 2.0 or Atom 1.0)."""
    root = etree.parse(str(feed)).getroot()
    if root.tag == "rss":
        channel = root.find("channel")
        links = channel.findall("atom:link", NS)
        entries = [(item.findtext("title"), item.findtext("link"),
                    email.utils.parsedate_to_datetime(item.findtext("pubDate")).date().isoformat(),
                    html_text(item.findtext("description"))) for item in channel.findall("item")]
        title, home = channel.findtext("title"), channel.findtext("link")
        archive = channel.find("fh:archive", NS) is not None
    else:
        links = root.findall("atom:link", NS)
        entries = [(e.findtext("atom:title", namespaces=NS),
                    e.find("atom:link[@rel='alternate']", NS).get("href"),
                    dt.datetime.fromisoformat(e.findtext("atom:published", namespaces=NS)).date().isoformat(),
                    _atom_text(e.find("atom:summary", NS))) for e in root.findall("atom:entry", NS)]
        title = root.findtext("atom:title", namespaces=NS)
        home = root.find("atom:link[@rel='alternate']", NS).get("href")
        archive = root.find("fh:archive", NS) is not None
    rels = {link.get("rel"): link.get("href") for link in links}
    return {"title": title, "home": home, "self": rels["self"], "current": rels.get("current"),
            "archive": archive, "entries": entries}


# --- the stylesheet, applied to every feed of a build --------------------------------------

def test_every_feed_links_the_stylesheet_the_build_writes(output):
    """Every RSS and Atom document points (relatively, at any depth) at static/feed.xsl,
    which the build writes from the theme's."""
    feeds = feed_files(output)
    assert {"feed.xml", "atom.xml", "archive/2024/01/feed.xml", "archive/2024/03/atom.xml", "tags/iran/atom.xml",
            "tags/iran/archive/2024/02/feed.xml"} <= set(feeds)
    for rel in feeds:
        assert stylesheet_of(output / rel) == (output / "static" / "feed.xsl").resolve(), rel
    # rendered from the theme's template in the site's language: XSLT with no template syntax left
    stylesheet = (output / "static" / "feed.xsl").read_text()
    assert "{{" not in stylesheet and "{%" not in stylesheet and "Latest articles" in stylesheet
    assert etree.parse(str(output / "static" / "feed.xsl")).getroot().tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"


def test_every_feed_shows_as_a_page_of_its_articles(output):
    """For each feed document: the feed's title and description, a subscribe box with the
    address to copy, a link to the site, and every entry in order with its link, date and
    summary."""
    seen_titles = set()
    for rel in feed_files(output):
        facts = feed_facts(output / rel)
        _, doc = render(output / rel)
        where = f"{rel}: "
        assert text(doc.find(".//h1")) == facts["title"], where
        assert facts["title"] in text(doc.find(".//title")), where
        assert doc.get("lang") == "en", where
        assert doc.xpath("//a[@class='home-link']/@href") == [facts["home"]], where

        box = doc.xpath("//section[@class='subscribe']")
        assert len(box) == 1, where
        box_text = text(box[0])
        assert "web feed" in box_text and "into your feed reader to subscribe" in box_text, where
        address = box[0].xpath(".//p[@class='address']/code")
        if facts["archive"]:  # RFC 5005: subscribe to the current feed, not an archive page
            assert "This is an archive page of a web feed" in box_text, where
            assert [text(a) for a in address] == [facts["current"]], where
            assert facts["self"] in box_text, where
        else:
            assert "This is a web feed" in box_text, where
            assert "Copy its address into your feed reader to subscribe" in box_text, where
            assert [text(a) for a in address] == [facts["self"]], where

        entries = doc.xpath("//li[@class='entry']")
        shown = [(text(li.xpath(".//h3/a")[0]), li.xpath(".//h3/a/@href")[0],
                  li.xpath(".//time/@datetime")[0], text(li.xpath(".//p[@class='summary']")[0]))
                 for li in entries]
        assert shown == [(t, link, day, " ".join(s.split())) for t, link, day, s in facts["entries"]], where
        assert facts["entries"], where
        seen_titles |= {t for t, *_ in shown}
    assert seen_titles == set(TITLES)


def test_the_page_shows_dates_the_same_way_for_rss_and_atom(output):
    """RSS dates (RFC 822) and Atom dates (RFC 3339) read alike: "5 March 2024"; each in the
    offset the feed gives (the article's own)."""
    _, rss = render(output / "feed.xml")
    _, atom = render(output / "atom.xml")
    for doc in (rss, atom):
        assert [text(t) for t in doc.xpath("//li[@class='entry']//time")] == ["5 March 2024", "4 March 2024"]


def test_entry_markup_is_shown_as_text_never_run(output):
    """A title holding <script> and a summary holding <img onerror> come out escaped, as
    text: the stylesheet never disables output escaping."""
    for rel in ("feed.xml", "atom.xml", "tags/iran/feed.xml", "tags/iran/atom.xml"):
        html, doc = render(output / rel)
        titles = [text(a) for a in doc.xpath("//li[@class='entry']//h3/a")]
        assert SCRIPT_TITLE in titles, rel
        assert IMG_SUMMARY in [text(p) for p in doc.xpath("//p[@class='summary']")], rel
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, rel
        assert not doc.xpath("//script | //img | //iframe | //object"), rel
        assert not doc.xpath("//@*[starts-with(name(), 'on')]"), rel


def test_the_page_makes_no_request_of_its_own(output):
    """The page's style is inline (relative URLs would resolve against the feed's address,
    not the stylesheet's); no stylesheet, script, image or font is fetched."""
    for rel in ("feed.xml", "tags/iran/archive/2024/01/atom.xml"):
        html, doc = render(output / rel)
        assert doc.xpath("//style"), rel
        assert not doc.xpath("//link | //script | //img | //@src"), rel
        assert "url(" not in html and "@import" not in html, rel
        assert "prefers-color-scheme: dark" in html, rel


def test_archive_pages_link_their_neighbours(output):
    """A month's archive document links to the newer and older months and to the current
    feed (RFC 5005)."""
    _, doc = render(output / "archive/2024/02/atom.xml")
    nav = {text(a): a.get("href") for a in doc.xpath("//nav[@class='archive-nav']//a")}
    assert nav == {"← Newer articles": BASE_URL + "archive/2024/03/atom.xml",
                   "The current feed": BASE_URL + "atom.xml",
                   "Older articles →": BASE_URL + "archive/2024/01/atom.xml"}
    _, doc = render(output / "feed.xml")
    assert doc.xpath("//nav[@class='archive-nav']//a/@href") == [BASE_URL + "archive/2024/03/feed.xml"]


HOSTILE_RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel>
  <title>Evil &lt;b&gt;feed&lt;/b&gt;</title>
  <link>javascript:alert(1)</link>
  <description><![CDATA[<script>alert(2)</script>]]></description>
  <item>
    <title>Click &lt;a href="javascript:alert(3)"&gt;me&lt;/a&gt;</title>
    <link>javascript:alert(4)</link>
    <description><![CDATA[<img src=x onerror=alert(5)><iframe src="https://evil.example/"></iframe>]]></description>
    <pubDate>not a date</pubDate>
  </item>
</channel></rss>
"""

HOSTILE_ATOM = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script>Atom</div></title>
  <link rel="alternate" href="data:text/html,&lt;script&gt;alert(2)&lt;/script&gt;"/>
  <entry>
    <title type="html">&lt;img src=x onerror=alert(3)&gt;Entry</title>
    <link href=" javascript:alert(4)"/>
    <updated>2024-03-05T10:00:00Z</updated>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="javascript:alert(5)">x</a></div></summary>
  </entry>
</feed>
"""


@pytest.mark.parametrize("feed", [HOSTILE_RSS, HOSTILE_ATOM], ids=["rss", "atom"])
def test_a_hostile_feed_cannot_script_the_page(tmp_path, feed, output):
    """Whatever a feed holds (a site's own theme may serve feeds it did not write), its
    markup shows as text and only http(s) URLs become links."""
    path = tmp_path / "feed.xml"
    path.write_text(feed, encoding="utf-8")
    html, doc = render(path, output / "static/feed.xsl")
    assert not doc.xpath("//script | //img | //iframe | //object | //embed"), html
    assert not doc.xpath("//@*[starts-with(name(), 'on')]"), html
    assert all(h.startswith("https://") for h in doc.xpath("//a/@href")), html
    assert doc.xpath("//li[@class='entry']"), html


TEXT_CONSTRUCTS = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Q&amp;amp;A &amp;lt;daily&amp;gt;</title>
  <subtitle>Plain &amp; &lt;simple&gt;</subtitle>
  <entry>
    <title>5 &lt; 6 &amp; AT&amp;amp;T</title>
    <link href="https://example.org/a/"/>
    <updated>2024-03-05T10:00:00Z</updated>
    <summary type="html">&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two &amp;amp; three&amp;nbsp;&amp;hellip;&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <em>xhtml</em> title</div></title>
    <link href="https://example.org/b/"/>
    <updated>2024-03-04T10:00:00Z</updated>
    <summary>1 &lt; 2</summary>
  </entry>
</feed>
"""


def test_text_and_html_read_as_the_feed_means_them(tmp_path, output):
    """Atom says whether a text is plain text, HTML or XHTML (RFC 4287 §3.1): HTML is shown
    as the text it renders to, plain text as it is."""
    path = tmp_path / "atom.xml"
    path.write_text(TEXT_CONSTRUCTS, encoding="utf-8")
    _, doc = render(path, output / "static/feed.xsl")
    assert text(doc.find(".//h1")) == "Q&A <daily>"
    assert text(doc.xpath("//p[@class='description']")[0]) == "Plain & <simple>"
    assert [text(a) for a in doc.xpath("//li[@class='entry']//h3/a")] == ["5 < 6 & AT&amp;T", "An xhtml title"]
    assert [text(p) for p in doc.xpath("//p[@class='summary']")] == ["One Two & three &hellip;", "1 < 2"]


def test_an_arabic_sites_feed_page_speaks_arabic(tmp_path):
    """The page's words are the theme's Arabic ones (i18n/ar.toml), its dates and count have
    the locale's month names and digits (CLDR: Egypt's Arabic writes ٠–٩), and it reads right
    to left."""
    site = make_site(tmp_path / "site", {
        "content/a.md": article("محصول الزعفران يتضاعف", "2024-03-05T10:00:00+03:00", "قال المزارعون."),
    }, config=f'title = "أخبار"\nbase_url = "{BASE_URL}"\nlanguage = "ar-EG"\ntimezone = "Africa/Cairo"\n')
    build(site)
    out = site / "output"
    for feed in ("feed.xml", "atom.xml"):
        _, doc = render(out / feed)
        assert doc.get("lang") == "ar-EG" and doc.get("dir") == "rtl"
        assert text(doc.find(".//h1")) == "أخبار"
        assert text(doc.xpath("//section[@class='subscribe']/h2")[0]) == "هذه خلاصة ويب"
        assert text(doc.xpath("//span[@class='count']")[0]) == "عدد المقالات: ١"
        assert [text(t) for t in doc.xpath("//li[@class='entry']//time")] == ["٥ مارس ٢٠٢٤"]
        assert "Latest" not in text(doc.find("body")) and "feed reader" not in text(doc.find("body"))


def test_a_sites_own_feed_xsl_is_kept(tmp_path):
    """A site whose theme holds a static feed.xsl (templates/static/, as `init --templates`
    copied the theme before it became a template) publishes it as it is."""
    own = '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n'
    site = make_site(tmp_path / "site", {"content/a.md": article("One", "2024-03-05", "Body."),
                                         "templates/static/feed.xsl": own}, config=f'title = "T"\nbase_url = "{BASE_URL}"\n')
    build(site)
    assert (site / "output/static/feed.xsl").read_text() == own


# --- a real browser ---------------------------------------------------------------------------

def chromium_version() -> str:
    done = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=60,
                          check=False)
    return done.stdout.strip() or "Chromium"


def dump_dom(url: str, profile: Path) -> str:
    """The DOM Chromium builds for `url`, after the page has loaded."""
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (/usr/bin/chromium)")
def test_chromium_shows_a_served_feed_as_a_page(output, tmp_path):
    """Chromium, opening feeds served over HTTP under /repo/, runs the stylesheet they link:
    the DOM is the page, with every entry's title as a link, and the <script> title as text."""
    with serving(output, PREFIX) as origin:
        for rel in ("feed.xml", "tags/iran/archive/2024/01/atom.xml"):
            dom = dump_dom(f"{origin}{PREFIX}{rel}", tmp_path / "profile")
            if 'class="subscribe"' not in dom:
                if any(raw in dom for raw in ("<rss", "<feed", "does not appear to have any style")):
                    pytest.skip(f"{chromium_version()} shows {rel} as raw XML: this Chromium no "
                                "longer runs XSLT (Chrome is removing it from browsers)")
                pytest.fail(f"Chromium showed neither the page nor the XML of {rel}:\n{dom[:3000]}")
            doc = lxml.html.document_fromstring(dom)
            facts = feed_facts(output / rel)
            links = {(text(a), a.get("href")) for a in doc.xpath("//li[@class='entry']//h3/a")}
            assert links == {(t, link) for t, link, *_ in facts["entries"]}, rel
            assert text(doc.find(".//h1")) == facts["title"]
            assert not doc.xpath("//script"), rel
    assert SCRIPT_TITLE in {t for t, *_ in feed_facts(output / "feed.xml")["entries"]}
