"""A date as Babel writes it, whatever was formatted before it: the day and the time of day are
formatted apart and cached (a theme change formats tens of thousands of dates)."""
from __future__ import annotations

import datetime as dt
import zoneinfo

from babel.dates import format_date, format_time
from hypothesis import given
from hypothesis import strategies as st

from site_builder.render.locale_format import date_and_time, locale_of, with_digits

LANGUAGES = ["en", "en-GB", "ar", "ar-EG", "fa", "fr", "de", "ja", "zh-Hant", "hi", "bn", "my", "ko", "xx"]
ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Tehran"]


def babel_at_once(moment: dt.datetime, language: str, timezone: str) -> str:
    """The long date and short time of the moment, formatted by Babel in one go."""
    locale, when = locale_of(language), moment.astimezone(zoneinfo.ZoneInfo(timezone))
    date = format_date(when, "long", locale=locale)
    if when.time() == dt.time(0, 0):
        return with_digits(date, language)
    time = format_time(when, "short", tzinfo=when.tzinfo, locale=locale)
    return with_digits(str(locale.datetime_formats["medium"]).format(time, date), language)


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1),
                    timezones=st.just(dt.UTC)),
       st.sampled_from(LANGUAGES), st.sampled_from(ZONES))
def test_a_date_and_time_is_what_babel_writes_in_one_go(moment, language, timezone):
    assert date_and_time(moment, language, timezone) == babel_at_once(moment, language, timezone)


def test_two_moments_of_a_day_keep_their_own_times():
    morning = dt.datetime(2026, 12, 2, 9, 5, tzinfo=dt.UTC)
    evening = morning.replace(hour=21, minute=40)
    assert date_and_time(morning, "en-GB", "UTC") == "2 December 2026, 09:05"
    assert date_and_time(evening, "en-GB", "UTC") == "2 December 2026, 21:40"
    assert date_and_time(evening, "ar-EG", "UTC").startswith("٢ ديسمبر ٢٠٢٦")
