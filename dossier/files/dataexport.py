"""The whole dossier as data for researchers: `dossier.json` (everything) and `entries.csv` (one row per entry).

Both are plain text, never HTML: the curator's notes are left out, since they exist only as rendered HTML and
are read on the entry pages; the entry-to-entry links in them are kept as `links`. Dates are the ISO partial
dates the content is written in (`2022`, `2022-09`, `2022-09-05`). Output is deterministic: the same content
gives the same bytes, with keys in a fixed order and lists in the site's order (entries newest first, themes
as declared, entities by name, the timeline by date). docs/data.md documents every field.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..content.dates import PartialDate
from ..model import Entity, Entry, Site, Theme, TimelineItem
from ..urls import entry_path
from .exports import _cell
from .jsonfile import json_file

SCHEMA_VERSION = 1
"""Raised when a field changes meaning or goes away, so scripts can tell which layout they read."""


def dossier_json(site: Site) -> bytes:
    """Return the whole dossier as one JSON document (UTF-8, keys in a fixed order)."""
    dossier = site.dossier
    data = {
        "schema_version": SCHEMA_VERSION,
        "dossier": {"title": dossier.title, "description": dossier.description, "language": dossier.language, "base_url": dossier.base_url},
        "themes": [_theme(theme, site) for theme in site.themes.values()],
        "entities": [_entity(entity, site) for entity in site.entities.values()],
        "entries": [_entry(entry, site) for entry in site.entries.values()],
        "timeline": [_timeline_item(item, site) for item in site.timeline],
    }
    return json_file(data)


def _iso(date: PartialDate | None) -> str | None:
    return date.iso() if date is not None else None


def _theme(theme: Theme, site: Site) -> dict[str, Any]:
    return {"slug": theme.slug, "title": theme.title, "description": theme.description, "url": f"{site.dossier.base_url}themes/{theme.slug}/"}


def _entity(entity: Entity, site: Site) -> dict[str, Any]:
    return {
        "slug": entity.slug, "name": entity.name, "kind": entity.kind.value, "aliases": list(entity.aliases),
        "description": entity.description, "declared": entity.declared, "url": f"{site.dossier.base_url}entities/{entity.slug}/",
        "coordinates": list(entity.coordinates) if entity.coordinates else None,
    }  # fmt: skip


def _entry(entry: Entry, site: Site) -> dict[str, Any]:
    return {
        "slug": entry.slug,
        "url": site.dossier.base_url + entry_path(entry.slug),
        "title": entry.title,
        "date": entry.date.iso(),
        "language": entry.language,
        "status": entry.status.value,
        "source": {"name": entry.source.name, "url": entry.source.url, "author": entry.source.author, "via": list(entry.source.via)},
        "summary": entry.summary,
        "themes": list(entry.themes),
        "entities": list(entry.entities),
        "tags": list(entry.tags),
        "events": [
            {
                "date": event.date.iso(), "end": _iso(event.end), "approximate": event.approximate, "title": event.title, "id": event.id,
                "status": (event.status or entry.status).value, "places": list(event.places) if event.places is not None else None,
            }
            for event in entry.events
        ],  # fmt: skip
        "updated": _iso(entry.updated),
        "corrections": [{"date": c.date.iso(), "text": c.text} for c in entry.corrections],
        "quotes": [{"text": quote.text, "by": quote.by} for quote in entry.quotes],
        "related": list(entry.related),
        "further_reading": [{"title": item.title, "url": item.url, "source": item.source} for item in entry.further_reading],
        "links": list(entry.links),
    }


def _timeline_item(item: TimelineItem, site: Site) -> dict[str, Any]:
    return {
        "key": item.key, "date": item.date.iso(), "end": _iso(item.end), "approximate": item.approximate,
        "title": item.title, "id": item.id, "themes": list(item.themes), "entries": list(item.entries),
        "status": item.status.value, "reports": len(item.reports), "origins": list(item.origins),
        "history": [{"date": c.date.iso(), "status": c.status.value, "entry": c.entry} for c in item.history],
        "page": site.dossier.base_url + item.page if item.page else None, "places": list(item.places),
    }  # fmt: skip


CSV_COLUMNS = (
    "slug", "url", "date", "title", "language", "status", "source", "source_url", "author", "summary",
    "themes", "entities", "tags", "events", "related", "links",
)  # fmt: skip


def entries_csv(site: Site) -> bytes:
    """Return one row per entry, newest first; several values in a cell separated by ` | `, as in timeline.csv.

    Themes and entities are given by name, for reading in a spreadsheet; entries (`related`, `links`) by
    slug, which the `slug` column resolves. Every cell is guarded against spreadsheet formulas.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in site.entries.values():
        writer.writerow([_cell(value) for value in [
            entry.slug, site.dossier.base_url + entry_path(entry.slug), entry.date.iso(), entry.title, entry.language,
            entry.status.value, entry.source.name, entry.source.url or "", entry.source.author or "", entry.summary,
            " | ".join(site.themes[slug].title for slug in entry.themes),
            " | ".join(site.entities[slug].name if slug in site.entities else slug for slug in entry.entities),
            " | ".join(entry.tags), str(len(entry.events)), " | ".join(entry.related), " | ".join(entry.links),
        ]])  # fmt: skip
    return out.getvalue().encode("utf-8")


def research_files(site: Site) -> list[tuple[str, bytes]]:
    """Return the research data files, by path below the output folder."""
    return [("dossier.json", dossier_json(site)), ("entries.csv", entries_csv(site))]
