"""Guard the permanent ids: an article that readers have seen must keep its feed id and date.

Readers have seen what was deployed (issue #13). `deploy` and `check --live` compare the new
feeds with the live site's (live_guard.py) and, once they have seen it, keep a record of it
here: the id, date and address of each article, by its source file. A build compares each
article with that record — by file, so a renamed slug is caught too, and by address — and an
id that changed, or a publication date that moved, is an error unless the user allows it:
every reader would show the article again as new. Without a record (nothing seen published
yet: a new site, just-imported articles) a build never blocks an edit.

Each build also records what it made (records_path), which maps the articles of output/ back
to their source files for the live comparison.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import NamedTuple

import yaml

from ..core.errors import ContentError, SiteError
from ..core.model import Article, Site
from ..core.names import CACHE_DIR
from .write import write_json


class Published(NamedTuple):  # a tuple: a large site has 100,000, compared on every build
    """What readers saw of one article: its id, publication date and site-relative path."""

    id: str
    published: str  # ISO 8601
    path: str


def id_changes(site: Site, seen: dict[str, Published]) -> list[SiteError]:
    """Return an error for each article whose id or date differs from what readers have seen
    (the record `deploy` and `check --live` keep: seen_path); none without a record."""
    by_path = {p.path: p for p in seen.values()}
    errors: list[SiteError] = []
    for article in site.articles:
        same_file = seen.get(article.source_path)
        if same_file is not None and same_file == _published(article) and same_file is by_path.get(article.path):
            continue  # the common case, decided without formatting an error
        for before in {by_path.get(article.path), same_file} - {None}:
            if before is not None:  # always: the difference took None out (mypy cannot tell)
                errors.extend(_differences(article, before))
    return errors


def _published(article: Article) -> Published:
    return Published(article.id, article.date.isoformat(), article.path)


def _differences(article: Article, before: Published) -> list[SiteError]:
    if article.id != before.id:
        return [id_change(article.source_path, before.id, article.id, f"it was published at {before.path}")]
    if _instant(before.published) not in (None, article.date):
        return [date_change(article.source_path, before.published, article.date.isoformat())]
    return []


ALLOW = "or use --allow-id-change if readers should see it as new"


def id_change(source: str, old: str, new: str, where: str, fix: str | None = None) -> ContentError:
    """Return the error of an article whose feed id would change from old to new (ids as the
    article's `id:` would give them); `fix` replaces the advice to pin the old id."""
    fix = fix or f"add 'id: {_yaml_text(old)}' to its front matter"
    return ContentError(source, f"its feed id would change from '{old}' to '{new}' ({where}), and feed "
                                f"readers would show it again as a new article: {fix}, {ALLOW}")


def date_change(source: str, old: str, new: str) -> ContentError:
    """Return the error of an article whose publication date would move after readers saw it."""
    return ContentError(source, f"its date would move from {old} to {new} after it was published: keep "
                                f"'date: {old}' and use 'updated:' for a correction, {ALLOW}")


def _yaml_text(text: str) -> str:
    """Return an id as a YAML value that reads back as that text (a guid may hold `#`, `: `)."""
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).removesuffix("\n...\n").rstrip("\n")


def _instant(text: str) -> dt.datetime | None:
    """Return the moment an old feed gave, or None if it gave none we can read."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def records_path(site_dir: Path, output_dir: Path) -> Path:
    """Return where the record of what was published into output_dir is kept."""
    key = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
    return site_dir / CACHE_DIR / f"published-{key}.json"


def seen_path(site_dir: Path) -> Path:
    """Return where the record of what readers have seen of the site is kept."""
    return site_dir / CACHE_DIR / "seen-live.json"


def load_records(path: Path) -> dict[str, Published]:
    """Read a record (source path → Published); empty if none or damaged."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {source: Published(**fields) for source, fields in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}


def records_of(site: Site) -> dict[str, Published]:
    """Return the record of what this build publishes."""
    return {a.source_path: _published(a) for a in site.articles}


def save_records(path: Path, records: dict[str, Published], before: dict[str, Published]) -> None:
    """Write a record, unless it is the one already there."""
    if records != before:
        write_json(path, {source: p._asdict() for source, p in records.items()})
