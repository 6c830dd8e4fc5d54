"""Calls from templates: Jinja's context, calling what takes no context without asking each time.

Every call in a template (`t('entry_notes')`, `url(...)`, a macro) goes through `Context.call`, which
asks the callee, and its `__call__`, whether it wants the context, the evaluation context or the
environment passed in (`jinja2.pass_context` and its siblings), and only then calls it. An entry page
makes some 120 calls, and asking took about a quarter of its rendering time. `DirectContext` asks
once per function, method's function or type of callable object, and then calls it directly; anything else
goes through Jinja's own `Context.call`, as do the callees that want a context. The answers are kept
with the environment (`direct_calls`), which holds the functions its templates call anyway.
"""

from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.runtime
from jinja2.utils import _PassArg


class DirectContext(jinja2.runtime.Context):
    """Jinja's template context, with calls to plain callables made directly (see the module's docstring)."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        kind = type(__obj)
        if kind is MethodType:
            key = __obj.__func__
        elif kind is FunctionType or kind is BuiltinFunctionType:
            key = __obj
        elif isinstance(__obj, type) or (kind.__dictoffset__ and _marked(__obj.__dict__)):
            return super().call(__obj, *args, **kwargs)
        else:  # a callable object (a macro, the messages): its type decides, as it has no marks of its own
            key = kind
        known: dict[Any, bool] = __self.environment.direct_calls  # type: ignore[attr-defined]
        plain = known.get(key)
        if plain is None:
            plain = known[key] = _takes_nothing(__obj)
        if not plain:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Context.call answers it
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


def use_direct_calls(env: jinja2.Environment) -> None:
    """Make `env`'s templates call plain callables directly."""
    env.context_class = DirectContext
    env.direct_calls = {}  # type: ignore[attr-defined] - per function, method's function or type of callable object: whether Jinja passes it nothing


def _marked(attributes: dict[str, Any]) -> bool:
    """Return whether an object's own attributes could tell Jinja to pass it something."""
    return "jinja_pass_arg" in attributes or "__call__" in attributes


def _takes_nothing(obj: Any) -> bool:
    """Return whether Jinja's Context.call would call `obj` with the template's arguments alone."""
    if hasattr(obj, "__call__") and _PassArg.from_obj(obj.__call__) is not None:  # noqa: B004 - as Context.call asks
        return False
    return _PassArg.from_obj(obj) is None
