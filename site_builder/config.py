"""Load and validate site.toml into a SiteConfig."""
from __future__ import annotations

import tomllib
import zoneinfo
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from .errors import ConfigError, SiteError, raise_all
from .folders import CONFIG_NAME
from .model import SiteConfig

FEED_FORMATS = ("rss", "atom", "json")


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# What each key must hold in TOML: (check, what to say when it does not). None is never
# written in TOML, so optional keys are simply left out.
_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    **{key: (lambda v: isinstance(v, str), "a string") for key in (
        "title", "description", "base_url", "language", "author", "timezone", "cname",
        "id_domain", "websub_hub")},
    # bool is an int subclass: `per_page = true` is refused too
    **{key: (lambda v: type(v) is int, "an integer") for key in ("per_page", "feed_items")},
    **{key: (lambda v: isinstance(v, bool), "true or false") for key in ("feed_full_content", "tag_feed_archives")},
    "feeds": (lambda v: _is_str_list(v) and set(v) <= set(FEED_FORMATS),
              f"a list of feed formats from {list(FEED_FORMATS)}"),
    "known_tags": (_is_str_list, "a list of strings"),
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
    if "tag_aliases" in values:
        values["tag_aliases"] = {tag: tuple(names) for tag, names in values["tag_aliases"].items()}
    return values


def _value_errors(config: SiteConfig):
    """Yield an error for each value that has the right type but cannot work."""
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        yield ConfigError(f"{CONFIG_NAME}: 'base_url' must be an absolute http(s) URL such as "
                          f"'https://user.github.io/repo/', not {config.base_url!r}")
    if parts.query or parts.fragment:
        yield ConfigError(f"{CONFIG_NAME}: 'base_url' must not have a query or fragment: {config.base_url!r}")
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


def _is_domain(name: str) -> bool:
    labels = name.split(".")
    return all(label and all(c.isalnum() or c == "-" for c in label) for label in labels)

