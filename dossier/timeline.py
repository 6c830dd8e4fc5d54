"""Timelines: the events entries report, merged by id and put in date order."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Entry, TimelineItem
from .problems import Problems


def build_timeline(entries: Iterable[Entry], theme_order: dict[str, int], problems: Problems) -> list[TimelineItem]:
    """Return one item per event, events sharing an `id` merged, in date order.

    A merged event takes its date and title from the earliest report; reports that give
    another date are warned about, since one of them is likely a typo.
    """
    oldest_first = sorted(entries, key=lambda e: (e.date, e.slug))
    groups: dict[str, list[tuple[Entry, int]]] = {}
    singles: list[tuple[Entry, int]] = []
    for entry in oldest_first:
        for index, event in enumerate(entry.events):
            if event.id:
                groups.setdefault(event.id, []).append((entry, index))
            else:
                singles.append((entry, index))
    items: list[TimelineItem] = []
    for entry, index in singles:
        event = entry.events[index]
        items.append(TimelineItem(event.date, event.title, (entry.slug,), _themes([entry], theme_order)))
    for event_id, reports in groups.items():
        first_entry, first_index = reports[0]
        first = first_entry.events[first_index]
        for entry, index in reports[1:]:
            other = entry.events[index]
            if other.date != first.date:
                problems.warn(
                    entry.path, other.line,
                    f'event "{event_id}" is dated {other.date}, but {first_entry.path.name} dates it {first.date}; the earliest report\'s date is used',
                )  # fmt: skip
        reporters = list(dict.fromkeys(entry.slug for entry, _ in reports))
        themes = _themes([entry for entry, _ in reports], theme_order)
        items.append(TimelineItem(first.date, first.title, tuple(reporters), themes, event_id))
    items.sort(key=lambda item: (item.date, item.title, item.entries))
    return items


def _themes(entries: list[Entry], theme_order: dict[str, int]) -> tuple[str, ...]:
    slugs = {slug for entry in entries for slug in entry.themes}
    return tuple(sorted(slugs, key=theme_order.__getitem__))


def items_for(timeline: list[TimelineItem], slugs: set[str]) -> list[TimelineItem]:
    """Return the timeline items reported by any of the entries `slugs`."""
    return [item for item in timeline if slugs.intersection(item.entries)]
