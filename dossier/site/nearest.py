"""Related reading's neighbours, computed from what entries share (related.py says how pairs are scored).

No loop over all pairs. Every feature (an entity, tag, theme or word) is a column of a sparse
matrix weighted so that the product of two rows is the pair's score; one sparse product per block
of rows yields, for each entry, only the entries it shares something with. A feature shared by
more than BUCKET entries would make a quadratic number of pairs while saying little, so its
postings are capped the way an inverted index caps them: it is split into buckets of BUCKET
entries neighbouring in date (two bucketings offset by half a bucket, so no entry sits at an edge
of both). Two entries then share such a feature only when they are close in time, and the work
grows with the number of entries, not with its square.

At 100,000 entries the work is in two places, both kept in arrays rather than Python objects: counting
words (code points casefolded and cut into words by table lookups, words told apart by hashes, in
threads) and scoring candidates (blocks of rows on every core, each row's candidates pruned to those
that may be among its best before any sorting).

"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

from ..model import Entry, RelatedSettings
from ..parallel import map_ranges, workers
from .related import NOTES_CHARS

T = TypeVar("T")
R = TypeVar("R")
_WORD = re.compile(r"[^\W\d_]{3,}")
# Rows scored per sparse product: bounds the memory of the intermediate matrix.
BLOCK = 1024
# Postings longer than this are split into date buckets of this size.
BUCKET = 48
# Entries whose words are counted together: bounds the memory of one chunk's arrays.
CHUNK = 200
# Words kept per entry for the wording similarity, by TF-IDF weight.
TERMS_PER_ENTRY = 24
# Words used by more than this share of the entries are left out of the wording (they are function words).
MAX_SHARE = 0.5
# A wording similarity (cosine, 0 to 1) from which the reason "similar wording" is given.
SIMILAR_WORDING = 0.15


def _postings(rows: np.ndarray, features: np.ndarray, values: np.ndarray, n: int) -> sparse.csr_matrix:
    """Return the matrix of weighted features, long postings split into overlapping date buckets.

    (rows[k], features[k]) has weight values[k]. Rows are in date order, so consecutive rows of one
    posting are entries neighbouring in time.
    """
    from scipy import sparse  # imported when related reading is computed, not when it is taken from the last build

    if features.size == 0:
        return sparse.csr_matrix((n, 1))
    # by feature, then row: callers give rows in order, so one stable sort by feature is enough
    in_order = bool(np.all(rows[1:] >= rows[:-1]))
    order = np.argsort(features, kind="stable") if in_order else np.lexsort((rows, features))
    r, f, v = rows[order], features[order], values[order]
    del order
    df = np.bincount(f)
    position = np.arange(f.size) - (np.cumsum(df) - df)[f]
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


def _wording(entries: Sequence[Entry], weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each entry's strongest words as (row, word, weight): TF-IDF, L2-normalised, times sqrt(weight)."""
    n = len(entries)
    vocabulary = _Vocabulary()
    chunks = [(start, min(start + CHUNK, n)) for start in range(0, n, CHUNK)]
    counted = _in_threads(lambda bounds: _count_words(entries, *bounds, vocabulary), chunks)
    # word ids in order of first use, so that ties between equally strong words break the same way every time
    renumber = np.empty(vocabulary.size, dtype=np.int64)
    renumber[np.argsort(vocabulary.first_use(), kind="stable")] = np.arange(vocabulary.size)
    df = sum(np.bincount(renumber[terms], minlength=vocabulary.size) for _, terms, _ in counted)
    parts = _in_threads(lambda part: _strongest(*part, renumber, df, n), counted)
    rows, terms, tfidf = (np.concatenate([part[k] for part in parts]) for k in range(3))
    norms = np.sqrt(np.bincount(rows, weights=tfidf * tfidf, minlength=n))
    return rows, terms, math.sqrt(weight) * tfidf / np.where(norms[rows] > 0, norms[rows], 1.0)


def _strongest(rows: np.ndarray, terms: np.ndarray, counts: np.ndarray, renumber: np.ndarray, df: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    """Return the TERMS_PER_ENTRY strongest words of each of these rows as (row, word, TF-IDF), row by row."""
    terms = renumber[terms]
    keep = (df[terms] >= 2) & (df[terms] <= max(MAX_SHARE * n, 2))
    rows, terms, counts = rows[keep], terms[keep], counts[keep]
    tfidf = (1 + np.log(counts)) * np.log((1 + n) / (1 + df[terms]))
    if rows.size == 0:
        return rows, terms, tfidf
    # only words at least as strong as the entry's TERMS_PER_ENTRY-th strongest need sorting
    local = rows - rows[0]
    counts = np.bincount(local)
    begin = np.cumsum(counts) - counts
    grid = np.full((counts.size, counts.max()), -np.inf)
    grid[local, np.arange(rows.size) - np.repeat(begin, counts)] = tfidf
    if grid.shape[1] > TERMS_PER_ENTRY:
        strong = tfidf >= -np.partition(-grid, TERMS_PER_ENTRY - 1, axis=1)[local, TERMS_PER_ENTRY - 1]
        rows, terms, tfidf = rows[strong], terms[strong], tfidf[strong]
    # the strongest words of each entry (ties by word id, for stable output)
    order = np.lexsort((terms, -tfidf, rows))
    rows, terms, tfidf = rows[order], terms[order], tfidf[order]
    counts = np.bincount(rows - rows[0])
    rank = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
    top = rank < TERMS_PER_ENTRY
    return rows[top], terms[top], tfidf[top]


def _count_words(entries: Sequence[Entry], start: int, stop: int, vocabulary: _Vocabulary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the word counts of entries start..stop as (row, word id, count), row by row.

    A word is a run of three or more letters (what _WORD finds) in the casefolded title, summary,
    quotes and opening of the notes. The notes' markup stays in: tag and attribute names are in most
    entries and drop out as too common, while a link's address is a fair sign of a shared subject.
    The text is handled as an array of code points, not as millions of Python strings.
    """
    parts = [" ".join([e.title, e.summary, *(q.text for q in e.quotes), e.notes_html[:NOTES_CHARS], "\n"]) for e in entries[start:stop]]
    bounds = np.concatenate(([0], np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))))
    codes = np.frombuffer("".join(parts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    del parts
    codes, letter, bounds = _CODE_POINTS.casefold(codes, bounds)
    # where runs of letters start and end, alternately
    edges = np.empty(codes.size + 1, dtype=np.int8)
    edges[0], edges[-1] = letter[:1].sum(), -letter[-1:].sum()
    np.subtract(letter[1:], letter[:-1], out=edges[1:-1].view(np.uint8))
    runs = np.flatnonzero(edges)
    del edges, letter
    first, end = runs[0::2], runs[1::2]
    long = end - first >= 3
    first, end = first[long], end[long]
    row = np.searchsorted(bounds, first, side="right") - 1
    h1, h2 = (vocabulary.hash(codes, first, end, k) for k in range(2))
    ids = vocabulary.ids(h1, h2, (np.int64(start) << 32) + first)
    pairs, counts = np.unique((row << 32) | ids, return_counts=True)
    return ((pairs >> 32) + start).astype(np.int32), (pairs & 0xFFFFFFFF).astype(np.int32), counts.astype(np.int32)


class _Vocabulary:
    """Dense ids for words known by two hashes: an open-addressing table in arrays, so a chunk's words are looked up in a few vectorised passes.

    Threads share one vocabulary; a lock keeps its table consistent. What it buys, measured at 10,000 entries
    (benchmarks/generate.py, 2 cores): the words are counted in 0.45 s, against 1.2-1.3 s with a dict of words
    and collections.Counter per entry, same ids: 0.75 s of each build that computes related reading again
    (a cold build, 15 s; a rebuild after a new title or entry, 4-5 s).
    """

    # Bases of two independent 64-bit polynomial hashes of a word's code points (modulo 2**64).
    BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.size = 0
        self._first = np.zeros(0, dtype=np.int64)
        self._powers: list[tuple[np.ndarray, np.ndarray] | None] = [None, None]
        self._allocate(1 << 14)

    def hash(self, codes: np.ndarray, first: np.ndarray, end: np.ndarray, which: int) -> np.ndarray:
        """Return hash `which` of each run codes[first[k]:end[k]]: the sum of code * base**(its place in the run), modulo 2**64."""
        powers, inverse = self._powers_of(which, codes.size)
        with np.errstate(over="ignore"):
            prefix = np.empty(codes.size + 1, dtype=np.uint64)
            prefix[0] = 0
            np.multiply(codes, powers[: codes.size], out=prefix[1:])
            np.cumsum(prefix[1:], out=prefix[1:])
            return (prefix.take(end) - prefix.take(first)) * inverse.take(first)

    def _powers_of(self, which: int, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Return base**k and base**-k modulo 2**64 for k below count (at least), computed once for the longest text."""
        known = self._powers[which]
        if known is None or known[0].size < count:
            result = []
            for b in (self.BASES[which], pow(self.BASES[which], -1, 1 << 64)):
                factors = np.full(max(count, 1 << 16), b, dtype=np.uint64)
                factors[0] = 1
                with np.errstate(over="ignore"):
                    result.append(np.cumprod(factors, dtype=np.uint64))
            known = self._powers[which] = (result[0], result[1])
        return known

    def _allocate(self, slots: int) -> None:
        self.mask = slots - 1
        self.h1 = np.zeros(slots, dtype=np.uint64)
        self.h2 = np.zeros(slots, dtype=np.uint64)
        self.id = np.full(slots, -1, dtype=np.int64)

    def first_use(self) -> np.ndarray:
        """Return where each id's word was first seen (the ordering key given to `ids`)."""
        return self._first[: self.size]

    def ids(self, h1: np.ndarray, h2: np.ndarray, where: np.ndarray) -> np.ndarray:
        """Return the id of each word, adding new words; `where` says where each was seen."""
        with self.lock:
            result = np.empty(h1.size, dtype=np.int64)
            pending = np.arange(h1.size)
            slot = self._home(h1)
            while pending.size:
                found = self.id.take(slot)
                match = (found >= 0) & (self.h1.take(slot) == h1.take(pending)) & (self.h2.take(slot) == h2.take(pending))
                result[pending[match]] = found[match]
                empty = found < 0
                if empty.any():
                    # one new word per empty slot, the first seen there (all of a word's occurrences probe alike)
                    slots, first = np.unique(slot[empty], return_index=True)
                    if 2 * (self.size + slots.size) > self.mask + 1:
                        self._grow()
                        pending = pending[~match]
                        slot = self._home(h1[pending])
                        continue
                    winners = pending[empty][first]
                    self.id[slots] = np.arange(self.size, self.size + slots.size)
                    self.h1[slots], self.h2[slots] = h1[winners], h2[winners]
                    self.size += slots.size
                # past a slot holding another word, on to the next; at a slot just filled, look again
                slot = np.where(empty, slot, (slot + 1) & self.mask)[~match]
                pending = pending[~match]
            # threads may bring a later chunk first: a word's first use is the earliest place seen so far
            if self._first.size < self.size:
                self._first = np.concatenate((self._first, np.full(max(self.size, 2 * self._first.size) - self._first.size, np.iinfo(np.int64).max)))
            np.minimum.at(self._first, result, where)
            return result

    def _home(self, h1: np.ndarray) -> np.ndarray:
        return (h1 >> np.uint64(64 - self.mask.bit_length())).astype(np.int64)

    def _grow(self) -> None:
        used = self.id >= 0
        h1, h2, ids = self.h1[used], self.h2[used], self.id[used]
        self._allocate(4 * (self.mask + 1))
        pending = np.arange(h1.size)
        slot = self._home(h1)
        while pending.size:
            # the words are distinct: in each free slot put the first that lands there, move the others on
            free = self.id[slot] < 0
            slots, first = np.unique(slot[free], return_index=True)
            placed = pending[free][first]
            self.id[slots], self.h1[slots], self.h2[slots] = ids[placed], h1[placed], h2[placed]
            done = np.zeros(pending.size, dtype=bool)
            done[np.flatnonzero(free)[first]] = True
            slot = np.where(free, slot, (slot + 1) & self.mask)[~done]
            pending = pending[~done]


class _CodePoints:
    """What casefolding makes of each code point, and which are letters to _WORD: tables filled in as code points turn up."""

    # Bits of `kind`: the first code point of the casefolding is a letter; there are more; the code point is known.
    LETTER, LONGER, KNOWN = 1, 2, 4

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # np.zeros leaves untouched pages unallocated: only the code points that occur cost memory
        self.kind = np.zeros(0x110000, dtype=np.uint8)
        self.letter = np.zeros(0x110000, dtype=np.uint8)
        self.folded = np.zeros((3, 0x110000), dtype=np.uint32)
        """The first, second and third code point of each one's casefolding (0 for none)."""

    def casefold(self, codes: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the code points casefolded as str.casefold does (character by character), 1 for each that is a letter, and `bounds` moved to match."""
        kind = self.kind.take(codes)
        if not kind.all():
            self._learn(np.unique(codes[kind == 0]))
            kind = self.kind.take(codes)
        folded = self.folded[0].take(codes)
        letter = kind & self.LETTER
        longer = np.flatnonzero(kind & self.LONGER)
        if longer.size == 0:
            return folded, letter, bounds
        second, third = self.folded[1].take(codes[longer]), self.folded[2].take(codes[longer])
        has_third = third != 0
        # np.insert keeps the order of values given for one place: second code points before third ones
        places = np.concatenate((longer + 1, longer[has_third] + 1))
        added = np.concatenate((second, third[has_third]))
        moved = bounds + np.concatenate(([0], np.cumsum(1 + has_third)))[np.searchsorted(longer, bounds)]
        return np.insert(folded, places, added), np.insert(letter, places, self.letter.take(added)), moved

    def _learn(self, codes: np.ndarray) -> None:
        with self.lock:
            for code in codes.tolist():
                folded = chr(code).casefold()
                for k, c in enumerate(folded):
                    self.folded[k, code] = ord(c)
                    self.letter[ord(c)] = _LETTER.fullmatch(c) is not None
                self.kind[code] = self.KNOWN | (self.LONGER if len(folded) > 1 else 0) | self.letter[ord(folded[0])]


_CODE_POINTS = _CodePoints()
_LETTER = re.compile(_WORD.pattern.removesuffix("{3,}"))


def _in_threads(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """Return [func(item) for item in items], run on every core: numpy releases the GIL for the bulk of the work.

    Threads rather than forked processes, so that large results need not travel between processes.
    """
    if len(items) < 2 or workers() < 2:
        return [func(item) for item in items]
    with ThreadPoolExecutor(min(workers(), len(items))) as pool:
        return list(pool.map(func, items))


def neighbours(entries: Sequence[Entry], days: np.ndarray, settings: RelatedSettings) -> tuple[np.ndarray, ...]:
    """Return (row, neighbour's row, score, similar wording) for each entry's best neighbours, row by row, best first.

    More neighbours than shown are kept (as many as the entry has picks besides), since picks are left out later.
    `days` holds each entry's publication day (an ordinal).
    """
    n = len(entries)
    keys = _postings(*_key_features(entries, settings), n)
    text = _postings(*_wording(entries, settings.text), n)
    # date closeness by the number of days between two entries, computed once per possible gap
    closeness = settings.date * np.exp(-np.arange(int(days.max() - days.min()) + 1, dtype=np.float64) / settings.date_days)
    want = np.array([settings.count + len(e.related) for e in entries], dtype=np.int64)
    # one product of [keys | text] with its transpose scores keys and wording at once
    from scipy import sparse

    both = sparse.hstack((keys, text), format="csr")
    shared = (both, both.T.tocsr(), text, days, closeness, want, settings.text)
    parts = map_ranges(_best, n, shared)
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(4))


def _best(shared: tuple, start: int, stop: int) -> tuple[np.ndarray, ...]:
    """Return _neighbours' arrays for rows start..stop, one sparse product per block of rows."""
    both, both_t, text, days, closeness, want, text_weight = shared
    parts = []
    for first in range(start, stop, BLOCK):
        last = min(first + BLOCK, stop)
        scores = both[first:last] @ both_t
        counts = np.diff(scores.indptr)
        gap = days.take(scores.indices)
        gap -= np.repeat(days[first:last], counts)
        value = scores.data
        value += closeness.take(np.abs(gap, out=gap))
        # an entry is among its own candidates: one more is wanted, and it is dropped afterwards
        keep = np.flatnonzero(_may_be_best(value, scores.indptr, want[first:last] + 1))
        rows = np.searchsorted(scores.indptr, keep, side="right") - 1 + first
        cols, value = scores.indices[keep].astype(np.int64), value[keep]
        others = rows != cols
        rows, cols, value = rows[others], cols[others], value[others]
        # ranked by score to the sixth decimal, then by column (the tie-break order)
        order = np.lexsort((cols, -np.round(value * 1e6).astype(np.int64), rows))
        rows, cols, value = rows[order], cols[order], value[order]
        counts = np.bincount(rows - first, minlength=last - first)
        rank = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
        best = rank < want[rows]
        rows, cols, value = rows[best], cols[best], value[best]
        if text_weight > 0 and rows.size:
            by_text = np.asarray(text[rows].multiply(text[cols]).sum(axis=1)).ravel()
            similar = by_text / text_weight >= SIMILAR_WORDING
        else:
            similar = np.zeros(rows.size, dtype=bool)
        parts.append((rows, cols, value, similar))
    if not parts:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=bool))
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(4))


# Groups a row's candidates are cut into by _may_be_best.
GROUPS = 64


def _may_be_best(value: np.ndarray, indptr: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Return which candidates may be among the `want[row]` best of their row (rows as in a CSR matrix), without sorting them.

    A row's candidates are cut into GROUPS groups. Each group's best is a candidate, so at least `want`
    candidates score as much as the want-th best of the groups' bests: whatever scores less (by more
    than the rounding of scores to the sixth decimal) cannot be among the best.
    """
    counts = np.diff(indptr)
    groups = max(GROUPS, 4 * int(want.max(initial=0)))
    starts = (indptr[:-1, None] + counts[:, None] * np.arange(groups) // groups).ravel()
    # the sentinel lets empty rows at the end start a group; rows with fewer candidates than groups keep them all
    bests = np.maximum.reduceat(np.append(value, -np.inf), starts).reshape(-1, groups)
    rank = want.clip(1, groups) - 1
    floor = -np.partition(-bests, np.unique(rank), axis=1)[np.arange(counts.size), rank] - 2e-6
    floor[(counts < groups) | (want > groups)] = -np.inf
    return value >= np.repeat(floor, counts)
