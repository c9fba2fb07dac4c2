"""Tell which bodies are plain Markdown: the ones cmark renders exactly as Python-Markdown does.

Python-Markdown, the default engine, takes 1.2 ms a news story, nearly all of it in its inline
patterns; cmark takes 0.05 ms (issue #15). For most stories the two write the same HTML: they
differ only in what Markdown's edge cases mean (emphasis next to punctuation, backslash
escapes, lists and their indentation, entities, raw HTML). A body made only of what they agree
on (paragraphs, `#` headings, tight `- ` or `1. ` lists and `> ` quotes set off by blank
lines, `*emphasis*` and `**strong**` between spaces or punctuation, and `[links](https://…)`
to plain ASCII addresses) is rendered by cmark, with no extension; any other body goes to
Python-Markdown, as it always has. Which is the narrower bet: a body that is plain but
refused costs the 1.2 ms it always cost, while one let through wrongly would change a page.
So the rules below refuse whatever is not certainly plain, and
tests/unit/content/test_plain_markdown.py renders both ways what they let through
(Hypothesis, with Markdown's syntax characters in every place) and requires the same bytes.
"""
from __future__ import annotations

import re

# A link to a plain address: no space, quote, bracket, parenthesis or non-ASCII letter, each
# of which the two engines read or escape differently. (After a `!` it is a picture, left to
# Python-Markdown.) Its text is checked as any other; it is marked off with NULs (which no
# body holds: article.decode refuses them) so that no emphasis is taken to span it.
_LINK = re.compile(r"(?<!!)\[(?=[^\s\[\]])([^\[\]*\n]*)(?<=[^\s\[\]])\]\([A-Za-z0-9\-._~:/?#@=%+,;&]+\)")
# Emphasis or strong emphasis opened after a space or opening punctuation and closed before a
# space or closing punctuation, not across a line or a link: the only delimiter runs for which
# CommonMark's flanking rules and Python-Markdown's patterns pair the same asterisks. (What
# comes before the first asterisk is looked at once it is found, which is 20 times faster than
# trying every character of a body.) Its text is checked as any other.
_EMPHASIS = re.compile(r"(\*)(?<![^ (\"'“‘\n]\*)(\*?)(?=[^\s*])([^*\[\]\n\0]*)(?<=[^\s*])\1\2"
                       r"(?=$|[ .,;:!?)\"'”’])", re.MULTILINE)
# Markdown syntax, raw HTML or a tab, left once the links and emphasis are taken out.
_SYNTAX = re.compile(r"[\[\]*_`\\<|\t]")
# A character reference, which cmark decodes and Python-Markdown passes on as it is (a numeric
# one even without its semicolon, which Python-Markdown adds).
_REFERENCE = re.compile(r"&(?:#|[A-Za-z0-9]+;)")
# A line (after its newline) that could open a block other than a paragraph: a list, quote,
# code, table, rule, setext underline, fence or heading; or that begins with white space.
_OTHER_BLOCK = re.compile(r"\n(?:[^\S\n]|[>+\-=~#]|\*\*?\s|\*\*\*|\d+[.)](?:\s|$))")
# Such a block both engines read alike (the others: _tight_block_lines): one to six `#`, a space,
# then text with no `#` (a closing sequence is read differently).
_HEADING = re.compile(r"#{1,6} (?=\S)[^#\n]*(?<=\S)$", re.MULTILINE)
# The marker of a line of a list or a quote both engines read alike: `- `, a number and `. `,
# or `> `. The first number is the list's start (sane_lists): no leading zero, which
# Python-Markdown would keep ("01") and cmark drop, and at most the nine digits cmark takes
# for a number. (`1)` is a list to cmark and text to Python-Markdown.)
_MARKER = re.compile(r"(?:- |> |(?:0|[1-9]\d{0,8})\. )")
_MARKER_STARTS = "->0123456789"


def is_plain(body: str) -> bool:
    """Return whether cmark renders this body exactly as Python-Markdown (with the build's
    extensions) does."""
    # Python-Markdown strips white space from a paragraph's ends, Unicode spaces too; cmark
    # strips spaces and tabs
    lines = body.split("\n")
    if any(line[-1:].isspace() for line in lines):
        return False
    in_blocks: set[int] | None = None  # the lines of plain lists and quotes, found when needed
    line, counted = 0, 0  # the line number of body[counted]
    for block in _OTHER_BLOCK.finditer("\n" + body):  # a match's start is its line's in body
        if block.group() == "\n#":
            if not _HEADING.match(body, block.start()):
                return False
        elif block.group()[1] in _MARKER_STARTS:
            in_blocks = _tight_block_lines(lines) if in_blocks is None else in_blocks
            line, counted = line + body.count("\n", counted, block.start()), block.start()
            if line not in in_blocks:
                return False
        else:
            return False
    if _REFERENCE.search(body):
        return False
    rest = _EMPHASIS.sub(r"\3", _LINK.sub("\0\\1\0", body))
    return _SYNTAX.search(rest) is None


def _tight_block_lines(lines: list[str]) -> set[int]:
    """Return the indices of the lines of lists and quotes both engines read alike: lines of
    one marker (`- `, numbers, or `> `) and text, one after another, with a blank line (or the
    body's edge) before and after, and no other list or quote across that blank line. (A list
    right after a paragraph's line is that paragraph's text to Python-Markdown; a line right
    after one, or an item of the other kind, is the last item's to Python-Markdown and a new
    block to cmark; blank lines between items make a loose list, and between quotes one quote
    to Python-Markdown.)"""
    found: set[int] = set()
    previous_text = ""  # the last line before the current one that is not blank
    at = 0
    while at < len(lines):
        kind = _block_kind(lines[at])
        if kind is None:
            previous_text = lines[at] or previous_text
            at += 1
            continue
        first = at
        while at < len(lines) and _block_kind(lines[at]) == kind:
            at += 1
        text_after = at
        while text_after < len(lines) and not lines[text_after]:  # each blank line is read twice at most
            text_after += 1
        after = lines[text_after] if text_after < len(lines) else ""
        if ((first == 0 or (lines[first - 1] == "" and _block_kind(previous_text) is None))
                and (at == len(lines) or (lines[at] == "" and _block_kind(after) is None))):
            found.update(range(first, at))
        previous_text = lines[at - 1]
    return found


def _block_kind(line: str) -> str | None:
    """Return the kind of line of a list or quote the line is ("-", "1." or ">"), if its text
    is plain: it opens no other block (a nested list, a quote in a quote…)."""
    marker = _MARKER.match(line)
    if marker is None or len(line) == marker.end() or _OTHER_BLOCK.match("\n" + line[marker.end():]):
        return None
    return line[0] if line[0] in "->" else "1."
