"""Plan the pages of a site: one per theme, entry and entity, plus the overviews, each with its context."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from typing import Any, TypeVar

from ..model import EntityKind, Entry, Site, Status, TimelineItem
from ..search.index import index_terms
from ..site.changes import latest_changes
from ..site.related import Explainer
from ..site.timeline import Span, dossier_span, group_by_month, items_for, overview, positions_by_entry, window
from ..urls import base_path
from .traced import TracedSite, note

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page to write."""

    url: str
    """Its path below the base URL, '' for the home page, else ending in `/`."""
    template: str
    """The Jinja2 template that renders it."""
    context: Mapping[str, Any] = field(default_factory=dict)
    """What the template needs beyond the site-wide values (for the pages of themes, entries and entities, made when first read)."""
    listed: bool = True
    """Listed in the sitemap (the search and not-found pages are not)."""
    entry: str | None = None
    """The slug of the entry the page is about, on an entry's page."""

    output: str = field(init=False, repr=False, compare=False)
    """The file below the output folder that holds the page (a field, not a property: a rebuild of 10,000 entries
    asks for it 200,000 times)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "output", self.url if self.url.endswith(".html") else f"{self.url}index.html")


HOME_LATEST = 10
HOME_PER_THEME = 3
ENTRIES_PAGE = 50
"""Entries on one page of a list, at most (some 600 HTML elements): a longer list is split into pages, newest first."""
TIMELINE_PAGE = 250
"""Events on one page of a timeline, at most (some 2,500 HTML elements, 200 KB): a longer timeline is split
into a page per year, and a year with more events into pages of whole months (a month with more still, into
pages of this many). /timeline/ then shows the overview of all of them."""
TIMELINE_ON_PAGE = 100
"""Events a theme's or an entity's page shows of its timeline beside its entries, at most (the page then stays
under 3,000 HTML elements); a longer one gets pages of its own, as /timeline/ does."""
PRINT_VOLUME = 1000
"""Entries in one print document, at most (about): 1,000 make some 7 MB of HTML, which a browser still lays out
for printing; 10,000 make 66 MB. A larger dossier is printed in volumes, one per year, or per month in a year
with more entries than this."""
# An id, or a link to one, in an entry's notes: on /print/ it gets the entry's slug in front.
_NOTE_REFERENCE = re.compile(r'\b(id="|href="#)([^"]*)"')


class Context(Mapping[str, Any]):
    """A page's context, made when it is first read: a rebuild reads only the contexts of pages that may have changed."""

    __slots__ = ("_make", "_data")

    def __init__(self, make: Callable[[], dict[str, Any]]):
        self._make: Callable[[], dict[str, Any]] | None = make
        self._data: dict[str, Any] | None = None

    def _made(self) -> dict[str, Any]:
        if self._data is None:
            assert self._make is not None
            self._data, self._make = self._make(), None
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


class Derived:
    """A value a template uses that is made only from the rest of the page's context and the site-wide values.

    It is made when the template first asks for it, so that rendering (which runs on every core, and
    only for the pages that changed) makes it; a page's key stands in for it by its class alone
    (fingerprint.py): it reads the site through traced.TracedSite, or notes what it reads, as templates do.
    """


class Deferred(Derived):
    """Text made only when a template uses it."""

    def __init__(self, make: Callable[[], str]):
        self._make = make
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = self._make()
        return self._text

    def __bool__(self) -> bool:
        return bool(str(self))


class PrintNotes(Derived):
    """Each entry's notes as a print document shows them, by slug: its notes link within the print edition.

    A link to another entry leads to that entry's section (its fragment dropped), in this document or
    in the volume that holds it (`elsewhere`); the notes' own ids, and the links to them (footnotes),
    get the entry's slug in front, so no two sections share one.
    """

    def __init__(self, site: Site, elsewhere: dict[str, str]):
        self._entries = site.entries
        self._prefix = base_path(site.dossier.base_url)
        self._elsewhere = elsewhere
        self._entry_link = re.compile(rf'href="{re.escape(self._prefix)}entries/([a-z0-9-]+)/(?:#[^"]*)?"')

    def __getitem__(self, slug: str) -> str:
        note(("notes", slug))
        # A function, not a replacement template naming the slug: re would parse one template per entry.
        text = _NOTE_REFERENCE.sub(lambda m: f'{m[1]}{slug}-{m[2]}"', self._entries[slug].notes_html)
        return self._entry_link.sub(self._link, text)

    def leads(self, slug: str) -> str:
        """Return where the entry's links to entries in other volumes lead, for the key of its section."""
        note(("notes", slug))
        return " ".join(f"{other}={self._elsewhere[other]}" for other in self._entries[slug].links if other in self._elsewhere)

    def _link(self, match: re.Match[str]) -> str:
        volume = self._elsewhere.get(match[1])
        return f'href="{self._prefix}print/{volume}/#{match[1]}"' if volume else f'href="#{match[1]}"'


@dataclass(frozen=True, slots=True)
class PrintVolume:
    """One document of a print edition split in volumes: the entries of a year, or of a month."""

    key: str
    """`2023`, or `2023-05` for a month; the document is /print/<key>/."""
    year: int
    """The year."""
    month: int | None
    """The month, when a year's entries fill several volumes."""


class Timelines:
    """Site-wide timeline indexes, so that no page scans the whole timeline; a theme's are made when a page first asks."""

    def __init__(self, site: Site):
        self._site = site
        self.positions = positions_by_entry(site.timeline)
        """Each entry's events, as positions in the site's timeline."""
        self._by_theme: dict[str, list[TimelineItem]] = {}
        self._in_theme: dict[str, dict[str, list[int]]] = {}

    def by_theme(self, slug: str) -> list[TimelineItem]:
        """Return the theme's events."""
        if slug not in self._by_theme:
            self._by_theme[slug] = items_for(self._site.timeline, self.positions, self._site.by_theme[slug])
        return self._by_theme[slug]

    def in_theme(self, slug: str) -> dict[str, list[int]]:
        """Return the theme's entries' events, as positions in the theme's events."""
        if slug not in self._in_theme:
            self._in_theme[slug] = positions_by_entry(self.by_theme(slug))
        return self._in_theme[slug]


class _Indexes:
    """What the contexts of many pages are made from, made when the first of them is read."""

    def __init__(self, site: Site):
        self._site = site

    @cached_property
    def span(self) -> Span | None:
        return dossier_span(self._site.entries.values())

    @cached_property
    def timelines(self) -> Timelines:
        return Timelines(self._site)

    @cached_property
    def theme_splits(self) -> dict[str, tuple[list[TimelinePage], list[list[TimelineItem]], dict[str, str]] | None]:
        """Each theme's timeline split into pages of its own (`_split_timeline`), or None where it stays on its page."""
        return {slug: _split_timeline(self.timelines.by_theme(slug), f"themes/{slug}/timeline/", TIMELINE_ON_PAGE) for slug in self._site.themes}

    @cached_property
    def explain(self) -> Explainer:
        site = self._site
        return Explainer(list(site.entries.values()), {slug: e.name for slug, e in site.entities.items()}, {slug: t.title for slug, t in site.themes.items()})


def plan_pages(site: Site, search: bool = True) -> list[Page]:
    """Return every page of the site; without `search`, entry pages carry no hidden index text."""
    indexes = _Indexes(site)
    return [
        _home(site),
        Page("themes/", "themes.html"),
        *_themes(site, indexes),
        *_entries(site, indexes, search),
        _entities_index(site),
        *_entities(site, indexes),
        *_timeline_pages(site, indexes),
        Page("sources/", "sources.html"),
        *(page for slug, outlet in site.outlets.items() for page in _list_pages(f"sources/{slug}/", "source.html", {"outlet": outlet}, [site.entries[s] for s in site.by_outlet[slug]])),
        *_event_pages(site),
        *_changes(site),
        Page("about/", "about.html", {"statuses": list(Status)}),
        Page("network/", "network.html"),
        *_map_pages(site),
        Page("search/", "search.html", listed=False),
        *_print(site),
        Page("404.html", "404.html", listed=False),
    ]


def _timeline(items: list[TimelineItem], span: Span | None) -> dict[str, Any]:
    """Return what a full timeline needs: its items, grouped by year and month, and its overview."""
    return {"items": items, "years": group_by_month(items), "overview": overview(items, span)}


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """One page of a timeline split by year (see TIMELINE_PAGE)."""

    url: str
    """`timeline/2023/`, or `timeline/2023/2/` for the second page of a year split in several."""
    year: int
    """Its year."""
    part: int
    """Which page of its year it is, from 1."""
    parts: int
    """How many pages its year has."""
    first: int
    """The month of its first event (0: known only by the year)."""
    last: int
    """The month of its last event."""
    count: int
    """How many events it shows."""
    piece: int = 0
    """Which piece of its one month it holds, from 1, when that month has more events than a page (else 0)."""


def _timeline_pages(site: Site, indexes: _Indexes) -> Iterator[Page]:
    """Return /timeline/: the whole timeline on one page, or, when it is longer than TIMELINE_PAGE, an overview
    of the years and a page for each year (or part of a year)."""
    items = site.timeline
    split = _split_timeline(items, "timeline/")
    if split is None:
        yield Page("timeline/", "timeline.html", Context(lambda: {**_timeline(items, indexes.span), "pages": [], "current": None, "scope": None}))
        return
    pages, chunks, months = split
    total = len(items)
    yield Page("timeline/", "timeline.html", Context(lambda: {"items": [], "years": [], "overview": overview(items, indexes.span), "pages": pages, "current": None, "months": months, "total": total, "scope": None}))
    # Without JavaScript, a theme's link leads to its own page of the same year, where its timeline is split too.
    years = {slug: {page.year: page.url for page in found[0] if page.part == 1} for slug, found in indexes.theme_splits.items() if found}
    yield from _year_pages(pages, chunks, {"scope": None, "theme_years": years})


@dataclass(frozen=True, slots=True)
class ListPages:
    """Where a page of a list split by ENTRIES_PAGE stands among the others."""

    number: int
    """Which page it is, from 1 (the newest entries)."""
    urls: list[str]
    """Every page's address, the first the list's own."""
    years: list[tuple[int, str]]
    """Each year the list's entries fall in, newest first, with the page its first entry is on."""
    first: int
    """The position in the list of its first entry, from 1."""
    count: int
    """How many entries the list has."""


def _list_pages(url: str, template: str, context: dict[str, Any], entries: list[Entry], first: Callable[[], dict[str, Any]] | None = None) -> Iterator[Page]:
    """Return the page of a list of entries at `url`, or, for a list longer than ENTRIES_PAGE, its pages: the newest
    entries at `url`, then `url`2/, `url`3/ and on. The context of each has `context`, its `entries` grouped by year
    too (`entry_years`), and where it stands (`pages`); the first page's has what `first` makes as well, when it
    is read (a Context)."""
    urls, chunks = _paged(entries, ENTRIES_PAGE, url)
    years: dict[int, str] = {}
    for page_url, chunk in zip(urls, chunks) if len(chunks) > 1 else ():
        # newest first: a page holds one year, or those of its first and last entry and any between
        for year in (chunk[0].date.year,) if chunk[0].date.year == chunk[-1].date.year else sorted({e.date.year for e in chunk}, reverse=True):
            years.setdefault(year, page_url)
    for number, (page_url, chunk) in enumerate(zip(urls, chunks), 1):
        where = ListPages(number, urls, list(years.items()), (number - 1) * ENTRIES_PAGE + 1, len(entries)) if len(chunks) > 1 else None
        more = first if number == 1 and first is not None else dict

        def made(chunk: list[Entry] = chunk, where: ListPages | None = where, more: Callable[[], dict[str, Any]] = more) -> dict[str, Any]:
            entry_years = [(year, list(group)) for year, group in groupby(chunk, key=lambda e: e.date.year)]
            return {**context, "entries": chunk, "entry_years": entry_years, "pages": where, **more()}

        yield Page(page_url, template, Context(made))


def _paged(items: Sequence[T], size: int, url: str) -> tuple[list[str], list[Sequence[T]]]:
    """Return the addresses of the pages a list of `items` is cut into, `size` to a page (one empty page for no
    items), and the items of each: `url` for the first, then `url`2/, `url`3/ and on."""
    chunks = [items[start : start + size] for start in range(0, len(items), size)] or [items[:0]]
    return [url if number == 1 else f"{url}{number}/" for number in range(1, len(chunks) + 1)], chunks


def _split_timeline(items: list[TimelineItem], prefix: str, whole: int | None = None) -> tuple[list[TimelinePage], list[list[TimelineItem]], dict[str, str]] | None:
    """Return the pages below `prefix` of a timeline longer than `whole` events (TIMELINE_PAGE unless given), the
    events of each, and the page each month's events start on (by the month's anchor, for the chart's links); None
    for a timeline that stays whole."""
    if len(items) <= (TIMELINE_PAGE if whole is None else whole):
        return None
    split = [(year, *found) for year, in_year in groupby(items, key=lambda item: item.date.year) for found in _by_months(list(in_year))]
    parts: dict[int, int] = {}
    for year, _, _ in split:
        parts[year] = parts.get(year, 0) + 1
    pages, number, months = [], {}, {}
    for year, chunk, piece in split:
        number[year] = part = number.get(year, 0) + 1
        url = f"{prefix}{year}/" if part == 1 else f"{prefix}{year}/{part}/"
        pages.append(TimelinePage(url, year, part, parts[year], chunk[0].date.month, chunk[-1].date.month, len(chunk), piece))
        for item in chunk:
            if item.date.month:
                months.setdefault(f"m{item.date.year}-{item.date.month:02d}", url)
    return pages, [chunk for _, chunk, _ in split], months


def _year_pages(pages: list[TimelinePage], chunks: list[list[TimelineItem]], context: dict[str, Any]) -> Iterator[Page]:
    """Return the pages of a split timeline, each with its events, its place among the others, and `context`."""
    # Contexts made when read: a rebuild that renders none of these pages does not group their events.
    for i, (page, chunk) in enumerate(zip(pages, chunks)):
        neighbours = {"earlier": pages[i - 1] if i else None, "later": pages[i + 1] if i + 1 < len(pages) else None}
        yield Page(page.url, "timeline.html", Context(lambda page=page, chunk=chunk, neighbours=neighbours: {
            "items": chunk, "years": group_by_month(chunk), "overview": None, "pages": pages, "current": page, **neighbours, **context,
        }))  # fmt: skip


def _by_months(items: list[TimelineItem]) -> Iterator[tuple[list[TimelineItem], int]]:
    """Split a year's events into runs of whole months of at most TIMELINE_PAGE events, each with 0; a month with
    more, into pieces of that many, each with its number from 1."""
    chunk: list[TimelineItem] = []
    for _, in_month in groupby(items, key=lambda item: item.date.month):
        month = list(in_month)
        if chunk and len(chunk) + len(month) > TIMELINE_PAGE:
            yield chunk, 0
            chunk = []
        if len(month) > TIMELINE_PAGE:
            for piece, start in enumerate(range(0, len(month), TIMELINE_PAGE), 1):
                yield month[start : start + TIMELINE_PAGE], piece
            continue
        chunk.extend(month)
    if chunk:
        yield chunk, 0


def _home(site: Site) -> Page:
    latest = list(site.entries.values())[:HOME_LATEST]
    newest = {slug: [site.entries[s] for s in site.by_theme[slug][:HOME_PER_THEME]] for slug in site.themes}
    return Page("", "home.html", {"latest": latest, "newest_by_theme": newest})


def _themes(site: Site, indexes: _Indexes) -> Iterator[Page]:
    def timeline(slug: str, split: tuple[Any, ...] | None) -> dict[str, Any]:
        related = [(site.themes[other], entries, names) for other, entries, names in site.related_themes.get(slug, [])]
        return {"related_themes": related, **_scoped_timeline(indexes.timelines.by_theme(slug), split, indexes.span)}

    for slug, theme in site.themes.items():
        items = indexes.timelines.by_theme(slug)
        split = indexes.theme_splits[slug]
        context = {"theme": theme, "count": len(site.by_theme[slug]), "events": len(items)}
        yield from _list_pages(f"themes/{slug}/", "theme.html", context, [site.entries[s] for s in site.by_theme[slug]], lambda slug=slug, split=split: timeline(slug, split))
        if split is not None:
            yield from _year_pages(split[0], split[1], {"scope": (theme.title, f"themes/{slug}/")})


def _scoped_timeline(items: list[TimelineItem], split: tuple[Any, ...] | None, span: Span | None) -> dict[str, Any]:
    """Return what the timeline on a theme's or entity's page needs: the whole of it, or, split (`_split_timeline`),
    its chart and its pages."""
    if split is None:
        return {**_timeline(items, span), "timeline_pages": None, "months": None}
    return {"items": items, "years": [], "overview": overview(items, span), "timeline_pages": split[0], "months": split[2]}


def _search_terms(entry: Entry, site: TracedSite) -> str:
    """Return the entry's hidden index text (search.index_terms), noting what it reads: the notes and the entities' names."""
    note(("notes", entry.slug))
    return index_terms(entry, site)  # type: ignore[arg-type]


def _entries(site: Site, indexes: _Indexes, search: bool) -> Iterator[Page]:
    traced = TracedSite(site)
    place = {theme: {slug: i for i, slug in enumerate(members)} for theme, members in site.by_theme.items()}

    def context(entry: Entry) -> dict[str, Any]:
        slug, first_theme = entry.slug, entry.themes[0]
        siblings = site.by_theme[first_theme]  # newest first
        position = place[first_theme][slug]
        timelines, explain = indexes.timelines, indexes.explain
        return {
            "entry": entry,
            "items": window(timelines.by_theme(first_theme), timelines.in_theme(first_theme).get(slug, [])),
            "claims": [site.timeline[position] for position in timelines.positions.get(slug, [])],
            "related": [(explain(entry, site.entries[n.slug], n), site.entries[n.slug]) for n in site.related.for_entry(entry, site.entries)],
            "backlinks": [site.entries[s] for s in site.backlinks.get(slug, [])],
            "theme": site.themes[first_theme],
            "previous": site.entries[siblings[position + 1]] if position + 1 < len(siblings) else None,
            "next": site.entries[siblings[position - 1]] if position > 0 else None,
            "search_terms": Deferred(lambda: _search_terms(entry, traced) if search else ""),
        }

    for slug, entry in site.entries.items():
        yield Page(f"entries/{slug}/", "entry.html", Context(lambda entry=entry: context(entry)), entry=slug)


REPORTS_PAGE = 50
"""Reports on one page of an event, at most: a claim relayed by more outlets gets pages of them, in the order published."""
EVENT_NAMED = 12
"""People, organizations and places an event's page names of each kind, at most: those its reports name most; and
the places it shows where the event happened."""


@dataclass(frozen=True, slots=True)
class ReportPages:
    """Where a page of an event's reports stands among the others."""

    number: int
    """Which page it is, from 1 (the earliest reports)."""
    urls: list[str]
    """Every page's address, the first the event's own."""
    first: int
    """The position of its first report, from 1."""
    count: int
    """How many reports the event has."""


def _event_pages(site: Site) -> Iterator[Page]:
    """Return a page for each event with an id: what is known about it, its status over time and every report."""
    for item in site.timeline:
        if item.page is None:
            continue
        urls, chunks = _paged(item.reports, REPORTS_PAGE, item.page)
        for number, (url, chunk) in enumerate(zip(urls, chunks), 1):
            where = ReportPages(number, urls, (number - 1) * REPORTS_PAGE + 1, len(item.reports)) if len(chunks) > 1 else None
            yield Page(url, "event.html", Context(lambda item=item, chunk=chunk, where=where: {
                "item": item, "reports": [(report, site.entries[report.entry]) for report in chunk], "pages": where,
                "named": _named(site, item), "outlets": len({site.outlet_of[report.entry] for report in item.reports}),
                "places": item.places[:EVENT_NAMED],
            }))  # fmt: skip


def _named(site: Site, item: TimelineItem) -> list[tuple[EntityKind, list[str], int]]:
    """Return the entities an event's reports name, by kind: the EVENT_NAMED named most (then by name), and how many
    more there are."""
    counts: dict[str, int] = {}
    for report in item.reports:
        for slug in site.entries[report.entry].entities:
            counts[slug] = counts.get(slug, 0) + 1
    groups = []
    for kind in EntityKind:
        members = sorted((slug for slug in counts if site.entities[slug].kind is kind), key=lambda slug: (-counts[slug], site.entities[slug].name.casefold(), slug))
        if members:
            groups.append((kind, members[:EVENT_NAMED], len(members) - EVENT_NAMED if len(members) > EVENT_NAMED else 0))
    return groups


def _map_pages(site: Site) -> Iterator[Page]:
    """Return /map/ and the map narrowed to each theme, each year and each theme in each year, so that narrowing
    works without JavaScript (map.js narrows in place): themes × years pages, a few dozen, each the size of one."""
    years = sorted({year for place in site.places.values() for year, _ in place.years})
    for theme in (None, *site.themes) if site.places else (None,):
        for year in (None, *years):
            url = "map/" + (f"themes/{theme}/" if theme else "") + (f"{year}/" if year else "")
            yield Page(url, "map.html", {"theme": theme, "year": year, "years": years})


def _changes(site: Site) -> Iterator[Page]:
    """Return /changes/: the latest changes (changes.py), ENTRIES_PAGE to a page."""
    found = latest_changes(site)
    urls, chunks = _paged(found, ENTRIES_PAGE, "changes/")
    for number, (url, chunk) in enumerate(zip(urls, chunks), 1):
        yield Page(url, "changes.html", {"changes": chunk, "number": number, "urls": urls, "total": len(found)})


def _entities_index(site: Site) -> Page:
    groups = []
    for kind in EntityKind:
        members = [e for e in site.entities.values() if e.kind is kind]
        if members:
            groups.append((kind, members))
    return Page("entities/", "entities.html", {"groups": groups})


def _entities(site: Site, indexes: _Indexes) -> Iterator[Page]:
    for slug, entity in site.entities.items():
        items = items_for(site.timeline, indexes.timelines.positions, site.by_entity[slug])
        split = _split_timeline(items, f"entities/{slug}/timeline/", TIMELINE_ON_PAGE)
        context = {"entity": entity, "count": len(site.by_entity[slug]), "events": len(items)}
        entries = [site.entries[s] for s in site.by_entity[slug]]
        yield from _list_pages(f"entities/{slug}/", "entity.html", context, entries, lambda items=items, split=split: _scoped_timeline(items, split, indexes.span))
        if split is not None:
            yield from _year_pages(split[0], split[1], {"scope": (entity.name, f"entities/{slug}/")})


def _print(site: Site) -> Iterator[Page]:
    """Return the print edition: /print/, the whole dossier in one document, or a list of volumes and one document per volume."""
    if len(site.entries) <= PRINT_VOLUME:
        yield _print_page(site, list(site.entries.values()), None, [], {})
        return
    by_year: dict[int, list[Entry]] = {}
    for entry in site.entries.values():  # newest first
        by_year.setdefault(entry.date.year, []).append(entry)
    members: dict[tuple[int, int | None], list[Entry]] = {}
    for year, entries in by_year.items():
        by_month = len(entries) > PRINT_VOLUME
        for entry in entries:
            members.setdefault((year, (entry.date.month or 0) if by_month else None), []).append(entry)
    volumes = [PrintVolume(f"{year}-{month:02d}" if month is not None else str(year), year, month) for year, month in members]
    volume_of = {entry.slug: volume.key for volume, entries in zip(volumes, members.values()) for entry in entries}
    # Only the list of volumes tells their sizes: a volume shows nothing an entry added to another changes.
    sizes = {volume.key: len(entries) for volume, entries in zip(volumes, members.values())}
    yield _print_page(site, [], None, volumes, {}, sizes)
    for volume, entries in zip(volumes, members.values()):
        elsewhere = {slug: volume_of[slug] for entry in entries for slug in entry.links if volume_of.get(slug, volume.key) != volume.key}
        yield _print_page(site, entries, volume, volumes, elsewhere)


def _print_page(
    site: Site, entries: list[Entry], volume: PrintVolume | None, volumes: list[PrintVolume], elsewhere: dict[str, str],
    sizes: dict[str, int] | None = None,
) -> Page:  # fmt: skip
    """Return /print/, or the volume's page /print/<key>/."""
    url = f"print/{volume.key}/" if volume is not None else "print/"
    # `elsewhere` is in the context (not only in PrintNotes) so that the page's key covers where its links lead.
    context = {"entries": entries, "volume": volume, "volumes": volumes, "elsewhere": elsewhere, "notes": PrintNotes(site, elsewhere), "sizes": sizes or {}}
    return Page(url, "print.html", context, listed=False)
