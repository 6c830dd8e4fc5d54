"""Site-wide values kept from one build to the next, each under a key over what it is made from.

Related reading, the timeline and the citation keys are made from every entry; a rebuild after one
entry's notes are edited gives them the same inputs, and takes them as the last build made them
instead of computing them again. Each key covers what its value reads: for the citation keys, each entry's card
key (fingerprint.py), which covers every field but the notes; for related reading, each entry's related key, over
its words, entities, tags, themes, date and picks and the opening of its notes (a new status or source leaves it);
for the timeline and the warnings about events reported twice, only the fields of the entries they are made from
(assemble.py). A value may be made in another process meanwhile (`Memo.later`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """The values the last build kept, in; the values this build makes or takes, out."""

    def __init__(self, old: Mapping[str, tuple[bytes, Any]], cards: Mapping[str, bytes], reads: Mapping[str, bytes]):
        self._old = old
        self.cards = cards
        """Each entry's card key, by slug: what the citation keys' key is made from."""
        self.reads = reads
        """Each entry's related key, by slug: over what related reading reads of it (fingerprint.entry_keys)."""
        self.new: dict[str, tuple[bytes, Any]] = {}
        """What to keep for the next build: each value under its key, by name."""

    def __call__(self, name: str, key: bytes, make: Callable[[], T]) -> T:
        """Return the value called `name` kept under `key`, or else what `make` returns."""
        old = self._old.get(name)
        value = old[1] if old is not None and old[0] == key else make()
        self.new[name] = (key, value)
        return value

    def later(self, name: str, key: bytes, start: Callable[[], Callable[[], T]]) -> Callable[[], T]:
        """Return a function returning the value called `name` kept under `key`, or else the value `start` begins
        to make (in another process) and returns a function to wait for; call it before the memo is saved."""
        old = self._old.get(name)
        if old is not None and old[0] == key:
            self.new[name] = old
            return lambda: old[1]
        wait = start()

        def made() -> T:
            value = wait()
            self.new[name] = (key, value)
            return value

        return made

    def old(self, name: str) -> Any:
        """Return the value called `name` that the last build kept, whatever its key; None if none."""
        old = self._old.get(name)
        return old[1] if old is not None else None

    @property
    def changed(self) -> bool:
        """Return whether what to keep differs from what was kept: the keys tell."""
        return {name: key for name, (key, _) in self.new.items()} != {name: key for name, (key, _) in self._old.items()}
