"""Full-text search: what entry pages give Pagefind to index, and the Pagefind runs over the staged site.

The entry pages are split into shards, each indexed by its own Pagefind run into its own bundle
(`pagefind/`, `pagefind-1/`, ...); the search page merges them in the browser (Pagefind's
`mergeIndex`). One run over 10,000 entries takes about 30 s and 3 GB; at 100,000 it would not fit.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind_bin import get_executable

from .compounds import compound_parts
from .model import Entry, Site

BUNDLE = "pagefind"
"""The first bundle's folder; every bundle's folder starts with it."""
SHARD_PAGES = 2000
"""Entry pages per shard, at most (about): one Pagefind run of 2,000 pages takes some 6 s and 600 MB."""
SHARDS_VARIABLE = "DOSSIER_SEARCH_SHARDS"
"""An environment variable that forces the number of shards (for tests and benchmarks).

The search page lists the bundles, and its key does not cover the variable: after changing it,
build with --no-cache, or a rebuild may keep a search page that names the old bundles.
"""
PARALLEL_RUNS = 2
"""Pagefind runs at a time: each uses more than one core while it reads pages, so more would only queue."""
SORTS = "sorts.json"
"""Beside the first bundle: each sort's values, per bundle in ascending order, to order sorted results across bundles."""
_SORT = re.compile(rb'data-pagefind-sort="([^":]+):([^"]*)"')
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


def plan_shards(entry_pages: list[str], count: int | None = None) -> list[list[str]]:
    """Split the entry pages (paths below the site) into shards; the first shard's bundle is `pagefind/`.

    A page's shard follows from a hash of its path, so editing an entry changes one shard. There is
    one shard per SHARD_PAGES pages begun, or `count`, or as many as SHARDS_VARIABLE says, but never
    more than there are pages; a shard the hash left empty (only when there are few pages) takes one
    page from the largest, as Pagefind cannot index an empty folder.
    """
    if count is None and os.environ.get(SHARDS_VARIABLE, "").strip():
        count = int(os.environ[SHARDS_VARIABLE])
    count = max(1, min(count or math.ceil(len(entry_pages) / SHARD_PAGES), len(entry_pages)))
    shards: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(entry_pages):
        shards[int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big") % count].append(path)
    for shard in shards if entry_pages else ():
        if not shard:
            largest = max(shards, key=len)
            shard.append(largest.pop())
    return shards


def bundle_names(shards: list[list[str]]) -> list[str]:
    """Return the folder, below the site, of each shard's bundle."""
    return [BUNDLE if index == 0 else f"{BUNDLE}-{index}" for index in range(len(shards))]


def build_index(site_dir: Path, language: str, shards: list[list[str]]) -> float:
    """Index `site_dir` with Pagefind, one bundle per shard (see bundle_names); return the seconds it took.

    The first shard also holds every page that is not an entry page (Pagefind leaves out those
    without `data-pagefind-body`, which only entry pages have). Each shard's pages are hard-linked
    into a folder of their own, at the same paths, so result URLs are those of the whole site.
    Two runs go at a time; a site of up to SHARD_PAGES entries is indexed in one run, as before.

    The Pagefind binary runs rather than the `pagefind` Python API, which answers each call only
    after a 0.1 s sleep in its response loop (1,000 s for 10,000 entries). Every page is indexed as
    the dossier's language, so a German dossier also finds its English entries (Pagefind would
    otherwise split the index by each page's language).
    """
    started = time.perf_counter()
    entries = {path for shard in shards for path in shard}
    others = [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")]
    pages = [shards[0] + [path for path in others if path not in entries], *shards[1:]]
    scratch = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}-search-", dir=site_dir.parent))
    try:
        folders = [_link_pages(site_dir, scratch / str(index), paths) for index, paths in enumerate(pages)]
        with ThreadPoolExecutor(max_workers=min(PARALLEL_RUNS, len(folders))) as pool:
            runs = [pool.submit(_run_pagefind, folder, site_dir / name, language) for folder, name in zip(folders, bundle_names(shards))]
            for run in runs:
                run.result()
        if len(shards) > 1:
            (site_dir / BUNDLE / SORTS).write_text(json.dumps(_sort_values(site_dir, shards), separators=(",", ":")), encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return time.perf_counter() - started


def _sort_values(site_dir: Path, shards: list[list[str]]) -> dict[str, list[list[str]]]:
    """Return each sort's values (`data-pagefind-sort="date:2024-06-19"`), per shard in ascending order.

    A sorted search scores each result by the index of its value in its own bundle's order, so a value
    is found from a result's bundle and score (static/shards/pagefind.js).
    """
    values: dict[str, list[list[str]]] = {}
    for index, shard in enumerate(shards):
        for path in shard:
            for name, value in _SORT.findall((site_dir / path).read_bytes()):
                values.setdefault(name.decode(), [[] for _ in shards])[index].append(value.decode())
    return {name: [sorted(part) for part in parts] for name, parts in values.items()}


def _link_pages(site_dir: Path, folder: Path, paths: list[str]) -> Path:
    """Hard-link the pages at `paths` below `site_dir` into `folder`, at the same paths; return `folder`."""
    for path in paths:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / path, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(site_dir / path, target)
    return folder


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
