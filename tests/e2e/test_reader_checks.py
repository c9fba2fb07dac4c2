"""The theme as a reader's tools see it (issue #16, "Checks"): the Nu Html Checker finds no
error on any page, and axe-core no accessibility violation on the pages a reader opens, at a
desktop's and a phone's width; the share card and JSON-LD of an article name a picture that is
served, at least 1200 px wide, at the size they state.

The sites are the showcase (tests/showcase.py: the sample site with a picture, an Arabic story
and authors) and the bilingual golden site. vnu.jar and axe-core come from npm, pinned, in the
git-ignored .npm-tools/ that scripts/test.sh fills; the browser is Debian's chromium."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from golden import SITES, build_copy
from serving import serving
from showcase import BASE_URL, PREFIX, build_showcase

REPO = Path(__file__).resolve().parents[2]
NPM_TOOLS = REPO / ".npm-tools" / "node_modules"
VNU_JAR = NPM_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NPM_TOOLS / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}
# The pages a reader opens: the front, a story with its picture, the Arabic story, a tag, an
# author, and a missing address (GitHub Pages answers it with 404.html)
READER_PAGES = ["", "articles/sohar-port-strike-ends/", "articles/oman-iran-trade-talks-ar/", "tags/oman/",
                "authors/leila-haddad/", "no-such-page/"]


def needs(path: Path, what: str) -> None:
    """Skip when a tool scripts/test.sh installs is missing; under CI (CI=true) fail instead."""
    if path.exists():
        return
    why = f"{what} is missing ({path.relative_to(REPO) if path.is_relative_to(REPO) else path}): run scripts/test.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def showcase(tmp_path_factory) -> Path:
    return build_showcase(tmp_path_factory.mktemp("showcase"))


def test_every_page_is_valid_html(showcase, tmp_path):
    """vnu.jar reports no error on any page of the two sites (one Java process for all)."""
    needs(VNU_JAR, "the Nu Html Checker (npm vnu-jar)")
    java = shutil.which("java") or "/usr/bin/java"
    needs(Path(java), "java (apt default-jre-headless)")
    bilingual = build_copy(SITES / "bilingual", tmp_path)
    pages = [p for out in (showcase, bilingual) for p in out.rglob("*.html")]
    assert len(pages) > 40
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json",
                             str(showcase), str(bilingual)], capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert not messages, "\n".join(f"{unquote(m.get('url', ''))}:{m.get('lastLine', '?')}: {m['message']}"
                                   for m in messages)
    assert result.returncode == 0, result.stderr



@pytest.mark.parametrize("scheme", ["light", "dark"])  # the theme has a dark palette: its contrast counts too
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_reader_pages_have_no_accessibility_violations(showcase, browser, viewport, scheme):
    """axe-core, run in each page as a reader's browser shows it, finds nothing to report."""
    needs(AXE, "axe-core (npm)")
    found = {}
    with serving(showcase, PREFIX) as origin:
        context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
        try:
            page = context.new_page()
            for path in READER_PAGES:
                page.goto(origin + PREFIX + path, wait_until="load")
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate("async () => (await axe.run()).violations.map(v => "
                                           "({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))")
                if violations:
                    found["/" + path] = violations
        finally:
            context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


class _Head(HTMLParser):
    """The <meta> tags and JSON-LD scripts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.json_ld: list[dict] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta.setdefault(a.get("property") or a.get("name"), a.get("content", ""))
        self._in_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))
            self._in_ld = False


def test_share_card_image_is_a_served_rendition_of_the_stated_size(showcase):
    """An article leading with a local picture shares a rendition, not the original: an
    absolute URL of a file the site serves, ≥ 1200 px wide, of the width and height its tags
    state; its JSON-LD names the same picture (Google's Article rich result wants ≥ 1200 px)."""
    from PIL import Image

    head = _Head()
    head.feed((showcase / "articles/sohar-port-strike-ends/index.html").read_text(encoding="utf-8"))
    meta = head.meta
    url = meta["og:image"]
    assert url.startswith(BASE_URL) and url != BASE_URL + "images/sohar-port.jpg"
    served = showcase / unquote(urlsplit(url).path).removeprefix(PREFIX)
    assert served.is_file(), url
    with Image.open(served) as im:
        assert im.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
        assert im.size[0] >= 1200
    assert meta["twitter:image"] == url and meta["twitter:card"] == "summary_large_image"
    assert meta["og:image:alt"] == "Container cranes over a quay at dawn"
    (article,) = [d for d in head.json_ld if d["@type"] == "NewsArticle"]
    assert article["image"] == [url]
