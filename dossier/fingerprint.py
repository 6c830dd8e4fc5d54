"""Fingerprints of what a page is made from, so a rebuild renders only the pages whose inputs changed.

A page's key is a hash over everything its HTML can depend on:

- the build's own inputs: the engine's code, every template and static file, and the options;
- what every page shows (dossier.yaml's settings, the themes, entities and publications, the
  counts in the header and footer, the date of the newest entry);
- the page's url, template and context. Entries and timeline items in the context count by their
  own keys (an entry's key covers every field, its rendered notes included; an item's covers the
  entries reporting it, whose titles its line shows);
- for the pages that walk the whole dossier (the themes overview lists every entry, the print
  edition holds every entry's notes), every entry's key.

The other pages may read from `site` only the site-wide values above and the entries of the
timeline items they show: a template reading more must leave OWN_CONTEXT or extend `site_key`, or
rebuilds would keep a stale page. The incremental-build test compares rebuilds with clean builds
to catch that.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import Entry, Site, TimelineItem

# Templates whose pages read only their context and the site-wide values (see the module's docstring);
# the others (the list of every entry by theme, the print edition) walk every entry.
OWN_CONTEXT = frozenset({
    "entry.html", "theme.html", "entity.html", "source.html",
    "home.html", "entities.html", "sources.html", "timeline.html", "search.html", "404.html",
})  # fmt: skip


def digest(data: bytes) -> bytes:
    """Return a short, collision-resistant hash of `data`."""
    return hashlib.blake2b(data, digest_size=16).digest()


def files_key(paths: Iterable[Path], root: Path) -> bytes:
    """Return a key over the names and bytes of `paths` (below `root`)."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(paths):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(digest(path.read_bytes()))
    return h.digest()


@functools.cache  # the engine's code is what this process loaded: it cannot change while the process runs
def engine_key() -> bytes:
    """Return a key over the engine's own code and messages: a new version of Dossier renders everything anew."""
    package = Path(__file__).resolve().parent
    return files_key([p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml")], package)


def entry_key(entry: Entry) -> bytes:
    """Return a key over every field of the entry."""
    return digest(_dumps(entry))


class PageKeys:
    """Computes page keys for one build; entries' and items' keys are computed once and shared."""

    def __init__(self, site: Site, build_key: bytes, entry_keys: dict[str, bytes]):
        from .pages import Deferred  # pages.py imports the pipeline; this module stays light for uptodate.py

        self._deferred = Deferred
        self.entry_keys = entry_keys
        self._items: dict[int, bytes] = {}
        self._entries = site.entries
        self._site = digest(build_key + site_key(site))
        self._all_entries = digest(b"".join(entry_keys[slug] for slug in site.entries))

    def __call__(self, url: str, template: str, listed: bool, context: dict[str, Any]) -> bytes:
        """Return the key of the page made from these."""
        buffer = io.BytesIO()
        pickler = _KeyPickler(buffer, self)
        pickler.dump((url, template, listed, sorted(context.items())))
        extra = b"" if template in OWN_CONTEXT else self._all_entries
        return digest(self._site + extra + buffer.getvalue())

    def reference(self, value: Any) -> bytes | None:
        """Return the key standing in for `value` inside a page key, or None to hash it as it is."""
        if isinstance(value, Entry):
            return self.entry_keys[value.slug]
        if isinstance(value, TimelineItem):
            key = self._items.get(id(value))
            if key is None:
                reporters = b"".join(self.entry_keys[slug] for slug in value.entries if slug in self._entries)
                key = self._items[id(value)] = digest(_dumps(value) + reporters)
            return key
        if isinstance(value, self._deferred):
            # Text made from the page's entry and site-wide values only (pages.py), both in the key already.
            return b"deferred"
        return None


def site_key(site: Site) -> bytes:
    """Return a key over the site-wide values every page may show."""
    newest = next(iter(site.entries.values())).date if site.entries else None
    return digest(
        _dumps(
            (
                site.dossier, site.themes, site.entities, site.outlets, newest, len(site.entries), len(site.timeline),
                {slug: len(members) for slug, members in site.by_theme.items()},
                {slug: len(members) for slug, members in site.by_entity.items()},
                {slug: len(members) for slug, members in site.by_outlet.items()},
                site.outlet_of, site.related_themes,
            )
        )  # fmt: skip
    )


class _KeyPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, keys: PageKeys):
        super().__init__(file, protocol=5)
        # No memo: the same values must give the same bytes whether or not they are shared objects.
        self.fast = True
        self._keys = keys

    # reducer_override, unlike persistent_id, is not called for strings, numbers, lists, tuples and
    # dicts, which make up most of a context: a third of the time of a page key.
    def reducer_override(self, obj: Any) -> Any:
        key = self._keys.reference(obj)
        return NotImplemented if key is None else (_Reference, (key,))


class _Reference:
    """Stands in for an entry or timeline item in a page key (never unpickled)."""


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()
