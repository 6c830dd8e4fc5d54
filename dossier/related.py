"""Related reading: the curator's picks first, then neighbours computed from what entries share.

Scoring, for a pair of entries: shared entities, tags and themes, each weighted by its rarity (an
inverse document frequency: a theme half the dossier shares says little, a rare entity a lot);
the cosine similarity of their wording (TF-IDF over title, summary, quotes and notes); and how
close their publication dates are. Weights come from dossier.yaml (`related.weights`).

No loop over all pairs: every feature is a column of a sparse matrix, and one sparse product per
block of rows yields, for each entry, only the entries it shares at least one feature with.
Features shared by a large part of the dossier are left out of that product (they would make
almost every pair a candidate while saying little), as in an inverted index with capped postings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .model import Entry, Neighbour, RelatedSettings

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W\d_]{3,}")
# Rows scored per sparse product: bounds the memory of the intermediate matrix.
BLOCK = 2048
# A feature shared by more entries than this (and by more than MAX_SHARE of them) does not make candidates.
CAP = 1000
MAX_SHARE = 0.3
# Terms kept per entry for the wording similarity, by TF-IDF weight.
TERMS_PER_ENTRY = 40


def related_reading(
    entries: Sequence[Entry], names: dict[str, str], theme_titles: dict[str, str], settings: RelatedSettings
) -> dict[str, list[Neighbour]]:
    """Return, for every entry, its related reading: the curator's picks, then computed neighbours.

    `entries` is the whole dossier (newest first); `names` maps entity slugs to their names.
    """
    result: dict[str, list[Neighbour]] = {}
    index = {entry.slug: i for i, entry in enumerate(entries)}
    computed = _neighbours(entries, names, theme_titles, settings) if entries else {}
    for entry in entries:
        picks = [Neighbour(slug, picked=True) for slug in entry.related if slug in index][: max(settings.count, len(entry.related))]
        room = max(settings.count - len(picks), 0)
        chosen = {entry.slug, *entry.related}
        extra = [n for n in computed.get(entry.slug, []) if n.slug not in chosen][:room]
        result[entry.slug] = picks + extra
    return result


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return np.log((1 + n) / (1 + df)) + 1.0


def _feature_matrix(rows: list[list[str]], n: int, weight: float, keep: bool) -> tuple[sparse.csr_matrix, dict[str, int], np.ndarray]:
    """Return a binary-feature matrix weighted by sqrt(weight) * idf, so that X @ X.T sums weight * idf²."""
    vocab: dict[str, int] = {}
    r, c = [], []
    for i, keys in enumerate(rows):
        for key in keys:
            r.append(i)
            c.append(vocab.setdefault(key, len(vocab)))
    df = np.bincount(np.asarray(c, dtype=np.int64), minlength=len(vocab)).astype(np.float64)
    idf = _idf(df, n)
    values = math.sqrt(weight) * idf[c] if c else np.zeros(0)
    if not keep:
        common = (df > CAP) & (df > MAX_SHARE * n) | (df < 2)
        values = np.where(common[c], 0.0, values) if c else values
    matrix = sparse.csr_matrix((values, (r, c)), shape=(n, max(len(vocab), 1)))
    matrix.eliminate_zeros()
    return matrix, vocab, idf


def _text_matrix(entries: Sequence[Entry], weight: float) -> sparse.csr_matrix:
    """Return each entry's TF-IDF vector (its strongest terms, L2-normalised) scaled by sqrt(weight)."""
    n = len(entries)
    counts = []
    df: Counter[str] = Counter()
    for entry in entries:
        text = " ".join([entry.title, entry.summary, *(q.text for q in entry.quotes), _TAG.sub(" ", entry.notes_html)])
        tf = Counter(_WORD.findall(text.casefold()))
        counts.append(tf)
        df.update(tf.keys())
    limit = min(CAP, MAX_SHARE * n) if n > 10 else n
    vocab = {term: i for i, term in enumerate(t for t, d in df.items() if 2 <= d <= max(limit, 2))}
    r, c, v = [], [], []
    for i, tf in enumerate(counts):
        weights = [(term, (1 + math.log(k)) * math.log((1 + n) / (1 + df[term]))) for term, k in tf.items() if term in vocab]
        weights.sort(key=lambda tw: -tw[1])
        weights = weights[:TERMS_PER_ENTRY]
        norm = math.sqrt(sum(w * w for _, w in weights)) or 1.0
        for term, w in weights:
            r.append(i)
            c.append(vocab[term])
            v.append(math.sqrt(weight) * w / norm)
    return sparse.csr_matrix((v, (r, c)), shape=(n, max(len(vocab), 1)))


def _neighbours(
    entries: Sequence[Entry], names: dict[str, str], theme_titles: dict[str, str], settings: RelatedSettings
) -> dict[str, list[Neighbour]]:
    n = len(entries)
    keys, _, _ = _feature_matrix([[*e.entities] for e in entries], n, settings.entities, keep=False)
    tags, _, _ = _feature_matrix([[*e.tags] for e in entries], n, settings.tags, keep=False)
    themes, _, _ = _feature_matrix([[*e.themes] for e in entries], n, settings.themes, keep=True)
    shared_keys = sparse.hstack([keys, tags], format="csr")
    text = _text_matrix(entries, settings.text)
    theme_dense = themes.toarray()
    days = np.array([e.date.first_day().toordinal() for e in entries], dtype=np.float64)
    slug_rank = np.argsort(np.argsort(np.array([e.slug for e in entries])))
    nearby = _theme_neighbours(entries, settings.count)
    idf_of = _rarity(entries)
    result: dict[str, list[Neighbour]] = {}
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        by_keys = (shared_keys[start:stop] @ shared_keys.T).tocsr()
        by_text = (text[start:stop] @ text.T).tocsr()
        for row in range(stop - start):
            i = start + row
            key_cols, key_values = _row(by_keys, row)
            text_cols, text_values = _row(by_text, row)
            cols = np.union1d(np.union1d(key_cols, text_cols), nearby[i])
            key_score = np.zeros(cols.size)
            key_score[np.searchsorted(cols, key_cols)] = key_values
            text_score = np.zeros(cols.size)
            text_score[np.searchsorted(cols, text_cols)] = text_values
            others = cols != i
            cols, key_score, text_score = cols[others], key_score[others], text_score[others]
            if cols.size == 0:
                continue
            theme_score = theme_dense[cols] @ theme_dense[i]
            date_score = settings.date * np.exp(-np.abs(days[cols] - days[i]) / settings.date_days)
            score = key_score + text_score + theme_score + date_score
            want = settings.count + len(entries[i].related)
            # best score first, then the newer entry, then the slug: stable output
            order = np.lexsort((slug_rank[cols], -days[cols], -np.round(score, 9)))[:want]
            result[entries[i].slug] = [
                _explain(entries[i], entries[cols[k]], float(score[k]), float(text_score[k]), names, theme_titles, idf_of, settings)
                for k in order
            ]
    return result


def _row(matrix: sparse.csr_matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the column indices and values of one row of a CSR matrix, without copying the matrix."""
    begin, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[begin:end], matrix.data[begin:end]


def _theme_neighbours(entries: Sequence[Entry], count: int) -> list[np.ndarray]:
    """Return, for each entry, the `count` entries published nearest before and after it in its main theme.

    They are always candidates, so an entry that shares nothing rare still gets related reading.
    """
    by_theme: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        by_theme.setdefault(entry.themes[0], []).append(i)
    near: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(entries)
    for members in by_theme.values():
        for position, i in enumerate(members):
            near[i] = np.array(members[max(position - count, 0) : position + count + 1], dtype=np.int64)
    return near


def _rarity(entries: Sequence[Entry]) -> dict[str, float]:
    """Return how rare each entity, tag and theme is (its idf), to order the reasons given."""
    df: Counter[str] = Counter()
    for entry in entries:
        df.update({f"e:{s}" for s in entry.entities} | {f"g:{t}" for t in entry.tags} | {f"t:{t}" for t in entry.themes})
    n = len(entries)
    return {key: math.log((1 + n) / (1 + d)) for key, d in df.items()}


def _explain(
    entry: Entry, other: Entry, score: float, text_score: float, names: dict[str, str], theme_titles: dict[str, str],
    rarity: dict[str, float], settings: RelatedSettings,
) -> Neighbour:  # fmt: skip
    """Return `other` as a neighbour of `entry`, with what they share, rarest first."""
    shared = sorted(
        [(rarity[f"e:{s}"], names[s]) for s in set(entry.entities) & set(other.entities)]
        + [(rarity[f"g:{t}"], t) for t in set(entry.tags) & set(other.tags)],
        key=lambda pair: (-pair[0], pair[1]),
    )
    items = [name for _, name in shared[:3]]
    if not items:
        items = [theme_titles[t] for t in entry.themes if t in other.themes][:1]
    gap = abs(entry.date.first_day().toordinal() - other.date.first_day().toordinal())
    same_month = (entry.date.year, entry.date.month) == (other.date.year, other.date.month)
    when = "day" if gap == 0 else "week" if gap <= 7 else "month" if same_month else None
    wording = settings.text > 0 and text_score / settings.text >= 0.15
    return Neighbour(other.slug, False, tuple(items), when, wording, round(score, 6))


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
