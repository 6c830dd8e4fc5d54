"""German compound words split into their parts, so search finds `Lieferung` in `Munitionslieferung`.

Pagefind matches words by prefix: `Munition` finds `Munitionslieferung`, `Lieferung` does not. The
entry page therefore carries the later parts of its long German words as hidden index text.
compound-split (char_split) ships its n-gram statistics, so it needs no dictionary download and
works offline; only splits it scores as likely (above 0) are used.

Its statistics are Python modules: importing them takes about 2.5 s and 350 MB (the Dutch ones load
too), most of a rebuild that renders one German entry page. So a build with a cache writes the
German tables once into a file (`TableFile`), sorted, and a later process looks words up in it by
bisection, mapped into memory, instead of loading them: about 10 µs a lookup, a millisecond a word.
The scoring stays compound-split's own: its module is loaded with the file's tables in place of
its modules (`_char_split`). A build that splits many words (a first build) loads the tables
whole, before its renderers fork, so they share them.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import itertools
import mmap
import os
import re
import struct
import sys
import tempfile
import types
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import seams

_WORD = re.compile(r"[^\W\d_]{9,}")
MIN_PART = 4
MIN_SCORE = 0.0
TABLES = ("prefix", "infix", "suffix")
_MAGIC = b"DOSSIER-NGRAMS-1"
_DE, _NL = "compound_split.de_ngram_probs", "compound_split.nl_ngram_probs"

_splitter: Any = None
"""compound-split's char_split module, once loaded: with its own tables, or with a TableFile's."""
_table_file: Path | None = None
"""The file to take the tables from, when it exists (use_table_file)."""


@lru_cache(maxsize=65536)
def split_word(word: str) -> tuple[str, ...]:
    """Return the parts after the first of a German compound (`Artilleriemunition` -> `Munition`), recursively."""
    candidates = _char_split().split_compound(word)
    if not candidates:
        return ()
    score, head, tail = candidates[0]
    if score <= MIN_SCORE or len(head) < MIN_PART or len(tail) < MIN_PART:
        return ()
    return (tail, *split_word(tail))


def compound_parts(text: str) -> list[str]:
    """Return the parts of every compound in `text` not already in it, in first-seen order."""
    present = {word.casefold() for word in re.findall(r"\w+", text)}
    parts: dict[str, None] = {}
    for word in dict.fromkeys(_WORD.findall(text)):
        for part in split_word(word):
            if part.casefold() not in present:
                parts.setdefault(part, None)
    return list(parts)


def table_file(folder: Path) -> Path | None:
    """Return where the tables' file goes in a cache folder (its name says which compound-split made it), or None
    where compound-split is loaded as it is (seams.quick)."""
    if not seams.quick("compound-split"):
        return None
    return folder / f"compound-split-{importlib.metadata.version('compound-split')}.ngrams"


def use_table_file(path: Path | None) -> bool:
    """Take the tables from the file at `path` from now on, if it exists and they are not loaded yet; return whether it exists."""
    global _table_file
    exists = path is not None and seams.quick("compound-split") and path.is_file()
    if exists:
        _table_file = path
    return exists


def load_tables() -> None:
    """Load compound-split with its own tables now (before forking workers that split many words)."""
    _char_split()


def write_table_file(path: Path) -> None:
    """Write compound-split's German tables, sorted, into the file at `path` (whole or not at all)."""
    from compound_split import de_ngram_probs

    # Keys sorted as strings sort as their UTF-8 bytes do, which the lookups compare.
    tables = [(table, sorted(table)) for table in (getattr(de_ngram_probs, name) for name in TABLES)]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + struct.pack("=3q", *(len(keys) for _, keys in tables)))
            blobs = []
            for table, keys in tables:
                blob = [key.encode() for key in keys]
                f.write(array("q", itertools.accumulate(map(len, blob), initial=0)).tobytes())
                f.write(array("d", map(table.__getitem__, keys)).tobytes())
                blobs.append(b"".join(blob))
            for blob in blobs:
                f.write(blob)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _Table:
    """One n-gram table of a TableFile: its keys sorted (as UTF-8, which sorts as the code points do), looked up by bisection."""

    def __init__(self, data: mmap.mmap, offsets: memoryview, values: memoryview, keys_at: int):
        self._data, self._offsets, self._values, self._keys_at = data, offsets, values, keys_at
        self._count = len(values)

    def get(self, key: str, default: float) -> float:
        wanted, data, offsets, base = key.encode(), self._data, self._offsets, self._keys_at
        lo, hi = 0, self._count
        while lo < hi:
            mid = (lo + hi) // 2
            if data[base + offsets[mid] : base + offsets[mid + 1]] < wanted:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._count and data[base + offsets[lo] : base + offsets[lo + 1]] == wanted:
            return self._values[lo]
        return default


def _read_table_file(path: Path) -> list[_Table]:
    with path.open("rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if data[: len(_MAGIC)] != _MAGIC:
        raise ValueError(f"{path} is not a table file")
    counts = struct.unpack_from("=3q", data, len(_MAGIC))
    view, at = memoryview(data), len(_MAGIC) + 24
    sections = []
    for count in counts:
        offsets = view[at : at + 8 * (count + 1)].cast("q")
        at += 8 * (count + 1)
        sections.append((offsets, view[at : at + 8 * count].cast("d")))
        at += 8 * count
    tables = []
    for offsets, values in sections:
        tables.append(_Table(data, offsets, values, at))
        at += offsets[len(offsets) - 1]
    return tables


def _char_split() -> Any:
    """Return compound-split's char_split module, loading it (and its tables, or the table file's) on first use."""
    global _splitter
    if _splitter is not None:
        return _splitter
    if _table_file is not None and "compound_split.char_split" not in sys.modules:
        try:
            tables = _read_table_file(_table_file)
        except (OSError, ValueError, struct.error):
            tables = None  # unreadable: load compound-split's own
        if tables is not None:
            _splitter = _char_split_with(tables)
            return _splitter
    from compound_split import char_split

    _splitter = char_split
    return _splitter


def _char_split_with(tables: list[_Table]) -> Any:
    """Return a private copy of compound-split's char_split module that reads `tables` in place of its German modules."""
    german = types.ModuleType(_DE)
    german.prefix, german.infix, german.suffix = tables
    dutch = types.ModuleType(_NL)  # never used: only German words are split
    spec = importlib.util.find_spec("compound_split.char_split")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = {name: sys.modules.get(name) for name in (_DE, _NL)}
    sys.modules[_DE], sys.modules[_NL] = german, dutch
    try:
        spec.loader.exec_module(module)
    finally:
        for name, old in saved.items():
            if old is None:
                del sys.modules[name]
            else:
                sys.modules[name] = old
    return module
