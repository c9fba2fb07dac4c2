"""What changed since the last build: nothing, only article bodies, or more.

A build records what it was made from: the `frame` (every input but the content files' bytes:
settings, theme, static files, options, which content files there are), a digest of every
article's fields (`meta`: all but the body) and the stat of each content file. The most common
edit, a correction in an article's text, leaves frame and meta as they were: then only the
outputs that show that body (the article's page and the feeds it is in) can differ, and the
others keep the key their record holds, the one a full plan would compute again.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from .model import Article


def digest_of(parts: Iterable[str]) -> str:
    """Return a hash of the texts, in order."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def meta_signature(articles: Iterable[Article]) -> str:
    """Return what identifies every article's fields, drafts and future ones included."""
    return digest_of(f"{a.source_path}={a.meta_digest}" for a in articles)


def body_changes(last: Mapping | None, frame: str, meta: str, stats: Mapping[str, str],
                 last_holds: bool) -> frozenset[str] | None:
    """Return the content files whose body alone may have changed since the last build (a
    file whose stat changed though its bytes did not is among them: harmless, its outputs
    render to the same bytes and are not written), or None when more than bodies may have.
    `last_holds`: no article the last build held back is due, and output/ is that build's."""
    if not last or not last_holds or last.get("frame") != frame or last.get("meta") != meta:
        return None
    before = last.get("stats") or {}
    return frozenset(path for path, stat in stats.items() if before.get(path) != stat)
