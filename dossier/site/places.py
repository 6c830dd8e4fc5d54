"""Where the dossier happens: each place with coordinates, and how many entries name it by theme and year.

The map counts entries, not mentions: an entry naming Kiew in its entities and in two of its events counts once.
A year is the year the entry was published, as on the lists of entries, so that a place's count under a theme
and a year is the number of entries a reader finds there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..model import Entity, EntityKind, Entry, Located


def located_places(entries: Iterable[Entry], entities: Mapping[str, Entity]) -> dict[str, Located]:
    """Return each place with coordinates that an entry names, most entries first, then by slug."""
    counts: dict[str, dict[tuple[str, int], int]] = {}
    years: dict[str, dict[int, int]] = {}
    totals: dict[str, int] = {}
    for entry in entries:
        for slug in entry.entities:
            entity = entities.get(slug)
            if entity is None or entity.kind is not EntityKind.PLACE or entity.coordinates is None:
                continue
            totals[slug] = totals.get(slug, 0) + 1
            in_year = years.setdefault(slug, {})
            in_year[entry.date.year] = in_year.get(entry.date.year, 0) + 1
            by = counts.setdefault(slug, {})
            for theme in entry.themes:
                by[theme, entry.date.year] = by.get((theme, entry.date.year), 0) + 1
    order = sorted(totals, key=lambda slug: (-totals[slug], slug))
    return {
        slug: Located(
            slug, *entities[slug].coordinates, totals[slug],  # type: ignore[misc]
            tuple((t, y, n) for (t, y), n in sorted(counts[slug].items())), tuple(sorted(years[slug].items())),
        )  # fmt: skip
        for slug in order
    }
