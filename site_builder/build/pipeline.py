"""The build's stages, as one line: load → model → render → write → record.

build/run.py runs them when the stamp of the last build (incremental/uptodate.py) no longer
holds. What a rebuild takes from the last build is decided by one object,
incremental/rebuild_plan.py's RebuildPlan; docs/architecture.md draws the stages.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from ..content.collect import collect_site
from ..core.config import load_config
from ..core.errors import ConfigError, ContentError, SiteError, raise_all
from ..core.model import Article, BuildResult, LeadImage, OutputFile, Progress, Site, SiteConfig
from ..core.names import (
    CACHE_DIR,
    CONFIG_NAME,
    FAVICON,
    REDIRECTS_FILE,
    STATIC_DIR,
    TEMPLATES_DIR,
    THEME_FAVICON,
    is_hidden,
)
from ..core.walk import special_files, walk_files
from ..incremental import uptodate as stamp
from ..incremental.cache import BuildCache
from ..incremental.changes import Changes, digest_of, layout_signature, meta_signature
from ..incremental.last_build import (
    Skeleton,
    as_plain,
    fields_meta,
    from_plain,
    same_bytes,
    same_layout,
    site_from,
    skeleton_of,
    with_fields,
)
from ..incremental.output_keys import Fingerprinter, files_digest
from ..incremental.rebuild_plan import RebuildPlan, render_refused
from ..output.id_guard import (
    Published,
    id_changes,
    load_records,
    records_of,
    records_path,
    save_records,
    seen_path,
)
from ..output.records import TreeRecord, previous_dir
from ..output.write import OutputState, WriteReport, claim_output, write_output
from ..render.theme import Theme, default_theme_dir, load_theme
from .images import image_errors, read_images
from .load import SourceFile, cache_signature, discover, load_articles, parse_salt
from .redirects import Moved, load_record, placed, record_digest, redirect_files, save_record, upgrade_moves
from .search_index import with_search_index


@dataclass(frozen=True)
class _Inputs:
    """What a build reads, before it reads the articles."""

    site_dir: Path
    output_dir: Path
    config: SiteConfig
    theme: Theme
    theme_digest: str
    sources: list[SourceFile]
    copies: dict[str, Path]
    images: dict[str, LeadImage]  # the pictures of static/ (images.py)
    image_problems: dict[str, str]  # the files of static/ that are no picture, and why
    setup: str  # every input but the content files' bytes (changes.py)
    stats: dict[str, str]  # content file → its stat
    moved: dict[str, Moved]  # the record of addresses articles moved from (redirects.py)
    read: dict[str, str | None]  # every file and folder the build reads → its stat, for the stamp (uptodate.py)
    options: tuple  # the options the stamp holds for (uptodate.options_of)


@dataclass(frozen=True)
class _SiteToRender:
    """The model stage's result: the site a build renders, and how it changed since the last build."""

    site: Site
    changes: Changes | None  # None: plan everything
    meta: str
    layout: str
    due: float | None  # when the next article held back for its date is due (POSIX time)
    skeleton: Skeleton | None  # to record; None: the last build's holds
    held: tuple = ()  # (content file, POSIX time) of each article held back for its date, soonest first
    moved: dict[str, Moved] | None = None  # the record of moved addresses, when this build adds to it


@dataclass(frozen=True)
class _Written:
    """The render and write stages' result: what the writer did, the counts, and the records
    of what was published (None when ids and dates cannot have changed)."""

    report: WriteReport
    counts: dict[str, int]
    published: dict[str, Published] | None


def run(site_dir: Path, output_dir: Path, base_url: str | None, drafts: bool, allow_id_change: bool,
        progress: Progress, future: bool, until: dt.datetime | None) -> BuildResult:
    """Build, holding the site's lock: load → model → render → write → record."""
    inputs = _load_inputs(site_dir, output_dir, base_url, drafts, future)
    with BuildCache(site_dir) as cache:
        state = _claimed_output(cache, output_dir)
        rebuild = RebuildPlan.since(_last_build(cache, output_dir), inputs.setup, inputs.stats,
                                    len(state.current.files), until.timestamp() if until else None)
        # Loaded once, even when the records prove stale and the plan is made again.
        every_article = lru_cache(maxsize=1)(partial(_model_of_every_article, inputs, cache, drafts,
                                                     allow_id_change, until, progress))

        def model_render_write(plan: RebuildPlan) -> tuple[_SiteToRender, _Written]:
            to_render = _model_of_changed_articles(inputs, cache, plan) or _with_changes(every_article(), plan)
            return to_render, _render_and_write(inputs, to_render, state, plan, allow_id_change, progress)

        to_render, written = rebuild.attempt(model_render_write)
        return _record(inputs, cache, to_render, state, written)


def _load_inputs(site_dir: Path, output_dir: Path, base_url: str | None, drafts: bool, future: bool) -> _Inputs:
    """Read everything a build depends on but the articles: settings, theme, static files,
    which content files there are and their stat, the redirect record."""
    # Before anything is read: a file saved during the build leaves the stamp stale, not the site.
    read = stamp.signatures(str(site_dir), [CONFIG_NAME, TEMPLATES_DIR, STATIC_DIR, REDIRECTS_FILE,
                                            str(default_theme_dir())])
    config, theme = load_config(site_dir, base_url), load_theme(site_dir)
    sources, copies, moved = discover(site_dir, read), static_files(site_dir, theme), load_record(site_dir)
    raise_all(logo_errors(config, copies))
    theme_digest = files_digest(list(theme.dirs))
    images, image_problems = read_images(site_dir, copies)
    # A replaced picture changes the pages that show it (its derived files' names): by digest,
    # not stat, so a fresh clone's new mtimes change nothing
    pictures = tuple(f"{path}#{image.digest}" for path, image in images.items())
    setup = setup_signature(config, theme_digest, sources, copies, (drafts, future, record_digest(moved), pictures))
    stats = {s.path: s.stat for s in sources}
    read.update(stats)
    return _Inputs(site_dir, output_dir, config, theme, theme_digest, sources, copies, images, image_problems,
                   setup, stats, moved, read, stamp.options_of(base_url, drafts, future))


def _claimed_output(cache: BuildCache, output_dir: Path) -> OutputState:
    """Return the records of output/ and the spare tree; refuse, before any work, an output
    folder that is not site-builder's."""
    current = cache.tree(output_dir)
    state = OutputState(current, cache.tree(previous_dir(output_dir), like=current))
    claim_output(output_dir, state)
    return state


def _last_build(cache: BuildCache, output_dir: Path) -> dict:
    """Return what the last build recorded of itself: its summary (changes.py's signatures)
    and, from its stamp (written in the same transaction), the signatures of the files it read
    ("stats"), when its next held-back article is due, and what it made."""
    last, stamped = cache.last_build(output_dir), cache.stamp(output_dir)
    if not (last and stamped):
        return {}
    return {**last, "stats": stamped.inputs, "due": stamped.due, "counts": stamped.counts,
            "files": stamped.files, "held": stamped.held}


def _model_of_changed_articles(inputs: _Inputs, cache: BuildCache, plan: RebuildPlan) -> _SiteToRender | None:
    """Return the site of a rebuild after edits that move no article (a body, a title, a
    summary: the layout as it was, every other input too) — read from the last build's
    skeleton and the changed files, no other article loaded — or None if more changed."""
    candidates = set(plan.light_candidates())
    skeleton = from_plain(cache.skeleton(inputs.output_dir)) if candidates else None
    if skeleton is None:
        return None
    changed = [source for source in inputs.sources if source.path in candidates]
    articles, bodies = load_articles(changed, inputs.config, cache, every_file=False)
    if not same_layout(skeleton, articles):
        return None
    raise_all(_image_errors(inputs, articles))
    salt = parse_salt(inputs.config)
    cached_as = {path: cache_signature(salt, stat) for path, stat in inputs.stats.items()}
    edited = frozenset(a.source_path for a in articles) - same_bytes(skeleton, articles)
    last, now = plan.last, with_fields(skeleton, articles)
    meta = fields_meta(now)
    return _SiteToRender(site_from(skeleton, inputs.config, cache, articles, bodies, cached_as),
                         Changes(edited, bodies_only=meta == last["meta"]), meta, last["layout"], last["due"],
                         now, last["held"])


def _model_of_every_article(inputs: _Inputs, cache: BuildCache, drafts: bool, allow_id_change: bool,
                            until: dt.datetime | None,
                            progress: Progress) -> tuple[_SiteToRender, frozenset[str]]:
    """Return the site of a build that loads and collects every article (its changes not yet
    known), and the content files whose bytes are those the last build of output/ read."""
    articles, bodies = load_articles(inputs.sources, inputs.config, cache, progress=progress)
    site = collect_site(inputs.config, articles, bodies, drafts=drafts, until=until)
    raise_all(_image_errors(inputs, site.articles))
    before = from_plain(cache.skeleton(inputs.output_dir))  # the last build's, if any
    history = _addresses_before(before, inputs, site, allow_id_change)
    site, moved = placed(site, inputs.moved, history)
    to_render = _SiteToRender(site, None, meta_signature(articles), layout_signature(articles), _due(articles, until),
                              skeleton_of(site, articles), _held(articles, until, drafts), moved)
    return to_render, same_bytes(before, articles) if before else frozenset()


def _image_errors(inputs: _Inputs, articles: Sequence[Article]) -> list[SiteError]:
    """Return an error for each article whose local lead image is missing or no picture."""
    return image_errors(inputs.site_dir, articles, inputs.images, inputs.image_problems, inputs.copies)


def _with_changes(every_article: tuple[_SiteToRender, frozenset[str]], plan: RebuildPlan) -> _SiteToRender:
    """Return the site of every article with what changed since the last build, as the plan sees it."""
    to_render, same = every_article
    return replace(to_render, changes=plan.changes(to_render.meta, to_render.layout, same))


def _addresses_before(skeleton: Skeleton | None, inputs: _Inputs, site: Site, allow_id_change: bool) -> dict:
    """Return where the last build into output/ put each article (content file → (address,
    id)), from its skeleton; after a build by a version that took addresses from titles (no
    skeleton), refuse the articles it would move, unless allowed."""
    if skeleton is not None:
        return skeleton.addresses
    history = {file: (p.path, p.id) for file, p in load_records(records_path(inputs.site_dir, inputs.output_dir)).items()}
    if not allow_id_change:
        raise_all(upgrade_moves(history, site))
    return history


def _render_and_write(inputs: _Inputs, to_render: _SiteToRender, state: OutputState, plan: RebuildPlan,
                      allow_id_change: bool, progress: Progress) -> _Written:
    """Plan the outputs (each rendered on demand) and write them."""
    planner = _Planner(replace(to_render.site, images=inputs.images), inputs.theme, inputs.copies,
                       Fingerprinter(repr(inputs.config), tool_salt(inputs.config), theme=inputs.theme_digest),
                       partial(_guarded_records, to_render.site, inputs.site_dir, inputs.output_dir, allow_id_change))
    files, counts, published = (planner.everything() if to_render.changes is None
                                else planner.changed(to_render.changes, state.current, plan.last))
    with with_search_index(files, planner.site, inputs.output_dir, state.current, plan.output_as_recorded,
                           inputs.site_dir / CACHE_DIR, progress) as files:
        report = write_output(inputs.output_dir, files, inputs.copies, state, progress)
    return _Written(report, counts, published)


def _record(inputs: _Inputs, cache: BuildCache, to_render: _SiteToRender, state: OutputState,
            written: _Written) -> BuildResult:
    """Record what the build made — published ids and dates, moved addresses, both trees, the
    skeleton, the summary and the stamp (the cache's in one transaction) — and return its result."""
    output_dir, report = inputs.output_dir, written.report
    if written.published is not None:
        save_records(records_path(inputs.site_dir, output_dir), records_of(to_render.site), written.published)
    if to_render.moved is not None:
        save_record(inputs.site_dir, to_render.moved, inputs.moved)
    size = sum(record.size for record in report.state.current.files.values())
    with cache.recording():
        if report.state.previous is state.current:  # swapped, the old output/ untouched
            cache.swap_trees(output_dir, previous_dir(output_dir), report.state.current)
        elif report.state is not state:
            cache.save_tree(output_dir, report.state.current)
            cache.save_tree(previous_dir(output_dir), report.state.previous)
        if to_render.skeleton is not None:
            cache.save_skeleton(output_dir, as_plain(to_render.skeleton))
        cache.save_build(output_dir, {"setup": inputs.setup, "meta": to_render.meta, "layout": to_render.layout})
        made = stamp.Stamp(inputs.read | stamp.tool_signatures(), inputs.options, to_render.due, written.counts,
                           len(report.state.current.files), size, inputs.config.base_url, to_render.held)
        cache.save_stamp(output_dir, made)
    return BuildResult(**written.counts, written=report.written, unchanged=report.unchanged, output_dir=output_dir,
                       size=size, base_url=inputs.config.base_url, held=to_render.held)


def _guarded_records(site: Site, site_dir: Path, output_dir: Path, allow_id_change: bool) -> dict[str, Published]:
    """Return the record of what output_dir holds; raise if an article's id or date differs
    from what readers have seen (unless allowed). What was only ever built here is no one's:
    its edits never block (issue #13)."""
    if not allow_id_change:
        raise_all(id_changes(site, load_records(seen_path(site_dir))))
    return load_records(records_path(site_dir, output_dir))


@dataclass(frozen=True)
class _Planner:
    """Plans the outputs of a site: all of them, or those a change that moves no article reaches."""

    site: Site
    theme: Theme
    copies: dict[str, Path]
    fingerprint: Fingerprinter
    guard: Callable[[], dict[str, Published]]  # checks ids and dates; returns the records

    def everything(self) -> tuple[list[OutputFile], dict[str, int], dict[str, Published]]:
        """Return every output, their counts, and the published records (ids checked)."""
        published = self.guard()
        from ..render.translations import load_catalogs

        files, counts = planned_files(self.site, self.theme, self.copies, self.fingerprint)
        taken = {f.path for f in files} | self.copies.keys()
        return files + redirect_files(self.site, taken, load_catalogs(self.theme.dirs)), counts, published

    def changed(self, changes: Changes, tree: TreeRecord, last: Mapping[str, Any]) -> tuple[list[OutputFile], dict, None]:
        """Return the outputs the changes reach, planned, and all others with their recorded
        keys: linked from the last build's tree, never rendered (if one must be, the record
        was stale: StalePlan). Ids, dates and URLs are the recorded ones: no records."""
        files = planned_files(self.site, self.theme, self.copies, self.fingerprint, changes)[0]
        skip = {f.path for f in files} | self.copies.keys()
        files += [OutputFile(path, record.key, render_refused) for path, record in tree.files.items() if path not in skip]
        return files, last["counts"], None


def planned_files(site: Site, theme: Theme, copies: dict[str, Path], fingerprint: Fingerprinter,
                  changes: Changes | None = None) -> tuple[list[OutputFile], dict[str, int]]:
    """Return every page, feed and site file to write (rendered on demand), and their counts;
    with `changes`, just the pages and feeds they reach."""
    # Imported here: Jinja2, feedgen and lxml cost more to load than a rebuild with nothing
    # to do takes in all, and that rebuild never gets this far.
    from ..render.feeds import render_feeds
    from ..render.images import image_files
    from ..render.pages import render_pages

    env = theme.environment()
    pages = render_pages(site, env, fingerprint, changes)
    feeds = render_feeds(site, {path: src.stat().st_size for path, src in copies.items()}, fingerprint.without_theme(),
                         None if changes is None else changes.paths)
    counts = {"articles": len(site.articles), "tags": len(site.tags), "pages": len(pages), "feeds": len(feeds)}
    if changes is not None and changes.bodies_only:  # no lead image changed (changes.layout_of): its files are kept
        return pages + feeds, counts
    if changes is not None:  # a title or language may have changed: the news sitemap shows them
        from ..render.news_sitemap import news_sitemap_file

        return [*pages, *feeds, news_sitemap_file(site)], counts
    # Here: the sitemap's XML escaping loads urllib.request, 20 ms a light rebuild need not pay.
    from ..render.feed_stylesheet import feed_stylesheets
    from ..render.site_files import site_files

    pictures = image_files(site.images, site.articles, copies)
    stylesheet = feed_stylesheets(env, site.config, fingerprint, copies)
    return pages + feeds + pictures + stylesheet + site_files(site, [p.path for p in pages]), counts


def _due(articles: list[Article], until: dt.datetime | None) -> float | None:
    """Return when the next article held back for its future date is due (POSIX time)."""
    due = [a.date for a in articles if until is not None and a.date > until]
    return min(due).timestamp() if due else None


def _held(articles: list[Article], until: dt.datetime | None, drafts: bool) -> tuple:
    """Return (content file, POSIX time) of each article left out for its future date alone
    (a draft is left out anyway), soonest first: the summary line says them (issue #13)."""
    held = [(a.date.timestamp(), a.source_path) for a in articles
            if until is not None and a.date > until and (drafts or not a.draft)]
    return tuple((path, when) for when, path in sorted(held))


def setup_signature(config: SiteConfig, theme_digest: str, sources: list[SourceFile],
                    copies: dict[str, Path], options: tuple) -> str:
    """Return a hash of every input of a build but the content files' bytes (changes.py)."""
    # Of a static file, pages and feeds see only its path and size (an enclosure's length):
    # not where it is nor its mtime, which a fresh clone or a new install of the theme changes.
    return digest_of([tool_salt(config), repr(config), theme_digest, repr(options), *(s.path for s in sources),
                      *(f"{p}={src.stat().st_size}" for p, src in copies.items())])


def tool_salt(config: SiteConfig) -> str:
    """Return what in the tool shapes the output: its code (by digest: a wheel pinned to a new
    commit keeps its version number) and the libraries that parse and render. Every output's
    key holds it, so a cache restored after an upgrade (the Pages workflow's) keeps no page."""
    import babel
    import feedgen.version
    import jinja2
    import lxml.etree

    return "|".join([parse_salt(config), jinja2.__version__, lxml.etree.__version__, feedgen.version.version_str,
                     babel.__version__])  # Babel's CLDR data writes every date and number of the pages


def static_files(site_dir: Path, theme: Theme) -> dict[str, Path]:
    """Map output paths to the static files to copy: the theme's under static/, the site's
    own static/ folder at the root of the site (as Hugo and Zola do), later ones winning."""
    copies: dict[str, Path] = {}
    for folder in theme.static_dirs():
        copies.update(_files_under(folder, prefix=STATIC_DIR + "/"))
    if THEME_FAVICON in copies:
        # Browsers ask for /favicon.ico whatever a page links (Lighthouse counts its 404): the
        # theme's is there too, unless the site's static/ has its own.
        copies[FAVICON] = copies[THEME_FAVICON]
    own = _files_under(site_dir / STATIC_DIR, prefix="")
    site = site_dir.resolve()
    # Only a link can lead outside (links to folders are not followed), or static/ being one:
    # resolving every picture of a large site's static/ would cost a rebuild a third of a second
    linked = site not in (site_dir / STATIC_DIR).resolve().parents
    raise_all([ContentError(f"{STATIC_DIR}/{path}", f"is a link to {src.resolve()}, outside the site: "
                            "copy the file into static/ instead")
               for path, src in own.items() if (linked or src.is_symlink()) and site not in src.resolve().parents]
              + [ContentError(path, f"is not a regular file ({kind}): remove it or replace it with a file")
                 for path, kind in special_files(str(site_dir / STATIC_DIR), STATIC_DIR + "/")])
    return copies | own


def logo_errors(config: SiteConfig, copies: dict[str, Path]) -> list[ConfigError]:
    """Return an error when site.toml's `logo` names no file the site publishes."""
    logo = config.logo
    if logo is None or logo in copies:
        return []
    published = logo.removeprefix(STATIC_DIR + "/")
    if published in copies:  # the file's path in the sources, not on the site
        return [ConfigError(f"{CONFIG_NAME}: 'logo' {logo!r} is where the file is in the sources; write its "
                            f"address on the site, logo = {published!r} (static/ is published at the root)")]
    return [ConfigError(f"{CONFIG_NAME}: 'logo' {logo!r} is not a file of the site: put the logo at "
                        f"{STATIC_DIR}/{logo}, or remove the line to use the theme's icon")]


def _files_under(folder: Path, prefix: str) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    found = [(rel.split("/"), entry) for rel, entry in walk_files(str(folder)) if entry.is_file()]
    found.sort(key=lambda pair: pair[0])  # path order, folder by folder
    return {prefix + "/".join(parts): Path(entry.path) for parts, entry in found if not is_hidden(tuple(parts))}

