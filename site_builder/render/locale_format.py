"""Dates, times and numbers as a language writes them (Babel, from CLDR): month names, the order
of day, month and year, the clock, and the digits of the locale ('ar': ٠١٢٣٤٥٦٧٨٩).

Every date is shown in the site's time zone, whatever offset its front matter was written in.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

DEFAULT_LANGUAGE = "en"
# The zero of each decimal numbering system a CLDR locale may default to; Babel formats every
# date with ASCII digits and numbers with the system's symbols only, so the digits are ours.
_ZEROS = {"arab": "\u0660", "arabext": "\u06f0", "beng": "\u09e6", "deva": "\u0966", "mymr": "\u1040",
          "tibt": "\u0f20", "olck": "\u1c50", "adlm": "\U0001e950", "mtei": "\uabf0", "rohg": "\U00010d30"}


@lru_cache(maxsize=64)
def locale_of(language: str) -> Locale:
    """Return the CLDR locale of a language tag ('ar', 'pt-BR', 'en-GB'): the tag's, else its
    language's, else English's. (CLDR writes 'ar' with Latin digits, as most Arabic news
    sites do; 'ar-EG', 'ar-SA' and the like with Arabic-Indic ones.)"""
    for tag in (language, language.split("-")[0], DEFAULT_LANGUAGE):
        try:
            return Locale.parse(tag.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("Babel has no English locale")  # pragma: no cover


@lru_cache(maxsize=64)
def _digit_table(language: str) -> dict[int, str]:
    zero = _ZEROS.get(locale_of(language).default_numbering_system)
    return {} if zero is None else {ord("0") + i: chr(ord(zero) + i) for i in range(10)}


def with_digits(text: str, language: str) -> str:
    """Return text with its ASCII digits written in the language's own digits."""
    table = _digit_table(language)
    return text.translate(table) if table else text


def local_time(moment: dt.datetime, timezone: str) -> dt.datetime:
    """Return the moment in the site's time zone."""
    return moment.astimezone(zoneinfo.ZoneInfo(timezone))


# An article's date shows on its page, its front page, its tags' and authors' pages, which a
# build renders in any order, each in its own process. Babel's formatting is most of a card's
# time, so the day and the time of day are formatted once each: a site has a few hundred days
# and minutes for tens of thousands of articles. And each date is written once a process: the
# time zone and the pattern cost 4 µs a card again, a fifth of a second at 10,000 articles.
@lru_cache(maxsize=32768)
def date_and_time(moment: dt.datetime, language: str, timezone: str) -> str:
    """Return '2 December 2026, 14:05' (en-GB), 'December 2, 2026, 2:05 PM' (en),
    '٢ ديسمبر ٢٠٢٦، ٢:٠٥ م' (ar-EG): the locale's long date and short time; the date alone at
    midnight, the time of a date written without one ('date: 2026-12-02')."""
    when = local_time(moment, timezone)
    clock = when.time()
    if clock == dt.time(0, 0):
        return _long_date(when.date(), language)
    pattern = str(locale_of(language).datetime_formats["medium"])  # '{1}, {0}': no digits of its own
    return pattern.format(_short_time(clock, language), _long_date(when.date(), language))


@cache
def _long_date(day: dt.date, language: str) -> str:
    return with_digits(format_date(day, "long", locale=locale_of(language)), language)


@cache
def _short_time(clock: dt.time, language: str) -> str:
    # CLDR's short time has no time zone field: the time of day alone decides it
    return with_digits(format_time(clock, "short", locale=locale_of(language)), language)


def day_of_month(moment: dt.datetime, language: str, timezone: str) -> str:
    """Return the day of the month as the language writes it ('2', '٢')."""
    return with_digits(format_date(local_time(moment, timezone), "d", locale=locale_of(language)), language)


def month_name(month: int, language: str) -> str:
    """Return a month's name standing alone ('December', 'ديسمبر')."""
    return format_date(dt.date(2000, month, 1), "LLLL", locale=locale_of(language))


def month_and_year(year: int, month: int, language: str) -> str:
    """Return 'December 2026', 'ديسمبر ٢٠٢٦'."""
    return with_digits(format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale_of(language)), language)


def year_name(year: int, language: str) -> str:
    """Return a year as the language writes it, without grouping ('2026', '٢٠٢٦')."""
    return with_digits(format_skeleton("y", dt.date(year, 1, 1), locale=locale_of(language)), language)


@lru_cache(maxsize=64)
def language_name(language: str) -> str:
    """Return a language's name in that language, as a menu of languages writes it
    ('English', 'العربية', 'Português (Brasil)'); the tag itself when CLDR does not know it."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return language
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=8192)  # page numbers and counts: every tag's pager and count say a few
def number(value: int, language: str) -> str:
    """Return a count as the language writes it ('1,234', '١٬٢٣٤')."""
    return with_digits(format_decimal(value, locale=locale_of(language), numbering_system="default"), language)


def plural_form(count: int, language: str) -> str:
    """Return CLDR's plural category of a count in the language: 'zero', 'one', 'two', 'few',
    'many' or 'other'."""
    return str(locale_of(language).plural_form(count))
