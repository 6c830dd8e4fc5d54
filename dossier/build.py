"""Build a dossier: load and validate everything, assemble the site, then render and write it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import compounds
from .assemble import assemble_site
from .cache import BuildCache, SiteRecord
from .citations import citation_makers
from .dataexport import research_files
from .exports import data_files
from .fingerprint import EntryKeys, PageKeys, Refs, digest, entry_keys
from .feeds import feed_files
from .hosting import hosting_files
from .images import image_files
from .load import Content, load_content
from .model import Entry, Site
from .output import OutputClash, StagedSite
from .pages import Page, plan_pages
from .problems import ContentError, Problem, Problems
from .parallel import in_background, map_shared
from .reads import Path_
from .render import Kept, Parts, make_environment, render_range
from .shown import NotesShown
from .reuse import Previous
from .uptodate import State, build_key, look, with_time
from .integrity import LinkIndex, split_ids
from .options import BuildOptions, BuildResult, Progress
from .search import (
    BUNDLE, SORTS, Bundle, SearchIndexError, build_index, bundle_names, index_key, plan_shards, search_key, sorts_file, splits_compounds,
    stale_shards,
)  # fmt: skip
from .urls import asset_name, base_path, entry_path


# Sites with fewer pages render in this process: starting workers would cost more than it saves.
PARALLEL_PAGES = 1500
# Pages a process renders at a time: small enough that a few heavy ones (themes, print volumes) leave no core idle at the end.
RENDER_CHUNK = 50
# Templates of pages that take ten to a thousand times as long as an entry's to render at 10,000 entries.
LONG_PAGES = frozenset({"themes.html", "theme.html", "print.html", "timeline.html"})
# A rebuild rendering few pages of a dossier with fewer entries makes the whole-site files itself.
BACKGROUND_ENTRIES = 1500


def build(options: BuildOptions, *, check_only: bool = False, progress: Progress | None = None, state: State | None = None) -> BuildResult:
    """Build the site described by `options`; raise ContentError, leaving the old site as it was, on any error.

    `state` is what uptodate.look found, if the caller looked already.
    """
    started = time.perf_counter()
    tell = progress or (lambda step: None)
    state = state or look(options, started)
    cache, inputs = state.cache, state.inputs
    if state.result is not None and not check_only:
        tell("nothing changed since the last build")
        return with_time(state.result, started)
    problems = Problems()
    previous = Previous(cache.site if cache is not None else None, options.out)
    if not check_only:
        previous.look_ahead()
    tell("reading and checking the content")
    content, site = load_site(options, problems, cache)
    if check_only:
        return BuildResult(len(site.entries), 0, 0, problems.warnings, time.perf_counter() - started)
    pages = plan_pages(site, options.search)
    staged = StagedSite(options.out)
    try:
        written = _write(staged, options, site, content, pages, tell, previous, _entry_keys(cache, site.entries.values()), cache)
    except BaseException:
        staged.discard()
        raise
    files = previous.publish(staged, written.in_place, remember=cache is not None)
    if cache is not None:
        record = written.record
        record.files, record.inputs, record.warnings = files, inputs, problems.warnings
        record.counts = (len(site.entries), len(pages), written.files)
        cache.save(record, written.kept)
    return BuildResult(
        len(site.entries), len(pages), written.files, problems.warnings, time.perf_counter() - started,
        written.search_seconds, written.rendered, written.search_runs,
    )  # fmt: skip


def load_site(options: BuildOptions, problems: Problems, cache: BuildCache | None = None) -> tuple[Content, Site]:
    """Return the validated content and the site assembled from it; raise ContentError on any error."""
    content = load_content(
        options.content, problems, base_url=options.base_url, drafts=options.drafts,
        entry_url=lambda d, slug: base_path(d.base_url) + entry_path(slug),
        asset_url=lambda d, rel: base_path(d.base_url) + asset_name(rel), cache=cache,
    )  # fmt: skip
    if content is None:
        raise ContentError(problems.errors + problems.warnings)
    memo = cache.memo(_entry_keys(cache, content.entries)) if cache is not None else None
    site = assemble_site(content.dossier, content.entries, content.entities, options.today or dt.date.today(), problems, memo)
    return content, site


@dataclass(slots=True)
class _Written:
    """What writing the staged site made."""

    record: SiteRecord
    """What to record for the next build."""
    search_seconds: float
    """How long indexing took (0 when the previous index was kept)."""
    search_runs: int
    """Search bundles indexed anew."""
    rendered: int
    """Pages rendered."""
    files: int
    """Files of the new site, the search index's left out."""
    in_place: bool
    """The staging folder holds only the changed files, to move into the site (else the whole new site)."""
    kept: Parts
    """The parts of the pages rendered, to keep for the next build."""


def _write(
    staged: StagedSite, options: BuildOptions, site: Site, content: Content, pages: list[Page], tell: Progress,
    previous: Previous, entry_keys: dict[str, EntryKeys], cache: BuildCache | None,
) -> _Written:  # fmt: skip
    """Write every page and file that changed into the staged site, carry the rest over, index it and check its links."""
    prefix = base_path(site.dossier.base_url)
    links = LinkIndex(prefix, skip=() if options.search else (f"{BUNDLE}/",))
    record = SiteRecord(str(options.out.resolve()), {}, build_key(options), {}, {}, {}, {}, {})
    try:
        compiled = cache.templates(site.dossier.language) if cache is not None else None
        env = make_environment(options.templates, site, compiled)
        # A dossier without entries has nothing with `data-pagefind-body`: Pagefind then indexes its other pages whole.
        shards = plan_shards([page.output for page in pages if page.template == "entry.html"] or [page.output for page in pages])
        env.globals["search_bundles"] = bundle_names(shards)  # the search page merges them
        keys = PageKeys(site, record.options + pickle.dumps(env.globals["search_bundles"]), entry_keys, NotesShown(env))
        record.shape, record.layout, record.entries = keys.shape, keys.layout, keys.full
        first = previous.record is None
        # Each page's context key and the entries it shows (refs), and what it read of the site, for the next build.
        reads: dict[str, tuple[Path_, ...]] = {}
        if first:  # a first build computes each page's key where it renders it, from the context made there
            refs: dict[str, Refs] = {}
            record.pages = {}
        else:
            record.contexts, refs = _contexts(pages, keys, previous.record, site, cache)
            reads = pickle.loads(previous.record.reads) if previous.record.reads else {}
            record.pages = {
                page.output: keys.page(page.template, record.contexts[page.output], reads[page.output])
                for page in pages if page.output in reads
            }  # fmt: skip
        fresh = pages if first else [page for page in pages if page.output not in record.pages or not previous.page(page.output, record.pages[page.output])]
        staged.reserve([page.output for page in fresh])
        for page in pages:
            if page.output not in staged.written:
                previous.carry(staged, page.output)
                links.anchors[page.output] = previous.anchors(page.output)
        # The parts kept from the last build are read only when a page using them is rendered again.
        old = cache.kept([page.output for page in fresh]) if cache is not None else {}
        env.globals["cached"].kept = Kept(old, keys if cache is not None else None)
        rendered = {page.output for page in fresh}
        kept: Parts = {}
        tell(f"rendering {len(fresh):,} pages" + (f" ({len(pages) - len(fresh):,} unchanged)" if len(fresh) < len(pages) else ""))

        tables = _compound_tables(fresh, site, cache) if options.search else None

        # With few pages to render here, another process makes the whole-site files (a second each at 10,000 entries) meanwhile.
        same_shape = previous.record if previous.record is not None and previous.record.shape == keys.shape else None
        in_turn = same_shape is None and 0 < len(fresh) < PARALLEL_PAGES and len(site.entries) >= BACKGROUND_ENTRIES
        whole_site = in_background(_files, site, pages) if in_turn else (lambda: _files(site, pages))

        def write_files() -> None:
            """Write the feeds, data and files while the workers render the pages."""
            tell("writing feeds, data and files")
            _write_files(staged, previous, record, site, whole_site, keys, same_shape)
            if tables is not None:
                compounds.write_table_file(tables)

        # Shared out among processes, the long pages go first, so that the processes end together (any order makes the same pages).
        in_order = _long_first(fresh) if len(fresh) >= PARALLEL_PAGES else fresh
        shared = (env, in_order, staged.root, prefix, keys if cache is not None else None, record.contexts)  # without a cache, keys are of no use
        for part, made, page_keys in map_shared(render_range, len(in_order), shared, write_files, PARALLEL_PAGES, RENDER_CHUNK):
            links.merge(part)
            kept.update(made)
            for output, done in page_keys.items():
                record.pages[output], record.contexts[output], reads[output] = done.key, done.context, done.reads
                if done.refs is not None:
                    refs[output] = done.refs
        if cache is not None:
            record.reads = pickle.dumps(reads, protocol=pickle.HIGHEST_PROTOCOL)
            record.refs = pickle.dumps(refs, protocol=pickle.HIGHEST_PROTOCOL)
        record.anchors = {page.output: links.anchors[page.output] for page in pages}
        changed = previous.drop_unchanged(staged, [page.output for page in fresh])
        _copy_static(options.templates / "static", staged, previous, record)
        for asset in content.assets:
            relative = asset_name(asset.relative_to(options.content.resolve()).as_posix())
            record.copied[relative] = previous.copy(staged, asset, relative)
        if options.search:
            # A page's index key covers what Pagefind reads of it; without entries, every page is indexed whole.
            index_keys = {page.output: index_key(site.entries[page.entry], site, keys.full[page.entry], record.options) if page.entry else record.pages.get(page.output, b"") for page in pages}
            seconds, runs = _index(staged, previous, record, site, shards, changed, index_keys, tell)
        else:
            seconds, runs = 0.0, 0
        in_place = previous.in_place(staged)
        if not in_place:
            previous.link_carried(staged)
        tell("checking every internal link")
        if _lost_targets(previous, record):
            for page in pages:  # a page or anchor they may link to is gone: check the unchanged pages' links too
                if page.output not in rendered:
                    links.add(page.output, (options.out / page.output).read_bytes())
        broken = links.problems(staged.root, staged.written)
        if broken:
            raise ContentError(broken)
        index = set(bundle_names(shards)) if options.search else set()
        files = sum(1 for name in staged.written if name.split("/", 1)[0] not in index)
        return _Written(record, seconds, runs, len(fresh), files, in_place, kept)
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError([Problem(exc.filename or exc.name or "template", exc.lineno, f"template error: {exc.message}")]) from None
    except (jinja2.TemplateError, OutputClash) as exc:
        raise ContentError([Problem(str(options.templates), 0, f"could not render the site: {exc}")]) from None
    except SearchIndexError as exc:
        raise ContentError([Problem(str(options.out), 0, f"could not build the search index: {exc}")]) from None


def _index(
    staged: StagedSite, previous: Previous, record: SiteRecord, site: Site, shards: list[list[str]], changed: list[str],
    index_keys: dict[str, bytes], tell: Progress,
) -> tuple[float, int]:  # fmt: skip
    """Carry over each search bundle whose pages' index keys are unchanged, index the others; return the seconds it took and the runs.

    The new bundles go into the staged site, so the old site and its index are replaced together.
    """
    started = time.perf_counter()
    names = bundle_names(shards)
    record.search_key = search_key(site.dossier.language)
    old = previous.record.bundles if previous.record is not None and previous.record.search_key == record.search_key else []
    fresh = set(changed)
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
        tell(f"indexing {entries:,} entries for search" + (f" ({len(runs)} of {len(shards)} bundles)" if len(runs) < len(shards) else ""))

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


def _compute_keys(pages: list[Page], keys: PageKeys) -> tuple[dict[str, bytes], dict[str, Refs]]:
    """Return the context keys of `pages` and the entries each shows, computed on every core for many pages."""
    # Each process makes the contexts of its pages; those rendered again are made again where they are rendered.
    # The long pages first, a few pages at a time, as for rendering (_write).
    pages = _long_first(pages)
    parts = map_shared(_page_keys, len(pages), (keys, pages), min_items=PARALLEL_PAGES, chunk=RENDER_CHUNK)
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


def _write_files(
    staged: StagedSite, previous: Previous, record: SiteRecord, site: Site, made: Callable[[], list[tuple[str, bytes]]], keys: PageKeys,
    old: SiteRecord | None,
) -> None:  # fmt: skip
    """Write every generated file that is not a page (`made` makes them: see `_files`), or carry it over when made
    from the same inputs.

    They are made from what the shape covers (fingerprint.PageKeys.shape), the citation files from their
    entries' cards: after a build of the same shape (`old`), the last build's are carried over without being made.
    """
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


def _copy_static(static_dir: Path, staged: StagedSite, previous: Previous, record: SiteRecord) -> None:
    """Copy the site's own stylesheet, scripts and images into static/."""
    if not static_dir.is_dir():
        return
    for path in sorted(static_dir.rglob("*")):
        if path.is_file():
            relative = "static/" + path.relative_to(static_dir).as_posix()
            record.copied[relative] = previous.copy(staged, path, relative)


def _entry_keys(cache: BuildCache | None, entries: Iterable[Entry]) -> dict[str, EntryKeys]:
    """Return each entry's full, card, layout and related keys, from the cache where it has them.

    Without a cache nothing keeps the keys made from them (the site record is not saved, and pages keep no
    parts), so every entry gets empty ones: computing them pickles every entry, 0.5 s at 10,000.
    """
    if cache is None:
        return dict.fromkeys((entry.slug for entry in entries), (b"", b"", b"", b""))
    known = {record.entry.slug: record.keys for record in cache.entries.values()}
    return {entry.slug: known.get(entry.slug) or entry_keys(entry) for entry in entries}
