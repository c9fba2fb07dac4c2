"""One sanitiser for every body (issue #12, findings 3 and 9): no spelling of a javascript:
URL, no script, handler or style reaches a page or a feed entry as a browser reads it; the
markup news is made of survives; raw_html = "trusted" keeps the author's HTML but still no
URL that runs code; lead images are URLs a feed can carry.

Every check reads the output as html5lib (an HTML5 parser, as browsers) does, then reads each
URL as the WHATWG URL parser would: references decoded, C0 controls and spaces trimmed, tabs
and newlines removed. Both Markdown engines (site.toml `markdown`, issue #15) go through them."""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from conftest import BASE_URL, article, examples, make_site, output_files, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build.load import parse_salt
from site_builder.build.run import build
from site_builder.content.article import parse_article
from site_builder.core.config import config_from_dict
from site_builder.core.links import absolute, page_relative, rewrite_urls

CONFIG = f'title = "T"\nbase_url = "{BASE_URL}"\nid_domain = "user.github.io"\n'
ENGINES = ("python-markdown", "gfm")


def with_engine(config: str, engine: str) -> str:
    return config + f'markdown = "{engine}"\n'

# How browsers are fooled into javascript:, each one live on main before this issue
SPELLINGS = [
    "java&#x09;script:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "java&#0000009;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A&#x61vascript:alert(1)",  # references without their ';'
    "JaVaScRiPt:alert(1)",
    "java&Tab;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "&#x01;javascript:alert(1)",  # a leading C0 control, stripped by the URL parser
    "&#32;&#x0C;javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,&lt;svg onload=alert(1)&gt;",
]
# Where a body can put a URL: Markdown and raw HTML as browsers read it
CONTEXTS = [
    "[md link](<{u}>)",
    "![md image](<{u}>)",
    '<a href="{u}">dq</a>',
    "<a href='{u}'>sq</a>",
    "<a href={u}>bare</a>",
    '<a/href="{u}">slash</a>',
    '<img src="{u}">',
    '<img srcset="/ok.jpg 1x, {u} 2x">',
    '<picture><source srcset="{u}"><img src="/ok.jpg" alt=""></picture>',
    '<iframe src="{u}"></iframe>',
    '<svg><a xlink:href="{u}"><text>svg</text></a></svg>',
    '<form action="{u}"><button formaction="{u}">go</button></form>',
]
URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "action", "formaction", "data"}  # what a browser follows
# Elements no safe body may hold (iframes: only from embed_hosts)
FORBIDDEN = {"script", "style", "object", "embed", "form", "input", "button", "textarea", "select",
             "base", "meta", "link", "svg", "math", "frame", "frameset", "applet", "noscript", "template"}
_PICTURE = re.compile(r"data:image/(?:png|gif|jpeg|jpg|webp|avif)[;,]")


def executable(url: str) -> bool:
    """Whether a browser following this URL (as an attribute holds it) may run code."""
    u = re.sub("[\t\n\r]", "", html.unescape(url)).strip("".join(map(chr, range(0x21)))).lower()
    return u.startswith(("javascript:", "vbscript:")) or (u.startswith("data:") and not _PICTURE.match(u))


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, as the HTML standard reads them (a URL may end with ',')."""
    urls, rest = [], value
    while rest.strip(" \t\n\r\f,"):
        rest = rest.lstrip(" \t\n\r\f,")
        url = re.match(r"\S+", rest).group()
        rest = rest[len(url):]
        urls.append(url.rstrip(","))
        if not url.endswith(","):
            rest = rest.split(",", 1)[1] if "," in rest else ""
    return urls


def elements(fragment: str, page: bool = False):
    """(tag, attributes) of every element, as a browser's parser builds them."""
    tree = (html5lib.parse if page else html5lib.parseFragment)(fragment, namespaceHTMLElements=False)
    for element in tree.iter():
        if isinstance(element.tag, str):
            yield element.tag.rsplit("}", 1)[-1].lower(), {k.rsplit("}", 1)[-1].lower(): v for k, v in element.attrib.items()}


def problems(fragment: str, page: bool = False, safe: bool = True, embed_hosts: tuple[str, ...] = ()) -> list:
    """What in the HTML could run code: executable URLs; in safe mode also forbidden
    elements, event handlers, styles and iframes from hosts not listed."""
    found = []
    for tag, attrs in elements(fragment, page):
        for name, value in attrs.items():
            urls = srcset_urls(value) if name == "srcset" else [value] if name in URL_ATTRIBUTES or name == "href" else []
            found += [(tag, name, value) for url in urls if executable(url)]
            if safe and (name.startswith("on") or name in ("srcdoc", "formaction", "action")):
                found.append((tag, name, value))
            if safe and name == "style" and not (tag in ("th", "td") and re.fullmatch(r"text-align: (left|right|center);", value)):
                found.append((tag, name, value))
        if safe and tag in FORBIDDEN:
            found.append((tag, attrs))
        hosts = "|".join(map(re.escape, embed_hosts)) or "-"
        if safe and tag == "iframe" and not re.match(rf"https://({hosts})/", attrs.get("src", "")):
            found.append((tag, attrs))
    return found


def html_of_every_output(out: Path):
    """(where, HTML, is a whole page) for every page and every feed entry's HTML."""
    for path, data in output_files(out).items():
        if path.endswith(".html"):
            yield path, data.decode(), True
        elif path.endswith(".json") and b'"items"' in data:
            yield from ((path, item.get("content_html", ""), False) for item in json.loads(data)["items"])
        elif path.endswith(".xml") and (b"<rss" in data or b"<feed" in data):
            yield from ((path, e.text or "", False) for e in ET.fromstring(data).iter()
                        if e.tag in ("description", "{http://purl.org/rss/1.0/modules/content/}encoded",
                                     "{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary"))


def body_of(page: str) -> str:
    """The article body's HTML, as the page shows it (between the theme's own markup)."""
    return page.split('<div class="body">', 1)[1].split("</div>\n<footer>", 1)[0]


HOSTILE_BODY = "\n\n".join(context.format(u=spelling) for spelling in SPELLINGS for context in CONTEXTS)
_SCRIPT_SNIPPETS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>", "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>', '<details open ontoggle=alert(1)><summary>s</summary></details>',
    '<form action="https://evil.example/"><input name=password></form>', "<object data=x.swf></object><embed src=x.swf>",
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', '<iframe src="https://evil.example/x"></iframe>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>', '<a href="/x" onclick="alert(1)" onmouseover=alert(1)>x</a>',
    "<textarea><script>alert(1)</script></textarea>", "<!-- <script>alert(1)</script> -->",
    "<table><tr><td><script>alert(1)</script></td></tr></table>",
    # a Markdown title that main's URL rewriting broke open into a handler
    '[Markdown alone](/x "t src=/y onmouseover=alert(1) z")', '<a href="#" style="position:fixed;inset:0">overlay</a>',
]
SCRIPTS = "\n\n".join(_SCRIPT_SNIPPETS)


_BUILT: dict[tuple[str, str], Path] = {}


def hostile_output(mode: str, tmp_path_factory, engine: str = "python-markdown") -> Path:
    """The output of a site whose bodies hold every attack above, built once per mode and engine."""
    if (mode, engine) not in _BUILT:
        config = with_engine(CONFIG + ("" if mode == "safe" else 'raw_html = "trusted"\n'), engine)
        site = make_site(tmp_path_factory.mktemp(mode) / "site", {
            "content/urls.md": article("URLs", "2024-01-02", HOSTILE_BODY, slug="urls"),
            "content/scripts.md": article("Scripts", "2024-01-01", SCRIPTS, slug="scripts"),
        }, config=config)
        build(site)
        _BUILT[mode, engine] = site / "output"
    return _BUILT[mode, engine]


@pytest.fixture(params=[(mode, engine) for mode in ("safe", "trusted") for engine in ENGINES],
                ids=lambda p: "-".join(p))
def hostile_site(request, tmp_path_factory):
    return request.param[0], hostile_output(*request.param[:1], tmp_path_factory, request.param[1])


def test_no_spelling_of_javascript_reaches_a_page_or_a_feed(hostile_site):
    mode, out = hostile_site
    checked = 0
    for where, fragment, page in html_of_every_output(out):
        assert [p for p in problems(fragment, page, safe=False)] == [], (mode, where)
        checked += 1
    assert checked > 15
    body = body_of((out / "articles/urls/index.html").read_text())
    assert body.count("md link") == len(SPELLINGS)  # the links' text stays


@pytest.mark.parametrize("engine", ENGINES)
def test_no_script_handler_or_style_reaches_a_safe_page_or_feed(tmp_path_factory, engine):
    out = hostile_output("safe", tmp_path_factory, engine)
    for where, fragment, page in html_of_every_output(out):
        if page:  # the theme's own <meta>, <link> and <style> are not the body's
            if not where.startswith("articles/"):
                continue
            fragment = body_of(fragment)
        assert problems(fragment) == [], where
    text = (out / "articles/scripts/index.html").read_text()
    assert "alert(1)</script>" not in text and "onerror" not in text and "evil.example" not in text
    assert "overlay" in text and "styled" in text  # the text stays, the style goes


@pytest.mark.parametrize("engine", ENGINES)
def test_trusted_mode_keeps_raw_html_but_not_javascript_urls(tmp_path_factory, engine):
    out = hostile_output("trusted", tmp_path_factory, engine)
    body = body_of((out / "articles/scripts/index.html").read_text())
    assert "<script>alert(1)</script>" in body and 'style="background:' in body and "<svg onload=" in body
    urls_page = body_of((out / "articles/urls/index.html").read_text())
    assert len(re.findall(r"""href=(["']?)#\1[\s>]""", urls_page)) >= len(SPELLINGS) * 4  # the links stay, pointing nowhere


# The spellings main let through (the others are kept above as regression tests)
LIVE_ON_MAIN = [s for s in SPELLINGS if re.search(r"&#x09;|&#x0A;|&#0000009;|&Tab;|&NewLine;|svg", s)]


@pytest.mark.parametrize("spelling", LIVE_ON_MAIN)
def test_each_spelling_is_neutralised_through_the_cli(tmp_path, spelling):
    """One spelling at a time, through the command line, in the page and in every feed."""
    body = f"[l]({spelling}) <a href=\"{spelling}\">raw</a> <img src='{spelling}'>"
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-01-01", body, slug="a")}, config=CONFIG)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    page = (site / "output/articles/a/index.html").read_text()
    assert problems(body_of(page)) == []
    for where, fragment, whole in html_of_every_output(site / "output"):  # a page's theme may style itself
        assert problems(fragment, whole, safe=not whole) == [], where
    assert ">l</a>" in page and ">raw</a>" in page


NEWS_BODY = """\
Iran and Cuba pledged[^1] to <abbr title="International Atomic Energy Agency">IAEA</abbr> rules on
<time datetime="2024-07-10">10 July</time>; H<sub>2</sub>O and E = mc<sup>2</sup>.

> We will stand together.
> — *the minister*

<blockquote cite="https://example.org/speech"><p>Quoted speech.</p></blockquote>

<figure><picture><source srcset="/images/a.webp 1x, /images/a@2x.webp 2x" type="image/webp">\
<img src="/images/a.jpg" srcset="/images/a.jpg 1x, /images/a@2x.jpg 2x" alt="The meeting" width="800" \
height="450" loading="lazy"></picture><figcaption>The meeting in <em>Tehran</em>.</figcaption></figure>

| Country | Votes |
|:--------|------:|
| Iran    | 12    |

```python
print("<b>not bold</b>")
```

<details><summary>Background</summary><p>Since 1979.</p></details>

<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315" allowfullscreen></iframe>

A [paid link](https://shop.example/) <a href="https://shop.example/" rel="sponsored nofollow">sponsor</a>,
[mail](mailto:desk@example.org), [call](tel:+15551234), [below](#FOOTNOTE).

***

[^1]: As the [agency](https://www.iaea.org/) reported.
"""
NEWS_KEPT = [
    '<abbr title="International Atomic Energy Agency">IAEA</abbr>', '<time datetime="2024-07-10">10 July</time>',
    "H<sub>2</sub>O", "mc<sup>2</sup>", "<blockquote>\n<p>We will stand together.\n— <em>the minister</em></p>\n</blockquote>",
    '<blockquote cite="https://example.org/speech"><p>Quoted speech.</p></blockquote>',
    '<source srcset="../../images/a.webp 1x, ../../images/a@2x.webp 2x" type="image/webp">',
    ('<img src="../../images/a.jpg" srcset="../../images/a.jpg 1x, ../../images/a@2x.jpg 2x" alt="The meeting" '
     'width="800" height="450" loading="lazy">'), "<figcaption>The meeting in <em>Tehran</em>.</figcaption>",
    '<th style="text-align: left;">Country</th>', '<td style="text-align: right;">12</td>',
    '<pre><code class="language-python">print("&lt;b&gt;not bold&lt;/b&gt;")', "<details><summary>Background</summary>",
    '<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315" allowfullscreen=""',
    '<a href="https://shop.example/" rel="sponsored nofollow">sponsor</a>', '<a href="mailto:desk@example.org">mail</a>',
    '<a href="tel:+15551234">call</a>', '<a href="https://www.iaea.org/">agency</a>',
]
# Each engine's footnotes: (the id of the note, of its reference, and the markup they are in)
FOOTNOTES = {
    "python-markdown": ("fn:1", "fnref:1", [
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>', '<div class="footnote">',
        '<li id="fn:1">', '<a class="footnote-backref" href="#fnref:1"']),
    "gfm": ("fn-1", "fnref-1", [
        '<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup>', '<section class="footnotes">',
        '<li id="fn-1">', '<a href="#fnref-1" class="footnote-backref">']),
}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_markup_of_news_survives_and_only_the_dangerous_part_goes(tmp_path, engine):
    note, reference, footnote_markup = FOOTNOTES[engine]
    config = with_engine(CONFIG + 'embed_hosts = ["www.youtube-nocookie.com"]\n', engine)
    site = make_site(tmp_path / "site", {"content/news.md": article(
        "News", "2024-07-10", NEWS_BODY.replace("FOOTNOTE", note) + "\n<script>alert(1)</script><img src=x onerror=alert(1)>\n", slug="news")},
        config=config)
    build(site)
    page = (site / "output/articles/news/index.html").read_text()
    body = body_of(page)
    missing = [kept for kept in NEWS_KEPT + footnote_markup if kept not in body]
    assert missing == [], body
    assert problems(body, embed_hosts=("www.youtube-nocookie.com",)) == []
    assert 'sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"' in body
    ids = {attrs["id"] for _, attrs in elements(page, page=True) if "id" in attrs}
    anchors = {attrs["href"][1:] for _, attrs in elements(body) if attrs.get("href", "").startswith("#")}
    assert anchors == {note, reference} and anchors <= ids  # the footnotes' links lead somewhere
    feed = json.loads((site / "output/feed.json").read_text())["items"][0]["content_html"]
    assert '<th style="text-align: left;">Country</th>' in feed and 'src="https://user.github.io/repo/images/a.jpg"' in feed
    assert problems(feed, embed_hosts=("www.youtube-nocookie.com",)) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_the_summary_is_the_text_a_reader_sees(tmp_path, engine):
    body = 'Rates <span onmouseover="steal()">rise</span> again<script>track("x")</script> today.\n\nMore.'
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-01-01", body, slug="a")},
                     config=with_engine(CONFIG, engine))
    build(site)
    item = json.loads((site / "output/feed.json").read_text())["items"][0]
    assert item["summary"] == "Rates rise again today."


def test_switching_raw_html_parses_again(tmp_path):
    """The cache holds sanitised bodies: a change of raw_html or embed_hosts must not reuse them."""
    site = make_site(tmp_path / "site", {"content/a.md": article(
        "A", "2024-01-01", '<p>x</p><script>alert(1)</script>\n\n<iframe src="https://player.vimeo.com/v/1"></iframe>',
        slug="a")}, config=CONFIG + 'raw_html = "trusted"\n')
    page = site / "output/articles/a/index.html"
    build(site)
    assert "<script>alert(1)</script>" in page.read_text()
    (site / "site.toml").write_text(CONFIG, encoding="utf-8")
    build(site)
    assert "<script>" not in page.read_text() and "<iframe" not in page.read_text()
    (site / "site.toml").write_text(CONFIG + 'embed_hosts = ["player.vimeo.com"]\n', encoding="utf-8")
    build(site)
    assert '<iframe src="https://player.vimeo.com/v/1"' in page.read_text()
    salts = {parse_salt(config_from_dict(raw)) for raw in (
        {}, {"raw_html": "trusted"}, {"embed_hosts": ["player.vimeo.com"]}, {"markdown": "gfm"})}
    assert len(salts) == 4


@pytest.mark.parametrize("toml, message", [
    ('raw_html = "off"', "site.toml: 'raw_html' must be either \"safe\""),
    ('embed_hosts = ["https://www.youtube.com/"]', "site.toml: 'embed_hosts' must be a list of host names"),
])
def test_bad_raw_html_settings_are_refused(tmp_path, toml, message):
    site = make_site(tmp_path / "site", {"content/a.md": article("A", "2024-01-01")}, config=CONFIG + toml + "\n")
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert not (site / "output").exists()


# A grammar of dangerous pieces: elements that run or carry code, attributes that hold URLs or
# handlers, every spelling above, quoted in every way, and the text that breaks parsers.
_NAMES = ["a", "img", "iframe", "svg", "math", "script", "style", "form", "object", "embed", "source", "picture",
          "details", "noscript", "textarea", "title", "template", "table", "td", "select", "video", "base", "p", "A", "ScRiPt"]
_ATTRS = ["href", "src", "srcset", "xlink:href", "action", "formaction", "onerror", "onload", "OnClick", "style",
          "srcdoc", "data", "poster", "background", "rel", "class", "id"]
_VALUES = [*SPELLINGS, "/ok", "https://example.org/a?b=1&c=2", "x onerror=alert(1)", "alert(1)", "javascript:alert(1)",
           "</script><script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "url(javascript:alert(1))",
           "/a.jpg 1x, javascript:alert(1) 2x", ""]


@st.composite
def _start_tag(draw) -> str:
    attrs = draw(st.lists(st.tuples(st.sampled_from([" ", "/", "\n", "\t"]), st.sampled_from(_ATTRS),
                                    st.sampled_from(_VALUES), st.sampled_from(['"', "'", ""])), max_size=3))
    parts = []
    for sep, name, value, quote in attrs:
        if not quote and (not value or re.search(r"[\s\"'>=<`]", value)):
            quote = '"'
        parts.append(f"{sep}{name}={quote}{value.replace(quote, '&quot;') if quote else value}{quote}")
    return "<" + draw(st.sampled_from(_NAMES)) + "".join(parts) + draw(st.sampled_from([">", "/>", " >"]))


_pieces = st.one_of(_start_tag(), st.sampled_from(_NAMES).map(lambda n: f"</{n}>"), st.sampled_from([
    "text", "\n\n", "<!--", "-->", "<![CDATA[", "]]>", "`", "&#", "&lt;script&gt;", "[x](", ")", "<", ">", "'", '"',
    "[ref]: javascript:alert(1)\n", "[ref]", "<javascript:alert(1)>", "<https://example.org>",
]), st.sampled_from(SPELLINGS).map(lambda u: f"[md]({u})"))
fragments = st.lists(_pieces, max_size=14).map("".join)


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments, st.sampled_from(["safe", "trusted"]), st.sampled_from(ENGINES))
def test_no_fragment_of_dangerous_pieces_runs_code(fragment, mode, engine):
    """Body → parse (Markdown, sanitiser) → URLs rewritten as for a page and for a feed."""
    config = config_from_dict({"base_url": BASE_URL, "raw_html": mode, "markdown": engine})
    body = parse_article("content/a.md", article("A", "2024-01-01") + fragment + "\n", config).body_html
    if mode == "safe":  # what a browser reads back is the tree that was checked: nothing left to clean
        from site_builder.content.sanitise import sanitise  # here: the module collects on code before it

        assert sanitise(body, "safe") == body
    for published in (rewrite_urls(body, page_relative("../../")),
                      rewrite_urls(body, absolute(BASE_URL, BASE_URL + "articles/a/"))):
        assert problems(published, safe=mode == "safe") == [], published
        # pages embed the body in a document: it must not break out of it either
        assert problems(f"<!doctype html><title>t</title><div>{published}</div>", page=True, safe=mode == "safe") == []


def test_a_protocol_relative_image_is_a_remote_https_image(tmp_path):
    site = make_site(tmp_path / "site", {"content/a.md": article(
        "A", "2024-01-01", image="//cdn.example.org/photos/x.jpg", slug="a")}, config=CONFIG)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    page = (site / "output/articles/a/index.html").read_text()
    assert '<img src="https://cdn.example.org/photos/x.jpg"' in page and "../cdn.example.org" not in page
    atom = (site / "output/atom.xml").read_text()
    assert 'href="https://cdn.example.org/photos/x.jpg"' in atom  # the enclosure
    assert json.loads((site / "output/feed.json").read_text())["items"][0]["image"] == "https://cdn.example.org/photos/x.jpg"


@pytest.mark.parametrize("value, shown", [
    ('"images/my photo.jpg"', "'images/my photo.jpg' is not a valid URL or path: it holds ' '"),
    ("\"https://cdn.example.org/a\\\"b.jpg\"", "'https://cdn.example.org/a\"b.jpg' is not a valid URL or path: it holds '\"'"),
    ("\"images/it's.jpg\"", "\"images/it's.jpg\" is not a valid URL or path: it holds \"'\""),
    ('"images/<x>.jpg"', "'images/<x>.jpg' is not a valid URL or path: it holds '<'"),
    ('"images/a\\tb.jpg"', "'images/a\\tb.jpg' is not a valid URL or path: it holds '\\t'"),
    ('"images/a\\x01b.jpg"', "'images/a\\x01b.jpg' is not a valid URL or path: it holds '\\x01'"),
])
def test_an_image_no_uri_can_hold_is_refused_and_nothing_changes(tmp_path, value, shown):
    site = make_site(tmp_path / "site", {"content/good.md": article("Good", "2024-01-01")}, config=CONFIG)
    assert run_cli("build", "--site", str(site)).returncode == 0
    before = output_files(site / "output")
    make_site(site, {"content/x.md": article("X", "2024-01-02", image=value)}, config=CONFIG)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1, result.stdout
    assert f"content/x.md:4: image: {shown} (rename the file" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert output_files(site / "output") == before


@pytest.mark.parametrize("engine", ENGINES)
def test_what_a_safe_body_loses_is_named_in_a_warning(tmp_path, engine):
    site = make_site(tmp_path / "site", {
        "content/a.md": article("A", "2024-01-01", 'Text <img src="/x.jpg" onerror="alert(1)">\n\n<script>track()</script>\n\n'
                                '<iframe src="https://www.youtube.com/embed/x"></iframe>', slug="a"),
        "content/news.md": article("News", "2024-07-10", NEWS_BODY.replace("FOOTNOTE", FOOTNOTES[engine][0]),
                                   slug="news"),
    }, config=with_engine(CONFIG + 'embed_hosts = ["www.youtube-nocookie.com"]\n', engine))
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "content/a.md: removed from the body: on… handlers, <script>, <iframe> (raw_html = \"safe\"" in result.stderr
    assert "content/news.md" not in result.stderr  # what news is made of loses nothing worth a word
