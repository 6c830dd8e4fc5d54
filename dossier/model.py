"""The data that flows through a build: what the content says, as typed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from .content.dates import PartialDate
from .pickling import quick_pickle

if TYPE_CHECKING:  # related.py builds on this module
    from .site.related import RelatedReading


class Status(str, Enum):
    """How sure the claim an entry reports is."""

    REPORTED = "reported"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    REFUTED = "refuted"


class EntityKind(str, Enum):
    """What an entity is; entities are listed grouped by kind."""

    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    OTHER = "other"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Theme:
    """A theme of the dossier, declared in dossier.yaml."""

    slug: str
    """`[a-z0-9-]+`, the theme's page is /themes/<slug>/."""
    title: str
    """The theme's name."""
    description: str
    """A sentence or two on what the theme covers."""
    index: int
    """Position in dossier.yaml; themes are shown in this order and coloured by it."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organization, place or other named thing entries refer to."""

    slug: str
    """Its page is /entities/<slug>/."""
    name: str
    """The name shown."""
    kind: EntityKind
    """What it is."""
    aliases: tuple[str, ...] = ()
    """Other names entries may use for it."""
    description: str = ""
    """A sentence or two; empty for entities only named in entries."""
    declared: bool = True
    """False for a name used in an entry but not declared in dossier.yaml."""
    coordinates: tuple[float, float] | None = None
    """Latitude and longitude of a place: the curator's, or the gazetteer's for its name (content/gazetteer.py)."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Outlet:
    """A publication entries come from: declared in dossier.yaml's `sources`, or only named by entries."""

    slug: str
    """Its page is /sources/<slug>/."""
    name: str
    """The name entries use in `source.name`."""
    url: str | None = None
    """Its website."""
    country: str | None = None
    """Where it is based."""
    language: str | None = None
    """The language it publishes in (BCP 47)."""
    owner: str | None = None
    """Who owns or runs it."""
    note: str | None = None
    """What a reader should know about it (a state broadcaster, a wire service, a paywall)."""
    declared: bool = True
    """False for a name only used by entries."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Source:
    """The article an entry is about."""

    name: str
    """The publication."""
    url: str | None = None
    """Where it is (http or https)."""
    author: str | None = None
    """Who wrote it."""
    title: str | None = None
    """The article's own headline, when it differs from the entry's (cited in exports)."""
    language: str | None = None
    """The article's language, when it differs from the entry's."""
    archive_url: str | None = None
    """An archived copy (a web archive's), offered beside the original in case it disappears."""
    accessed: PartialDate | None = None
    """When the curator last read the article."""
    via: tuple[str, ...] = ()
    """What the article relays (a publication, an agency, a government, an intelligence service), by name; none
    when it reports on its own."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation from the source, with who said it."""

    text: str
    """The words quoted."""
    by: str | None = None
    """Who said them."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Image:
    """An image shown on the entry page."""

    src: str
    """An https URL, or a path below content/ (copied into the site)."""
    alt: str
    """What the image shows, for readers who cannot see it."""
    caption: str | None = None
    """Text under the image."""
    credit: str | None = None
    """Who made or owns the image."""
    local: Path | None = None
    """The file on disk when `src` is a local path."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class EventReport:
    """An event as one entry reports it."""

    date: PartialDate
    """When it happened, to the precision known."""
    title: str
    """What happened."""
    id: str | None = None
    """Shared by every entry that reports the same event."""
    line: int = 0
    """The line in the entry file, for messages."""
    end: PartialDate | None = None
    """When a span (a war, a sanctions package in force) ended, if it did."""
    approximate: bool = False
    """The date is approximate ("circa")."""
    status: Status | None = None
    """How sure this report makes the event, when it differs from its entry's status."""
    places: tuple[str, ...] | None = None
    """Slugs of the places it happened at, when the event names its own (none, for `places: []`); None: it
    happened at its entry's places."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Correction:
    """A correction the curator made to an entry after publishing it, as newsrooms print them."""

    date: PartialDate
    """When it was made."""
    text: str
    """What was corrected."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Entry:
    """One article of the dossier, with the curator's notes on it."""

    slug: str
    """The file name without `.md`; the page is /entries/<slug>/."""
    path: Path
    """The Markdown file."""
    title: str
    """The curator's headline."""
    date: PartialDate
    """The source's publication date (to the day)."""
    source: Source
    """The article."""
    language: str
    """BCP 47 code of the entry's text."""
    summary: str
    """The curator's own summary."""
    themes: tuple[str, ...]
    """Theme slugs, the first one the entry's main theme."""
    entities: tuple[str, ...] = ()
    """Entity slugs."""
    events: tuple[EventReport, ...] = ()
    """The dated events the article reports."""
    related: tuple[str, ...] = ()
    """Slugs of entries the curator picked as related reading."""
    status: Status = Status.REPORTED
    """How sure the claim is."""
    tags: tuple[str, ...] = ()
    """Free keywords."""
    quotes: tuple[Quote, ...] = ()
    """Quotations from the source."""
    image: Image | None = None
    """An image for the entry."""
    draft: bool = False
    """Left out of the site unless drafts are asked for."""
    further_reading: tuple[FurtherReading, ...] = ()
    """Material outside the dossier the curator recommends."""
    updated: PartialDate | None = None
    """When the curator last changed the entry in substance, if after it was first published."""
    corrections: tuple[Correction, ...] = ()
    """Corrections made to the entry, oldest first."""
    notes_html: str = ""
    """The curator's notes rendered to HTML (escaped, links checked and rewritten)."""
    links: tuple[str, ...] = ()
    """Slugs of entries the notes link to."""

    @property
    def modified(self) -> PartialDate | None:
        """When the entry last changed after it was published: its `updated` date or its latest correction's."""
        dates = [date for date in (self.updated, *(c.date for c in self.corrections)) if date is not None]
        return max(dates) if dates else None


@quick_pickle
@dataclass(frozen=True, slots=True)
class RelatedSettings:
    """How related reading is chosen: dossier.yaml's `related`, with these defaults."""

    count: int = 5
    """Entries shown under "Related reading", the curator's picks included."""
    entities: float = 3.0
    """Weight of a shared entity (times its rarity)."""
    themes: float = 1.0
    """Weight of a shared theme (times its rarity)."""
    tags: float = 1.5
    """Weight of a shared tag (times its rarity)."""
    text: float = 4.0
    """Weight of the similarity of wording (cosine of TF-IDF vectors, 0 to 1)."""
    date: float = 1.0
    """Weight of closeness in publication date (1 on the same day, falling off with `date_days`)."""
    date_days: float = 60.0
    """Days over which date closeness falls to about a third."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Neighbour:
    """An entry recommended after another."""

    slug: str
    """The recommended entry."""
    picked: bool
    """Chosen by the curator (`related`), not computed."""
    wording: bool = False
    """Their wording is notably similar."""
    score: float = 0.0
    """The computed score (0 for the curator's picks)."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Reason:
    """Why an entry is recommended after another, for the reader."""

    picked: bool
    """The curator chose it."""
    shared: tuple[str, ...] = ()
    """What the two share, rarest first: entity names and tags, or else a theme title."""
    shared_theme: bool = False
    """`shared` holds a theme: they share nothing rarer."""
    when: str | None = None
    """How close in time they were published: "day", "week", "month" or None."""
    wording: bool = False
    """Their wording is notably similar."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class FurtherReading:
    """Material outside the dossier, recommended with an entry."""

    title: str
    """What it is."""
    url: str
    """Where it is (http or https)."""
    source: str | None = None
    """Who published it."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Dossier:
    """The dossier itself, from dossier.yaml."""

    title: str
    """The dossier's name."""
    description: str
    """What it is about."""
    language: str
    """BCP 47 code: the interface language and the entries' default language."""
    base_url: str
    """Where the site lives, ending in `/`; its path is the prefix of every internal URL."""
    themes: tuple[Theme, ...]
    """The themes, in the order declared."""
    entities: tuple[Entity, ...] = ()
    """The entities declared."""
    related: RelatedSettings = field(default_factory=RelatedSettings)
    """How related reading is chosen."""
    outlets: tuple[Outlet, ...] = ()
    """The publications declared in `sources`."""
    allow_html: bool = False
    """Raw HTML in notes is kept, sanitised (for trusted authors only)."""
    social_image: Path | None = None
    """An image for link previews (1200×630 suits most sites); one is drawn from the title when not given."""
    method_html: str = ""
    """The curator's description of their method (dossier.yaml's `method`, Markdown), rendered; shown on /about/."""
    messages: dict[str, str | dict[str, str]] = field(default_factory=dict)
    """Interface strings the curator overrides or adds (dossier.yaml's `messages`), by key: a text, or plural forms."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One event on a timeline, merged from every entry that reports it."""

    date: PartialDate
    """When it happened."""
    title: str
    """What happened, as the earliest report puts it."""
    entries: tuple[str, ...]
    """Slugs of the entries that report it, earliest report first."""
    themes: tuple[str, ...]
    """Theme slugs of those entries, in dossier order."""
    id: str | None = None
    """The shared id, if the event has one."""
    end: PartialDate | None = None
    """The end of a span."""
    approximate: bool = False
    """The date is approximate."""
    key: str = ""
    """A stable identifier: the shared id, or the first entry's slug and the event's position in it."""
    reports: tuple[Report, ...] = ()
    """Each entry's report of it, in the order published (claims.py)."""
    history: tuple[StatusChange, ...] = ()
    """How sure the reports made it over time: the first report's status, then each change."""
    origins: tuple[str, ...] = ()
    """The independent origins of its reports, in the order they were first reported."""
    page: str | None = None
    """The path of its page below the base URL (`events/<id as a slug>/`), for an event with an id."""
    places: tuple[str, ...] = ()
    """Slugs of the places it happened at: those its reports name for it, or else the places their entries name."""

    @property
    def status(self) -> Status:
        """How sure the event is now: the last change's status."""
        return self.history[-1].status if self.history else Status.REPORTED


@quick_pickle
@dataclass(frozen=True, slots=True)
class Report:
    """One entry's report of an event."""

    entry: str
    """The entry's slug."""
    status: Status
    """How sure the report makes the event: the event's own status in the entry, else the entry's."""
    origins: tuple[str, ...]
    """The independent origins it relays (its `source.via` followed back through the event's other reports),
    or its own publication (its owner's name, for a declared publication with an owner) when it names none."""
    first: tuple[str, ...] = ()
    """The origins it is the first report of."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class StatusChange:
    """A report that changed how sure an event is."""

    date: PartialDate
    """When the report was published."""
    status: Status
    """The status from then on."""
    entry: str
    """The report's entry."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Tie:
    """Two entities named together, as seen from one of them (site/network.py)."""

    other: str
    """The other entity's slug."""
    weight: float
    """How strong the tie is: the entries naming both, rare pairings counting more."""
    entries: tuple[str, ...]
    """The entries naming both, newest first."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Located:
    """A place with coordinates, as the map shows it (site/places.py)."""

    slug: str
    """The place's entity slug."""
    lat: float
    """Latitude, degrees north."""
    lon: float
    """Longitude, degrees east."""
    entries: int
    """The entries naming it."""
    counts: tuple[tuple[str, int, int], ...]
    """The entries naming it by theme and year of publication: (theme slug, year, entries), in that order."""
    years: tuple[tuple[int, int], ...]
    """The entries naming it by year of publication: (year, entries), in order (an entry has several themes)."""

    def count(self, theme: str | None = None, year: int | None = None) -> int:
        """Return the entries naming it of `theme` published in `year` (either may be None: any)."""
        if theme is None:
            return self.entries if year is None else sum(n for y, n in self.years if y == year)
        return sum(n for t, y, n in self.counts if t == theme and (year is None or y == year))


@dataclass(slots=True)
class Site:
    """The whole dossier assembled: everything a page may need, computed once."""

    dossier: Dossier
    """The dossier's settings."""
    entries: dict[str, Entry]
    """Every published entry by slug, newest first."""
    themes: dict[str, Theme]
    """Themes by slug, in dossier order."""
    entities: dict[str, Entity]
    """Entities by slug, sorted by name."""
    timeline: list[TimelineItem]
    """Every event in date order."""
    by_theme: dict[str, list[str]] = field(default_factory=dict)
    """Entry slugs of each theme, newest first."""
    by_entity: dict[str, list[str]] = field(default_factory=dict)
    """Entry slugs of each entity, newest first."""
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    """Entry slugs whose `related` or notes point to each entry, newest first."""
    related: RelatedReading | None = None
    """Every entry's computed neighbours, computed once for the whole dossier."""
    outlets: dict[str, Outlet] = field(default_factory=dict)
    """Every publication entries come from, by slug, most entries first."""
    by_outlet: dict[str, list[str]] = field(default_factory=dict)
    """Entry slugs of each publication, newest first."""
    outlet_of: dict[str, str] = field(default_factory=dict)
    """The publication slug of each entry."""
    related_themes: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    """Each theme's related themes: (slug, shared entries, shared entities)."""
    citation_keys: dict[str, str] = field(default_factory=dict)
    """Each entry's citation key (citations.py), unique across the dossier."""
    ties: dict[str, list[Tie]] = field(default_factory=dict)
    """Each person's, organization's and place's ties to the others named with it, strongest first (network.py)."""
    places: dict[str, Located] = field(default_factory=dict)
    """Each place with coordinates and entries, most entries first (then by slug): what the maps show."""
