"""Timelines: the events entries report, merged by id, checked for duplicates, ordered and grouped."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from ..content.dates import PartialDate, Precision
from ..model import Entry, TimelineItem
from ..problems import Problem, Problems, display_path
from ..urls import event_path
from .claims import Origins, event_reports

# Titles this similar on the same date are likely one event reported twice without a shared id.
DUPLICATE_RATIO = 0.85
# Events shown around an entry's own on its page, before the first and after the last.
WINDOW = 3


def build_timeline(
    entries: Iterable[Entry], theme_order: dict[str, int], today: dt.date, problems: Problems, origins: Origins | None = None, places: frozenset[str] = frozenset(),
) -> list[TimelineItem]:  # fmt: skip
    """Return one item per event, events sharing an `id` merged, in date order, each with its reports (claims.py;
    `origins` knows the declared publications' owners) and its places (of the entity slugs in `places`, those its
    reports name for it, or else those their entries name).

    A merged event takes its date and title from the earliest report (by publication date);
    reports that give another date are warned about, since one of them is likely a typo. Events that look
    like one reported twice are `duplicate_warnings`' to find.
    """
    origins = origins or Origins(())
    oldest_first = sorted(entries, key=lambda e: (e.date, e.slug))
    groups: dict[str, list[tuple[Entry, int]]] = {}
    items: list[TimelineItem] = []
    for entry in oldest_first:
        for index, event in enumerate(entry.events):
            if event.date.first_day() > today:
                problems.warn(entry.path, event.line, f"event \"{event.title}\" is dated {event.date}, after today ({today.isoformat()})")
            if event.id:
                groups.setdefault(event.id, []).append((entry, index))
            else:
                items.append(_item([(entry, index)], theme_order, f"{entry.slug}-{index + 1}", origins, places))
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
        items.append(_item(reports, theme_order, event_id, origins, places))
    items.sort(key=lambda item: (item.date, item.title, item.entries))
    return items


def duplicate_warnings(entries: Iterable[Entry]) -> list[Problem]:
    """Return a warning for each event without an id that looks like another one on its date (see `_warn_duplicates`)."""
    found = Problems()
    _warn_duplicates(sorted(entries, key=lambda e: (e.date, e.slug)), found)
    return found.items


def _item(reports: list[tuple[Entry, int]], theme_order: dict[str, int], key: str, origins: Origins, places: frozenset[str]) -> TimelineItem:
    entry, index = reports[0]
    event = entry.events[index]
    reporters = tuple(dict.fromkeys(e.slug for e, _ in reports))
    themes = tuple(sorted({slug for e, _ in reports for slug in e.themes}, key=theme_order.__getitem__))
    told, history, found = event_reports(reports, origins)
    page = event_path(event.id) if event.id else None
    named = [e.entities if e.events[i].places is None else e.events[i].places for e, i in reports]
    where = tuple(dict.fromkeys(slug for slugs in named for slug in slugs if slug in places))
    return TimelineItem(event.date, event.title, reporters, themes, event.id, event.end, event.approximate, key, told, history, found, page, where)


def _warn_duplicates(entries: list[Entry], problems: Problems) -> None:
    """Warn about events without an id on the same date whose titles are nearly the same.

    Nearly the same: difflib's ratio of the casefolded titles reaches DUPLICATE_RATIO. A date known only by its
    year gathers hundreds of events, so pairs are first passed through exact necessary conditions (see
    `_may_look_alike`) and difflib measures only the few that pass: the warnings are the ones comparing every
    pair with difflib would give.
    """
    by_date: dict[PartialDate, list[tuple[Entry, int]]] = {}
    for entry in entries:
        for index, event in enumerate(entry.events):
            if not event.id:
                by_date.setdefault(event.date, []).append((entry, index))
    for reports in by_date.values():
        if len(reports) < 2:
            continue
        titles = [entry.events[index].title.casefold() for entry, index in reports]
        bigrams = _bigram_sets(titles)
        for position, (entry, index) in enumerate(reports):
            event = entry.events[index]
            for later in range(position + 1, len(reports)):
                if not _may_look_alike(titles[position], titles[later], bigrams[position], bigrams[later]):
                    continue
                if difflib.SequenceMatcher(None, titles[position], titles[later]).ratio() >= DUPLICATE_RATIO:
                    other_entry, other_index = reports[later]
                    other = other_entry.events[other_index]
                    problems.warn(
                        other_entry.path, other.line,
                        f'event "{other.title}" looks like "{event.title}" at {display_path(entry.path)}:{event.line} (same date); '
                        f"give both the same id if they are one event",
                    )  # fmt: skip


def _bigram_sets(titles: list[str]) -> list[int]:
    """Return each title's two-character substrings, each occurrence counted, as a bit set over all the titles'."""
    ids: dict[tuple[str, int], int] = {}
    sets = []
    for title in titles:
        bits = 0
        for pair, count in Counter(title[k : k + 2] for k in range(len(title) - 1)).items():
            for occurrence in range(count):
                bits |= 1 << ids.setdefault((pair, occurrence), len(ids))
        sets.append(bits)
    return sets


# The tolerance keeps the float bounds below on the safe side: a pair is only ever measured needlessly.
_SLACK = 1e-9


def _may_look_alike(a: str, b: str, a_bigrams: int, b_bigrams: int) -> bool:
    """Return False only when difflib's ratio of `a` and `b` is certainly below DUPLICATE_RATIO.

    The ratio is 2M/S, M the characters in difflib's matching blocks, S = len(a) + len(b); reaching r needs
    M >= rS/2. Both bounds below follow from that:
    - M <= the shorter length, so 2 * shorter >= rS (difflib's `real_quick_ratio`);
    - the B blocks share M - B two-character substrings, and neighbouring blocks are parted by at least one
      unmatched character (S - 2M in all), so B <= S - 2M + 1 and the titles share at least
      3M - S - 1 >= (1.5r - 1)S - 1 of them, counting repeats.
    """
    size = len(a) + len(b)
    if 2 * min(len(a), len(b)) < DUPLICATE_RATIO * size - _SLACK:
        return False
    return (a_bigrams & b_bigrams).bit_count() >= (1.5 * DUPLICATE_RATIO - 1) * size - 1 - _SLACK


def positions_by_entry(items: list[TimelineItem]) -> dict[str, list[int]]:
    """Return, for each entry, the positions in `items` of the events it reports (built once, used per page)."""
    positions: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        for slug in item.entries:
            positions.setdefault(slug, []).append(position)
    return positions


def items_for(timeline: list[TimelineItem], positions: dict[str, list[int]], slugs: Iterable[str]) -> list[TimelineItem]:
    """Return the timeline items reported by any of the entries `slugs`, in timeline order."""
    found = sorted({position for slug in slugs for position in positions.get(slug, ())})
    return [timeline[position] for position in found]


@dataclass(frozen=True, slots=True)
class Gap:
    """Where an entry's excerpt of a timeline leaves events out."""

    count: int
    """How many events it leaves out."""


def window(items: list[TimelineItem], own: list[int], size: int = WINDOW) -> list[TimelineItem | Gap]:
    """Return an entry's own items (at positions `own` of `items`, ascending), each with up to `size` items around it.

    An entry whose events lie far apart on a long timeline shows each with its neighbours and a Gap between them,
    not every event in between. Stretches that touch, or would leave a single event out, join.
    """
    stretches: list[list[int]] = []
    for position in own:
        start, stop = max(position - size, 0), min(position + size + 1, len(items))
        if stretches and start <= stretches[-1][1] + 1:
            stretches[-1][1] = stop
        else:
            stretches.append([start, stop])
    shown: list[TimelineItem | Gap] = []
    for number, (start, stop) in enumerate(stretches):
        if number:
            shown.append(Gap(start - stretches[number - 1][1]))
        shown.extend(items[start:stop])
    return shown


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """The events of one month of a year (month 0: known only to the year)."""

    month: int
    """1-12, or 0 for events known only by year."""
    items: list[TimelineItem]
    """Its events in order."""


@dataclass(frozen=True, slots=True)
class YearGroup:
    """The events of one year, by month."""

    year: int
    """The year."""
    months: list[MonthGroup]
    """Year-only events first, then each month with events."""


def group_by_month(items: list[TimelineItem]) -> list[YearGroup]:
    """Return the items grouped by year, then by month (they are already in date order)."""
    years = []
    for year, in_year in groupby(items, key=lambda item: item.date.year):
        months = [MonthGroup(month, list(group)) for month, group in groupby(in_year, key=lambda item: item.date.month)]
        years.append(YearGroup(year, months))
    return years


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a timeline overview."""

    year: int
    """Its year."""
    month: int
    """Its month, 1-12."""
    count: int
    """How many events fall in it."""
    anchor: str
    """The id on the page it links to, '' when it has no events."""


@dataclass(frozen=True, slots=True)
class Overview:
    """Events per month across the dossier's span, for the small chart above a timeline."""

    bars: list[Bar]
    """One per month from the first to the last entry's month."""
    before: int
    """Events dated before the span."""
    after: int
    """Events dated after the span."""
    year_only: int
    """Events within the span known only by their year (they have no month to stand in)."""
    peak: int
    """The largest count, for scaling."""


Span = tuple[tuple[int, int], tuple[int, int]]


def dossier_span(entries: Iterable[Entry]) -> Span | None:
    """Return the first and last (year, month) in which the dossier's sources were published."""
    months = sorted((e.date.year, e.date.month) for e in entries)
    return (months[0], months[-1]) if months else None


def overview(items: list[TimelineItem], span: Span | None) -> Overview | None:
    """Return the counts of events per month within `span`, and of those outside it."""
    if span is None or not items:
        return None
    first, last = span
    counts: dict[tuple[int, int], int] = {}
    before = after = year_only = 0
    for item in items:
        if item.date.precision is Precision.YEAR:
            if item.date.year < first[0]:
                before += 1
            elif item.date.year > last[0]:
                after += 1
            else:
                year_only += 1
            continue
        key = (item.date.year, item.date.month)
        if key < first:
            before += 1
        elif key > last:
            after += 1
        else:
            counts[key] = counts.get(key, 0) + 1
    bars = []
    year, month = first
    while (year, month) <= last:
        count = counts.get((year, month), 0)
        bars.append(Bar(year, month, count, f"m{year}-{month:02d}" if count else ""))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return Overview(bars, before, after, year_only, max([bar.count for bar in bars] + [1]))
