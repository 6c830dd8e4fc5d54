"""Related reading: the curator's picks first, then neighbours computed from what entries share.

Scoring, for a pair of entries: shared entities, tags and themes, each weighted by its rarity (an
inverse document frequency: a theme half the dossier shares says little, a rare entity a lot);
the cosine similarity of their wording (TF-IDF over title, summary, quotes and notes); and how
close their publication dates are. Weights come from dossier.yaml (`related.weights`).

The neighbours are computed in nearest.py, for which NumPy and SciPy are imported: a rebuild that takes
related reading from the last build (memo.py) imports neither.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import chain

from ..model import Entry, Neighbour, Reason, RelatedSettings

# The beginning of the notes that counts for wording: the title, summary and opening of the notes
# carry the words that set an entry apart, and counting whole notes would multiply the work.
NOTES_CHARS = 1500


@dataclass(frozen=True, slots=True)
class RelatedReading:
    """Every entry's computed neighbours, held in arrays and turned into Neighbours only for the page that shows them.

    Arrays of the standard library's `array` rather than NumPy's, so that taking it from the last build needs no NumPy.
    """

    settings: RelatedSettings
    """How many to show."""
    index: dict[str, int]
    """Row of each entry by slug."""
    slugs: list[str]
    """Slug of each row."""
    start: array[int]
    """Row i's neighbours are positions start[i] to start[i + 1] of the arrays below, best first."""
    columns: array[int]
    """The neighbour's row."""
    scores: array[float]
    """Its score."""
    wording: array[int]
    """Whether its wording is notably similar (1 or 0)."""

    def for_entry(self, entry: Entry, published: Collection[str]) -> list[Neighbour]:
        """Return the entry's related reading: its curator's picks that are `published`, then computed neighbours."""
        picks = [Neighbour(slug, picked=True) for slug in entry.related if slug in published]
        room = max(self.settings.count - len(picks), 0)
        chosen = {entry.slug, *entry.related}
        row = self.index.get(entry.slug)
        computed: list[Neighbour] = []
        if row is not None:
            for k in range(self.start[row], self.start[row + 1]):
                slug = self.slugs[self.columns[k]]
                if len(computed) == room:
                    break
                if slug not in chosen:
                    computed.append(Neighbour(slug, False, bool(self.wording[k]), round(self.scores[k], 6)))
        return picks + computed

    def differs(self, other: object) -> set[str]:
        """Return the entries whose computed neighbours are not those of `other` (the last build's related
        reading), or all when it is none."""
        if not isinstance(other, RelatedReading) or other.settings != self.settings or other.slugs != self.slugs:
            return set(self.slugs)
        found = set()
        start, theirs = self.start, other.start
        for row, slug in enumerate(self.slugs):
            a, b, c, d = start[row], start[row + 1], theirs[row], theirs[row + 1]
            if self.columns[a:b] != other.columns[c:d] or self.scores[a:b] != other.scores[c:d] or self.wording[a:b] != other.wording[c:d]:
                found.add(slug)
        return found


def related_reading(entries: Sequence[Entry], settings: RelatedSettings) -> RelatedReading:
    """Return every entry's nearest neighbours by what it shares with them (see the module's docstring)."""
    # Rows in tie-break order (newer first, then by slug), so a stable sort by score breaks ties right.
    order = sorted(zip([-e.date.first_day().toordinal() for e in entries], [e.slug for e in entries], range(len(entries))))
    entries = [entries[i] for _, _, i in order]
    slugs = [slug for _, slug, _ in order]
    n = len(entries)
    if n == 0:
        return RelatedReading(settings, {}, [], array("q", [0]), array("q"), array("d"), array("b"))
    import numpy as np  # with nearest.py, only when related reading is computed (see the module docstring)

    from .nearest import neighbours

    days = -np.fromiter((day for day, _, _ in order), dtype=np.int32, count=n)
    rows, cols, scores, wording = neighbours(entries, days, settings)
    start = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    arrays = (array(code, values.astype(kind).tobytes()) for code, kind, values in [("q", np.int64, start), ("q", np.int64, cols), ("d", np.float64, scores), ("b", np.int8, wording)])
    return RelatedReading(settings, {slug: i for i, slug in enumerate(slugs)}, slugs, *arrays)


def _rarity_of(df: int, n: int) -> float:
    """Return the inverse document frequency of something `df` of `n` entries have."""
    return 1.0 + math.log((1 + n) / (1 + df))


class Explainer:
    """Says why one entry is recommended after another: what they share, rarest first, and when.

    Reasons are made when a page is rendered, not for every candidate pair.
    """

    def __init__(self, entries: Sequence[Entry], names: dict[str, str], theme_titles: dict[str, str]):
        n = len(entries)
        self._keys: dict[str, set[tuple[str, str]]] = {}
        """Each entry's keys, made for the entries on the pages rendered."""
        # An entry names each entity and tag once (entries.py): counting names counts entries.
        df = {("e", slug): count for slug, count in Counter(chain.from_iterable(e.entities for e in entries)).items()}
        df.update((("g", tag), count) for tag, count in Counter(chain.from_iterable(e.tags for e in entries)).items())
        self.rank = {key: (-_rarity_of(count, n), key[0] != "e") for key, count in df.items()}
        self.label = {key: names[key[1]] if key[0] == "e" else key[1] for key in df}
        self.theme_titles = theme_titles
        self._place = {key: i for i, key in enumerate(sorted(df, key=lambda key: (self.rank[key], self.label[key])))}
        self._ranked: dict[str, list[tuple[str, str]]] = {}

    def __call__(self, entry: Entry, other: Entry, neighbour: Neighbour) -> Reason:
        if neighbour.picked:
            return Reason(picked=True)
        ranked = self._ranked.get(entry.slug)
        if ranked is None:  # the entry's keys rarest first, made once for its five or so neighbours
            ranked = self._ranked[entry.slug] = sorted(self._keys_of(entry), key=self._place.__getitem__)
        theirs = self._keys_of(other)
        items = tuple(self.label[key] for key in [key for key in ranked if key in theirs][:3])
        theme = not items
        if theme:
            items = tuple(self.theme_titles[t] for t in entry.themes if t in other.themes)[:1]
        gap = abs(entry.date.first_day().toordinal() - other.date.first_day().toordinal())
        same_month = (entry.date.year, entry.date.month) == (other.date.year, other.date.month)
        when = "day" if gap == 0 else "week" if gap <= 7 else "month" if same_month else None
        return Reason(False, items, theme and bool(items), when, neighbour.wording)

    def _keys_of(self, entry: Entry) -> set[tuple[str, str]]:
        keys = self._keys.get(entry.slug)
        if keys is None:
            keys = self._keys[entry.slug] = {*(("e", s) for s in entry.entities), *(("g", t) for t in entry.tags)}
        return keys


def related_themes(entries: Sequence[Entry], theme_slugs: Sequence[str], limit: int = 3) -> dict[str, list[tuple[str, int, int]]]:
    """Return, for each theme, the themes sharing most entries with it, then most entities: (slug, entries, entities)."""
    members: dict[str, set[str]] = {slug: set() for slug in theme_slugs}
    entity_sets: dict[str, set[str]] = {slug: set() for slug in theme_slugs}
    for entry in entries:
        for slug in entry.themes:
            members[slug].add(entry.slug)
            entity_sets[slug].update(entry.entities)
    result = {}
    for slug in theme_slugs:
        scored = [
            (other, len(members[slug] & members[other]), len(entity_sets[slug] & entity_sets[other]))
            for other in theme_slugs
            if other != slug
        ]
        scored = [s for s in scored if s[1] or s[2]]
        scored.sort(key=lambda s: (-s[1], -s[2], theme_slugs.index(s[0])))
        result[slug] = scored[:limit]
    return result
