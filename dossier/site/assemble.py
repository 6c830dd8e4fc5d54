"""Assemble the site graph: entries by theme and entity, the timeline, backlinks, computed once."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from .. import tuning
from ..content.entities import EntityIndex
from ..content.slugs import make_slug
from ..files.citations import citation_keys
from ..hashing import digest
from ..model import Dossier, Entity, EntityKind, Entry, Outlet, Site, Tie, TimelineItem
from ..parallel import in_background
from ..problems import Problem, Problems
from .claims import Origins
from .network import entity_ties
from .places import located_places
from .related import RelatedReading, related_reading, related_themes
from .timeline import build_timeline, duplicate_warnings

if TYPE_CHECKING:  # a build with a cache gives one
    from ..incremental.memo import Memo

T = TypeVar("T")



def assemble_site(
    dossier: Dossier, entries: list[Entry], entities: EntityIndex, today: dt.date, problems: Problems, memo: Memo | None = None,
) -> Site:  # fmt: skip
    """Return the site built from validated content; `entries` holds only what is published.

    With a `memo`, the timeline, related reading and citation keys are taken from the last build when their inputs are the same.
    """
    newest = sorted(entries, key=lambda e: (e.date, e.slug), reverse=True)
    themes = {theme.slug: theme for theme in dossier.themes}
    by_theme: dict[str, list[str]] = {slug: [] for slug in themes}
    used_entities: dict[str, list[str]] = {}
    backlinks: dict[str, list[str]] = {entry.slug: [] for entry in newest}
    for entry in newest:
        for slug in entry.themes:
            by_theme[slug].append(entry.slug)
        for slug in entry.entities:
            used_entities.setdefault(slug, []).append(entry.slug)
        for target in dict.fromkeys(entry.related + entry.links):
            if target in backlinks and target != entry.slug:
                backlinks[target].append(entry.slug)
    # Declared entities get a page even before an entry names them; undeclared ones exist only through entries.
    shown = [e for e in entities.by_slug.values() if e.declared or e.slug in used_entities]
    shown.sort(key=lambda e: (e.name.casefold(), e.slug))
    order = {theme.slug: theme.index for theme in dossier.themes}
    outlets, by_outlet, outlet_of = _outlets(dossier, newest)
    places = frozenset(slug for slug, entity in entities.by_slug.items() if entity.kind is EntityKind.PLACE)
    events = _events_key(newest, order, today, dossier.outlets, places) if memo is not None else b""
    duplicates = _duplicates(newest, events, memo)  # in another process, while related reading is computed here
    timeline, warned = _kept(memo, "timeline", lambda memo: events, lambda: _made_timeline(newest, order, today, dossier.outlets, places))
    related = _related(newest, dossier, memo)
    problems.items.extend([*warned, *duplicates()])
    return Site(
        dossier=dossier,
        entries={entry.slug: entry for entry in newest},
        themes=themes,
        entities={entity.slug: entity for entity in shown},
        timeline=timeline,
        by_theme=by_theme,
        by_entity={entity.slug: used_entities.get(entity.slug, []) for entity in shown},
        backlinks=backlinks,
        outlets=outlets,
        by_outlet=by_outlet,
        outlet_of=outlet_of,
        related=related,
        related_themes=related_themes(newest, list(themes)),
        citation_keys=_citation_keys(newest, memo),
        ties=_ties(newest, shown, memo),
        places=located_places(newest, entities.by_slug),
    )


def _events_key(newest: list[Entry], order: dict[str, int], today: dt.date, outlets: tuple[Outlet, ...], places: frozenset[str]) -> bytes:
    """Return a key over what the timeline and its warnings are made from: the events of the entries reporting any
    (with their slugs, files, dates, themes, statuses, entities and what their sources relay), the publications'
    owners, which entities are places, the themes' order and the day. A new title or summary leaves it."""
    reports = [(e.slug, str(e.path), e.date, e.themes, e.events, e.status, e.source.name, e.source.via, e.entities) for e in newest if e.events]
    owners = [(outlet.name, outlet.owner) for outlet in outlets]
    return digest(pickle.dumps((order, today, reports, owners, sorted(places)), protocol=pickle.HIGHEST_PROTOCOL))


def _made_timeline(
    newest: list[Entry], order: dict[str, int], today: dt.date, outlets: tuple[Outlet, ...], places: frozenset[str],
) -> tuple[list[TimelineItem], list[Problem]]:  # fmt: skip
    """Return the timeline and the problems making it found (the duplicates' warnings are `_duplicates`')."""
    found = Problems()
    return build_timeline(newest, order, today, found, Origins(outlets), places), found.items


def _duplicates(newest: list[Entry], key: bytes, memo: Memo | None) -> Callable[[], list[Problem]]:
    """Start looking for events reported twice without a shared id; return a function returning the warnings.

    Comparing the titles of the events on each date takes a third of a second at 10,000 entries: for a large
    dossier another process does it while this one goes on.
    """

    def start() -> Callable[[], list[Problem]]:
        if len(newest) < tuning.DUPLICATES_ENTRIES:
            return lambda: duplicate_warnings(newest)
        return in_background(duplicate_warnings, newest)

    return start() if memo is None else memo.later("duplicate events", key, start)


def _related(newest: list[Entry], dossier: Dossier, memo: Memo | None) -> RelatedReading:
    """Return every entry's related reading; it is made from what it reads of the entries (their related keys:
    words, entities, tags, themes, dates, picks, the opening of their notes) and the settings: a new status leaves it."""

    def key(memo: Memo) -> bytes:
        return digest(pickle.dumps(dossier.related) + b"".join(memo.reads[e.slug] for e in newest))

    return _kept(memo, "related", key, lambda: related_reading(newest, dossier.related))


def _ties(newest: list[Entry], shown: list[Entity], memo: Memo | None) -> dict[str, list[Tie]]:
    """Return each entity's ties to the others entries name with it; they are made from which entries name which
    entities, and the entities' kinds."""
    kinds = {entity.slug: entity.kind for entity in shown}

    def key(memo: Memo) -> bytes:
        return digest(pickle.dumps(([(e.slug, e.entities) for e in newest], sorted(kinds.items())), protocol=pickle.HIGHEST_PROTOCOL))

    return _kept(memo, "ties", key, lambda: entity_ties(newest, kinds))


def _citation_keys(newest: list[Entry], memo: Memo | None) -> dict[str, str]:
    """Return each entry's citation key; they are made from the entries' cards."""
    return _kept(memo, "citation keys", lambda memo: digest(_cards(memo, newest)), lambda: citation_keys(newest))


def _kept(memo: Memo | None, name: str, key: Callable[[Memo], bytes], make: Callable[[], T]) -> T:
    """Return what `make` returns, or, with a memo, the value it kept under the key `key` computes."""
    return make() if memo is None else memo(name, key(memo), make)


def _cards(memo: Memo, entries: list[Entry]) -> bytes:
    return b"".join(memo.cards[e.slug] for e in entries)


def _outlets(dossier: Dossier, newest: list[Entry]) -> tuple[dict[str, Outlet], dict[str, list[str]], dict[str, str]]:
    """Return every publication (declared or only named), its entries, and each entry's publication."""
    declared = {outlet.name.casefold(): outlet for outlet in dossier.outlets}
    outlets: dict[str, Outlet] = {outlet.slug: outlet for outlet in dossier.outlets}
    by_outlet: dict[str, list[str]] = {slug: [] for slug in outlets}
    outlet_of: dict[str, str] = {}
    for entry in newest:
        outlet = declared.get(entry.source.name.casefold())
        if outlet is None:
            slug = make_slug(entry.source.name, dossier.language)
            outlet = outlets.setdefault(slug, Outlet(slug, entry.source.name, declared=False))
            by_outlet.setdefault(slug, [])
        by_outlet[outlet.slug].append(entry.slug)
        outlet_of[entry.slug] = outlet.slug
    order = sorted(outlets, key=lambda slug: (-len(by_outlet[slug]), outlets[slug].name.casefold(), slug))
    return {slug: outlets[slug] for slug in order}, {slug: by_outlet[slug] for slug in order}, outlet_of
