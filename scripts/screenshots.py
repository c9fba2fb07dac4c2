"""Take the README's screenshots of the default theme: the showcase site (tests/showcase.py)
built, served under a sub-path and opened in Debian's chromium (Playwright) at a desktop's
and a phone's width.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

Each page is shot as a reader first sees it (the first screenful), and the PNG is made small
with Pillow (a palette of 256 colours when that loses nothing visible, else optimised RGB).
The search results page is shot only when the theme has one (output/search/)."""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from serving import serving
from showcase import PREFIX, build_showcase

CHROMIUM = "/usr/bin/chromium"
OUT = REPO / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
# name → (address under the site, what must be there first: a page is shot once it shows)
PAGES = {
    "home": ("", "main"),
    "article": ("articles/sohar-port-strike-ends/", "figure.lead img"),
    "arabic": ("articles/oman-iran-trade-talks-ar/", "article.post"),
    "tag": ("tags/oman/", "main"),
    "author": ("authors/leila-haddad/", "main"),
    "search": ("search/?q=Sohar", "main"),
}


def small_png(png: bytes) -> bytes:
    """Return the screenshot as a smaller PNG: quantised to 256 colours (text and flat colours
    keep theirs; a photo dithers a little), optimised."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        out = io.BytesIO()
        im.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, "PNG", optimize=True)
        return out.getvalue()


def shoot(output: Path, names: list[str]) -> list[Path]:
    """Open each page at each width and write docs/screenshots/<page>-<width>.png."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with serving(output, PREFIX) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                             "--disable-dev-shm-usage"])
        try:
            for size in VIEWPORTS.values():
                context = browser.new_context(viewport=size, device_scale_factor=1, color_scheme="light")
                page = context.new_page()
                for name in names:
                    address, ready = PAGES[name]
                    page.goto(origin + PREFIX + address, wait_until="networkidle")
                    page.wait_for_selector(ready)
                    target = OUT / f"{name}-{size['width']}.png"
                    target.write_bytes(small_png(page.screenshot(full_page=False)))
                    written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    """Build the showcase and write its screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help=f"pages to shoot: {', '.join(PAGES)} (default: all)")
    args = parser.parse_args()
    unknown = sorted(set(args.pages) - set(PAGES))
    if unknown:
        parser.error(f"no page named {', '.join(unknown)} (choose from {', '.join(PAGES)})")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with tempfile.TemporaryDirectory() as work:
        output = build_showcase(Path(work))
        names = args.pages or list(PAGES)
        if "search" in names and not (output / "search" / "index.html").is_file():
            print("no search page in this theme (output/search/): not shot")
            names.remove("search")
        for path in shoot(output, names):
            print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
