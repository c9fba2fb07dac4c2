#!/usr/bin/env python3
"""Draw the default theme's raster icons from the shapes of templates/static/favicon.svg.

    python scripts/make_icons.py      # needs Pillow (pip install pillow); run once, commit the files

Writes templates/static/apple-touch-icon.png (180×180: iOS's home-screen icon, and the
publisher logo of the JSON-LD when site.toml names none) and templates/static/favicon.ico
(16, 32 and 48 px: what browsers ask for at /favicon.ico). The SVG is written by hand; keep the
shapes below the same as its rectangles when either changes.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "templates" / "static"
ACCENT, WHITE = "#a3151c", "#ffffff"  # the theme's --accent (style.css)
# (x, y, width, height) on the SVG's 32-unit grid: a masthead and three lines of text
LINES = [(7, 7, 18, 5), (7, 15, 18, 2), (7, 19.5, 18, 2), (7, 24, 11, 2)]


def icon(size: int, rounded: bool) -> Image.Image:
    """Return the icon drawn at size × size pixels (square corners: iOS rounds its own)."""
    scale = 8  # drawn larger and reduced, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big / 32
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=6 * unit if rounded else 0, fill=ACCENT)
    for x, y, w, h in LINES:
        draw.rectangle((x * unit, y * unit, (x + w) * unit - 1, (y + h) * unit - 1), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write the PNG touch icon and the ICO favicon."""
    icon(180, rounded=False).convert("RGB").save(STATIC / "apple-touch-icon.png", optimize=True)
    icon(48, rounded=True).save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
