"""Plan the pages of a site: one per theme, entry and entity, plus the overviews, each with its context."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from .model import EntityKind, Site, TimelineItem
from .related import Explainer
from .search import index_terms
from .timeline import Span, dossier_span, group_by_month, items_for, overview, window


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page to write."""

    url: str
    """Its path below the base URL, '' for the home page, else ending in `/`."""
    template: str
    """The Jinja2 template that renders it."""
    context: dict[str, Any] = field(default_factory=dict)
    """What the template needs beyond the site-wide values."""
    listed: bool = True
    """Listed in the sitemap (the search and not-found pages are not)."""

    @property
    def output(self) -> str:
        """Return the file below the output folder that holds the page."""
        return self.url if self.url.endswith(".html") else f"{self.url}index.html"


HOME_LATEST = 10
HOME_PER_THEME = 3


def plan_pages(site: Site) -> list[Page]:
    """Return every page of the site."""
    span = dossier_span(site.entries.values())
    explain = Explainer(
        list(site.entries.values()), {slug: e.name for slug, e in site.entities.items()}, {slug: t.title for slug, t in site.themes.items()}
    )
    return [
        _home(site),
        Page("themes/", "themes.html"),
        *_themes(site, span),
        *_entries(site, explain),
        _entities_index(site),
        *_entities(site, span),
        Page("timeline/", "timeline.html", _timeline(site.timeline, span)),
        Page("sources/", "sources.html"),
        *(
            Page(f"sources/{slug}/", "source.html", {"outlet": outlet, "entries": [site.entries[s] for s in site.by_outlet[slug]]})
            for slug, outlet in site.outlets.items()
        ),
        Page("search/", "search.html", listed=False),
        Page("404.html", "404.html", listed=False),
    ]


def _timeline(items: list[TimelineItem], span: Span | None) -> dict[str, Any]:
    """Return what a full timeline needs: its items, grouped by year and month, and its overview."""
    return {"items": items, "years": group_by_month(items), "overview": overview(items, span)}


def _home(site: Site) -> Page:
    latest = list(site.entries.values())[:HOME_LATEST]
    newest = {slug: [site.entries[s] for s in site.by_theme[slug][:HOME_PER_THEME]] for slug in site.themes}
    return Page("", "home.html", {"latest": latest, "newest_by_theme": newest})


def _themes(site: Site, span: Span | None) -> Iterator[Page]:
    for slug, theme in site.themes.items():
        entries = [site.entries[s] for s in site.by_theme[slug]]
        years = [(year, list(group)) for year, group in groupby(entries, key=lambda e: e.date.year)]
        timeline = _timeline(items_for(site.timeline, set(site.by_theme[slug])), span)
        related = [(site.themes[other], entries, names) for other, entries, names in site.related_themes.get(slug, [])]
        yield Page(f"themes/{slug}/", "theme.html", {"theme": theme, "entry_years": years, "related_themes": related, **timeline})


def _entries(site: Site, explain: Explainer) -> Iterator[Page]:
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
                "items": window(items_for(site.timeline, set(siblings)), slug),
                "related": [(explain(entry, site.entries[n.slug], n), site.entries[n.slug]) for n in site.related.for_entry(entry, site.entries)],
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


def _entities(site: Site, span: Span | None) -> Iterator[Page]:
    for slug, entity in site.entities.items():
        entries = [site.entries[s] for s in site.by_entity[slug]]
        timeline = _timeline(items_for(site.timeline, set(site.by_entity[slug])), span)
        yield Page(f"entities/{slug}/", "entity.html", {"entity": entity, "entries": entries, **timeline})
