"""Full-text search: what entry pages give Pagefind to index, and the Pagefind runs over the staged site.

The entry pages are indexed by one Pagefind run into one bundle (`pagefind/`) as long as that run fits the
memory budget (SEARCH_MEMORY): a reader's first search then loads one WebAssembly module, one
metadata file and one index chunk per word. A larger dossier is split into as few shards as the budget
allows, each indexed by its own run into its own bundle (`pagefind-1/`, ...), which the search page merges
in the browser. A rebuild indexes only the shards whose pages changed and carries the other bundles over.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind_bin import get_executable

from .. import tuning
from ..hashing import digest, engine_key
from ..model import Entry, Site
from .compounds import compound_parts

BUNDLE = "pagefind"
"""The first bundle's folder; every bundle's folder starts with it."""
SEARCH_MEMORY = 4096
"""The memory one Pagefind run may take, in MB (MEMORY_VARIABLE sets another): a dossier whose entries would take
more is indexed in shards, each within it. One run over 10,000 generated entries took 2.8 GB; two runs go at a
time (tuning.PARALLEL_RUNS), so a build may take twice this for its search index."""
PAGE_MEMORY = 250_000
"""Bytes a Pagefind run takes per page it indexes, besides TEXT_MEMORY: measured as the peak resident memory of
runs over 1,000 to 10,000 generated entry pages (pagefind 1.5), 0.28 MB a page with some 4.8 KB of text each,
and 0.37 MB when 16 KB more text was added to each."""
TEXT_MEMORY = 5.5
"""Bytes a Pagefind run takes per byte of a page's text (title, summary, quotes and notes as HTML)."""
SHARDS_VARIABLE = "DOSSIER_SEARCH_SHARDS"
"""An environment variable that forces the number of shards (for tests and benchmarks)."""
MEMORY_VARIABLE = "DOSSIER_SEARCH_MEMORY"
"""An environment variable that sets the memory budget of one Pagefind run in MB (SEARCH_MEMORY)."""
SORTS = "sorts.json"
"""Beside the first bundle of several: each sort's values, per bundle in ascending order, to order sorted results
across bundles (static/search/pagefind.js)."""
FILTERS = "filters.json"
"""Beside the first bundle: what the search page shows before it loads Pagefind's filter index, each filter's
MOST_VALUES commonest values with their counts (static/search/pagefind.js)."""
MOST_VALUES = 30
"""Values of each filter the search page shows, at most: those of the most entries (and any a reader chose).
A dossier of 10,000 entries names some 700 people and places and 300 tags; every one of them as a checkbox made
the search page 2,500 elements, most of its work on a phone. A reader finds a rarer one by searching for its
name, which every entry naming it is indexed with."""
_SORT = re.compile(rb'data-pagefind-sort="([^":]+):([^"]*)"')
_FILTER = re.compile(rb'data-pagefind-filter="([^"]+)">([^<]*)<')
UI_FILES = frozenset({
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
})  # fmt: skip
"""Pagefind's user interface: the files each bundle gets a copy of, used only from the first one."""
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
    if splits_compounds(entry):
        terms.extend(compound_parts(text))
    return " ".join(dict.fromkeys(terms))


def splits_compounds(entry: Entry) -> bool:
    """Return whether the entry's index text gets the parts of its compounds: it is in German."""
    return entry.language.split("-")[0].lower() == "de"


def plan_shards(entry_pages: Mapping[str, int], count: int | None = None, budget: int | None = None) -> list[list[str]]:
    """Split the entry pages (paths below the site, each with the bytes of its text) into shards; the first
    shard's bundle is `pagefind/`.

    There are as few shards as keep each run's memory (run_memory) within `budget` bytes (else MEMORY_VARIABLE's
    MB, else SEARCH_MEMORY's), with a twentieth to spare as the shards differ in size, or `count`, or as
    many as SHARDS_VARIABLE says, but never more than there are pages. A page's shard follows from a hash of its
    path, so editing an entry changes one shard. A shard the hash left empty (only when there are few pages)
    takes one page from the largest, as Pagefind cannot index an empty folder.
    """
    if count is None and os.environ.get(SHARDS_VARIABLE, "").strip():
        count = int(_number(SHARDS_VARIABLE))
    if count is None:
        budget = budget or int((_number(MEMORY_VARIABLE) if os.environ.get(MEMORY_VARIABLE, "").strip() else SEARCH_MEMORY) * 2**20)
        count = math.ceil(run_memory(entry_pages.values()) / (budget * 0.95))
    count = max(1, min(count, len(entry_pages)))
    shards: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(entry_pages):
        shards[int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big") % count].append(path)
    for shard in shards if entry_pages else ():
        if not shard:
            largest = max(shards, key=len)
            shard.append(largest.pop())
    return shards


def _number(variable: str) -> float:
    """Return the positive number the environment variable says; raise SearchIndexError if it says something else."""
    value = os.environ[variable].strip()
    try:
        number = float(value)
    except ValueError:
        number = 0
    if not number > 0:
        raise SearchIndexError(f"{variable} must be a positive number, not {value!r}")
    return number


def run_memory(text_sizes: Iterable[int]) -> float:
    """Return the bytes a Pagefind run takes (at its peak, about) to index pages with text of these sizes."""
    sizes = list(text_sizes)
    return len(sizes) * PAGE_MEMORY + TEXT_MEMORY * sum(sizes)


def text_size(entry: Entry) -> int:
    """Return the bytes of the entry's text that its page gives Pagefind, as run_memory counts them."""
    return len(entry.title) + len(entry.summary) + len(entry.notes_html) + sum(len(quote.text) for quote in entry.quotes)


def bundle_names(shards: list[list[str]]) -> list[str]:
    """Return the folder, below the site, of each shard's bundle."""
    return [BUNDLE if index == 0 else f"{BUNDLE}-{index}" for index in range(len(shards))]


@dataclass(frozen=True, slots=True)
class Bundle:
    """One bundle of the search index, as the build that made it recorded it."""

    pages: tuple[str, ...]
    """The pages its shard indexed (paths below the site), in the shard's order."""
    sorts: dict[str, tuple[str, ...]]
    """Each sort's values over those pages, ascending (what sorts.json holds for it)."""
    filters: dict[str, dict[str, int]]
    """Each filter's values over those pages, with the number of pages that have each."""
    keys: tuple[bytes, ...] = ()
    """Each page's index key then (index_key), in the same order."""


def search_key(language: str) -> bytes:
    """Return a key over what every bundle depends on besides its pages: the engine, Pagefind, the language."""
    executable = Path(get_executable())
    found = executable.stat()
    return digest(engine_key() + repr((language, str(executable), found.st_mtime_ns, found.st_size)).encode())


def index_key(entry: Entry, site: Site, full_key: bytes, build_key: bytes) -> bytes:
    """Return a key over what Pagefind reads of the entry's page: its indexed body and the meta data, filters and
    sort beside it, which show the entry itself (`full_key`), the titles of its themes, the names of its entities,
    the dossier's title and language, and what the templates and engine make of them (`build_key`).

    Not the page's key: editing another entry changes the related reading and links on many entry pages,
    which search does not read, and their bundles stay as they are.
    """
    dossier = site.dossier
    themes = [(slug, site.themes[slug].title, site.themes[slug].index) for slug in entry.themes]
    entities = [(slug, site.entities[slug].name, site.entities[slug].aliases) for slug in entry.entities if slug in site.entities]
    return digest(build_key + full_key + repr((dossier.title, dossier.language, dossier.base_url, themes, entities)).encode())


def stale_shards(shards: list[list[str]], old: list[Bundle], keys: dict[str, bytes]) -> list[int]:
    """Return the shards whose bundle must be made anew: every one when their number changed (pages move
    between shards then), else those whose pages are not the previous bundle's or whose index keys changed."""
    if len(old) != len(shards):
        return list(range(len(shards)))
    return [i for i, shard in enumerate(shards) if tuple(shard) != old[i].pages or tuple(keys.get(page, b"") for page in shard) != old[i].keys]


def build_index(site_dir: Path, page_file: Callable[[str], Path], language: str, shards: list[list[str]], runs: list[int]) -> list[Bundle]:
    """Index the shards numbered `runs`, each into its bundle below `site_dir` (see bundle_names); return their records.

    Only entry pages go to Pagefind: the others have no `data-pagefind-body`, and Pagefind leaves a
    page without one out of the index once any page has one (runs over shard 0 with and without the
    site's other pages give the same bundle, and the 460 other pages of a 10,000-entry dossier,
    the theme pages listing thousands of entries among them, quadrupled that run). A shard's
    pages, found by `page_file` (the new site holds the changed ones, the old site the others),
    are hard-linked into a folder of their own at the same paths, so result URLs are those of the
    whole site. Two runs go at a time. (Copies cut down to what Pagefind reads, the head and the
    elements with `data-pagefind-*` attributes, give the same bundle, but its run takes only some 8 %
    less CPU on pages half the size, about what cutting them in Python costs: it parses little and
    spends its time indexing.)

    The Pagefind binary runs rather than the `pagefind` Python API, which answers each call only
    after a 0.1 s sleep in its response loop (1,000 s for 10,000 entries). Every page is indexed as
    the dossier's language, so a German dossier also finds its English entries (Pagefind would
    otherwise split the index by each page's language).
    """
    names = bundle_names(shards)
    scratch = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}-search-", dir=site_dir.parent))
    try:
        records = [_link_pages(page_file, scratch / str(index), shards[index]) for index in runs]
        with ThreadPoolExecutor(max_workers=max(1, min(tuning.PARALLEL_RUNS, len(runs)))) as pool:
            done = [pool.submit(_run_pagefind, scratch / str(index), site_dir / names[index], language) for index in runs]
            for run in done:
                run.result()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for index in runs:
        if index:
            _drop_ui(site_dir / names[index])
    return records


SUMMARIES = (f"{BUNDLE}/{FILTERS}", f"{BUNDLE}/{SORTS}")
"""The files beside the first bundle that summary_files makes from every bundle's record (paths below the site)."""


def summary_files(bundles: list[Bundle]) -> dict[str, bytes]:
    """Return the files beside the first bundle made from every bundle's record, by path below the site:
    filters.json, and sorts.json where there are several bundles."""
    made = {f"{BUNDLE}/{FILTERS}": filters_file(bundles)}
    if len(bundles) > 1:
        made[f"{BUNDLE}/{SORTS}"] = sorts_file(bundles)
    return made


def sorts_file(bundles: list[Bundle]) -> bytes:
    """Return sorts.json: each sort's values, per bundle in ascending order.

    A sorted search scores each result by the index of its value in its own bundle's order, so a value
    is found from a result's bundle and score (static/search/pagefind.js).
    """
    names = sorted({name for bundle in bundles for name in bundle.sorts})
    values = {name: [list(bundle.sorts.get(name, ())) for bundle in bundles] for name in names}
    return json.dumps(values, separators=(",", ":")).encode()


def filters_file(bundles: list[Bundle]) -> bytes:
    """Return filters.json: each filter's MOST_VALUES values of the most pages with their counts, in Pagefind's
    order (by value); of values on as many pages, the first by value."""
    counts: dict[str, Counter[str]] = {}
    for bundle in bundles:
        for name, values in bundle.filters.items():
            counts.setdefault(name, Counter()).update(values)
    commonest = {name: sorted(found.items(), key=lambda pair: (-pair[1], pair[0]))[:MOST_VALUES] for name, found in sorted(counts.items())}
    return json.dumps({name: dict(sorted(values)) for name, values in commonest.items()}, ensure_ascii=False, separators=(",", ":")).encode()


def _link_pages(page_file: Callable[[str], Path], folder: Path, paths: list[str]) -> Bundle:
    """Hard-link the pages at `paths` into `folder`, at the same paths; return their bundle's record.

    The sort and filter values are read here, from the pages' attributes (`data-pagefind-sort="date:2024-06-19"`,
    `<span data-pagefind-filter="Jahr">2024</span>`).
    """
    sorts: dict[str, list[str]] = {}
    filters: dict[str, Counter[str]] = {}
    for path in paths:
        source, target = page_file(path), folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, target)
        page = source.read_bytes()
        for name, value in _SORT.findall(page):
            sorts.setdefault(name.decode(), []).append(value.decode())
        for name, value in set(_FILTER.findall(page)):
            filters.setdefault(html.unescape(name.decode()), Counter())[html.unescape(value.decode()).strip()] += 1
    return Bundle(tuple(paths), {name: tuple(sorted(values)) for name, values in sorts.items()}, {name: dict(values) for name, values in filters.items()})


def _drop_ui(bundle: Path) -> None:
    """Remove the copies of Pagefind's user interface from a bundle other than the first.

    The search page loads the UI from the first bundle, and static/search/pagefind.js at most each bundle's
    pagefind.js (which loads its worker, WebAssembly and index): the rest is some 420 KB per bundle unused.
    """
    for name in UI_FILES:
        (bundle / name).unlink(missing_ok=True)


def _run_pagefind(folder: Path, bundle: Path, language: str) -> None:
    """Index the pages below `folder` into the bundle folder `bundle`."""
    command = [
        str(get_executable()), "--site", str(folder), "--output-path", str(bundle),
        "--force-language", language.split("-")[0].lower(), "--silent",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(f"could not run Pagefind ({command[0]}): {exc}") from None
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        raise SearchIndexError(f"Pagefind failed with status {done.returncode} indexing {bundle.name}/: {output}")
