"""Related stories (issue #16): the other articles sharing the most tags, ties newest first."""
from __future__ import annotations

from types import SimpleNamespace

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.content.related import RelatedStories, by_counting


def related(tags_by_article: list[set[int]], count: int = 4, translated: list[list[int]] | None = None) -> list[list[int]]:
    """Related positions of each article (position 0 newest), given each one's tags (and the
    groups of translations)."""
    tags = sorted(set().union(*tags_by_article)) if tags_by_article else []
    positions = [[i for i, own in enumerate(tags_by_article) if t in own] for t in tags]
    articles = [SimpleNamespace(source_path=f"content/a{i}.md") for i in range(len(tags_by_article))]
    stories = RelatedStories(articles, positions, count, translated or [])
    return [stories.positions(i) for i in range(len(tags_by_article))]


def test_most_shared_tags_first_then_newest():
    # 0 shares one tag with 1, two with 3, one with 4, none with 2
    got = related([{1, 2}, {1}, {5}, {1, 2, 3}, {2}])[0]
    assert got == [3, 1, 4]


def test_ties_go_to_the_newest_and_the_count_is_kept():
    got = related([{1}, {1}, {1}, {1}, {1}, {1}], count=4)
    assert got[0] == [1, 2, 3, 4]
    assert got[5] == [0, 1, 2, 3]


def test_an_article_without_tags_or_a_count_of_zero_has_none():
    assert related([set(), {1}, {1}])[0] == []
    assert related([{1}, {1}], count=0) == [[], []]


def test_an_articles_translations_are_not_its_related_stories():
    # 0 and 3 are one story in two languages: each links to the other already
    got = related([{1, 2}, {1}, {5}, {1, 2, 3}, {2}], translated=[[0, 3]])
    assert got[0] == [1, 4] and 0 not in got[3]


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sets(st.integers(0, 9), max_size=9), max_size=30), st.integers(0, 6),
       st.lists(st.integers(0, 29), max_size=12))
def test_tag_sets_agree_with_plain_counting(tags_by_article, count, grouped):
    """The fast way (sets of positions as the bits of ints) gives what counting every shared
    tag gives, translations aside."""
    # translation groups: consecutive pairs of distinct positions among the articles
    seen = list(dict.fromkeys(at for at in grouped if at < len(tags_by_article)))
    groups = [seen[k:k + 2] for k in range(0, len(seen) - 1, 2)]
    got = related(tags_by_article, count, groups)
    tags = sorted(set().union(*tags_by_article)) if tags_by_article else []
    for i, own in enumerate(tags_by_article):
        members = [[j for j, other in enumerate(tags_by_article) if t in other] for t in tags if t in own]
        kin = [at for group in groups if i in group for at in group]
        assert got[i] == (by_counting(i, members, count, kin) if count else []), (i, tags_by_article, groups)
