"""Related reading: the curator's picks first, then neighbours computed from what entries share.

Scoring, for a pair of entries: shared entities, tags and themes, each weighted by its rarity (an
inverse document frequency: a theme half the dossier shares says little, a rare entity a lot);
the cosine similarity of their wording (TF-IDF over title, summary, quotes and notes); and how
close their publication dates are. Weights come from dossier.yaml (`related.weights`).

No loop over all pairs. Every feature (an entity, tag, theme or word) is a column of a sparse
matrix weighted so that the product of two rows is the pair's score; one sparse product per block
of rows yields, for each entry, only the entries it shares something with. A feature shared by
more than BUCKET entries would make a quadratic number of pairs while saying little, so its
postings are capped the way an inverted index caps them: it is split into buckets of BUCKET
entries neighbouring in date (two bucketings offset by half a bucket, so no entry sits at an edge
of both). Two entries then share such a feature only when they are close in time, and the work
grows with the number of entries, not with its square.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .model import Entry, Neighbour, Reason, RelatedSettings
from .parallel import map_ranges

_WORD = re.compile(r"[^\W\d_]{3,}")
# Rows scored per sparse product: bounds the memory of the intermediate matrix.
BLOCK = 1024
# Postings longer than this are split into date buckets of this size.
BUCKET = 48
# Words kept per entry for the wording similarity, by TF-IDF weight.
TERMS_PER_ENTRY = 24
# The beginning of the notes that counts for wording: tokenising whole notes costs more than the
# rest of related reading together (Python's regex engine, about 0.2 ms per 500 words), while the
# title, summary and opening of the notes carry the words that set an entry apart.
NOTES_CHARS = 1500
# Words used by more than this share of the entries are left out of the wording (they are function words).
MAX_SHARE = 0.5
# A wording similarity (cosine, 0 to 1) from which the reason "similar wording" is given.
SIMILAR_WORDING = 0.15


@dataclass(frozen=True, slots=True)
class RelatedReading:
    """Every entry's computed neighbours, held as arrays and turned into Neighbours only for the page that shows them."""

    settings: RelatedSettings
    """How many to show."""
    index: dict[str, int]
    """Row of each entry by slug."""
    slugs: list[str]
    """Slug of each row."""
    start: np.ndarray
    """Row i's neighbours are positions start[i] to start[i + 1] of the arrays below, best first."""
    columns: np.ndarray
    """The neighbour's row."""
    scores: np.ndarray
    """Its score."""
    wording: np.ndarray
    """Whether its wording is notably similar."""

    def for_entry(self, entry: Entry, published: Collection[str]) -> list[Neighbour]:
        """Return the entry's related reading: its curator's picks that are `published`, then computed neighbours."""
        picks = [Neighbour(slug, picked=True) for slug in entry.related if slug in published]
        room = max(self.settings.count - len(picks), 0)
        chosen = {entry.slug, *entry.related}
        row = self.index.get(entry.slug)
        computed: list[Neighbour] = []
        if row is not None:
            for k in range(int(self.start[row]), int(self.start[row + 1])):
                slug = self.slugs[int(self.columns[k])]
                if len(computed) == room:
                    break
                if slug not in chosen:
                    computed.append(Neighbour(slug, False, bool(self.wording[k]), round(float(self.scores[k]), 6)))
        return picks + computed


def related_reading(entries: Sequence[Entry], settings: RelatedSettings) -> RelatedReading:
    """Return every entry's nearest neighbours by what it shares with them (see the module's docstring)."""
    # Rows in tie-break order (newer first, then by slug), so a stable sort by score breaks ties right.
    entries = sorted(entries, key=lambda e: (-e.date.first_day().toordinal(), e.slug))
    slugs = [e.slug for e in entries]
    n = len(entries)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return RelatedReading(settings, {}, [], np.zeros(1, dtype=np.int64), empty, empty.astype(np.float64), empty.astype(bool))
    rows, cols, scores, wording = _neighbours(entries, settings)
    start = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    return RelatedReading(settings, {slug: i for i, slug in enumerate(slugs)}, slugs, start, cols, scores, wording)


def _postings(rows: np.ndarray, features: np.ndarray, values: np.ndarray, n: int) -> sparse.csr_matrix:
    """Return the matrix of weighted features, long postings split into overlapping date buckets.

    (rows[k], features[k]) has weight values[k]. Rows are in date order, so consecutive rows of one
    posting are entries neighbouring in time.
    """
    if features.size == 0:
        return sparse.csr_matrix((n, 1))
    order = np.lexsort((rows, features))
    r, f, v = rows[order], features[order], values[order]
    df = np.bincount(f)
    position = np.arange(f.size) - np.searchsorted(f, f, side="left")
    # a short posting is one column; a long one two bucketings, each carrying half of a shared score
    long = df > BUCKET
    first_count = np.where(long, (df - 1) // BUCKET + 1, 1)
    second_count = np.where(long, (df - 1 + BUCKET // 2) // BUCKET + 1, 0)
    width = np.where(df < 2, 0, first_count + second_count)
    base = np.concatenate(([0], np.cumsum(width)[:-1]))
    is_long = long[f]
    first = base[f] + np.where(is_long, position // BUCKET, 0)
    second = base[f] + first_count[f] + (position + BUCKET // 2) // BUCKET
    used = df[f] >= 2
    both = used & is_long
    half = math.sqrt(0.5)
    return sparse.csr_matrix(
        (
            np.concatenate((np.where(is_long, v * half, v)[used], v[both] * half)),
            (np.concatenate((r[used], r[both])), np.concatenate((first[used], second[both]))),
        ),
        shape=(n, max(int(width.sum()), 1)),
    )


def _key_features(entries: Sequence[Entry], settings: RelatedSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return entities, tags and themes as (row, feature, weight): sqrt(weight) times rarity, so a shared one adds weight * rarity²."""
    ids: dict[tuple[str, str], int] = {}
    rows: list[int] = []
    features: list[int] = []
    scales: list[float] = []
    groups = (("e", settings.entities, "entities"), ("g", settings.tags, "tags"), ("t", settings.themes, "themes"))
    for i, entry in enumerate(entries):
        for kind, weight, name in groups:
            for key in getattr(entry, name):
                rows.append(i)
                features.append(ids.setdefault((kind, key), len(ids)))
                scales.append(math.sqrt(weight))
    r, f = np.asarray(rows, dtype=np.int64), np.asarray(features, dtype=np.int64)
    df = np.bincount(f, minlength=len(ids)) if ids else np.zeros(0, dtype=np.int64)
    return r, f, np.asarray(scales, dtype=np.float64) * _rarity_array(df[f], len(entries))


def _rarity_array(df: np.ndarray, n: int) -> np.ndarray:
    return 1.0 + np.log((1 + n) / (1 + df))


def _rarity_of(df: int, n: int) -> float:
    """Return the inverse document frequency of something `df` of `n` entries have."""
    return 1.0 + math.log((1 + n) / (1 + df))


def _term_counts(shared: tuple[str, np.ndarray], start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Return the word counts of texts start..stop as (text, word id, count) arrays, with the words.

    Runs in a worker process: it reads one long string, and sends back arrays and a word list.
    """
    text, bounds = shared
    vocab: dict[str, int] = {}
    rows: list[int] = []
    terms: list[int] = []
    counts: list[int] = []
    for i in range(start, stop):
        for word, k in Counter(_WORD.findall(text, int(bounds[i]), int(bounds[i + 1]))).items():
            rows.append(i)
            terms.append(vocab.setdefault(word, len(vocab)))
            counts.append(k)
    arrays = (np.asarray(rows, dtype=np.int64), np.asarray(terms, dtype=np.int64), np.asarray(counts, dtype=np.float64))
    return (*arrays, list(vocab))


def _texts(entries: Sequence[Entry]) -> tuple[str, np.ndarray]:
    """Return the wording of every entry as one lower-case string, and where each entry's part starts.

    The notes' markup stays in: tag and attribute names are in most entries and drop out as too
    common, while a link's address is a fair sign of a shared subject.
    """
    # casefolded part by part: it may change a text's length (ß becomes ss)
    parts = [" ".join([e.title, e.summary, *(q.text for q in e.quotes), e.notes_html[:NOTES_CHARS], "\n"]).casefold() for e in entries]
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    return "".join(parts), np.concatenate(([0], np.cumsum(lengths)))


def _wording(entries: Sequence[Entry], weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each entry's strongest words as (row, word, weight): TF-IDF, L2-normalised, times sqrt(weight)."""
    n = len(entries)
    rows_parts, term_parts, count_parts = [], [], []
    vocab: dict[str, int] = {}
    for rows, terms, counts, words in map_ranges(_term_counts, n, _texts(entries)):
        local = np.asarray([vocab.setdefault(word, len(vocab)) for word in words], dtype=np.int64)
        rows_parts.append(rows)
        term_parts.append(local[terms] if terms.size else terms)
        count_parts.append(counts)
    rows, terms, counts = np.concatenate(rows_parts), np.concatenate(term_parts), np.concatenate(count_parts)
    df = np.bincount(terms, minlength=len(vocab))
    keep = (df[terms] >= 2) & (df[terms] <= max(MAX_SHARE * n, 2))
    rows, terms, counts = rows[keep], terms[keep], counts[keep]
    tfidf = (1 + np.log(counts)) * np.log((1 + n) / (1 + df[terms]))
    # the strongest words of each entry (ties by word id, for stable output)
    order = np.lexsort((terms, -tfidf, rows))
    rows, terms, tfidf = rows[order], terms[order], tfidf[order]
    per_row = np.bincount(rows, minlength=n)
    rank = np.arange(rows.size) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    top = rank < TERMS_PER_ENTRY
    rows, terms, tfidf = rows[top], terms[top], tfidf[top]
    norms = np.sqrt(np.bincount(rows, weights=tfidf * tfidf, minlength=n))
    return rows, terms, math.sqrt(weight) * tfidf / np.where(norms[rows] > 0, norms[rows], 1.0)


def _neighbours(entries: Sequence[Entry], settings: RelatedSettings) -> tuple[np.ndarray, ...]:
    """Return (row, neighbour's row, score, similar wording) for each entry's best neighbours, row by row, best first.

    More neighbours than shown are kept (as many as the entry has picks besides), since picks are left out later.
    """
    n = len(entries)
    keys = _postings(*_key_features(entries, settings), n)
    text = _postings(*_wording(entries, settings.text), n)
    keys_t, text_t = keys.T.tocsr(), text.T.tocsr()
    days = np.array([e.date.first_day().toordinal() for e in entries], dtype=np.float64)
    want = np.array([settings.count + len(e.related) for e in entries], dtype=np.int64)
    parts: list[tuple[np.ndarray, ...]] = []
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        by_text = (text[start:stop] @ text_t).tocsr()
        scores = (keys[start:stop] @ keys_t) + by_text
        scores.sort_indices()
        scores = scores.tocoo()
        rows, cols = scores.row.astype(np.int64) + start, scores.col.astype(np.int64)
        others = rows != cols
        rows, cols, value = rows[others], cols[others], scores.data[others]
        value = value + settings.date * np.exp(-np.abs(days[rows] - days[cols]) / settings.date_days)
        # one stable sort on (row, score descending); within a row, columns are already in tie-break order
        quantised = np.round(value * 1e6).astype(np.int64)
        order = np.argsort(rows * (1 << 40) - quantised, kind="stable")
        rows, cols, value = rows[order], cols[order], value[order]
        counts = np.bincount(rows - start, minlength=stop - start)
        rank = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
        keep = rank < want[rows]
        rows, cols, value = rows[keep], cols[keep], value[keep]
        if settings.text > 0 and rows.size:
            similar = np.asarray(by_text[rows - start, cols]).ravel() / settings.text >= SIMILAR_WORDING
        else:
            similar = np.zeros(rows.size, dtype=bool)
        parts.append((rows, cols, value, similar))
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(4))


class Explainer:
    """Says why one entry is recommended after another: what they share, rarest first, and when.

    Reasons are made when a page is rendered, not for every candidate pair.
    """

    def __init__(self, entries: Sequence[Entry], names: dict[str, str], theme_titles: dict[str, str]):
        n = len(entries)
        df = Counter(key for e in entries for key in _keys(e))
        self.rank = {key: (-_rarity_of(count, n), key[0] != "e") for key, count in df.items()}
        self.label = {key: names[key[1]] if key[0] == "e" else key[1] for key in df}
        self.theme_titles = theme_titles

    def __call__(self, entry: Entry, other: Entry, neighbour: Neighbour) -> Reason:
        if neighbour.picked:
            return Reason(picked=True)
        common = _keys(entry) & _keys(other)
        items = tuple(self.label[key] for key in sorted(common, key=lambda key: (self.rank[key], self.label[key]))[:3])
        theme = not items
        if theme:
            items = tuple(self.theme_titles[t] for t in entry.themes if t in other.themes)[:1]
        gap = abs(entry.date.first_day().toordinal() - other.date.first_day().toordinal())
        same_month = (entry.date.year, entry.date.month) == (other.date.year, other.date.month)
        when = "day" if gap == 0 else "week" if gap <= 7 else "month" if same_month else None
        return Reason(False, items, theme and bool(items), when, neighbour.wording)


def _keys(entry: Entry) -> set[tuple[str, str]]:
    return {*(("e", s) for s in entry.entities), *(("g", t) for t in entry.tags)}


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
