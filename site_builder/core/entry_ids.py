"""An article's permanent id as each feed format writes it (issue #13).

An article's `id` is any text: the tag URI site-builder makes, or an imported feed's own id,
kept exactly — an RSS guid such as `gulfdesk-2024-0311-oman-fishing` included, because
subscribers' readers know the article by it, and a new id would show every article again.

    RSS 2.0    <guid> is the id, byte for byte; isPermaLink is what the source said
               (`guid_is_permalink:`), else true when the id is the article's URL; never
               true for an id that is not an http(s) URL (RSS 2.0: it must then be a URL).
    JSON Feed  "id" is any string: the id as it is.
    Atom       <id> must be an IRI (RFC 4287 §4.2.6): the id when it is one, else
               `tag:<id_domain>,2000:guid/<the id, percent-encoded>` (RFC 4151), which
               depends on nothing but the id and id_domain — not the title, slug, date or
               base_url — so it never changes once published (set id_domain, as init does).
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

# RFC 3987: a scheme, then characters an IRI may hold — no space, control, or any of <>"{}|\^`
# — and a `%` only as the start of a percent-encoded octet.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[^\x00-\x20\x7f-\x9f<>\"{}|\\^`%]|%[0-9A-Fa-f]{2})+")
# The date of the tag URIs derived for ids that are not IRIs: fixed, as the feeds' own ids
# (feeds.render_doc), so an article's date may be corrected without changing its Atom id.
_DERIVED = "tag:{domain},2000:guid/"


def is_iri(entry_id: str) -> bool:
    """Whether an id can be an Atom <id> as it is: an absolute IRI."""
    return bool(_IRI.fullmatch(entry_id))


def atom_id(entry_id: str, id_domain: str) -> str:
    """Return the Atom <id> of an article: its id, or a tag URI derived from it.

    >>> atom_id("gulfdesk-2024-0311 oman", "example.org")
    'tag:example.org,2000:guid/gulfdesk-2024-0311%20oman'
    """
    if is_iri(entry_id):
        return entry_id
    return _DERIVED.format(domain=id_domain) + quote(entry_id, safe="")


def same_entry(atom: str, other: str) -> bool:
    """Whether an Atom <id> and an RSS guid or JSON Feed id name the same article."""
    return atom == other or (atom.startswith("tag:") and not is_iri(other)
                             and atom.endswith(",2000:guid/" + quote(other, safe="")))


def guid_of(atom: str) -> str:
    """Return the id an Atom <id> was made from (the inverse of atom_id)."""
    head, found, encoded = atom.partition(",2000:guid/")
    if found and head.startswith("tag:") and "/" not in head:
        guid = unquote(encoded)
        if not is_iri(guid):
            return guid
    return atom


def rss_permalink(entry_id: str, url: str, recorded: bool | None) -> bool:
    """Return the isPermaLink of an article's RSS <guid>: what the source said, else whether
    the id is the article's URL; false for an id that is not an http(s) URL."""
    if urlsplit(entry_id).scheme not in ("http", "https") or not is_iri(entry_id):
        return False
    return recorded if recorded is not None else entry_id == url
