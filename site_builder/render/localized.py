"""What templates call to speak the page's language: the words `i18n(key, **values)` and the
filters `datetime`, `day`, `number`, `month_name`, `month_year`, `year` and `language_name`.

Each takes the language as an optional argument (an article's `language`, for what belongs to
the article), else the page's (`page.lang`: the site's); dates are in the site's time zone:

    {{ i18n("page_of", number=pager.number, count=pager.count) }}   Page 2 of 7 / الصفحة ٢ من ٧
    <time datetime="{{ a.date.isoformat() }}" dir="auto">{{ a.date|datetime(a.language) }}</time>

A new visible word goes into templates/i18n/en.toml (and ar.toml) as `key = "Words"`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from . import locale_format
from .translations import Catalogs

_CATALOGS = "i18n_catalogs"


def install(env: jinja2.Environment, catalogs: Catalogs) -> None:
    """Give the environment's templates the words of the catalogs and the locale's formats."""

    @jinja2.pass_context
    def i18n(context: jinja2.runtime.Context, key: str, lang: str | None = None, **values: Any) -> Markup:
        return catalogs.text(key, lang or _page_language(context), values)

    env.globals["i18n"] = i18n
    env.globals[_CATALOGS] = catalogs
    env.filters.update(
        datetime=_dated(locale_format.date_and_time), day=_dated(locale_format.day_of_month),
        number=_counted(locale_format.number), year=_counted(locale_format.year_name),
        month_name=_counted(locale_format.month_name), month_year=_month_year,
        language_name=locale_format.language_name)


def catalogs_of(env: jinja2.Environment) -> Catalogs:
    """Return the catalogs install() gave the environment, for the words pages.py writes itself
    (page titles, descriptions)."""
    catalogs = env.globals[_CATALOGS]
    assert isinstance(catalogs, Catalogs)
    return catalogs


def _page_language(context: jinja2.runtime.Context) -> str:
    return str(context["page"].lang)


def _dated(format_: Callable[[dt.datetime, str, str], str]) -> Callable[..., str]:
    """Return a filter of a date-time, in the language given or the page's, in the site's zone."""
    @jinja2.pass_context
    def dated(context: jinja2.runtime.Context, moment: dt.datetime, lang: str | None = None) -> str:
        return format_(moment, lang or _page_language(context), context["site"].timezone)
    return dated


def _counted(format_: Callable[[int, str], str]) -> Callable[..., str]:
    """Return a filter of a number, in the language given or the page's."""
    @jinja2.pass_context
    def counted(context: jinja2.runtime.Context, value: int, lang: str | None = None) -> str:
        return format_(value, lang or _page_language(context))
    return counted


@jinja2.pass_context
def _month_year(context: jinja2.runtime.Context, month: Any, lang: str | None = None) -> str:
    """A month of the archive (anything with `year` and `month`) named in the page's language."""
    return locale_format.month_and_year(month.year, month.month, lang or _page_language(context))
