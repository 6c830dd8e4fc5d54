"""What changed in the dossier, newest first: entries added or updated, corrections, events whose status changed.

An entry counts as added on the day its source was published (the format has no other date for it), updated on
its `updated` date, corrected on each correction's date. An event's status change is dated by the report that
made it; its first report's status is no change.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from enum import Enum

from ..content.dates import PartialDate
from ..model import Site, Status, TimelineItem

LATEST = 250
"""Changes /changes/ lists, at most: it tells a returning reader what is new, not the dossier's history."""


class Kind(str, Enum):
    """What kind of change."""

    ADDED = "added"
    UPDATED = "updated"
    CORRECTION = "correction"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class Change:
    """One change, linked to the page it happened on."""

    date: PartialDate
    """When."""
    kind: Kind
    """What kind."""
    entry: str
    """The entry changed, or the report that changed an event's status."""
    text: str = ""
    """A correction's text."""
    event: TimelineItem | None = None
    """The event whose status changed."""
    status: Status | None = None
    """The event's status from then on."""
    number: int = 0
    """Which of its kind on its page it is, from 1 (the anchor of a correction or a change of status)."""


def latest_changes(site: Site, count: int = LATEST) -> list[Change]:
    """Return the `count` latest changes, newest first (ties: events before corrections before entries, then by name)."""
    found: list[Change] = []
    for slug, entry in site.entries.items():
        found.append(Change(entry.date, Kind.ADDED, slug))
        if entry.updated is not None:
            found.append(Change(entry.updated, Kind.UPDATED, slug))
        found.extend(Change(c.date, Kind.CORRECTION, slug, c.text, number=n) for n, c in enumerate(entry.corrections, 1))
    for item in site.timeline:
        if item.id is not None:
            found.extend(Change(c.date, Kind.STATUS, c.entry, event=item, status=c.status, number=n) for n, c in enumerate(item.history[1:], 2))
    order = {Kind.STATUS: 0, Kind.CORRECTION: 1, Kind.UPDATED: 2, Kind.ADDED: 3}
    return heapq.nsmallest(count, found, key=lambda c: (-c.date.first_day().toordinal(), order[c.kind], c.event.key if c.event else "", c.entry, c.number))
