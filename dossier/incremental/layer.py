"""The incremental layer: a build with a cache runs the pipeline's steps (build.Pipeline) rendering and writing
only what changed since the last build, and carrying the rest over from the site it published.

`Resume` is what such a build starts from: the cache's records, whether the last build's site is still right
(uptodate.py), and that site (reuse.Previous). `Rebuild` is the pipeline with its steps and hooks overridden:

- planning: each page's key (fingerprint.py), over its context and the values of what it read of the site
  last time (pages/traced.py, reads.py); the pages whose keys are the last build's are carried over;
- rendering: the parts of pages kept from the last build (render.Kept), and what each page rendered read;
- the whole-site files, copied files and search bundles: carried over when made from the same inputs;
- publishing: the few files that changed moved into the site, or the whole new folder swapped in;
- remembering: what the next build compares with, saved in the cache (cache.py).

A build without a cache does not load this module or those it imports.
"""

from __future__ import annotations

import dataclasses
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import tuning
from ..build import Pipeline, long_first
from ..files.citations import citation_makers
from ..hashing import digest
from ..model import Site
from ..options import BuildOptions, BuildResult, Progress
from ..pages.plan import Page
from ..pages.render import Kept, Parts, Rendered
from ..pages.traced import Path_
from ..parallel import map_shared
from ..problems import Problem
from ..publish.integrity import split_ids
from ..search.index import BUNDLE, SUMMARIES, Bundle, build_index, bundle_names, index_key, search_key, stale_shards, summary_files
from .cache import BuildCache, SiteRecord
from .fingerprint import PageKeys, Refs
from .reads import WHOLE, Values
from .reuse import Previous
from .shown import NotesShown
from .uptodate import State, build_key, look, with_time


class Resume:
    """What a build with a cache starts from: the last build's records (uptodate.State) and the site it published."""

    def __init__(self, options: BuildOptions, state: State | None, started: float):
        self.state = state or look(options, started)
        self.cache: BuildCache | None = self.state.cache
        self.result: BuildResult | None = with_time(self.state.result, started) if self.state.result is not None else None
        """The last build's result, when its site is still right."""
        self.previous = Previous(self.cache.site if self.cache is not None else None, options.out)

    def look_ahead(self) -> None:
        """Have another process find the last build's files while the content is read (reuse.Previous.look_ahead)."""
        self.previous.look_ahead()

    def pipeline(self, options: BuildOptions, site: Site, pages: list[Page], tell: Progress) -> Rebuild:
        """Return the build's steps from the planned pages to the published site, carrying over what did not change."""
        return Rebuild(options, site, pages, tell, self)


class Rebuild(Pipeline):
    """The pipeline's steps writing what changed into the staged site and carrying the rest over from the previous
    one (reuse.Previous), noting in `record` what the next build needs to know."""

    def __init__(self, options: BuildOptions, site: Site, pages: list[Page], tell: Progress, start: Resume):
        assert start.cache is not None
        self.cache, self.previous, self.inputs = start.cache, start.previous, start.state.inputs
        self.compiled = self.cache.templates(site.dossier)
        self.cache_folder = self.cache.folder
        super().__init__(options, site, pages, tell)
        self.record = SiteRecord(str(options.out.resolve()), {}, build_key(options), {}, {}, {}, {}, {})
        old = self.previous.record
        shown = NotesShown(self.env, old.shown if old is not None and old.options == self.record.options else {})
        self.keys = PageKeys(site, self.record.options, self.cache.keys_of(site.entries.values()), shown, self.extra)
        self.record.shape, self.record.layout, self.record.entries = self.keys.shape, self.keys.layout, self.keys.full
        self.kept: Parts = {}
        """The parts of the pages rendered, to keep for the next build."""
        self.in_place = False
        """The changed files replace theirs in the site, rather than a whole new folder the site."""
        self._reads: dict[str, tuple[Path_, ...]] = {}
        """What each page read of the site, the last build's for pages not rendered."""
        self._moved = False
        """A page rendered read other paths than it did last time (or is new)."""
        self._values: Values | None = None
        """The values pages read in the last build, by path."""
        self._changed: tuple[set[Path_], set[Path_]] = (set(), set())
        """The paths whose values differ from the last build's (TraceValues.changed)."""
        self._refs: dict[str, Refs] = {}

    def plan_rendering(self) -> None:
        """Find the pages to render: those whose key changed since the last build (all in a first build); carry the others over."""
        old, record = self.previous.record, self.record
        if old is not None:  # a first build computes each page's key where it renders it, from the context made there
            record.contexts, self._refs = _contexts(self.pages, self.keys, old, self.site, self.cache)
            self._reads = pickle.loads(old.reads) if old.reads else {}
            self._values = pickle.loads(old.values) if old.values else None
            self._changed = self.keys.values.changed(self._values) if self._values is not None else (set(), set())
            record.read = _read_again(self.pages, self.keys, old, self._reads, self._changed if self._values is not None else None)
            record.pages = {output: self.keys.page(record.contexts[output], read) for output, read in record.read.items()}
        self.fresh = [page for page in self.pages if page.output not in record.pages or not self.previous.page(page.output, record.pages[page.output])]
        self.staged.reserve([page.output for page in self.fresh])
        for page in self.pages:
            if page.output not in self.staged.written:
                self.previous.carry(self.staged, page.output)
                self.links.anchors[page.output] = self.previous.anchors(page.output)

    def check_links(self) -> None:
        """Check every internal link; those of the pages carried over too, when a page or id they may link to is gone."""
        if _lost_targets(self.previous, self.record):
            rendered = {page.output for page in self.fresh}
            for page in self.pages:
                if page.output not in rendered:
                    self.links.add(page.output, (self.options.out / page.output).read_bytes())
        super().check_links()

    def publish(self) -> None:
        """Put the new site in place: the changed files into the site when they are few, else the whole new folder."""
        self.in_place = self.previous.in_place(self.staged)
        if not self.in_place:
            self.previous.link_carried(self.staged)
        self.record.files = self.previous.publish(self.staged, self.in_place)

    def remember(self, warnings: list[Problem]) -> None:
        """Keep what the next build needs in the cache."""
        record = self.record
        record.inputs, record.warnings = self.inputs, warnings
        record.counts = (len(self.site.entries), len(self.pages), self.files)
        self.cache.save(record, self.kept)

    def _kept_parts(self) -> Kept:
        # The parts kept from the last build are read only when a page using them is rendered again.
        return Kept(self.cache.kept([page.output for page in self.fresh]), self.keys)

    def _makes_site_files(self) -> bool:
        old = self.previous.record
        return old is None or old.shape != self.keys.shape

    def _keys(self) -> tuple[Any, dict[str, bytes]]:
        return self.keys, self.record.contexts

    def _took(self, parts: Parts, rendered: dict[str, Rendered]) -> None:
        record = self.record
        self.kept.update(parts)
        for output, done in rendered.items():
            record.pages[output], record.contexts[output], record.read[output] = done.key, done.context, done.read
            self._moved = self._moved or self._reads.get(output) != done.reads
            self._reads[output] = done.reads
            if done.refs is not None:
                self._refs[output] = done.refs

    def _rendered(self) -> list[str]:
        self._remember_reads()
        self.record.anchors = {page.output: self.links.anchors[page.output] for page in self.pages}
        return self.previous.drop_unchanged(self.staged, [page.output for page in self.fresh])

    def _remember_reads(self) -> None:
        """Keep what each page read and showed, and the values read, for the next build to compare with."""
        record, old = self.record, self.previous.record
        record.shown = self.keys.shown.known
        if old is not None and not self.fresh:  # every page read what it read last time, and its values are as they were
            record.reads, record.refs, record.values = old.reads, old.refs, old.values
            return
        record.refs = pickle.dumps(self._refs, protocol=pickle.HIGHEST_PROTOCOL)
        if old is not None and not self._moved and self._values is not None and len(self._reads) == len(self.pages):
            # The pages rendered read where they read last time: the same paths, some with new values (_read_again found them).
            record.reads = old.reads
            values = dict(self._values)
            for notes, paths in enumerate(self._changed):
                values.update(((path, bool(notes)), self.keys.values.value(path, bool(notes))) for path in paths)
            values.update((key, self.keys.values.value(*key)) for key in self._values if key[0][0] == WHOLE)
        else:
            template = {page.output: page.template for page in self.pages}
            self._reads = {output: read for output, read in self._reads.items() if output in template}
            record.reads = pickle.dumps(self._reads, protocol=pickle.HIGHEST_PROTOCOL)
            last = (self._values, self._changed) if self._values is not None else None
            values = self.keys.values.of(self._reads, lambda output: self.keys.notes(template[output]), last)
        record.values = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)

    def _write_files(self, made: Callable[[], list[tuple[str, bytes]]]) -> None:
        """Write every generated file that is not a page (`made` makes them: see build._files), or carry it over when
        made from the same inputs.

        They are made from what the shape covers (fingerprint.PageKeys.shape), the citation files from their
        entries' cards: after a build of the same shape, the last build's are carried over without being made;
        after another, those whose bytes come out the same.
        """
        staged, previous, record, site, keys = self.staged, self.previous, self.record, self.site, self.keys
        old = previous.record if not self._makes_site_files() else None
        files: dict[str, bytes] = {}
        cites: dict[str, Callable[[], bytes]] = {}

        def make(path: str) -> bytes:
            if not files:  # a file made last time is missing from the site: make them all, once
                files.update(made())
                cites.update((path, cite) for path, _, _, cite in citation_makers(site))
            return files[path] if path in files else cites[path]()

        if old is not None:
            for path, origin in old.generated.items():
                if not path.startswith(BUNDLE):  # the search index's own files go with it (_index)
                    record.generated[path] = previous.make(staged, path, origin, lambda path=path: make(path))
            return
        files.update(made())
        for path, data in files.items():
            # Keyed by their bytes: a file that comes out the same (most of them, after one entry's edit) is carried over.
            record.generated[path] = previous.write(staged, path, data)
        for path, slug, citekey, cite in citation_makers(site):
            record.generated[path] = previous.make(staged, path, digest(keys.base + keys.cards[slug] + citekey.encode()), cite)

    def _copy(self, source: Path, relative: str) -> None:
        self.record.copied[relative] = self.previous.copy(self.staged, source, relative)

    def _index(self) -> tuple[float, int]:
        """Carry over each search bundle whose pages' index keys are unchanged, index the others; return the seconds it
        took and the runs.

        The new bundles go into the staged site, so the old site and its index are replaced together.
        """
        staged, previous, record, site, shards, keys = self.staged, self.previous, self.record, self.site, self.shards, self.keys
        started = time.perf_counter()
        # A page's index key covers what Pagefind reads of it; without entries, every page is indexed whole.
        index_keys = {
            page.output: index_key(site.entries[page.entry], site, keys.full[page.entry], record.options) if page.entry else record.pages.get(page.output, b"")
            for page in self.pages
        }  # fmt: skip
        names = bundle_names(shards)
        record.search_key = search_key(site.dossier.language)
        old = previous.record.bundles if previous.record is not None and previous.record.search_key == record.search_key else []
        fresh = set(self.written)
        stale = set(stale_shards(shards, old, index_keys))
        # the summary files are made anew below from every bundle's record
        kept = {i: previous.bundle_intact(f"{name}/", leave_out=SUMMARIES) for i, name in enumerate(names) if i not in stale}
        runs = [i for i in range(len(shards)) if kept.get(i) is None]
        for files in kept.values():
            for name in files or ():
                previous.carry(staged, name)
        made: dict[int, Bundle] = {}
        if runs:
            entries = sum(len(shards[i]) for i in runs) if site.entries else 0
            self.tell(f"indexing {entries:,} entries for search" + (f" ({len(runs)} of {len(shards)} bundles)" if len(runs) < len(shards) else ""))

            def found(path: str) -> Path:
                return staged.root / path if path in fresh else previous.out / path  # the new site holds only what changed

            bundles = build_index(staged.root, found, site.dossier.language, shards, runs)
            made = {i: dataclasses.replace(bundle, keys=tuple(index_keys[page] for page in bundle.pages)) for i, bundle in zip(runs, bundles)}
            written = [name for i in runs for name in staged.claim_folder(names[i])]
            # Pagefind names each page's fragment and each index chunk by a hash of its bytes: most come out as
            # they were, and carrying them over lets a rebuild that indexed one shard update the site in place.
            previous.drop_unchanged(staged, written)
        record.bundles = [made[i] if i in made else old[i] for i in range(len(shards))]
        for path, data in summary_files(record.bundles).items():
            record.generated[path] = previous.write(staged, path, data)
        return (time.perf_counter() - started if runs else 0.0), len(runs)


def _contexts(pages: list[Page], keys: PageKeys, old: SiteRecord, site: Site, cache: BuildCache) -> tuple[dict[str, bytes], dict[str, Refs]]:
    """Return each page's context key and the entries it shows: after a build of the same shape or layout (`old`),
    those of pages whose context cannot have changed as it computed them (PageKeys.reuses_context), the others
    computed; else all computed."""
    if not old.refs or (old.shape != keys.shape and old.layout != keys.layout):
        return _compute_keys(pages, keys)
    moved = None if old.shape == keys.shape else site.related.differs(cache.last("related"))
    last_refs: dict[str, Refs] = pickle.loads(old.refs)
    changed = keys.changed_since(old.entries)
    todo = [
        page for page in pages
        if page.output not in old.contexts or page.output not in last_refs
        or not keys.reuses_context(page, last_refs[page.output], changed, moved)
    ]  # fmt: skip
    made, refs = _compute_keys(todo, keys)
    return {page.output: made.get(page.output) or old.contexts[page.output] for page in pages}, {**last_refs, **refs}


def _read_again(
    pages: list[Page], keys: PageKeys, old: SiteRecord, reads: dict[str, tuple[Path_, ...]], changed: tuple[set[Path_], set[Path_]] | None,
) -> dict[str, bytes]:  # fmt: skip
    """Return the key over what each page read of the site when it was last rendered (`reads`), looked up in this
    build's: the last build's key, when none of the values it read changed (`changed`, as TraceValues.changed
    finds them; None when the last build's values are not known)."""
    found = {}
    notes = {template: keys.notes(template) for template in {page.template for page in pages}}
    for page in pages:
        read = reads.get(page.output)
        if read is None:
            continue
        same = changed is not None and page.output in old.read and changed[notes[page.template]].isdisjoint(read)
        found[page.output] = old.read[page.output] if same else keys.read(page.template, read)
    return found


def _compute_keys(pages: list[Page], keys: PageKeys) -> tuple[dict[str, bytes], dict[str, Refs]]:
    """Return the context keys of `pages` and the entries each shows, computed on every core for many pages."""
    # Each process makes the contexts of its pages; those rendered again are made again where they are rendered.
    # The long pages first, a few pages at a time, as for rendering (build.Pipeline.render_pages).
    pages = long_first(pages)
    parts = map_shared(_page_keys, len(pages), (keys, pages), min_items=tuning.PARALLEL_PAGES, chunk=tuning.RENDER_CHUNK)
    found = [made for part in parts for made in part]
    outputs = [page.output for page in pages]
    return dict(zip(outputs, [key for key, _ in found])), dict(zip(outputs, [shows for _, shows in found]))


def _page_keys(shared: tuple[PageKeys, list[Page]], start: int, stop: int) -> list[tuple[bytes, Refs]]:
    """Return the context keys of pages start..stop and the entries each shows (in a forked worker too, for large sites)."""
    keys, pages = shared
    return [keys.context(page.url, page.template, page.listed, page.context) for page in pages[start:stop]]


def _lost_targets(previous: Previous, record: SiteRecord) -> bool:
    """Return whether a page of the previous site, or an id on one, is missing from the new one."""
    if previous.record is None:
        return False
    new = record.anchors
    return any(
        output not in new or (ids != new[output] and not split_ids(ids) <= split_ids(new[output]))
        for output, ids in previous.record.anchors.items()
    )
