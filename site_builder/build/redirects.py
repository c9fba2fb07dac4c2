"""Addresses that never break: a redirect page wherever an article used to be.

An article's address comes from its file name or its `slug:` (content.py), so editing a
headline moves nothing. When the address does change — a renamed file, a new `slug:` — the
links, shares and search results that readers hold still point at the old one. Each build
compares where the last build put every article (the skeleton's addresses) with where it puts
them now, and adds every address that moved to a record kept in the site's repository,
`.site-builder/redirects.json`, since the workflow's fresh clone has no cache; `aliases:` in
front matter adds addresses by hand (an old site's paths after an import). At each recorded
address the build writes a small page that sends readers (meta refresh), search engines
(rel=canonical) and everyone else (a plain link) on to the article; the sitemap leaves them
out, and `check` follows them.

    moves(history, site) → record → redirects_of(site, record) → redirect_files(site, taken, catalogs)
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup

from ..core.errors import ContentError, SiteError, raise_all
from ..core.links import iri_to_uri, root_of
from ..core.model import Article, OutputFile, Redirect, Site, direction_of
from ..core.names import CACHE_DIR, REDIRECTS_FILE
from ..incremental.output_keys import whole_file
from ..output.write import write_json

if TYPE_CHECKING:  # loaded with the theme, by the build that writes redirect pages
    from ..render.translations import Catalogs

CACHED_RECORD = CACHE_DIR + "/redirects.json"
log = logging.getLogger(__name__)


class Moved(NamedTuple):
    """The article an old address belongs to: found by its id, else by its content file."""

    file: str
    id: str


class Placed(NamedTuple):
    """A site with its redirects, and the record of moved addresses to keep (None: unchanged)."""

    site: Site
    record: dict[str, Moved] | None


def load_record(site_dir: Path) -> dict[str, Moved]:
    """Read .site-builder/redirects.json (old address → the article that was there) and the
    cache's copy: a move the workflow found (its cache restored) is kept by the next run's
    even though the workflow cannot commit it. The committed file wins."""
    try:
        cached = _read_record(site_dir / CACHED_RECORD)
    except SiteError:
        cached = {}  # the cache's copy is ours to lose: the committed file is the record
    return cached | _read_record(site_dir / REDIRECTS_FILE)


def _read_record(path: Path) -> dict[str, Moved]:
    """Read a record; empty when there is none. A damaged record stops the build: its
    addresses would break."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"{REDIRECTS_FILE}: cannot be read ({exc}): restore it from git") from exc
    try:
        raw = json.loads(text)
        return {address: Moved(str(entry["file"]), str(entry["id"])) for address, entry in raw.items()}
    except json.JSONDecodeError as exc:
        raise ContentError(REDIRECTS_FILE, f"not valid JSON ({exc.msg}): restore it from git, or fix the "
                           "line (each entry is \"old/address/\": {\"file\": …, \"id\": …})", line=exc.lineno) from exc
    except (AttributeError, KeyError, TypeError) as exc:
        raise ContentError(REDIRECTS_FILE, "each entry must be \"old/address/\": {\"file\": \"content/….md\", "
                           "\"id\": \"…\"}: restore it from git") from exc


def save_record(site_dir: Path, record: dict[str, Moved], before: Mapping[str, Moved]) -> None:
    """Write the record and the cache's copy, each whole, sorted, one address per entry (a
    reviewable diff), atomically; say what was added and that it is to be committed."""
    data = {address: moved._asdict() for address, moved in record.items()}
    for path in (site_dir / REDIRECTS_FILE, site_dir / CACHED_RECORD):
        write_json(path, data)
    for address in sorted(record.keys() - before.keys()):
        log.warning("%s moved: %s redirects to it now, recorded in %s (commit it, so that the published "
                    "site keeps the redirect)", record[address].file, address, REDIRECTS_FILE)


def record_digest(record: Mapping[str, Moved]) -> str:
    """Return what identifies the record: a build whose record changed plans every output."""
    return hashlib.blake2b(repr(sorted(record.items())).encode(), digest_size=16).hexdigest()


def placed(site: Site, record: dict[str, Moved], history: Mapping[str, tuple[str, str]]) -> Placed:
    """Return the site with a redirect at every old address of its articles: those the record
    holds, those that moved since the build `history` is of, and their aliases."""
    moved = moves(history, site)
    kept = {address: m for address, m in moved.items() if record.get(address) != m}
    updated = {**record, **kept} if kept else record
    return Placed(replace(site, redirects=redirects_of(site, updated)), updated if kept else None)


def moves(history: Mapping[str, tuple[str, str]], site: Site) -> dict[str, Moved]:
    """Return each address the last build put an article at that this build puts it
    elsewhere: the article found by its id (a renamed file that kept its `id:`), else by its
    file (a new `slug:`)."""
    article_of = _article_finder(site)
    found: dict[str, Moved] = {}
    for file, (address, entry_id) in history.items():
        article = article_of(Moved(file, entry_id))
        if article is not None and article.path != address:
            found[address] = Moved(article.source_path, article.id)
    return found


def redirects_of(site: Site, record: Mapping[str, Moved]) -> tuple[Redirect, ...]:
    """Return the redirects of the recorded addresses whose article is still published, and
    of every article's aliases; an address an article has now is no redirect."""
    article_of = _article_finder(site)
    current = {a.path for a in site.articles}
    found: dict[str, Redirect] = {}
    for address, moved in sorted(record.items()):
        article = article_of(moved)
        if article is not None and address not in current:
            found[address] = Redirect(page_file(address), article.path)
    for article in site.articles:
        for alias in article.aliases:
            found[alias] = Redirect(page_file(alias), article.path, article.source_path)
    return tuple(found.values())


def _article_finder(site: Site) -> Callable[[Moved], Article | None]:
    """Return a lookup of the article an old address belongs to: by its id (a renamed file
    that kept its `id:`), else by its content file (a new `slug:`)."""
    by_id = {a.id: a for a in site.articles}
    by_file = {a.source_path: a for a in site.articles}
    return lambda moved: by_id.get(moved.id) or by_file.get(moved.file)


def page_file(address: str) -> str:
    """Return the file a static host serves at an address: a folder's index.html."""
    return address + "index.html" if address.endswith("/") else address


def redirect_files(site: Site, taken: set[str], catalogs: Catalogs) -> list[OutputFile]:
    """Return a page for each of the site's redirects, in the site's language; a recorded
    address a page or file of the site has taken since is left to it, an alias that names one
    is an error."""
    errors: list[SiteError] = []
    claimed: dict[str, str] = {}
    files: list[OutputFile] = []
    for redirect in site.redirects:
        owner = claimed.get(redirect.path)
        if redirect.path in taken or owner:
            if redirect.alias_of:
                other = f"the alias of {owner}" if owner else "a page of the site"
                errors.append(ContentError(redirect.alias_of, f"alias '{redirect.path}' is {other}: remove it "
                                           "from 'aliases:'"))
            continue
        claimed[redirect.path] = redirect.alias_of or REDIRECTS_FILE
        files.append(whole_file(redirect.path, redirect_page(site, redirect, catalogs)))
    raise_all(errors)
    return files


def redirect_page(site: Site, redirect: Redirect, catalogs: Catalogs) -> bytes:
    """Return the page at an old address: the new one for browsers (refresh), search engines
    (canonical) and readers (a link), relative so that a project site's sub-path is kept."""
    language = site.config.language
    relative = escape(root_of(redirect.path) + iri_to_uri(redirect.target))
    absolute = escape(site.config.absolute(redirect.target))
    shown = site.config.base_url + redirect.target  # a Unicode address as readers read it
    title = catalogs.text("moved_title", language, {"address": shown})
    text = catalogs.text("moved_text", language, {"link": Markup(f'<a href="{relative}">{escape(shown)}</a>')})
    return (f'<!DOCTYPE html>\n<html lang="{escape(language)}"{_rtl(language)}>\n<head>\n<meta charset="utf-8">\n'
            f'<title>{title}</title>\n<link rel="canonical" href="{absolute}">\n'
            f'<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url={relative}">\n'
            f'</head>\n<body>\n<p>{text}</p>\n'
            '</body>\n</html>\n').encode()


def _rtl(language: str) -> str:
    return ' dir="rtl"' if direction_of(language) == "rtl" else ""


def upgrade_moves(history: Mapping[str, tuple[str, str]], site: Site) -> list[SiteError]:
    """Return an error for each article the last build of a site-builder that took addresses
    from titles put elsewhere (its file name and its title's slug differ): such a build
    recorded no addresses of its own, and `history` is what its id guard recorded."""
    return [ContentError(a.source_path, (
        f"site-builder now takes an article's address from its file name, and this one would move "
        f"from {history[a.source_path][0]} to {a.path}: add 'slug: {history[a.source_path][0].split('/')[1]}' "
        "to its front matter to keep it where readers found it (or build once with --allow-id-change "
        "to move it, with a redirect at the old address)"))
        for a in site.articles if a.source_path in history and history[a.source_path][0] != a.path]
