"""Related stories (issue #16): for each article, the others that share the most tags with it,
ties broken newest first. Worked out from positions alone — the site's newest-first order and
each tag's positions in it — so a rebuild from the last build's skeleton (last_build.py) finds
the same lists without loading a single article."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from itertools import combinations, islice

from ..core.model import Article, ArticleList, source_paths

# Up to this many tags, an article's related stories are found tag set by tag set (at most
# 63 sets, each read only as far as it must be); beyond, by counting every shared tag.
_MOST_TAGS_BY_SETS = 6


class RelatedStories(Mapping[str, tuple[Article, ...]]):
    """Content file → its related stories, worked out when first asked for."""

    def __init__(self, articles: ArticleList, tag_positions: Sequence[Sequence[int]], count: int):
        self.articles, self.count = articles, count
        self.members = [tuple(at) for at in tag_positions]  # each tag's positions, newest first
        self.sets = [frozenset(at) for at in self.members]
        self.tags_at: defaultdict[int, list[int]] = defaultdict(list)  # position → its tags
        for tag, at in enumerate(self.members):
            for position in at:
                self.tags_at[position].append(tag)
        self.position = {path: i for i, path in enumerate(source_paths(articles))}

    def __getitem__(self, path: str) -> tuple[Article, ...]:
        return tuple(self.articles[i] for i in self.positions(self.position[path]))

    def __iter__(self) -> Iterator[str]:
        return iter(self.position)

    def __len__(self) -> int:
        return len(self.position)

    def positions(self, at: int) -> list[int]:
        """Return the positions of the related stories of the article at `at`."""
        tags = self.tags_at.get(at, [])
        if self.count <= 0 or not tags:
            return []
        if len(tags) > _MOST_TAGS_BY_SETS:
            return by_counting(at, [self.members[t] for t in tags], self.count)
        return self._by_tag_sets(at, tags)

    def _by_tag_sets(self, at: int, tags: list[int]) -> list[int]:
        # Level by level, from articles that share all the tags down to those that share one:
        # when a level is reached, every article sharing more was taken, so the untaken
        # articles of each set of `size` tags share exactly `size`; the newest `want` of each
        # set are all that can be chosen, so no set is read further than that.
        found: list[int] = []
        taken = {at}
        for size in range(len(tags), 0, -1):
            want = self.count - len(found)
            if want <= 0:
                break
            level: set[int] = set()
            for chosen in combinations(tags, size):
                smallest = min(chosen, key=lambda t: len(self.members[t]))
                others = [self.sets[t] for t in chosen if t != smallest]
                level.update(islice((p for p in self.members[smallest]
                                     if p not in taken and all(p in s for s in others)), want))
            newest = sorted(level)[:want]
            found += newest
            taken.update(newest)
        return found


def by_counting(at: int, members: Sequence[Sequence[int]], count: int) -> list[int]:
    """Return the `count` positions sharing the most of these tags' positions with `at`,
    ties newest (lowest) first: the plain definition of related stories."""
    shared = Counter(p for positions in members for p in positions if p != at)
    return sorted(shared, key=lambda p: (-shared[p], p))[:count]
