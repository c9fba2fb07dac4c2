"""The errors a user can cause, and how they are reported.

    SiteError                 anything that stops a build; str() is the message for the user
    ├── ConfigError           site.toml is wrong (names the key)
    ├── ContentError          a content file is wrong (names the file and line)
    ├── TemplateError         a template fails to load or render (names the template and line)
    ├── OutputError           output/ cannot be written, or would escape or clobber the site
    ├── DeployError           git or ghp-import could not publish the site (`site-builder deploy`)
    ├── SearchError           Pagefind is missing or could not index the site (search = true)
    └── BuildErrors           several of the above, collected so a build reports them all at once

Library code raises these; only the CLI prints them and picks the exit status.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence


class SiteError(Exception):
    """Something the user can fix; the message says what and where."""


class ConfigError(SiteError):
    """site.toml is missing a value, has a wrong one, or has a key we do not know."""


class ContentError(SiteError):
    """A content file is wrong: `path:line: message`."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[ContentError], tuple[str, str, int | None]]:
        return (type(self), (self.path, self.message, self.line))  # so errors can come back from workers


class TemplateError(SiteError):
    """A template is missing, does not parse, or fails while rendering."""


class OutputError(SiteError):
    """The output folder cannot be used or written."""


class DeployError(SiteError):
    """git or ghp-import could not publish the site."""


class SearchError(SiteError):
    """Pagefind, which makes the search index, is missing or failed (build/search_index.py)."""


class BuildErrors(SiteError):
    """Every error found in one stage, reported together."""

    def __init__(self, errors: Iterable[SiteError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self) -> tuple[type[BuildErrors], tuple[list[SiteError]]]:
        return (type(self), (self.errors,))


def raise_all(errors: Sequence[SiteError]) -> None:
    """Raise the errors collected by a stage, if there are any."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors)
