"""The context templates render in: Jinja2's, with a shorter way to call a plain function.

A page makes about fifty calls to functions and methods (link(), page.kicker(), a date's
isoformat()). Jinja2's Context.call first asks each callable, and its __call__, whether it
wants the context passed in: three attribute lookups a call, a tenth of a page's rendering
(issue #15). A Python function or bound method that is not marked for it (pass_context and
the like set `jinja_pass_arg`) is called straight away here, as Context.call would call it;
any other callable (a macro, a builtin, an undefined value) goes Jinja2's way.
"""
from __future__ import annotations

from types import FunctionType, MethodType
from typing import Any

import jinja2.runtime

_PLAIN_CALLABLES = (FunctionType, MethodType)


class PageContext(jinja2.runtime.Context):
    """A template's context (Environment.context_class)."""

    def call(self, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        if type(function) not in _PLAIN_CALLABLES or hasattr(function, "jinja_pass_arg"):
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
