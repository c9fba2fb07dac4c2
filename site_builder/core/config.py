"""Load and validate site.toml into a SiteConfig."""
from __future__ import annotations

import ipaddress
import re
import tomllib
import zoneinfo
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError, SiteError, raise_all
from .language import LANGUAGE_TAG
from .model import RAW_HTML_MODES, SiteConfig
from .names import CONFIG_NAME

FEED_FORMATS = ("rss", "atom", "json")


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# What each key must hold in TOML: (check, what to say when it does not). None is never
# written in TOML, so optional keys are simply left out.
_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    **{key: (lambda v: isinstance(v, str), "a string") for key in (
        "title", "description", "base_url", "author", "timezone", "cname",
        "id_domain", "websub_hub")},
    # bool is an int subclass: `per_page = true` is refused too
    **{key: (lambda v: type(v) is int, "an integer") for key in ("per_page", "feed_items")},
    **{key: (lambda v: isinstance(v, bool), "true or false") for key in ("feed_full_content", "tag_feed_archives")},
    "feeds": (lambda v: _is_str_list(v) and set(v) <= set(FEED_FORMATS),
              f"a list of feed formats from {list(FEED_FORMATS)}"),
    "language": (lambda v: isinstance(v, str) and bool(LANGUAGE_TAG.fullmatch(v)),
                 "a language tag such as \"en\", \"ar\" or \"pt-BR\""),
    "known_tags": (_is_str_list, "a list of strings"),
    "raw_html": (lambda v: v in RAW_HTML_MODES, 'either "safe" (the default: bodies sanitised) or "trusted"'),
    "embed_hosts": (lambda v: _is_str_list(v) and all(_is_domain(h) for h in v),
                    'a list of host names such as ["www.youtube-nocookie.com"]'),
    "parse_timeout": (lambda v: type(v) in (int, float), "a number of seconds"),
    "tag_aliases": (lambda v: isinstance(v, dict) and all(_is_str_list(a) for a in v.values()),
                    'a table of tag = ["other name", …] lines'),
}


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
        if key not in _CHECKS:
            known = ", ".join(sorted(_CHECKS))
            errors.append(ConfigError(f"{CONFIG_NAME}: unknown key '{key}' (known keys: {known})"))
        elif not _CHECKS[key][0](value):
            errors.append(ConfigError(f"{CONFIG_NAME}: '{key}' must be {_CHECKS[key][1]}, not {value!r}"))
    raise_all(errors)
    config = SiteConfig(**_normalised(raw))
    raise_all(list(_value_errors(config)))
    return config


def _normalised(raw: dict[str, Any]) -> dict[str, Any]:
    """Return the values as SiteConfig holds them: base_url ending in '/', tuples for lists."""
    values = dict(raw)
    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    for key in ("feeds", "known_tags"):
        if key in values:
            values[key] = tuple(values[key])
    if "embed_hosts" in values:  # host names are case-insensitive (RFC 4343)
        values["embed_hosts"] = tuple(host.lower() for host in values["embed_hosts"])
    if "tag_aliases" in values:
        values["tag_aliases"] = {tag: tuple(names) for tag, names in values["tag_aliases"].items()}
    return values


def _value_errors(config: SiteConfig) -> Iterator[ConfigError]:
    """Yield an error for each value that has the right type but cannot work."""
    yield from _base_url_errors(config.base_url, f"{CONFIG_NAME}: 'base_url'")
    try:
        zoneinfo.ZoneInfo(config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        yield ConfigError(f"{CONFIG_NAME}: 'timezone' {config.timezone!r} is not an IANA time zone "
                          "name (for example 'UTC' or 'Europe/Madrid')")
    if not 0 < config.parse_timeout < float("inf"):
        yield ConfigError(f"{CONFIG_NAME}: 'parse_timeout' must be a number of seconds above 0, not "
                          f"{config.parse_timeout!r}")
    for key in ("per_page", "feed_items"):
        if getattr(config, key) < 1:
            yield ConfigError(f"{CONFIG_NAME}: '{key}' must be at least 1, not {getattr(config, key)}")
    if config.id_domain is not None and not _is_domain(config.id_domain):
        yield ConfigError(f"{CONFIG_NAME}: 'id_domain' must be a domain name such as "
                          f"'user.github.io', not {config.id_domain!r}")


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

