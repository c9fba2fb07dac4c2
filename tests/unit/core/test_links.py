"""URL rewriting in bodies: every URL a browser would follow is rewritten, javascript: never
survives, and other attributes are left alone unless their text looks like a URL attribute."""
from __future__ import annotations

from urllib.parse import urljoin

import html5lib
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.core.links import iri_to_uri, page_relative, relative_linker, rewrite_urls, root_of

URL_ATTRIBUTES = ("href", "src", "poster")
VALUES = ["/img/a.png", "/", "page/", "https://example.org/x?a=1&b=2", "#top", "javascript:alert(1)",
          " JavaScript:alert(2)", "&#106;avascript:alert(3)", "/a b", "a>b", "it's", 'say "hi"', ""]


def _quoted(value: str, quote: str) -> str:
    if quote == "" and (not value or any(c in value for c in " \"'>=`<")):
        quote = '"'  # an unquoted value cannot hold these
    if quote and quote in value:
        value = value.replace(quote, "&quot;" if quote == '"' else "&#39;")
    return f"{quote}{value}{quote}"


@st.composite
def start_tags(draw) -> str:
    name = draw(st.sampled_from(["a", "img", "video", "p", "A"]))
    attrs = draw(st.lists(st.tuples(st.sampled_from([*URL_ATTRIBUTES, "HREF", "title", "alt"]),
                                    st.sampled_from(VALUES), st.sampled_from(['"', "'", ""]),
                                    st.sampled_from([" ", "\n", "  ", "/"])),
                          max_size=3, unique_by=lambda a: a[0].lower()))
    return f"<{name}" + "".join(f"{sep}{attr}={_quoted(value, q)}" for attr, value, q, sep in attrs) + ">"


fragments = st.lists(st.one_of(start_tags(), st.sampled_from(["text", " a > b ", 'href="/x" in text', "</a>", "\n"])),
                     max_size=8).map("".join)


def _attributes(fragment: str) -> list[tuple[str, str, str]]:
    """(element, attribute, value) for every attribute, as a browser parses the fragment."""
    tree = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return [(element.tag, name, value) for element in tree.iter() for name, value in element.attrib.items()]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments)
def test_every_url_attribute_is_rewritten_and_others_are_left_alone(fragment):
    convert = page_relative("../../")
    before, after = _attributes(fragment), _attributes(rewrite_urls(fragment, convert))
    for element, name, value in after:  # whatever the input, no script a reader can click
        assert name not in URL_ATTRIBUTES or not value.strip().lower().startswith("javascript:")
    if any(word in value.lower() for _, name, value in before if name not in URL_ATTRIBUTES for word in URL_ATTRIBUTES):
        return  # another attribute's text holds one: it may be rewritten too, harmlessly
    expected = [(element, name, ("#" if value.strip().lower().startswith("javascript:") else convert(value))
                 if name in URL_ATTRIBUTES else value) for element, name, value in before]
    assert after == expected


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments, st.sampled_from(["../", "../../../", "/repo/", "https://example.org/news/"]))
def test_a_body_no_root_changes_is_shown_as_it_is_on_every_page(fragment, root):
    # what parsing records (Article.rooted_body) to spare pages the rewriting
    unrooted = rewrite_urls(fragment, page_relative("./")) == fragment
    if unrooted:
        assert rewrite_urls(fragment, page_relative(root)) == fragment
    if any(value.startswith("/") for _, name, value in _attributes(fragment) if name in URL_ATTRIBUTES):
        assert not unrooted


def test_urls_in_raw_html_are_found_as_browsers_find_them():
    out = rewrite_urls('<a title="a>b" href="/x">x</a> <a/href="javascript:alert(1)">y</a> <img src=/i/a"b.png>',
                       page_relative("../"))
    assert out == '<a title="a>b" href="../x">x</a> <a/href="#">y</a> <img src="../i/a&quot;b.png">'


def test_an_unquoted_url_inside_another_value_cannot_end_it():
    """Issue #12: ' src=x' in a quoted title was rewritten to ' src="x"', whose quote ended the
    title and made the rest of it attributes (onmouseover=…), after any sanitiser had run."""
    for fragment in ('<a href="/a" title="t src=/x onmouseover=alert(1) y">a</a>',
                     "<a title='t srcset=/x,/y onmouseover=alert(1)'>a</a>"):
        out = rewrite_urls(fragment, page_relative("../"))
        assert [name for _, name, _ in _attributes(out)] == [name for _, name, _ in _attributes(fragment)], out


# A page's and a link's folders, as the site makes them: Unicode slugs, pages, feeds, folders
_FOLDER = st.sampled_from(["tags", "authors", "articles", "page", "archive", "2024", "03", "إيران", "cuba", "x"])
_PATHS = st.lists(_FOLDER, max_size=4).map(lambda folders: "".join(f"{f}/" for f in folders))


@given(_PATHS, st.sampled_from(["index.html", "feed.xml"]), _PATHS, st.sampled_from(["", "atom.xml", "style.css"]))
def test_a_relative_link_reaches_its_target_from_its_page_under_a_sub_path(page_folder, page_name, folder, name):
    """The shortest way (issue 15: shorter pages) still leads where the root's way led, under a
    project site's sub-path, whatever the folders the page and the target share."""
    page, target = page_folder + page_name, folder + name
    link = relative_linker(page)(target)
    base = "https://user.github.io/repo/"
    assert urljoin(base + iri_to_uri(page), link) == base + iri_to_uri(target)
    assert len(link) <= len(root_of(page) + iri_to_uri(target))  # never longer than the way by the root


# What the URL attributes' regexes meet in a body: names in any case (and the characters
# IGNORECASE folds to their letters), separators, quotes, '=' in text and in values, values
# missing
_NAMES = st.sampled_from(["href", "HREF", "src", "sRc", "srcset", "data", "action", "formaction", "poster", "ſrc",
                          "xlink:href", "xlinK:src", "title", "m"])
_ATTRIBUTES = st.builds("{}{}{}={}{}".format, st.sampled_from([" ", "/", "\n", "x", ""]), _NAMES,
                        st.sampled_from(["", " ", "\u00a0 "]), st.sampled_from(["", " "]),
                        st.sampled_from(['"x"', "'y'", "z", ">", "", '"a=b"', "a=b", "'", '"']))
_TEXT = st.text(alphabet=st.sampled_from([" ", "\t", "/", "=", '"', "'", ">", "<", ":", "a", "ſ", "K"]), max_size=4)
_NAMED = st.lists(st.one_of(_ATTRIBUTES, _TEXT), max_size=8).map("".join)


@settings(max_examples=examples(1000), deadline=None)
@given(_NAMED)
def test_url_attributes_are_found_where_the_regex_alone_finds_them(fragment):
    # links.py looks for them just before each '=' (fast); the regex scanning every position
    # is what it must agree with, match for match
    from site_builder.core import links

    def mark(match):
        return f"[{match.group(0)}]"

    for attribute in (links._URL_ATTR, links._SRCSET_ATTR):
        assert attribute.sub(mark, fragment) == attribute.whole.sub(mark, fragment)
