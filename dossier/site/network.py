"""Who appears with whom: people, organizations and places that entries name together, as a weighted network.

Two entities are tied by the entries that name both. As in related reading, rare pairings count more: each shared
entry adds 1 / (the number of other entities it names), so an entry naming two people ties them more than a
round-up naming twenty, and the sum is divided by the square root of the two entities' entry counts (a cosine), so
that two names seldom seen apart outweigh two names that are everywhere.

/network/ draws the strongest part of it (the largest group tied together among the names with the strongest
ties), laid out at build time (networkx's force-directed layout with a fixed
seed: the same dossier gives the same picture); each entity page lists its closest neighbours.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import EntityKind, Entry, Tie

DRAWN_NODES = 60
"""Entities the picture shows, at most: those with the strongest ties (a graph of 400 is unreadable on a phone)."""
DRAWN_EDGES = 150
"""Ties the picture shows, at most, the strongest among the nodes drawn."""
KINDS = (EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.PLACE)
"""The kinds of entity the network ties; `other` (weapons, documents) is left out."""


@dataclass(frozen=True, slots=True)
class Drawing:
    """The picture of the network: positions in a unit square, and how much was left out."""

    nodes: tuple[tuple[str, float, float, float], ...]
    """Each entity drawn: slug, x and y (0 to 1), and its strength (summed weights of its ties)."""
    edges: tuple[tuple[str, str, float], ...]
    """Each tie drawn: the two slugs and its weight."""
    left_nodes: int
    """Entities with ties that are not drawn."""
    left_edges: int
    """Ties that are not drawn."""


def entity_ties(entries: Iterable[Entry], kinds: Mapping[str, EntityKind]) -> dict[str, list[Tie]]:
    """Return each entity's ties, strongest first (then by the other's slug); `entries` newest first, `kinds` by slug."""
    shared: dict[tuple[str, str], float] = {}
    joining: dict[tuple[str, str], list[str]] = {}
    counts: dict[str, int] = {}
    for entry in entries:
        named = sorted({slug for slug in entry.entities if kinds.get(slug) in KINDS})
        for slug in named:
            counts[slug] = counts.get(slug, 0) + 1
        if len(named) < 2:
            continue
        share = 1 / (len(named) - 1)
        for i, a in enumerate(named):
            for b in named[i + 1 :]:
                shared[a, b] = shared.get((a, b), 0.0) + share
                joining.setdefault((a, b), []).append(entry.slug)
    ties: dict[str, list[Tie]] = {}
    for (a, b), total in shared.items():
        weight = total / math.sqrt(counts[a] * counts[b])
        ties.setdefault(a, []).append(Tie(b, weight, tuple(joining[a, b])))
        ties.setdefault(b, []).append(Tie(a, weight, tuple(joining[a, b])))
    for found in ties.values():
        found.sort(key=lambda tie: (-tie.weight, tie.other))
    return dict(sorted(ties.items()))


def draw(ties: Mapping[str, list[Tie]]) -> Drawing:
    """Return the strongest part of the network laid out in a unit square."""
    import networkx  # only for the one page that draws it

    strength = {slug: sum(tie.weight for tie in found) for slug, found in ties.items()}
    strongest = sorted(strength, key=lambda slug: (-strength[slug], slug))[:DRAWN_NODES]
    # Of those, the largest group tied together: a pair tied only to each other would sit far off and squeeze the rest.
    among = set(strongest)
    whole = networkx.Graph((a, tie.other) for a in strongest for tie in ties[a] if tie.other in among)
    largest = max(networkx.connected_components(whole), key=lambda group: (len(group), sorted(group)), default=set())
    drawn = [slug for slug in strongest if slug in largest]
    keep = set(drawn)
    edges = sorted(
        ((a, tie.other, tie.weight) for a in drawn for tie in ties[a] if a < tie.other and tie.other in keep),
        key=lambda edge: (-edge[2], edge[0], edge[1]),
    )
    total_edges = sum(len(found) for found in ties.values()) // 2
    shown = edges[:DRAWN_EDGES]
    graph = networkx.Graph()
    graph.add_nodes_from(drawn)
    graph.add_weighted_edges_from(shown)
    # A fixed seed and a fixed order of nodes and edges: the same dossier gives the same picture.
    places = networkx.spring_layout(graph, weight="weight", seed=7, iterations=300, k=1.6 / math.sqrt(max(len(drawn), 1))) if drawn else {}
    xs = [float(p[0]) for p in places.values()] or [0.0]
    ys = [float(p[1]) for p in places.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    nodes = tuple(
        (slug, round((float(places[slug][0]) - min(xs)) / span_x, 4), round((float(places[slug][1]) - min(ys)) / span_y, 4), round(strength[slug], 4))
        for slug in drawn
    )
    return Drawing(nodes, tuple((a, b, round(w, 4)) for a, b, w in shown), len(ties) - len(drawn), total_edges - len(shown))
