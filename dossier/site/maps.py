"""Maps drawn at build time: country outlines and markers as SVG, nothing loaded from another server.

A map is a frame (the dossier's places with a margin around them, in the Web Mercator projection readers know from
online maps) and what is drawn in it: the land of Natural Earth's countries clipped to the frame and simplified to
what the frame's scale can show (outlines.py), and a marker per place, its area in proportion to its entries.
Coordinates are SVG user units: `width` across, y downwards.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .. import outlines
from ..model import Located

WIDTH = 800
"""The width of the dossier's map in SVG units (it is drawn at the width of the page, up to 50rem)."""
LIMIT = 82.0
"""Latitudes beyond this are cut off: Mercator stretches the poles without end."""
DETAIL = (0.005, 0.02, 0.05, 0.1, 0.25, 0.5)
"""The simplifications of the outlines made (degrees a point may move): a map takes the coarsest that moves no point
by more than one and a half of its units (a pixel or two), so that a few levels serve every frame."""
MAP_PLACES = 100
"""Places the map shows, at most: those with the most entries (the table beside it lists the same)."""
LABELS = 24
"""Places the map names beside their marker, at most (the largest, where their names do not overlap)."""


def _y(lat: float) -> float:
    """Return Mercator's northing of `lat` (degrees), in radians of the equator."""
    lat = max(-LIMIT, min(LIMIT, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@dataclass(frozen=True, slots=True)
class Frame:
    """What a map shows: a rectangle of Mercator's plane, and the size it is drawn at."""

    west: float
    """Longitude of the left edge, degrees."""
    east: float
    """Longitude of the right edge, degrees."""
    top: float
    """Mercator northing of the top edge (`_y`)."""
    bottom: float
    """Mercator northing of the bottom edge."""
    width: float
    """The drawing's width in SVG units."""

    @property
    def scale(self) -> float:
        """SVG units per radian of longitude."""
        return self.width / math.radians(self.east - self.west)

    @property
    def height(self) -> float:
        return round((self.top - self.bottom) * self.scale, 1)

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """Return where the point at `lat`, `lon` is drawn."""
        return math.radians(lon - self.west) * self.scale, (self.top - _y(lat)) * self.scale

    def bounds(self) -> tuple[float, float, float, float]:
        """Return the frame in degrees: west, south, east, north."""
        return self.west, _lat(self.bottom), self.east, _lat(self.top)


def frame(points: Iterable[tuple[float, float]], width: float, least: float, aspect: tuple[float, float] = (0.5, 0.8)) -> Frame:
    """Return a frame around `points` (latitude, longitude) with a margin of a tenth of their spread, at least
    `least` degrees of longitude across, and as high as `aspect` allows (a height from its first to its second
    number times the width): the narrow side is widened to fit."""
    points = list(points)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    west, east = min(lons), max(lons)
    pad = max((east - west) * 0.1, (least - (east - west)) / 2, 0.0)
    west, east = west - pad, east + pad
    top, bottom = _y(max(lats)), _y(min(lats))
    pad_y = max((top - bottom) * 0.1, math.radians(least) * aspect[0] / 2 - (top - bottom) / 2, math.radians(1.0))
    top, bottom = top + pad_y, bottom - pad_y
    across = math.radians(east - west)
    high = top - bottom
    if high < across * aspect[0]:
        grow = (across * aspect[0] - high) / 2
        top, bottom = top + grow, bottom - grow
    elif high > across * aspect[1]:
        grow = math.degrees(high / aspect[1]) - (east - west)
        west, east = west - grow / 2, east + grow / 2
    # Keep the frame on the plane: past a pole or the date line there is nothing to draw.
    ceiling = _y(LIMIT)
    if top > ceiling:
        top, bottom = ceiling, bottom - (top - ceiling)
    if bottom < -ceiling:
        top, bottom = top + (-ceiling - bottom), -ceiling
    if east - west > 360:
        west, east = -180.0, 180.0
    elif west < -180:
        west, east = -180.0, east + (-180 - west)
    elif east > 180:
        west, east = west - (east - 180), 180.0
    return Frame(round(west, 4), round(east, 4), round(top, 6), round(bottom, 6), width)


def land(frame: Frame) -> str:
    """Return the countries inside `frame` as the `d` of one SVG path, each border stroked once per country."""
    import numpy
    import shapely

    per_unit = (frame.east - frame.west) / frame.width
    tolerance = next((level for level in reversed(DETAIL) if level <= per_unit * 1.5), DETAIL[0])
    west, south, east, north = frame.bounds()
    margin = per_unit * 4
    world, tree = _world(tolerance)
    box = (west - margin, south - margin, east + margin, north + margin)
    clipped = shapely.clip_by_rect(world[numpy.sort(tree.query(shapely.box(*box)))], *box)

    def project(coords: numpy.ndarray) -> numpy.ndarray:
        lat = numpy.clip(coords[:, 1], -LIMIT, LIMIT)
        x = numpy.radians(coords[:, 0] - frame.west) * frame.scale
        y = (frame.top - numpy.log(numpy.tan(numpy.pi / 4 + numpy.radians(lat) / 2))) * frame.scale
        return numpy.column_stack((x, y))

    parts: list[str] = []
    for shape in shapely.transform(clipped, project):
        if shape.is_empty:
            continue
        for polygon in getattr(shape, "geoms", [shape]):
            if polygon.geom_type != "Polygon":
                continue
            if polygon.area < 4:  # an islet smaller than two units square is no more than a speck
                continue
            for ring in (polygon.exterior, *polygon.interiors):
                parts.append(_ring(shapely.get_coordinates(ring)))
    return "".join(part for part in parts if part)


@functools.cache
def _world(tolerance: float) -> tuple[Any, Any]:
    """Return the countries' outlines at `tolerance` as an array, and a tree to find those in a frame."""
    import numpy
    import shapely

    world = numpy.array(outlines.outlines(tolerance), dtype=object)
    return world, shapely.STRtree(world)


def _ring(coords: Any) -> str:
    """Return a closed ring (an array of points) as path commands, at a tenth of a unit, points that round alike
    dropped: an absolute move, then relative ones (most are a few units)."""
    import numpy

    points = numpy.rint(coords * 10).astype(numpy.int64)
    keep = numpy.ones(len(points), dtype=bool)
    keep[1:] = numpy.any(points[1:] != points[:-1], axis=1)
    points = points[keep]
    if len(points) < 4:
        return ""
    moves = numpy.diff(points[:-1], axis=0).tolist()
    near, far = _TENTHS, len(_TENTHS) // 2
    text = [f"M{_n(int(points[0][0]))} {_n(int(points[0][1]))}"]
    text += [f"l{near[x + far] if -far <= x <= far else _n(x)} {near[y + far] if -far <= y <= far else _n(y)}" for x, y in moves]
    return "".join(text) + "z"


def _n(tenths: int) -> str:
    """Return a number given in tenths as SVG writes it shortest."""
    whole, rest = divmod(abs(tenths), 10)
    sign = "-" if tenths < 0 else ""
    return f"{sign}{whole}.{rest}" if rest else f"{sign}{whole}"


_TENTHS = [_n(tenths) for tenths in range(-2000, 2001)]
"""Moves of up to 200 units written out once: a map has some 100,000 of them."""


@dataclass(frozen=True, slots=True)
class Marker:
    """A place on a map."""

    slug: str
    """The place's entity slug."""
    x: float
    y: float
    radius: float
    """In SVG units: its area in proportion to the place's entries."""
    entries: int
    """The entries it stands for on this map."""
    label: tuple[float, float, str] | None = None
    """Where its name is written (x, y, and "start" or "end" for the side), when there is room for it."""


def markers(frame: Frame, found: Sequence[tuple[str, float, float, int]], most: int, names: dict[str, str], largest: float = 12.0) -> list[Marker]:
    """Return a marker for each of `found` (slug, latitude, longitude, entries), largest first, each `largest`
    units across at most for `most` entries; the names of the largest where they do not overlap."""
    taken: list[tuple[float, float, float, float]] = []
    made = []
    for rank, (slug, lat, lon, count) in enumerate(sorted(found, key=lambda f: (-f[3], f[0]))):
        x, y = frame.project(lat, lon)
        radius = _radius(count, most, largest)
        label = _label(x, y, radius, names.get(slug, slug), frame, taken) if rank < LABELS else None
        made.append(Marker(slug, round(x, 1), round(y, 1), radius, count, label))
    return made


def _radius(count: int, most: int, largest: float = 12.0) -> float:
    """Return a marker's radius: 2.5 units for one entry, `largest` for `most`, its area growing with its entries
    (map.js sizes markers alike)."""
    # Halves rounded up, as JavaScript's toFixed does (Python's round goes to even: 7.25 would be 7.2).
    return math.floor((2.5 + (largest - 2.5) * math.sqrt(count / max(most, 1))) * 10 + 0.5) / 10 if count else 0.0


def _label(x: float, y: float, radius: float, name: str, frame: Frame, taken: list[tuple[float, float, float, float]]) -> tuple[float, float, str] | None:
    """Return where to write `name` beside a marker, right of it or else left, where it overlaps no name already
    written and stays inside the frame; None where it cannot."""
    wide, high = 7.2 * len(name) + 4, 16.0  # a 13-unit font: about 0.55 of it per letter
    for side in ("start", "end"):
        left = x + radius + 3 if side == "start" else x - radius - 3 - wide
        box = (left, y - high / 2, left + wide, y + high / 2)
        inside = box[0] >= 0 and box[2] <= frame.width and box[1] >= 0 and box[3] <= frame.height
        if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            taken.append(box)
            return round(x + radius + 3 if side == "start" else x - radius - 3, 1), round(y + 4.5, 1), side
    return None


@dataclass(frozen=True, slots=True)
class Drawing:
    """A map ready for a template."""

    frame: Frame
    """What it shows."""
    land: str
    """The countries, as the `d` of an SVG path."""
    markers: tuple[Marker, ...]
    """The places shown, largest first."""
    left: int = 0
    """Places that would be shown but for MAP_PLACES."""
    most: int = 1
    """The entries of the place with most on the dossier's map: every marker is sized against it."""


@functools.lru_cache(maxsize=16)  # the pages narrowed by theme and year share their frame
def _land(frame: Frame) -> str:
    return land(frame)


def dossier_map(places: Mapping[str, Located], names: Mapping[str, str], theme: str | None = None, year: int | None = None) -> Drawing | None:
    """Return the dossier's map narrowed to `theme` and `year` (None for all): the MAP_PLACES places with most
    entries, in a frame around them all whatever is narrowed, each sized by its entries of `theme` and `year` (0:
    hidden), and named where it would be on the whole map, so that narrowing leaves the map where it is."""
    ranked = list(places.values())
    shown = ranked[:MAP_PLACES]
    if not shown:
        return None
    whole = frame(((p.lat, p.lon) for p in shown), WIDTH, least=20)
    most = shown[0].entries
    counts = {p.slug: p.count(theme, year) for p in shown}
    found = [
        replace(marker, radius=_radius(counts[marker.slug], most), entries=counts[marker.slug])
        for marker in markers(whole, [(p.slug, p.lat, p.lon, p.entries) for p in shown], most, names)
    ]
    left = sum(1 for p in ranked[MAP_PLACES:] if p.count(theme, year))
    return Drawing(whole, _land(whole), tuple(found), left, most)


def counts(place: Located, themes: Sequence[str], years: Sequence[int]) -> tuple[str, str]:
    """Return a place's entries by year and by theme and year, as map.js reads them from the table: the numbers for
    each of `years` joined by commas, and those lists for each of `themes` joined by semicolons, 0 left empty (a
    page of 100 places in 14 themes and 6 years holds some 11 KB of them)."""
    by_year = dict(place.years)
    by_theme: dict[tuple[str, int], int] = {(t, y): n for t, y, n in place.counts}
    per_year = ",".join(str(by_year.get(year, "")) for year in years)
    per_theme = ";".join(",".join(str(by_theme.get((theme, year), "")) for year in years) for theme in themes)
    return per_year, per_theme


def place_map(lat: float, lon: float, slug: str, width: float = 360, least: float = 30) -> Drawing:
    """Return a small map locating one place, some `least` degrees of longitude across."""
    around = frame([(lat, lon)], width, least=least, aspect=(0.6, 0.6))
    return Drawing(around, _land(around), tuple(markers(around, [(slug, lat, lon, 1)], 1, {}, largest=6.0)))


def event_map(places: Sequence[tuple[str, float, float]], names: Mapping[str, str], width: float = 560) -> Drawing | None:
    """Return a map of an event's places (slug, latitude, longitude), each named where there is room."""
    if not places:
        return None
    around = frame(((lat, lon) for _, lat, lon in places), width, least=16)
    return Drawing(around, _land(around), tuple(markers(around, [(slug, lat, lon, 1) for slug, lat, lon in places], 1, names, largest=6.0)))
