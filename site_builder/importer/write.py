"""`site-builder import`: article dumps and feeds → content/*.md (issue #3).

    load (read a file, or download a feed) → parse (dump.parse_dump | feed_import.parse_feed)
      → date → decide (created / unchanged / skipped / replaced) → tag → render → write

**How a re-import recognises an article.** Every file the importer writes records
`import_digest`: a hash of the text it was made from (headline, caption and paragraphs, white
space aside). Importing the same text again finds that digest among the content files and
leaves the file alone ("unchanged"), whatever the user changed in it since — dates, tags, the
body, even its name. A feed entry is also found by its permanent `id`: when the feed's text
changed, the entry is "skipped" until `--force` replaces the file. A new article whose
headline's slug is taken gets `<slug>-2`. Without `--force` no existing file is ever written.

**No half-imported dump.** Everything about a source is decided and rendered before anything
is written; then each file is written to a temporary file beside it and all are renamed into
place, so a source either lands whole or not at all.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..build.load import CONTENT_DIR
from ..content.article import SLUG_LENGTH, decode, tag_uri
from ..content.frontmatter import split_front_matter
from ..content.slugs import slug_of
from ..core.errors import SiteError
from ..core.model import SiteConfig, tag_key
from . import feed as feed_import
from .article_text import Placement, render_article
from .dump import decode_dump, parse_dump
from .imported_article import ImportedArticle
from .tagging import propose_tags

# Names Windows refuses as file names (content.py refuses them as slugs too).
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}


@dataclass(frozen=True)
class ImportOptions:
    """What the user asked for on the command line."""

    dates: tuple[dt.datetime, ...] = ()  # one for every article of the run, or one per article
    tags: tuple[str, ...] = ()  # added by hand to every article
    force: bool = False  # replace files already imported, even edited ones
    dry_run: bool = False  # decide and report, write nothing
    encoding: str | None = None  # of the dumps, when not UTF-8


@dataclass(frozen=True)
class Outcome:
    """What became of one article."""

    status: str  # "created", "replaced", "unchanged" or "skipped"
    where: str  # the source and line it came from: "dump.txt:29"
    title: str
    path: Path  # the content file written, kept, or in the way
    tags: tuple[str, ...] = ()
    note: str = ""


@dataclass
class ImportReport:
    """Everything a run did and could not do; the CLI prints it."""

    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[SiteError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things to check, such as guessed dates
    failed: list[str] = field(default_factory=list)  # the sources nothing was imported from


@dataclass(frozen=True)
class Existing:
    """A content file as the importer sees it: where it is and what it holds."""

    path: Path
    slug: str  # its URL name: the 'slug:' field, else its title's, else its file name
    slugs: frozenset[str]  # every name it takes: its slug, its title's, its file name
    digest: str | None = None  # import_digest, when the importer wrote it
    entry_id: str | None = None
    date: dt.datetime | None = None
    modified: dt.datetime | None = None  # its feed entries' atom:updated: 'updated', else 'date'
    planned: str | None = None  # "dump.txt:1" when this run is about to write it


@dataclass(frozen=True)
class _Loaded:
    source: str  # as the user gave it
    articles: list[ImportedArticle]
    fallback: dt.datetime  # the date of undated articles when --date is not given
    fallback_from: str  # where that date comes from, for the note


@dataclass(frozen=True)
class _Plan:
    outcome: Outcome
    text: str | None = None  # the file's new text, when it is to be written
    guessed_date: bool = False
    date: dt.datetime | None = None  # as written, and the 'updated' written
    updated: dt.datetime | None = None


def run_import(sources: Sequence[str], site_dir: Path, content_dir: Path, config: SiteConfig,
               options: ImportOptions, fetch: Callable[[str], bytes] = feed_import.fetch) -> ImportReport:
    """Import every source into content_dir; a source that fails writes nothing."""
    report = ImportReport()
    loaded = []
    for source in sources:
        try:
            loaded.append(load_source(source, config, options, fetch))
        except SiteError as exc:
            report.errors.append(exc)
            report.failed.append(source)
    try:
        dates = _dates_for(loaded, options.dates)
    except SiteError as exc:
        report.errors.append(exc)
        report.failed += [item.source for item in loaded]
        return report
    index = scan_content([site_dir / CONTENT_DIR, content_dir])
    for item, item_dates in zip(loaded, dates):
        try:
            index = _import_one(item, item_dates, index, content_dir, config, options, report)
        except SiteError as exc:
            report.errors.append(exc)
            report.failed.append(item.source)
    return report


def load_source(source: str, config: SiteConfig, options: ImportOptions,
                fetch: Callable[[str], bytes]) -> _Loaded:
    """Read a dump or feed file, or download a feed, and parse it into articles."""
    zone = zoneinfo.ZoneInfo(config.timezone)
    if feed_import.is_url(source):
        articles = feed_import.parse_feed(source, fetch(source), base_url=source)
        return _Loaded(source, articles, dt.datetime.now(zone).replace(microsecond=0), "the time of download")
    path = Path(source)
    if not path.is_file():
        raise SiteError(f"{source}: {'is a folder' if path.is_dir() else 'no such file'}: give a dump "
                        "(.txt), an RSS or Atom file, or an http(s) URL of a feed")
    try:
        data = path.read_bytes()
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, zone).replace(microsecond=0)
    except OSError as exc:
        raise SiteError(f"{source}: cannot be read ({exc.strerror})") from exc
    if feed_import.looks_like_feed(data):
        articles = feed_import.parse_feed(source, data)
    else:
        articles = parse_dump(source, decode_dump(source, data, options.encoding))
    # `source:` in front matter is the file's name; messages keep the path as given
    return _Loaded(source, [replace(a, origin=path.name) for a in articles], mtime,
                   "the file's modification time")


def parse_date(text: str, timezone: str) -> dt.datetime:
    """Read a --date value: a date or ISO 8601 date-time; no offset means the site's zone."""
    zone = zoneinfo.ZoneInfo(timezone)
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SiteError(f"--date {text!r} is not a date (use YYYY-MM-DD, or an ISO 8601 date-time "
                        "such as 2024-07-15T09:30 or 2024-07-15T09:30:00+02:00)") from None
    value = value if value.tzinfo else value.replace(tzinfo=zone)
    return value.astimezone(zone).replace(microsecond=0)


def _dates_for(loaded: list[_Loaded], dates: tuple[dt.datetime, ...]) -> list[list[dt.datetime | None]]:
    """Return each article's date: its own (feeds), else its --date (one for all, or one each
    in order), else None (the file's time will do)."""
    undated = sum(1 for item in loaded for a in item.articles if a.date is None)
    if len(dates) > 1 and len(dates) != undated:
        raise SiteError(f"--date was given {len(dates)} times, but the run has {undated} "
                        "articles without a date: give one --date for all of them, or one per "
                        "article, in the order of the files and of the articles in them")
    given = iter(dates if len(dates) > 1 else dates * undated)
    return [[a.date or next(given, None) for a in item.articles] for item in loaded]


def _import_one(item: _Loaded, dates: list[dt.datetime | None], index: list[Existing],
                content_dir: Path, config: SiteConfig, options: ImportOptions,
                report: ImportReport) -> list[Existing]:
    """Decide, render and write the articles of one source; return the updated index."""
    plans = []
    for article, date, fallback in zip(item.articles, dates, _fallbacks(item, dates)):
        plan = _plan(article, item, date, fallback, index, content_dir, config, options)
        plans.append(plan)
        if plan.text is not None:
            index = [e for e in index if e.path != plan.outcome.path] + [_planned(plan, article)]
    if not options.dry_run:
        write_files([(p.outcome.path, p.text) for p in plans if p.text is not None])
    report.outcomes += [p.outcome for p in plans]
    guessed = [p.date for p in plans if p.guessed_date and p.date]
    if guessed:
        dated = (f"{len(guessed)} articles are dated {min(guessed).isoformat()} to "
                 f"{max(guessed).isoformat()}, a minute apart, the last at {item.fallback_from}"
                 if len(guessed) > 1 else f"1 article is dated {guessed[0].isoformat()} "
                 f"({item.fallback_from})")
        report.notes.append(
            f"{item.source}: no --date given, so {dated}: correct 'date:' in the files, or "
            "import again with --date (and --force, to replace what was imported)")
    return index


def _fallbacks(item: _Loaded, dates: list[dt.datetime | None]) -> list[dt.datetime]:
    """Return the date each article gets when it has none: the source's time for the last
    undated one, a minute earlier for each one before it, so that they keep their order and no
    article is dated after the file (a build leaves out articles dated in the future)."""
    undated = sum(1 for date in dates if date is None)
    earlier = iter(range(undated - 1, -1, -1))
    return [item.fallback - dt.timedelta(minutes=next(earlier)) if date is None else item.fallback
            for date in dates]


def distinct_time(wanted: dt.datetime, taken: set[dt.datetime]) -> dt.datetime:
    """Return `wanted`, or the first minute after it that is not `taken` (issue #12).

    Two feed entries with one atom:updated make the W3C validator warn, and readers cannot
    order them: `--date D` for a dump gives its articles D, D+1 min, D+2 min … in dump order,
    so the newest-first site lists the dump's last article first, as if published in order."""
    while wanted in taken:
        wanted += dt.timedelta(minutes=1)
    return wanted


def _plan(article: ImportedArticle, item: _Loaded, date: dt.datetime | None, fallback: dt.datetime,
          index: list[Existing], content_dir: Path, config: SiteConfig, options: ImportOptions) -> _Plan:
    """Decide what to do with one article and render its file if it is to be written."""
    zone = zoneinfo.ZoneInfo(config.timezone)
    where = f"{item.source}:{article.line}"
    same = next((e for e in index if e.digest == article.digest), None)
    if same and same.planned:
        return _Plan(Outcome("skipped", where, article.title, same.path,
                             note=f"the same text as {same.planned}"))
    if same and not options.force:
        return _Plan(Outcome("unchanged", where, article.title, same.path))
    entry = next((e for e in index if article.entry_id and e.entry_id == article.entry_id), None)
    if entry and entry.digest is None:  # written by hand: never replaced, and ids stay unique
        return _Plan(Outcome("skipped", where, article.title, entry.path,
                             note="that file has this feed entry's id and was not written by the importer"))
    if entry and not options.force:
        return _Plan(Outcome("skipped", where, article.title, entry.path,
                             note="this feed entry was imported there and its text has changed "
                                  "since: --force replaces the file"))
    target = same or entry
    guessed = date is None
    if target and guessed and target.date:
        date, guessed = target.date, False  # --force without --date keeps the file's date
    date = (date or fallback).astimezone(zone).replace(microsecond=0)
    # every entry of the site gets its own atom:updated ('updated', else 'date'): another file's,
    # or one this run has given, moves this one on by a minute
    taken = {e.modified for e in index if e.modified and (not target or e.path != target.path)}
    if article.updated:
        article = replace(article, updated=distinct_time(article.updated, taken))
    else:
        date = distinct_time(date, taken)
    if target:
        slug, note = target.slug, ""
        path, entry_id = target.path, target.entry_id or tag_uri(config.entry_id_domain, date, slug)
    else:
        base = _base_slug(article, config.slugs)
        slug = free_slug(base, index)
        note = f"{base} is another article's slug, so this one is {slug}" if slug != base else ""
        path, entry_id = content_dir / f"{slug}.md", article.entry_id or tag_uri(config.entry_id_domain, date, slug)
    tags = _tags(article, options.tags, config)
    text = render_article(article, Placement(slug, date, tags, entry_id), config)
    if target and _read(path) == text:
        return _Plan(Outcome("unchanged", where, article.title, path, tags))
    status = "replaced" if target else "created"
    return _Plan(Outcome(status, where, article.title, path, tags, note), text, guessed, date,
                 article.updated)


def _tags(article: ImportedArticle, by_hand: tuple[str, ...], config: SiteConfig) -> tuple[str, ...]:
    """Return the hand tags, then the feed's categories or the proposed tags, once each."""
    found = article.tags or tuple(propose_tags(article.title, article.caption, article.paragraphs, config))
    unique: dict[str, str] = {}
    for tag in (*by_hand, *found):
        name = " ".join(tag.split())
        if name and slug_of(name, "ascii"):
            unique.setdefault(tag_key(name), name)
    return tuple(unique.values())


def _base_slug(article: ImportedArticle, style: str) -> str:
    """Return the headline as a slug of the site's style: transliterated to ASCII ('Díaz-Canel'
    → 'diaz-canel'), or with its letters kept ('díaz-canel', 'خامنئي-يدعو-كوبا')."""
    slug = slug_of(article.title, style, SLUG_LENGTH) or "article"
    return f"{slug}-article" if slug in _RESERVED else slug


def free_slug(base: str, index: list[Existing]) -> str:
    """Return base, or base-2, base-3 … whichever no content file has taken."""
    taken = {slug for e in index for slug in e.slugs}
    number, slug = 1, base
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _planned(plan: _Plan, article: ImportedArticle) -> Existing:
    path = plan.outcome.path
    return Existing(path, path.stem, frozenset({path.stem}), article.digest, article.entry_id,
                    plan.date, plan.updated or plan.date, planned=plan.outcome.where)


def scan_content(folders: Sequence[Path]) -> list[Existing]:
    """Read the front matter of every content file under the folders (unreadable ones too)."""
    found: dict[Path, Existing] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            # a named pipe would block the read for ever; the build refuses it by name
            if not any(part.startswith(".") for part in path.relative_to(folder).parts) and path.is_file():
                found.setdefault(path.resolve(), _existing(path))
    return list(found.values())


def _existing(path: Path) -> Existing:
    """Describe a content file; one that does not parse still takes its file name's slug."""
    try:
        fields = split_front_matter(str(path), decode(str(path), path.read_bytes())).fields
    except (SiteError, OSError):
        return Existing(path, path.stem, frozenset({path.stem}))
    title, slug = fields.get("title"), fields.get("slug")
    names = [str(slug) if slug else "", slug_of(str(title), "ascii") if title else "", path.stem]
    date = _date(fields.get("date"))
    return Existing(path, next(n for n in names if n), frozenset(n for n in names if n),
                    _str(fields.get("import_digest")), _str(fields.get("id")), date,
                    _date(fields.get("updated")) or date)


def _str(value: object) -> str | None:
    return str(value) if value is not None else None


def _date(value: object) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_files(files: list[tuple[Path, str]]) -> None:
    """Write all the files of one source or none: each to a temporary file beside it, then
    rename them all into place (a rename within a folder is atomic)."""
    temps: list[tuple[str, Path]] = []
    mode = _file_mode()
    try:
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            # a leading dot: a build never reads a temporary file left by a crash
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
            temps.append((temp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            os.chmod(temp, mode)
    except OSError as exc:
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)
        raise SiteError(f"{exc.filename or path}: cannot write ({exc.strerror}); nothing was "
                        "written for this source") from exc
    for temp, path in temps:
        os.replace(temp, path)


def _file_mode() -> int:
    """Return the mode a plain new file gets (mkstemp's files are private to their owner)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
