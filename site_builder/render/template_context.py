"""The context templates render in: Jinja2's, with a shorter way to call a plain function and
to escape a value.

A page makes about fifty calls to functions and methods (link(), page.kicker(), a date's
isoformat()). Jinja2's Context.call first asks each callable, and its __call__, whether it
wants the context passed in: three attribute lookups a call, a tenth of a page's rendering
(issue #15). Here a Python function, bound method or builtin that is not marked for it
(pass_context and the like set `jinja_pass_arg`) and a macro (a card, a byline: ten to thirty
a list page) are called straight away, and a function marked with pass_context (the words, the
dates) is given this context, as Context.call would do; any other callable (a class, an
undefined value, a function that asks for the environment) goes Jinja2's way.

Each `{{ value }}` goes through markupsafe's escape(), one to two hundred times a page.
MarkupSafe 3's escape() is Python around a C function: it makes its Markup through
Markup.__new__ (which asks the text for __html__ again) and makes a new Markup of one it is
given. `escape` below makes the same Markup of a str, gives back a Markup as it is (equal, and
immutable), and leaves anything else to markupsafe: a tenth of a page's rendering (issue #15).
"""
from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.runtime
import markupsafe
from markupsafe import Markup

# a builtin (a date's isoformat(), a dict's get()) cannot be marked: it is called as it is
_PLAIN_CALLABLES = (FunctionType, MethodType, BuiltinFunctionType)
_MACRO = jinja2.runtime.Macro
# What jinja2.pass_context marks a function with (its value is not public)
_PASS_CONTEXT = getattr(jinja2.pass_context(lambda context: context), "jinja_pass_arg")  # noqa: B009
_new_str = str.__new__
# What markupsafe.escape() escapes a str with (its C speedups, else Python); should a release
# no longer have it under this name, markupsafe.escape() itself, the same text slower.
_escape_str = getattr(markupsafe, "_escape_inner", markupsafe.escape)


def escape(value: Any, /) -> Markup:
    """Return markupsafe.escape(value): the same text, as a Markup."""
    kind = type(value)
    if kind is str:
        return _new_str(Markup, _escape_str(value))
    if kind is Markup:
        return value
    return markupsafe.escape(value)


class PageTemplate(jinja2.Template):
    """A compiled template whose `{{ value }}` escapes with `escape` (Environment.template_class)."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any,
                  uptodate: Any = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The template's functions (its root, blocks and macros) look `escape` up in the
        # namespace its code ran in, where that code imported Jinja2's.
        template.root_render_func.__globals__["escape"] = escape
        return template


class PageContext(jinja2.runtime.Context):
    """A template's context (Environment.context_class)."""

    def call(self, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        kind = type(function)
        if kind is _MACRO:  # a macro takes nothing from the context but what it closed over
            pass
        elif kind not in _PLAIN_CALLABLES:
            return super().call(function, *args, **kwargs)
        elif (passed := getattr(function, "jinja_pass_arg", None)) is _PASS_CONTEXT:
            # a word or a date of the page's language (render/localized.py): a call made where
            # a loop or a block set variables sees them through a context Jinja2 derives
            if kwargs.get("_loop_vars") or kwargs.get("_block_vars"):
                return super().call(function, *args, **kwargs)
            args = (self, *args)
        elif passed is not None:
            return super().call(function, *args, **kwargs)
        __traceback_hide__ = True  # Jinja2 leaves this frame out of a template's traceback
        # what Jinja2 adds to a call made in a loop or a block, for the callables that take the context
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return function(*args, **kwargs)
        except StopIteration:  # as Context.call: a generator's end inside a template is undefined
            return self.environment.undefined("value was undefined because a callable raised a "
                                            "StopIteration exception")
