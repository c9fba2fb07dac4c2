#!/usr/bin/env python3
"""Check every RSS and Atom feed of a built site with the W3C Feed Validation Service's rules.

    python scripts/validate_feeds.py OUTPUT_DIR --base-url URL --validator FEEDVALIDATOR/src

The validator is w3c/feedvalidator (Python 3; not on PyPI): clone it anywhere and point
--validator at its src/ folder. It needs lxml, html5lib and rdflib. Prints every error and
warning with its feed and line; exits 1 if there is any.
"""
import argparse
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--validator", type=Path, required=True, help="the src/ folder of w3c/feedvalidator")
    args = parser.parse_args()
    sys.path.insert(0, str(args.validator))
    import feedvalidator
    from feedvalidator import logging as events

    errors = warnings = feeds = 0
    for path in sorted(args.output.rglob("*.xml")):
        if path.name in ("sitemap.xml", "news-sitemap.xml"):
            continue
        feeds += 1
        url = args.base_url + path.relative_to(args.output).as_posix()
        try:
            logged = feedvalidator.validateString(path.read_bytes(), firstOccurrenceOnly=0, base=url)["loggedEvents"]
        except feedvalidator.logging.ValidationFailure as failure:
            logged = [failure.event]
        for event in logged:
            if isinstance(event, (events.Error, events.Warning)):
                kind = "error" if isinstance(event, events.Error) else "warning"
                errors += kind == "error"
                warnings += kind == "warning"
                print(f"{path.relative_to(args.output)}:{event.params.get('line', '?')}: {kind}: "
                      f"{type(event).__name__} {event.params}")
    print(f"{feeds} feeds: {errors} errors, {warnings} warnings")
    return 1 if errors or warnings else 0


if __name__ == "__main__":
    sys.exit(main())
