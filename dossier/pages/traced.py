"""What a page reads of the site as a whole, noted while it renders.

Build systems that can be trusted record what a step looked at and run it again when one of those
things changes ("verifying traces", as Shake does); they never ask a person to list a step's inputs.
Templates, and the engine's code they call, see the site through `TracedSite`: each read of a
site-wide value is noted as a path for the page being rendered (`recording`):

- `site.entries|length`: ("len", "entries"); `site.entities[slug]`: ("item", "entities", slug);
  `slug in site.by_theme`: ("has", "by_theme", slug); walking `site.entries`, or any read of a value
  that is not a collection (`site.dossier`): ("all", "entries");
- the date of the newest entry (`as_of`): ("newest",); an entry's notes read by the engine's own code
  (the print edition's, the search terms'): ("notes", slug).

Without a recording on (a build without a cache), noting costs a test of an empty list. A rebuild keys
each page by the values at its paths (incremental/reads.py).

An entry a template holds (from its context or `site.entries`) is not wrapped: what the template reads
of it is found from its syntax instead (incremental/shown.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from markupsafe import escape

from ..model import Site

Path_ = tuple[Any, ...]
"""A read of the site: ("len", attribute), ("item", attribute, key), ("has", attribute, key), ("all", attribute), ("newest",) or ("notes", slug)."""

noting: list[set[Path_]] = []
"""The recordings on, innermost last (`recording`)."""


class recording:  # noqa: N801 - used as a function is: `with recording() as noted:`
    """Note the site's values read inside the block into the set it gives, and into any recording around it.

    (A class rather than a generator: a first build opens some 100,000 of them.)"""

    __slots__ = ("noted",)

    def __enter__(self) -> set[Path_]:
        self.noted: set[Path_] = set()
        noting.append(self.noted)
        return self.noted

    def __exit__(self, *exc: object) -> None:
        noting.pop()
        if noting:
            noting[-1].update(self.noted)


def note(path: Path_) -> None:
    """Note a read of the site, when a recording is on."""
    if noting:
        noting[-1].add(path)


def note_all(paths: set[Path_] | frozenset[Path_]) -> None:
    """Note reads made once and reused (a cached macro's, a kept part's), as if made again."""
    if noting:
        noting[-1].update(paths)


class TracedSite:
    """The site as templates and the code they call see it: every read noted (see the module's docstring).

    `extra` holds values the build makes beside the site, read and noted as the site's are (the search
    bundles' names, which the search page lists and which change only when an entry makes a new shard).
    """

    def __init__(self, site: Site, extra: Mapping[str, Any] | None = None):
        self._site = site
        self._extra = extra or {}

    def __getattr__(self, name: str) -> Any:
        value = self._extra[name] if name in self._extra else getattr(self._site, name)
        if isinstance(value, (dict, list)):
            # A collection's view notes its own reads: kept as an attribute, it is found without this method.
            view = _TracedMapping(name, value) if isinstance(value, dict) else _TracedList(name, value)
            setattr(self, name, view)
            return view
        note(("all", name))
        return value


class _Traced:
    """A collection of the site's, its size and its walks noted (the subclasses note its items)."""

    __slots__ = ("_name", "_data")

    def __init__(self, name: str, data: Any):
        self._name = name
        self._data = data

    def __len__(self) -> int:
        note(("len", self._name))
        return len(self._data)

    def __bool__(self) -> bool:
        note(("len", self._name))
        return bool(self._data)

    def __iter__(self) -> Iterator[Any]:
        note(("all", self._name))
        return iter(self._data)


class _TracedMapping(_Traced, Mapping[Any, Any]):
    """A dict of the site's, each read noted."""

    __slots__ = ()

    # The most frequent reads note inline: a first build makes some 200,000.
    def __getitem__(self, key: Any) -> Any:
        if noting:
            noting[-1].add(("item", self._name, key))
        return self._data[key]

    def get(self, key: Any, default: Any = None) -> Any:
        if noting:
            noting[-1].add(("item", self._name, key))
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        if noting:
            noting[-1].add(("has", self._name, key))
        return key in self._data

    def keys(self) -> Any:
        note(("all", self._name))
        return self._data.keys()

    def values(self) -> Any:
        note(("all", self._name))
        return self._data.values()

    def items(self) -> Any:
        note(("all", self._name))
        return self._data.items()


class _TracedList(_Traced, Sequence[Any]):
    """A list of the site's, each read noted."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        note(("item", self._name, index) if isinstance(index, int) else ("all", self._name))
        return self._data[index]


class Newest:
    """The date of the newest entry, as the interface writes it (`as_of`): made, and noted, when a page shows it."""

    def __init__(self, text: str):
        self._text = text

    def __str__(self) -> str:
        note(("newest",))
        return self._text

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __bool__(self) -> bool:
        return bool(str(self))


def in_order(paths: set[Path_]) -> tuple[Path_, ...]:
    """Return the paths in an order that does not depend on the order they were read in: as tuples compare
    (three times as quick as by their text), or by their text where keys of two types meet (`site.timeline[0]`
    beside `site.timeline['x']`)."""
    try:
        return tuple(sorted(paths))
    except TypeError:
        return tuple(sorted(paths, key=repr))
