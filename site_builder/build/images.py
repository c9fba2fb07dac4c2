"""Read the pictures of static/ that articles may lead with, and refuse an article whose lead
image is missing or no picture.

Each JPEG, PNG or WebP file of static/ is read once per change: the digest of its bytes, its
upright size (EXIF orientation applied) and whether it has transparency, remembered in
`.site-builder-cache/images.json` by the file's stat, so a build reads again only what changed.
render/images.py makes the derived files from it; their names and keys hold the digest.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..content.frontmatter import split_front_matter
from ..core.errors import ContentError, SiteError
from ..core.model import Article, LeadImage
from ..core.names import CACHE_DIR, STATIC_DIR
from ..core.walk import signature_of
from ..output.write import write_json

# What Pillow reads and the derived files are made of; any other file (.gif, .svg, .avif) is
# published as it is, as a remote image is.
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
_MEMO = "images.json"
# EXIF orientations that turn the picture a quarter: width and height swap
_QUARTER_TURNS = frozenset({5, 6, 7, 8})
log = logging.getLogger(__name__)


def read_images(site_dir: Path, copies: Mapping[str, Path]) -> tuple[dict[str, LeadImage], dict[str, str]]:
    """Return the pictures of static/ by site-relative path, and why each file Pillow cannot
    read is no picture (path → reason)."""
    memo_path = site_dir / CACHE_DIR / _MEMO
    memo = _load_memo(memo_path)
    seen: dict[str, list[Any]] = {}
    images, problems = {}, {}
    for path, src in copies.items():
        if path.startswith(STATIC_DIR + "/") or not path.lower().endswith(PICTURE_SUFFIXES):
            continue  # the theme's files, or a file published as it is
        signature = signature_of(src.stat())
        row = memo.get(str(src))
        if not (isinstance(row, list) and len(row) in (3, 5) and row[0] == signature):  # else new, changed or foreign
            row = [signature, *_read(path, src)]
        seen[str(src)] = row
        if row[1] is None:
            problems[path] = row[2]
        else:
            images[path] = LeadImage(path, *row[1:5])
    if seen != memo:
        try:
            write_json(memo_path, seen)
        except OSError as exc:  # a read-only cache: the next build reads the pictures again
            log.warning("cannot remember the pictures read in %s (%s)", memo_path, exc)
    return images, problems


def _load_memo(path: Path) -> dict[str, list[Any]]:
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def _read(path: str, src: Path) -> list[Any]:
    """Return [digest, width, height, alpha] of a picture, or [None, why it is none]."""
    from PIL import Image, UnidentifiedImageError

    data = src.read_bytes()
    try:
        with Image.open(src) as im:
            width, height = im.size
            if im.getexif().get(0x0112) in _QUARTER_TURNS:
                width, height = height, width
            alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    except Image.DecompressionBombError as exc:
        return [None, f"is too large to publish ({exc}): make it smaller than 50 megapixels"]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        why = "is not a picture Pillow can read" if isinstance(exc, UnidentifiedImageError) else f"cannot be read ({exc})"
        return [None, why]
    return [hashlib.sha256(data).hexdigest()[:16], width, height, alpha]


def image_errors(site_dir: Path, articles: Iterable[Article], images: Mapping[str, LeadImage],
                 problems: Mapping[str, str], copies: Mapping[str, Path]) -> list[SiteError]:
    """Return an error for each article whose local lead image is not in static/ or is no
    picture, naming the content file and the line of its `image:`."""
    errors: list[SiteError] = []
    for article in articles:
        image = article.image
        if not image or "://" in image or image in images:
            continue
        if image in problems:
            why = (f"static/{image} {problems[image]}: replace it with a JPEG, PNG or WebP picture, "
                   "or remove the 'image:' line")
        elif image in copies:
            continue  # a file published as it is (.gif, .svg)
        else:
            hint = f" (a path under static/ is written without 'static/': '{image[7:]}')" if image.startswith("static/") else ""
            why = f"there is no file static/{image}{hint}: add the picture there, or correct the path"
        errors.append(ContentError(article.source_path, f"image: {image!r}: {why}",
                                   line=_image_line(site_dir, article.source_path)))
    return errors


def _image_line(site_dir: Path, source_path: str) -> int | None:
    """Return the line of a content file's `image:` field (read again: only an error needs it)."""
    try:
        text = (site_dir / source_path).read_text(encoding="utf-8-sig")
        return split_front_matter(source_path, text).lines.get("image")
    except (OSError, ValueError, SiteError):
        return None
