"""A theme's templates call functions as Jinja2 calls them, though the build's context
(render/template_context.py) calls plain functions its own shorter way."""
from __future__ import annotations

import jinja2
import markupsafe
import pytest
from conftest import article, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from site_builder.build.run import build
from site_builder.core.errors import TemplateError
from site_builder.render.template_context import escape
from site_builder.render.theme import Theme


@pytest.fixture
def env(tmp_path):
    return Theme((tmp_path,)).environment()


def test_a_function_called_in_a_loop_or_a_block_gets_its_own_arguments_only(env):
    env.globals["shown"] = lambda *args, **kwargs: f"{args} {' '.join(sorted(kwargs))}"
    template = env.from_string("{% for x in [1] %}{{ shown(x, y=2) }}{% endfor %}|"
                               "{% set held %}{{ shown() }}{% endset %}{{ held }}")
    assert template.render() == "(1,) y|() "


def test_a_method_is_called_on_its_object(env):
    class Page:
        def twice(self, n: int) -> int:
            return 2 * n

    assert env.from_string("{{ page.twice(21) }}").render(page=Page()) == "42"


def test_a_function_that_asks_for_the_context_gets_the_context(env):
    @jinja2.pass_context
    def greeting(context, mark):
        return context["name"] + mark

    env.globals["greeting"] = greeting
    template = env.from_string("{% for _ in [1] %}{{ greeting('!') }}{% endfor %}")
    assert template.render(name="Ada") == "Ada!"


def test_a_function_that_asks_for_the_context_sees_what_a_loop_or_a_block_set(env):
    """As Jinja2 gives it: a context with the variables a `set` made inside the loop or block."""
    @jinja2.pass_context
    def seen(context):
        return context.get("mark", "-")

    source = ("{{ seen() }}{% for _ in [1] %}{% set mark = '!' %}{{ seen() }}{% endfor %}"
              "{% macro m() %}{{ seen() }}{% endmacro %}{{ m() }}"
              "{% block b %}{% set mark = '?' %}{{ seen() }}{% endblock %}")
    plain = jinja2.Environment()
    for environment in (env, plain):
        environment.globals["seen"] = seen
    shown = [environment.from_string(source).render(mark="a") for environment in (env, plain)]
    assert shown == ["a!a?", "a!a?"]


def test_a_function_that_ends_an_iteration_gives_an_undefined_value(env):
    def ended():
        raise StopIteration

    env.globals["ended"] = ended
    assert env.from_string("{{ ended() is defined }}").render() == "False"


def test_an_error_in_a_function_a_template_calls_names_the_template_and_line(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article("A story", "2024-05-01T10:00:00+00:00"),
                                "templates/article.html": "{% extends 'base.html' %}\n{% block content %}\n"
                                                          "{{ link(none) }}\n{% endblock %}\n"})
    with pytest.raises(TemplateError, match=r"article\.html:3: .*while rendering articles/"):
        build(site)


class _Html:
    """A value that gives its own HTML, as a Markup or a widget would."""

    def __init__(self, text: str):
        self.text = text

    def __html__(self) -> str:
        return f"<b>{self.text}</b>"


class _Text(str):
    """A str of another class: markupsafe escapes its text."""


_VALUES = st.one_of(st.text(), st.text().map(Markup), st.text().map(_Html), st.text().map(_Text),
                    st.integers(), st.none(), st.lists(st.text(max_size=3), max_size=2))
_SHOWN = """{% macro shown(v) %}<i title="{{ v }}">{{ v }}</i>{% endmacro %}\
{{ value }}|{{ shown(value) }}|{% for v in [value, value] %}{{ v }}{% endfor %}|\
{% set held %}{{ value }}{% endset %}{{ held }}|{{ value ~ '&' }}|{{ value|string }}|{% block b %}{{ value }}{% endblock %}"""


@given(value=_VALUES)
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_template_escapes_every_value_as_jinja2_and_markupsafe_do(tmp_path, value):
    """The build's templates escape with their own function (template_context.escape): a page
    shows every value, in text, an attribute, a macro, a loop, a block, exactly as Jinja2
    would, in a template read from a file and in one read back from the compiled cache."""
    (tmp_path / "page.html").write_text(_SHOWN, encoding="utf-8")
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True)
    expected = plain.get_template("page.html").render(value=value)
    compiled = tmp_path / "compiled"
    for _ in range(2):  # compiled, then loaded from the bytecode cache
        ours = Theme((tmp_path,), compiled).environment().get_template("page.html").render(value=value)
        assert ours == expected


def test_the_escape_of_a_text_is_markupsafes():
    """What a page writes of a text, an attribute's quotes, a Markup (not escaped twice)."""
    for text in ["<script>alert('x') & \"y\"</script>", "", "plain", "\u00a0é"]:
        assert escape(text) == markupsafe.escape(text) and type(escape(text)) is Markup
    safe = Markup("<em>kept</em>")
    assert escape(safe) == safe and type(escape(safe)) is Markup
