"""The dump parser: the seed, every variant of the format (hypothesis), and every bad input."""
from __future__ import annotations

import codecs
from dataclasses import dataclass

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.core.errors import BuildErrors, ContentError, SiteError
from site_builder.importer.dump import LAYOUT_MARK, MAX_HEADLINE, decode_dump, parse_dump

SEED = FIXTURES / "000_5d718aeda1ebb40d.txt"


def parse(data: bytes | str, name: str = "dump.txt", encoding: str | None = None):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_dump(name, decode_dump(name, raw, encoding))


# --- the seed -------------------------------------------------------------------------------

def test_seed_gives_two_articles_with_headline_caption_and_body_once():
    first, second = parse(SEED.read_bytes(), SEED.name)
    assert first.title == "Khamenei Invites Cuba to Form ‘Global Alliance’ Against US"
    assert first.caption == ("Iranian Supreme Leader Ali Khamenei met in Tehran on Monday with visiting "
                             "Cuban President Miguel Díaz-Canel")
    assert first.paragraphs[0].startswith("Iran and Cuba on Monday pledged")
    assert first.paragraphs[-1].endswith("which also included Venezuela.")
    assert len(first.paragraphs) == 14 and (first.origin, first.line) == (SEED.name, 1)
    assert second.title.startswith("Grossi Wants to Meet") and second.line == 29
    assert second.caption.endswith("March 15, 2023. (Reuters)")
    assert len(second.paragraphs) == 8
    assert second.paragraphs[-1].endswith("a new president was elected.")
    for article in (first, second):
        assert LAYOUT_MARK not in article.paragraphs
        assert article.title not in article.paragraphs and article.caption not in article.paragraphs


# --- the family of dumps: generated, parsed, compared ----------------------------------------

# Text as dumps carry it: any letters (Latin with accents, Arabic, …), digits, typographic
# punctuation and Markdown's syntax characters; no control characters (a dump never has them)
# and no line breaks inside a line.
_CHARS = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\x85"),
    st.sampled_from(list("“”‘’–—…«»éíñüçøßİ#*_`[]<>&\\-+.!|~ ")),
    st.sampled_from(list("إيران والولايات المتحدة")),
)
_LINE = st.text(_CHARS, min_size=1, max_size=80).map(str.strip).filter(bool)
_HEADLINE = _LINE.filter(lambda s: s != LAYOUT_MARK and len(s) <= MAX_HEADLINE)


@dataclass(frozen=True)
class Sample:
    title: str
    caption: str | None
    caption_copies: int
    paragraphs: list[str]
    paragraph_break: str  # "\n" or "\n\n"
    header_blanks: bool  # a blank line between the header lines, as in the seed

    def text(self) -> str:
        gap = "\n\n" if self.header_blanks else "\n"
        caption = [self.caption] * self.caption_copies if self.caption else []
        head = gap.join([self.title, "\n".join(caption)] if caption else [self.title])
        return (head + "\n" + LAYOUT_MARK + gap + head + gap
                + self.paragraph_break.join(self.paragraphs))


samples = st.builds(
    Sample, title=_HEADLINE, caption=st.none() | _HEADLINE, caption_copies=st.sampled_from([1, 2]),
    paragraphs=st.lists(_LINE, min_size=1, max_size=6), paragraph_break=st.sampled_from(["\n", "\n\n"]),
    header_blanks=st.booleans())


def make_dump(articles: list[Sample], separators: list[int], bom: bool, crlf: bool) -> bytes:
    text = articles[0].text()
    for article, blanks in zip(articles[1:], separators):
        text += "\n" * (blanks + 1) + article.text()
    if crlf:
        text = text.replace("\n", "\r\n")
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(samples, min_size=1, max_size=4),
       separators=st.lists(st.integers(2, 4), min_size=3, max_size=3),
       bom=st.booleans(), crlf=st.booleans(), trailing=st.sampled_from(["", "\n", "\n\n\n"]))
def test_round_trip_of_generated_dumps(articles, separators, bom, crlf, trailing):
    data = make_dump(articles, separators, bom, crlf) + trailing.encode()
    parsed = parse(data)
    assert [(a.title, a.caption, list(a.paragraphs)) for a in parsed] == [
        (s.title, s.caption, s.paragraphs) for s in articles]


@settings(max_examples=100, deadline=None)
@given(sample=samples)
def test_line_numbers_point_at_each_headline(sample):
    data = make_dump([sample, sample, sample], [2, 3, 2], bom=True, crlf=True)
    lines = data.decode("utf-8-sig").split("\r\n")
    for article in parse(data):
        assert lines[article.line - 1] == sample.title


def test_caption_written_once_and_body_paragraph_equal_to_caption_is_kept():
    text = "Head\nCap\nTT\nHead\nCap\nCap\nMore text"
    (article,) = parse(text)
    assert article.caption == "Cap" and article.paragraphs == ("Cap", "More text")


def test_article_without_caption():
    (article,) = parse("Head\nTT\nHead\nBody one.\n\nBody two.")
    assert article.caption is None and article.paragraphs == ("Body one.", "Body two.")


# --- what is refused, with the file and the line ---------------------------------------------

@pytest.mark.parametrize("data, message", [
    (b"", "dump.txt:1: the file is empty"),
    (b"\n \n\r\n", "dump.txt:1: the file is empty"),
    (codecs.BOM_UTF8, "dump.txt:1: the file is empty"),
    (b"Head\nCap\n\x00\x01\x02PNG", "dump.txt:3: binary data (a NUL byte)"),
    (b"Head\nTT\nHead\nBody \x1b[31m red", "dump.txt:4: control character U+001B"),
    (b"Head\nTT\nHead\n\n\n\nNext\nTT\nNext\nBody",
     "dump.txt:1: the article “Head” has no body"),
    (b"Head\nCap\nHead\nBody", "dump.txt:1: the article starting “Head” has no 'TT' line"),
    (b"Head\nTT\nOther\nBody", "dump.txt:3: after 'TT' (line 2) the headline should come again; found “Other”"),
    (b"Head\nCap\nOther cap\nTT\nHead\nBody", "dump.txt:2: between the headline “Head” and 'TT'"),
    (b"TT\nHead\nBody", "dump.txt:1: 'TT' comes before any headline"),
    (("x" * 2000 + "\nTT\n" + "x" * 2000 + "\nBody").encode(),
     "dump.txt:1: the headline is 2,000 characters long (at most 300)"),
])
def test_bad_dumps_are_refused_naming_file_and_line(data, message):
    with pytest.raises(ContentError) as caught:
        parse(data)
    assert str(caught.value).startswith(message)


def test_every_bad_article_of_a_dump_is_reported():
    text = "A\nTT\nA\n\n\nB\nTT\nB\nBody\n\n\nC\nTT\nC"
    with pytest.raises(BuildErrors) as caught:
        parse(text)
    assert [str(e).split(":", 2)[1] for e in caught.value.errors] == ["1", "12"]


def test_cp1252_is_refused_clearly_or_read_correctly_when_asked():
    data = "Head\nTT\nHead\nHe said “yes” – and left.".encode("cp1252")
    with pytest.raises(ContentError) as caught:
        parse(data)
    assert str(caught.value).startswith("dump.txt:4: not UTF-8 text (byte 0x93 in column 9), which "
                                        "Windows-1252 reads as '“'")
    assert "--encoding cp1252" in str(caught.value)
    (article,) = parse(data, encoding="cp1252")
    assert article.paragraphs == ("He said “yes” – and left.",)


def test_unknown_encoding_is_a_clear_error():
    with pytest.raises(SiteError, match="--encoding 'klingon' is not an encoding"):
        parse(b"x", encoding="klingon")


def test_utf16_with_bom_is_read():
    (article,) = parse("Head\r\nTT\r\nHead\r\nDíaz-Canel".encode("utf-16"))
    assert article.paragraphs == ("Díaz-Canel",)
