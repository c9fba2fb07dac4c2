"""Translations (issue #16): articles that tell one story in several languages share a
`translation_key:`, and each page links to the others (hreflang, for readers and search
engines alike). Groups are kept as positions in the site's newest-first order, so a rebuild from
the last build's skeleton (last_build.py) finds them without loading an article."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from ..core.errors import ContentError, SiteError
from ..core.model import Article, ArticleList, language_of, source_paths


def translation_groups(articles: ArticleList, site_language: str) -> tuple[list[tuple[int, ...]], list[SiteError]]:
    """Return the positions of each group of translations (two articles or more), each group
    ordered by language; and an error for each language a group has twice."""
    by_key: defaultdict[str, list[int]] = defaultdict(list)
    for position, article in enumerate(articles):
        if article.translation_key:
            by_key[article.translation_key].append(position)
    groups: list[tuple[int, ...]] = []
    errors: list[SiteError] = []
    for key, at in sorted(by_key.items()):
        seen: dict[str, int] = {}
        for i in reversed(at):  # oldest first: the newer of two is the one refused
            language = language_of(articles[i], site_language)
            if language.casefold() in seen:  # language tags are not case-sensitive: pt-BR, pt-br
                errors.append(ContentError(articles[i].source_path,
                                           f"translation_key '{key}': {articles[seen[language.casefold()]].source_path} "
                                           f"is its '{language}' translation too: give one of them another "
                                           "'language:', or another translation_key"))
            seen.setdefault(language.casefold(), i)
        if len(at) > 1:
            groups.append(tuple(sorted(at, key=lambda i: language_of(articles[i], site_language).casefold())))
    return groups, errors


class Translations(Mapping[str, tuple[Article, ...]]):
    """Content file → its translations (the other articles of its group, by language)."""

    def __init__(self, articles: ArticleList, groups: Sequence[Sequence[int]]):
        self.articles = articles
        self.groups = [tuple(group) for group in groups]
        paths = source_paths(articles)
        self.group_of = {paths[at]: n for n, group in enumerate(self.groups) for at in group}

    def __getitem__(self, path: str) -> tuple[Article, ...]:
        group = (self.articles[at] for at in self.groups[self.group_of[path]])
        return tuple(article for article in group if article.source_path != path)

    def __iter__(self) -> Iterator[str]:
        return iter(self.group_of)

    def __len__(self) -> int:
        return len(self.group_of)
