"""What in a Markdown text makes Python-Markdown slow, said so a writer can find it.

Measured with the build's extensions (issue #12; times for 3,000 repetitions, on one core):
`[a](` 2.4 s, `[a` on 3,000 lines 5.4 s, `[a][` 5.3 s, `[[[…]]]` 2.0 s, `![a](` 2.4 s —
each quadratic, since the link pattern searches the rest of the text for every `[`; one
footnote definition holding 3,000 references 8.9 s; `<a title='` 1.2 s; list items nested
300 deep take seconds and 500 deep exhaust Python's recursion limit. Runs of `*`, `_`, `<`,
`` ` ``, `&`, `>` and `|`, many footnotes and deep raw-HTML nesting stay linear.
"""
from __future__ import annotations

import re

_NOTABLE = 1000  # fewer of any of these parse in well under a second
_LIST_RUN = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+", re.MULTILINE)
_INDENTED_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE)
_NESTING_SHOWN = 100  # list nesting deeper than this is worth naming


def what_is_slow(text: str) -> str:
    """Return what in the text is likely to make Markdown slow or deep: the largest counts of
    the known costly shapes, or a hint of what to look for when none stands out."""
    found: list[tuple[int, str]] = []
    unclosed = max(0, text.count("[") - text.count("]")) + max(0, text.count("(") - text.count(")"))
    if unclosed >= _NOTABLE:
        found.append((unclosed, f"{unclosed:,} unclosed '[' / '(' — a link or image not closed?"))
    depth = _bracket_depth(text)
    if depth >= _NOTABLE and depth > unclosed:  # nested, not merely left open
        found.append((depth, f"'[' nested {depth:,} deep"))
    footnotes = text.count("[^")
    if footnotes >= _NOTABLE:
        found.append((footnotes, f"{footnotes:,} footnote references '[^…]'"))
    tags = text.count("<")
    if tags >= _NOTABLE:
        found.append((tags, f"{tags:,} '<' — raw HTML not closed?"))
    nesting = _list_depth(text)
    if nesting >= _NESTING_SHOWN:
        found.append((nesting * _NOTABLE, f"lists nested {nesting:,} deep"))
    links = text.count("[")
    if links >= _NOTABLE and not found:
        found.append((links, f"{links:,} '[' (links, images or footnotes)"))
    if not found:
        return "nothing stands out: look for many '[', '(' or '<' not closed, or lists nested deep"
    return "; ".join(what for _, what in sorted(found, reverse=True)[:2])


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]]", text):
        depth = depth + 1 if bracket == "[" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def _list_depth(text: str) -> int:
    """Return how deep list items nest: markers on one line (`- - - a`) or by indentation."""
    on_one_line = max((len(re.findall(r"(?:[-*+]|\d{1,9}[.)])[ \t]", m.group())) for m in _LIST_RUN.finditer(text)),
                      default=0)
    by_indent = max((len(m.group(1).expandtabs(4)) // 4 for m in _INDENTED_ITEM.finditer(text)), default=0)
    return max(on_one_line, by_indent)
