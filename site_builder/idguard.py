"""Guard the permanent ids: an article that readers have seen must keep its feed id and date.

Before a build publishes, it compares each article with what was published last time: the
entries of the current output/ (the site's Atom feed and its archive pages hold every article,
found by URL) and a small record of the source file behind each id (found by file, so a
renamed slug is caught too). An id that changed, or a publication date that moved, would make
every reader show the article again as new: that is an error unless the user allows it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import yaml

from .entry_ids import atom_id, guid_of
from .errors import ContentError, SiteError
from .feed_urls import feed_path
from .folders import CACHE_DIR
from .model import Article, Site
from .output import write_json

ATOM = "{http://www.w3.org/2005/Atom}"


class Published(NamedTuple):  # a tuple: a large site has 100,000, compared on every build
    """What readers saw of one article: its id, publication date and site-relative path."""

    id: str
    published: str  # ISO 8601
    path: str


def id_changes(site: Site, output_dir: Path, records: dict[str, Published]) -> list[SiteError]:
    """Return an error for each article whose id or date differs from what was published.
    The record of the last build says it all; without one (an output/ made before it, or by
    another machine), the feeds in output/ are read."""
    published = records.values() if records else published_in_output(output_dir)
    by_path = {p.path: p for p in published}
    errors: list[SiteError] = []
    domain = site.config.entry_id_domain
    for article in site.articles:
        same_file = records.get(article.source_path)
        if same_file is not None and same_file == _published(article) and same_file is by_path.get(article.path):
            continue  # the common case, decided without formatting an error
        # the feeds in output/ hold Atom ids: an id that is no IRI is there as its tag URI
        current = article.id if records else atom_id(article.id, domain)
        for before in {by_path.get(article.path), same_file} - {None}:
            errors.extend(_differences(article, before, current))
    return errors


def _published(article: Article) -> Published:
    return Published(article.id, article.date.isoformat(), article.path)


def _differences(article: Article, before: Published, current: str) -> list[SiteError]:
    hint = "or build with --allow-id-change if readers should see it as new"
    errors: list[SiteError] = []
    if current != before.id:
        old = guid_of(before.id)
        errors.append(ContentError(article.source_path, (
            f"its feed id would change from '{old}' to '{article.id}' (it was published at "
            f"{before.path}), and feed readers would show it again as a new article: add "
            f"'id: {_yaml_text(old)}' to its front matter, {hint}")))
    elif _instant(before.published) not in (None, article.date):
        errors.append(ContentError(article.source_path, (
            f"its date would move from {before.published} to {article.date.isoformat()} after it "
            f"was published: keep 'date: {before.published}' and use 'updated:' for a correction, {hint}")))
    return errors


def _yaml_text(text: str) -> str:
    """Return an id as a YAML value that reads back as that text (a guid may hold `#`, `: `)."""
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).removesuffix("\n...\n").rstrip("\n")


def _instant(text: str) -> dt.datetime | None:
    """Return the moment an old feed gave, or None if it gave none we can read."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def published_in_output(output_dir: Path) -> list[Published]:
    """Return every article of the Atom feeds (subscription and archives) in output_dir."""
    found: list[Published] = []
    atom = output_dir / feed_path("", "atom")
    if not atom.is_file():
        return found
    base = _feed_base(atom)
    for path in [atom, *sorted(output_dir.glob(feed_path("", "atom", "*/*")))]:  # archive/YYYY/MM/atom.xml
        try:
            root = ElementTree.parse(path).getroot()
        except (ElementTree.ParseError, OSError):
            continue  # a damaged old file is replaced by this build; nothing to compare
        for entry in root.iter(ATOM + "entry"):
            link = next((e.get("href") for e in entry.iter(ATOM + "link") if e.get("rel") in (None, "alternate")), "")
            if base and link.startswith(base):
                found.append(Published(entry.findtext(ATOM + "id", ""),
                                       entry.findtext(ATOM + "published", ""), link[len(base):]))
    return found


def _feed_base(atom: Path) -> str | None:
    """Return the base URL the old feed was built for (its self link, less 'atom.xml')."""
    try:
        root = ElementTree.parse(atom).getroot()
    except (ElementTree.ParseError, OSError):
        return None
    self_link = next((e.get("href", "") for e in root.findall(ATOM + "link") if e.get("rel") == "self"), "")
    return self_link.removesuffix(feed_path("", "atom")) or None


def records_path(site_dir: Path, output_dir: Path) -> Path:
    """Return where the record of what was published into output_dir is kept."""
    key = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
    return site_dir / CACHE_DIR / f"published-{key}.json"


def load_records(path: Path) -> dict[str, Published]:
    """Read the record of the last build (source path → Published); empty if none or damaged."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {source: Published(**fields) for source, fields in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}


def records_of(site: Site) -> dict[str, Published]:
    """Return the record of what this build publishes."""
    return {a.source_path: _published(a) for a in site.articles}


def save_records(path: Path, records: dict[str, Published], before: dict[str, Published]) -> None:
    """Write the record of this build, unless it is the one already there."""
    if records != before:
        write_json(path, {source: p._asdict() for source, p in records.items()})
