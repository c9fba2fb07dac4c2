"""Compare the feeds about to be published with the live site's: what readers have seen must keep
its ids and dates (issue #13). `check --live` (the Pages workflow's step before upload) and
`deploy` (before it pushes) run it.

    guard_live(site/, output/, config) → read output/'s feeds and the live ones at base_url
        (live_feeds.py), format by format: an id readers have that would disappear or change, a
        date that would move → an error naming the content file, the reason and the fix;
        an unreachable site, a first publish (404), an article deleted → a note.

An entry readers have whose id the new feed lacks is a change, not a deletion, when a new entry
takes its place: at the same address (a host moved without id_domain, a date edited into a
generated id), or with the same date and either the same title (a file renamed) or the same
summary (a headline edited into a new slug). Two agreements, not one: a news site deletes a
story and publishes another the same day, or under a recurring title ("Morning Briefing").
Otherwise its article was deleted, which Hugo and Pelican do not guard at all: a note says how
many.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..core.entry_ids import guid_of
from ..core.errors import SiteError
from ..core.model import SiteConfig
from ..output.id_guard import (
    Published,
    date_change,
    id_change,
    load_records,
    records_path,
    save_records,
    seen_path,
)
from ..render.feed_urls import feed_path
from .live_feeds import Entry, Feeds, Getter, folder_get, http_get, read_feeds

log = logging.getLogger(__name__)


@dataclass
class LiveReport:
    """What the comparison with the live site found."""

    changes: list[SiteError] = field(default_factory=list)  # ids and dates that would change
    notes: list[str] = field(default_factory=list)
    compared: int = 0  # entries readers have, compared
    seen: bool = False  # whether the live site had feeds to compare with


def guard_live(site_dir: Path, output_dir: Path, config: SiteConfig, get: Getter = http_get) -> LiveReport:
    """Compare output_dir's feeds with the live site's at config.base_url; remember what was seen."""
    formats = tuple(f for f in ("atom", "rss", "json") if f in config.feeds)  # Atom first: its ids say the most
    missing = [feed_path("", f) for f in formats if not (output_dir / feed_path("", f)).is_file()]
    if missing:
        raise SiteError(f"{output_dir} holds no built site (no {missing[0]}): run `site-builder build` first")
    built = read_feeds(config.base_url, formats, folder_get(output_dir, config.base_url))
    if not built.entries:
        raise SiteError(f"{output_dir} holds no feeds built for {config.base_url} ({'; '.join(built.notes)}): "
                        f"build it with --base-url {config.base_url} first")
    log.debug("reading the live feeds at %s", config.base_url)
    live = read_feeds(config.base_url, formats, get)
    built_here = load_records(records_path(site_dir, output_dir))
    sources = {p.path: source for source, p in built_here.items()}
    report = compare(built, live, sources)
    if report.seen:
        remember(seen_path(site_dir), _seen_records(live, sources))
    return report


def remember_deployed(site_dir: Path, output_dir: Path) -> None:
    """Record output_dir's articles as seen by readers: they were just published."""
    remember(seen_path(site_dir), load_records(records_path(site_dir, output_dir)))


def remember(path: Path, records: dict[str, Published]) -> None:
    """Keep the record of what readers have seen, which local builds compare with."""
    if records:  # none mapped to a content file (output/ built elsewhere): keep the last one
        save_records(path, records, load_records(path))


def compare(built: Feeds, live: Feeds, sources: dict[str, str]) -> LiveReport:
    """Return the ids and dates readers have that the built feeds would change, format by
    format (one error per article), and notes on what could not be compared."""
    report = LiveReport(notes=list(live.notes))
    reported: set[str] = set()
    gone: set[str] = set()
    compared: set[str] = set()
    for fmt, old_entries in live.entries.items():
        if fmt not in built.entries:
            continue
        report.seen = True
        match = _Matcher(built, fmt, {e.id for e in old_entries})
        for old in old_entries:
            key = site_path(old.link, live.base_url)
            compared.add(key)  # an entry is in its month's archive and may be in the feed too
            if key in reported:
                continue  # one error per article, from the first format that shows it
            new = match.same_id(old) or match.successor(old, key)
            if new is None:
                gone.add(key)
                continue
            error = _change(fmt, old, new, sources.get(site_path(new.link, built.base_url), new.link))
            if error is not None:
                report.changes.append(error)
                reported.add(key)
    gone -= reported
    report.compared = len(compared)
    if gone:
        many = f"{len(gone)} entries readers have are" if len(gone) > 1 else "1 entry readers have is"
        report.notes.append(f"{many} in no new feed (a deleted article?), such as {min(gone)}")
    if not report.seen:  # one line says it: the reason is the same for every format
        report.notes = [f"nothing to compare: {live.notes[0]}" if live.notes else
                        f"nothing to compare: {live.base_url} publishes none of the feeds this site writes"]
    return report


class _Matcher:
    """Finds the new entry that takes the place of an entry readers have, in one format."""

    def __init__(self, built: Feeds, fmt: str, old_ids: set[str]):
        entries = built.entries[fmt]
        self.by_id = {e.id: e for e in entries}
        self.by_path = {site_path(e.link, built.base_url): e for e in entries}
        fresh = [e for e in entries if e.id not in old_ids and e.published is not None]  # new to readers
        self.by_title = {(e.published, e.title): e for e in fresh if e.title}
        self.by_summary = {(e.published, e.summary): e for e in fresh if e.summary}

    def same_id(self, old: Entry) -> Entry | None:
        return self.by_id.get(old.id)

    def successor(self, old: Entry, key: str) -> Entry | None:
        return (self.by_path.get(key) or self.by_title.get((old.published, old.title))
                or self.by_summary.get((old.published, old.summary)))


def _change(fmt: str, old: Entry, new: Entry, source: str) -> SiteError | None:
    """Return the error of an entry whose id or date would change, or None if neither would."""
    if new.id != old.id:
        before, after = _article_id(fmt, old.id), _article_id(fmt, new.id)
        if before == after:  # the same id:, so the Atom id derived from it changed: id_domain did
            before, after = old.id, new.id
        where = f"readers have it from {old.document}"
        return id_change(source, before, after, where, _domain_fix(before, after))
    if old.published and new.published and old.published != new.published:
        return date_change(source, old.published.isoformat(), new.published.isoformat())
    return None


def _article_id(fmt: str, entry_id: str) -> str:
    """Return the id as the article's `id:` gives it (an Atom id may be derived from it)."""
    return guid_of(entry_id) if fmt == "atom" else entry_id


def _domain_fix(before: str, after: str) -> str | None:
    """Return the fix when only the domain of a tag URI changed: base_url's host moved
    while site.toml has no id_domain (RFC 4151: tag:DOMAIN,DATE:…), or id_domain changed."""
    old, new = _tag_parts(before), _tag_parts(after)
    if old and new and old[0] != new[0] and old[1] == new[1]:
        return f"set id_domain = \"{old[0]}\" in site.toml, as it was when readers saw it"
    return None


def _tag_parts(entry_id: str) -> tuple[str, str] | None:
    if not entry_id.startswith("tag:") or "," not in entry_id:
        return None
    domain, rest = entry_id[4:].split(",", 1)
    return domain, rest


def site_path(link: str, base_url: str) -> str:
    """Return a link's address within the site: relative to base_url, or, on another host
    (the site moved), its path less base_url's path."""
    if link.startswith(base_url):
        return link[len(base_url):]
    base_path, path = urlsplit(base_url).path, urlsplit(link).path
    return path[len(base_path):] if path.startswith(base_path) else link


def _seen_records(live: Feeds, sources: dict[str, str]) -> dict[str, Published]:
    """Return what readers have of each article that is still a content file, by its file."""
    fmt = next(iter(live.entries), None)
    if fmt is None:
        return {}
    records = {}
    for entry in live.entries[fmt]:
        path = site_path(entry.link, live.base_url)
        if path in sources and entry.published is not None:
            records[sources[path]] = Published(_article_id(fmt, entry.id), entry.published.isoformat(), path)
    return records
