"""The feed half of `site-builder check`: every RSS, Atom and JSON feed of a built site
follows the feed rules of issue 4, as a feed reader and the W3C validator read them.

Each feed must parse (feedparser's bozo is 0; JSON Feed: valid JSON of version 1.1) and
have a self link that is its own address. Each entry must have an id, unique in its feed
and the same in every feed that carries the entry (in Atom, or the tag URI derived from it:
entry_ids.py); a title; a date; an author (Atom); and a
link to its page. Every URL in entry content must be absolute (a reader shows content away
from the site), and every URL that points into the site — entry links, images in content,
enclosures, archive links, the stylesheet — must resolve to a file of it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..core.entry_ids import same_entry
from ..core.model import Progress, no_progress
from .served import Problem, SiteFiles, parse_page

# The root element of a feed, after the XML declaration, processing instructions, comments.
_FEED_ROOT = re.compile(rb"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<(rss|feed|rdf:RDF)[\s>]", re.DOTALL)
_STYLESHEET = re.compile(rb"<\?xml-stylesheet\s[^>]*?href=[\"']([^\"']+)[\"']")
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass
class _Ids:
    """Which id each entry (by its link) has, and where it was first seen."""

    by_link: dict[str, tuple[str, str]] = field(default_factory=dict)  # link → (id, feed file)

    def problem(self, rel: str, link: str, entry_id: str) -> str | None:
        first = self.by_link.setdefault(link, (entry_id, rel))
        # an Atom <id> may be the tag URI derived from a guid that is no IRI (entry_ids.py)
        if not (same_entry(first[0], entry_id) or same_entry(entry_id, first[0])):
            return (f"the entry {link} has the id {entry_id!r} here but {first[0]!r} in {first[1]}: "
                    "readers would show it twice")
        return None


def check_feeds(site: SiteFiles, progress: Progress = no_progress) -> tuple[list[Problem], int]:
    """Return the problems of every feed of the site, and how many feeds there are."""
    problems: list[Problem] = []
    ids, count = _Ids(), 0
    candidates = [rel for rel in sorted(site.files) if rel.endswith((".xml", ".json"))]
    for done, rel in enumerate(candidates, 1):
        if done % 100 == 0 or done == len(candidates):
            progress("feeds", done, len(candidates))
        if rel.endswith(".xml") and rel != "sitemap.xml":
            data = (site.root / rel).read_bytes()
            if not _FEED_ROOT.match(data):
                continue
            count += 1
            problems += [Problem(rel, None, m) for m in xml_feed_problems(rel, data, site, ids)]
        elif rel.endswith(".json"):
            data = (site.root / rel).read_bytes()
            if b"jsonfeed.org/version" not in data[:2000]:
                continue
            count += 1
            problems += [Problem(rel, None, m) for m in json_feed_problems(rel, data, site, ids)]
    return problems, count


def xml_feed_problems(rel: str, data: bytes, site: SiteFiles, ids: _Ids) -> list[str]:
    """Return what is wrong with one RSS or Atom document."""
    import feedparser  # slow to import; only check needs it

    own_url = site.url_of(rel)
    feed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    if feed.bozo:
        return [f"does not parse as a feed: {feed.bozo_exception}"]
    problems = []
    atom = feed.version.startswith("atom")
    links = feed.feed.get("links", [])
    problems += _self_link([link.href for link in links if link.get("rel") == "self"], own_url)
    for link in links:
        if link.get("rel") != "self":
            problems += _target(site, link.href, f"its {link.get('rel', 'alternate')} link")
    stylesheet = _STYLESHEET.search(data[:1000])
    if stylesheet:
        problems += _target(site, urljoin(own_url, stylesheet.group(1).decode()), "its stylesheet")
    if atom and not feed.feed.get("updated"):
        problems.append("has no <updated> date (RFC 4287 §4.1.1)")
    seen: set[str] = set()
    for number, entry in enumerate(feed.entries, 1):
        name = f"entry {number} ({entry.get('title', 'untitled')!r})"
        problems += _entry_id(entry.get("id"), name, seen, rel, entry.get("link"), ids)
        if not entry.get("title"):
            problems.append(f"{name} has no title")
        if not (entry.get("published_parsed") or entry.get("updated_parsed")):
            problems.append(f"{name} has no date")
        if atom and not entry.get("updated"):
            problems.append(f"{name} has no <updated> date (RFC 4287 §4.1.2)")
        if atom and not (entry.get("author") or feed.feed.get("author")):
            problems.append(f"{name} has no author (RFC 4287 §4.1.2)")
        problems += _entry_link(site, entry.get("link"), name)
        for content in [*entry.get("content", []), entry.get("summary_detail")]:
            if content and "html" in content.get("type", ""):
                problems += _content_urls(site, content.value, name)
        for enclosure in entry.get("enclosures", []):
            problems += _target(site, enclosure.get("href", ""), f"{name}'s enclosure", absolute=True)
    return problems


def json_feed_problems(rel: str, data: bytes, site: SiteFiles, ids: _Ids) -> list[str]:
    """Return what is wrong with one JSON Feed document."""
    try:
        feed = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return [f"is not valid JSON: {exc}"]
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        return ["is not a JSON Feed: it needs an object with 'version' and 'items'"]
    problems = []
    if feed.get("version") != JSON_FEED_VERSION:
        problems.append(f"'version' is {feed.get('version')!r}, not {JSON_FEED_VERSION!r}")
    if not feed.get("title"):
        problems.append("has no 'title'")
    problems += _self_link([feed["feed_url"]] if feed.get("feed_url") else [], site.url_of(rel))
    for key in ("home_page_url", "next_url"):
        if feed.get(key):
            problems += _target(site, feed[key], f"its {key}", absolute=True)
    seen: set[str] = set()
    for number, item in enumerate(feed["items"], 1):
        if not isinstance(item, dict):
            problems.append(f"item {number} is not an object")
            continue
        name = f"item {number} ({item.get('title', 'untitled')!r})"
        entry_id = item.get("id")
        problems += _entry_id(entry_id if isinstance(entry_id, str) else None, name, seen, rel, item.get("url"), ids)
        # JSON Feed 1.1: one of them must be there; empty is allowed (an article with no body)
        if not isinstance(item.get("content_html", item.get("content_text")), str):
            problems.append(f"{name} has neither content_html nor content_text")
        if not item.get("date_published"):
            problems.append(f"{name} has no date_published")
        problems += _entry_link(site, item.get("url"), name)
        if item.get("content_html"):
            problems += _content_urls(site, item["content_html"], name)
        for attachment in [item.get("image"), *[a.get("url") for a in item.get("attachments", [])]]:
            if attachment:
                problems += _target(site, attachment, f"{name}'s image", absolute=True)
    return problems


def _self_link(hrefs: list[str], own_url: str) -> list[str]:
    if not hrefs:
        return [f"has no self link: a feed must name its own address ({own_url})"]
    return [f"its self link is {href}, but the feed is at {own_url}" for href in hrefs if href != own_url]


def _entry_id(entry_id: str | None, name: str, seen: set[str], rel: str, link: str | None, ids: _Ids) -> list[str]:
    if not entry_id:
        return [f"{name} has no id"]
    if entry_id in seen:
        return [f"{name} has the id {entry_id!r} of an earlier entry: ids must be unique"]
    seen.add(entry_id)
    clash = ids.problem(rel, link, entry_id) if link else None
    return [clash] if clash else []


def _entry_link(site: SiteFiles, link: str | None, name: str) -> list[str]:
    if not link:
        return [f"{name} has no link to its page"]
    return _target(site, link, f"{name}'s link", absolute=True)


def _content_urls(site: SiteFiles, html: str, name: str) -> list[str]:
    """Every URL in entry content must be absolute, and resolve when it is the site's."""
    problems = []
    for link in parse_page(html.encode("utf-8")).links:
        if link.url.startswith(("mailto:", "tel:", "data:")):
            continue
        if not urlsplit(link.url).scheme:
            problems.append(f"{name}: relative URL {link.url!r} in its content (feed readers "
                            "show content away from the site: URLs must be absolute)")
        else:
            problems += _target(site, link.url, f"{name}: {link.url!r} in its content")
    return problems


def _target(site: SiteFiles, url: str, what: str, absolute: bool = False) -> list[str]:
    """Return a problem when an absolute URL into the site does not resolve."""
    if absolute and not urlsplit(url).scheme:
        return [f"{what} {url!r} is not an absolute URL"]
    if not site.is_internal(url):
        return []
    target, why = site.locate(url)
    return [] if target else [f"{what} is broken: {why}"]
