"""site.toml: its schema (SiteConfig, each key declared once), and loading and checking it.

Each key is a SiteConfig field made by `setting()`: its type, its default, what TOML value it
takes (a Kind), how the value is normalised, what else it must satisfy, and a line of doc.
From them come the defaults, the type checks, the unknown-key errors ("did you mean"), and
the README's "site.toml reference" table: `python -m site_builder.core.config --readme`
rewrites that table, and a test checks it is current.
"""
from __future__ import annotations

import ipaddress
import json
import re
import sys
import tomllib
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from .errors import ConfigError, SiteError, raise_all
from .language import LANGUAGE_TAG
from .links import iri_to_uri
from .names import CONFIG_NAME

FEED_FORMATS = ("rss", "atom", "json")
# How bodies' raw HTML is published: see content/sanitise.py and README "site.toml reference".
RAW_HTML_MODES = ("safe", "trusted")
# What renders bodies (content/markup.py): Python-Markdown, or cmark-gfm (issue #15).
MARKDOWN_ENGINES = ("python-markdown", "gfm")
# What a site over GitHub Pages' 1 GB is told to set (build and check say it): most of a large
# site beyond its pages is full-text feeds.
SHRINKING_SETTINGS = ("tag_feed_archives = false, tag_feed_full_content = false, archive_full_content = false, "
                      "feed_full_content = false, fewer feeds formats")
# How addresses are made from file names and tags (content/slugs.py): a site without the key
# keeps the ASCII of earlier versions, so no published address moves on an upgrade.
SLUG_STYLES = ("ascii", "unicode")
# python-slugify's own transliteration for "ascii" slugs, named: its default prefers Unidecode
# whenever some other package installed it, and a slug is an address that must not change with
# what else the machine holds
SLUG_BACKEND: Final = "text-unidecode"


@dataclass(frozen=True)
class Kind:
    """What a key must hold in TOML: a check, what to call a value that passes it, and how it
    becomes what SiteConfig holds (TOML lists become tuples)."""

    check: Callable[[Any], bool]
    wants: str  # "'per_page' must be {wants}, not 'ten'"
    normalise: Callable[[Any], Any] = lambda value: value


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


TEXT = Kind(lambda v: isinstance(v, str), "a string")
INTEGER = Kind(lambda v: type(v) is int, "an integer")  # bool is an int subclass: `= true` is refused too
BOOLEAN = Kind(lambda v: isinstance(v, bool), "true or false")
STRINGS = Kind(_is_str_list, "a list of strings", tuple)


def setting(default: Any, kind: Kind, doc: str, *, shown: str | None = None,
            normalise: Callable[[Any], Any] | None = None,
            value_errors: Callable[[Any, str], Iterable[str]] | None = None) -> Any:
    """Declare a site.toml key as a SiteConfig field: its default, the Kind of TOML value it
    takes, the README's line about it (`shown`: its default in words, when not a TOML value),
    a normaliser to use instead of the kind's, and a check of the value's meaning that yields
    messages (given the value and the key as `site.toml: 'key'`)."""
    schema = {"kind": kind, "doc": doc, "shown": shown, "normalise": normalise or kind.normalise,
              "value_errors": value_errors}
    if isinstance(default, dict):  # a mutable default needs a factory
        return field(default_factory=lambda: dict(default), metadata=schema)
    return field(default=default, metadata=schema)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _base_url_value_errors(url: str, where: str) -> Iterator[str]:
    return (str(error) for error in _base_url_errors(url, where))


def _time_zone_errors(name: str, where: str) -> Iterator[str]:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        yield f"{where} {name!r} is not an IANA time zone name (for example 'UTC' or 'Europe/Madrid')"


def _at_least_one(number: int, where: str) -> Iterator[str]:
    if number < 1:
        yield f"{where} must be at least 1, not {number}"


def _not_negative(number: int, where: str) -> Iterator[str]:
    if number < 0:
        yield f"{where} must be 0 or more, not {number}"


def _author_errors(name: str, where: str) -> Iterator[str]:
    from slugify import slugify  # only when a site has an author

    if name.strip() and not slugify(name, backend=SLUG_BACKEND):
        yield f"{where} {name!r} has no letters or digits to make the author's page URL from: write the name out"


def _sections_errors(names: tuple[str, ...], where: str) -> Iterator[str]:
    blank = [name for name in names if not name.strip()]
    if blank:
        yield f"{where} holds an empty name: write each section as a tag's name, such as \"Politics\""


def _seconds_errors(seconds: float, where: str) -> Iterator[str]:
    if not 0 < seconds < float("inf"):
        yield f"{where} must be a number of seconds above 0, not {seconds!r}"


def _domain_errors(name: str | None, where: str) -> Iterator[str]:
    if name is not None and not _is_domain(name):
        yield f"{where} must be a domain name such as 'user.github.io', not {name!r}"


def _logo_errors(path: str | None, where: str) -> Iterator[str]:
    # a file's path in static/, as it is published: no URL, no way out of the site, nothing a URL cannot hold
    if path is not None and ("://" in path or path.startswith("/") or not path.strip()
                             or ".." in path.split("/") or _NOT_IN_URL.search(path)):
        yield f"{where} must be a path under static/, such as 'images/logo.png', not {path!r}"


@dataclass(frozen=True)
class SiteConfig:
    """The site's settings, from site.toml: the schema of every key, in the README's order."""

    title: str = setting("News", TEXT, "the site's name")
    description: str = setting(
        "", TEXT, 'for the home page\'s `<meta name="description">`, its share card and the feeds '
        "(without it: the title)")
    base_url: str = setting(
        "http://localhost:8000/", TEXT,
        "where the site is published, e.g. `https://user.github.io/repo/`; set it for a real "
        "deployment. An `http(s)` URL with a host name, and with no user name or password (every "
        "link would publish them), query, fragment, or space (write `%20`); `--base-url` is "
        "checked the same way",
        normalise=_with_slash, value_errors=_base_url_value_errors)
    language: str = setting(
        "en", Kind(lambda v: isinstance(v, str) and bool(LANGUAGE_TAG.fullmatch(v)),
                   'a language tag such as "en", "ar" or "pt-BR"'),
        "the site's language (`<html lang>`, feeds), and of the theme's words, dates and numbers "
        "([Languages](#languages))")
    slugs: str = setting(
        "ascii", Kind(lambda v: v in SLUG_STYLES, 'either "ascii" (the default) or "unicode"'),
        "how article and tag addresses are made from file names and tags: `\"ascii\"` transliterates "
        "them (`khmnyy-yd-w-kwb`, `tags/yrn/`); `\"unicode\"` keeps every script's letters "
        "(`خامنئي-يدعو-كوبا`, `tags/إيران/`), percent-encoded in links. `init` writes `\"unicode\"`; "
        "switching an existing site moves its non-Latin addresses ([Unicode slugs](#unicode-slugs))")
    author: str = setting("", TEXT, "the byline of articles without an `author:` (who then get an author page too)",
                          value_errors=_author_errors)
    logo: str | None = setting(
        None, TEXT,
        "the publisher's logo in articles' structured data (JSON-LD, for search engines): a "
        "path under `static/`, such as `images/logo.png` (a PNG or JPEG at least 112 px wide, as "
        "Google asks)",
        shown="the theme's icon", value_errors=_logo_errors)
    timezone: str = setting("UTC", TEXT, "IANA name; the zone of bare dates and times",
                            value_errors=_time_zone_errors)
    per_page: int = setting(10, INTEGER, "articles per page on the front page, tag pages and author pages",
                            value_errors=_at_least_one)
    sections: tuple[str, ...] = setting(
        (), STRINGS,
        "tags the site wants in its header navigation, in this order, e.g. `[\"Politics\", \"Business\"]`: "
        "each links to its tag page (its page and feeds are the tag's) and gets a block of its newest "
        "stories on the front page; each must be a tag of a published article",
        value_errors=_sections_errors)
    related_stories: int = setting(
        4, INTEGER, "how many related stories (the articles sharing the most tags, newest first) an "
        "article page lists; `0`: none", value_errors=_not_negative)
    search: bool = setting(
        False, BOOLEAN,
        "`true`: a search box in every page's header and a results page (`search/`), from a "
        "[Pagefind](https://pagefind.app) index of the articles made at each build (no server; "
        "0.3 MB for a small site, 57 MB at 10,000 articles, in shards of a year each); `false`: neither. `init` writes `true` ([Search](#search))")
    feed_items: int = setting(
        20, INTEGER, "entries per subscription feed (archive documents hold a month each: [Feeds](#feeds))",
        value_errors=_at_least_one)
    feed_full_content: bool = setting(
        True, BOOLEAN, "`true`: feeds carry the whole article; `false`: the summary only")
    tag_feed_archives: bool = setting(
        False, BOOLEAN,
        "`true`: each tag's feed has RFC 5005 archive documents too, as the site's does; `false`: a "
        "tag's feed holds its newest `feed_items` (the site's feed archive still reaches every "
        "article). `true` triples a large site's output: see [Size](#publishing-to-github-pages)")
    tag_feed_full_content: bool = setting(
        False, BOOLEAN,
        "`true`: each tag's feed carries whole articles, as the site's feed does; `false`: a tag's "
        "feed carries each article's summary and link, and the site's feed the whole article "
        "(`feed_full_content`), so a large site fits GitHub Pages: see [Size](#publishing-to-github-pages)")
    archive_full_content: bool = setting(
        False, BOOLEAN,
        "`true`: feed archive documents carry whole articles, as the subscription feeds do; "
        "`false`: each archived entry carries its summary and link (the subscription feeds keep "
        "`feed_full_content`), so a 50,000-article site fits GitHub Pages: see "
        "[Size](#publishing-to-github-pages)")
    feeds: tuple[str, ...] = setting(
        FEED_FORMATS, Kind(lambda v: _is_str_list(v) and set(v) <= set(FEED_FORMATS),
                           f"a list of feed formats from {list(FEED_FORMATS)}", tuple),
        "which formats to write (and announce in pages)")
    websub_hub: str | None = setting(
        None, TEXT, 'a WebSub hub\'s URL: every feed links to it with `rel="hub"`')
    cname: str | None = setting(None, TEXT, "a custom domain: writes `CNAME` for GitHub Pages")
    parse_timeout: float = setting(
        10.0, Kind(lambda v: type(v) in (int, float), "a number of seconds"),
        "seconds an article may take to parse before the build refuses it ([Bounded "
        "parsing](#building)); raise it only for a very slow machine",
        value_errors=_seconds_errors)
    id_domain: str | None = setting(
        None, TEXT,
        "the authority of entry ids. Set it once and never change it: entry ids "
        "(`tag:example.github.io,2024-07-10:articles/<slug>`, RFC 4151) stay the same when the "
        "site moves or its theme changes, so feed readers never show an article twice",
        shown="the host of `base_url`", value_errors=_domain_errors)
    known_tags: tuple[str, ...] = setting(
        (), STRINGS, "tags `site-builder import` prefers, spelled as the site spells them ([Tags](#tags))")
    tag_aliases: dict[str, tuple[str, ...]] = setting(  # noqa: RUF009 (setting() gives a dict a factory)
        {}, Kind(lambda v: isinstance(v, dict) and all(_is_str_list(a) for a in v.values()),
                 'a table of tag = ["other name", …] lines',
                 lambda v: {tag: tuple(names) for tag, names in v.items()}),
        "a table of `tag = [\"other name\", …]`: names in articles that mean that tag")
    markdown: str = setting(
        "python-markdown", Kind(lambda v: v in MARKDOWN_ENGINES,
                                'either "python-markdown" (the default) or "gfm"'),
        "what renders bodies: `\"python-markdown\"` (tables, footnotes, fenced code), or `\"gfm\"`: "
        "GitHub-flavoured Markdown through cmark-gfm, as GitHub shows it, about 30× faster "
        "([Content format](#content-format))")
    raw_html: str = setting(
        "safe", Kind(lambda v: v in RAW_HTML_MODES, 'either "safe" (the default: bodies sanitised) or "trusted"'),
        "`\"safe\"`: every body's HTML is sanitised ([Raw HTML in bodies](#raw-html-in-bodies)); "
        "`\"trusted\"`: published as written, but still no `javascript:` URL")
    embed_hosts: tuple[str, ...] = setting(
        (), Kind(lambda v: _is_str_list(v) and all(_is_domain(h) for h in v),
                 'a list of host names such as ["www.youtube-nocookie.com"]',
                 lambda v: tuple(host.lower() for host in v)),  # host names are case-insensitive (RFC 4343)
        "hosts a safe body may embed in an `<iframe>` (`https://` only), e.g. "
        '`["www.youtube-nocookie.com", "player.vimeo.com"]`')

    @property
    def base_path(self) -> str:
        """The path part of base_url, with slashes at both ends: '/repo/' or '/'."""
        return urlsplit(self.base_url).path

    @property
    def entry_id_domain(self) -> str:
        """The authority of entry ids: id_domain, else the host of base_url."""
        return self.id_domain or (urlsplit(self.base_url).hostname or "localhost")

    def absolute(self, path: str) -> str:
        """Return the absolute URL of a site-relative path ('articles/x/'), percent-encoded."""
        return self.base_url + iri_to_uri(path)


SETTINGS: dict[str, Field[Any]] = {f.name: f for f in fields(SiteConfig)}


def load_config(site_dir: Path, base_url: str | None = None) -> SiteConfig:
    """Read site_dir/site.toml (all defaults if there is none); base_url overrides the file's."""
    path = site_dir / CONFIG_NAME
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{CONFIG_NAME}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{CONFIG_NAME}: {exc} (see README, 'site.toml reference')") from exc
    if base_url is not None:
        raise_all(list(_base_url_errors(base_url, "--base-url")))
        raw["base_url"] = base_url
    return config_from_dict(raw)


def config_from_dict(raw: dict[str, Any]) -> SiteConfig:
    """Validate the keys and types of a parsed site.toml; report every bad key at once."""
    errors: list[SiteError] = []
    for key, value in raw.items():
        if key not in SETTINGS:
            errors.append(ConfigError(f"{CONFIG_NAME}: unknown key '{key}' ({_known_keys_hint(key)})"))
        elif not SETTINGS[key].metadata["kind"].check(value):
            errors.append(ConfigError(f"{CONFIG_NAME}: '{key}' must be "
                                      f"{SETTINGS[key].metadata['kind'].wants}, not {value!r}"))
    raise_all(errors)
    config = SiteConfig(**{key: SETTINGS[key].metadata["normalise"](value) for key, value in raw.items()})
    raise_all([ConfigError(message) for message in _value_errors(config)])
    return config


def _known_keys_hint(key: str) -> str:
    """Return "did you mean 'title'?" for a key that is a typo of a known one, else the known keys."""
    import difflib  # only when a key is wrong

    close = difflib.get_close_matches(key, SETTINGS, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"known keys: {', '.join(sorted(SETTINGS))}"


def _value_errors(config: SiteConfig) -> Iterator[str]:
    """Yield a message for each value that has the right type but cannot work."""
    for key, setting_ in SETTINGS.items():
        check = setting_.metadata["value_errors"]
        if check is not None:
            yield from check(getattr(config, key), f"{CONFIG_NAME}: '{key}'")


def readme_table() -> str:
    """Return the README's "site.toml reference" table, one row per key, as the schema says."""
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for key, setting_ in SETTINGS.items():
        default = setting_.default if setting_.default_factory is MISSING else setting_.default_factory()
        shown = setting_.metadata["shown"] or _as_toml(default)
        rows.append(f"| `{key}` | {shown} | {setting_.metadata['doc']} |")
    return "\n".join(rows) + "\n"


def _as_toml(value: Any) -> str:
    """Return a default as site.toml would write it, in backticks; None (no value) as 'none'."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"`{value:g}`"
    if isinstance(value, (tuple, list)):
        return f"`[{', '.join(json.dumps(v, ensure_ascii=False) for v in value)}]`"
    if isinstance(value, dict):
        return "`{}`" if not value else f"`{json.dumps(value, ensure_ascii=False)}`"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


# What a URL may not hold unescaped (RFC 3986 §2): a feed reader refuses such a link.
_NOT_IN_URL = re.compile(r'[\s"<>\\^`{|}\x00-\x1f\x7f]')


def _base_url_errors(url: str, where: str) -> Iterator[ConfigError]:
    """Yield an error for each reason `url` cannot be the address every link is made from;
    `where` names where it came from ("site.toml: 'base_url'" or "--base-url")."""
    parts = urlsplit(url)
    userinfo, at, _ = parts.netloc.rpartition("@")
    # Every page, feed and the sitemap would publish a user name or password: the messages
    # show the name, never the password
    user, colon, _ = userinfo.partition(":")
    hidden = f"{user}{colon}{'…' if colon else ''}@" if at else ""
    shown = url.replace(userinfo + at, hidden, 1) if at else url
    if parts.scheme not in ("http", "https") or not parts.hostname:
        yield ConfigError(f"{where} must be an absolute http(s) URL such as "
                          f"'https://user.github.io/repo/', not {shown!r}")
        return
    if at:
        yield ConfigError(f"{where} {shown!r} holds a user name or password, which would be "
                          f"published in every link: remove {hidden!r}")
    host = parts.hostname
    if not (_is_domain(host.rstrip(".")) or _is_ip(host)):
        yield ConfigError(f"{where}: {host!r} in {shown!r} is not a host name (letters, digits, "
                          "hyphens and dots, such as 'user.github.io')")
    try:
        _ = parts.port  # urllib checks it only when asked
    except ValueError:
        yield ConfigError(f"{where}: the port of {shown!r} is not a number from 0 to 65535")
    bad = _NOT_IN_URL.search(parts.path)
    if bad:
        yield ConfigError(f"{where}: {shown!r} holds {bad.group()!r}, which no URL may hold: "
                          f"write it as %{ord(bad.group()):02X}")
    if parts.query or parts.fragment:
        yield ConfigError(f"{where} must not have a query or fragment: {shown!r}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_domain(name: str) -> bool:
    labels = name.split(".")
    return all(label and all(c.isalnum() or c == "-" for c in label) for label in labels)



README_HEADING = "## site.toml reference"


def with_readme_table(readme: str) -> str:
    """Return the README's text with its site.toml reference table replaced by readme_table()."""
    section = readme.index(README_HEADING)
    start = readme.index("\n|", section) + 1
    end = start
    while readme.startswith("|", end):
        end = readme.index("\n", end) + 1
    return readme[:start] + readme_table() + readme[end:]


if __name__ == "__main__":  # python -m site_builder.core.config --readme [README.md]
    if sys.argv[1:2] != ["--readme"]:
        sys.exit("usage: python -m site_builder.core.config --readme [README.md]\n"
                 "rewrites the README's site.toml reference table from the schema")
    readme_path = Path(sys.argv[2] if len(sys.argv) > 2 else "README.md")
    readme_path.write_text(with_readme_table(readme_path.read_text(encoding="utf-8")), encoding="utf-8")
