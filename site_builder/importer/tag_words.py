"""The word lists the tagger (tagging.py) uses to tell names from the other capitalised words.

All entries are lower case; the tagger compares case-folded, accent-stripped words.
"""
from __future__ import annotations

import importlib.resources
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Never a tag, wherever they stand (issue #3): a date is not what an article is about.
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
MONTHS = _words("january february march april may june july august september october "
                    "november december jan feb mar apr jun jul aug sep sept oct nov dec")

# English function words and the sentence openers that a capital letter makes look like names.
STOP_WORDS = _words("""
a about above after again against all also although am among an and another any are around as
at be because been before being below between both but by can could despite did do does doing
down during each either even ever every few for from further had has have having he her here
hers herself him himself his how however i if in instead into is it its itself just last least
less like many may meanwhile might more most much must my myself neither never next no nor not
now of off on once one only or other our ours ourselves out over own per perhaps rather same
several she should since so some such than that the their theirs them themselves then there
these they this those though through thus to too toward towards under unless until up upon us
very via was we were what whatever when where whether which while who whom whose why will with
within without would yet you your yours yourself according after earlier later today tomorrow
yesterday tonight yes oh many much first second third new old still already again
""")

# Titles and offices: "Iranian Supreme Leader Ali Khamenei" is about Khamenei (and Iran).
TITLES = _words("""
president vice prime minister ministers foreign defense defence interior finance secretary
general director deputy chief supreme leader leaders spokesman spokeswoman spokesperson
ambassador envoy commander king queen prince princess crown sheikh emir sultan ayatollah imam
pope chancellor governor mayor senator sen rep representative speaker chairman chairwoman chair
ceo gen col lt maj capt sgt mr mrs ms miss dr prof sir lord lady judge justice attorney cardinal
bishop archbishop rabbi mufti former late acting interim head premier lawmaker mp
director-general president-elect secretary-general
""")

# A title followed by one of these is the name of a body, not a person's title: "General
# Assembly", "Supreme Court" keep their title word.
BODIES = _words("""
assembly council court agency committee ministry party corps forces army navy organization
organisation union bank fund company group office department commission parliament
""")

# Capitalised adjectives and common words that are never a useful tag on their own.
NOT_TAGS = WEEKDAYS | MONTHS | _words("""
western eastern northern southern central western-backed islamic internet web
""")

# Lower-case words that may stand inside a name: "Islamic Republic of Iran", "Bashar al-Assad".
CONNECTORS = _words("of de da del der di du la le van von bin ibn al el")

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Sen", "Rep", "St", "Lt", "Col",
                 "Capt", "Sgt", "Gov", "Jr", "Sr", "Mt")


@lru_cache(maxsize=1)
def places() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return (tag, other names and adjectives) for every place in data/places.txt."""
    text = importlib.resources.files("site_builder").joinpath("data/places.txt").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tag, names, adjectives = ([s.strip() for s in field.split(",") if s.strip()]
                                  for field in (line.split("|") + ["", ""])[:3])
        plurals = [a + "s" for a in adjectives if not a.endswith(("sh", "ch", "ese", "ss"))]
        rows.append((tag[0], tuple(names + adjectives + plurals)))
    return tuple(rows)
