"""Tag proposals: sensible on the seed, never dates or fragments, site.toml's lists preferred."""
from __future__ import annotations

from conftest import FIXTURES, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from measure_tagging import measure, totals

from site_builder.core.config import config_from_dict, load_config
from site_builder.core.model import SiteConfig
from site_builder.importer.dump import decode_dump, parse_dump
from site_builder.importer.tag_words import MONTHS, STOP_WORDS, TITLES, WEEKDAYS
from site_builder.importer.tagging import fold, propose_tags

SEED = FIXTURES / "000_5d718aeda1ebb40d.txt"
PLAIN = SiteConfig()


def seed_tags(config: SiteConfig) -> list[list[str]]:
    articles = parse_dump(SEED.name, decode_dump(SEED.name, SEED.read_bytes()))
    return [propose_tags(a.title, a.caption, a.paragraphs, config) for a in articles]


def test_seed_gets_the_people_places_and_bodies_it_is_about():
    for config in (PLAIN, load_config(REPO)):
        first, second = seed_tags(config)
        assert {"Iran", "Cuba", "Khamenei", "Díaz-Canel"} <= set(first), first
        assert {"Iran", "IAEA", "Grossi", "Pezeshkian"} <= set(second), second
        for tags in (first, second):
            assert len(tags) <= 5
            assert not {fold(t) for t in tags if not t.isupper()} & (WEEKDAYS | MONTHS | STOP_WORDS)


def test_measured_precision_and_recall_hold():
    """The figures of docs/tagging.md; a change that lowers them must say why there."""
    precision, recall = totals(measure(PLAIN))
    assert precision >= 0.9 and recall >= 0.65, (precision, recall)
    precision, recall = totals(measure(load_config(REPO)))
    assert precision >= 0.9 and recall >= 0.7, (precision, recall)


def test_weekdays_months_titles_and_sentence_openers_are_never_tags():
    paragraphs = ["On Monday, President Smith met Ambassador Jones in Paris on Monday.",
                  "Monday was busy. Meanwhile the Supreme Leader spoke on Tuesday in March.",
                  "Seven ministers met Smith and Jones on Monday in Paris, in March.",
                  "Smith said Monday and March were busy months for Jones."]
    tags = propose_tags("Smith Meets Jones on Monday in March", "Smith and Jones on Monday.",
                        paragraphs, PLAIN)
    assert set(tags) == {"Smith", "Jones"}  # Paris is only where it happened ("in Paris")


def test_names_are_merged_accents_and_surnames_and_acronyms():
    paragraphs = [("Cuban President Miguel Díaz-Canel met the International Atomic Energy Agency "
                  "(IAEA) in Vienna."), "Diaz-Canel told the IAEA that Cuba wanted talks.",
                  "The IAEA said Diaz-Canel was welcome."]
    tags = propose_tags("Díaz-Canel Visits IAEA", None, paragraphs, PLAIN)
    assert tags[:2] == ["Díaz-Canel", "IAEA"] and "Cuba" in tags
    assert not {"Miguel Díaz-Canel", "International Atomic Energy Agency", "Cuban"} & set(tags)


def test_site_toml_spellings_and_aliases_are_preferred():
    config = config_from_dict({"known_tags": ["United States", "Nuclear Deal"],
                               "tag_aliases": {"IAEA": ["International Atomic Energy Agency"]}})
    paragraphs = ["The US and the International Atomic Energy Agency discussed the nuclear deal.",
                  "U.S. officials said the nuclear deal was close.",
                  "American diplomats and the International Atomic Energy Agency agreed."]
    tags = propose_tags("US Nears Nuclear Deal", None, paragraphs, config)
    assert set(tags) == {"United States", "Nuclear Deal", "IAEA"}


def test_lower_case_acronym_lookalikes_are_not_the_acronym():
    tags = propose_tags("Let us talk", None, ["Let us talk about us.", "Tell us more, us two."] * 2, PLAIN)
    assert tags == []


def test_scripts_without_capitals_get_known_tags_only():
    config = config_from_dict({"known_tags": ["Iran"], "tag_aliases": {"Iran": ["إيران"]}})
    paragraphs = ["قالت إيران إن المحادثات مستمرة.", "وأكدت إيران استعدادها.", "إيران ترحب."]
    assert propose_tags("إيران والمحادثات", None, paragraphs, config) == ["Iran"]
    assert propose_tags("إيران والمحادثات", None, paragraphs, PLAIN) == []


_WORDS = st.sampled_from(["Monday", "The", "Iran", "said", "of", "President", "In", "March",
                          "Grossi", "and", "However", "Seven", "US", "us", "the", "Rafael", "(IAEA)",
                          "International", "Agency", "Leader", "Supreme", ".", ",", "“", "”", "Díaz-Canel"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=30).map(" ".join), min_size=1, max_size=6),
       st.lists(_WORDS, min_size=1, max_size=8).map(" ".join))
def test_any_text_gives_at_most_five_short_name_like_tags(paragraphs, title):
    tags = propose_tags(title, paragraphs[0], paragraphs, PLAIN)
    assert len(tags) <= 5 and len(set(tags)) == len(tags)
    for tag in tags:
        words = tag.split()
        assert 1 <= len(words) <= 4
        for edge in (words[0], words[-1]):
            assert edge.isupper() or fold(edge) not in STOP_WORDS  # "US" is not "us"
        assert fold(words[-1]) not in TITLES  # "General Assembly" is a body; "Supreme Leader" is no tag
        assert not {fold(w) for w in words} & (WEEKDAYS | MONTHS)
