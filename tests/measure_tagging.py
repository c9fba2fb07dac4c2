"""Measure the tag proposals against tags chosen by hand; print the table of docs/tagging.md.

    .venv/bin/python tests/measure_tagging.py

The articles are the seed and the dumps in tests/fixtures/tagging/ (written for this), the hand
tags are in tests/fixtures/tagging/expected.toml. Each is measured twice: with no site.toml
lists, which is the method alone, and with the sample site's known_tags and tag_aliases.
"""
from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from site_builder.core.config import load_config
from site_builder.core.model import SiteConfig
from site_builder.importer.dump import decode_dump, parse_dump
from site_builder.importer.tagging import fold, propose_tags

FIXTURES = HERE / "fixtures"
DUMPS = [FIXTURES / "000_5d718aeda1ebb40d.txt", *sorted((FIXTURES / "tagging").glob("*.txt"))]


@dataclass(frozen=True)
class Row:
    title: str
    proposed: list[str]
    expected: list[str]

    @property
    def hits(self) -> int:
        return len({fold(t) for t in self.proposed} & {fold(t) for t in self.expected})


def measure(config: SiteConfig) -> list[Row]:
    """Propose tags for every article and pair them with the hand-chosen ones."""
    expected = tomllib.loads((FIXTURES / "tagging" / "expected.toml").read_text("utf-8"))
    rows = []
    for dump in DUMPS:
        for article in parse_dump(dump.name, decode_dump(dump.name, dump.read_bytes())):
            tags = propose_tags(article.title, article.caption, article.paragraphs, config)
            rows.append(Row(article.title, tags, expected[article.title]["tags"]))
    return rows


def totals(rows: list[Row]) -> tuple[float, float]:
    """Return micro-averaged precision and recall."""
    hits = sum(r.hits for r in rows)
    return hits / max(1, sum(len(r.proposed) for r in rows)), hits / sum(len(r.expected) for r in rows)


def table(rows: list[Row]) -> str:
    lines = ["| article | proposed | chosen by hand | precision | recall |", "|---|---|---|---|---|"]
    for r in rows:
        p = f"{r.hits}/{len(r.proposed)}" if r.proposed else "–"
        lines.append(f"| {r.title[:48]} | {', '.join(r.proposed) or '–'} | {', '.join(r.expected)} "
                     f"| {p} | {r.hits}/{len(r.expected)} |")
    precision, recall = totals(rows)
    lines.append(f"| **all** | | | **{precision:.0%}** | **{recall:.0%}** |")
    return "\n".join(lines)


if __name__ == "__main__":
    for label, config in (("no site.toml lists", SiteConfig()), ("the sample site.toml", load_config(HERE.parent))):
        print(f"### With {label}\n\n{table(measure(config))}\n")
