"""Parsing one content file: front matter fields, errors with lines, Markdown body."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.content.article import parse_article, tag_uri
from site_builder.core.errors import BuildErrors, ContentError
from site_builder.core.model import AuthorRef, SiteConfig

CONFIG = SiteConfig(base_url="https://user.github.io/repo/", timezone="Europe/Madrid",
                    id_domain="user.github.io")
# Both Markdown engines (site.toml `markdown`, issue #15): where they agree, each test runs on both.
ENGINES = ("python-markdown", "gfm")


def parse(text: str, engine: str = "python-markdown"):
    return parse_article("content/x.md", text, replace(CONFIG, markdown=engine)).article


def body(text: str, engine: str = "python-markdown") -> str:
    return parse_article("content/x.md", text, replace(CONFIG, markdown=engine)).body_html


def error_lines(text: str) -> list[str]:
    """Return the messages a bad file gets, one per problem."""
    with pytest.raises((ContentError, BuildErrors)) as info:
        parse(text)
    errors = info.value.errors if isinstance(info.value, BuildErrors) else [info.value]
    return [str(e) for e in errors]


@pytest.mark.parametrize("engine", ENGINES)
def test_fields_are_read_and_typed(engine):
    a = parse("---\ntitle: Díaz-Canel visits Tehran\ndate: 2023-12-04\nupdated: 2023-12-05T10:00:00Z\n"
              "tags: [Iran, Cuba]\nauthor: Desk\nimage: /images/x.jpg\nimage_caption: A caption\n"
              "draft: true\nsource: dump.txt\nlanguage: ar\nrating: 5\n---\nBody *text*.\n", engine)
    assert a.title == "Díaz-Canel visits Tehran"
    assert a.slug == "x"  # the file's name, not the title, which newsrooms edit (test_addresses.py)
    assert a.date == dt.datetime(2023, 12, 4, tzinfo=a.date.tzinfo)
    assert a.date.utcoffset() == dt.timedelta(hours=1)  # a bare date is in the site's timezone
    assert a.updated == dt.datetime(2023, 12, 5, 10, tzinfo=dt.UTC)
    assert [t.name for t in a.tags] == ["Iran", "Cuba"]
    assert (a.authors, a.image, a.image_caption, a.draft, a.source) == (
        (AuthorRef("Desk", "desk"),), "images/x.jpg", "A caption", True, "dump.txt")
    assert a.direction == "rtl"
    assert a.extra == {"rating": 5}  # unknown fields reach the templates
    assert body("---\ntitle: T\ndate: 2024-01-01\n---\nBody *text*.\n", engine).strip() == "<p>Body <em>text</em>.</p>"


@pytest.mark.parametrize("engine", ENGINES)
def test_summary_defaults_to_the_first_paragraph_as_plain_text(engine):
    a = parse("---\ntitle: T\ndate: 2024-01-01\n---\nThe *first* <b>paragraph</b> &amp; more.\n\nSecond.\n", engine)
    assert a.summary == "The first paragraph & more."


@pytest.mark.parametrize("engine", ENGINES)
def test_long_first_paragraph_is_cut_at_a_word(engine):
    a = parse("---\ntitle: T\ndate: 2024-01-01\n---\n" + "word " * 200, engine)
    assert len(a.summary) <= 301 and a.summary.endswith("word…")


def test_entry_id_is_a_tag_uri_from_id_domain_date_and_slug_unless_given():
    a = parse("---\ntitle: A Story\ndate: 2024-07-15T09:00:00+02:00\n---\n")
    assert a.id == "tag:user.github.io,2024-07-15:articles/x" == tag_uri("user.github.io", a.date, "x")
    b = parse("---\ntitle: A Story\ndate: 2024-07-15\nid: urn:uuid:1234\n---\n")
    assert b.id == "urn:uuid:1234"


def test_tags_are_one_whatever_case_or_spacing():
    a = parse("---\ntitle: T\ndate: 2024-01-01\ntags: ['Iran', 'iran', ' Iran ', 'US  sanctions']\n---\n")
    assert [(t.name, t.slug) for t in a.tags] == [("Iran", "iran"), ("US sanctions", "us-sanctions")]


@pytest.mark.parametrize("text, expected", [
    ("title: T\n---\n", "content/x.md:1: no front matter"),
    ("---\ntitle: T\ndate: 2024-01-01\n", "content/x.md:1: the front matter is not closed"),
    ("---\n- a\n- b\n---\n", "content/x.md:2: the front matter must be 'key: value' lines, not a list"),
    ("---\ntitle: T\ndate: 2024-01-01\ntags: [a\n---\n", "content/x.md:5: front matter is not valid YAML"),
    ("---\ndate: 2024-01-01\n---\n", "content/x.md:1: 'title' is missing"),
    ("---\ntitle: T\n---\n", "content/x.md:1: 'date' is missing"),
    ("---\ntitle: T\ndate: 2024-13-45\n---\n", "content/x.md:3: date: '2024-13-45' is not a date"),
    ("---\ntitle: T\ndate: yesterday\n---\n", "content/x.md:3: date: 'yesterday' is not a date"),
    ("---\ntitle: T\ndate: 2024-01-01\ntags: Iran\n---\n", "content/x.md:4: tags: must be a list"),
    ("---\ntitle: T\ndate: 2024-01-01\ntags: [Iran, 3]\n---\n", "content/x.md:4: tags: every tag must be text"),
    ("---\ntitle: T\ndate: 2024-01-01\ntags: [Iran, null]\n---\n", "content/x.md:4: tags: every tag must be text"),
    ("---\ntitle: T\ndate: 2024-01-01\ntags: ['!!!']\n---\n", "content/x.md:4: tags: tag '!!!' has no letters"),
    ("---\ntitle: T\ndate: 2024-01-01\nslug: ../../etc/passwd\n---\n", "content/x.md:4: slug: '../../etc/passwd' is not a slug"),
    ("---\ntitle: T\ndate: 2024-01-01\nslug: con\n---\n", "content/x.md:4: slug: 'con' is a reserved file name"),
    ("---\ntitle: T\ndate: 2024-01-01\ndraft: maybe\n---\n", "content/x.md:4: draft: must be true or false"),
    ("---\ntitle: T\ndate: 2024-01-01\nimage: javascript:alert(1)\n---\n", "content/x.md:4: image: 'javascript:alert(1)'"),
])
def test_bad_front_matter_names_file_line_and_problem(text, expected):
    assert any(line.startswith(expected) for line in error_lines(text)), error_lines(text)


def test_every_bad_field_of_a_file_is_reported_at_once():
    lines = error_lines("---\ntitle: T\ndate: someday\ntags: 5\ndraft: 1\n---\n")
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5"]


title_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80).filter(
    lambda s: any(c.isalnum() for c in s) and s.strip() == s)


def is_noncharacter(c: str) -> bool:
    """U+FDD0–U+FDEF and the last two code points of every plane: no XML feed may carry them."""
    return 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE


def shown(text: str) -> str:
    """Return a title or tag as readers are shown it (issue #12): in NFC, without bidi
    embeddings, overrides and isolates, a space for each noncharacter, none at either end."""
    text = unicodedata.normalize("NFC", re.sub("[\u202a-\u202e\u2066-\u2069]", "", text))
    return "".join(" " if is_noncharacter(c) else c for c in text).strip()


@settings(max_examples=60, deadline=None)
@given(title=title_text, tags=st.lists(title_text, max_size=5),
       when=st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2100, 1, 1)))
@example(title="0\ufffe", tags=["0\ufffe"], when=dt.datetime(2000, 1, 1))  # a noncharacter, which YAML escapes
@example(title="\u202a x", tags=["\u202a x"], when=dt.datetime(2000, 1, 1))  # a space left at the start
def test_any_front_matter_yaml_writes_reads_back(title, tags, when):
    """Whatever text a title or tag holds, YAML written by a tool reads back as that text, as
    readers are shown it."""
    front = yaml.safe_dump({"title": title, "date": when.isoformat(), "tags": tags}, allow_unicode=True)
    try:
        a = parse(f"---\n{front}---\nBody.\n")
    except ContentError as exc:  # only a tag with nothing to make a URL from, or a title or tag
        # that no reader would see (Hangul fillers are letters that fonts draw blank), is refused
        assert "has no letters or digits" in str(exc) or "has no visible characters" in str(exc)
        return
    assert a.title == shown(title)
    assert a.date.replace(tzinfo=None) == when
    assert {t.name.casefold() for t in a.tags} == {" ".join(shown(t).split()).casefold() for t in tags}
