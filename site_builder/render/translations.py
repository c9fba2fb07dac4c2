"""The theme's words in the page's language: `i18n(key, **values)` in a template.

Each theme folder may hold i18n/<language>.toml files (the default theme ships en.toml and
ar.toml); a site's templates/i18n/ adds a language or overrides single keys of one. A key is
looked up in the page's language ('pt-BR'), then its language ('pt'), then English. A value is
text with {named} values, or a table of CLDR plural forms (one, two, few, many, other…) chosen
by the value `count`. Numbers are written as the language writes them (locale_format.py).
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..core.errors import TemplateError, raise_all
from .locale_format import DEFAULT_LANGUAGE, number, plural_form

I18N_DIR = "i18n"
# A catalog's entry: a text, or a text per plural form
Entry = str | Mapping[str, str]


@dataclass(frozen=True)
class Catalogs:
    """The theme's words, by language then key."""

    words: Mapping[str, Mapping[str, Entry]]
    _made: dict[tuple[Any, ...], Markup] = field(default_factory=dict, compare=False, repr=False)

    def text(self, key: str, language: str, values: Mapping[str, Any]) -> Markup:
        """Return the key's words in the language (HTML-escaped), the values filled in."""
        # Every page says the same few words with few different values: each is made once.
        cache_key = (key, language, *values.items())
        try:
            return self._made[cache_key]
        except KeyError:
            made = self._made[cache_key] = self._filled(key, language, values)
            return made
        except TypeError:  # a value that cannot be a key (a list): not kept
            return self._filled(key, language, values)

    def _filled(self, key: str, language: str, values: Mapping[str, Any]) -> Markup:
        entry = self._entry(key, language)
        if not isinstance(entry, str):
            form = plural_form(values.get("count", 0), language)
            entry = entry.get(form, entry.get("other", ""))
        shown = {name: number(value, language) if type(value) is int else value
                 for name, value in values.items()}
        try:
            return Markup(escape(entry)).format(**shown)
        except (KeyError, IndexError, ValueError) as exc:
            raise TemplateError(f"{I18N_DIR}/{language}.toml: '{key}' = {entry!r} names a value "
                                f"the templates do not give ({exc}); they give: {', '.join(values) or 'none'}") from exc

    def _entry(self, key: str, language: str) -> Entry:
        for tag in dict.fromkeys((language, language.split("-")[0], DEFAULT_LANGUAGE)):
            entry = self.words.get(tag, {}).get(key)
            if entry is not None:
                return entry
        raise TemplateError(f"no words for '{key}' in {I18N_DIR}/{DEFAULT_LANGUAGE}.toml of the theme: "
                            f"add a line {key} = \"…\" to templates/{I18N_DIR}/{DEFAULT_LANGUAGE}.toml")


def load_catalogs(theme_dirs: Iterable[Path]) -> Catalogs:
    """Read every i18n/<language>.toml of the theme's folders (the site's first), merging them
    key by key: the site's own words win."""
    words: dict[str, dict[str, Entry]] = {}
    errors: list[TemplateError] = []
    for folder in reversed(list(theme_dirs)):
        for path in sorted((folder / I18N_DIR).glob("*.toml")):
            try:
                words.setdefault(path.stem, {}).update(_catalog(path))
            except TemplateError as exc:
                errors.append(exc)
    raise_all(errors)
    return Catalogs(words)


def _catalog(path: Path) -> dict[str, Entry]:
    where = f"{path.parent.parent.name}/{I18N_DIR}/{path.name}"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{where}: {exc} (write one line per word: key = \"text\")") from exc
    for key, value in raw.items():
        plural = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        if not isinstance(value, str) and not plural:
            raise TemplateError(f"{where}: '{key}' must be text, or a table of plural forms "
                                f"such as {{ one = \"…\", other = \"…\" }}, not {value!r}")
    return raw
