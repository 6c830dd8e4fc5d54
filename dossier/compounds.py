"""German compound words split into their parts, so search finds `Lieferung` in `Munitionslieferung`.

Pagefind matches words by prefix: `Munition` finds `Munitionslieferung`, `Lieferung` does not. The
entry page therefore carries the later parts of its long German words as hidden index text.
compound-split (char_split) ships its n-gram statistics, so it needs no dictionary download and
works offline; only splits it scores as likely (above 0) are used.
"""

from __future__ import annotations

import re
from functools import lru_cache


_WORD = re.compile(r"[^\W\d_]{9,}")
MIN_PART = 4
MIN_SCORE = 0.0


@lru_cache(maxsize=65536)
def split_word(word: str) -> tuple[str, ...]:
    """Return the parts after the first of a German compound (`Artilleriemunition` -> `Munition`), recursively."""
    # Imported here: loading its n-gram tables takes about 2 s and 370 MB, needed only when indexing German text.
    from compound_split import char_split

    candidates = char_split.split_compound(word)
    if not candidates:
        return ()
    score, head, tail = candidates[0]
    if score <= MIN_SCORE or len(head) < MIN_PART or len(tail) < MIN_PART:
        return ()
    return (tail, *split_word(tail))


def compound_parts(text: str) -> list[str]:
    """Return the parts of every compound in `text` not already in it, in first-seen order."""
    present = {word.casefold() for word in re.findall(r"\w+", text)}
    parts: dict[str, None] = {}
    for word in dict.fromkeys(_WORD.findall(text)):
        for part in split_word(word):
            if part.casefold() not in present:
                parts.setdefault(part, None)
    return list(parts)
