"""Keys over bytes and values: short hashes the cache, the page keys and the search index share."""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def digest(data: bytes) -> bytes:
    """Return a short, collision-resistant hash of `data`."""
    return hashlib.blake2b(data, digest_size=16).digest()


def files_key(files: Mapping[str, Path]) -> bytes:
    """Return a key over the names and bytes of `files`, by name."""
    h = hashlib.blake2b(digest_size=16)
    for name, path in sorted(files.items()):
        h.update(name.encode() + b"\0")
        h.update(digest(path.read_bytes()))
    return h.digest()


@functools.cache  # the engine's code is what this process loaded: it cannot change while the process runs
def engine_key() -> bytes:
    """Return a key over the engine's own code and messages: a new version of Dossier renders everything anew."""
    package = Path(__file__).resolve().parent  # the whole engine
    return files_key({p.relative_to(package).as_posix(): p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml")})


def dumps(value: Any) -> bytes:
    """Return the value pickled, the same bytes for equal values whether or not they share objects."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()
