"""Build a dossier: load and validate everything, assemble the site, then render and write it."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import jinja2

from . import tuning
from .content.load import Content, load_content
from .files.citations import citation_makers
from .files.dataexport import research_files
from .files.exports import data_files
from .files.feeds import feed_files
from .files.hosting import hosting_files
from .files.images import image_files
from .incremental.cache import BuildCache, SiteRecord, Stat
from .incremental.fingerprint import EntryKeys, PageKeys, Refs, digest, entry_keys
from .incremental.reads import WHOLE, Path_, Values
from .incremental.reuse import Previous
from .incremental.shown import NotesShown
from .incremental.uptodate import State, build_key, look, with_time
from .model import Entry, Site
from .options import BuildOptions, BuildResult, Progress
from .pages.plan import Page, plan_pages
from .pages.render import Kept, Parts, make_environment, render_range
from .parallel import in_background, map_shared
from .problems import ContentError, Problem, Problems
from .publish.integrity import LinkIndex, split_ids
from .publish.output import OutputClash, StagedSite
from .search import compounds
from .search.index import (
    BUNDLE, SORTS, Bundle, SearchIndexError, build_index, bundle_names, index_key, plan_shards, search_key, sorts_file, splits_compounds, stale_shards,
)  # fmt: skip
from .site.assemble import assemble_site
from .urls import asset_name, base_path

# Templates of pages that take ten to a thousand times as long as an entry's to render at 10,000 entries.
LONG_PAGES = frozenset({"themes.html", "theme.html", "print.html", "timeline.html"})


def build(options: BuildOptions, *, check_only: bool = False, progress: Progress | None = None, state: State | None = None) -> BuildResult:
    """Build the site described by `options`; raise ContentError, leaving the old site as it was, on any error.

    `state` is what uptodate.look found, if the caller looked already.
    """
    started = time.perf_counter()
    tell = progress or _quiet
    state = state or look(options, started)
    if state.result is not None and not check_only:
        tell("nothing changed since the last build")
        return with_time(state.result, started)
    problems = Problems()
    previous = Previous(state.cache.site if state.cache is not None else None, options.out)
    if not check_only:
        previous.look_ahead()
    tell("reading and checking the content")
    content, site = load_site(options, problems, state.cache)
    if check_only:
        return BuildResult(len(site.entries), 0, 0, problems.warnings, time.perf_counter() - started)
    run = _Run(options, site, plan_pages(site, options.search), previous, state.cache, tell)
    with run.staging(), _reported(options):
        run.plan_rendering()
        run.render_pages()
        run.copy_files(content.assets)
        run.index_for_search()
        run.check_links()
    run.publish()
    run.remember(state.inputs, problems.warnings)
    return run.result(problems.warnings, started)


def load_site(options: BuildOptions, problems: Problems, cache: BuildCache | None = None) -> tuple[Content, Site]:
    """Return the validated content and the site assembled from it; raise ContentError on any error."""
    content = load_content(options.content, problems, base_url=options.base_url, drafts=options.drafts, cache=cache)
    if content is None:
        raise ContentError(problems.errors + problems.warnings)
    memo = cache.memo(_entry_keys(cache, content.entries)) if cache is not None else None
    site = assemble_site(content.dossier, content.entries, content.entities, options.today or dt.date.today(), problems, memo)
    return content, site


def _quiet(step: str) -> None:
    """Report no progress."""


@contextlib.contextmanager
def _reported(options: BuildOptions) -> Iterator[None]:
    """Turn a template's, the output's or the search index's failure into a ContentError naming where it is."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError([Problem(exc.filename or exc.name or "template", exc.lineno, f"template error: {exc.message}")]) from None
    except (jinja2.TemplateError, OutputClash) as exc:
        raise ContentError([Problem(str(options.templates), 0, f"could not render the site: {exc}")]) from None
    except SearchIndexError as exc:
        raise ContentError([Problem(str(options.out), 0, f"could not build the search index: {exc}")]) from None


class _Run:
    """One build from the planned pages to the published site: what its steps share.

    Each step writes what changed into the staged site and carries the rest over from the previous one
    (reuse.Previous, which carries nothing without a cache), and notes in `record` what the next build
    needs to know.
    """

    def __init__(self, options: BuildOptions, site: Site, pages: list[Page], previous: Previous, cache: BuildCache | None, tell: Progress):
        self.options, self.site, self.pages, self.previous, self.cache, self.tell = options, site, pages, previous, cache, tell
        self.staged = StagedSite(options.out)
        self.record = SiteRecord(str(options.out.resolve()), {}, build_key(options), {}, {}, {}, {}, {})
        self.links = LinkIndex(base_path(site.dossier.base_url), skip=() if options.search else (f"{BUNDLE}/",))
        # A dossier without entries has nothing with `data-pagefind-body`: Pagefind then indexes its other pages whole.
        self.shards = plan_shards([page.output for page in pages if page.template == "entry.html"] or [page.output for page in pages])
        extra = {"search_bundles": bundle_names(self.shards)}  # the search page merges them
        self.env = make_environment(options.templates, site, cache.templates(site.dossier.language) if cache is not None else None, extra)
        old = previous.record
        shown = NotesShown(self.env, old.shown if old is not None and old.options == self.record.options else {})
        self.keys = PageKeys(site, self.record.options, _entry_keys(cache, site.entries.values()), shown, extra)
        self.record.shape, self.record.layout, self.record.entries = self.keys.shape, self.keys.layout, self.keys.full
        self.fresh: list[Page] = []
        """The pages to render."""
        self.written: list[str] = []
        """The pages rendered whose bytes changed."""
        self.kept: Parts = {}
        """The parts of the pages rendered, to keep for the next build."""
        self.search = (0.0, 0)
        """How long indexing took and how many bundles it indexed anew."""
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

    @contextlib.contextmanager
    def staging(self) -> Iterator[StagedSite]:
        """Give the staged site to the steps inside the block; discard it if one fails."""
        try:
            yield self.staged
        except BaseException:
            self.staged.discard()
            raise

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

    def render_pages(self) -> None:
        """Render the pages planned, on every core for many, while the whole-site files are written (`_write_site_files`)."""
        fresh, record = self.fresh, self.record
        # The parts kept from the last build are read only when a page using them is rendered again.
        old = self.cache.kept([page.output for page in fresh]) if self.cache is not None else {}
        self.env.globals["cached"].kept = Kept(old, self.keys if self.cache is not None else None)
        skipped = len(self.pages) - len(fresh)
        self.tell(f"rendering {len(fresh):,} pages" + (f" ({skipped:,} unchanged)" if skipped else ""))
        tables = _compound_tables(fresh, self.site, self.cache) if self.options.search else None
        # With few pages to render here, another process makes the whole-site files (a second each at 10,000 entries)
        # from now on, while this one renders.
        old = self.previous.record
        same_shape = old is not None and old.shape == self.keys.shape
        in_turn = not same_shape and 0 < len(fresh) < tuning.PARALLEL_PAGES and len(self.site.entries) >= tuning.SITE_FILES_ENTRIES
        site, pages = self.site, self.pages
        site_files = in_background(_files, site, pages) if in_turn else (lambda: _files(site, pages))
        # Shared out among processes, the long pages go first, so that the processes end together (any order makes the same pages).
        in_order = _long_first(fresh) if len(fresh) >= tuning.PARALLEL_PAGES else fresh
        keys = self.keys if self.cache is not None else None  # without a cache, keys are of no use
        shared = (self.env, in_order, self.staged.root, self.links.prefix, keys, record.contexts)
        meanwhile = lambda: self._write_site_files(site_files, tables)  # noqa: E731
        for links, parts, page_keys in map_shared(render_range, len(in_order), shared, meanwhile, tuning.PARALLEL_PAGES, tuning.RENDER_CHUNK):
            self.links.merge(links)
            self.kept.update(parts)
            for output, done in page_keys.items():
                record.pages[output], record.contexts[output], record.read[output] = done.key, done.context, done.read
                self._moved = self._moved or self._reads.get(output) != done.reads
                self._reads[output] = done.reads
                if done.refs is not None:
                    self._refs[output] = done.refs
        if self.cache is not None:
            self._remember_reads()
        record.anchors = {page.output: self.links.anchors[page.output] for page in self.pages}
        self.written = self.previous.drop_unchanged(self.staged, [page.output for page in fresh])

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

    def _write_site_files(self, made: Callable[[], list[tuple[str, bytes]]], tables: Path | None) -> None:
        """Write the feeds, data and files that `made` makes (while the workers render the pages)."""
        self.tell("writing feeds, data and files")
        old = self.previous.record
        _write_files(self, made, old if old is not None and old.shape == self.keys.shape else None)
        if tables is not None:
            compounds.write_table_file(tables)

    def copy_files(self, assets: list[Path]) -> None:
        """Copy the templates' static files and the content's images and documents into the site."""
        static = self.options.templates / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    relative = "static/" + path.relative_to(static).as_posix()
                    self.record.copied[relative] = self.previous.copy(self.staged, path, relative)
        for asset in assets:
            relative = asset_name(asset.relative_to(self.options.content.resolve()).as_posix())
            self.record.copied[relative] = self.previous.copy(self.staged, asset, relative)

    def index_for_search(self) -> None:
        """Index the entries for search, the bundles whose pages changed alone."""
        if not self.options.search:
            return
        site, keys, record = self.site, self.keys, self.record
        # A page's index key covers what Pagefind reads of it; without entries, every page is indexed whole.
        index_keys = {
            page.output: index_key(site.entries[page.entry], site, keys.full[page.entry], record.options) if page.entry else record.pages.get(page.output, b"")
            for page in self.pages
        }  # fmt: skip
        self.search = _index(self, index_keys)

    def check_links(self) -> None:
        """Check that every internal link of the new site leads to a page and an id on it."""
        self.tell("checking every internal link")
        if _lost_targets(self.previous, self.record):
            rendered = {page.output for page in self.fresh}
            for page in self.pages:  # a page or anchor they may link to is gone: check the unchanged pages' links too
                if page.output not in rendered:
                    self.links.add(page.output, (self.options.out / page.output).read_bytes())
        broken = self.links.problems(self.staged.root, self.staged.written)
        if broken:
            raise ContentError(broken)

    def publish(self) -> None:
        """Put the new site in place: the changed files into the site when they are few, else the whole new folder."""
        self.in_place = self.previous.in_place(self.staged)
        if not self.in_place:
            self.previous.link_carried(self.staged)
        self.record.files = self.previous.publish(self.staged, self.in_place, remember=self.cache is not None)

    def remember(self, inputs: dict[str, Stat], warnings: list[Problem]) -> None:
        """Keep what the next build needs in the cache, if there is one."""
        if self.cache is None:
            return
        record = self.record
        record.inputs, record.warnings = inputs, warnings
        record.counts = (len(self.site.entries), len(self.pages), self.files)
        self.cache.save(record, self.kept)

    @property
    def files(self) -> int:
        """The files of the new site, the search index's left out."""
        index = set(bundle_names(self.shards)) if self.options.search else set()
        return sum(1 for name in self.staged.written if name.split("/", 1)[0] not in index)

    def result(self, warnings: list[Problem], started: float) -> BuildResult:
        """Return what the build made."""
        seconds, runs = self.search
        return BuildResult(len(self.site.entries), len(self.pages), self.files, warnings, time.perf_counter() - started, seconds, len(self.fresh), runs)


def _index(run: _Run, index_keys: dict[str, bytes]) -> tuple[float, int]:
    """Carry over each search bundle whose pages' index keys are unchanged, index the others; return the seconds it took and the runs.

    The new bundles go into the staged site, so the old site and its index are replaced together.
    """
    staged, previous, record, site, shards = run.staged, run.previous, run.record, run.site, run.shards
    started = time.perf_counter()
    names = bundle_names(shards)
    record.search_key = search_key(site.dossier.language)
    old = previous.record.bundles if previous.record is not None and previous.record.search_key == record.search_key else []
    fresh = set(run.written)
    stale = set(stale_shards(shards, old, index_keys))
    sorts = f"{BUNDLE}/{SORTS}"  # rewritten below from every bundle's record
    kept = {i: previous.bundle_intact(f"{name}/", leave_out=sorts) for i, name in enumerate(names) if i not in stale}
    runs = [i for i in range(len(shards)) if kept.get(i) is None]
    for files in kept.values():
        for name in files or ():
            previous.carry(staged, name)
    made: dict[int, Bundle] = {}
    if runs:
        entries = sum(len(shards[i]) for i in runs) if site.entries else 0
        run.tell(f"indexing {entries:,} entries for search" + (f" ({len(runs)} of {len(shards)} bundles)" if len(runs) < len(shards) else ""))

        def found(path: str) -> Path:
            return staged.root / path if path in fresh else previous.out / path  # the new site holds only what changed

        bundles = build_index(staged.root, found, site.dossier.language, shards, runs)
        made = {i: dataclasses.replace(bundle, keys=tuple(index_keys[page] for page in bundle.pages)) for i, bundle in zip(runs, bundles)}
        written = [path.relative_to(staged.root).as_posix() for i in runs for path in sorted((staged.root / names[i]).rglob("*")) if path.is_file()]
        for name in written:
            staged.claim(name)
        # Pagefind names each page's fragment and each index chunk by a hash of its bytes: most come out as
        # they were, and carrying them over lets a rebuild that indexed one shard update the site in place.
        previous.drop_unchanged(staged, written)
    record.bundles = [made[i] if i in made else old[i] for i in range(len(shards))]
    if len(shards) > 1:
        record.generated[sorts] = previous.write(staged, sorts, sorts_file(record.bundles))
    return (time.perf_counter() - started if runs else 0.0), len(runs)


def _contexts(
    pages: list[Page], keys: PageKeys, old: SiteRecord, site: Site, cache: BuildCache | None,
) -> tuple[dict[str, bytes], dict[str, Refs]]:  # fmt: skip
    """Return each page's context key and the entries it shows: after a build of the same shape or layout (`old`),
    those of pages whose context cannot have changed as it computed them (PageKeys.reuses_context), the others
    computed; else all computed."""
    if not old.refs or cache is None or (old.shape != keys.shape and old.layout != keys.layout):
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
    # The long pages first, a few pages at a time, as for rendering (_write).
    pages = _long_first(pages)
    parts = map_shared(_page_keys, len(pages), (keys, pages), min_items=tuning.PARALLEL_PAGES, chunk=tuning.RENDER_CHUNK)
    found = [made for part in parts for made in part]
    outputs = [page.output for page in pages]
    return dict(zip(outputs, [key for key, _ in found])), dict(zip(outputs, [shows for _, shows in found]))


def _long_first(pages: list[Page]) -> list[Page]:
    """Return the pages, those of LONG_PAGES' templates first."""
    return sorted(pages, key=lambda page: page.template not in LONG_PAGES)


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


def _files(site: Site, pages: list[Page]) -> list[tuple[str, bytes]]:
    """Return every generated file that is not a page or a citation: data, feeds, hosting files, images."""
    return [
        *data_files(site), *research_files(site), *feed_files(site),
        *hosting_files(site, pages), *image_files(site),
    ]  # fmt: skip


def _compound_tables(fresh: list[Page], site: Site, cache: BuildCache | None) -> Path | None:
    """Get compound splitting ready for the German entry pages to render; return where to write its tables, if anywhere.

    With the cache's file of compound-split's tables, words are looked up in it. Without, the tables are
    loaded here, before the renderers fork, and written to the cache for the next build (compounds.py).
    """
    if not any(page.entry is not None and splits_compounds(site.entries[page.entry]) for page in fresh):
        return None
    path = compounds.table_file(cache.folder) if cache is not None else None
    if compounds.use_table_file(path):
        return None
    compounds.load_tables()
    return path


def _write_files(run: _Run, made: Callable[[], list[tuple[str, bytes]]], old: SiteRecord | None) -> None:
    """Write every generated file that is not a page (`made` makes them: see `_files`), or carry it over when made
    from the same inputs.

    They are made from what the shape covers (fingerprint.PageKeys.shape), the citation files from their
    entries' cards: after a build of the same shape (`old`), the last build's are carried over without being made.
    """
    staged, previous, record, site, keys = run.staged, run.previous, run.record, run.site, run.keys
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
    for path in files:
        record.generated[path] = previous.make(staged, path, digest(keys.shape + path.encode()), lambda path=path: files[path])
    for path, slug, citekey, cite in citation_makers(site):
        record.generated[path] = previous.make(staged, path, digest(keys.base + keys.cards[slug] + citekey.encode()), cite)


def _entry_keys(cache: BuildCache | None, entries: Iterable[Entry]) -> dict[str, EntryKeys]:
    """Return each entry's full, card, layout and related keys, from the cache where it has them.

    Without a cache nothing keeps the keys made from them (the site record is not saved, and pages keep no
    parts), so every entry gets empty ones: computing them pickles every entry, 0.5 s at 10,000.
    """
    if cache is None:
        return dict.fromkeys((entry.slug for entry in entries), (b"", b"", b"", b""))
    known = {record.entry.slug: record.keys for record in cache.entries.values()}
    return {entry.slug: known.get(entry.slug) or entry_keys(entry) for entry in entries}
