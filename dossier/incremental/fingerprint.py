"""Fingerprints of what a page is made from, so a rebuild renders only the pages whose inputs changed.

A page's key is a hash over everything its HTML can depend on:

- the build's own inputs (the engine's code, every template and static file, the options) and the
  dossier's settings: `base`;
- the page's url, template and context (`context`). Entries and timeline items in the context count by
  their own keys: an entry by its card key, which covers every field but its notes, or by its full key
  when the page's templates may read its notes (reads.NotesShown); an item by the keys of the entries
  reporting it, whose titles its line shows;
- what the page read of the site as a whole when it was last rendered (pages/traced.py): the values at those
  paths, looked up in the site being built. No list of what a template reads is kept anywhere: a
  curator's own templates are keyed as the built-in ones are.

Computing every page's context key costs about a second at 10,000 entries, so rebuilds skip it where
they can: after a build of the same shape (only notes changed) a page's context key changes only if it
shows a changed entry by its full key; after a build of the same layout (cards changed, not which pages
show them) only if it showed a changed entry, as the last build recorded, or is the page of an entry
whose related reading changed (`reuses_context`). The part over the site-wide values read is computed for
every page, from values looked up once per build.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..hashing import digest, dumps
from ..model import Entry, Site, TimelineItem
from ..site.related import NOTES_CHARS
from .reads import EVERY, NOT_ON_CARD, Path_, TraceValues

if TYPE_CHECKING:
    from ..pages.plan import Page
    from .shown import NotesShown

_OFF_CARD = {name: Entry.__dataclass_fields__[name].default for name in NOT_ON_CARD}

EntryKeys = tuple[bytes, bytes, bytes, bytes]
"""An entry's full, card, layout and related keys (`entry_keys`)."""

Refs = tuple[tuple[str, ...], tuple[str, ...]]
"""The entries a page shows, by slug, and those of them it shows in full (notes included)."""


def entry_keys(entry: Entry) -> EntryKeys:
    """Return the entry's full key, over every field; its card key, over every field but its notes; its
    layout key, over the fields that decide which pages show it and where (see `PageKeys.layout`); and its
    related key, over what related reading reads of it (related.py): a new status or source leaves that as it was."""
    layout = (
        entry.slug, str(entry.path), entry.date, entry.themes, entry.entities, entry.tags, entry.source.name,
        entry.events, entry.related, entry.links, entry.draft,
    )  # fmt: skip
    # The full key from the card's bytes and the fields the card leaves out: the entry is pickled once, not twice.
    card = dumps(dataclasses.replace(entry, **_OFF_CARD))
    reads = (
        entry.slug, entry.date, entry.themes, entry.entities, entry.tags, entry.title, entry.summary,
        tuple(quote.text for quote in entry.quotes), entry.related, entry.notes_html[:NOTES_CHARS],
    )  # fmt: skip
    return digest(card + dumps([getattr(entry, name) for name in NOT_ON_CARD])), digest(card), digest(dumps(layout)), digest(dumps(reads))


class PageKeys:
    """Computes page keys for one build; entries' and items' keys are computed once and shared."""

    def __init__(self, site: Site, build_key: bytes, keys: Mapping[str, EntryKeys], shown: NotesShown, extra: Mapping[str, Any]):
        from ..pages.plan import Derived  # pages.py imports the pipeline; this module stays light for uptodate.py

        self._derived = Derived
        self.full = {slug: triple[0] for slug, triple in keys.items()}
        self.cards = {slug: triple[1] for slug, triple in keys.items()}
        self._items: tuple[dict[int, tuple[bytes, tuple[str, ...]]], ...] = ({}, {})
        self._site = site
        self.shown = shown
        """Which entries a template's pages may read the notes of (shown.NotesShown), by template name."""
        # `extra`: the values beside the site that templates read as the site's (traced.TracedSite).
        self.values = TraceValues(site, self.cards, self.full, extra)
        """The site-wide values pages read, looked up once."""
        self.base = digest(build_key + dumps(site.dossier))
        """A key over the build's inputs and the dossier's settings: what every page may show."""
        contexts = digest(build_key + site_key(site))
        every_card = digest(b"".join(self.cards[slug] for slug in site.entries))
        links = dumps([(slug, entry.links) for slug, entry in site.entries.items()])
        self.shape = digest(contexts + every_card + links + digest(dumps(site.related)))
        """A key over everything but the entries' notes that a page's context is made from (see `reuses_context`)."""
        self.layout = digest(contexts + b"".join(keys[slug][2] for slug in site.entries))
        """A key over what decides which pages there are and which entries each shows, where, and why: the
        site-wide values contexts are made from and every entry's layout key (its slug, file, date, themes,
        entities, tags, publication, events, picks and links). Between two builds of the same layout, a
        page's context can change only through the entries it shows (`context`'s refs) or, on an entry's
        page, its related reading (see `reuses_context`)."""

    def changed_since(self, full: Mapping[str, bytes]) -> set[str]:
        """Return the entries whose full key is not the one in `full` (a build's, by slug)."""
        return {slug for slug, key in self.full.items() if full.get(slug) != key}

    def reuses_context(self, page: Page, refs: Refs, changed: Collection[str], moved: Collection[str] | None) -> bool:
        """Return whether the page's context key is the one the last build computed, where the entries `changed`
        have another full key; `refs` are the entries the page showed then. After a build of the same shape,
        `moved` is None; after one of the same layout, it holds the entries whose related reading changed.

        A context is made from the site-wide values `shape` and `layout` cover, the entries' cards, links and
        notes, the timeline (made from the cards) and related reading. After a build of the same shape only the
        notes differ, which count only where a page shows them; after one of the same layout, the entries a
        page shows and, on an entry's page, its related reading.
        """
        shown, in_full = refs
        if moved is None:
            return changed.isdisjoint(in_full)
        return changed.isdisjoint(shown) and (page.entry is None or page.entry not in moved)

    def context(self, url: str, template: str, listed: bool, context: Mapping[str, Any]) -> tuple[bytes, Refs]:
        """Return the key over the page's url, template and context, and the entries it shows (refs)."""
        shown = self.shown(template)
        every = EVERY in shown
        items = sorted(context.items())
        in_full: dict[str, None] = {}
        if shown and not every:  # the entries under these names count by their full keys
            for i, (name, value) in enumerate(items):
                if name in shown and isinstance(value, Entry):
                    items[i], in_full[value.slug] = (name, _Full(self.full[value.slug])), None
        buffer = io.BytesIO()
        refs: dict[str, None] = dict(in_full)
        _KeyPickler(buffer, self, refs, every).dump((url, template, listed, items))
        return digest(buffer.getvalue()), (tuple(refs), tuple(refs if every else in_full))

    def notes(self, template: str) -> bool:
        """Return whether pages of `template` count every entry they read by its full key (shown.EVERY)."""
        return EVERY in self.shown(template)

    def read(self, template: str, reads: Sequence[Path_]) -> bytes:
        """Return a key over the site's values a page of `template` `reads`."""
        return self.values.digest(reads, self.notes(template))

    def page(self, context: bytes, read: bytes) -> bytes:
        """Return the page's key: over the build's inputs, its context key and the key over what it read (`read`)."""
        return digest(self.base + context + read)

    def reference(self, value: Any, refs: dict[str, None], notes: bool) -> bytes | None:
        """Return the key standing in for `value` inside a page key, or None to hash it as it is; note in
        `refs` the entries it stands for. With `notes`, entries count by their full keys, else by their cards."""
        if isinstance(value, Entry):
            refs[value.slug] = None
            return (self.full if notes else self.cards)[value.slug]
        if isinstance(value, TimelineItem):
            found = self._items[notes].get(id(value))
            if found is None:
                reporters = tuple(slug for slug in value.entries if slug in self._site.entries)
                keys = self.full if notes else self.cards
                key = digest(dumps(value) + b"".join(keys[slug] for slug in reporters))
                found = self._items[notes][id(value)] = (key, reporters)
            refs.update(dict.fromkeys(found[1]))
            return found[0]
        if isinstance(value, _Full):
            return value.key
        if isinstance(value, self._derived):
            # Made only from the rest of the context and the site, whose reads it notes (pages.py).
            return type(value).__name__.encode()
        return None


class _Full:
    """Stands in for an entry a page shows in full, by its full key, in a page's context."""

    __slots__ = ("key",)

    def __init__(self, key: bytes):
        self.key = key


def site_key(site: Site) -> bytes:
    """Return a key over the site-wide values pages' contexts are made from, beside the entries."""
    return digest(
        dumps(
            (
                site.dossier, site.themes, site.entities, site.outlets, len(site.entries), len(site.timeline),
                {slug: len(members) for slug, members in site.by_theme.items()},
                {slug: len(members) for slug, members in site.by_entity.items()},
                {slug: len(members) for slug, members in site.by_outlet.items()},
                site.outlet_of, site.related_themes,
            )
        )  # fmt: skip
    )


class _KeyPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, keys: PageKeys, refs: dict[str, None], notes: bool):
        super().__init__(file, protocol=5)
        # No memo: the same values must give the same bytes whether or not they are shared objects.
        self.fast = True
        self._keys = keys
        self._refs = refs
        self._notes = notes

    # reducer_override, unlike persistent_id, is not called for strings, numbers, lists, tuples and
    # dicts, which make up most of a context: a third of the time of a page key.
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is type:  # a class, pickled by its name: half the objects asked about
            return NotImplemented
        key = self._keys.reference(obj, self._refs, self._notes)
        return NotImplemented if key is None else (_Reference, (key,))


class _Reference:
    """Stands in for an entry or timeline item in a page key (never unpickled)."""
