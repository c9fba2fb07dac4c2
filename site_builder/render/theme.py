"""Find the templates and static files of a site: its own templates/ over the default theme."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

from ..core.errors import TemplateError, raise_all
from ..core.names import CACHE_DIR, PACKAGE_DIR, STATIC_DIR, TEMPLATES_DIR
from ..core.walk import special_files


def default_theme_dir() -> Path:
    """Return the default theme's folder: inside the installed package, or the checkout's."""
    packaged = Path(PACKAGE_DIR) / TEMPLATES_DIR  # where a wheel install puts it
    return packaged if packaged.is_dir() else Path(PACKAGE_DIR).parent / TEMPLATES_DIR


@dataclass(frozen=True)
class Theme:
    """The template folders to search, the site's own first."""

    dirs: tuple[Path, ...]
    compiled: Path | None = None  # where compiled templates are kept between builds

    def environment(self) -> jinja2.Environment:
        """Return a Jinja2 environment that escapes everything and refuses undefined names."""
        import jinja2  # here, not at the top: a rebuild with nothing to do never needs it

        from .localized import install  # and Babel, which it brings
        from .template_context import PageContext, PageTemplate
        from .translations import load_catalogs

        if self.compiled is not None:
            self.compiled.mkdir(parents=True, exist_ok=True)
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.dirs]),
            # compiled once, not on every rebuild that renders a page (15 ms of an edit's 0.6 s)
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(self.compiled)) if self.compiled else None,
            # a build reads each template once: asking the disk whether it changed before each
            # of 15,000 pages cost 5% of a theme change (a new build makes a new environment)
            auto_reload=False,
            # a plain dict, never emptied (a theme has a few dozen templates): Jinja2's LRU cache
            # takes a lock and reorders its list at each lookup, three a page (the page, its base
            # template, its macros)
            cache_size=-1,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.context_class = PageContext  # calls plain functions with less ado
        env.template_class = PageTemplate  # escapes with less ado
        install(env, load_catalogs(self.dirs))  # i18n() and the date and number filters
        return env

    def static_dirs(self) -> list[Path]:
        """Return the static/ folders of the theme, the default first so the site's override it."""
        return [d / STATIC_DIR for d in reversed(self.dirs) if (d / STATIC_DIR).is_dir()]


def load_theme(site_dir: Path) -> Theme:
    """Return the site's theme: site_dir/templates (if any) over the default theme."""
    own = site_dir / TEMPLATES_DIR
    default = default_theme_dir()
    if not default.is_dir():
        raise TemplateError(f"the default theme is missing from {default}: reinstall site-builder")
    dirs = (own, default) if own.is_dir() and own.resolve() != default.resolve() else (default,)
    # A named pipe as a template would be skipped (Jinja2 loads regular files only), the default
    # theme's used instead without a word; and anything that opened it would block (issue #12).
    raise_all([TemplateError(f"{path}: is not a regular file ({kind}): remove it or replace it with a file")
               for path, kind in special_files(str(own), TEMPLATES_DIR + "/")])
    return Theme(dirs, site_dir / CACHE_DIR / TEMPLATES_DIR)
