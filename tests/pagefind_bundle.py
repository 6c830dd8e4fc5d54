"""Read a Pagefind bundle into what its searches answer from, leaving out what varies between runs over the same pages.

Pagefind's filter files list each filter's values in hash-map order, which changes from run to run,
and the files are named by a hash of their bytes (as are the metadata file that names them and
pagefind-entry.json that names that): two runs over the same pages differ there byte for byte and
nowhere else. `contents` decodes those files and sorts their values, and keeps every other file's bytes.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

_SIGNATURE = b"pagefind_dcd"


def contents(bundle: Path) -> dict[str, object]:
    """Return the bundle's files by name, filter and metadata files decoded into a canonical form."""
    found: dict[str, object] = {}
    filters: dict[str, object] = {}
    for path in sorted(bundle.rglob("*")):
        name = path.relative_to(bundle).as_posix()
        if not path.is_file() or name == "pagefind-entry.json":
            continue
        if name.startswith("filter/"):
            filters[path.stem] = _canonical_filter(_decode(path))
        elif name.endswith(".pf_meta"):
            found["meta"] = _decode(path)
        else:
            found[name] = path.read_bytes()
    if "meta" in found:
        version, pages, chunks, named, sorts = found["meta"][:5]
        # the metadata names each filter's file by its hash: put what the file holds in its place
        found["meta"] = [version, pages, chunks, sorted((name, filters[key]) for name, key in named), sorts, *found["meta"][5:]]
    return found


def _canonical_filter(chunk: list) -> list:
    name, values = chunk
    return [name, sorted((value, sorted(pages)) for value, pages in values)]


def _decode(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(_SIGNATURE), path
    value, end = _item(data, len(_SIGNATURE))
    assert end == len(data), path
    return value


def _item(data: bytes, at: int) -> tuple[object, int]:
    """Decode the CBOR item at `at` (the kinds Pagefind writes); return it and where the next begins."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        length = info
    else:
        size = 1 << (info - 24)
        length = int.from_bytes(data[at : at + size], "big")
        at += size
    if major == 0:
        return length, at
    if major == 1:
        return -1 - length, at
    if major in (2, 3):
        raw = data[at : at + length]
        return (raw if major == 2 else raw.decode()), at + length
    if major == 4:
        items = []
        for _ in range(length):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(length):
            key, at = _item(data, at)
            value, at = _item(data, at)
            pairs.append((key, value))
        return dict(pairs), at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    if major == 7 and info == 27:
        return struct.unpack(">d", data[at - 8 : at])[0], at
    raise ValueError(f"unexpected CBOR item {major}/{info} at {at}")
