"""calls.DirectContext: templates call plain callables directly, and everything else as Jinja itself would."""

from __future__ import annotations

import jinja2
import pytest

from dossier.pages.calls import DirectContext, use_quick_calls


def plain(value: object = "") -> str:
    return f"plain({value})"


@jinja2.pass_context
def with_context(context: jinja2.runtime.Context, name: str) -> str:
    return f"context({context.get(name)})"


@jinja2.pass_environment
def with_environment(environment: jinja2.Environment) -> str:
    return f"environment({environment.globals['marker']})"


@jinja2.pass_eval_context
def with_eval_context(eval_ctx: jinja2.nodes.EvalContext) -> str:
    return f"autoescape({eval_ctx.autoescape})"


class Greeter:
    """A callable object, as the messages are."""

    def __call__(self, name: object) -> str:
        return f"hello {name if isinstance(name, str) else type(name).__name__}"


class ContextGreeter:
    """A callable object whose __call__ wants the context."""

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context) -> str:
        return f"greeter({context.get('who')})"


class Helpers:
    def shout(self, text: str) -> str:
        return text.upper()

    @jinja2.pass_context
    def who(self, context: jinja2.runtime.Context) -> str:
        return f"who({context.get('who')})"


def marked_object() -> Greeter:
    """A plain-typed callable object that carries Jinja's mark itself."""
    greeter = Greeter()
    greeter.jinja_pass_arg = jinja2.utils._PassArg.environment  # type: ignore[attr-defined]
    return greeter


def stops() -> str:
    raise StopIteration


TEMPLATE = """\
{%- macro box(x) %}[{{ x }}]{% endmacro -%}
{{ plain('a') }} {{ with_context('who') }} {{ with_environment() }} {{ with_eval_context() }}
{{ greet('b') }} {{ greet_context() }} {{ helpers.shout('c') }} {{ helpers.who() }} {{ box(1) }}
{% for who in ['loop'] %}{% set inner = who ~ '-set' %}{{ with_context('inner') }} {{ helpers.who() }} {{ box(who) }} {{ plain(loop.index) }} {{ loop.cycle('x', 'y') }}{% endfor %}
{% set who = 'set' %}{{ with_context('who') }} {{ greet_context() }}
{{ stops() is undefined }} {{ range(3)|list }} {{ dict(a=1) }} {{ namespace(a=2).a }}
"""


def render(direct: bool, template: str = TEMPLATE, **globals: object) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    if direct:
        use_quick_calls(env)
    env.globals.update(
        plain=plain, with_context=with_context, with_environment=with_environment, with_eval_context=with_eval_context,
        greet=Greeter(), greet_context=ContextGreeter(), helpers=Helpers(), stops=stops, marker="m", who="global",
    )  # fmt: skip
    env.globals.update(globals)
    return env.from_string(template).render()


def test_every_kind_of_callable_gets_what_it_gets_from_jinja_itself():
    ours = render(True)
    assert ours == render(False)
    # What the comparison covers: each callee got the context, environment or nothing as Jinja gives them.
    assert "context(global) environment(m) autoescape(True)" in ours
    assert "hello b greeter(global) C who(global) [1]" in ours
    assert "context(loop-set) who(global) [loop] plain(1) x" in ours  # what the loop sets, not its variable
    assert "context(set) greeter(set)" in ours
    assert "True [0, 1, 2] {&#39;a&#39;: 1} 2" in ours


def test_the_answers_are_asked_once_and_kept_with_the_environment():
    env = jinja2.Environment()
    use_quick_calls(env)
    env.globals.update(plain=plain, greet=Greeter(), helpers=Helpers())
    assert env.context_class is DirectContext
    env.from_string("{{ plain() }}{{ greet('x') }}{{ helpers.shout('y') }}{{ helpers.who() }}").render()
    assert env.direct_calls == {plain: True, Greeter: True, Helpers.shout: True, Helpers.who: False}  # type: ignore[attr-defined]


def test_an_object_marked_on_its_own_is_not_answered_by_its_type():
    # A plain Greeter is called first, so its type is known to take nothing; the marked one still gets the environment.
    template = "{{ greet('x') }} {{ marked() }}"
    ours = render(True, template, marked=marked_object())
    assert ours == render(False, template, marked=marked_object())
    assert ours == "hello x hello Environment"


class Messages:
    """Interface strings by key, counting the lookups; a plural form for `n`."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, key: str, n: int | None = None, **values: object) -> str:
        self.asked.append(key)
        table = {"heading": "Notes & <sources>", "count": "{n} entry" if n == 1 else "{n} entries", "by": "by {author}"}
        return table[key].format(n=n, **values)


def folding_env(direct: bool = True) -> tuple[jinja2.Environment, Messages]:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    if direct:
        use_quick_calls(env)
    messages = Messages()
    env.globals["t"] = messages
    return env, messages


def both(source: str, **context: object) -> tuple[str, str, Messages]:
    """Render `source` with folding and with Jinja as it is; return both outputs and the folding run's messages."""
    env, messages = folding_env()
    folded = env.from_string(source)
    messages.asked.clear()  # what compiling asked for
    ours = folded.render(**context)
    plain_env, _ = folding_env(direct=False)
    return ours, plain_env.from_string(source).render(**context), messages


def test_messages_with_constant_arguments_are_looked_up_when_the_template_is_compiled():
    source = "<h2>{{ t('heading') }}</h2><p title=\"{{ t('count', n=1) ~ '!' }}\">{{ t('count', n=3) }}</p>"
    ours, theirs, messages = both(source)
    assert ours == theirs == '<h2>Notes &amp; &lt;sources&gt;</h2><p title="1 entry!">3 entries</p>'
    assert messages.asked == []  # rendering asked for none of them
    env, _ = folding_env()
    compiled = env.compile(source, raw=True)
    assert "Notes &amp; &lt;sources&gt;" in compiled and "context.call(" not in compiled


def test_messages_with_values_known_when_rendering_are_looked_up_then():
    ours, theirs, messages = both("{{ t('by', author=name) }} {{ t('count', n=items|length) }}", name="<Ann>", items=[1, 2])
    assert ours == theirs == "by &lt;Ann&gt; 2 entries"
    assert messages.asked == ["by", "count"]


def test_a_template_that_assigns_t_itself_is_compiled_as_written():
    for source in (
        "{% for t in ['x'] %}{{ t }}{% endfor %} {{ t('heading') }}",
        "{% set t = 'mine' %}{{ t }}",
        "{% macro t(key) %}macro {{ key }}{% endmacro %}{{ t('heading') }}",
        "{% macro m(t) %}{{ t }}{% endmacro %}{{ m('arg') }} {{ t('heading') }}",
    ):
        ours, theirs, messages = both(source)
        assert ours == theirs, source
        env, _ = folding_env()
        assert "Notes &amp;" not in env.compile(source, raw=True), source


def test_an_unknown_key_fails_when_rendering_as_before():
    env, _ = folding_env()
    template = env.from_string("{% if false %}{{ t('no-such-key') }}{% endif %}ok")  # compiles: the branch may never run
    assert template.render() == "ok"
    with pytest.raises(KeyError):
        env.from_string("{{ t('no-such-key') }}").render()


def test_escaping_switched_in_the_template_applies_to_folded_messages():
    ours, theirs, _ = both("{% autoescape false %}{{ t('heading') }}{% endautoescape %} {{ t('heading') }}")
    assert ours == theirs == "Notes & <sources> Notes &amp; &lt;sources&gt;"
