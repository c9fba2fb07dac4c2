"""The templates' link(): the links a build keeps across pages (render/pages.py) are the links
each page would make on its own."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.render.pages import _MEMO_LINKS, _linker

# Pages and targets as a site has them: folders shared or not, at several depths, Unicode slugs
# (few names: pages that share a first folder and differ below it are what the memo must tell apart)
_FOLDER = st.sampled_from(["tags", "page", "إيران", "cuba"])
_FOLDERS = st.lists(_FOLDER, max_size=4).map(lambda folders: "".join(f"{f}/" for f in folders))
_PAGES = st.builds(str.__add__, _FOLDERS, st.sampled_from(["index.html", "feed.xml"]))
_TARGETS = st.one_of(
    st.builds(str.__add__, _FOLDERS, st.sampled_from(["", "style.css", "atom.xml"])),
    _FOLDERS.map(lambda path: "/" + path),  # site-root form
    st.sampled_from(["https://example.org/a", "#main", "mailto:desk@example.org"]),
)


@settings(max_examples=300)
@given(st.lists(st.tuples(_PAGES, st.lists(_TARGETS, min_size=1, max_size=6)), min_size=1, max_size=12))
def test_a_link_is_the_same_whatever_pages_were_rendered_before(pages):
    """Pages of one depth in one folder share what they linked; pages in another folder of the
    same depth ('page/3/' and 'tags/cuba/' both link 'tags/peru/') must not get their links."""
    memos: dict = {}
    for page, targets in pages:
        root = "../" * page.count("/") or "./"
        link = _linker(root, page, memos)
        for target in targets + targets:  # each twice: the second from what was kept
            alone = _linker(root, page, {})(target)  # the page's link with nothing kept
            assert link(target) == alone, (page, target)


def test_a_link_within_a_folder_is_made_for_each_page():
    """A tag's pager link from its own page is short; from another tag's page, as deep in the
    same folder, it is not: what one page made is not another's."""
    memos: dict = {}
    own = _linker("../../", "tags/cuba/index.html", memos)("tags/cuba/page/2/")
    other = _linker("../../", "tags/peru/index.html", memos)("tags/cuba/page/2/")
    assert (own, other) == ("page/2/", "../cuba/page/2/")


def test_the_404_page_links_from_the_site_root_at_any_depth():
    """The 404 page is at the root, as the front page is, but is served at any depth: its links
    are not the front page's."""
    memos: dict = {}
    assert _linker("./", "index.html", memos)("tags/") == "tags/"
    link = _linker("/repo/", "404.html", memos)
    assert [link("tags/"), link("tags/"), link("static/style.css")] == ["/repo/tags/", "/repo/tags/",
                                                                        "/repo/static/style.css"]


def test_what_is_kept_stays_bounded():
    memos: dict = {}
    link = _linker("../../", "articles/a/index.html", memos)
    for n in range(3 * _MEMO_LINKS):
        assert link(f"tags/t{n}/") == f"../../tags/t{n}/"
    assert sum(map(len, memos.values())) <= _MEMO_LINKS
