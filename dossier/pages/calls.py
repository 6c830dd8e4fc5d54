"""Calls from templates: the interface strings looked up once, when a template is compiled; Jinja's context,
calling what takes no context without asking each time.

A template asks for its interface strings by key (`{{ t('entry_notes') }}`): an entry page for some 60.
With the key (and any values) written out, the string is the same on every page of a build, so
`FoldedMessages`, Jinja's code generator, writes it into the compiled template as text, as Jinja does with
constant expressions (a sixth of an entry page's rendering time). A template that assigns `t` anywhere
(a loop variable, `set`, a macro or its argument, an import), or a call with a value known only when
rendering, is compiled as written; the pages' contexts never hold `t`, so elsewhere it is always the
global. The strings depend on the dossier's language: compiled templates are kept per language
(cache.BuildCache.templates).

Every call in a template (`t('entry_notes')`, `url(...)`, a macro) goes through `Context.call`, which
asks the callee, and its `__call__`, whether it wants the context, the evaluation context or the
environment passed in (`jinja2.pass_context` and its siblings), and only then calls it. An entry page
makes some 120 calls, and asking took about a quarter of its rendering time. `DirectContext` asks
once per function, method's function or type of callable object, and then calls it directly; anything else
goes through Jinja's own `Context.call`, as do the callees that want a context. The answers are kept
with the environment (`direct_calls`), which holds the functions its templates call anyway.

What the two buy, measured on a cold build of 10,000 generated entries without search (three builds each
way in turns, 2 cores, the same bytes): 13.34 s against 13.73 s with DOSSIER_PLAIN=1, CPU 24.1 s against
25.1 s: 3-4 % of the build (a rebuild renders few pages and takes its templates compiled from the cache).
"""

from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.runtime
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.utils import _PassArg
from markupsafe import escape

from .render import assigned

MESSAGES = "t"
"""The name templates call for an interface string: the environment's global of that name."""


class FoldedMessages(CodeGenerator):
    """Jinja's code generator, writing calls of the messages with constant arguments as their text (see the module's docstring)."""

    _folds = False

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        self._folds = MESSAGES not in assigned(node)
        super().visit_Template(node, frame)

    def _folded(self, node: nodes.Expr, frame: Frame) -> str | None:
        """Return the text of a call of the messages with constant arguments, else None."""
        if not (self._folds and isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == MESSAGES):
            return None
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            return None
        messages = self.environment.globals.get(MESSAGES)
        if messages is None:
            return None
        try:
            args = [arg.as_const(frame.eval_ctx) for arg in node.args]
            kwargs = {keyword.key: keyword.value.as_const(frame.eval_ctx) for keyword in node.kwargs}
            text = messages(*args, **kwargs)
        except Exception:  # noqa: BLE001 - not constant, or failing: left to fail when rendering, as written
            return None
        return text if type(text) is str else None

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> str:
        text = self._folded(node, frame)
        if text is None or frame.eval_ctx.volatile:  # whether to escape is known only when rendering
            return super()._output_child_to_const(node, frame, finalize)
        const = escape(text) if frame.eval_ctx.autoescape else text
        return finalize.const(const) if finalize.const is not None else str(const)

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        text = None if forward_caller else self._folded(node, frame)
        if text is None:
            super().visit_Call(node, frame, forward_caller=forward_caller)
        else:
            self.write(repr(text))


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


def use_quick_calls(env: jinja2.Environment) -> None:
    """Make `env`'s templates call plain callables directly, and their messages with constant arguments not at all."""
    env.code_generator_class = FoldedMessages
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
