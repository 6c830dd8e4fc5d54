"""Build a dossier: load and validate everything, assemble the site, then render and write it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .assemble import assemble_site
from .cache import RACY_NS, BuildCache, SiteRecord, Stat, stat_of
from .citations import citation_files
from .dataexport import research_files
from .exports import data_files
from .fingerprint import PageKeys, digest, engine_key, entry_key, files_key
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
from .reuse import Previous, site_files
from .integrity import LinkIndex
from .search import BUNDLE, SearchIndexError, build_index
from .urls import asset_name, base_path, entry_path


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build, from where, to where."""

    content: Path = Path("content")
    """The dossier's content folder."""
    templates: Path = Path("templates")
    """Templates, and the site's static files in templates/static/."""
    out: Path = Path("site")
    """Where the site goes; replaced only when the build succeeds."""
    base_url: str | None = None
    """Overrides dossier.yaml's base_url."""
    drafts: bool = False
    """Include entries marked as drafts."""
    search: bool = True
    """Build the search index (the site's search page needs it)."""
    today: dt.date | None = None
    """The day events are checked against (later ones are warned about); today when not given."""
    cache: Path | None = None
    """A folder where builds keep what the next one can reuse (cache.py); None for a clean build every time."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build made."""

    entries: int
    """Entries published."""
    pages: int
    """HTML pages written."""
    files: int
    """Every file written, pages included."""
    warnings: list[Problem]
    """Warnings found in the content."""
    seconds: float
    """Wall time of the build."""
    search_seconds: float = 0.0
    """Of which indexing for search took this long."""
    rendered: int = 0
    """Pages rendered this time; the others were carried over from the previous site unchanged."""


# Sites with fewer pages render in this process: starting workers would cost more than it saves.
PARALLEL_PAGES = 1500

Progress = Callable[[str], None]
"""Told each step of the build as it starts ("rendering 12,000 pages"); the CLI shows it on a terminal."""


def build(options: BuildOptions, *, check_only: bool = False, progress: Progress | None = None) -> BuildResult:
    """Build the site described by `options`; raise ContentError, leaving the old site as it was, on any error."""
    started = time.perf_counter()
    tell = progress or (lambda step: None)
    cache = BuildCache.open(options.cache, _entries_context(options)) if options.cache else None
    inputs = _inputs(options)
    if cache is not None and not check_only and _unchanged(cache, options, inputs):
        assert cache.site is not None
        tell("nothing changed since the last build")
        entries, pages, files = cache.site.counts
        return BuildResult(entries, pages, files, cache.site.warnings, time.perf_counter() - started)
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
    carried = set(previous.carried)
    changed = [name for name in staged.written if name not in carried]
    removed = previous.removed(staged) if written.in_place else []
    if written.in_place:
        staged.update_in_place(changed, removed)
    else:
        staged.publish()
    if cache is not None:
        record = written.record
        if written.in_place:
            assert previous.record is not None
            files = {name: stat for name, stat in previous.record.files.items() if name not in removed}
            record.files = files | {name: stat_of(options.out / name) or (0, -1) for name in changed}
        else:
            record.files = site_files(options.out)
        record.inputs, record.warnings, record.counts = inputs, problems.warnings, (len(site.entries), len(pages), len(staged.written))
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
    record = SiteRecord(str(options.out.resolve()), {}, _build_key(options), {}, {}, {}, {}, {})
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
        tell(f"rendering {len(fresh):,} pages" + (f" ({len(pages) - len(fresh):,} unchanged)" if len(fresh) < len(pages) else ""))
        for part in map_ranges(render_range, len(fresh), (env, fresh, staged.root, prefix), min_items=PARALLEL_PAGES):
            links.merge(part)
        record.anchors = {page.output: frozenset(links.anchors[page.output]) for page in pages}
        changed = previous.drop_unchanged(staged, [page.output for page in fresh])
        tell("writing feeds, data and files")
        for path, data in _files(site, pages):
            record.generated[path] = previous.write(staged, path, data)
        _copy_static(options.templates / "static", staged, previous, record)
        for asset in content.assets:
            relative = asset_name(asset.relative_to(options.content.resolve()).as_posix())
            record.copied[relative] = previous.copy(staged, asset, relative)
        bundle = previous.bundle_intact(f"{BUNDLE}/") if options.search and not changed else None
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
            seconds = build_index(staged.root, site.dossier.language)
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


def _inputs(options: BuildOptions) -> dict[str, Stat]:
    """Return every file of the content and templates folders with its time and size."""
    found: dict[str, Stat] = {}
    for folder in (options.content, options.templates):
        for name, stat in site_files(folder).items() if folder.is_dir() else ():
            found[f"{folder}/{name}"] = stat
    return found


def _build_key(options: BuildOptions) -> bytes:
    """Return a key over what every page depends on besides the content: engine, templates, options, day."""
    templates = [p for p in options.templates.rglob("*") if p.is_file()] if options.templates.is_dir() else []
    settings = (options.base_url, options.drafts, options.search, (options.today or dt.date.today()).isoformat())
    return digest(engine_key() + files_key(templates, options.templates) + repr(settings).encode())


def _entries_context(options: BuildOptions) -> bytes:
    """Return a key over what every entry depends on: the engine, dossier.yaml, the options, where it runs."""
    try:
        config = (options.content / "dossier.yaml").read_bytes()
    except OSError:
        config = b""
    where = (str(options.content.resolve()), str(Path.cwd()), options.base_url, options.drafts)
    return digest(engine_key() + digest(config) + repr(where).encode())


def _entry_keys(cache: BuildCache | None, site: Site) -> dict[str, bytes]:
    """Return each entry's key, from the cache where it has one."""
    known = {record.entry.slug: record.key for record in cache.entries.values()} if cache else {}
    return {slug: known.get(slug) or entry_key(entry) for slug, entry in site.entries.items()}


def _unchanged(cache: BuildCache, options: BuildOptions, inputs: dict[str, Stat]) -> bool:
    """Return whether nothing the last build read has changed, and its site is still as it left it."""
    last = cache.site
    if last is None or last.out != str(options.out.resolve()) or last.inputs != inputs:
        return False
    if last.options != _build_key(options) or any(stat[0] >= cache.saved_at - RACY_NS for stat in inputs.values()):
        return False
    return options.out.is_dir() and site_files(options.out) == last.files

