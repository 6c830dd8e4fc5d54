"""Where the dossier happens: places' coordinates (the curator's or the gazetteer's), /map/ narrowed by theme and
year, the locator maps of place pages and the places of events."""

from __future__ import annotations

import math
import re
import textwrap

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from conftest import DOSSIER_YAML, ROOT, build_dossier, entry, write_dossier

# Coordinates of the sample's cities as GeoNames has them (Kyiv, Pyongyang, Vladivostok), to a hundredth of a degree.
CITIES = {"kiew": (50.45, 30.52), "pjoengjang": (39.03, 125.75), "wladiwostok": (43.11, 131.87)}


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _markers(page: str) -> dict[str, tuple[float, float, float, bool]]:
    """Return each marker's slug: x, y, radius and whether it is shown."""
    tree = HTMLParser(page)
    found = {}
    for a in tree.css("figure.map svg a.marker"):
        circle = a.css_first("circle").attributes
        found[a.attributes["data-slug"]] = (float(circle["cx"]), float(circle["cy"]), float(circle["r"]), a.attributes.get("display") != "none")
    return found


def test_the_sample_map_puts_every_place_at_its_coordinates(sample_site):
    page = (sample_site.root / "dossier/map/index.html").read_text("utf-8")
    markers = _markers(page)
    declared = yaml.safe_load((ROOT / "content/dossier.yaml").read_text("utf-8"))["entities"]
    given = {e["name"]: tuple(e["coordinates"]) for e in declared if e.get("coordinates")}
    assert set(given) == {"Oblast Kursk", "Kosmodrom Wostotschny", "Alabuga", "Kaspisches Meer"}
    where = {**CITIES, "oblast-kursk": given["Oblast Kursk"], "kosmodrom-wostotschny": given["Kosmodrom Wostotschny"],
             "alabuga": given["Alabuga"], "kaspisches-meer": given["Kaspisches Meer"]}  # fmt: skip
    assert set(markers) == set(where)
    # Web Mercator: x grows with longitude, y with Mercator's northing downwards, both at one scale. Two places fix
    # the scale and origin; every other place must then sit where its coordinates put it.
    (xa, ya, *_), (xb, yb, *_) = markers["kiew"], markers["pjoengjang"]
    scale = (xb - xa) / math.radians(where["pjoengjang"][1] - where["kiew"][1])
    assert (ya - yb) == pytest.approx(scale * (_merc(where["pjoengjang"][0]) - _merc(where["kiew"][0])), abs=0.5)
    for slug, (lat, lon) in where.items():
        x, y, radius, shown = markers[slug]
        assert shown and radius > 0
        assert x == pytest.approx(xa + scale * math.radians(lon - where["kiew"][1]), abs=0.5), slug
        assert y == pytest.approx(ya - scale * (_merc(lat) - _merc(where["kiew"][0])), abs=0.5), slug
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', page).groups())
    assert all(0 < x < width and 0 < y < height for x, y, _, _ in markers.values())
    # The land is drawn, and nothing is loaded from elsewhere.
    assert len(HTMLParser(page).css_first("path.land").attributes["d"]) > 5000
    assert "http://" not in page.split("<figure", 1)[1].split("</figure>")[0].replace("http://www.w3.org", "")


def test_the_gazetteer_finds_cities_by_their_german_names_and_warns_at_what_it_lacks(in_tmp):
    places = (
        "  - name: Kiew\n    kind: place\n"  # line 18
        "  - name: Nirgendwostadt\n    kind: place\n"  # line 20
        "  - name: Springfield\n    kind: place\n"  # line 22
        "  - name: Irgendwo\n    kind: place\n    coordinates: [120.5, 30.2]\n"  # coordinates on line 26
        "  - name: Anderswo\n    kind: place\n    coordinates: 50.1, 8.6\n"  # line 29
        "  - name: Jemand\n    kind: person\n    coordinates: [50.1, 8.6]\n"  # line 32
    )
    write_dossier(in_tmp, {"entries/a.md": entry(extra="entities: [Kiew, Pjöngjang]\n")}, DOSSIER_YAML + places)
    from dossier.content.config import load_dossier
    from dossier.problems import Problems

    problems = Problems()
    dossier = load_dossier(in_tmp / "content/dossier.yaml", problems)
    found = {(p.line, p.warning): p.message for p in problems.items}
    assert found[20, True].startswith('field "entities.name": the gazetteer knows no place called "Nirgendwostadt"')
    assert "write its coordinates, as in coordinates: [50.45, 30.52]" in found[20, True]
    assert found[22, True].startswith('field "entities.name": the gazetteer knows several places called "Springfield": Springfield (US) at [')
    assert found[26, False].endswith("found [120.5, 30.2] (latitude first, then longitude)")
    assert found[29, False] == 'field "entities.coordinates": expected latitude and longitude in degrees, as in coordinates: [50.45, 30.52], found "50.1, 8.6"'
    assert "only places are put on the map; this entity is of kind person" in found[32, True]
    assert len(problems.items) == 5
    coordinates = {entity.name: entity.coordinates for entity in dossier.entities}
    assert coordinates["Kiew"] == pytest.approx(CITIES["kiew"], abs=0.01)
    assert coordinates["Pjöngjang"] == pytest.approx(CITIES["pjoengjang"], abs=0.01)
    assert coordinates["Nirgendwostadt"] is coordinates["Springfield"] is coordinates["Jemand"] is None


def test_a_country_stands_at_a_point_inside_it_and_an_alias_is_looked_up_too(in_tmp):
    from dossier.content.gazetteer import locate

    korea = locate(["Nordkorea"], "de").found
    assert korea is not None and korea.country == "KP" and 38 < korea.lat < 43 and 124 < korea.lon < 131
    assert locate(["КНДР"], "ru").found == locate(["Північна Корея"], "uk").found == korea
    vladivostok = locate(["Hafen Wladiwostok", "Wladiwostok"], "de")
    assert vladivostok.label == "Wladiwostok" and vladivostok.found.country == "RU"
    # One Odessa has ten times the people of the other: not ambiguous.
    assert locate(["Odessa"], "de").found.country == "UA"


MAP_FILES = {
    "entries/a.md": entry(title="A", date="2022-03-01", themes="[one]", extra="entities: [Kiew, Pjöngjang]\n"),
    "entries/b.md": entry(title="B", date="2023-05-01", themes="[two]", extra="entities: [Kiew]\n"),
    "entries/c.md": entry(title="C", date="2023-06-01", themes="[one, two]", extra="entities: [Pjöngjang, Kim Jong-un]\n"),
}
KIEW = "  - name: Kiew\n    kind: place\n"


NARROWED = {
    # Worked out by hand from MAP_FILES: entries naming each place under the theme and in the year.
    "map/": {"kiew": 2, "pjoengjang": 2},
    "map/themes/one/": {"kiew": 1, "pjoengjang": 2},
    "map/2023/": {"kiew": 1, "pjoengjang": 1},  # c has two themes and counts once
    "map/themes/two/2023/": {"kiew": 1, "pjoengjang": 1},
    "map/themes/one/2023/": {"kiew": 0, "pjoengjang": 1},
    "map/themes/two/2022/": {"kiew": 0, "pjoengjang": 0},
}


def test_the_map_narrows_by_theme_and_year_on_pages_of_its_own(in_tmp):
    write_dossier(in_tmp, MAP_FILES, DOSSIER_YAML + KIEW)
    build_dossier(in_tmp, search=False)
    whole = _markers((in_tmp / "site/map/index.html").read_text("utf-8"))
    for url, expected in NARROWED.items():
        page = (in_tmp / "site" / url / "index.html").read_text("utf-8")
        markers = _markers(page)
        assert {slug: shown for slug, (_, _, _, shown) in markers.items()} == {slug: n > 0 for slug, n in expected.items()}, url
        for slug, n in expected.items():
            # Sized against the place with most entries on the whole map (2): the area grows with the entries.
            assert markers[slug][2] == (pytest.approx(2.5 + 9.5 * math.sqrt(n / 2), abs=0.05) if n else 0), (url, slug)
        tree = HTMLParser(page)
        rows = {row.attributes["data-slug"]: row for row in tree.css(".map-table tr[data-slug]")}
        assert {slug: int(row.css_first("td").text()) for slug, row in rows.items()} == expected, url
        assert {slug for slug, row in rows.items() if "hidden" not in row.attributes} == {slug for slug, n in expected.items() if n}, url
        assert ("hidden" in tree.css_first("#map-none").attributes) == any(expected.values()), url
        current = [a.attributes["href"] for a in tree.css(".map-filter a[aria-current]")]
        assert len(current) == 2 and all(href == "/sub/" + url for href in current), url
        # The same position on every narrowed map: the frame is the whole dossier's.
        assert {slug: m[:2] for slug, m in markers.items()} == {slug: m[:2] for slug, m in whole.items()}, url


def test_place_pages_locate_their_place_and_event_pages_show_their_places(in_tmp):
    events = """\
    events:
      - date: 2023-05-01
        title: Treffen in Kiew
        id: treffen
        places: [Kiew]
      - date: 2023-05-02
        title: Rückreise
        id: rueckreise
      - date: 2023-05-03
        title: Verwechslung
        places: [Kim Jong-un]
      - date: 2023-05-03
        title: Anderswo
        id: anderswo
        places: []
    """
    files = {"entries/b.md": entry(title="B", date="2023-05-04", extra="entities: [Pjöngjang]\n" + textwrap.dedent(events))}
    write_dossier(in_tmp, files, DOSSIER_YAML + KIEW)
    result = build_dossier(in_tmp, search=False)
    assert [(p.path, p.line, p.message) for p in result.warnings] == [
        ("content/entries/b.md", 19, 'field "events.places": "Kim Jong-un" is declared as person; expected a place (kind: place in dossier.yaml)'),
    ]
    named = lambda url: [a.text() for a in HTMLParser((in_tmp / "site" / url / "index.html").read_text("utf-8")).css("#places-heading + figure figcaption a")]  # noqa: E731
    assert named("events/treffen") == ["Kiew"]
    assert named("events/rueckreise") == ["Pjöngjang", "Kiew"]  # the entry's places, those its events name included
    assert "places-heading" not in (in_tmp / "site/events/anderswo/index.html").read_text("utf-8")  # places: [] names none
    # The entry names Kiew through its event: Kiew's page lists it.
    kiew = HTMLParser((in_tmp / "site/entities/kiew/index.html").read_text("utf-8"))
    assert [a.text() for a in kiew.css(".card-title a")] == ["B"]
    locator = kiew.css_first("figure.locator")
    assert locator is not None and len(locator.css("a.marker")) == 1
    assert "50.45° N, 30.52° O" in locator.css_first("figcaption").text()
    # The marker sits in the middle of its locator map.
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', locator.html).groups())
    circle = locator.css_first("circle").attributes
    assert float(circle["cx"]) == pytest.approx(width / 2, abs=0.5) and float(circle["cy"]) == pytest.approx(height / 2, abs=0.5)
    # A person has no map.
    assert HTMLParser((in_tmp / "site/entities/kim-jong-un/index.html").read_text("utf-8")).css_first("figure.locator") is None
