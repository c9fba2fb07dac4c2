"""Whatever text a writer puts in front matter or a body, a build either succeeds — every
feed read by feedparser with bozo == 0, every page parsed by an HTML5 parser without an
error — or stops with a clear error naming the file. Never a traceback.

`HYPOTHESIS_PROFILE=long pytest tests/unit/build/test_fuzz_build.py` runs many more examples."""
from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import html5lib
import pytest
import yaml
from conftest import examples, make_site, picture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build.run import build
from site_builder.core.errors import SiteError

# Any Unicode but surrogates: RTL scripts, emoji, combining marks, control characters.
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
# Bodies: any text and Markdown syntax, but no "<": raw HTML is sanitised (README "Raw HTML in
# bodies", tests/unit/content/test_adversarial_sanitise.py), not repaired: a stray "</p>" there is the writer's to fix.
long_body = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="<"), min_size=200, max_size=3000)
markdownish = st.text(st.sampled_from(list("ab *_[]()>&#!`-+\n\\/:\"'\u05d0\u0627\U0001f600\u0301")), max_size=200)
# Text that hides or reorders itself: bidi controls and marks, zero-width and combining characters
tricky_text = st.text(st.sampled_from(list("ab \u202a\u202e\u2066\u2069\u200f\u0627\u0301\u200b\u2800")),
                      max_size=30).map(lambda text: "x" + text)  # a letter to make a URL from
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def check_output(out: Path) -> None:
    for feed in out.rglob("*.xml"):
        if feed.name not in ("sitemap.xml", "news-sitemap.xml"):
            parsed = feedparser.parse(str(feed))
            assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
    for feed in out.rglob("*.json"):
        data = json.loads(feed.read_text(encoding="utf-8"))
        assert data["version"] == "https://jsonfeed.org/version/1.1" and isinstance(data["items"], list)
    for page in out.rglob("*.html"):
        html5lib.HTMLParser(strict=True).parse(page.read_bytes())
        # Issue #12: no bidi override reverses a page's title; titles and tags are NFC
        title = re.search("<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.DOTALL)[1]
        assert not BIDI_CONTROLS.search(title) and unicodedata.is_normalized("NFC", title), (page, title)
        check_json_ld(page)
    if (out / "news-sitemap.xml").exists():
        ET.parse(out / "news-sitemap.xml")


def check_json_ld(page: Path) -> None:
    """A page's one script is its JSON-LD, and it reads back as the headline its card shows."""
    doc = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
    og = {meta.get("property"): meta.get("content") for meta in doc.iter("meta") if meta.get("property")}
    for script in doc.iter("script"):
        assert script.get("type") == "application/ld+json", page
        data = json.loads(script.text)
        if data["@type"] == "NewsArticle":
            # HTML reads a CR in an attribute as LF (its input stream's rule); JSON keeps it
            headline = data["headline"].removesuffix("…").replace("\r\n", "\n").replace("\r", "\n")
            assert og["og:title"].startswith(headline), (page, data["headline"])


def try_build(site: Path) -> None:
    try:
        build(site, allow_id_change=True, future=True)
    except SiteError as exc:
        assert str(exc).startswith(("content/", "site.toml")), str(exc)
        return
    check_output(site / "output")


settings_ = settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.fuzz
@settings_
@given(title=any_text | long_body | tricky_text, tags=st.lists(any_text | tricky_text, max_size=4), body=markdownish | long_body,
       caption=any_text, author=any_text, summary=st.none() | any_text, credit=any_text, alt=any_text,
       local=st.booleans(), slugs=st.sampled_from(["ascii", "unicode"]),
       language=st.sampled_from([None, "ar", "ar-EG", "en-GB", "zh-Hant"]))
def test_any_values_in_front_matter_and_body(tmp_path_factory, title, tags, body, caption, author, summary,
                                             credit, alt, local, slugs, language):
    fields = {"title": title, "date": "2024-05-01T10:00:00+03:30", "tags": tags, "author": author,
              "image_caption": caption, "image_credit": credit, "image_alt": alt,
              "image": "images/p.png" if local else "https://cdn.example.org/p.jpg"}
    if summary is not None:
        fields["summary"] = summary
    if language is not None:  # its dates and words in that language (Babel), its tags' slugs in the site's style
        fields["language"] = language
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
    site = make_site(tmp_path_factory.mktemp("fuzz") / "site", {"content/a.md": text,
                                                               "content/b.md": "---\ntitle: B\ndate: 2024-01-01\n---\nB.\n",
                                                               "static/images/p.png": picture()},
                     config=f'title = "T"\nbase_url = "https://user.github.io/repo/"\nslugs = "{slugs}"\n')
    try_build(site)


@pytest.mark.fuzz
@settings_
@given(front=st.text(max_size=200), body=markdownish)
def test_any_text_between_the_fences(tmp_path_factory, front, body):
    site = make_site(tmp_path_factory.mktemp("fuzz") / "site", {"content/a.md": f"---\n{front}\n---\n{body}"})
    try_build(site)


def test_the_checks_themselves_catch_json_ld_cut_short(tmp_path):
    """A title that closed the JSON-LD's script would leave JSON that does not parse."""
    (tmp_path / "index.html").write_text('<!doctype html><html lang="en"><head><title>x</title>'
                                         '<script type="application/ld+json">{"headline": "</script>'
                                         '<script>alert(1)"}</script></head><body></body></html>')
    with pytest.raises(ValueError):
        check_output(tmp_path)


def test_the_checks_themselves_catch_a_broken_feed(tmp_path):
    """The fuzz tests would see a feed a reader cannot parse."""
    (tmp_path / "feed.xml").write_text("<rss><channel><title>x</channel></rss>")
    with pytest.raises(AssertionError):
        check_output(tmp_path)
