"""The build, as one line of stages: config → content → site → pages + feeds → output/."""
from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .cache import CACHE_DIR, BuildCache, TreeRecord
from .changes import Changes, digest_of, layout_signature, light_changes, meta_signature
from .collect import collect_site
from .config import load_config
from .errors import ConfigError, ContentError, raise_all
from .fingerprint import Fingerprinter, files_digest
from .idguard import Published, id_changes, load_records, records_of, records_path, save_records
from .lock import site_lock
from .model import Article, OutputFile, Progress, Site, SiteConfig, no_progress
from .output import OutputState, check_output_dir, copy_key, is_intact, previous_dir, write_output
from .sources import CONTENT_DIR, SourceFile, discover, load_articles, parse_salt
from .theme import STATIC_DIR, TEMPLATES_DIR, Theme, load_theme

OUTPUT_DIR = "output"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the summary line."""

    articles: int
    tags: int
    pages: int
    feeds: int
    written: int
    unchanged: int
    output_dir: Path


def build(site_dir: Path, output_dir: Path | None = None, base_url: str | None = None,
          drafts: bool = False, allow_id_change: bool = False, progress: Progress = no_progress,
          future: bool = False, now: dt.datetime | None = None) -> BuildResult:
    """Build the site in site_dir into output_dir (default site_dir/output). Articles dated
    after `now` (default: the clock) are left out unless `future`, as drafts are unless
    `drafts`."""
    if not site_dir.is_dir():
        raise ConfigError(f"{site_dir}: no such folder (give the site's folder with --site)")
    output_dir = output_dir or site_dir / OUTPUT_DIR
    check_output_dir(output_dir, site_dir, [site_dir / d for d in (CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR)])
    until = None if future else (now or dt.datetime.now(dt.timezone.utc))
    with site_lock(site_dir / CACHE_DIR), _fewer_collections():
        return _build(site_dir, output_dir, base_url, drafts, allow_id_change, progress, future, until)


@contextmanager
def _fewer_collections():
    """Let the garbage collector run less often during a build. A build holds ~100,000
    long-lived objects (the articles of a large site): with the default thresholds Python
    traverses them all again and again, a third of a rebuild's time; the build makes few
    reference cycles, so collecting them later costs little memory."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _build(site_dir: Path, output_dir: Path, base_url: str | None, drafts: bool, allow_id_change: bool,
           progress: Progress, future: bool, until: dt.datetime | None) -> BuildResult:
    """Build, holding the site's lock: the stages, or nothing when nothing changed."""
    config = load_config(site_dir, base_url)
    theme = load_theme(site_dir)
    sources, copies = discover(site_dir), static_files(site_dir, theme)
    theme_digest = files_digest(list(theme.dirs))
    frame = frame_signature(config, theme_digest, sources, copies, (drafts, future))
    stats = {s.path: s.stat for s in sources}
    signature = digest_of([frame, *(f"{path}={stat}" for path, stat in stats.items())])
    with BuildCache(site_dir) as cache:
        last, current = cache.last_build(output_dir), cache.tree(output_dir)
        still_current = bool(last) and _still_current(last, until)
        if still_current and last["signature"] == signature and is_intact(output_dir, current):
            return BuildResult(**last["counts"], written=0, unchanged=len(current.files), output_dir=output_dir)
        state = OutputState(current, cache.tree(previous_dir(output_dir)))
        articles, bodies = load_articles(sources, config, cache, progress=progress)
        site = collect_site(config, articles, bodies, drafts=drafts, until=until)
        meta, layout = meta_signature(articles), layout_signature(articles)
        kept = still_current and len(current.files) == last.get("files")  # the tree is that build's
        changes = light_changes(last, frame, meta, layout, stats, kept)
        plan = _Planner(site, theme, copies, Fingerprinter(repr(config), theme_digest),
                        partial(_guarded_records, site, site_dir, output_dir, allow_id_change))
        files, counts, published = plan.everything() if changes is None else plan.changed(changes, current, last)
        try:
            report = write_output(output_dir, files, copies, state, progress)
        except _StalePlan:  # output/ is not as recorded: plan everything after all
            files, counts, published = plan.everything()
            report = write_output(output_dir, files, copies, state, progress)
        if report.state is not state:
            cache.save_tree(output_dir, report.state.current)
            cache.save_tree(previous_dir(output_dir), report.state.previous)
        if published is not None:
            save_records(records_path(site_dir, output_dir), records_of(site), published)
        cache.save_build(output_dir, {"signature": signature, "frame": frame, "meta": meta, "layout": layout,
                                      "stats": stats,
                                      "counts": counts, "files": len(report.state.current.files),
                                      "next_publication": _next_publication(articles, until)})
    return BuildResult(**counts, written=report.written, unchanged=report.unchanged, output_dir=output_dir)


def _guarded_records(site: Site, site_dir: Path, output_dir: Path, allow_id_change: bool) -> dict[str, Published]:
    """Return the record of what output_dir published; raise if an article's id or date would
    change (unless allowed)."""
    published = load_records(records_path(site_dir, output_dir))
    if not allow_id_change:
        raise_all(id_changes(site, output_dir, published))
    return published


@dataclass(frozen=True)
class _Planner:
    """Plans the outputs of a site: all of them, or what a body-only change can reach."""

    site: Site
    theme: Theme
    copies: dict[str, Path]
    fingerprint: Fingerprinter
    guard: Callable[[], dict[str, Published]]  # checks ids and dates; returns the records

    def everything(self) -> tuple[list[OutputFile], dict[str, int], dict[str, Published]]:
        """Return every output, their counts, and the published records (ids checked)."""
        published = self.guard()
        return *planned_files(self.site, self.theme, self.copies, self.fingerprint), published

    def changed(self, changes: Changes, tree: TreeRecord, last: dict) -> tuple[list[OutputFile], dict, None]:
        """Return the outputs the changes reach, planned, and all others with their recorded
        keys: linked from the last build's tree, never rendered (if one must be, the record
        was stale: _StalePlan). Ids, dates and URLs are the recorded ones: no records."""
        files = planned_files(self.site, self.theme, self.copies, self.fingerprint, changes)[0]
        skip = {f.path for f in files} | self.copies.keys()
        files += [OutputFile(path, record.key, partial(_stale, path))
                  for path, record in tree.files.items() if path not in skip]
        return files, last["counts"], None


class _StalePlan(Exception):
    """An output kept by its record must be rendered: the record did not match the disk."""


def _stale(path: str) -> bytes:
    raise _StalePlan(path)


def planned_files(site: Site, theme: Theme, copies: dict[str, Path], fingerprint: Fingerprinter,
                  changes: Changes | None = None) -> tuple[list[OutputFile], dict[str, int]]:
    """Return every page, feed and site file to write (rendered on demand), and their counts;
    with `changes`, just the pages and feeds they reach."""
    # Imported here: Jinja2, feedgen and lxml cost more to load than a rebuild with nothing
    # to do takes in all, and that rebuild never gets this far.
    from .feeds import render_feeds
    from .render import render_pages
    from .site_files import site_files

    pages = render_pages(site, theme.environment(), fingerprint, changes)
    feeds = render_feeds(site, {path: src.stat().st_size for path, src in copies.items()}, fingerprint,
                         None if changes is None else changes.paths)
    counts = {"articles": len(site.articles), "tags": len(site.tags), "pages": len(pages), "feeds": len(feeds)}
    return pages + feeds + ([] if changes is not None else site_files(site, [p.path for p in pages])), counts


def _next_publication(articles: list[Article], until: dt.datetime | None) -> str | None:
    """Return when the next article held back for its future date is due."""
    due = [a.date for a in articles if until is not None and a.date > until]
    return min(due).isoformat() if due else None


def _still_current(last: dict, until: dt.datetime | None) -> bool:
    """True unless an article the last build held back for its date is now due."""
    due = last.get("next_publication")
    return due is None or until is None or until < dt.datetime.fromisoformat(due)


def frame_signature(config: SiteConfig, theme_digest: str, sources: list[SourceFile],
                    copies: dict[str, Path], options: tuple) -> str:
    """Return a hash of every input of a build but the content files' bytes (changes.py)."""
    return digest_of([parse_salt(config), repr(config), theme_digest, repr(options), *(s.path for s in sources),
                      *(f"{p}={copy_key(src)}" for p, src in copies.items())])


def static_files(site_dir: Path, theme: Theme) -> dict[str, Path]:
    """Map output paths to the static files to copy: the theme's under static/, the site's
    own static/ folder at the root of the site (as Hugo and Zola do), later ones winning."""
    copies: dict[str, Path] = {}
    for folder in theme.static_dirs():
        copies.update(_files_under(folder, prefix=STATIC_DIR + "/"))
    own = _files_under(site_dir / STATIC_DIR, prefix="")
    site = site_dir.resolve()
    raise_all([ContentError(f"{STATIC_DIR}/{path}", f"is a link to {src.resolve()}, outside the site: "
                            "copy the file into static/ instead")
               for path, src in own.items() if site not in src.resolve().parents])
    return copies | own


def _files_under(folder: Path, prefix: str) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {
        prefix + f.relative_to(folder).as_posix(): f
        for f in sorted(folder.rglob("*"))
        if f.is_file() and not any(p.startswith(".") for p in f.relative_to(folder).parts)
    }
