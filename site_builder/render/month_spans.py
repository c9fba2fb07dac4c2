"""Where each calendar month's articles lie in a newest-first list: the months of the archive
pages (pages.py) and of the feeds' archive documents (feeds.py), which hold the same articles.

Found by bisection, so that a list that loads its articles as they are read
(a LazyArticles, in a rebuild after a text edit) loads the months asked for and the
few articles bisection reads, not all.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from ..core.model import Article, month_of


class MonthSpans:
    """The months of a newest-first list of articles, in the site's time zone."""

    def __init__(self, articles: Sequence[Article], timezone: str):
        self.articles, self.timezone = articles, timezone

    def _key(self, article: Article) -> int:
        year, month = month_of(article, self.timezone)
        return -(year * 12 + month)  # newest first: rising keys

    def month(self, i: int) -> tuple[int, int]:
        """The (year, month) of the i-th article."""
        return month_of(self.articles[i], self.timezone)

    def name(self, i: int) -> str:
        """The month of the i-th article, as archive paths write it: "2024/03"."""
        year, month = self.month(i)
        return f"{year:04}/{month:02}"

    def spans(self, at: Sequence[int]) -> list[tuple[int, int]]:
        """Return (start, end) of each month holding an article at one of the positions
        `at` (ascending), newest month first."""
        found: list[tuple[int, int]] = []
        for i in at:
            if found and i < found[-1][1]:
                continue
            key = self._key(self.articles[i])
            found.append((bisect_left(self.articles, key, 0, i, key=self._key),
                          bisect_right(self.articles, key, i, len(self.articles), key=self._key)))
        return found
