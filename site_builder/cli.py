"""The command line: `site-builder init | new | serve | build | check | deploy | import`.

Only this module prints and picks exit codes; each command's work is a library call
(scaffold, serve, build, check, deploy, importer) that raises SiteError for the user's
mistakes. `main()` alone turns a SiteError into `error: …` lines and exit status 1; a command
adds what the user should know besides with `add_note` (a failed build: output/ is unchanged).
The modules behind a command are imported when it runs, so `site-builder build` does not pay
for the web server or the feed importer.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .commands.console import NORMAL, QUIET, VERBOSE, configure_logging, progress_reporter
from .core.config import MARKDOWN_ENGINES
from .core.errors import BuildErrors, SiteError
from .core.names import CONFIG_NAME, CONTENT_DIR, OUTPUT_DIR

if TYPE_CHECKING:
    from .core.model import SiteConfig
    from .importer.write import ImportReport, Outcome

_EXAMPLES = """\
a writer's day:
  site-builder init mysite                     start a site in mysite/ (then: cd mysite)
  site-builder new "Raisi Visits Havana" --tag Iran --tag Cuba
                                               write an article: content/raisi-visits-havana.md
  site-builder serve --drafts                  preview it at http://127.0.0.1:8000/…, reloaded on save
  site-builder build                           build the site into output/
  site-builder check                           check output/ as a publisher would
  site-builder deploy                          publish output/ to the gh-pages branch
  site-builder import dump.txt --date 2024-07-15
                                               turn scraped articles into content/*.md

Every command takes --quiet (warnings and errors only) and --verbose (more detail), and --help.
"""

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

_INIT_EXAMPLES = """\
examples:
  site-builder init mysite
  site-builder init mysite --base-url https://user.github.io/mysite/ --title "Gulf Report"
  site-builder init . --force --templates      # in a clone that already has a README
  site-builder init mysite --markdown gfm      # bodies as GitHub renders Markdown

Writes site.toml (every key explained), content/ with an example article, .gitignore,
requirements.txt and .github/workflows/pages.yml (publishing with GitHub Actions).
--templates also copies the default theme into templates/ for editing. A folder that is not
empty is refused unless --force, and even then no existing file is overwritten.
"""

_NEW_EXAMPLES = """\
examples:
  site-builder new "Raisi Visits Havana"
  site-builder new "Raisi Visits Havana" --tag Iran --tag Cuba --site mysite
  $EDITOR "$(site-builder new 'Grossi Meets Pezeshkian' --quiet)"

Writes content/<slug>.md with title, date (now, in the site's time zone), tags, draft: true
and the article's permanent feed id, and prints its path. An existing file is never
overwritten: when the name is taken the new file gets <slug>-2.md (-3, …).
"""

_SERVE_EXAMPLES = """\
examples:
  site-builder serve
  site-builder serve --drafts --future --open   # see what is not published yet
  site-builder serve --port 0                  # any free port; the address is printed

Builds the site for http://127.0.0.1:PORT/ plus the base URL's path (/repo/ for a project
site, as GitHub Pages serves it) into .site-builder-cache/serve/ — output/ is left as it
is — and serves it. Saving a file in content/, templates/ or static/, or site.toml,
rebuilds and reloads the open pages. A build error is shown here and in the browser while
the last good build is still served. Stop with Ctrl+C.
"""

_PIN_EXAMPLES = """\
examples:
  pip install --upgrade "site-builder @ git+https://github.com/OWNER/site-builder@v0.2.0"
  site-builder pin && git add requirements.txt .site-builder && git commit -m "site-builder 0.2.0"

Run it after upgrading site-builder (init does it for a new site). Installed from an index:
site-builder==VERSION; from a git URL: that commit; from a folder, or editable: a wheel of it,
kept in the site's .site-builder/wheels/ (commit it: the workflow installs it from there).
"""

_BUILD_EXAMPLES = """\
examples:
  site-builder build
  site-builder build --site mysite --base-url https://user.github.io/repo/
  site-builder build --drafts --output /tmp/preview
"""

_CHECK_EXAMPLES = """\
examples:
  site-builder check
  site-builder build && site-builder check --site mysite
  site-builder check --live                    # and compare with what readers have (before publishing)

Checks the built site in output/ as it would be published at base_url: every link and image
of every page resolves (under the base URL's path), every feed parses and follows the feed
rules (absolute URLs in content, a self link, unique ids …), the sitemap lists every
article, and every page is reachable from the home page. Prints each problem with the file
it is in; exit status 1 if there is any.

--live also reads the feeds published at base_url now (and their archives): an article
readers have whose feed id would change or disappear, or whose date would move, is an error
naming its file and the fix. A site that cannot be reached, or has no feeds yet, is a note.
"""

_DEPLOY_EXAMPLES = """\
examples:
  site-builder deploy
  site-builder deploy --no-push                # commit to the local gh-pages branch only
  site-builder deploy --remote upstream --branch main --message "Evening edition"

Builds the site (unless --no-build), compares its feeds with the live ones at base_url (as
check --live does: an id or date readers have that would change stops it), commits output/
as the whole tree of the gh-pages branch with ghp-import, and pushes it. In the repository's
Settings → Pages, publish from that branch. (A site built by the GitHub Actions workflow
that init writes needs no deploy.)
"""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    args.verbosity = QUIET if args.quiet else VERBOSE if args.verbose else NORMAL
    configure_logging(args.verbosity)
    try:
        return args.run(args)
    except SiteError as exc:  # the one place a user's mistake becomes a message and a status
        _print_errors([exc])
        for note in getattr(exc, "__notes__", ()):  # what the command adds, such as what was kept
            print(note, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    """Return the parser of the command line: each command with its options and examples."""
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Turn Markdown news articles into a static site with tag pages and feeds.",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    loudness.add_argument("-v", "--verbose", action="store_true",
                          help="print more: every progress step, requests, git commands")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for name, summary, description, epilog, run, add_options in _commands():
        sub = commands.add_parser(name, help=summary, description=description, epilog=epilog,
                                  parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(run=run)
        add_options(sub)
    return parser


def _commands() -> tuple[tuple[str, str, str, str, Callable[[argparse.Namespace], int],
                               Callable[[argparse.ArgumentParser], None]], ...]:
    """Return each command, in the order --help lists them: its name, its line in --help, its
    description, its examples, what runs it, and what adds its options."""
    return (
        ("init", "start a new site in a folder", "Create a new site, ready to build and publish.",
         _INIT_EXAMPLES, _init, _init_options),
        ("new", "write a new article (a draft)", "Create content/<slug>.md for a new article.",
         _NEW_EXAMPLES, _new, _new_options),
        ("serve", "preview the site, rebuilt and reloaded on every save",
         "Build and serve the site on 127.0.0.1, rebuild on change, reload the browser.",
         _SERVE_EXAMPLES, _serve, _serve_options),
        ("build", "build content/ + templates/ + site.toml into output/",
         "Build the site: content/ + templates/ + site.toml → output/.", _BUILD_EXAMPLES, _build, _build_options),
        ("check", "check the built site before publishing",
         "Check output/ as a publisher would: links, images, feeds, sitemap, orphaned pages.",
         _CHECK_EXAMPLES, _check, _check_options),
        ("deploy", "publish output/ to a gh-pages branch (ghp-import)",
         "Build the site and publish output/ to a branch that GitHub Pages serves.",
         _DEPLOY_EXAMPLES, _deploy, _deploy_options),
        ("pin", "make the site's workflow install this site-builder (after an upgrade)",
         ("Write requirements.txt (and, when needed, a wheel in .site-builder/wheels/) so that "
          "the GitHub Actions workflow installs exactly the site-builder running this command."),
         _PIN_EXAMPLES, _pin, _site_option),
        ("import", "turn article dumps and RSS/Atom feeds into content/*.md",
         ("Import articles from raw text dumps and from RSS or Atom feeds (files or "
          "http(s) URLs) into Markdown content files with front matter."), _IMPORT_EXAMPLES, _import,
         _import_options),
    )


# --- each command's options -------------------------------------------------------------------

def _init_options(i: argparse.ArgumentParser) -> None:
    i.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder (created if missing)")
    i.add_argument("--title", default="News", help='the site\'s name (default: "News")')
    i.add_argument("--base-url", metavar="URL",
                   help="where it will be published, e.g. https://user.github.io/repo/ "
                        "(default: https://example.org/, to change in site.toml)")
    i.add_argument("--markdown", choices=MARKDOWN_ENGINES, default=MARKDOWN_ENGINES[0],
                   help='what renders bodies: python-markdown (the default), or gfm: GitHub-flavoured '
                        'Markdown (cmark-gfm) as GitHub shows it; site.toml\'s markdown = "gfm"')
    i.add_argument("--templates", action="store_true",
                   help="also copy the default theme into DIR/templates/ to edit it")
    i.add_argument("--force", action="store_true",
                   help="add the site to a folder that is not empty (existing files are kept)")


def _new_options(n: argparse.ArgumentParser) -> None:
    n.add_argument("title", metavar="TITLE", help="the headline")
    n.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable)")
    n.add_argument("--slug", help="the URL name (default: the headline, transliterated to ASCII)")
    _site_option(n)


def _serve_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0: any free port)")
    s.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    s.add_argument("--future", action="store_true", help="include articles dated in the future")
    s.add_argument("--open", action="store_true", help="open the site in the web browser")
    _site_option(s)


def _build_options(b: argparse.ArgumentParser) -> None:
    _site_option(b)
    b.add_argument("--output", type=Path, metavar="DIR", help="where to write (default: DIR/output)")
    b.add_argument("--base-url", metavar="URL", help="the published address; overrides site.toml")
    b.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    b.add_argument("--future", action="store_true", help="include articles dated in the future")
    _allow_option(b)


def _check_options(c: argparse.ArgumentParser) -> None:
    _site_option(c)
    c.add_argument("--output", type=Path, metavar="DIR", help="the built site (default: DIR/output)")
    c.add_argument("--base-url", metavar="URL",
                   help="the address it was built for, when not site.toml's (as given to build)")
    c.add_argument("--live", action="store_true",
                   help="also compare its feeds with those published at the base URL: an id or date "
                        "readers have that would change is an error")
    _allow_option(c)


def _deploy_options(d: argparse.ArgumentParser) -> None:
    _site_option(d)
    d.add_argument("--output", type=Path, metavar="DIR", help="the built site (default: DIR/output)")
    d.add_argument("--remote", default="origin", help="the git remote to push to (default: origin)")
    d.add_argument("--branch", default="gh-pages", help="the branch to publish (default: gh-pages)")
    d.add_argument("--message", "-m", help="the commit message (default: names the source commit)")
    d.add_argument("--no-push", action="store_true", help="commit to the local branch, do not push")
    d.add_argument("--no-build", action="store_true", help="publish output/ as it is, without building")
    _allow_option(d)


ALLOW_ID_CHANGE_ENV = "SITE_BUILDER_ALLOW_ID_CHANGE"


def _allow_option(parser: argparse.ArgumentParser) -> None:
    # The environment variable is the Pages workflow's switch (a workflow_dispatch input): one
    # setting reaches its build and its check, which a cached record of what readers have seen
    # may both stop.
    parser.add_argument("--allow-id-change", action="store_true",
                        default=os.environ.get(ALLOW_ID_CHANGE_ENV, "").lower() in ("1", "true", "yes"),
                        help="publish even if an article's feed id or date changed since readers saw it "
                             f"(they will show it again as new); also {ALLOW_ID_CHANGE_ENV}=true")


def _site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                        help="the site's folder (default: the current folder)")


def _import_options(i: argparse.ArgumentParser) -> None:
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


# --- the commands ---------------------------------------------------------------------------

def _say(args: argparse.Namespace, line: str) -> None:
    """Print a line of a command's report, unless --quiet."""
    if args.verbosity > QUIET:
        print(line, flush=True)


def _init(args: argparse.Namespace) -> int:
    from .commands.scaffold import init_site

    report = init_site(args.dir, title=args.title, base_url=args.base_url,
                       templates=args.templates, force=args.force, markdown=args.markdown)
    for path in report.created:
        _say(args, f"created   {_shown(path)}")
    for path in report.kept:
        _say(args, f"kept      {_shown(path)}  (it exists; not overwritten)")
    here = "" if args.dir.resolve() == Path.cwd() else f"cd {_shown(args.dir)} && "
    _say(args, f"\nA new site in {_shown(args.dir)}. Next: {here}site-builder serve --drafts")
    if args.base_url is None and args.dir / CONFIG_NAME in report.created:
        _say(args, "Set base_url and id_domain in site.toml to where it will be published before "
                   "you publish it (README, \"Daily workflow\").")
    return 0


def _pin(args: argparse.Namespace) -> int:
    from .commands.pinning import REQUIREMENTS, pin_site

    pin = pin_site(args.site)
    _say(args, f"{_shown(args.site / REQUIREMENTS)}: {pin.line}  (site-builder {__version__}, from {pin.source})")
    if pin.wheel is not None:
        _say(args, f"Commit {_shown(pin.wheel)} with it: the workflow installs it from there.")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .commands.scaffold import new_article

    path = new_article(args.site, args.title, tags=args.tag, slug=args.slug)
    print(_shown(path), flush=True)  # the one thing a script wants, even with --quiet
    if args.verbosity > QUIET:
        print("It is a draft: `site-builder serve --drafts` shows it; delete the line "
              "'draft: true' to publish it.", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .commands.serve import DevServer

    progress = progress_reporter(args.verbosity)
    server = DevServer(args.site, port=args.port, drafts=args.drafts, future=args.future, progress=progress)
    try:
        url = server.start()
    finally:
        progress.close()
    print(f"Serving {url} (Ctrl+C to stop)", flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(url)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build.run import build

    started = time.perf_counter()
    progress = progress_reporter(args.verbosity)
    try:
        result = build(args.site, args.output, base_url=args.base_url, drafts=args.drafts,
                       allow_id_change=args.allow_id_change, progress=progress, future=args.future)
    except SiteError as exc:
        exc.add_note("Nothing was written: the previous output/ is unchanged.")
        raise
    finally:
        progress.close()
    took = time.perf_counter() - started
    _say(args, f"Built {result.articles} articles, {result.tags} tags, {result.pages} pages, "
               f"{result.feeds} feeds into {result.output_dir} in {took:.2f} s "
               f"({result.written} files written, {result.unchanged} unchanged; {result.size / 1e6:.1f} MB)"
               + _held_back(result.held))
    if args.verbosity >= VERBOSE:
        for path, when in result.held:
            print(f"held back until its time: {path} ({_utc(when)})", flush=True)
    return 0


def _held_back(held: tuple) -> str:
    """Return the summary line's note of the articles left out for their future dates."""
    if not held:
        return ""
    many = f"{len(held)} articles held back until their time" if len(held) > 1 else \
        "1 article held back until its time"
    return f"; {many}, the next on {_utc(held[0][1])}"


def _utc(when: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _check(args: argparse.Namespace) -> int:
    from .commands.check import check_site
    from .core.config import load_config

    output = args.output or args.site / OUTPUT_DIR
    progress = progress_reporter(args.verbosity)
    try:
        config = load_config(args.site, args.base_url)
        report = check_site(output, config, site_dir=args.site, progress=progress)
    finally:
        progress.close()
    for problem in report.problems:
        print(f"{_shown(output)}/{problem}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    summary = (f"Checked {_count(report.pages, 'page')}, {_count(report.feeds, 'feed')} and the "
               f"sitemap of {_shown(output)} for {config.base_url}: ")
    live = _live_guard(args, output, config) if args.live else True
    if report.problems:
        print(summary + _count(len(report.problems), "problem"), file=sys.stderr)
        return 1
    _say(args, summary + "no problems")
    return 0 if live else 1


def _live_guard(args: argparse.Namespace, output: Path, config: SiteConfig) -> bool:
    """Compare output's feeds with the live site's; print what it found; return whether
    publishing may go on (a SiteError when output/ has no feeds to compare)."""
    from .commands.live_guard import guard_live

    report = guard_live(args.site, output, config)
    for note in report.notes:
        _say(args, f"note: {note}")
    if not report.seen:
        return True
    allowed = args.allow_id_change
    for change in report.changes:
        print(f"{'warning' if allowed else 'error'}: {change}", file=sys.stderr)
    entries = f"{report.compared:,} {'entry' if report.compared == 1 else 'entries'}"
    line = f"Compared {entries} readers have at {config.base_url}: {len(report.changes):,} would change"
    if report.changes and not allowed:
        print(line + ". Nothing should be published until they are fixed.", file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":  # the workflow init writes has the switch
            print("To publish them anyway: Actions → Publish site → Run workflow, with allow-id-change ticked.",
                  file=sys.stderr)
        return False
    _say(args, line + (" (allowed: --allow-id-change)" if report.changes else ""))
    return True


def _deploy(args: argparse.Namespace) -> int:
    from .commands.deploy import DeployOptions, deploy

    output = args.output or args.site / OUTPUT_DIR
    build_args = argparse.Namespace(**{**vars(args), "output": output, "base_url": None, "drafts": False,
                                       "future": False})
    if not args.no_build:
        _build(build_args)
    from .commands.live_guard import remember_deployed
    from .core.config import load_config

    config = load_config(args.site)
    if not _live_guard(args, output, config):
        return 1
    options = DeployOptions(remote=args.remote, branch=args.branch, message=args.message,
                            push=not args.no_push)
    result = deploy(args.site, output, options)
    if options.push:
        remember_deployed(args.site, output)
    where = f"and pushed it to {args.remote}" if options.push else "(not pushed: --no-push)"
    _say(args, f"Committed {_count(result.files, 'file')} of {_shown(output)} to branch "
               f"{args.branch} as {result.commit[:12]} {where}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from .core.config import load_config
    from .importer.write import ImportOptions, parse_date, run_import

    config = load_config(args.site)
    options = ImportOptions(dates=tuple(parse_date(d, config.timezone) for d in args.date),
                            tags=tuple(args.tag), force=args.force, dry_run=args.dry_run,
                            encoding=args.encoding)
    progress = progress_reporter(args.verbosity)
    progress("importing", 0, len(args.sources))
    report = run_import(args.sources, args.site, args.content or args.site / CONTENT_DIR, config, options)
    progress("importing", len(args.sources), len(args.sources))
    progress.close()
    for outcome in report.outcomes:
        _say(args, _outcome_line(outcome, args.dry_run))
    for note in report.notes:
        _say(args, f"note: {note}")
    _print_errors(report.errors)
    if report.failed:
        print(f"Nothing was written for: {', '.join(report.failed)}", file=sys.stderr)
    _say(args, _import_summary(report, args.dry_run))
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
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _print_errors(errors: list[SiteError]) -> None:
    for error in errors:
        for each in error.errors if isinstance(error, BuildErrors) else [error]:
            print(f"error: {each}", file=sys.stderr)


def _shown(path: Path) -> str:
    """Return a path relative to the current folder when it is below it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()
