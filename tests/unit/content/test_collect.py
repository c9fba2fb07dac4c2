"""Gathering articles into a site: order, drafts, tags, slug collisions."""
from __future__ import annotations

import pytest

from site_builder.content.article import parse_article
from site_builder.content.collect import collect_site
from site_builder.core.errors import BuildErrors, ContentError
from site_builder.core.model import SiteConfig

CONFIG = SiteConfig()


def articles(*specs):
    return [parse_article(path, f"---\n{front}\n---\nBody.\n", CONFIG).article for path, front in specs]


def test_newest_first_and_drafts_left_out_unless_asked():
    parsed = articles(("content/a.md", "title: A\ndate: 2024-01-01"),
                      ("content/b.md", "title: B\ndate: 2024-03-01\ndraft: true"),
                      ("content/c.md", "title: C\ndate: 2024-02-01"))
    assert [a.title for a in collect_site(CONFIG, parsed).articles] == ["C", "A"]
    assert [a.title for a in collect_site(CONFIG, parsed, drafts=True).articles] == ["B", "C", "A"]


def test_a_tag_keeps_its_first_seen_name_and_counts_every_spelling():
    parsed = articles(("content/new.md", "title: New\ndate: 2024-05-01\ntags: [IRAN]"),
                      ("content/old.md", "title: Old\ndate: 2023-05-01\ntags: [Iran, Cuba]"))
    site = collect_site(CONFIG, parsed)
    assert [(t.name, t.count) for t in site.tags] == [("Cuba", 1), ("Iran", 2)]
    assert site.articles[0].tags[0].name == "Iran"  # the newer article shows the site-wide name


def test_two_articles_with_one_slug_are_an_error_naming_both_files():
    parsed = articles(("content/a/same-title.md", "title: One\ndate: 2024-01-01"),
                      ("content/b/Same Title.md", "title: Two\ndate: 2024-02-01"))
    with pytest.raises(ContentError, match=r"content/a/same-title.md: slug 'same-title' is also the slug of "
                       r"content/b/Same Title.md: give one of them another 'slug:' \(or file name\)"):
        collect_site(CONFIG, parsed)


def test_tags_whose_urls_clash_are_an_error():
    parsed = articles(("content/a.md", "title: A\ndate: 2024-01-01\ntags: ['C++']"),
                      ("content/b.md", "title: B\ndate: 2024-02-01\ntags: ['C']"))
    with pytest.raises((ContentError, BuildErrors), match=r"content/b.md: tag 'C' has the same URL \(tags/c/\)"):
        collect_site(CONFIG, parsed)


def test_a_numbered_file_keeps_its_number_when_titles_repeat():
    """Two articles with one headline, saved as x.md and x-2.md (as `new` and the importer
    name them), get both their URLs."""
    parsed = articles(("content/same-title.md", "title: Same Title\ndate: 2024-01-01"),
                      ("content/same-title-2.md", "title: Same title\ndate: 2024-02-01"))
    assert [a.slug for a in collect_site(CONFIG, parsed).articles] == ["same-title-2", "same-title"]


def test_a_file_named_after_a_long_headline_keeps_its_name_up_to_160_characters():
    """Files named after the whole of a long headline (as Hugo's or Jekyll's would be) keep
    it; a longer name is cut at a word, well under the 255 bytes a file name may have."""
    whole = "officials-say-" + "talks-" * 20 + "will-go-on-as-planned"
    longer = "officials-say-" + "talks-" * 40 + "will-go-on"
    parsed = articles((f"content/{whole}.md", "title: T\ndate: 2024-01-01"),
                      (f"content/{longer}.md", "title: T\ndate: 2024-02-01"))
    newer, older = collect_site(CONFIG, parsed).articles
    assert older.slug == whole
    assert 100 < len(newer.slug) <= 160 and newer.slug.startswith("officials-say-talks-talks")
