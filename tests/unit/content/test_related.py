"""Related stories (issue #16): the other articles sharing the most tags, ties newest first."""
from __future__ import annotations

from types import SimpleNamespace

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.content.related import RelatedStories, by_counting


def related(tags_by_article: list[set[int]], count: int = 4) -> list[list[int]]:
    """Related positions of each article (position 0 newest), given each one's tags."""
    tags = sorted(set().union(*tags_by_article)) if tags_by_article else []
    positions = [[i for i, own in enumerate(tags_by_article) if t in own] for t in tags]
    articles = [SimpleNamespace(source_path=f"content/a{i}.md") for i in range(len(tags_by_article))]
    stories = RelatedStories(articles, positions, count)
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


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sets(st.integers(0, 9), max_size=9), max_size=30), st.integers(0, 6))
def test_tag_sets_agree_with_plain_counting(tags_by_article, count):
    """The fast way (sets of positions as the bits of ints) gives what counting every shared
    tag gives."""
    got = related(tags_by_article, count)
    tags = sorted(set().union(*tags_by_article)) if tags_by_article else []
    for i, own in enumerate(tags_by_article):
        members = [[j for j, other in enumerate(tags_by_article) if t in other] for t in tags if t in own]
        assert got[i] == (by_counting(i, members, count) if count else []), (i, tags_by_article)
