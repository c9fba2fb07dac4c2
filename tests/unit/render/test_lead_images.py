"""Lead images (issue 16): processed once into responsive renditions, shown with their caption
and credit on article pages and cards, carried by the feeds; a bad one refused by name."""
from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import feedparser
import html5lib
import pytest
from conftest import ATOM_SCHEMA, BASE_URL, _feedvalidator, article, assert_w3c_valid, make_site, picture
from PIL import Image
from test_feeds import jing

from site_builder.build.run import build
from site_builder.core.errors import ContentError
from site_builder.render import images as images_module

NS = {"h": "http://www.w3.org/1999/xhtml"}
ORIENTATION, GPS = 0x0112, 0x8825


def exif_photo(size: tuple[int, int] = (1600, 900)) -> bytes:
    """A JPEG stored sideways (EXIF orientation 6: turn it a quarter clockwise) with a GPS tag."""
    im = Image.new("RGB", size, (20, 90, 200))
    im.paste((250, 250, 0), (0, 0, size[0] // 4, size[1]))  # a band on the stored left edge
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif.tobytes(), xmp=b"<x:xmpmeta>secret</x:xmpmeta>")
    return out.getvalue()


def news_site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {
        "content/photo.md": article("Photo", "2024-01-04", image="images/harbour.jpg", image_caption="Cranes at dawn",
                                    image_credit="Ana Díaz / Desk", image_alt="Cranes over the harbour"),
        "content/logo.md": article("Logo", "2024-01-03", image="images/logo.png", image_caption="The logo"),
        "content/remote.md": article("Remote", "2024-01-02", image="https://cdn.example.org/p.jpg"),
        "content/caption.md": article("Caption", "2024-01-01", image_caption="A caption without its picture"),
        "static/images/harbour.jpg": exif_photo(),
        "static/images/logo.png": picture("PNG", (600, 300), "RGBA"),
    })


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = news_site(tmp_path_factory.mktemp("lead"))
    build(site)
    return site


def tree(path: Path):
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)


def srcset_widths(value: str) -> list[int]:
    return [int(c.split()[1].removesuffix("w")) for c in value.split(",")]


def test_the_article_page_leads_with_a_picture_its_caption_and_its_credit(built):
    page = tree(built / "output/articles/photo/index.html")
    figure = page.find(".//h:figure[@class='lead']", NS)
    source, img = figure.find(".//h:source", NS), figure.find(".//h:img", NS)
    assert source.get("type") == "image/webp"
    # 1600×900 stored sideways: 900×1600 upright, so 480 and 800 wide and its own 900, never wider
    assert srcset_widths(source.get("srcset")) == [480, 800, 900] == srcset_widths(img.get("srcset"))
    assert (img.get("width"), img.get("height")) == ("900", "1600")
    assert img.get("alt") == "Cranes over the harbour"
    assert img.get("fetchpriority") == "high" and img.get("loading") is None  # the lead is above the fold
    caption = figure.find("h:figcaption", NS)
    assert caption.text.strip() == "Cranes at dawn"
    assert caption.find("h:span[@class='credit']", NS).text == "Ana Díaz / Desk"


def test_renditions_are_upright_resized_and_hold_no_metadata(built):
    out = built / "output"
    page = tree(out / "articles/photo/index.html")
    paths = [c.split()[0].removeprefix("../../") for s in page.iterfind(".//h:figure//*[@srcset]", NS)
             for c in s.get("srcset").split(",")]
    assert len(paths) == 6
    for rel in paths:
        with Image.open(out / rel) as im:
            width = int(rel.split(".")[-2])
            assert im.size == (width, round(1600 * width / 900)), rel
            assert im.format == ("WEBP" if rel.endswith(".webp") else "JPEG")
            assert not im.getexif() and "xmp" not in im.info and "exif" not in im.info, rel
            assert b"secret" not in (out / rel).read_bytes()
            # the yellow band was the stored left edge: upright, it is the top
            top, bottom = im.convert("RGB").getpixel((width // 2, 5)), im.convert("RGB").getpixel((width // 2, im.height - 5))
            assert top[0] > 200 and top[2] < 80 and bottom[2] > 150, (rel, top, bottom)


def test_a_picture_with_transparency_falls_back_to_png(built):
    img = tree(built / "output/articles/logo/index.html").find(".//h:figure//h:img", NS)
    assert img.get("src").endswith(".600.png") and srcset_widths(img.get("srcset")) == [480, 600]
    with Image.open(built / "output/articles/logo" / img.get("src")) as im:
        assert im.mode == "RGBA" and im.size == (600, 300)


def test_a_remote_image_is_used_as_it_is_and_a_lone_caption_is_still_shown(built):
    remote = tree(built / "output/articles/remote/index.html").find(".//h:figure/h:img", NS)
    assert remote.get("src") == "https://cdn.example.org/p.jpg" and remote.get("srcset") is None
    caption = tree(built / "output/articles/caption/index.html").find(".//h:p[@class='lead-caption']", NS)
    assert caption.text == "A caption without its picture"


def test_cards_show_the_picture_the_first_at_once_the_others_lazily(built):
    cards = [a for a in tree(built / "output/index.html").iterfind(".//h:article", NS)
             if a.get("class", "").split()[0] == "card"]  # the lead story's too ("card lead")
    imgs = [card.find(".//h:img", NS) for card in cards]
    assert [img is not None for img in imgs] == [True, True, True, False]
    assert imgs[0].get("loading") is None and imgs[0].get("src").startswith("images/harbour.")
    assert imgs[1].get("loading") == "lazy" and imgs[1].get("decoding") == "async"
    assert imgs[2].get("src") == "https://cdn.example.org/p.jpg" and imgs[2].get("loading") == "lazy"


def test_feeds_carry_the_picture_and_its_caption(built):
    out = built / "output"
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse(str(out / name))
        assert feed.bozo == 0, feed.get("bozo_exception")
        photo = feed.entries[0]
        media = photo.media_content[0]
        assert media["url"].startswith(BASE_URL + "images/harbour.") and media["url"].endswith(".900.jpg")
        assert (media["medium"], media["width"], media["height"]) == ("image", "900", "1600")
        assert photo.media_credit[0]["content"] == "Ana Díaz / Desk"
        assert "Cranes at dawn" in photo.content[0].value and media["url"] in photo.content[0].value
        assert feed.entries[2].media_content[0]["url"] == "https://cdn.example.org/p.jpg"
        assert "A caption without its picture" in feed.entries[3].content[0].value
    items = json.loads((out / "feed.json").read_text())["items"]
    assert items[0]["image"].endswith(".900.jpg") and items[2]["image"] == "https://cdn.example.org/p.jpg"


def test_the_feeds_with_pictures_are_valid(built):
    """Atom against the RFC 4287 RELAX NG schema, and both formats by the W3C validator's code."""
    result = subprocess.run([jing(), "-c", str(ATOM_SCHEMA), str(built / "output/atom.xml")],
                            capture_output=True, check=False, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    if _feedvalidator() is not None:
        assert_w3c_valid(built / "output", BASE_URL)


def test_a_rebuild_processes_no_unchanged_picture_and_a_replaced_one_again(tmp_path, monkeypatch):
    site = news_site(tmp_path)
    build(site)
    processed: list[str] = []
    real = images_module.rendition_bytes
    monkeypatch.setattr(images_module, "rendition_bytes", lambda *a: processed.append(a[2].path) or real(*a))
    (site / "content/caption.md").write_text(article("Caption", "2024-01-01", "New text.", image_caption="Changed"))
    build(site)
    assert processed == []
    (site / "static/images/harbour.jpg").write_bytes(exif_photo((1200, 700)))
    build(site)
    # 1200×700 sideways: 700 wide upright, so 480 and 700, in WebP and JPEG
    assert len(processed) == 4 and all(p.startswith("images/harbour.") for p in processed)
    names = {p.name for p in (site / "output/images").iterdir()}
    assert not any(n.endswith(".900.jpg") for n in names) and any(n.endswith(".700.jpg") for n in names)


@pytest.mark.parametrize(("field", "files", "message"), [
    ("images/gone.jpg", {}, ("content/a.md:4: image: 'images/gone.jpg': there is no file static/images/gone.jpg: "
                            "add the picture there, or correct the path")),
    ("static/images/x.jpg", {"static/images/x.jpg": picture("JPEG")},
     "there is no file static/static/images/x.jpg (a path under static/ is written without 'static/': 'images/x.jpg')"),
    ("images/broken.jpg", {"static/images/broken.jpg": b"\xff\xd8 not a JPEG"},
     ("content/a.md:4: image: 'images/broken.jpg': static/images/broken.jpg is not a picture Pillow can read: "
     "replace it with a JPEG, PNG or WebP picture")),
    ("../secrets/x.jpg", {}, "content/a.md:4: image: '../secrets/x.jpg': use a path inside the site"),
])
def test_a_bad_lead_image_is_an_error_naming_the_file_and_line(tmp_path, field, files, message):
    site = make_site(tmp_path / "s", {"content/a.md": article("A", "2024-01-01", image=field), **files})
    with pytest.raises(ContentError) as raised:
        build(site)
    assert message in str(raised.value)
    assert not (site / "output").exists()


def test_a_missing_image_in_an_edited_site_leaves_the_output_as_it_was(tmp_path):
    site = news_site(tmp_path)
    build(site)
    before = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")}
    os.remove(site / "static/images/logo.png")
    with pytest.raises(ContentError, match=r"content/logo.md:4: image: 'images/logo.png': there is no file"):
        build(site)
    assert {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")} == before
