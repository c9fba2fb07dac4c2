"""The command line: `site-builder build` and `site-builder import`. Only this module prints and
picks exit codes."""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from . import __version__
from .build import build
from .config import load_config
from .errors import BuildErrors, SiteError
from .importer import ImportOptions, ImportReport, Outcome, parse_date, run_import

_IMPORT_EXAMPLES = """\
examples:
  site-builder import dump.txt --date 2024-07-15
  site-builder import dump.txt --date 2023-12-04 --date 2024-07-10    # one date per article
  site-builder import feed.xml https://example.org/atom.xml --tag World --dry-run

A dump is text scraped from a news site: articles separated by two blank lines, each a
headline, its image caption (once or twice), a line TT, the headline and caption again, and
the body (README, "Importing"). Each article becomes content/<slug>.md with proposed tags;
importing the same text again changes nothing, and no existing file is replaced without
--force. Exit status 1 if anything could not be imported.
"""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Turn Markdown news articles into a static site with tag pages and feeds.",
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    b = commands.add_parser(
        "build", help="build content/ + templates/ + site.toml into output/",
        description="Build the site: content/ + templates/ + site.toml → output/.",
        epilog="example: site-builder build --site mysite --base-url https://user.github.io/repo/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                   help="the site's folder (default: the current folder)")
    b.add_argument("--output", type=Path, metavar="DIR", help="where to write (default: DIR/output)")
    b.add_argument("--base-url", metavar="URL", help="the published address; overrides site.toml")
    b.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    b.add_argument("--allow-id-change", action="store_true",
                   help="publish even if an article's feed id or date changed since it was published "
                        "(readers will show it again as new)")
    b.set_defaults(run=_build)
    _add_import(commands)
    return parser


def _add_import(commands: argparse._SubParsersAction) -> None:
    i = commands.add_parser(
        "import", help="turn article dumps and RSS/Atom feeds into content/*.md",
        description="Import articles from raw text dumps and from RSS or Atom feeds (files or "
                    "http(s) URLs) into Markdown content files with front matter.",
        epilog=_IMPORT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    i.add_argument("sources", nargs="+", metavar="FILE_OR_URL", help="dumps, feed files or feed URLs")
    i.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                   help="the site's folder, for site.toml (default: the current folder)")
    i.add_argument("--content", type=Path, metavar="DIR", help="where to write (default: DIR/content)")
    i.add_argument("--date", action="append", default=[], metavar="DATE",
                   help="the date of the articles (YYYY-MM-DD or ISO 8601; the site's time zone "
                        "unless an offset is given); give it once per article to date each one "
                        "(default: the dump file's modification time)")
    i.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="add a tag to every article, besides the proposed ones (repeatable)")
    i.add_argument("--dry-run", action="store_true", help="say what would be done; write nothing")
    i.add_argument("--force", action="store_true",
                   help="replace files already imported from the same text, even edited ones")
    i.add_argument("--encoding", metavar="NAME",
                   help="the dumps' encoding when it is not UTF-8, e.g. cp1252")
    i.set_defaults(run=_import)


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        result = build(args.site, args.output, base_url=args.base_url, drafts=args.drafts,
                       allow_id_change=args.allow_id_change)
    except SiteError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"errors:\n{exc}", file=sys.stderr)
        print("Nothing was written: the previous output/ is unchanged.", file=sys.stderr)
        return 1
    took = time.perf_counter() - started
    print(f"Built {result.articles} articles, {result.tags} tags, {result.pages} pages, "
          f"{result.feeds} feeds into {result.output_dir} in {took:.2f} s "
          f"({result.written} files written, {result.unchanged} unchanged)")
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.site)
        options = ImportOptions(dates=tuple(parse_date(d, config.timezone) for d in args.date),
                                tags=tuple(args.tag), force=args.force, dry_run=args.dry_run,
                                encoding=args.encoding)
    except SiteError as exc:
        _print_errors([exc])
        return 1
    report = run_import(args.sources, args.site, args.content or args.site / "content", config, options)
    for outcome in report.outcomes:
        print(_outcome_line(outcome, args.dry_run))
    for note in report.notes:
        print(f"note: {note}")
    _print_errors(report.errors)
    if report.failed:
        print(f"Nothing was written for: {', '.join(report.failed)}", file=sys.stderr)
    print(_import_summary(report, args.dry_run))
    return 1 if report.errors else 0


def _outcome_line(outcome: Outcome, dry_run: bool) -> str:
    """Return `created   content/x.md  (dump.txt:1; tags: Iran, Cuba)`."""
    status = {"created": "would create", "replaced": "would replace"}.get(outcome.status, outcome.status) \
        if dry_run else outcome.status
    details = [outcome.where] + ([outcome.note] if outcome.note else [])
    if outcome.status in ("created", "replaced"):
        details.append(f"tags: {', '.join(outcome.tags) or 'none'}")
    return f"{status:<9} {_shown(outcome.path)}  ({'; '.join(details)})"


def _import_summary(report: ImportReport, dry_run: bool) -> str:
    counts = Counter(o.status for o in report.outcomes)
    parts = ", ".join(f"{counts[s]} {s}" for s in ("created", "replaced", "unchanged", "skipped"))
    failed = f"; {len(report.failed)} could not be imported" if report.failed else ""
    sources = len({o.where.rsplit(':', 1)[0] for o in report.outcomes}) + len(report.failed)
    head = "Dry run, nothing written: " if dry_run else "Imported "
    return f"{head}{_count(len(report.outcomes), 'article')} from {_count(sources, 'source')}: {parts}{failed}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _print_errors(errors: list[SiteError]) -> None:
    for error in errors:
        for each in error.errors if isinstance(error, BuildErrors) else [error]:
            print(f"error: {each}", file=sys.stderr)


def _shown(path: Path) -> str:
    """Return a path relative to the current folder when it is below it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()
