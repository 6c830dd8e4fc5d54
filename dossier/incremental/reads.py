"""The values at what pages read of the site (pages/traced.py), looked up in each build, so that a page's key
covers exactly what it read.

A page's key covers the values at its paths (`TraceValues`), looked up in the site being built: a
rebuild renders again the pages one of whose reads changed, whatever their templates read, the
built-in ones or a curator's own. A page not rendered again keeps its paths, since reading the same
values it takes the same course.

An entry counts by its card key (every field but the notes) on a page whose templates read no field the
card leaves out (shown.NotesShown), else by its full key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..hashing import digest, dumps
from ..model import Site
from ..pages.traced import Path_

Values = dict[tuple[Path_, bool], bytes]
"""The values at the paths pages read, by path and whether the page counted entries in full (TraceValues.of)."""

EVERY = "*"
"""In what shown.NotesShown finds: a page of the template may read the notes of any entry it holds."""

NOT_ON_CARD = ("notes_html", "links")
"""The fields of an entry its card key leaves out (fingerprint.entry_keys): no list shows another entry's notes."""


class TraceValues:
    """The values at the paths pages read, each looked up once per build and hashed: `digest(paths, notes)`.

    `cards` and `full` hold each entry's card and full key (fingerprint.entry_keys): an entry read
    counts by its full key on a page whose templates show notes, else by its card key. `extra` holds the
    values beside the site that TracedSite was given.
    """

    def __init__(self, site: Site, cards: Mapping[str, bytes], full: Mapping[str, bytes], extra: Mapping[str, Any] | None = None):
        self._site = site
        self._extra = extra or {}
        self._keys = (cards, full)
        self._values: tuple[dict[Path_, bytes], dict[Path_, bytes]] = ({}, {})

    def digest(self, paths: Sequence[Path_], notes: bool) -> bytes:
        """Return a key over the site's values at `paths` (in a fixed order: see `in_order`)."""
        # The values known looked up inline: every page's key takes some 30 of them (0.2 s of CPU at 10,000 entries).
        known = self._values[notes].get
        return hashlib.blake2b(b"".join([known(path) or self.value(path, notes) for path in paths]), digest_size=16).digest()

    def value(self, path: Path_, notes: bool) -> bytes:
        """Return a key over the site's value at `path`."""
        if path[0] == WHOLE:
            return self._whole(path[1])
        known = self._values[notes]
        value = known.get(path)
        if value is None:
            value = known[path] = self._value(path, notes)
        return value

    def changed(self, old: Values) -> tuple[set[Path_], set[Path_]]:
        """Return the paths whose values differ from `old` (a build's, by path and whether notes count), of the
        pages that count entries by their card keys and of those that count them in full.

        A collection the same as a whole (`_whole`) holds the same items: their paths are not looked up one by one,
        which for the 30,000 paths of a dossier of 10,000 entries would take a fifth of a second.
        """
        same = {path[1] for (path, _), value in old.items() if path[0] == WHOLE and self._whole(path[1]) == value}
        found: tuple[set[Path_], set[Path_]] = (set(), set())
        cards, full = self._keys
        entries = "entries" not in same
        for (path, notes), value in old.items():
            # Most paths are an entry or its notes (two of three at 10,000 entries): `_value` inline for them saves a tenth of a second.
            if path[0] == "item" and path[1] == "entries":
                if entries and (full if notes else cards).get(path[2], b"-") != value:
                    found[notes].add(path)
            elif path[0] == "notes":
                if entries and full.get(path[1], b"-") != value:
                    found[notes].add(path)
            elif path[0] != WHOLE and _collection(path) not in same and self.value(path, notes) != value:
                found[notes].add(path)
        return found

    def of(self, reads: Mapping[str, tuple[Path_, ...]], notes: Callable[[str], bool], last: tuple[Values, tuple[set[Path_], set[Path_]]] | None = None) -> Values:
        """Return the values at every path pages read (`reads`, by page; `notes` tells of a page whether notes
        count), for the next build to compare with (`changed`).

        `last` holds the last build's values and the paths among them whose values changed (`changed`): the
        values at the others are taken from it (a tenth of a second at 10,000 entries).
        """
        paths: tuple[set[Path_], set[Path_]] = (set(), set())
        for output, read in reads.items():
            paths[notes(output)].update(read)
        old, changed = last or ({}, (set(), set()))
        found = {}
        for flag in (False, True):
            for path in paths[flag]:
                value = old.get((path, flag))
                found[path, flag] = value if value is not None and path not in changed[flag] else self.value(path, flag)
        # Collections read item by item, as wholes: a later build looks up their items only if one differs.
        itemised = {_collection(path) for flag in (False, True) for path in paths[flag] if path[0] not in ("len", "has")}
        found.update((((WHOLE, name), False), self._whole(name)) for name in itemised)
        return found

    def _whole(self, name: str) -> bytes:
        """Return a key over a whole collection of the site's: the entries by their full keys, the others as they are."""

        key = ((WHOLE, name), False)
        value = self._values[False].get(key)
        if value is None:
            if name == "entries":
                full = self._keys[True]
                value = digest(b"".join(slug.encode() + full[slug] for slug in self._site.entries))
            else:
                value = digest(dumps(self._extra[name] if name in self._extra else getattr(self._site, name)))
            self._values[False][key] = value
        return value

    def _value(self, path: Path_, notes: bool) -> bytes:

        keys = self._keys[notes]
        kind = path[0]
        if kind == "newest":
            return dumps(next(iter(self._site.entries.values())).date if self._site.entries else None)
        if kind == "notes":
            return self._keys[True].get(path[1], b"-")
        data = self._extra[path[1]] if path[1] in self._extra else getattr(self._site, path[1])
        if kind == "len":
            return dumps(len(data))
        if kind == "has":
            return b"1" if path[2] in data else b"0"
        if path[1] == "entries":  # entries count by their keys
            if kind == "item":
                return keys.get(path[2], b"-")
            return digest(b"".join(slug.encode() + keys[slug] for slug in data))
        if kind == "item":
            try:
                return dumps(data[path[2]])
            except (LookupError, TypeError):
                return b"-"
        return digest(dumps(data))


WHOLE = "whole"
"""In TraceValues.of: a key over a whole collection (TraceValues._whole), not a read."""


def _collection(path: Path_) -> str:
    """Return the collection of the site's a read is of: the entries for the newest date and an entry's notes."""
    return "entries" if path[0] in ("newest", "notes") else path[1]
