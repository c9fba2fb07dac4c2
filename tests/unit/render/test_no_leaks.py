"""Nothing a writer types leaks into the site as markup or script: front-matter values reach
pages and feeds escaped; javascript: URLs are refused in front matter and neutralised in
bodies; drafts and future articles appear nowhere."""
from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import html5lib
import pytest
from conftest import article, make_site, output_files, run_cli

from site_builder.build.run import build
from site_builder.core.errors import ContentError

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile(tmp_path):
    site = make_site(tmp_path / "site", {"content/x.md": (
        "---\n"
        f"title: '{SCRIPT}'\n"
        "date: 2024-01-01\n"
        f"tags: ['{SCRIPT}', '{ATTRIBUTE}']\n"
        f"author: '{ATTRIBUTE}'\n"
        f"summary: '{SCRIPT}'\n"
        f"image_caption: '{ATTRIBUTE}'\n"
        "image: https://cdn.example.org/a.jpg\n"
        "slug: x\n"
        "---\n"
        "[click](javascript:alert(1)) <a href='JaVaScRiPt:alert(2)'>two</a> [ok](https://example.org/)\n"
        # raw HTML as browsers read it: a '>' inside a quoted value, '/' before the name, no quotes
        '<a title="x>y" href="javascript:alert(3)">three</a> <a/href="javascript:alert(4)">four</a> '
        "<img src=javascript:alert(5)> <a href='&#106;avascript:alert(6)'>six</a>\n")})
    build(site)
    return site / "output"


def test_front_matter_values_are_text_in_every_page(hostile):
    for path, data in output_files(hostile).items():
        if path.endswith(".html"):
            text = data.decode()
            assert "<script>alert" not in text, path
            assert "onerror=alert(1)>" not in text, path


def test_javascript_urls_in_bodies_are_neutralised_in_pages_and_feeds(hostile):
    checked = 0
    for path, data in output_files(hostile).items():
        for html in _html_in(path, data):  # every page, and the HTML every feed entry carries
            for element in html5lib.parse(html, namespaceHTMLElements=False).iter():  # as browsers read it
                for name in ("href", "src"):
                    assert not element.get(name, "").strip().lower().startswith("javascript:"), (path, element.attrib)
            checked += 1
    assert checked > 10
    assert 'href="https://example.org/"' in (hostile / "articles/x/index.html").read_text()


def _html_in(path: str, data: bytes) -> list[str | bytes]:
    if path.endswith(".html"):
        return [data]
    if path.endswith(".json"):
        return [item.get("content_html", "") for item in json.loads(data)["items"]]
    if path.endswith(".xml") and (b"<rss" in data or b"<feed" in data):
        return [e.text or "" for e in ET.fromstring(data).iter()
                if e.tag in ("description", "{http://purl.org/rss/1.0/modules/content/}encoded",
                             "{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary")]
    return []


def test_feeds_carry_the_values_as_text(hostile):
    entry = feedparser.parse(str(hostile / "atom.xml")).entries[0]
    assert entry.title == SCRIPT and entry.author == ATTRIBUTE
    assert {t.term for t in entry.tags} == {SCRIPT, ATTRIBUTE}
    rss = (hostile / "feed.xml").read_text()
    assert "<script>" not in rss and "<title>&#x3C;script&gt;alert(1)&#x3C;/script&gt;</title>" in rss


def test_a_javascript_url_as_lead_image_is_refused(tmp_path):
    site = make_site(tmp_path / "s", {"content/x.md": article("T", "2024-01-01", image="'javascript:alert(1)'")})
    with pytest.raises(ContentError, match=r"content/x.md:4: image: 'javascript:alert\(1\)': use an http\(s\) URL"):
        build(site)


def test_drafts_and_future_articles_appear_nowhere(tmp_path):
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    site = make_site(tmp_path / "s", {
        "content/now.md": article("Published Story", "2024-01-01", tags="[Iran]"),
        "content/secret-draft.md": article("Secret Draft", "2024-01-02", tags="[Iran, Hidden]", draft="true"),
        "content/embargoed-story.md": article("Embargoed Story", tomorrow, tags="[Iran, Hidden]"),
    })
    assert run_cli("build", "--site", str(site)).returncode == 0
    everything = b"".join(output_files(site / "output").values()) + " ".join(output_files(site / "output")).encode()
    for secret in (b"Secret Draft", b"secret-draft", b"Embargoed", b"embargoed", b">Hidden<", b"tags/hidden"):
        assert secret not in everything, secret
    assert run_cli("build", "--site", str(site), "--future", "--drafts").returncode == 0
    assert (site / "output/articles/embargoed-story/index.html").exists()
    assert (site / "output/articles/secret-draft/index.html").exists()


def test_a_future_article_appears_once_its_time_has_come(tmp_path):
    site = make_site(tmp_path / "s", {"content/embargoed-story.md": article("Embargoed Story", "2030-01-01T00:00:00Z")})
    build(site, now=dt.datetime(2029, 12, 31, tzinfo=dt.UTC))
    assert not (site / "output/articles/embargoed-story").exists()
    build(site, now=dt.datetime(2030, 1, 1, 0, 1, tzinfo=dt.UTC))  # nothing else changed
    assert (site / "output/articles/embargoed-story/index.html").exists()
