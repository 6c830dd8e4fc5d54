"""Quick pickling for the slotted dataclasses the build cache holds.

A rebuild unpickles every entry the last build read (about 100,000 dataclass instances at 10,000
entries). The methods `dataclass(slots=True)` adds call `dataclasses.fields()` for every instance,
which was half the time of loading the cache; these use the field names and slot descriptors looked
up once per class.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def quick_pickle(cls: C) -> C:
    """Give a slotted dataclass `__getstate__` and `__setstate__` that do not look its fields up each time."""
    names = tuple(field.name for field in dataclasses.fields(cls))
    setters = tuple(getattr(cls, name).__set__ for name in names)  # the slots' own descriptors: no frozen __setattr__
    get = operator.attrgetter(*names)

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return get(self) if len(names) > 1 else (get(self),)

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
        for set_, value in zip(setters, state):
            set_(self, value)

    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
