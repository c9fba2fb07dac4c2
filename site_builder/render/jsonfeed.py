"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) from the same entries as RSS and Atom."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .feedgen_fixes import Link

if TYPE_CHECKING:
    from .feed_docs import FeedDoc, FeedEntry


def json_feed(doc: FeedDoc, items: Sequence[bytes], self_url: str, links: list[Link], author: str) -> bytes:
    """Return one feed document as JSON Feed 1.1, its items each from `json_item`; `author`
    (the site) is the author of every item that names none (JSON Feed 1.1: top-level authors)."""
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": doc.title,
        "home_page_url": doc.page_url,
        "feed_url": self_url,
        "description": doc.description,
        "language": doc.language,
        "authors": [{"name": author}],
    }
    hubs = [{"type": "WebSub", "url": link.href} for link in links if link.rel == "hub"]
    if hubs:
        feed["hubs"] = hubs
    # JSON Feed has no archives; "next_url" pages to older items, as prev-archive does.
    older = next((link.href for link in links if link.rel == "prev-archive"), None)
    if older:
        feed["next_url"] = older
    # "items" last, spliced in: each item is serialized once a build (issue #15), and compact
    # JSON of a list is its items' JSON joined by ",", so this is what json.dumps of the whole
    # would write.
    head = _dumps(feed).encode("utf-8")
    return b"".join([head[:-1], b',"items":[', b",".join(items), b"]}\n"])


def json_item(entry: FeedEntry) -> bytes:
    """Return one entry as a JSON Feed item (UTF-8), to be reused in every document it is in."""
    return _dumps(_item(entry)).encode("utf-8")


def _dumps(value: dict[str, Any]) -> str:
    # Compact: with an indent, json falls back from its C encoder to Python, 8× slower — a
    # tenth of a cold build of 10,000 articles. Readers do not care; `python -m json.tool`
    # shows it indented.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _item(entry: FeedEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.id, "url": entry.url, "title": entry.title}
    # Each field said once (issue 15: archives hold every article): an item of summaries has
    # its summary as its text, no "summary" beside it; "date_modified" only when it differs;
    # "authors" only when the byline names some (else the feed's, the site, are the item's).
    if entry.content_html is not None:
        item["content_html"] = entry.content_html
        item["summary"] = entry.summary
    else:
        item["content_text"] = entry.summary
    item["date_published"] = entry.published.isoformat()
    if entry.updated != entry.published:
        item["date_modified"] = entry.updated.isoformat()
    if entry.authors:
        item["authors"] = [{"name": name} for name in entry.authors]
    item["tags"] = list(entry.categories)
    if entry.language:  # JSON Feed 1.1: an item in another language than the feed's
        item["language"] = entry.language
    if entry.media:
        item["image"] = entry.media.url
    if entry.image:
        item["attachments"] = [{"url": entry.image.url, "mime_type": entry.image.type,
                                **({"size_in_bytes": entry.image.length} if entry.image.length else {})}]
    return item
