"""The pages a title or summary edit plans (issue #15) are found from positions: a list's page
numbers, the month's page by bisection, the article pages whose neighbours or related stories
the article is. They must be exactly the pages whose template data holds an edited article —
the plain definition, checked here by walking every page's data — for any site and any edit."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from conftest import article, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.content.article import parse_article
from site_builder.content.collect import collect_site
from site_builder.core.config import SiteConfig
from site_builder.core.model import Article, Site
from site_builder.render.pages import _page_list, _words
from site_builder.render.theme import Theme, default_theme_dir

TAGS = ["Iran", "Cuba", "Oil", "Rail"]
AUTHORS = ["Ann Lee", "Bo Diaz"]
WORDS = _words(Theme((default_theme_dir(),)).environment(), "en")


@st.composite
def sites(draw: st.DrawFn) -> Site:
    count = draw(st.integers(1, 24))
    days = sorted(draw(st.sets(st.integers(0, 120), min_size=count, max_size=count)))  # over four months
    config = SiteConfig(per_page=draw(st.integers(1, 4)), related_stories=draw(st.integers(0, 4)))
    articles = []
    for n, day in enumerate(days):
        tags = draw(st.lists(st.sampled_from(TAGS), max_size=3, unique=True))
        author = draw(st.sampled_from(["", *AUTHORS]))
        text = article(f"Story {n}", (dt.date(2024, 1, 1) + dt.timedelta(days=day)).isoformat(),
                       tags="[" + ", ".join(tags) + "]", **({"author": author} if author else {}))
        articles.append(parse_article(f"content/s{n}.md", text, config).article)
    used = sorted({tag.name for a in articles for tag in a.tags})
    sections = draw(st.lists(st.sampled_from(used), max_size=2, unique=True)) if used else []
    return collect_site(dataclasses.replace(config, sections=tuple(sections)), articles)


def holds(value: Any, paths: frozenset[str]) -> bool:
    """True if the data holds an article from these content files, at any depth."""
    if isinstance(value, Article):
        return value.source_path in paths
    if isinstance(value, (tuple, list)):
        return any(holds(item, paths) for item in value)
    if isinstance(value, dict):
        return any(holds(item, paths) for item in value.values())
    if dataclasses.is_dataclass(value):
        return any(holds(getattr(value, f.name), paths) for f in dataclasses.fields(value))
    return False


@settings(max_examples=examples(100), deadline=None)
@given(site=sites(), data=st.data())
def test_a_field_edit_plans_exactly_the_pages_whose_data_holds_the_article(site, data):
    files = [a.source_path for a in site.articles]
    edited = frozenset(data.draw(st.sets(st.sampled_from(files), min_size=1, max_size=3)))
    reached = [path for path, *_ in _page_list(site, WORDS, edited)]
    assert len(reached) == len(set(reached))
    assert set(reached) == {path for path, _, _, context in _page_list(site, WORDS) if holds(context, edited)}
