"""What changed since the last build: nothing, only article bodies, fields, or more.

A build records what it was made from: the `setup` (every input but the content files' bytes:
settings, theme, static files, options, which content files there are), a digest of every
article's fields (`meta`: all but the body), a digest of what places each article on the site
(`layout`: its URL, dates, tags, id, draft status) and the stat of each content file. The most
common edits leave the setup and the layout as they were: a correction in an article's text
(then only the outputs that show its body can differ: its page and the feeds it is in), or in
its title or summary (then only the outputs whose data holds the article). Every other output
keeps the key its record holds, the one a full plan would compute again.
"""
from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

from ..core.model import Article


def digest_of(parts: Iterable[str]) -> str:
    """Return a hash of the texts, in order."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def meta_signature(articles: Iterable[Article]) -> str:
    """Return what identifies every article's fields, drafts and future ones included
    (`articles` in the order of their content files' paths, as load.py gives them)."""
    return fields_signature((a.source_path, a.meta_digest) for a in articles)


def fields_signature(digests: Iterable[tuple[str, str]]) -> str:
    """Return the signature of (content file, digest of its fields) pairs."""
    return digest_of(f"{path}={digest}" for path, digest in digests)


def layout_of(a: Article) -> str:
    """Return what places an article on the site: which pages, lists and feeds it is in, in
    what order, at what URL — its tags' and its authors' too —, which derived pictures the
    site holds (its lead image's: render/images.py), and which pages link to it as a
    translation, in what language. Its title, summary, caption, body: not."""
    return (f"{a.slug}|{a.date.isoformat()}|{a.updated}|{a.draft}|{a.id}|{a.aliases}|{a.image}|"
            + "|".join(f"{t.name}/{t.slug}" for t in a.tags)
            + "#" + "|".join(f"{p.name}/{p.slug}" for p in a.authors)
            + f"#{a.translation_key}|{a.language}")


def layout_signature(articles: Iterable[Article]) -> str:
    """Return what places every article on the site (each digested when it was parsed)."""
    return fields_signature((a.source_path, a.layout_digest) for a in articles)


@dataclass(frozen=True)
class Changes:
    """The content files changed since the last build, and what of them may have: the bodies
    only, or the fields too (never the layout)."""

    paths: frozenset[str]
    bodies_only: bool


def light_changes(last: Mapping | None, setup: str, meta: str, layout: str, stats: Mapping[str, str],
                  output_as_recorded: bool, same_bytes: Container[str] = frozenset()) -> Changes | None:
    """Return what changed since the last build when its layout is the same, else None (then
    anything may have). A file whose stat changed counts as changed unless it is in
    `same_bytes` (its bytes are those the last build read: in a fresh clone, every file's stat
    is new). `output_as_recorded`: no article the last build held back is due, and output/ is
    still as that build's records say (rebuild_plan.py)."""
    if not last or not output_as_recorded or last.get("setup") != setup or last.get("layout") != layout:
        return None
    before = last.get("stats") or {}
    return Changes(frozenset(path for path, stat in stats.items() if before.get(path) != stat and path not in same_bytes),
                   bodies_only=last.get("meta") == meta)
