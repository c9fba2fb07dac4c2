"""Load and validate site.toml into a SiteConfig."""
from __future__ import annotations

import tomllib
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError, SiteError, raise_all
from .model import SiteConfig

CONFIG_NAME = "site.toml"

# The type each key must have in TOML; None is never written in TOML, so optional keys are
# simply left out.
_TYPES: dict[str, type] = {
    "title": str, "description": str, "base_url": str, "language": str, "author": str,
    "timezone": str, "per_page": int, "feed_items": int, "cname": str, "id_domain": str,
}
_TYPE_NAMES = {str: "a string", int: "an integer"}


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
        expected = _TYPES.get(key)
        if expected is None:
            known = ", ".join(sorted(_TYPES))
            errors.append(ConfigError(f"{CONFIG_NAME}: unknown key '{key}' (known keys: {known})"))
        elif type(value) is not expected:  # bool is an int subclass: refuse it too
            errors.append(ConfigError(
                f"{CONFIG_NAME}: '{key}' must be {_TYPE_NAMES[expected]}, not {value!r}"))
    raise_all(errors)
    values = dict(raw)
    if "base_url" in values:
        values["base_url"] = _normal_base_url(values["base_url"])
    config = SiteConfig(**values)
    raise_all(list(_value_errors(config)))
    return config


def _normal_base_url(url: str) -> str:
    """Give base_url the trailing slash every URL is joined onto."""
    return url if url.endswith("/") else url + "/"


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
    for key in ("per_page", "feed_items"):
        if getattr(config, key) < 1:
            yield ConfigError(f"{CONFIG_NAME}: '{key}' must be at least 1, not {getattr(config, key)}")
    if config.id_domain is not None and not _is_domain(config.id_domain):
        yield ConfigError(f"{CONFIG_NAME}: 'id_domain' must be a domain name such as "
                          f"'user.github.io', not {config.id_domain!r}")


def _is_domain(name: str) -> bool:
    labels = name.split(".")
    return all(label and all(c.isalnum() or c == "-" for c in label) for label in labels)

