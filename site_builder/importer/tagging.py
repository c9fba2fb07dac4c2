"""Propose tags for an imported article: the people, places and organisations it is about.

No language model is needed (and none can be downloaded): the method reads what newsroom
English marks plainly. It is described, with its measured precision and recall, in
docs/tagging.md; in short:

1. **Names** are runs of capitalised words ("Rafael Grossi", "Islamic Republic of Iran"), cut
   at punctuation and lower-case words. Leading titles and place adjectives are peeled off
   ("Iranian Supreme Leader Ali Khamenei" → a mention of Iran, and "Ali Khamenei").
2. **One thing, many names.** site.toml's `known_tags` and `tag_aliases`, a list of places
   and their adjectives (data/places.txt: "Iranian" → Iran), acronyms spelled out in the text
   ("International Atomic Energy Agency (IAEA)" → IAEA) and surnames ("Ali Khamenei", then
   "Khamenei") each bring the names of one thing together under one tag. Accents and case do
   not split a thing ("Diaz-Canel" is "Díaz-Canel"); the accented spelling wins.
3. **Not names:** a word written in lower case elsewhere in the article ("Revolution"), one
   that is only ever capitalised at the start of a sentence ("Seven …"), stop words, titles,
   weekday and month names, and runs of more than four words.
4. **Centrality:** 3 points for the headline, 2 for the image caption, 1 for the first
   paragraph, 1 for each paragraph that names it, and 1 for a person introduced in full and
   named again. A mention right after "in" or "at" ("met in Tehran") is where something
   happened more than what it is about: it counts half. Known tags count 1.5 times. Tags
   scoring under 3 are dropped; the best five are kept.

Scripts without capital letters (Arabic, Hebrew) only get known tags and aliases.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..core.model import SiteConfig
from .tag_words import ABBREVIATIONS, BODIES, CONNECTORS, NOT_TAGS, STOP_WORDS, TITLES, places

MAX_TAGS = 5
MAX_WORDS = 4
MIN_SCORE = 3.0
HEADLINE, CAPTION, LEAD, PERSON, KNOWN = 3.0, 2.0, 1.0, 1.0, 1.5
SETTING_WEIGHT = 0.5
SETTING = frozenset({"in", "at"})

_TOKEN = re.compile(
    r"(?P<abbr>\b(?:" + "|".join(ABBREVIATIONS) + r")\.)"
    r"|(?P<dotted>\b(?:[A-Z]\.){2,})"
    r"|(?P<word>[^\W_]\w*(?:[-‐'’][^\W_]\w*)*)"
    r"|(?P<punct>\S)")
_SENTENCE_END = set(".!?:…")
_OPENING = set("“‘«\"'")
_POSSESSIVE = re.compile(r"[’']s?$")
_PARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|bin|ibn|abu|abd)-(?=\w)")


@dataclass(frozen=True)
class _Token:
    text: str  # as written, without a possessive 's
    fold: str  # case-folded, accents stripped: what names are compared by
    word: bool
    cap: bool  # starts with a capital letter: may be (part of) a name
    upper: bool  # all capitals: an acronym
    start: bool  # first word of a sentence or of a quotation


class _Mention(NamedTuple):
    key: str  # the thing's key
    kind: str
    tokens: list[_Token]  # the words that name it here
    setting: bool  # "in Tehran": the place where it happened


@dataclass
class _Thing:
    """One tag-to-be: its names as seen, and where it was mentioned."""

    name: str
    kind: str  # "known" (site.toml), "place" (data/places.txt), "acronym" or "text"
    spellings: list[str] = field(default_factory=list)
    paragraphs: dict[int, float] = field(default_factory=dict)  # index (-1: caption) → weight
    non_initial: bool = False  # named somewhere other than a sentence's first word
    full_name: bool = False  # seen as "First Last" and later merged with "Last"


def propose_tags(title: str, caption: str | None, paragraphs: Sequence[str], config: SiteConfig,
                 limit: int = MAX_TAGS) -> list[str]:
    """Return at most `limit` tags for an article, most central first."""
    texts = {-1: caption or "", **dict(enumerate(paragraphs))}
    tokens = {i: tokenize(text) for i, text in texts.items()}
    lexicon = _Lexicon(config, _acronyms(tokens.values()))
    things: dict[str, _Thing] = {}
    lower_words = {t.fold for ts in tokens.values() for t in ts if t.word and not t.cap}
    for index, toks in tokens.items():
        for mention in _mentions(toks, lexicon):
            _note(things, lexicon, mention, index)
    _merge_surnames(things, lexicon)
    headline = [t.fold for t in tokenize(title) if t.word]
    scored = [(score, thing.name) for key, thing in things.items()
              if _is_tag(key, thing, lower_words)
              and (score := _score(key, thing, lexicon, headline)) >= MIN_SCORE]
    scored.sort(key=lambda pair: -pair[0])
    return [name for _, name in scored[:limit]]


def tokenize(text: str) -> list[_Token]:
    """Split text into words and punctuation, marking the words that start a sentence."""
    tokens: list[_Token] = []
    start = True
    for match in _TOKEN.finditer(text):
        raw = match.group()
        if match.lastgroup == "punct":
            opening = raw in _OPENING and text[match.end():match.end() + 1].isalnum()
            start = start or raw in _SENTENCE_END or opening
            tokens.append(_Token(raw, raw, False, False, False, False))
            continue
        word = _POSSESSIVE.sub("", raw) if match.lastgroup == "word" else raw
        word = word or raw
        core = _PARTICLE.sub("", word)
        tokens.append(_Token(word, fold(word), True, core[:1].isupper(),
                             sum(c.isupper() for c in word) >= 2 and word.upper() == word, start))
        start = False
    return tokens


def fold(text: str) -> str:
    """Return text case-folded and without accents: 'Díaz-Canel' → 'diaz-canel'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().rstrip(".")


class _Lexicon:
    """Every name the tagger knows, mapped to the thing it names."""

    def __init__(self, config: SiteConfig, acronyms: dict[tuple[str, ...], str]):
        # folded words → (thing key, which words are acronyms and must be written in capitals)
        self.forms: dict[tuple[str, ...], tuple[str, tuple[bool, ...]]] = {}
        self.names: dict[str, str] = {}  # thing key → display name
        self.kinds: dict[str, str] = {}
        for tag, others in places():
            self._add(tag, [tag, *others], "place")
        for words, acronym in acronyms.items():
            self._add(acronym, [acronym, " ".join(words)], "acronym")
        for tag in config.known_tags:
            self._add(tag, [tag], "known")
        for tag, others in config.tag_aliases.items():
            self._add(tag, [tag, *others], "known")
        self.longest = max((len(f) for f in self.forms), default=1)

    def _add(self, tag: str, names: list[str], kind: str) -> None:
        """Add a thing's names; a thing already known under one of them keeps its key."""
        forms = {n: [t for t in tokenize(n) if t.word] for n in names}
        key = next((self.forms[f][0] for f in map(_folds, forms.values()) if f in self.forms),
                   _key(tag))
        if kind == "known" or key not in self.names:
            self.names[key], self.kinds[key] = tag, kind
        for tokens in forms.values():
            if tokens and (kind == "known" or _folds(tokens) not in self.forms):
                self.forms[_folds(tokens)] = (key, tuple(t.upper for t in tokens))

    def match(self, tokens: Sequence[_Token], i: int) -> tuple[str, int] | None:
        """Return (thing key, length) of the longest known name starting at tokens[i]."""
        for length in range(min(self.longest, len(tokens) - i), 0, -1):
            span = tokens[i:i + length]
            found = self.forms.get(_folds(span))
            # "US" must be written in capitals ("us" is not it); other words in any case
            if found and all(t.word and (t.upper or not upper) for t, upper in zip(span, found[1])):
                return found[0], length
        return None

    def forms_of(self, key: str) -> list[tuple[str, ...]]:
        """Return every folded name of a thing."""
        return [form for form, (k, _) in self.forms.items() if k == key]


def _folds(tokens: Sequence[_Token]) -> tuple[str, ...]:
    return tuple(t.fold for t in tokens)


def _acronyms(texts: Iterable[list[_Token]]) -> dict[tuple[str, ...], str]:
    """Find acronyms spelled out before them: 'International Atomic Energy Agency (IAEA)'."""
    found: dict[tuple[str, ...], str] = {}
    for tokens in texts:
        for i in range(2, len(tokens) - 2):
            if tokens[i].text == "(" and tokens[i + 1].upper and tokens[i + 2].text == ")":
                words = _spelled_out(tokens[:i], tokens[i + 1].text)
                if words:
                    found[words] = tokens[i + 1].text
    return found


def _spelled_out(before: Sequence[_Token], acronym: str) -> tuple[str, ...] | None:
    """Return the folded words before the bracket whose capitals spell the acronym, if any."""
    words: list[_Token] = []
    for token in reversed(before):
        if not token.word or not (token.cap or token.fold in CONNECTORS | {"the", "and", "for"}):
            break
        words.insert(0, token)
        initials = "".join(t.text[0] for t in words if t.cap).upper()
        if initials == acronym.replace(".", "").upper() and words[0].cap:
            return tuple(t.fold for t in words)
    return None


def _mentions(tokens: list[_Token], lexicon: _Lexicon) -> Iterator[_Mention]:
    """Yield a mention for each known name and each thing a name-like run names."""
    i = 0
    while i < len(tokens):
        found = lexicon.match(tokens, i)
        span = tokens[i:i + found[1]] if found else []
        # "met in Tehran": where something happened, which is less what it is about
        setting = i > 0 and tokens[i - 1].fold in SETTING
        if found and lexicon.kinds[found[0]] == "known" and not all(t.cap for t in span):
            # a site.toml tag written partly in lower case ("US sanctions", "nuclear deal")
            yield _Mention(found[0], "known", span, setting)
            i += len(span)
        elif tokens[i].word and tokens[i].cap:
            end = _run_end(tokens, i)
            for key, kind, part in _resolve(tokens[i:end], lexicon):
                yield _Mention(key, kind, part, setting)
            i = end
        else:
            i += 1


def _run_end(tokens: list[_Token], i: int) -> int:
    """Return the end of the run of capitalised words (with 'of', 'of the', 'al-' …) at i."""
    end = i
    while end < len(tokens) and tokens[end].word and tokens[end].cap:
        end += 1
        gap = end
        while gap < len(tokens) and tokens[gap].word and not tokens[gap].cap and (
                tokens[gap].fold in CONNECTORS or (tokens[gap].fold == "the" and tokens[gap - 1].fold == "of")):
            gap += 1
        if gap > end and gap < len(tokens) and tokens[gap].word and tokens[gap].cap:
            end = gap
    return end


def _resolve(run: list[_Token], lexicon: _Lexicon) -> Iterator[tuple[str, str, list[_Token]]]:
    """Yield the things a run of capitalised words names, peeling off titles and places."""
    for part in _split(run):
        while part:
            found = lexicon.match(part, 0)
            if found and found[1] == len(part):
                yield found[0], lexicon.kinds[found[0]], part
                break
            if found and not _is_body(part[found[1]:]):
                yield found[0], lexicon.kinds[found[0]], part[:found[1]]
                part = part[found[1]:]
            elif (part[0].fold in TITLES and not _is_body(part[1:])) or part[0].fold in CONNECTORS | {"the"}:
                part = part[1:]
            else:
                part = _after_title(part)
                while part and part[-1].fold in CONNECTORS | TITLES | {"the"}:
                    part = part[:-1]
                if part and len(part) <= MAX_WORDS:
                    yield _key(" ".join(t.text for t in part)), "text", part
                break


def _after_title(part: list[_Token]) -> list[_Token]:
    """Return the name after a title inside a run: 'Industry Minister Jozef Síkela' → 'Jozef Síkela'."""
    for j in range(len(part) - 2, -1, -1):
        rest = part[j + 1:]
        if part[j].fold in TITLES and not _is_body(rest) and rest[0].fold not in CONNECTORS | {"the"}:
            return rest
    return part


def _split(run: list[_Token]) -> list[list[_Token]]:
    """Cut a run at words that are never part of a name (weekdays, 'The', 'During'), and
    before an acronym that follows a name ('… Díaz-Canel US')."""
    parts: list[list[_Token]] = [[]]
    for token in run:
        if token.fold in STOP_WORDS | NOT_TAGS and token.cap and not token.upper:
            parts.append([])
            continue
        if token.upper and parts[-1] and not parts[-1][-1].upper:
            parts.append([])
        parts[-1].append(token)
    return [p for p in parts if p]


def _is_body(rest: Sequence[_Token]) -> bool:
    """Whether a title word begins the name of a body: 'General Assembly', 'Supreme Court'."""
    return len(rest) == 1 and rest[0].fold in BODIES


def _note(things: dict[str, _Thing], lexicon: _Lexicon, mention: _Mention, index: int) -> None:
    """Record one mention of a thing in paragraph `index`."""
    spelling = " ".join(t.text for t in mention.tokens)
    thing = things.setdefault(mention.key, _Thing(lexicon.names.get(mention.key) or spelling, mention.kind))
    thing.spellings.append(spelling)
    weight = SETTING_WEIGHT if mention.setting else 1.0
    thing.paragraphs[index] = max(weight, thing.paragraphs.get(index, 0.0))
    thing.non_initial |= not mention.tokens[0].start


def _merge_surnames(things: dict[str, _Thing], lexicon: _Lexicon) -> None:
    """Fold 'Ali Khamenei' into 'Khamenei' when the article (or site.toml) names him so."""
    for key in [k for k, t in things.items() if t.kind == "text" and " " in k]:
        surname = key.rsplit(" ", 1)[1]
        known = lexicon.forms.get((surname,), ("", ()))[0]
        if lexicon.kinds.get(known) == "known" and known not in things:
            things[known] = _Thing(lexicon.names[known], "known")
        target = things.get(surname) or things.get(known)
        if target is None or target is things[key]:
            continue
        thing = things.pop(key)
        for index, weight in thing.paragraphs.items():
            target.paragraphs[index] = max(weight, target.paragraphs.get(index, 0.0))
        target.non_initial |= thing.non_initial
        target.full_name = True
        target.spellings += [s.rsplit(" ", 1)[1] for s in thing.spellings]
    for thing in things.values():
        if thing.kind == "text":  # the accented spelling is the right one: "Díaz-Canel"
            thing.name = max(thing.spellings, key=lambda s: (sum(ord(c) > 127 for c in s),
                                                             thing.spellings.count(s)))


def _is_tag(key: str, thing: _Thing, lower_words: set[str]) -> bool:
    """Whether a thing is a name worth a tag (known things always are)."""
    if thing.kind != "text":
        return True
    words = key.split()
    if len(words) == 1 and (key in lower_words or not thing.non_initial or len(key) < 2):
        return False
    return not all(w in STOP_WORDS | TITLES | NOT_TAGS | CONNECTORS for w in words)


def _score(key: str, thing: _Thing, lexicon: _Lexicon, headline: list[str]) -> float:
    """Rate how central a thing is to the article (docs/tagging.md)."""
    weights = thing.paragraphs
    score = (sum(w for i, w in weights.items() if i >= 0) + CAPTION * weights.get(-1, 0.0)
             + LEAD * weights.get(0, 0.0) + PERSON * thing.full_name)
    forms = set(lexicon.forms_of(key)) | {_folds([t for t in tokenize(s) if t.word])
                                          for s in thing.spellings}
    if any(_contains(headline, form) for form in forms if form):
        score += HEADLINE
    return score * (KNOWN if thing.kind == "known" else 1.0)


def _contains(words: list[str], form: tuple[str, ...]) -> bool:
    n = len(form)
    return any(tuple(words[i:i + n]) == form for i in range(len(words) - n + 1))


def _key(name: str) -> str:
    return " ".join(fold(name).split())
