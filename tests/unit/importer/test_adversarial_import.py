"""Imported content is untrusted text (issue #12): whatever a dump or a feed says as text — code
it quotes, `<Gateway>`, `&lt;b&gt;`, a line starting `# ` or `1. ` — is that text on the built
page, never HTML or Markdown; and the articles of one import get distinct times, so the site's
Atom feed never has two entries with one `updated` (the W3C validator warns on those)."""
from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import html5lib
from conftest import BASE_URL, FIXTURES, assert_w3c_valid, examples, make_site, needs_feedvalidator, run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.build.run import build
from site_builder.content.frontmatter import split_front_matter
from site_builder.core.config import load_config
from site_builder.importer.dump import decode_dump, parse_dump
from site_builder.importer.write import ImportOptions, run_import

SEED = FIXTURES / "000_5d718aeda1ebb40d.txt"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"

# Text a news story may quote: Markdown and HTML syntax, entities and their look-alikes, often,
# among any printable characters.
_SYNTAX = ["<", ">", "&", "#", "# ", "1. ", "2.", "*", "_", "[", "]", "(", ")", "\\", "`", "```", "~~~",
           "- ", "> ", "+ ", "=== ", "|", "|---|", "&lt;b&gt;", "&amp;", "&#106;", "&#x3C;", "&lt",
           "<script>", "</script>", "<b>", "<Gateway>", "<!--", "-->", "]]>", "javascript:", "[x](y)",
           "![i](j)", "<http://x.org>", " ", "\u00a0"]
_CHAR = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff")
TEXT = (st.lists(st.one_of(st.sampled_from(_SYNTAX), _CHAR), min_size=1, max_size=30).map("".join)
        .filter(lambda t: t.strip() and t.strip() != "TT"))


def normal(text: str) -> str:
    return " ".join(text.split())


def body_of_page(page: Path):
    """Return the <div class="body"> of a built article page, parsed as a browser would."""
    tree = html5lib.parse(page.read_bytes(), namespaceHTMLElements=True)
    for div in tree.iter(f"{XHTML}div"):
        if div.get("class") == "body":
            return div
    raise AssertionError(f"{page}: no article body")


def as_feedparser_reads(text: str) -> str:
    """Return a feed's text as feedparser reads it: it repairs UTF-8 that a publisher decoded
    as Latin-1 ("Ã©" for "é", a common error its mixin.py names), so a whole text of Latin-1
    characters whose bytes are also UTF-8 is read as that UTF-8. Prose never is: it would take
    such pairs and nothing else outside ASCII."""
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except UnicodeError:
        return text


def text_of(element) -> str:
    return normal("".join(element.itertext()))


def tags_in(element) -> set[str]:
    return {e.tag.removeprefix(XHTML) for e in element.iter() if e is not element}


def rss(*items: tuple[str, str, str]) -> str:
    """An RSS feed whose items are (title, pubDate, description HTML), the HTML in CDATA."""
    entries = "".join(
        f"<item><title>{xml_escape(title)}</title><link>https://other.example/{n}</link>"
        f"<guid>https://other.example/{n}</guid><pubDate>{date}</pubDate><category>Test</category>"
        f"<description><![CDATA[{body.replace(']]>', ']]]]><![CDATA[>')}]]></description></item>"
        for n, (title, date, body) in enumerate(items))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Other</title>'
            f"<link>https://other.example/</link><description>d</description>{entries}</channel></rss>\n")


def atom(title: str, body_html: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>A</title><id>urn:uuid:feed</id><updated>2024-07-12T08:00:00Z</updated>"
            f"<entry><title>{xml_escape(title)}</title><id>urn:uuid:entry-1</id>"
            "<updated>2024-07-12T08:00:00Z</updated><category term=\"Test\"/>"
            f'<content type="html">{xml_escape(body_html)}</content></entry></feed>\n')


def import_and_build(site: Path, *sources: str, date: str = "2024-07-15") -> None:
    """Import the sources into the site with the library API, then build it."""
    config = load_config(site)
    zone = dt.UTC
    options = ImportOptions(dates=(dt.datetime.fromisoformat(date).replace(tzinfo=zone),))
    report = run_import(list(sources), site, site / "content", config, options)
    assert not report.errors, [str(e) for e in report.errors]
    build(site, future=True)


def page(site: Path, slug: str) -> Path:
    return site / "output" / "articles" / slug / "index.html"


# --- what was text stays text ------------------------------------------------------------------

@settings(max_examples=examples(20), deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT)
def test_any_text_from_a_dump_or_a_feed_is_that_text_on_the_built_page(tmp_path_factory, text):
    site = make_site(tmp_path_factory.mktemp("site"), {})
    (site / "dump.txt").write_text(f"Dump story\nTT\nDump story\n{text}\n", encoding="utf-8")
    (site / "feed.xml").write_text(rss(("RSS story", "Wed, 10 Jul 2024 09:30:00 GMT",
                                        f"<p>{html.escape(text)}</p>")), encoding="utf-8")
    (site / "atom.xml").write_text(atom("Atom story", f"<p>{html.escape(text)}</p>"), encoding="utf-8")
    import_and_build(site, str(site / "dump.txt"), str(site / "feed.xml"), str(site / "atom.xml"))
    read = as_feedparser_reads(text)
    for slug, shown in (("dump-story", text), ("rss-story", read), ("atom-story", read)):
        body = body_of_page(page(site, slug))
        assert text_of(body) == normal(shown), slug
        assert tags_in(body) <= {"p"}, slug  # no element made from the text: all of it is one <p>


# Where a feed's HTML puts text: each template's {} holds a piece of the same text.
_PLACES = ["<p>{}</p>", "<p>Lead<br>{}</p>", "<p>{}<br>{}</p>", "<ul><li>{}</li><li>{}</li></ul>",
           "<ol><li>{}</li></ol>", "<blockquote><p>{}</p></blockquote>", "<h2>{}</h2>",
           "<p><strong>{}</strong>{}</p>", "<p>{}<span>{}</span>{}</p>", "<p><em>{}</em> {}</p>",
           '<p><a href="https://other.example/x">{}</a>{}</p>', "<div>{}</div>", "{}",
           "<p><code>{}</code></p>", "<pre>{}</pre>", "<h3>{}</h3><p>{}</p>"]


@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
@given(place=st.sampled_from(_PLACES), pieces=st.lists(TEXT, min_size=3, max_size=3))
@example(place="<p>{}</p>", pieces=["\u00c2\u00a0", "x", "x"])  # UTF-8 no-break space read as Latin-1
def test_text_anywhere_in_a_feeds_html_is_that_text_on_the_page(tmp_path_factory, place, pieces):
    site = make_site(tmp_path_factory.mktemp("site"), {})
    used = pieces[:place.count("{}")]
    content = place.format(*(html.escape(p) for p in used))
    (site / "feed.xml").write_text(rss(("RSS story", "Wed, 10 Jul 2024 09:30:00 GMT", content)),
                                   encoding="utf-8")
    import_and_build(site, str(site / "feed.xml"))
    body = body_of_page(page(site, "rss-story"))
    source = html5lib.parseFragment(as_feedparser_reads(content), namespaceHTMLElements=True)
    assert text_of(body).replace(" ", "") == normal("".join(source.itertext())).replace(" ", "")
    assert "script" not in tags_in(body) and "b" not in tags_in(body)


FINDING = [  # issue #12 finding 2: the RSS description's HTML, as a story quoting code has it
    "<p>The exploit was &lt;script&gt;alert(7)&lt;/script&gt; in a comment.</p>",
    "<p>Routers behind the &lt;Gateway&gt; were hit.</p>",
    "<p>Writing &amp;lt;b&amp;gt; makes text bold.</p>",
    "<p># 1 is the rule.</p>",
    "<p>1. Nothing here is a list.</p>",
]
FINDING_TEXT = ["The exploit was <script>alert(7)</script> in a comment.",
                "Routers behind the <Gateway> were hit.", "Writing &lt;b&gt; makes text bold.",
                "# 1 is the rule.", "1. Nothing here is a list."]


def test_the_seed_and_the_findings_feed_show_their_text_and_run_nothing(tmp_path):
    site = make_site(tmp_path / "site", {})
    shutil.copy(SEED, site / SEED.name)
    (site / "feed.xml").write_text(rss(("Quoted code", "Wed, 10 Jul 2024 09:30:00 GMT", "".join(FINDING))),
                                   encoding="utf-8")
    import_and_build(site, str(site / SEED.name), str(site / "feed.xml"))
    built = page(site, "quoted-code")
    body = body_of_page(built)
    assert [text_of(p) for p in body.iter(f"{XHTML}p")] == FINDING_TEXT
    assert tags_in(body) == {"p"}  # no <script>, no <b>, no <h1>, no <ol>
    # no script that runs: the page's one is its JSON-LD, a data block (share_cards.py)
    scripts = list(html5lib.parse(built.read_bytes()).iter(f"{XHTML}script"))
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert "<" not in scripts[0].text  # the summary quoting <script> is JSON-escaped text there
    assert "<Gateway>" not in built.read_text() and "&lt;Gateway&gt;" in built.read_text()
    # the seed's articles, every paragraph exactly as the dump has it
    articles = parse_dump(SEED.name, decode_dump(SEED.name, SEED.read_bytes()))
    seeded = sorted((p for p in (site / "content").glob("*.md") if p.stem != "quoted-code"), key=_source_line)
    assert len(seeded) == len(articles) == 2
    for article, path in zip(articles, seeded):
        body = body_of_page(page(site, path.stem))
        assert [text_of(p) for p in body.iter(f"{XHTML}p")] == [normal(p) for p in article.paragraphs]
        assert tags_in(body) == {"p"}


def _source_line(path: Path) -> int:
    """The article's place in the seed (its file's name is its headline's slug)."""
    text = path.read_text(encoding="utf-8")
    return SEED.read_text(encoding="utf-8").index(split_front_matter(path.name, text).fields["title"])


def test_feed_structure_survives_and_links_keep_only_web_and_mail_schemes(tmp_path):
    site = make_site(tmp_path / "site", {})
    content = ('<h2>Context #</h2><p>See <a href="https://other.example/a">the report</a>, '
               '<a href="mailto:desk@other.example">the desk</a>, <a href="file:///etc/passwd">a file</a> '
               'and <a href="skype:someone?call">a call</a>.</p><ul><li>*one*</li><li><em>two</em></li></ul>'
               '<blockquote><p>Quoted &lt;i&gt;</p></blockquote>'
               '<pre>```\n&lt;script&gt;alert(1)&lt;/script&gt;\n```</pre>')
    (site / "feed.xml").write_text(rss(("Structure", "Wed, 10 Jul 2024 09:30:00 GMT", content)),
                                   encoding="utf-8")
    import_and_build(site, str(site / "feed.xml"))
    body = body_of_page(page(site, "structure"))
    links = {a.get("href"): text_of(a) for a in body.iter(f"{XHTML}a")}
    assert links == {"https://other.example/a": "the report", "mailto:desk@other.example": "the desk"}
    assert "a file and a call." in text_of(body)
    assert text_of(next(body.iter(f"{XHTML}h2"))) == "Context #"
    assert [text_of(li) for li in body.iter(f"{XHTML}li")] == ["*one*", "two"]
    assert text_of(next(body.iter(f"{XHTML}blockquote"))) == "Quoted <i>"
    assert text_of(next(body.iter(f"{XHTML}pre"))) == "``` <script>alert(1)</script> ```"
    assert "script" not in tags_in(body) and "i" not in tags_in(body)


def test_link_and_image_schemes_are_read_as_a_browser_reads_them(tmp_path):
    """feedparser's sanitiser lets `java<TAB>script:` and `data:` images through (finding 3)."""
    site = make_site(tmp_path / "site", {})
    content = ('<p><a href="java&#9;script:alert(1)">x</a> <a href="jav&#x0A;ascript:alert(2)">y</a> '
               '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="pic"> '
               '<a href="file:///etc/passwd">f</a></p>')
    (site / "feed.xml").write_text(rss(("Schemes", "Wed, 10 Jul 2024 09:30:00 GMT", content)),
                                   encoding="utf-8")
    import_and_build(site, str(site / "feed.xml"))
    body = body_of_page(page(site, "schemes"))
    assert text_of(body) == "x y pic f" and tags_in(body) == {"p"}


# --- distinct times ----------------------------------------------------------------------------

def five_article_dump() -> str:
    return "\n\n\n".join(f"Story {n}\nTT\nStory {n}\nParagraph of story {n}." for n in range(1, 6)) + "\n"


def atom_entries(site: Path) -> list[tuple[str, str]]:
    """(title, updated) of each entry of the site's Atom feed, in the feed's order."""
    root = ET.parse(site / "output" / "atom.xml").getroot()
    return [(e.findtext(f"{ATOM_NS}title"), e.findtext(f"{ATOM_NS}updated"))
            for e in root.iter(f"{ATOM_NS}entry")]


def test_a_dump_imported_with_one_date_gets_distinct_times_in_its_order(tmp_path):
    site = make_site(tmp_path / "site", {})
    (site / "dump.txt").write_text(five_article_dump(), encoding="utf-8")
    result = run_cli("import", "dump.txt", "--date", "2024-07-15", cwd=site)
    assert result.returncode == 0, result.stderr
    assert run_cli("build", "--site", str(site)).returncode == 0
    entries = atom_entries(site)
    # README "Dates": the day given, a minute apart in the dump's order; newest first in feeds
    assert entries == [(f"Story {n}", f"2024-07-15T00:0{n - 1}:00+00:00") for n in range(5, 0, -1)]


@needs_feedvalidator
def test_a_site_imported_from_dumps_and_a_feed_has_no_w3c_error_or_warning(tmp_path):
    """Finding 6: `import --date` gave a dump's articles one timestamp (a warning per pair), and
    text quoting markup drew ContainsUndeclaredHTML from an Atom text summary."""
    site = make_site(tmp_path / "site", {})
    shutil.copy(SEED, site / SEED.name)
    (site / "dump.txt").write_text(five_article_dump(), encoding="utf-8")
    (site / "feed.xml").write_text(rss(("Quoted code", "Wed, 10 Jul 2024 09:30:00 GMT", "".join(FINDING)),
                                       ("Same time", "Wed, 10 Jul 2024 09:30:00 GMT", "<p>Other text.</p>")),
                                   encoding="utf-8")
    for source in (SEED.name, "dump.txt", "feed.xml"):
        assert run_cli("import", source, "--date", "2024-07-15", cwd=site).returncode == 0
    assert run_cli("build", "--site", str(site), "--future").returncode == 0
    assert_w3c_valid(site / "output", BASE_URL)


def test_a_dump_without_date_gets_distinct_times_none_after_the_files(tmp_path):
    site = make_site(tmp_path / "site", {})
    (site / "dump.txt").write_text(five_article_dump(), encoding="utf-8")
    when = dt.datetime(2024, 3, 5, 8, 0, tzinfo=dt.UTC).timestamp()
    os.utime(site / "dump.txt", (when, when))
    result = run_cli("import", "dump.txt", cwd=site)
    assert result.returncode == 0, result.stderr
    dates = [_fields(site, f"story-{n}")["date"] for n in range(1, 6)]
    assert dates == ["2024-03-05T07:56:00+00:00", "2024-03-05T07:57:00+00:00", "2024-03-05T07:58:00+00:00",
                     "2024-03-05T07:59:00+00:00", "2024-03-05T08:00:00+00:00"]


def test_feed_entries_keep_their_times_and_equal_ones_are_made_distinct(tmp_path):
    site = make_site(tmp_path / "site", {})
    same = "Wed, 10 Jul 2024 09:30:00 GMT"
    (site / "feed.xml").write_text(rss(("First", same, "<p>a</p>"), ("Second", same, "<p>b</p>"),
                                       ("Third", "Tue, 09 Jul 2024 18:00:00 GMT", "<p>c</p>")),
                                   encoding="utf-8")
    assert run_cli("import", "feed.xml", cwd=site).returncode == 0
    assert [_fields(site, slug)["date"] for slug in ("first", "second", "third")] == [
        "2024-07-10T09:30:00+00:00", "2024-07-10T09:31:00+00:00", "2024-07-09T18:00:00+00:00"]
    # a second source at the same time, imported later, does not take an existing time either
    (site / "d.txt").write_text("Later\nTT\nLater\nText.\n", encoding="utf-8")
    assert run_cli("import", "d.txt", "--date", "2024-07-10T09:30:00+00:00", cwd=site).returncode == 0
    assert _fields(site, "later")["date"] == "2024-07-10T09:32:00+00:00"
    assert run_cli("build", "--site", str(site)).returncode == 0
    updated = [u for _, u in atom_entries(site)]
    assert len(set(updated)) == len(updated) == 4


def test_atom_entries_updated_at_the_same_time_get_distinct_updated_times(tmp_path):
    site = make_site(tmp_path / "site", {})
    entries = "".join(
        f"<entry><title>Entry {n}</title><id>urn:uuid:entry-{n}</id><published>2024-07-0{n}T08:00:00Z"
        f"</published><updated>2024-07-12T08:00:00Z</updated><category term=\"Test\"/>"
        f'<content type="html">&lt;p&gt;Text {n}&lt;/p&gt;</content></entry>' for n in (1, 2))
    feed = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>A</title><id>urn:uuid:feed</id><updated>2024-07-12T08:00:00Z</updated>"
            f"{entries}</feed>\n")
    (site / "atom.xml").write_text(feed, encoding="utf-8")
    assert run_cli("import", "atom.xml", cwd=site).returncode == 0
    times = [(_fields(site, f"entry-{n}")["date"], _fields(site, f"entry-{n}")["updated"]) for n in (1, 2)]
    assert times == [("2024-07-01T08:00:00+00:00", "2024-07-12T08:00:00+00:00"),
                     ("2024-07-02T08:00:00+00:00", "2024-07-12T08:01:00+00:00")]
    assert run_cli("build", "--site", str(site)).returncode == 0
    updated = sorted(u for _, u in atom_entries(site))
    assert updated == ["2024-07-12T08:00:00+00:00", "2024-07-12T08:01:00+00:00"]


def _fields(site: Path, slug: str) -> dict:
    path = site / "content" / f"{slug}.md"
    return split_front_matter(path.name, path.read_text(encoding="utf-8")).fields


def test_markdown_of_feed_html_never_holds_live_html(tmp_path):
    """The content file itself holds no `<` that Markdown could read as a tag."""
    site = make_site(tmp_path / "site", {})
    (site / "feed.xml").write_text(rss(("Quoted code", "Wed, 10 Jul 2024 09:30:00 GMT", "".join(FINDING))),
                                   encoding="utf-8")
    assert run_cli("import", "feed.xml", cwd=site).returncode == 0
    text = (site / "content" / "quoted-code.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert not re.search(r"<[A-Za-z/!?]", text), text
