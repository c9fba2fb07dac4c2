"""A theme's templates call functions as Jinja2 calls them, though the build's context
(render/template_context.py) calls plain functions its own shorter way."""
from __future__ import annotations

import jinja2
import pytest
from conftest import article, make_site

from site_builder.build.run import build
from site_builder.core.errors import TemplateError
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
