"""Every word the default theme shows goes through i18n(): a lint over templates/*.html, and
the words of an Arabic page and an Arabic site as a reader sees them."""
from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser

import pytest
from conftest import REPO

THEME = REPO / "templates"
# What a reader (or a screen reader) is shown of an element's attributes
_SHOWN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_STATEMENT = re.compile(r"\{%.*?%\}", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
# Strings an expression holds that it does not print: the key of i18n(), a path of link(), any
# argument, subscript or compared value (article.extra.get('image_alt'), x == 'rtl')
_NOT_WORDS = re.compile(r"""(?:[(\[,]|==|!=)\s*(['"]).*?\1""")
_STRING = re.compile(r"""(['"])(.*?)\1""")
_LETTER = re.compile(r"[^\W\d_]")


class _Shown(HTMLParser):
    """The text and shown attribute values of a template with its Jinja parts removed."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.in_code = False  # a script's text is code, never shown

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shown += [value or "" for name, value in attrs if name in _SHOWN_ATTRIBUTES]
        self.in_code = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.in_code = False

    def handle_data(self, data: str) -> None:
        if not self.in_code:
            self.shown.append(data)


def untranslated_words(template: str) -> list[str]:
    """Return the words a template shows outside i18n(): in its HTML text and shown
    attributes, and in the string literals its {{ expressions }} print."""
    source = _JINJA_COMMENT.sub("", template)
    printed = [s for expr in _EXPRESSION.findall(source) for _, s in _STRING.findall(_NOT_WORDS.sub("", expr))]
    parser = _Shown()
    parser.feed(_EXPRESSION.sub("", _STATEMENT.sub("", source)))
    return [text.strip() for text in printed + parser.shown if _LETTER.search(text)]


@pytest.mark.parametrize("name", sorted(p.name for p in THEME.glob("*.html")))
def test_every_word_of_the_default_theme_is_translatable(name):
    assert untranslated_words((THEME / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("template", [
    "<p>No articles yet.</p>",
    '<nav aria-label="Pages"></nav>',
    "<span>{{ n }} article{{ '' if n == 1 else 's' }}</span>",
    "<script>const q = 1;</script><p>Results</p>",  # the words after a script are still read
    '<a href="{{ link(\'tags/\') }}">Tags</a>',
])
def test_the_lint_finds_a_word_outside_the_translation_function(template):
    assert untranslated_words(template)


def test_the_lint_reads_no_script_as_words():
    assert untranslated_words('<script>if (query) ui.triggerSearch(query);</script>') == []


def test_the_lint_passes_words_given_to_the_translation_function():
    assert untranslated_words('<a href="{{ link(\'tags/\') }}" aria-label="{{ i18n(\'tags\') }}">'
                              '{{ i18n("page_of", number=2, count=7) }} · 2</a>') == []


def test_every_key_the_theme_uses_is_in_english_and_arabic():
    used = {key for p in THEME.glob("*.html")
            for key in re.findall(r"""i18n\(\s*['"]([\w-]+)['"]""", p.read_text(encoding="utf-8"))}
    for language in ("en", "ar"):
        catalog = tomllib.loads((THEME / "i18n" / f"{language}.toml").read_text(encoding="utf-8"))
        assert used - set(catalog) == set(), language
