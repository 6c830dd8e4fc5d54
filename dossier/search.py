"""Full-text search: what entry pages give Pagefind to index, and the Pagefind run over the staged site."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

from pagefind_bin import get_executable

from .compounds import compound_parts
from .model import Entry, Site

BUNDLE = "pagefind"
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


def index_terms(entry: Entry, site: Site) -> str:
    """Return hidden text that makes the entry findable beyond its visible words.

    Entity names and aliases let a search for `Kim Jong Un` find an entry that only lists him as an
    entity; compound parts let `Lieferung` find `Munitionslieferung` in German entries.
    """
    text = " ".join([entry.title, entry.summary, *(q.text for q in entry.quotes), _TAG.sub(" ", entry.notes_html)])
    visible = {word.casefold() for word in _WORD.findall(text)}
    terms: list[str] = []
    for slug in entry.entities:
        entity = site.entities[slug]
        # Only names with a word the reader does not already see: hidden matches crowd the excerpt.
        terms.extend(name for name in (entity.name, *entity.aliases) if not visible.issuperset(w.casefold() for w in _WORD.findall(name)))
    if entry.language.split("-")[0].lower() == "de":
        terms.extend(compound_parts(text))
    return " ".join(dict.fromkeys(terms))


def build_index(site_dir: Path, language: str) -> float:
    """Index `site_dir` with Pagefind into `site_dir/pagefind/`; return the seconds it took.

    The Pagefind binary runs once over the whole staged site. The `pagefind` Python API answers
    each call only after a 0.1 s sleep in its response loop, so adding pages one by one costs
    0.1 s per entry (1,000 s for 10,000 entries); one run of the binary indexes 1,000 pages in
    about 4 s. Every page is indexed as the dossier's language, so a German dossier also finds
    its English entries (Pagefind would otherwise split the index by each page's language).
    """
    started = time.perf_counter()
    command = [
        str(get_executable()), "--site", str(site_dir), "--output-subdir", BUNDLE,
        "--force-language", language.split("-")[0].lower(), "--silent",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(f"could not run Pagefind ({command[0]}): {exc}") from None
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        raise SearchIndexError(f"Pagefind failed with status {done.returncode}: {output}")
    return time.perf_counter() - started
