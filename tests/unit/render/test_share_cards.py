"""Share cards and structured data: what a shared link's card and a search engine read from
each page's head (Open Graph, Twitter card, JSON-LD), the icons, and the meta description."""
from __future__ import annotations

import json
import re
import shutil
import struct
from pathlib import Path
from urllib.parse import urljoin

import html5lib
import pytest
from conftest import BASE_URL, article, make_site, output_files, picture, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.build.run import build
from site_builder.core.errors import ConfigError
from site_builder.render.structured_data import HEADLINE_LIMIT, script_text

PNG = picture("PNG", (200, 120))  # a real picture: a lead image Pillow cannot read stops the build
LONG_TITLE = ("Oman and Cuba sign a trade agreement covering fisheries, ports, tourism, medicine, "
              "sugar and the refining of crude oil over ten years")


class Head:
    """A built page's head as a crawler reads it: meta tags, links and JSON-LD."""

    def __init__(self, html: str):
        doc = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
        self.properties: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}
        for meta in doc.iter("meta"):
            if "property" in meta.attrib:
                self.properties.setdefault(meta.attrib["property"], []).append(meta.attrib["content"])
            elif "name" in meta.attrib:
                self.names[meta.attrib["name"]] = meta.attrib["content"]
        self.icons = {link.attrib["rel"]: link.attrib["href"] for link in doc.iter("link")
                      if "icon" in link.attrib["rel"] and "svg" not in link.attrib.get("type", "")}
        self.svg_icon = next(link.attrib["href"] for link in doc.iter("link") if link.attrib.get("type") == "image/svg+xml")
        self.scripts = list(doc.iter("script"))
        self.json_ld = [json.loads(s.text) for s in self.scripts if s.attrib.get("type") == "application/ld+json"]

    def og(self, name: str) -> str:
        (value,) = self.properties[name]
        return value


def head(out: Path, rel: str) -> Head:
    return Head((out / rel).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("share") / "s", {
        "static/images/dhow.png": PNG,
        "content/with-image.md": article("Dhows Return to Sur", "2024-03-10T09:00:00+04:00",
                                         "Boatbuilders in Sur launched three dhows.", image="images/dhow.png",
                                         author="Ana Díaz", tags="[Oman, Boats]", image_alt="A dhow at sea"),
        "content/no-image.md": article("Port Strike Ends", "2024-03-09T08:00:00+04:00",
                                       "Dockworkers returned to work.", updated="2024-03-11T10:00:00+04:00"),
        "content/arabic.md": article("عُمان وكوبا توقّعان اتفاقية", "2024-03-08T14:00:00+04:00",
                                     "وقّعت سلطنة عُمان وكوبا اتفاقية.", language="ar"),
        "content/long.md": article(LONG_TITLE, "2024-03-01", "Text."),
    })
    build(site)
    return site / "output"


def test_an_article_with_an_image_has_a_large_card_and_open_graph_article_tags(out):
    h = head(out, "articles/with-image/index.html")
    url = BASE_URL + "articles/with-image/"
    assert (h.og("og:type"), h.og("og:title"), h.og("og:url"), h.og("og:site_name")) == (
        "article", "Dhows Return to Sur", url, "Test News")
    assert h.og("og:description") == "Boatbuilders in Sur launched three dhows." == h.names["description"]
    # the processed rendition, not the writer's file: 200 px here, as wide as the source allows
    assert re.fullmatch(r"https://user\.github\.io/repo/images/dhow\.[0-9a-f]{10}\.200\.jpg", h.og("og:image"))
    assert (out / h.og("og:image").removeprefix(BASE_URL)).is_file()
    assert (h.og("og:image:width"), h.og("og:image:height")) == ("200", "120")
    assert h.og("og:image:alt") == "A dhow at sea"
    assert h.og("og:locale") == "en"
    assert h.og("article:published_time") == "2024-03-10T09:00:00+04:00"
    assert "article:modified_time" not in h.properties  # never updated: the published time says it
    assert h.og("article:author") == "https://user.github.io/repo/authors/ana-diaz/"  # her page: a profile
    assert "article:tag" not in h.properties  # the page lists its tags; no card shows them
    assert h.names["twitter:card"] == "summary_large_image"
    assert h.names["twitter:image"] == h.og("og:image")
    # X reads a card's title and description from Open Graph: not said twice on every page
    assert "twitter:title" not in h.names and "twitter:description" not in h.names


def test_an_article_without_an_image_has_a_summary_card(out):
    h = head(out, "articles/no-image/index.html")
    assert h.names["twitter:card"] == "summary" and "twitter:image" not in h.names
    assert "og:image" not in h.properties
    assert h.og("article:modified_time") == "2024-03-11T10:00:00+04:00"
    assert h.og("article:author") == "https://user.github.io/repo/authors/desk/"  # the site's author


def test_article_json_ld_has_what_googles_article_rich_result_asks_for(out):
    (data,) = head(out, "articles/with-image/index.html").json_ld
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Dhows Return to Sur"
    assert data["image"] == [head(out, "articles/with-image/index.html").og("og:image")]
    assert data["datePublished"] == data["dateModified"] == "2024-03-10T09:00:00+04:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana Díaz", "url": "https://user.github.io/repo/authors/ana-diaz/"}]
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "Test News"
    logo = data["publisher"]["logo"]["url"]
    assert logo == "https://user.github.io/repo/static/apple-touch-icon.png"
    assert (out / logo.removeprefix(BASE_URL)).is_file()
    assert data["inLanguage"] == "en"
    assert data["mainEntityOfPage"] == BASE_URL + "articles/with-image/"
    assert "url" not in data and "description" not in data  # mainEntityOfPage and the meta description say them


def test_a_remote_or_unprocessed_image_is_shared_as_it_is(tmp_path):
    site = make_site(tmp_path / "s", {
        "static/images/map.gif": b"GIF89a",
        "content/remote.md": article("Remote", "2024-03-10", image="https://cdn.example.org/dhow.jpg"),
        "content/gif.md": article("Gif", "2024-03-09", image="images/map.gif"),
    })
    build(site)
    out = site / "output"
    for slug, url in (("remote", "https://cdn.example.org/dhow.jpg"), ("gif", BASE_URL + "images/map.gif")):
        h = head(out, f"articles/{slug}/index.html")
        assert h.og("og:image") == h.names["twitter:image"] == url
        assert "og:image:width" not in h.properties
        assert h.json_ld[0]["image"] == [url]


def test_article_json_ld_without_image_and_with_an_update(out):
    (data,) = head(out, "articles/no-image/index.html").json_ld
    assert "image" not in data
    assert (data["datePublished"], data["dateModified"]) == ("2024-03-09T08:00:00+04:00", "2024-03-11T10:00:00+04:00")
    assert data["author"] == [{"@type": "Person", "name": "Desk", "url": "https://user.github.io/repo/authors/desk/"}]


def test_an_arabic_article_says_its_language(out):
    h = head(out, "articles/arabic/index.html")
    (data,) = h.json_ld
    assert data["inLanguage"] == "ar" and h.og("og:locale") == "ar"
    assert data["headline"] == h.og("og:title") == "عُمان وكوبا توقّعان اتفاقية"


def test_a_long_headline_is_cut_at_a_word_to_what_google_shows(out):
    (data,) = head(out, "articles/long/index.html").json_ld
    assert len(data["headline"]) <= HEADLINE_LIMIT < len(LONG_TITLE)
    assert data["headline"].endswith("…") and LONG_TITLE.startswith(data["headline"][:-1])
    assert LONG_TITLE[len(data["headline"]) - 1] == " "  # cut between words


def test_the_home_page_is_the_website_with_the_title_as_its_description(out):
    h = head(out, "index.html")
    (data,) = h.json_ld
    assert data == {"@context": "https://schema.org", "@type": "WebSite", "name": "Test News", "url": BASE_URL,
                    "inLanguage": "en", "description": "Test News"}
    assert h.names["description"] == "Test News" == h.og("og:description")
    assert (h.og("og:type"), h.og("og:url"), h.names["twitter:card"]) == ("website", BASE_URL, "summary")


def test_other_pages_are_websites_without_json_ld(out):
    for rel in ("tags/index.html", "archive/index.html", "tags/oman/index.html"):
        h = head(out, rel)
        assert h.og("og:type") == "website" and h.json_ld == [], rel
        assert h.og("og:url") == BASE_URL + rel.removesuffix("index.html")
        assert h.names["description"]


def test_the_site_description_is_the_home_pages(tmp_path):
    site = make_site(tmp_path / "s", {"content/a.md": article("A", "2024-01-01")},
                     config=f'title = "Gulf Desk"\ndescription = "News from the Gulf."\nbase_url = "{BASE_URL}"\n')
    build(site)
    h = head(site / "output", "index.html")
    assert h.names["description"] == "News from the Gulf." == h.json_ld[0]["description"]


def test_a_new_sites_home_page_has_a_description(tmp_path):
    """init leaves `description` out (commented), so the home page says the title: no empty one."""
    assert run_cli("init", str(tmp_path / "s"), "--title", "Gulf Desk", "--base-url", BASE_URL).returncode == 0
    assert 'description = ""' not in (tmp_path / "s/site.toml").read_text()
    build(tmp_path / "s")
    h = head(tmp_path / "s/output", "index.html")
    assert h.names["description"] == "Gulf Desk" == h.og("og:description")


def test_the_icons_exist_and_every_page_links_them_under_the_sub_path(out):
    files = output_files(out)
    width, height = struct.unpack(">II", files["static/apple-touch-icon.png"][16:24])
    assert files["static/apple-touch-icon.png"][:8] == b"\x89PNG\r\n\x1a\n" and (width, height) == (180, 180)
    assert files["favicon.ico"][:4] == b"\0\0\1\0"  # what a browser asks for at the root
    assert b"<svg" in files["static/favicon.svg"]
    for rel in ("index.html", "articles/arabic/index.html", "tags/oman/index.html", "404.html"):
        h = head(out, rel)
        page_url = BASE_URL + rel.removesuffix("index.html")
        hrefs = [h.icons["icon"], h.icons["apple-touch-icon"], h.svg_icon]
        urls = [urljoin(page_url, href) for href in hrefs]
        assert urls == [BASE_URL + "favicon.ico", BASE_URL + "static/apple-touch-icon.png",
                        BASE_URL + "static/favicon.svg"], rel


def test_a_sites_own_favicon_replaces_the_themes_at_the_root(tmp_path):
    site = make_site(tmp_path / "s", {"content/a.md": article("A", "2024-01-01"), "static/favicon.ico": b"mine"})
    build(site)
    assert (site / "output/favicon.ico").read_bytes() == b"mine"


def test_the_logo_of_site_toml_is_the_publishers(tmp_path):
    site = make_site(tmp_path / "s", {"content/a.md": article("A", "2024-01-01"), "static/brand/logo.png": PNG},
                     config=f'title = "T"\nbase_url = "{BASE_URL}"\nlogo = "brand/logo.png"\n')
    build(site)
    (data,) = head(site / "output", "articles/a/index.html").json_ld
    assert data["publisher"]["logo"]["url"] == BASE_URL + "brand/logo.png"
    assert data["author"] == [{"@type": "Organization", "name": "T", "url": BASE_URL}]  # no author anywhere


def test_a_logo_that_is_no_file_is_refused_before_output_is_touched(tmp_path):
    site = make_site(tmp_path / "s", {"content/a.md": article("A", "2024-01-01")},
                     config=f'title = "T"\nbase_url = "{BASE_URL}"\nlogo = "images/logo.png"\n')
    with pytest.raises(ConfigError, match=r"site.toml: 'logo' 'images/logo.png' is not a file of the site: "
                                          r"put the logo at static/images/logo.png"):
        build(site)
    assert not (site / "output").exists()


def test_a_logo_given_by_its_place_in_the_sources_is_refused_with_its_address(tmp_path):
    site = make_site(tmp_path / "s", {"content/a.md": article("A", "2024-01-01"), "static/brand/logo.png": PNG},
                     config=f'title = "T"\nbase_url = "{BASE_URL}"\nlogo = "static/brand/logo.png"\n')
    with pytest.raises(ConfigError, match=r"write its address on the site, logo = 'brand/logo.png'"):
        build(site)


@pytest.mark.parametrize("logo", ["https://x.org/logo.png", "/logo.png", "../logo.png", "my logo.png"])
def test_a_logo_that_is_no_path_under_static_is_refused(tmp_path, logo):
    site = make_site(tmp_path / "s", {}, config=f'title = "T"\nlogo = "{logo}"\n')
    with pytest.raises(ConfigError, match="'logo' must be a path under static/"):
        build(site)


HOSTILE = ["</script><script>alert(1)</script>", "<!-- <script>", "a & b > c < d", "\u2028\u2029", "</SCRIPT >",
           '"}]}</script>', "<![CDATA[ ]]>"]


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(), st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE + ["x", " "])).map("".join)))
def test_json_ld_reads_back_as_the_same_data_whatever_the_text(text):
    data = {"@type": "NewsArticle", "headline": text, "author": [{"name": text}]}
    page = f'<!doctype html><head><script type="application/ld+json">{script_text(data)}</script></head><p>after'
    doc = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    scripts = list(doc.iter("script"))
    assert len(scripts) == 1 and json.loads(scripts[0].text) == data
    assert [p.text for p in doc.iter("p")] == ["after"]  # nothing after the script was swallowed


def test_a_hostile_headline_cannot_close_the_json_ld_script(tmp_path):
    title = "Mayor says </script><script>alert(1)</script> & <!-- nothing"
    site = make_site(tmp_path / "s", {"content/a.md": article(title, "2024-01-01", summary=json.dumps(title))})
    build(site)
    h = head(site / "output", "articles/a/index.html")
    assert len(h.scripts) == 1
    assert h.json_ld[0]["headline"] == title == h.og("og:title") == h.og("og:description")


def test_a_title_edit_rewrites_the_cards_and_json_ld_as_a_cold_build_would(tmp_path):
    site = make_site(tmp_path / "s", {"content/a.md": article("Old Title", "2024-01-02", slug="a"),
                                      "content/b.md": article("Other", "2024-01-01")})
    build(site)
    (site / "content/a.md").write_text(article("New Title", "2024-01-02", slug="a"))
    build(site)
    h = head(site / "output", "articles/a/index.html")
    assert h.og("og:title") == "New Title" == h.json_ld[0]["headline"]
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns(".site-builder-cache", "output", ".output.*"))
    build(cold)
    assert output_files(site / "output") == output_files(cold / "output")
