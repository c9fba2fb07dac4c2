"""Start a site and its articles: `site-builder init DIR` and `site-builder new "Headline"`.

    init_site   DIR → site.toml, content/<example>.md, .gitignore, requirements.txt (and the
                wheel it names: pinning.py), .github/workflows/pages.yml (and templates/ with --templates), from the files
                in site_template/; never overwrites a file that is there
    new_article headline → content/<slug>.md, a draft with its date and permanent feed id

Both write content files the way the importer does (its front-matter writer, and a
temporary file renamed into place) and parse them back as a build would, so what they
make always builds.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from ..build.load import CONTENT_DIR
from ..content.article import parse_article, tag_uri
from ..content.slugs import slug_of
from ..core.config import CONFIG_NAME, config_from_dict, load_config
from ..core.errors import SiteError
from ..core.model import SiteConfig
from ..core.names import PACKAGE_DIR
from ..importer.article_text import dump_front_matter
from ..importer.write import SLUG_LENGTH, free_slug, scan_content, write_files
from ..render.theme import TEMPLATES_DIR, default_theme_dir
from .pinning import REQUIREMENTS, pin_site

TEMPLATE_DIR = Path(PACKAGE_DIR) / "site_template"
DEFAULT_BASE_URL = "https://example.org/"
EXAMPLE_TITLE = "Welcome to Your News Site"
# site_template/ name → where init writes it (dot-files are awkward as package data)
_SITE_FILES = {
    "site.toml": CONFIG_NAME,
    "gitignore": ".gitignore",
    "github/workflows/pages.yml": ".github/workflows/pages.yml",
}
# Files a folder may hold and still count as empty: a fresh `git init`, a desktop's litter.
_IGNORED_IN_EMPTY = {".git", ".DS_Store", "Thumbs.db"}


@dataclass
class InitReport:
    """What init wrote, and what it found there and left alone."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def init_site(site_dir: Path, title: str = "News", base_url: str | None = None,
              templates: bool = False, force: bool = False, timezone: str = "UTC",
              markdown: str = "python-markdown") -> InitReport:
    """Create a site in site_dir that builds and publishes as it is; with force, add it to
    a folder that is not empty, writing only the files that are not there."""
    if site_dir.exists() and not site_dir.is_dir():
        raise SiteError(f"{site_dir} is a file: give a folder for the new site")
    found = sorted(p.name for p in site_dir.iterdir() if p.name not in _IGNORED_IN_EMPTY) \
        if site_dir.is_dir() else []
    if found and not force:
        listed = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
        raise SiteError(f"{site_dir} is not empty ({listed}): choose a new folder, or add --force "
                        "to add the site's files beside these (no existing file is overwritten)")
    given_url = base_url is not None
    config = config_from_dict({"title": title, "base_url": base_url or DEFAULT_BASE_URL, "timezone": timezone,
                               "markdown": markdown})
    values = {
        "title": json.dumps(title, ensure_ascii=False),  # a TOML basic string
        "base_url": json.dumps(config.base_url),
        # the id_domain line: set when the address is known, else a reminder to set it
        "id_domain": (f"id_domain = {json.dumps(urlsplit(config.base_url).hostname)}" if given_url else
                      '# id_domain = "USER.github.io"  ← set it with base_url, before the first publication'),
        "timezone": json.dumps(timezone),
        "markdown": json.dumps(markdown),
    }
    files: dict[Path, str] = {}
    for name, target in _SITE_FILES.items():
        text = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        files[site_dir / target] = text if name.endswith(".yml") else Template(text).substitute(values)
    content = site_dir / CONTENT_DIR
    if not (content.is_dir() and any(content.rglob("*.md"))):  # no example among the user's articles
        path, text = _example_article(site_dir, config)
        files[path] = text
    report = InitReport()
    requirements = site_dir / REQUIREMENTS
    if requirements.exists():
        report.kept.append(requirements)
    else:  # first: when no wheel of site-builder can be made for the workflow, nothing is written
        made_dir = not site_dir.exists()
        site_dir.mkdir(parents=True, exist_ok=True)
        requirements.write_text((TEMPLATE_DIR / REQUIREMENTS).read_text(encoding="utf-8"), encoding="utf-8")
        try:
            pin = pin_site(site_dir)
        except SiteError:
            requirements.unlink()
            if made_dir:
                site_dir.rmdir()
            raise
        report.created.append(requirements)
        report.created += [pin.wheel] if pin.wheel else []
    for path in files:
        (report.kept if path.exists() else report.created).append(path)
    write_files([(path, files[path]) for path in report.created if path in files])
    content.mkdir(parents=True, exist_ok=True)
    if templates:
        copied, kept = copy_theme(site_dir / TEMPLATES_DIR)
        report.created += copied
        report.kept += kept
    return report


def _example_article(site_dir: Path, config: SiteConfig) -> tuple[Path, str]:
    slug = slug_of(EXAMPLE_TITLE, config.slugs)
    body = Template((TEMPLATE_DIR / "welcome.md").read_text(encoding="utf-8")).substitute(file=f"{slug}.md")
    return site_dir / CONTENT_DIR / f"{slug}.md", article_text(EXAMPLE_TITLE, _now(config), (), slug, config,
                                                                draft=False, body=body)


def new_article(site_dir: Path, title: str, tags: list[str] | tuple[str, ...] = (),
                slug: str | None = None, now: dt.datetime | None = None) -> Path:
    """Write content/<slug>.md for a new draft dated now; return its path. An existing
    file is never overwritten: a taken name gets -2, -3 …, as the importer does."""
    config = load_config(site_dir)
    title = " ".join(title.split())
    if not title:
        raise SiteError("the headline is empty: give one, e.g. site-builder new \"Raisi Visits Havana\"")
    base = slug or slug_of(title, config.slugs, SLUG_LENGTH)
    if not base:
        raise SiteError(f"the headline {title!r} has no letters or digits to make a file name from: "
                        "give one with --slug, e.g. --slug raisi-visits-havana")
    content = site_dir / CONTENT_DIR
    index = scan_content([content])
    # a name from --slug is the user's: refuse it rather than quietly renaming it
    chosen = free_slug(base, index) if not slug else base
    path = content / f"{chosen}.md"
    if slug and (path.exists() or any(slug in e.slugs for e in index)):
        raise SiteError(f"the slug {slug!r} is taken (by {path if path.exists() else 'another article'}): "
                        "choose another --slug")
    text = article_text(title, _now(config, now), tags, chosen, config)
    create_file(path, text)
    return path


def article_text(title: str, date: dt.datetime, tags: list[str] | tuple[str, ...], slug: str,
                 config: SiteConfig, draft: bool = True, body: str = "") -> str:
    """Return a new content file: front matter with the article's permanent id, then body;
    raise if it would not build (a bad --slug, a tag without letters)."""
    fields: dict[str, object] = {"title": title, "date": date, "tags": _unique(tags)}
    if draft:
        fields["draft"] = True
    if slug != slug_of(title, config.slugs):  # a shortened or numbered name: keep the URL the file's
        fields["slug"] = slug
    fields["id"] = tag_uri(config.entry_id_domain, date, slug)
    text = f"---\n{dump_front_matter(fields)}---\n{body}"
    parse_article(f"{CONTENT_DIR}/{slug}.md", text, config)  # raises a ContentError naming the field
    return text


def _unique(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Return the tags once each, spacing tidied; 'Iran' and ' iran ' are one tag."""
    seen: dict[str, str] = {}
    for tag in tags:
        name = " ".join(tag.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _now(config: SiteConfig, now: dt.datetime | None = None) -> dt.datetime:
    """Return now (or the given moment) in the site's time zone, to the second."""
    zone = zoneinfo.ZoneInfo(config.timezone)
    return (now or dt.datetime.now(zone)).astimezone(zone).replace(microsecond=0)


def create_file(path: Path, text: str) -> None:
    """Write a new file whole, never replacing one: a temporary file beside it, then a hard
    link to the name, which fails if the name was taken meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        try:
            os.link(temp, path)
        except FileExistsError:
            raise SiteError(f"{path} exists: it was not overwritten") from None
        except OSError:  # a file system without hard links
            with open(path, "x", encoding="utf-8", newline="\n") as out:
                out.write(text)
    finally:
        Path(temp).unlink(missing_ok=True)


def copy_theme(target: Path) -> tuple[list[Path], list[Path]]:
    """Copy the default theme into target (a site's templates/) to be edited there; return
    the files copied and those left as they were (never overwritten)."""
    copied, kept = [], []
    theme = default_theme_dir()
    for source in sorted(p for p in theme.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        dest = target / source.relative_to(theme)
        if dest.exists():
            kept.append(dest)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        copied.append(dest)
    return copied, kept
