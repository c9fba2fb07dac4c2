"""An imported article as a content file: front matter a build reads, a body that shows the text."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.content.article import parse_article
from site_builder.content.markup import html_to_text
from site_builder.core.language import rtl_language
from site_builder.core.model import SiteConfig
from site_builder.importer.article_text import Placement, render_article, summary
from site_builder.importer.imported_article import ImportedArticle

CONFIG = SiteConfig(timezone="Asia/Tehran", id_domain="example.org")
DATE = dt.datetime(2024, 7, 10, 14, 15, tzinfo=zoneinfo.ZoneInfo("Asia/Tehran"))
PLACE = Placement("a-story", DATE, ("Iran", "US Sanctions"), "tag:example.org,2024-07-10:articles/a-story")

_LINE = st.lists(st.one_of(st.sampled_from(list("#>-+*_`[]<>&\\|~:'\"“”’—") + ["1.", "&amp;", "---", "TT"]),
                           # not Cn: its noncharacters are dropped on reading, with a warning
                           # (test_hostile_inputs.py), as no page or feed may carry them
                           st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"),
                                         blacklist_characters="\ufeff")),
                 min_size=1, max_size=30).map(lambda parts: " ".join("".join(parts).split())).filter(bool)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_LINE.filter(lambda t: re.search(r"\w", t)), caption=st.none() | _LINE,
       paragraphs=st.lists(_LINE, min_size=1, max_size=5))
def test_any_article_reads_back_as_it_was_imported(title, caption, paragraphs):
    article = ImportedArticle(title=title, origin="dump.txt", caption=caption, paragraphs=tuple(paragraphs))
    parsed = parse_article("content/a-story.md", render_article(article, PLACE, CONFIG), CONFIG)
    meta = parsed.article
    # one-line fields are read in NFC, without bidi embeddings, overrides and isolates (issue #12)
    as_read = lambda text: unicodedata.normalize("NFC", re.sub("[\u202a-\u202e\u2066-\u2069]", "", text))
    expected = (as_read(title), caption and as_read(caption), DATE, PLACE.entry_id)
    assert (meta.title, meta.image_caption, meta.date, meta.id) == expected
    assert [t.name for t in meta.tags] == ["Iran", "US Sanctions"] and meta.slug == "a-story"
    shown = [html_to_text(p) for p in re.findall(r"<p>(.*?)</p>", parsed.body_html, re.DOTALL)]
    assert shown == paragraphs
    assert meta.extra["import_digest"] == article.digest


def test_front_matter_is_plain_readable_yaml():
    article = ImportedArticle(title="Khamenei Invites Cuba", origin="dump.txt", caption="A caption",
                              paragraphs=("First: “quoted”.", "Second."))
    text = render_article(article, PLACE, CONFIG)
    assert text.startswith("---\ntitle: Khamenei Invites Cuba\ndate: 2024-07-10T14:15:00+03:30\n"
                           "tags: [Iran, US Sanctions]\nsummary: 'First: “quoted”.'\n"
                           "image_caption: A caption\nsource: dump.txt\nslug: a-story\n"
                           "id: tag:example.org,2024-07-10:articles/a-story\nimport_digest: sha256:")
    assert text.endswith("---\nFirst: “quoted”.\n\nSecond.\n")


def test_summary_is_the_first_paragraph_or_its_first_sentence():
    assert summary(("Short lead.", "More.")) == "Short lead."
    long_lead = "First sentence here. Then " + "x " * 200
    assert summary((long_lead,)) == "First sentence here."
    assert summary(("word " * 100,)).endswith("…") and len(summary(("word " * 100,))) <= 301


@pytest.mark.parametrize("text, language", [
    ("إيران والولايات المتحدة تتفاوضان", "ar"),
    ("پزشکیان به نیویورک سفر کرد", "fa"),
    ("پاکستان کے وزیر اعظم نے کہا ہے", "ur"),
    ("ישראל ולבנון", "he"),
    ("Iran and the US, with one word: إيران", None),
    ("1234 — …", None),
])
def test_right_to_left_languages_are_told_by_their_letters(text, language):
    assert rtl_language(text) == language


def test_bad_article_is_refused_naming_its_dump_line():
    article = ImportedArticle(title="Fine", origin="dump.txt", line=7, paragraphs=("x",))
    with pytest.raises(Exception, match=r"dump.txt:7: the article 'Fine' would not build: .*not a slug"):
        render_article(article, Placement("Not A Slug", DATE, (), PLACE.entry_id), CONFIG)
