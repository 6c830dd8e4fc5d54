"""Slugs: the `[a-z0-9-]` names of pages, made from titles and names by transliteration."""

from __future__ import annotations

import functools
import hashlib
import re

from slugify import slugify

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# python-slugify transliterates any script (Erdoğan -> erdogan); German readers expect umlauts
# spelled out (Überfall -> ueberfall), which plain transliteration drops to a single vowel.
_GERMAN = [["Ä", "Ae"], ["ä", "ae"], ["Ö", "Oe"], ["ö", "oe"], ["Ü", "Ue"], ["ü", "ue"], ["ß", "ss"]]


# Longer slugs are cut (file names have limits) and given a hash of the whole, so they stay distinct.
MAX_LENGTH = 80


@functools.lru_cache(maxsize=1 << 16)  # names, sources and title words recur across thousands of entries
def make_slug(text: str, language: str = "en") -> str:
    """Return the slug for a title or name in `language`."""
    replacements = _GERMAN if language.split("-")[0].lower() == "de" else []
    slug = slugify(text, replacements=replacements) or "x"
    if len(slug) <= MAX_LENGTH:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return slug[: MAX_LENGTH - 9].rstrip("-") + "-" + digest


def is_slug(text: str) -> bool:
    """Return whether `text` is a valid slug."""
    return SLUG.fullmatch(text) is not None
