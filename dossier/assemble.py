"""Assemble the site graph: entries by theme and entity, the timeline, backlinks, computed once."""

from __future__ import annotations

import datetime as dt

from .entities import EntityIndex
from .model import Dossier, Entry, Site
from .problems import Problems
from .related import related_reading, related_themes
from .timeline import build_timeline


def assemble_site(dossier: Dossier, entries: list[Entry], entities: EntityIndex, today: dt.date, problems: Problems) -> Site:
    """Return the site built from validated content; `entries` holds only what is published."""
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
    return Site(
        dossier=dossier,
        entries={entry.slug: entry for entry in newest},
        themes=themes,
        entities={entity.slug: entity for entity in shown},
        timeline=build_timeline(newest, order, today, problems),
        by_theme=by_theme,
        by_entity={entity.slug: used_entities.get(entity.slug, []) for entity in shown},
        backlinks=backlinks,
        related=related_reading(newest, dossier.related),
        related_themes=related_themes(newest, list(themes)),
    )
