"""Whether the site the last build published is still right, found without loading the pipeline.

A curator runs the build after every edit, and often after none. When no content or template file
has changed (by time and size, see cache.py), the engine and options are the same, and the
published site is as the last build left it, the build is done before it starts. This module and
those it imports stay light: importing the whole pipeline (NumPy, SciPy, Jinja, Babel, Pillow)
takes longer than the check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from .. import templating
from ..options import BuildOptions, BuildResult
from .cache import RACY_NS, BuildCache, Stat
from ..hashing import digest, engine_key, files_key
from .reuse import site_files


@dataclass(frozen=True, slots=True)
class State:
    """What a build found before doing anything."""

    cache: BuildCache | None
    """The cache folder's records, when the build keeps a cache."""
    inputs: dict[str, Stat]
    """Every content and template file now, with its time and size."""
    result: BuildResult | None
    """The last build's result, when its site is still right; else None."""


def look(options: BuildOptions, started: float | None = None) -> State:
    """Return the cache, the inputs, and whether the last build's site is still right."""
    started = time.perf_counter() if started is None else started
    cache = BuildCache.open(options.cache, entries_context(options)) if options.cache else None
    found = inputs(options)
    if cache is not None:
        cache.stats = found
    result = None
    if cache is not None and cache.site is not None and _unchanged(cache, options, found):
        entries, pages, files = cache.site.counts
        result = BuildResult(entries, pages, files, cache.site.warnings, time.perf_counter() - started)
    return State(cache, found, result)


def inputs(options: BuildOptions) -> dict[str, Stat]:
    """Return every file of the content and templates folders with its time and size."""
    found: dict[str, Stat] = {}
    for folder in (options.content, *options.template_folders):
        for name, stat in site_files(folder).items() if folder.is_dir() else ():
            found[f"{folder}/{name}"] = stat
    return found


def build_key(options: BuildOptions) -> bytes:
    """Return a key over what every page depends on besides the content: engine, templates, options, day."""
    settings = (options.base_url, options.drafts, options.search, (options.today or dt.date.today()).isoformat())
    return digest(engine_key() + files_key(templating.files(options.template_folders)) + repr(settings).encode())


def entries_context(options: BuildOptions) -> bytes:
    """Return a key over what every entry depends on: the engine, dossier.yaml, the options, where it runs."""
    try:
        config = (options.content / "dossier.yaml").read_bytes()
    except OSError:
        config = b""
    where = (str(options.content.resolve()), str(Path.cwd()), options.base_url, options.drafts)
    return digest(engine_key() + digest(config) + repr(where).encode())


def _unchanged(cache: BuildCache, options: BuildOptions, found: dict[str, Stat]) -> bool:
    """Return whether nothing the last build read has changed, and its site is still as it left it."""
    last = cache.site
    if last is None or last.out != str(options.out.resolve()) or last.inputs != found:
        return False
    if last.options != build_key(options) or any(stat[0] >= cache.saved_at - RACY_NS for stat in found.values()):
        return False
    return options.out.is_dir() and site_files(options.out) == last.files


def with_time(result: BuildResult, started: float) -> BuildResult:
    """Return `result` with the wall time since `started`."""
    return dataclasses.replace(result, seconds=time.perf_counter() - started)
