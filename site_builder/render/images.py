"""Make the derived files of lead images: a few widths, WebP and a JPEG (PNG with
transparency) fallback, upright and without metadata; and what pages and feeds say of them.

A derived file is an OutputFile like a page: its key is the source's digest and how it is
processed, so a rebuild never processes an unchanged picture again, and the writer renders it
on every core (output/rendering.py). Its name holds the digest too, so a replaced picture
gets a new address and no browser shows a stale one: `images/port.3f2a9c1b7d.800.webp`.
Never upscaled: a picture narrower than a width is given at its own width instead.
"""
from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .. import __version__
from ..core.model import Article, LeadImage, OutputFile

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

WIDTHS = (480, 800, 1200)
WEBP_QUALITY, JPEG_QUALITY = 80, 82
# What the bytes of a derived file depend on besides its source: a change re-processes them all.
_PROCESSING = f"{__version__}|{WIDTHS}|webp {WEBP_QUALITY}|jpeg {JPEG_QUALITY}|lanczos|v1"
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Rendition:
    """One derived file: where, its size, its type."""

    path: str  # site-relative
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Picture:
    """A lead image as pages show it: its WebP and fallback renditions, narrowest first."""

    webp: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]

    @property
    def src(self) -> Rendition:
        """The widest fallback: the <img src>, its width and height, the feeds' image."""
        return self.fallback[-1]


# A list page, a feed and an article page each ask for the pictures they show: a title edit
# looks at every list page's (9,000 asks at 10,000 articles) to find the few it re-renders
@lru_cache(maxsize=8192)
def picture_of(image: LeadImage) -> Picture:
    """Return the renditions of a picture: each width up to its own, never wider."""
    widths = sorted({w for w in WIDTHS if w < image.width} | {min(image.width, WIDTHS[-1])})
    folder = str(PurePosixPath(image.path).parent)
    stem = _UNSAFE_IN_NAME.sub("-", PurePosixPath(image.path).stem).strip("-") or "image"
    base = ("" if folder == "." else folder + "/") + f"{stem}.{image.digest[:10]}"
    fallback_ext, fallback_mime = ("png", "image/png") if image.alpha else ("jpg", "image/jpeg")

    def renditions(ext: str, mime: str) -> tuple[Rendition, ...]:
        return tuple(Rendition(f"{base}.{w}.{ext}", w, max(1, round(image.height * w / image.width)), mime)
                     for w in widths)

    return Picture(renditions("webp", "image/webp"), renditions(fallback_ext, fallback_mime))


def pictures_of(images: Mapping[str, LeadImage], articles: Iterable[Article]) -> dict[str, Picture]:
    """Return the pictures the articles lead with (local ones Pillow processes), by path."""
    return {a.image: picture_of(images[a.image]) for a in articles if a.image and a.image in images}


def image_files(images: Mapping[str, LeadImage], articles: Iterable[Article],
                copies: Mapping[str, Path]) -> list[OutputFile]:
    """Return the derived files of every picture the articles lead with, rendered on demand."""
    files = []
    for path, picture in pictures_of(images, articles).items():
        image, src = images[path], str(copies[path])
        # A width's two formats side by side: a worker given both resizes the picture once (_resized)
        for rendition in (r for pair in zip(picture.webp, picture.fallback) for r in pair):
            key = hashlib.blake2b(f"{_PROCESSING}|{image}|{rendition}".encode(), digest_size=20).hexdigest()
            files.append(OutputFile(rendition.path, "image:" + key, partial(rendition_bytes, src, image, rendition),
                                    heavy=True))
    return files


def rendition_bytes(source: str, image: LeadImage, rendition: Rendition) -> bytes:
    """Return one derived file: the source upright, resized, without EXIF, GPS or XMP (an RGB
    picture's ICC profile is kept: the colours are the photographer's)."""
    resized, icc = _resized(source, image, rendition.width, rendition.height)
    extra = {"icc_profile": icc} if icc else {}
    out = io.BytesIO()
    if rendition.mime == "image/webp":
        resized.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    elif rendition.mime == "image/png":
        resized.save(out, "PNG", optimize=True, **extra)
    else:
        resized.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
    return out.getvalue()


# The last picture resized in this process, for the other format of its width: decoding and
# resizing are a third of a picture's time (image_files puts the two formats side by side)
@lru_cache(maxsize=1)
def _resized(source: str, image: LeadImage, width: int, height: int) -> tuple[PILImage, bytes | None]:
    """Return the source upright and resized to width × height, without metadata, and its ICC
    profile if it is an RGB picture's."""
    from PIL import Image, ImageOps

    with Image.open(source) as im:
        orientation = im.getexif().get(0x0112, 1)
        # A JPEG decodes at 1/2, 1/4 or 1/8 of its size when that still covers the target: 8× faster
        im.draft(None, (height, width) if orientation in (5, 6, 7, 8) else (width, height))
        # An RGB profile describes the pixels still; a CMYK or grey one would not, once converted
        icc = im.info.get("icc_profile") if im.mode.startswith("RGB") else None
        # Each step only when needed: a copy of a 1600×1000 picture is 5 MB more in each process
        upright = im if orientation == 1 else ImageOps.exif_transpose(im)
        mode = "RGBA" if image.alpha else "RGB"
        pixels = upright if upright.mode == mode else upright.convert(mode)
        resized = pixels.resize((width, height), Image.Resampling.LANCZOS)
    resized.info = {}  # exif, xmp, comments: what Pillow would otherwise carry into the file
    return resized, icc
