"""Build a dossier: load and validate everything, assemble the site, then render and write it."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .assemble import assemble_site
from .cache import BuildCache, SiteRecord
from .citations import citation_files
from .dataexport import research_files
from .exports import data_files
from .fingerprint import PageKeys, entry_key
from .feeds import feed_files
from .hosting import hosting_files
from .images import image_files
from .load import Content, load_content
from .model import Site
from .output import OutputClash, StagedSite
from .pages import Page, plan_pages
from .problems import ContentError, Problem, Problems
from .parallel import map_ranges
from .render import make_environment, render_range
from .reuse import Previous
from .uptodate import State, build_key, look, with_time
from .integrity import LinkIndex
from .options import BuildOptions, BuildResult, Progress
from .search import BUNDLE, SearchIndexError, build_index, bundle_names, plan_shards
from .urls import asset_name, base_path, entry_path


# Sites with fewer pages render in this process: starting workers would cost more than it saves.
PARALLEL_PAGES = 1500


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
    tell("reading and checking the content")
    content, site = load_site(options, problems, cache)
    if check_only:
        return BuildResult(len(site.entries), 0, 0, problems.warnings, time.perf_counter() - started)
    pages = plan_pages(site, options.search)
    staged = StagedSite(options.out)
    previous = Previous(cache.site if cache else None, options.out)
    try:
        written = _write(staged, options, site, content, pages, tell, previous, _entry_keys(cache, site))
    except BaseException:
        staged.discard()
        raise
    files = previous.publish(staged, written.in_place, remember=cache is not None)
    if cache is not None:
        record = written.record
        record.files, record.inputs, record.warnings = files, inputs, problems.warnings
        record.counts = (len(site.entries), len(pages), len(staged.written))
        cache.save(record)
    return BuildResult(
        len(site.entries), len(pages), len(staged.written), problems.warnings, time.perf_counter() - started,
        written.search_seconds, written.rendered,
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
    site = assemble_site(content.dossier, content.entries, content.entities, options.today or dt.date.today(), problems)
    return content, site


@dataclass(slots=True)
class _Written:
    """What writing the staged site made."""

    record: SiteRecord
    """What to record for the next build."""
    search_seconds: float
    """How long indexing took (0 when the previous index was kept)."""
    rendered: int
    """Pages rendered."""
    in_place: bool
    """The staging folder holds only the changed files, to move into the site (else the whole new site)."""


def _write(
    staged: StagedSite, options: BuildOptions, site: Site, content: Content, pages: list[Page], tell: Progress,
    previous: Previous, entry_keys: dict[str, bytes],
) -> _Written:  # fmt: skip
    """Write every page and file that changed into the staged site, carry the rest over, index it and check its links."""
    prefix = base_path(site.dossier.base_url)
    links = LinkIndex(prefix, skip=() if options.search else (f"{BUNDLE}/",))
    record = SiteRecord(str(options.out.resolve()), {}, build_key(options), {}, {}, {}, {}, {})
    try:
        keys = PageKeys(site, record.options, entry_keys)
        parts = map_ranges(_page_keys, len(pages), (keys, pages), min_items=PARALLEL_PAGES)
        record.pages = dict(zip([page.output for page in pages], [key for part in parts for key in part]))
        fresh = [page for page in pages if not previous.page(page.output, record.pages[page.output])]
        staged.reserve([page.output for page in fresh])
        for page in pages:
            if page.output not in staged.written:
                previous.carry(staged, page.output)
                links.anchors[page.output] = previous.anchors(page.output)
        env = make_environment(options.templates, site)
        shards = plan_shards([page.output for page in pages if page.template == "entry.html"])
        env.globals["search_bundles"] = bundle_names(shards)  # the search page merges them
        tell(f"rendering {len(fresh):,} pages" + (f" ({len(pages) - len(fresh):,} unchanged)" if len(fresh) < len(pages) else ""))

        def write_files() -> None:
            """Write the feeds, data and files while the workers render the pages."""
            tell("writing feeds, data and files")
            for path, data in _files(site, pages):
                record.generated[path] = previous.write(staged, path, data)

        for part in map_ranges(render_range, len(fresh), (env, fresh, staged.root, prefix), min_items=PARALLEL_PAGES, meanwhile=write_files):
            links.merge(part)
        record.anchors = {page.output: frozenset(links.anchors[page.output]) for page in pages}
        changed = previous.drop_unchanged(staged, [page.output for page in fresh])
        _copy_static(options.templates / "static", staged, previous, record)
        for asset in content.assets:
            relative = asset_name(asset.relative_to(options.content.resolve()).as_posix())
            record.copied[relative] = previous.copy(staged, asset, relative)
        bundle = previous.bundle_intact(BUNDLE) if options.search and not changed else None  # pagefind/, pagefind-1/, ...
        for name in bundle or ():
            previous.carry(staged, name)
        reindex = options.search and bundle is None
        in_place = not reindex and previous.in_place(staged)
        if not in_place:
            previous.link_carried(staged)
        seconds = 0.0
        if reindex:
            # The index goes into the staged site, so the old site and its index are replaced together.
            tell(f"indexing {len(site.entries):,} entries for search")
            seconds = build_index(staged.root, site.dossier.language, shards)
        tell("checking every internal link")
        if _lost_targets(previous, record):
            rendered = {page.output for page in fresh}
            for page in pages:  # a page or anchor they may link to is gone: check the unchanged pages' links too
                if page.output not in rendered:
                    links.add(page.output, (options.out / page.output).read_bytes())
        broken = links.problems(staged.root, staged.written)
        if broken:
            raise ContentError(broken)
        return _Written(record, seconds, len(fresh), in_place)
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError([Problem(exc.filename or exc.name or "template", exc.lineno, f"template error: {exc.message}")]) from None
    except (jinja2.TemplateError, OutputClash) as exc:
        raise ContentError([Problem(str(options.templates), 0, f"could not render the site: {exc}")]) from None
    except SearchIndexError as exc:
        raise ContentError([Problem(str(options.out), 0, f"could not build the search index: {exc}")]) from None


def _page_keys(shared: tuple[PageKeys, list[Page]], start: int, stop: int) -> list[bytes]:
    """Return the keys of pages start..stop (in a forked worker for large sites)."""
    keys, pages = shared
    return [keys(page.url, page.template, page.listed, page.context) for page in pages[start:stop]]


def _lost_targets(previous: Previous, record: SiteRecord) -> bool:
    """Return whether a page of the previous site, or an id on one, is missing from the new one."""
    if previous.record is None:
        return False
    old = previous.record
    return any(output not in record.anchors or not anchors <= record.anchors[output] for output, anchors in old.anchors.items())


def _files(site: Site, pages: list[Page]) -> list[tuple[str, bytes]]:
    """Return every generated file that is not a page: data, feeds, citations, hosting files, images."""
    return [
        *data_files(site), *research_files(site), *citation_files(site), *feed_files(site),
        *hosting_files(site, pages), *image_files(site),
    ]  # fmt: skip


def _copy_static(static_dir: Path, staged: StagedSite, previous: Previous, record: SiteRecord) -> None:
    """Copy the site's own stylesheet, scripts and images into static/."""
    if not static_dir.is_dir():
        return
    for path in sorted(static_dir.rglob("*")):
        if path.is_file():
            relative = "static/" + path.relative_to(static_dir).as_posix()
            record.copied[relative] = previous.copy(staged, path, relative)


def _entry_keys(cache: BuildCache | None, site: Site) -> dict[str, bytes]:
    """Return each entry's key, from the cache where it has one."""
    known = {record.entry.slug: record.key for record in cache.entries.values()} if cache else {}
    return {slug: known.get(slug) or entry_key(entry) for slug, entry in site.entries.items()}
