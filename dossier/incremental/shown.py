"""What a template shows of the entries it holds, found from its syntax once per build.

Entries are not wrapped to note what a template reads of them (pages/traced.py wraps the site alone): each
entry's card and entry page would pay for it on every attribute. Whether a template may read the fields
a card leaves out is a question of which names it uses, which its syntax tree answers.
"""

from __future__ import annotations

import jinja2
from jinja2 import nodes

from ..pages.render import MACROS, assigned
from .reads import EVERY, NOT_ON_CARD

# Filters that show a whole object, every field of an entry included.
_WHOLE = frozenset({"pprint", "tojson", "string"})


Shown = frozenset[str]
"""The names of the context whose entries a template may read in full, or EVERY."""



class NotesShown:
    """Which entries a template's pages may read a field of that their card leaves out (NOT_ON_CARD), found from
    the templates' syntax once per build: `shown(name)` gives the names of the context whose entries it reads
    so (`entry.notes_html`), or EVERY.

    It is EVERY when the template, or one it extends, includes or imports, reads such a field of anything
    but a name of the context (a loop's variable, a macro's argument, a name it sets, any name in a template
    it includes, which shares its variables), names such a field otherwise (`attr('notes_html')`), shows
    whole objects (`pprint`, `tojson`, `string`), or reaches a template whose name is known only when
    rendering. A page counts the entries it may read so by their full keys, the others by their card keys.
    """

    def __init__(self, env: jinja2.Environment, known: dict[str, Shown]):
        self._env = env
        self._templates: dict[str, tuple[tuple[str, ...], tuple[str, ...], Shown]] = {}
        self.known = dict(known)
        """What was found, by template: given what a build with the same templates found, they are not read again."""

    def __call__(self, name: str) -> Shown:
        shown = self.known.get(name)
        if shown is None:
            shown = self.known[name] = self._reaches(name)
        return shown

    def _reaches(self, name: str) -> Shown:
        seen: set[str] = set()
        found: set[str] = set()
        todo = [(name, False)]
        while todo:
            current, included = todo.pop()
            if (current, included) in seen:
                continue
            seen.add((current, included))  # type: ignore[arg-type]
            if current not in self._templates:
                try:
                    self._templates[current] = self._read(current)
                except jinja2.TemplateNotFound:
                    continue  # rendering the page reports it
            used, includes, reads = self._templates[current]
            if EVERY in reads or (reads and included):
                return frozenset({EVERY})
            found.update(reads)
            todo.extend((other, False) for other in used)
            todo.extend((other, True) for other in includes)
        return frozenset(found)

    def _read(self, name: str) -> tuple[tuple[str, ...], tuple[str, ...], Shown]:
        """Return the templates `name` uses, those of them it includes, and what it reads in full by itself."""
        source, _, _ = self._env.loader.get_source(self._env, name)  # type: ignore[union-attr]
        tree = self._env.parse(source, name)
        every = frozenset({EVERY})
        used: list[str] = []
        includes: list[str] = []
        for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            target = node.template
            names = target.value if isinstance(target, nodes.Const) else None
            if isinstance(names, str):
                names = [names]
            elif not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
                return (), (), every  # a template chosen when rendering may read anything
            (includes if isinstance(node, nodes.Include) else used).extend(names)
        if any(node.name == "cached" for node in tree.find_all(nodes.Name)):
            used.append(MACROS)
        if any(node.name in _WHOLE for node in tree.find_all(nodes.Filter)):
            return (), (), every
        bound = assigned(tree)
        named: set[str] = set()
        direct: set[int] = set()
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            field = node.attr if isinstance(node, nodes.Getattr) else node.arg.value if isinstance(node.arg, nodes.Const) else None
            if field not in NOT_ON_CARD:
                continue
            if not isinstance(node.node, nodes.Name) or node.node.name in bound:
                return (), (), every
            named.add(node.node.name)
            if isinstance(node, nodes.Getitem):
                direct.add(id(node.arg))
        if any(isinstance(node.value, str) and node.value in NOT_ON_CARD and id(node) not in direct for node in tree.find_all(nodes.Const)):
            return (), (), every  # a field named otherwise: attr('notes_html'), map(attribute='links')
        return tuple(used), tuple(includes), frozenset(named)
