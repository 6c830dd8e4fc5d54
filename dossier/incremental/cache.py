"""What a build keeps in the cache folder (`.cache/` by default) so that the next one does only what changed.

Four files and two folders, each file written whole after a successful build and read at the start of the next:

- `entries.pickle`: every entry as read, validated and rendered, with the file's size, time and
  hash, the warnings it gave and what its notes' links resolved to; each record pickled on its own,
  so that a rebuild pickles again only the records it read anew. An entry is read again when its
  file's bytes change, when what its links point to changes (an entry file appears or goes, a draft
  is published), or when anything every entry depends on changes (dossier.yaml, the engine, the
  options): that is the context key, and a new one empties the cache.
- `site.pickle`: the site built last (see SiteRecord): each page's key (fingerprint.py), each
  file's size and time, so a rebuild renders only pages whose key changed and links the rest from
  the previous site.
- `kept/`: parts of pages the next build may reuse as they are (render.py's Kept), one file per
  page, written by a build that rendered the page: a rebuild that renders one volume of the print
  edition reads and writes that volume's parts alone.
- `memo.pickle`: site-wide values (memo.py), each under a key over its inputs, so that a rebuild
  whose entries read as they were takes the timeline, related reading and citation keys as they
  were made.
- `compound-split-<version>.ngrams`: compound-split's German tables, sorted, for builds with search
  to look words up in without loading them (compounds.py); written once.
- `templates/`: the templates compiled, as Jinja's bytecode cache.

A file whose modification time is within RACY_NS of the moment the cache was written is hashed
rather than trusted by its time: an edit in the same clock tick cannot go unnoticed.

Anything unreadable (another version's format, a truncated file) counts as an empty cache: the
build is then a clean one.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import pickling, seams
from ..model import Dossier, Entry
from ..problems import Problem
from ..search.index import Bundle
from ..hashing import digest, engine_key
from ..pickling import quick_pickle
from .fingerprint import EntryKeys, entry_keys
from .memo import Memo

RACY_NS = 2_000_000_000
KEPT = "kept"
_FORMAT = 11

Stat = tuple[int, int]
"""A file's modification time (ns) and size."""


def stat_of(path: Path | str) -> Stat | None:
    """Return the file's time and size, or None when there is no such file."""
    try:
        s = os.stat(path)
    except OSError:
        return None
    return (s.st_mtime_ns, s.st_size)


@quick_pickle
@dataclass(frozen=True, slots=True)
class EntryRecord:
    """One entry as the last build read it."""

    stat: Stat
    """The file's time and size then."""
    content: bytes
    """The hash of its bytes."""
    entry: Entry
    """The entry: validated, its notes rendered, its `related` checked."""
    keys: EntryKeys
    """Its full, card, layout and related keys (fingerprint.entry_keys)."""
    entity_names: tuple[str, ...]
    """The entity names as written: resolving them again adds the undeclared ones, first name first."""
    declared_related: tuple[str, ...]
    """The `related` slugs as written, before the check against the other entries."""
    world: tuple[tuple[str, str | None, bool, bool], ...]
    """What its notes' links and its image resolved to: (file, entry slug, a left-out draft, exists)."""
    assets: tuple[Path, ...]
    """Files below content/ it shows or links to."""
    warnings: tuple[Problem, ...]
    """The warnings reading it gave."""


@dataclass(slots=True)
class SiteRecord:
    """The site the last build published."""

    out: str
    """Where it was published (resolved)."""
    inputs: dict[str, Stat]
    """Every content and template file then, by path: when none changed, neither does the site."""
    options: bytes
    """A key over the engine, the options and the day of the build."""
    pages: dict[str, bytes]
    """Each page's key, by its file below the site."""
    generated: dict[str, bytes]
    """The hash of each generated file that is not a page (feeds, data, citations)."""
    copied: dict[str, tuple[str, Stat]]
    """Each copied file (static files, assets): its source and the source's time and size."""
    files: dict[str, Stat]
    """Every file of the published site, with its time and size."""
    anchors: dict[str, str]
    """The ids of each page (integrity.join_ids), for checking links to pages not rendered again."""
    warnings: list[Problem] = field(default_factory=list)
    """The warnings the build gave."""
    counts: tuple[int, int, int] = (0, 0, 0)
    """Entries, pages and files written."""
    search_key: bytes = b""
    """What every search bundle depended on besides its pages (search.search_key); empty without search."""
    bundles: list[Bundle] = field(default_factory=list)
    """The search index's bundles, first to last."""
    shape: bytes = b""
    """A key over what the pages' contexts are made from, the entries' notes left out (fingerprint.PageKeys.shape)."""
    entries: dict[str, bytes] = field(default_factory=dict)
    """Each entry's full key, by slug."""
    layout: bytes = b""
    """A key over which pages there are and which entries each shows (fingerprint.PageKeys.layout)."""
    refs: bytes = b""
    """The entries each page shows, by page, pickled: read only by a rebuild whose entries changed."""
    contexts: dict[str, bytes] = field(default_factory=dict)
    """Each page's context key (fingerprint.PageKeys.context), by its file below the site."""
    reads: bytes = b""
    """What each page read of the site when it was rendered (pages/traced.py), by page, pickled: read only by a rebuild
    that found something changed."""
    read: dict[str, bytes] = field(default_factory=dict)
    """A key over the values each page read, by page (fingerprint.PageKeys.read)."""
    values: bytes = b""
    """The values at every path pages read, by path and whether notes counted (reads.TraceValues.of), pickled."""
    shown: dict[str, frozenset[str]] = field(default_factory=dict)
    """What each template may show of entries in full (shown.NotesShown), valid under the same `options`."""


@dataclass(slots=True)
class BuildCache:
    """The cache folder of one build: last build's records in, this build's records out."""

    folder: Path
    context: bytes
    """A key over what every entry depends on; records made under another one are dropped."""
    saved_at: int = 0
    """When the last build wrote the cache (ns since the epoch)."""
    _loaded: dict[str, bytes] | None = None
    _unpickled: dict[str, tuple[EntryRecord, bytes]] = field(default_factory=dict)
    """The records taken from the last build, with their pickled bytes: kept as they are, they are saved as they were."""
    entries: dict[str, EntryRecord] = field(default_factory=dict)
    site: SiteRecord | None = None
    stats: dict[str, Stat] = field(default_factory=dict)
    """The content's files with their times and sizes, as the build found them before reading any (uptodate.look)."""
    _memo: Memo | None = None

    @classmethod
    def open(cls, folder: Path, context: bytes) -> BuildCache:
        """Return the cache in `folder`, keeping what was recorded under the same `context`.

        The entries are read when first asked for: a build that finds nothing changed needs only the site's record.
        """
        cache = cls(folder, context)
        site = _read(folder / "site.pickle")
        if isinstance(site, tuple) and len(site) == 3 and site[0] == _FORMAT and isinstance(site[2], SiteRecord):
            cache.saved_at, cache.site = site[1], site[2]
        return cache

    def _old_entries(self) -> dict[str, bytes]:
        if self._loaded is None:
            data = _read(self.folder / "entries.pickle")
            ok = isinstance(data, tuple) and len(data) == 4 and data[0] == _FORMAT and data[1] == self.context
            self._loaded = data[3] if ok else {}
            self.saved_at = data[2] if ok else 0
        return self._loaded

    def entry(self, path: Path) -> EntryRecord | None:
        """Return the record of the entry file at `path` when its bytes are those recorded."""
        pickled = self._old_entries().get(str(path))
        if pickled is None:
            return None
        try:
            record = pickle.loads(pickled)
        except Exception:  # noqa: BLE001 - cut short or from another version: read the file again
            return None
        self._unpickled[str(path)] = (record, pickled)
        now = self.stats.get(str(path)) or stat_of(path)
        if now is None:
            return None
        if now == record.stat and now[0] < self.saved_at - RACY_NS:
            return record
        try:
            same = digest(path.read_bytes()) == record.content
        except OSError:
            return None
        return dataclasses.replace(record, stat=now) if same else None

    def entries_of(self, files: list[Path]) -> dict[str, EntryRecord | None]:
        """Return the record of each entry file (`entry`), by path."""
        pickling.known(files)
        return {str(path): self.entry(path) for path in files}

    def fingerprint(self, path: Path) -> tuple[Stat, bytes]:
        """Return the file's time and size, and the hash of its bytes."""
        stat = stat_of(path)
        try:
            content = digest(path.read_bytes())
        except OSError:
            content = b""
        return stat or (0, -1), content

    def keep(self, record: EntryRecord) -> None:
        """Keep an entry's record for the next build."""
        self.entries[str(record.entry.path)] = record

    def keep_read(self, entry: Entry, **found: Any) -> None:
        """Keep the entry as read, with what reading it `found` (EntryRecord's other fields), for the next build."""
        self.keep(EntryRecord(entry=entry, keys=entry_keys(entry), **found))

    def kept(self, pages: Iterable[str]) -> dict[str, Any]:
        """Return the parts of `pages` that builds kept (render.py's Kept), by page and key."""
        try:
            names = set(os.listdir(self.folder / KEPT))  # one look, not one for each page that kept nothing
        except OSError:
            return {}
        found = {}
        for page in pages:
            if _kept_name(page) not in names:
                continue
            data = _read(self.folder / KEPT / _kept_name(page))
            if isinstance(data, tuple) and len(data) == 3 and data[0] == _FORMAT and data[1] == page:
                found[page] = data[2]
        return found

    def templates(self, dossier: Dossier) -> Path:
        """Return the folder for compiled templates (render.make_environment), one per version of the engine and
        interface strings (the dossier's language and its own `messages`), and whether they are compiled with the
        strings written in (calls.FoldedMessages, left out where seams.quick says): Jinja keys them by their source alone."""
        written_in = seams.quick("jinja2")
        strings = repr((dossier.language, sorted(dossier.messages.items()))).encode()
        folder = self.folder / "templates" / digest(engine_key() + strings + bytes([written_in])).hex()
        if not folder.is_dir():
            shutil.rmtree(folder.parent, ignore_errors=True)  # another version's
        return folder

    def keys_of(self, entries: Iterable[Entry]) -> dict[str, EntryKeys]:
        """Return each entry's full, card, layout and related keys, from its record where it has one
        (computing them pickles every entry, 0.5 s at 10,000)."""
        known = {record.entry.slug: record.keys for record in self.entries.values()}
        return {entry.slug: known.get(entry.slug) or entry_keys(entry) for entry in entries}

    def memo(self, keys: Mapping[str, EntryKeys]) -> Memo:
        """Return the site-wide values the last build kept (memo.py); what this build takes or makes is kept in turn."""
        data = _read(self.folder / "memo.pickle")
        ok = isinstance(data, tuple) and len(data) == 3 and data[0] == _FORMAT and data[1] == self.context
        self._memo = Memo(data[2] if ok else {}, {slug: found[1] for slug, found in keys.items()}, {slug: found[3] for slug, found in keys.items()})
        return self._memo

    def last(self, name: str) -> object:
        """Return the site-wide value called `name` that the last build kept (memo.py), if any, whatever its key."""
        return self._memo.old(name) if self._memo is not None else None

    def save(self, site: SiteRecord, kept: dict[str, Any] | None = None) -> None:
        """Write this build's records for the next one, the parts of the pages it rendered, and the site-wide values."""
        self.folder.mkdir(parents=True, exist_ok=True)
        now = time.time_ns()
        records = {}
        for path, record in self.entries.items():
            old = self._unpickled.get(path)
            records[path] = old[1] if old is not None and old[0] is record else pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        _write(self.folder / "entries.pickle", (_FORMAT, self.context, now, records))
        if kept or (self.folder / KEPT).is_dir():
            # The folder holds parts of the last build's pages alone: of those, the pages gone are the ones to remove.
            gone = [page for page in self.site.pages if page not in site.pages] if self.site is not None else None
            _keep_parts(self.folder / KEPT, kept or {}, site.pages, gone)
        if self._memo is not None and self._memo.changed:
            _write(self.folder / "memo.pickle", (_FORMAT, self.context, self._memo.new))
        _write(self.folder / "site.pickle", (_FORMAT, now, site))


def _kept_name(page: str) -> str:
    return digest(page.encode()).hex() + ".pickle"


def _keep_parts(folder: Path, parts: dict[str, Any], pages: Collection[str], gone: Iterable[str] | None) -> None:
    """Write the parts of each page rendered, and remove those of pages the site no longer has: the pages
    `gone`, or when they are not known, every file not of the site's `pages`."""
    folder.mkdir(parents=True, exist_ok=True)
    for page, page_parts in parts.items():
        _write(folder / _kept_name(page), (_FORMAT, page, page_parts))
    if gone is not None:
        for page in gone:
            (folder / _kept_name(page)).unlink(missing_ok=True)
        return
    names = {_kept_name(page) for page in pages}
    for path in folder.iterdir():
        if path.name not in names:
            path.unlink(missing_ok=True)


def _read(path: Path) -> object:
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # a cache from another version, or cut short: start clean  # noqa: BLE001
        return None


def _write(path: Path, value: object) -> None:
    """Write `value` to `path` whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
