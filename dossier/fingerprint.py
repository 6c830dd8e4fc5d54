"""Fingerprints of what a page is made from, so a rebuild renders only the pages whose inputs changed.

A page's key is a hash over everything its HTML can depend on:

- the build's own inputs: the engine's code, every template and static file, and the options;
- what the page shows of the site as a whole. Entry, theme, entity and publication pages (FRAMED,
  the bulk of a site) and the print edition's volumes show of it only the dossier's settings and its
  themes (the frame), and an entry's page also the entities it names and its publication: adding an
  entry leaves their keys alone unless it shows on them. The other pages may show any site-wide value:
  the themes, entities and publications with their counts, the number of entries and events, the date
  of the newest entry;
- the page's url, template and context. Entries and timeline items in the context count by their
  own keys: an entry by its card key, which covers every field but its notes (no page shows another
  entry's notes), and an item by the card keys of the entries reporting it, whose titles its line
  shows;
- an entry page's own entry by its full key, its rendered notes included;
- for the print edition, the full key of each entry it holds;
- for the pages that walk the whole dossier, every entry's key: the card key for the themes
  overview, which lists every entry, and the full key for any other template.

So editing an entry's notes renders its own page and the print edition again, and the pages whose
related reading or backlinks it changes, not every page that lists it.

Computing every page's key costs about a second at 10,000 entries, so rebuilds skip it where they can:
after a build of the same shape (only notes changed) only the pages showing the changed entries' notes
are keyed (`same`); after a build of the same layout (cards changed, not which pages show them) only the
pages that showed a changed entry, as the last build recorded, and the entry pages whose related reading
changed (`to_key`).

Pages of OWN_CONTEXT may read from `site` only the site-wide values above (FRAMED ones only
`frame_key`'s, and their own entry's entities and publication) and the entries of the timeline items
they show, and only the fields of a card from entries other than their own: a template reading more
must leave FRAMED or OWN_CONTEXT or extend `frame_key` or `site_key`, or rebuilds would keep a stale
page. The incremental-build test compares rebuilds with clean builds to catch that.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from .model import Entry, Site, TimelineItem
from .related import NOTES_CHARS

EntryKeys = tuple[bytes, bytes, bytes, bytes]
"""An entry's full, card, layout and related-reading keys (`entry_keys`)."""

# Templates whose pages read only their context and the site-wide values (see the module's docstring);
# the others show the entries of their context in full (IN_FULL) or walk every entry.
OWN_CONTEXT = frozenset({
    "entry.html", "theme.html", "entity.html", "source.html",
    "home.html", "entities.html", "sources.html", "timeline.html", "search.html", "404.html",
})  # fmt: skip
# Templates of OWN_CONTEXT whose pages show of the site-wide values only the frame (frame_key) and, on an
# entry's page, the entities it names and its publication. So do the volumes of the print edition (_framed).
FRAMED = frozenset({"entry.html", "theme.html", "entity.html", "source.html"})
# Templates that walk every entry, showing each as a card (in its list).
EVERY_CARD = frozenset({"themes.html"})
# Templates that show the entries of their context's `entries` in full, notes included (the print edition).
IN_FULL = frozenset({"print.html"})


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


def entry_keys(entry: Entry) -> EntryKeys:
    """Return the entry's full key, over every field; its card key, over every field but its notes; its
    layout key, over the fields that decide which pages show it and where (see `PageKeys.layout`); and its
    related key, over what related reading reads of it (related.py): a new status or source leaves that as it was."""
    layout = (
        entry.slug, str(entry.path), entry.date, entry.themes, entry.entities, entry.tags, entry.source.name,
        entry.events, entry.related, entry.links, entry.draft,
    )  # fmt: skip
    # The full key from the card's bytes and the fields the card leaves out: the entry is pickled once, not twice.
    card = _dumps(dataclasses.replace(entry, notes_html="", links=()))
    reads = (
        entry.slug, entry.date, entry.themes, entry.entities, entry.tags, entry.title, entry.summary,
        tuple(quote.text for quote in entry.quotes), entry.related, entry.notes_html[:NOTES_CHARS],
    )  # fmt: skip
    return digest(card + _dumps((entry.notes_html, entry.links))), digest(card), digest(_dumps(layout)), digest(_dumps(reads))


class PageKeys:
    """Computes page keys for one build; entries' and items' keys are computed once and shared."""

    def __init__(self, site: Site, build_key: bytes, keys: Mapping[str, EntryKeys]):
        from .pages import Derived  # pages.py imports the pipeline; this module stays light for uptodate.py

        self._derived = Derived
        self.full = {slug: triple[0] for slug, triple in keys.items()}
        self.cards = {slug: triple[1] for slug, triple in keys.items()}
        self._items: dict[int, tuple[bytes, tuple[str, ...]]] = {}
        self._site = site
        self.site = digest(build_key + site_key(site))
        """A key over the build's inputs and the site-wide values."""
        self.frame = digest(build_key + frame_key(site))
        """A key over the build's inputs and the site-wide values every page shows (`frame_key`)."""
        self._every_entry = digest(b"".join(self.full[slug] for slug in site.entries))
        self._every_card = digest(b"".join(self.cards[slug] for slug in site.entries))
        links = _dumps([(slug, entry.links) for slug, entry in site.entries.items()])
        self.shape = digest(self.site + self._every_card + links + digest(_dumps(site.related)))
        """A key over everything but the entries' notes that a page's context is made from (see `same`)."""
        self.layout = digest(self.site + b"".join(keys[slug][2] for slug in site.entries))
        """A key over what decides which pages there are and which entries each shows, where, and why: the
        site-wide values and every entry's layout key (its slug, file, date, themes, entities, tags,
        publication, events, picks and links). Between two builds of the same layout, a page's key can
        change only through the entries it shows (`__call__`'s refs) or, on an entry's page, its related
        reading (see `to_key`)."""

    def changed_since(self, full: Mapping[str, bytes]) -> set[str]:
        """Return the entries whose full key is not the one in `full` (a build's, by slug)."""
        return {slug for slug, key in self.full.items() if full.get(slug) != key}

    def same(self, template: str, entry: str | None, context: Mapping[str, Any], changed: Collection[str]) -> bool:
        """Return whether a page's key is what it was in a build of the same `shape`, where only the entries
        `changed` have another full key; `entry` is the page's own entry, if any.

        A context is made from the site-wide values, the entries' cards and links, the timeline (made from
        the cards) and related reading, which the shape covers: what may differ is the entries' notes, which
        only a page's own entry and the pages showing entries in full (their context's `entries`) bring into its key.
        """
        if template in EVERY_CARD:
            return True
        if template in IN_FULL:
            return not any(shown.slug in changed for shown in context["entries"])
        return template in OWN_CONTEXT and (entry is None or entry not in changed)

    def to_key(self, template: str, entry: str | None, refs: Collection[str], changed: Collection[str], moved: Collection[str]) -> bool:
        """Return whether a page's key must be computed again in a build of the same `layout` as the last one,
        where the entries `changed` have another full key and those `moved` other related reading; `refs` are
        the entries the page showed then (`__call__`), `entry` its own entry, if any.

        A page of these templates is made from its context and the site-wide values, which the layout
        covers, but for the entries it shows and, on an entry's page, the related reading.
        """
        if template not in OWN_CONTEXT and template not in IN_FULL:
            return True
        return (entry is not None and entry in moved) or not changed.isdisjoint(refs)

    def __call__(self, url: str, template: str, listed: bool, context: Mapping[str, Any]) -> tuple[bytes, tuple[str, ...]]:
        """Return the key of the page made from these, and the entries it shows (refs), by slug."""
        buffer = io.BytesIO()
        refs: dict[str, None] = {}
        pickler = _KeyPickler(buffer, self, refs)
        items = sorted(context.items())
        if template in IN_FULL:  # its entries count by their full keys below, which cover their cards and their order
            items = [(name, value) for name, value in items if name != "entries"]
        pickler.dump((url, template, listed, items))
        if template in OWN_CONTEXT:
            own = context.get("entry")
            extra = b""
            if isinstance(own, Entry):
                extra, refs[own.slug] = self.full[own.slug], None
                if template in FRAMED:  # what it shows of the site beyond the frame
                    extra += _dumps(([self._site.entities[slug] for slug in own.entities], self._site.outlet_of[own.slug]))
        elif template in IN_FULL:
            extra = digest(b"".join(self.full[entry.slug] for entry in context["entries"]))
            refs.update(dict.fromkeys(entry.slug for entry in context["entries"]))
        else:
            extra = self._every_card if template in EVERY_CARD else self._every_entry
        return digest((self.frame if _framed(template, context) else self.site) + extra + buffer.getvalue()), tuple(refs)

    def reference(self, value: Any, refs: dict[str, None]) -> bytes | None:
        """Return the key standing in for `value` inside a page key, or None to hash it as it is; note in
        `refs` the entries whose cards it stands for."""
        if isinstance(value, Entry):
            refs[value.slug] = None
            return self.cards[value.slug]
        if isinstance(value, TimelineItem):
            found = self._items.get(id(value))
            if found is None:
                reporters = tuple(slug for slug in value.entries if slug in self._site.entries)
                key = digest(_dumps(value) + b"".join(self.cards[slug] for slug in reporters))
                found = self._items[id(value)] = (key, reporters)
            refs.update(dict.fromkeys(found[1]))
            return found[0]
        if isinstance(value, self._derived):
            # Made only from the rest of the context and site-wide values (pages.py), all in the key already.
            return type(value).__name__.encode()
        return None


def _framed(template: str, context: Mapping[str, Any]) -> bool:
    """Return whether a page shows of the site-wide values only the frame: one of FRAMED, or a volume of the print edition."""
    return template in FRAMED or (template in IN_FULL and context.get("volume") is not None)


def frame_key(site: Site) -> bytes:
    """Return a key over the site-wide values every page shows: the dossier's settings (its title, language and
    address among them) and its themes, which every entry's badges and search filters name."""
    return digest(_dumps((site.dossier, site.themes)))


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
    def __init__(self, file: io.BytesIO, keys: PageKeys, refs: dict[str, None]):
        super().__init__(file, protocol=5)
        # No memo: the same values must give the same bytes whether or not they are shared objects.
        self.fast = True
        self._keys = keys
        self._refs = refs

    # reducer_override, unlike persistent_id, is not called for strings, numbers, lists, tuples and
    # dicts, which make up most of a context: a third of the time of a page key.
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is type:  # a class, pickled by its name: half the objects asked about
            return NotImplemented
        key = self._keys.reference(obj, self._refs)
        return NotImplemented if key is None else (_Reference, (key,))


class _Reference:
    """Stands in for an entry or timeline item in a page key (never unpickled)."""


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()
