"""Who appears with whom: the ties between entities (site/network.py), /network/ and the entity pages' neighbours,
checked against a small dossier worked out by hand."""

from __future__ import annotations

import math

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from conftest import DOSSIER_YAML, build_dossier, entry, write_dossier

ORGANIZATION = "  - name: Yonhap\n    kind: organization\n"
FILES = {
    "entries/a.md": entry(title="Erster", date="2022-09-01", extra="entities: [Kim Jong-un, Pjöngjang]\n"),
    "entries/b.md": entry(title="Zweiter", date="2022-09-02", extra="entities: [Kim Jong-un, Pjöngjang, Yonhap]\n"),
    "entries/c.md": entry(title="Dritter", date="2022-09-03", extra="entities: [Kim Jong Un, Yonhap, Sonstiges Ding]\n"),
}
# Worked out by hand. Kim is named by 3 entries, Pjöngjang and Yonhap by 2 each ("Sonstiges Ding" is of kind
# other: left out). a ties Kim and Pjöngjang with 1; b names three, so each of its pairs gets 1/2; c ties Kim and
# Yonhap with 1. Kim–Pjöngjang: (1 + 1/2) / sqrt(3 * 2); Kim–Yonhap the same; Pjöngjang–Yonhap: (1/2) / sqrt(2 * 2).
STRONG, WEAK = 1.5 / math.sqrt(6), 0.5 / 2


def test_ties_weigh_shared_entries_and_rare_pairings(in_tmp):
    from dossier.model import EntityKind
    from dossier.site.network import entity_ties

    write_dossier(in_tmp, FILES, DOSSIER_YAML + ORGANIZATION)
    from test_dataexport import load_site

    site = load_site(in_tmp)
    ties = entity_ties(site.entries.values(), {slug: e.kind for slug, e in site.entities.items()})
    assert site.entities["sonstiges-ding"].kind is EntityKind.OTHER and "sonstiges-ding" not in ties
    assert [(t.other, pytest.approx(t.weight), t.entries) for t in ties["kim-jong-un"]] == [
        ("pjoengjang", pytest.approx(STRONG), ("b", "a")), ("yonhap", pytest.approx(STRONG), ("c", "b")),
    ]  # fmt: skip
    assert [(t.other, pytest.approx(t.weight)) for t in ties["pjoengjang"]] == [("kim-jong-un", pytest.approx(STRONG)), ("yonhap", pytest.approx(WEAK))]
    assert site.ties == ties


def test_entity_pages_list_their_neighbours_and_the_network_page_draws_them(in_tmp):
    write_dossier(in_tmp, FILES, DOSSIER_YAML + ORGANIZATION)
    build_dossier(in_tmp, search=False)
    kim = HTMLParser((in_tmp / "site/entities/kim-jong-un/index.html").read_text("utf-8"))
    rows = kim.css("ul.neighbours li")
    assert [row.css_first("a").text() for row in rows] == ["Pjöngjang", "Yonhap"]
    assert [[a.attributes["href"] for a in row.css("a")[1:]] for row in rows] == [["/sub/entries/b/", "/sub/entries/a/"], ["/sub/entries/c/", "/sub/entries/b/"]]
    assert "2 Einträge" in rows[0].text()
    page = (in_tmp / "site/network/index.html").read_text("utf-8")
    tree = HTMLParser(page)
    assert sorted(a.attributes["href"] for a in tree.css("svg a")) == ["/sub/entities/kim-jong-un/", "/sub/entities/pjoengjang/", "/sub/entities/yonhap/"]
    widths = sorted(float(line.attributes["stroke-width"]) for line in tree.css("svg line"))
    assert widths == [pytest.approx(0.6 + 4 * WEAK / STRONG, abs=0.01), 4.6, 4.6]
    assert tree.css_first("figcaption").text().startswith("Die 3 am stärksten verbundenen Namen und die 3 stärksten Verbindungen")
    assert [li.css_first("a").text() for li in tree.css("ul.network-list li")] == ["Kim Jong-un", "Pjöngjang", "Yonhap"]
    # The same dossier, the same picture.
    build_dossier(in_tmp, search=False)
    assert (in_tmp / "site/network/index.html").read_text("utf-8") == page


def test_the_drawing_keeps_the_strongest_and_says_what_it_leaves_out(monkeypatch):
    from dossier.model import Tie
    from dossier.site import network

    monkeypatch.setattr(network, "DRAWN_NODES", 3)
    monkeypatch.setattr(network, "DRAWN_EDGES", 2)
    names = "abcde"
    ties = {a: [] for a in names}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            weight = 1.0 / (1 + names.index(a) + names.index(b))  # a-b strongest, d-e weakest
            ties[a].append(Tie(b, weight, ("x",)))
            ties[b].append(Tie(a, weight, ("x",)))
    for found in ties.values():
        found.sort(key=lambda tie: (-tie.weight, tie.other))
    drawing = network.draw(ties)
    assert [node[0] for node in drawing.nodes] == ["a", "b", "c"]
    assert [(a, b) for a, b, _ in drawing.edges] == [("a", "b"), ("a", "c")]
    assert (drawing.left_nodes, drawing.left_edges) == (2, 10 - 2)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for _, x, y, _ in drawing.nodes)
