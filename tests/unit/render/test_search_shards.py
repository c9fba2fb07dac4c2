"""Search shards (render/search_shards.py): whatever the articles' dates and the site's time
zone, every article is in exactly one shard — its year's, or the newest month's when it is
of that month, as the site's archive counts months — and the shards come newest first."""
from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from site_builder.core.model import Article
from site_builder.render.search_shards import search_shards


def dated(i: int, date: dt.datetime) -> Article:
    return Article(f"content/{i}.md", f"Story {i}", f"story-{i}", date, None, (), "", (), None, None, False,
                   None, f"id-{i}", None)


dates = st.datetimes(min_value=dt.datetime(1999, 12, 1), max_value=dt.datetime(2031, 2, 1), timezones=st.just(dt.UTC))
zones = st.sampled_from(["UTC", "Asia/Muscat", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago"])


@given(st.lists(dates, max_size=40), zones)
def test_each_article_is_in_its_years_shard_or_the_newest_months(moments, timezone):
    articles = [dated(i, date) for i, date in enumerate(sorted(moments, reverse=True))]
    shards = search_shards(articles, timezone)
    assert sorted(a.source_path for shard in shards.values() for a in shard) == sorted(a.source_path for a in articles)
    zone = zoneinfo.ZoneInfo(timezone)
    local = {a.source_path: a.date.astimezone(zone) for a in articles}
    newest = max(((d.year, d.month) for d in local.values()), default=None)
    for name, members in shards.items():
        assert members, "no empty shard"
        for article in members:
            at = local[article.source_path]
            assert name == (f"{at.year}-{at.month:02}" if (at.year, at.month) == newest else str(at.year))
    assert list(shards) == sorted(shards, key=lambda name: (name[:4], len(name)), reverse=True)


def test_no_articles_no_shards():
    assert search_shards([], "UTC") == {}
