"""Quick pickling for the slotted dataclasses the build cache holds.

A rebuild unpickles every entry the last build read (about 100,000 dataclass instances at 10,000
entries). The methods `dataclass(slots=True)` adds call `dataclasses.fields()` for every instance,
which was half the time of loading the cache; these use the field names and slot descriptors looked
up once per class.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def quick_pickle(cls: C) -> C:
    """Give a slotted dataclass `__getstate__` and `__setstate__` that do not look its fields up each time.

    Paths travel as strings: a pickled PosixPath is made again from each of its parts, which took two fifths
    of the time of loading the cache (about 19 µs a path, against 2 µs for `Path(text)`).
    """
    fields = dataclasses.fields(cls)
    names = tuple(field.name for field in fields)
    setters = tuple(getattr(cls, name).__set__ for name in names)  # the slots' own descriptors: no frozen __setattr__
    get = operator.attrgetter(*names)
    one = tuple(i for i, field in enumerate(fields) if field.type in _ONE_PATH)
    many = tuple(i for i, field in enumerate(fields) if field.type in _PATHS)

    if not one and not many:

        def __getstate__(self: Any) -> tuple[Any, ...]:
            return get(self) if len(names) > 1 else (get(self),)

        def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
            for set_, value in zip(setters, state):
                set_(self, value)

    else:

        def __getstate__(self: Any) -> tuple[Any, ...]:
            state = list(get(self) if len(names) > 1 else (get(self),))
            for i in one:
                if state[i] is not None:
                    state[i] = str(state[i])
            for i in many:
                state[i] = tuple(map(str, state[i]))
            return tuple(state)

        def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
            values = list(state)
            for i in one:
                if values[i] is not None:
                    values[i] = _path(values[i])
            for i in many:
                values[i] = tuple(map(_path, values[i]))
            for set_, value in zip(setters, values):
                set_(self, value)

    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls


_MADE: dict[str, Path] = {}
"""The paths made while unpickling and those the build found itself (`known`), by their text: an entry's
record holds its file's path and its image's twice, and most of them are known before it is unpickled."""


def known(paths: Iterable[Path]) -> None:
    """Have unpickled records use these paths rather than make them again: at 10,000 entries, a tenth of a
    second of each rebuild (paths never change, so one can stand in for another)."""
    _MADE.update((str(path), path) for path in paths)


def _path(text: str) -> Path:
    found = _MADE.get(text)
    if found is None:
        found = _MADE[text] = Path(text)
    return found


# A field's type as its annotation reads (a string, under `from __future__ import annotations`) or as the type itself.
_ONE_PATH = ("Path", "Path | None", Path, Path | None)
_PATHS = ("tuple[Path, ...]", tuple[Path, ...])
