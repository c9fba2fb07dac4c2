"""Write an ImportedArticle as the text of a content file: YAML front matter, then Markdown.

Pure: the caller decides the slug, date, tags and id. `render_article` checks its own work by
parsing the text back as a build would (content.parse_article), so a file the importer writes
always builds, and its body always shows exactly the paragraphs of the dump.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..content.article import parse_article
from ..content.markup import SUMMARY_LIMIT, html_to_text
from ..core.errors import ContentError, SiteError
from ..core.language import rtl_language
from ..core.model import SiteConfig
from .imported_article import ImportedArticle
from .markdown_escape import escape_paragraphs

# Where a sentence ends: after . ! ? (and a closing quote), before a space and a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u0600-\u06FF])")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


@dataclass(frozen=True)
class Placement:
    """What the importer decided for an article: its URL name, date, tags and permanent id."""

    slug: str
    date: dt.datetime  # timezone-aware, in the site's zone
    tags: tuple[str, ...]
    entry_id: str


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes dates as plain ISO 8601 (`2024-07-10T14:15:00+03:30`)."""


_Dumper.add_representer(
    dt.datetime, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp",
                                                               value.isoformat()))


def render_article(article: ImportedArticle, place: Placement, config: SiteConfig) -> str:
    """Return the content file for an imported article; raise if it would not read back."""
    text = f"---\n{front_matter(article, place)}---\n{body_of(article)}"
    _check(f"{place.slug}.md", text, article, config)
    return text


def front_matter(article: ImportedArticle, place: Placement) -> str:
    """Return the YAML front matter (without its `---` fences) of an imported article."""
    fields: dict[str, Any] = {
        "title": article.title,
        "date": place.date,
        "updated": article.updated,
        "tags": list(place.tags),
        "summary": summary(article.paragraphs),
        "author": article.author,
        "image_caption": article.caption,
        "source": article.origin,
        "link": article.link,
        "language": rtl_language(" ".join((article.title, *article.paragraphs))),
        "slug": place.slug,
        "id": place.entry_id,
        # the RSS guid's isPermaLink, so the site's RSS feed writes the guid as its source did
        "guid_is_permalink": article.guid_is_permalink if place.entry_id == article.entry_id else None,
        # what the importer read, so a re-import knows this article whatever was edited since
        "import_digest": article.digest,
    }
    return dump_front_matter({key: value for key, value in fields.items() if value not in (None, "")})


def dump_front_matter(fields: dict[str, Any]) -> str:
    """Return fields as YAML front matter (without its `---` fences), in the given order:
    dates as ISO 8601 with their offset, lists of tags on one line, any text unescaped."""
    return yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=None)


def body_of(article: ImportedArticle) -> str:
    """Return the Markdown body: the feed's own, or the dump's paragraphs escaped."""
    if article.markdown is not None:
        return article.markdown.strip() + "\n"
    return escape_paragraphs(article.paragraphs)


def summary(paragraphs: tuple[str, ...], limit: int = SUMMARY_LIMIT) -> str:
    """Return the first paragraph, or its first sentence when it is long, as plain text."""
    first = " ".join(paragraphs[0].split()) if paragraphs else ""
    if len(first) <= limit:
        return first
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ") + "…"


def _check(path: str, text: str, article: ImportedArticle, config: SiteConfig) -> None:
    """Parse the file back as a build would; a dump's paragraphs must come back unchanged."""
    try:
        parsed = parse_article(path, text, config)
    except SiteError as exc:
        raise ContentError(article.origin, f"the article {article.title!r} would not build: {exc}",
                           line=article.line) from exc
    if article.markdown is None:
        shown = [html_to_text(p) for p in _PARAGRAPH.findall(parsed.body_html)]
        if shown != [" ".join(p.split()) for p in article.paragraphs]:
            raise ContentError(article.origin, f"the article {article.title!r} would not show its "
                               "text exactly as written (an escaping bug: please report it)",
                               line=article.line)
