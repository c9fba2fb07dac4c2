"""The command line: `site-builder build`. Only this module prints and picks exit codes."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .build import build
from .errors import SiteError


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
    b.set_defaults(run=_build)
    return parser


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        result = build(args.site, args.output, base_url=args.base_url, drafts=args.drafts)
    except SiteError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"errors:\n{exc}", file=sys.stderr)
        print("Nothing was written: the previous output/ is unchanged.", file=sys.stderr)
        return 1
    took = time.perf_counter() - started
    print(f"Built {result.articles} articles, {result.tags} tags, {result.pages} pages, "
          f"{result.feeds} feeds into {result.output_dir} in {took:.2f} s "
          f"({result.written} files written, {result.unchanged} unchanged)")
    return 0
