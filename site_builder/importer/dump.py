"""Read a raw article dump (text scraped from a news site) into ImportedArticles. Pure: no I/O.

The format, as it arrives (issue #3; README "Importing"):

    Headline                                  ← line 1 of an article
    <blank lines are allowed between these header lines>
    Caption of the lead image                 ← optional; once or (usually) twice
    Caption of the lead image
    TT                                        ← a leftover of the page layout, not text
    Headline                                  ← the headline again
    Caption of the lead image                 ← the caption again, as often as above
    Caption of the lead image
    First paragraph                           ← the body: every non-blank line is a paragraph,
    Second paragraph                             whether paragraphs are separated by a
                                                 newline or by a blank line
    <two or more blank lines: the next article>

Files may start with a UTF-8 BOM and use CRLF line ends. Every error names the file and the
line, and a dump with any error yields no article at all.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..core.errors import BuildErrors, ContentError, SiteError
from .imported_article import ImportedArticle

LAYOUT_MARK = "TT"
MAX_HEADLINE = 300  # longer than any real headline: it is a paragraph that lost its blank line
MAX_CAPTION_COPIES = 2
# Control characters never occur in scraped text; when they do, the file is not what it seems
# (binary, UTF-16, or text decoded twice). Tabs are harmless.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class _Line:
    number: int  # counted from 1, from the top of the file
    text: str  # stripped of surrounding white space


def decode_dump(name: str, data: bytes, encoding: str | None = None) -> str:
    """Decode a dump's bytes to text with LF line ends, or say clearly why they are not text."""
    if data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16")
    elif b"\0" in data:
        raise ContentError(name, "binary data (a NUL byte): this is not a UTF-8 text dump (if it is "
                           "UTF-16 text, save it as UTF-8)", line=_line_at(data, data.index(b"\0")))
    else:
        text = _decode_text(name, data, encoding or "utf-8")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        raise ContentError(name, f"control character U+{ord(control.group()):04X} in the text: is "
                           "this a text dump?", line=text.count("\n", 0, control.start()) + 1)
    if not text.strip():
        raise ContentError(name, "the file is empty: a dump holds articles separated by two blank lines",
                           line=1)
    return text


def _decode_text(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as exc:
        raise SiteError(f"--encoding {encoding!r} is not an encoding Python knows "
                        "(try utf-8 or cp1252)") from exc
    except UnicodeDecodeError as exc:
        raise ContentError(name, _not_encoded_message(data, exc, encoding),
                           line=_line_at(data, exc.start)) from exc


def _not_encoded_message(data: bytes, exc: UnicodeDecodeError, encoding: str) -> str:
    """Say which byte is wrong, and how the file reads if it is Windows-1252 (the usual case)."""
    byte = data[exc.start]
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    utf8 = encoding.replace("-", "").replace("_", "").lower() == "utf8"
    message = f"not {'UTF-8' if utf8 else encoding} text (byte 0x{byte:02x} in column {column})"
    if not utf8:
        return message
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return message + ": save the file as UTF-8"
    shown = bytes([byte]).decode("cp1252")
    return (message + f", which Windows-1252 reads as {shown!r}: save the file as UTF-8, or "
            "import it with --encoding cp1252 if it is Windows-1252")


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse_dump(name: str, text: str) -> list[ImportedArticle]:
    """Split decoded dump text into articles; raise every error of the file together."""
    articles: list[ImportedArticle] = []
    errors: list[SiteError] = []
    for block in _blocks(text):
        try:
            articles.append(_article(name, block))
        except ContentError as exc:
            errors.append(exc)
    if len(errors) > 1:
        raise BuildErrors(errors)
    if errors:
        raise errors[0]
    if not articles:
        raise ContentError(name, "no article found: a dump holds articles separated by two blank "
                           "lines", line=1)
    return articles


def _blocks(text: str) -> list[list[_Line]]:
    """Split the lines into articles at runs of two or more blank lines; keep single blanks."""
    blocks: list[list[_Line]] = [[]]
    blanks = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _Line(number, raw.lstrip("\ufeff").strip())
        if not line.text:
            blanks += 1
            continue
        if blanks >= 2 and blocks[-1]:
            blocks.append([])
        blanks = 0
        blocks[-1].append(line)
    return [block for block in blocks if block]


def _article(name: str, lines: list[_Line]) -> ImportedArticle:
    """Read one article's non-blank lines: headline, caption ×k, TT, headline, caption ×≤k, body."""
    mark = next((i for i, line in enumerate(lines) if line.text == LAYOUT_MARK), None)
    first = lines[0]
    if mark is None:
        raise ContentError(name, f"the article starting {_quote(first.text)} has no '{LAYOUT_MARK}' "
                           "line (an article is: headline, caption, TT, headline, caption, body); "
                           "if it is the rest of the article above, remove the extra blank line "
                           "before it", line=first.number)
    if mark == 0:
        raise ContentError(name, f"'{LAYOUT_MARK}' comes before any headline", line=first.number)
    headline = _headline(name, first)
    caption = _caption(name, lines[1:mark], headline)
    copies = mark - 1
    after = lines[mark + 1:]
    if not after or not _same(after[0].text, headline):
        found = f"found {_quote(after[0].text)}" if after else "found the end of the article"
        where = after[0].number if after else lines[mark].number
        raise ContentError(name, f"after '{LAYOUT_MARK}' (line {lines[mark].number}) the headline "
                           f"should come again; {found}", line=where)
    body = after[1:]
    skip = 0
    while skip < min(copies, len(body)) and body[skip].text == caption:
        skip += 1
    if not body[skip:]:
        raise ContentError(name, f"the article {_quote(headline)} has no body: no paragraph after "
                           "its headline and caption", line=first.number)
    return ImportedArticle(title=headline, origin=name, line=first.number, caption=caption,
                           paragraphs=tuple(line.text for line in body[skip:]))


def _headline(name: str, line: _Line) -> str:
    if len(line.text) > MAX_HEADLINE:
        raise ContentError(name, f"the headline is {len(line.text):,} characters long (at most "
                           f"{MAX_HEADLINE}): is a blank line missing, or an article separator?",
                           line=line.number)
    return line.text


def _caption(name: str, lines: list[_Line], headline: str) -> str | None:
    """Return the caption written once or twice before TT (None when there is no lead image)."""
    if not lines:
        return None
    texts = {line.text for line in lines}
    if len(lines) > MAX_CAPTION_COPIES or len(texts) > 1:
        raise ContentError(name, f"between the headline {_quote(headline)} and '{LAYOUT_MARK}' "
                           "there should be only the image caption, once or twice; found "
                           f"{len(lines)} lines", line=lines[0].number)
    return lines[0].text


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _quote(text: str, limit: int = 60) -> str:
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"
