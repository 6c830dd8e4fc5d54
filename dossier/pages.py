"""Plan the pages of a site: one per theme, entry and entity, plus the overviews, each with its context."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from .model import EntityKind, Site
from .search import index_terms
from .timeline import items_for


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page to write."""

    url: str
    """Its path below the base URL, '' for the home page, else ending in `/`."""
    template: str
    """The Jinja2 template that renders it."""
    context: dict[str, Any] = field(default_factory=dict)
    """What the template needs beyond the site-wide values."""

    @property
    def output(self) -> str:
        """Return the file below the output folder that holds the page."""
        return f"{self.url}index.html"


HOME_LATEST = 10
HOME_PER_THEME = 3


def plan_pages(site: Site) -> list[Page]:
    """Return every page of the site."""
    return [
        _home(site),
        Page("themes/", "themes.html"),
        *_themes(site),
        *_entries(site),
        _entities_index(site),
        *_entities(site),
        Page("timeline/", "timeline.html", {"items": site.timeline}),
        Page("search/", "search.html"),
    ]


def _home(site: Site) -> Page:
    latest = list(site.entries.values())[:HOME_LATEST]
    newest = {slug: [site.entries[s] for s in site.by_theme[slug][:HOME_PER_THEME]] for slug in site.themes}
    return Page("", "home.html", {"latest": latest, "newest_by_theme": newest})


def _themes(site: Site) -> Iterator[Page]:
    for slug, theme in site.themes.items():
        entries = [site.entries[s] for s in site.by_theme[slug]]
        years = [(year, list(group)) for year, group in groupby(entries, key=lambda e: e.date.year)]
        items = items_for(site.timeline, set(site.by_theme[slug]))
        yield Page(f"themes/{slug}/", "theme.html", {"theme": theme, "years": years, "items": items})


def _entries(site: Site) -> Iterator[Page]:
    for slug, entry in site.entries.items():
        first_theme = entry.themes[0]
        siblings = site.by_theme[first_theme]  # newest first
        position = siblings.index(slug)
        newer = site.entries[siblings[position - 1]] if position > 0 else None
        older = site.entries[siblings[position + 1]] if position + 1 < len(siblings) else None
        yield Page(
            f"entries/{slug}/",
            "entry.html",
            {
                "entry": entry,
                "items": items_for(site.timeline, {slug}),
                "related": [site.entries[s] for s in entry.related],
                "backlinks": [site.entries[s] for s in site.backlinks.get(slug, [])],
                "theme": site.themes[first_theme],
                "previous": older,
                "next": newer,
                "search_terms": index_terms(entry, site),
            },
        )


def _entities_index(site: Site) -> Page:
    groups = []
    for kind in EntityKind:
        members = [e for e in site.entities.values() if e.kind is kind]
        if members:
            groups.append((kind, members))
    return Page("entities/", "entities.html", {"groups": groups})


def _entities(site: Site) -> Iterator[Page]:
    for slug, entity in site.entities.items():
        entries = [site.entries[s] for s in site.by_entity[slug]]
        items = items_for(site.timeline, set(site.by_entity[slug]))
        yield Page(f"entities/{slug}/", "entity.html", {"entity": entity, "entries": entries, "items": items})
