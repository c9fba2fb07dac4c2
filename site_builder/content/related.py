"""Related stories (issue #16): for each article, the others that share the most tags with it,
ties broken newest first. Worked out from positions alone — the site's newest-first order and
each tag's positions in it — so a rebuild from the last build's skeleton (last_build.py) finds
the same lists without loading a single article."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence

from ..core.model import Article, ArticleList, LazyArticles, source_paths


class RelatedStories(Mapping[str, Sequence[Article]]):
    """Content file → its related stories, worked out when first asked for. An article's
    translations (`translated`: groups of positions) are not among them: its page links to
    them already."""

    def __init__(self, articles: ArticleList, tag_positions: Sequence[Sequence[int]], count: int,
                 translated: Sequence[Sequence[int]] = ()):
        self.articles, self.count = articles, count
        self.kin = {at: sum(1 << i for i in group) for group in translated for at in group}
        self.members = [tuple(at) for at in tag_positions]  # each tag's positions, newest first
        self.tags_at: defaultdict[int, list[int]] = defaultdict(list)  # position → its tags
        for tag, at in enumerate(self.members):
            for position in at:
                self.tags_at[position].append(tag)
        self.paths = source_paths(articles)
        self.position = {path: i for i, path in enumerate(self.paths)}
        self._bits: dict[int, int] = {}

    def __getitem__(self, path: str) -> LazyArticles:
        # which content files they are is known without loading any (source_paths reads
        # `paths`): a title edit finds the pages that list it without loading their lists
        return LazyArticles([self.paths[i] for i in self.positions(self.position[path])], self._articles_of)

    def __iter__(self) -> Iterator[str]:
        return iter(self.position)

    def __len__(self) -> int:
        return len(self.position)

    def _articles_of(self, paths: Sequence[str]) -> list[Article]:
        return [self.articles[self.position[path]] for path in paths]

    def positions(self, at: int) -> list[int]:
        """Return the positions of the related stories of the article at `at`, best first."""
        tags = self.tags_at.get(at, [])
        if self.count <= 0 or not tags:
            return []
        # at_least[k]: the articles sharing at least k of its tags, as bits (bit i: position
        # i). For every article of a 10,000-article site (2–5 tags each, Zipf-like), these few
        # operations on whole sets of bits take 0.3 s; walking the tags' lists in Python, 5 s.
        at_least = [-1] + [0] * len(tags) + [0]
        for done, tag in enumerate(tags):
            bits = self._bits_of(tag)
            for k in range(done + 1, 0, -1):
                at_least[k] |= at_least[k - 1] & bits
        found: list[int] = []
        for k in range(len(tags), 0, -1):
            exactly = at_least[k] & ~at_least[k + 1] & ~(1 << at) & ~self.kin.get(at, 0)
            while exactly and len(found) < self.count:
                lowest = exactly & -exactly  # the newest: positions are newest first
                found.append(lowest.bit_length() - 1)
                exactly ^= lowest
        return found

    def _bits_of(self, tag: int) -> int:
        """Return a tag's positions as the bits of an int, made once."""
        bits = self._bits.get(tag)
        if bits is None:
            flags = bytearray(len(self.position) // 8 + 1)
            for position in self.members[tag]:
                flags[position >> 3] |= 1 << (position & 7)
            bits = self._bits[tag] = int.from_bytes(flags, "little")
        return bits


def by_counting(at: int, members: Sequence[Sequence[int]], count: int, kin: Sequence[int] = ()) -> list[int]:
    """Return the `count` positions sharing the most of these tags' positions with `at`,
    ties newest (lowest) first, `kin` (its translations) aside: the plain definition of
    related stories."""
    shared = Counter(p for positions in members for p in positions if p != at and p not in kin)
    return sorted(shared, key=lambda p: (-shared[p], p))[:count]
