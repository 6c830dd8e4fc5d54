"""Build a dossier: load and validate everything, assemble the site, then render and write it.

`build` is the pipeline, one step after the other. `Pipeline` runs the steps for a build that starts from
nothing: every page rendered, every file written. A build that keeps a cache runs them through the
incremental layer (incremental/layer.py's `Rebuild`, a Pipeline that renders and writes only what changed
and carries the rest over from the last build), which is loaded only then.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from . import outlines, templating, tuning
from .content.load import Content, load_content
from .files.citations import citation_makers
from .files.dataexport import research_files
from .files.exports import data_files
from .files.feeds import feed_files
from .files.hosting import hosting_files
from .files.images import image_files
from .files.previews import preview_files
from .model import Site
from .options import BuildOptions, BuildResult, Progress
from .pages.plan import Page, plan_pages
from .pages.render import Kept, Parts, make_environment, render_range
from .parallel import in_background, map_shared
from .problems import ContentError, Problem, Problems
from .publish.integrity import LinkIndex
from .publish.output import OutputClash, StagedSite
from .search import compounds
from .search.index import BUNDLE, SearchIndexError, build_index, bundle_names, plan_shards, splits_compounds, summary_files, text_size
from .site.assemble import assemble_site
from .urls import asset_name, base_path

if TYPE_CHECKING:
    from .incremental.cache import BuildCache
    from .incremental.layer import Resume
    from .incremental.uptodate import State
    from .pages.render import Rendered

# Templates of pages that take ten to a thousand times as long as an entry's to render at 10,000 entries.
LONG_PAGES = frozenset({"themes.html", "theme.html", "print.html", "timeline.html"})


def build(options: BuildOptions, *, check_only: bool = False, progress: Progress | None = None, state: State | None = None) -> BuildResult:
    """Build the site described by `options`; raise ContentError, leaving the old site as it was, on any error.

    `state` is what uptodate.look found, if the caller looked already (a build with a cache).
    """
    started = time.perf_counter()
    tell = progress or _quiet
    start = _start(options, state, started)
    if start.result is not None and not check_only:
        tell("nothing changed since the last build")
        return start.result
    problems = Problems()
    if not check_only:
        start.look_ahead()
    tell("reading and checking the content")
    content, site = load_site(options, problems, start.cache)
    if check_only:
        return BuildResult(len(site.entries), 0, 0, problems.warnings, time.perf_counter() - started)
    with _reported(options):  # a search budget that is not a number
        run = start.pipeline(options, site, plan_pages(site, options.search), tell)
    with run.staging(), _reported(options):
        run.plan_rendering()
        run.render_pages()
        run.copy_files(content.assets)
        run.index_for_search()
        run.check_links()
    run.publish()
    run.remember(problems.warnings)
    return run.result(problems.warnings, started)


def load_site(options: BuildOptions, problems: Problems, cache: BuildCache | None = None) -> tuple[Content, Site]:
    """Return the validated content and the site assembled from it; raise ContentError on any error."""
    content = load_content(options.content, problems, base_url=options.base_url, drafts=options.drafts, cache=cache)
    if content is None:
        raise ContentError(problems.errors + problems.warnings)
    memo = cache.memo(cache.keys_of(content.entries)) if cache is not None else None
    site = assemble_site(content.dossier, content.entries, content.entities, options.today or dt.date.today(), problems, memo)
    return content, site


class FromScratch:
    """What a build without a cache starts from: nothing. (A build with one starts from incremental/layer.py's `Resume`.)"""

    cache: BuildCache | None = None
    """No records of the last build to read entries from."""
    result: BuildResult | None = None
    """No last build whose site may still be right."""

    def look_ahead(self) -> None:
        """Look for nothing."""

    def pipeline(self, options: BuildOptions, site: Site, pages: list[Page], tell: Progress) -> Pipeline:
        """Return the build's steps from the planned pages to the published site."""
        return Pipeline(options, site, pages, tell)


def _start(options: BuildOptions, state: State | None, started: float) -> FromScratch | Resume:
    """Return what the build starts from: without a cache, nothing; with one, the last build's records and site,
    and whether that site is still right (the incremental layer, loaded only then)."""
    if options.cache is None:
        return FromScratch()
    from .incremental.layer import Resume

    return Resume(options, state, started)


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
        raise ContentError([Problem(str(options.template_folders[0]), 0, f"could not render the site: {exc}")]) from None
    except SearchIndexError as exc:
        raise ContentError([Problem(str(options.out), 0, f"could not build the search index: {exc}")]) from None


class Pipeline:
    """One build from the planned pages to the published site: what its steps share.

    Each step writes into the staged site, which replaces the old one when all are done. Here every page is
    rendered and every file written; the incremental layer (incremental/layer.py's Rebuild) overrides the
    steps and the hooks marked so to write only what changed and carry the rest over.
    """

    compiled: Path | None = None
    """A folder for the templates compiled (render.make_environment); a hook: none here."""
    cache_folder: Path | None = None
    """A folder for what compound splitting loads (compounds.py); a hook: none here."""

    def __init__(self, options: BuildOptions, site: Site, pages: list[Page], tell: Progress):
        self.options, self.site, self.pages, self.tell = options, site, pages, tell
        self.staged = StagedSite(options.out)
        self.links = LinkIndex(base_path(site.dossier.base_url), skip=() if options.search else (f"{BUNDLE}/",))
        # A dossier without entries has nothing with `data-pagefind-body`: Pagefind then indexes its other pages whole.
        self.shards = plan_shards(
            {page.output: text_size(site.entries[page.entry]) for page in pages if page.entry is not None}
            or dict.fromkeys((page.output for page in pages), 0)
        )
        self.extra: dict[str, Any] = {"search_bundles": bundle_names(self.shards)}
        """Values templates read beside the site (the search page merges the bundles)."""
        self.env = make_environment(options.template_folders, site, self.compiled, self.extra)
        self.fresh: list[Page] = []
        """The pages to render."""
        self.written: list[str] = []
        """The pages rendered whose bytes are new."""
        self.search = (0.0, 0)
        """How long indexing took and how many bundles it indexed."""

    @contextlib.contextmanager
    def staging(self) -> Iterator[StagedSite]:
        """Give the staged site to the steps inside the block; discard it if one fails."""
        try:
            yield self.staged
        except BaseException:
            self.staged.discard()
            raise

    def plan_rendering(self) -> None:
        """Find the pages to render: all of them."""
        self.fresh = list(self.pages)
        self.staged.reserve([page.output for page in self.fresh])

    def render_pages(self) -> None:
        """Render the pages planned, on every core for many, while the whole-site files are written (`_write_site_files`)."""
        fresh, site, pages = self.fresh, self.site, self.pages
        self.env.globals["cached"].kept = self._kept_parts()
        skipped = len(pages) - len(fresh)
        self.tell(f"rendering {len(fresh):,} pages" + (f" ({skipped:,} unchanged)" if skipped else ""))
        tables = _compound_tables(fresh, site, self.cache_folder) if self.options.search else None
        if len(fresh) >= tuning.PARALLEL_PAGES and site.places:
            outlines.outlines(outlines.BASE)  # the maps' countries, read once here rather than in each forked worker
        # With few pages to render here, another process makes the whole-site files (a second each at 10,000 entries)
        # from now on, while this one renders.
        in_turn = self._makes_site_files() and 0 < len(fresh) < tuning.PARALLEL_PAGES and len(site.entries) >= tuning.SITE_FILES_ENTRIES
        site_files = in_background(_files, site, pages) if in_turn else (lambda: _files(site, pages))
        # Shared out among processes, the long pages go first, so that the processes end together (any order makes the same pages).
        in_order = long_first(fresh) if len(fresh) >= tuning.PARALLEL_PAGES else fresh
        shared = (self.env, in_order, self.staged.root, self.links.prefix, *self._keys())
        meanwhile = lambda: self._write_site_files(site_files, tables)  # noqa: E731
        for links, parts, page_keys in map_shared(render_range, len(in_order), shared, meanwhile, tuning.PARALLEL_PAGES, tuning.RENDER_CHUNK):
            self.links.merge(links)
            self._took(parts, page_keys)
        self.written = self._rendered()

    def _write_site_files(self, made: Callable[[], list[tuple[str, bytes]]], tables: Path | None) -> None:
        """Write the feeds, data and files that `made` makes (while the workers render the pages)."""
        self.tell("writing feeds, data and files")
        self._write_files(made)
        if tables is not None:
            compounds.write_table_file(tables)

    def copy_files(self, assets: list[Path]) -> None:
        """Copy the templates' static files and the content's images and documents into the site."""
        for name, path in templating.files(self.options.template_folders).items():
            if name.startswith("static/"):
                self._copy(path, name)
        for asset in assets:
            self._copy(asset, asset_name(asset.relative_to(self.options.content.resolve()).as_posix()))

    def index_for_search(self) -> None:
        """Index the entries for search."""
        if self.options.search:
            self.search = self._index()

    def check_links(self) -> None:
        """Check that every internal link of the new site leads to a page and an id on it."""
        self.tell("checking every internal link")
        broken = self.links.problems(self.staged.root, self.staged.written)
        if broken:
            raise ContentError(broken)

    def publish(self) -> None:
        """Put the new site in place of the old one, whole."""
        self.staged.publish()

    def remember(self, warnings: list[Problem]) -> None:
        """Keep what the next build needs: nothing here."""

    @property
    def files(self) -> int:
        """The files of the new site, the search index's left out."""
        index = set(bundle_names(self.shards)) if self.options.search else set()
        return sum(1 for name in self.staged.written if name.split("/", 1)[0] not in index)

    def result(self, warnings: list[Problem], started: float) -> BuildResult:
        """Return what the build made."""
        seconds, runs = self.search
        return BuildResult(len(self.site.entries), len(self.pages), self.files, warnings, time.perf_counter() - started, seconds, len(self.fresh), runs)

    # The hooks the incremental layer overrides.

    def _kept_parts(self) -> Kept:
        """Return the parts of pages kept from the last build (render.Kept): none here."""
        return Kept({}, None)

    def _makes_site_files(self) -> bool:
        """Return whether the whole-site files must be made (not carried over from the last build)."""
        return True

    def _keys(self) -> tuple[Any, dict[str, bytes]]:
        """Return the page keys renderers compute (fingerprint.PageKeys) and the context keys known: none here."""
        return None, {}

    def _took(self, parts: Parts, rendered: dict[str, Rendered]) -> None:
        """Take what renderers found of the pages they rendered: the parts to keep and their keys (none here)."""

    def _rendered(self) -> list[str]:
        """Return the pages rendered whose bytes are new: all of them here."""
        return [page.output for page in self.fresh]

    def _write_files(self, made: Callable[[], list[tuple[str, bytes]]]) -> None:
        """Write every generated file that is not a page (`made` makes them: see `_files`)."""
        for path, data in made():
            self.staged.write(path, data)
        for path, _, _, cite in citation_makers(self.site):
            self.staged.write(path, cite())

    def _copy(self, source: Path, relative: str) -> None:
        """Copy a file into the site."""
        self.staged.copy(source, relative)

    def _index(self) -> tuple[float, int]:
        """Index every search bundle; return the seconds it took and the runs."""
        staged, shards, site = self.staged, self.shards, self.site
        started = time.perf_counter()
        entries = sum(len(shard) for shard in shards) if site.entries else 0
        self.tell(f"indexing {entries:,} entries for search")
        bundles = build_index(staged.root, lambda path: staged.root / path, site.dossier.language, shards, list(range(len(shards))))
        for name in bundle_names(shards):
            staged.claim_folder(name)
        for path, data in summary_files(bundles).items():
            staged.write(path, data)
        return time.perf_counter() - started, len(shards)


def long_first(pages: list[Page]) -> list[Page]:
    """Return the pages, those of LONG_PAGES' templates first."""
    return sorted(pages, key=lambda page: page.template not in LONG_PAGES)


def _files(site: Site, pages: list[Page]) -> list[tuple[str, bytes]]:
    """Return every generated file that is not a page or a citation: data, feeds, hosting files, images."""
    return [
        *data_files(site), *research_files(site), *feed_files(site),
        *hosting_files(site, pages), *image_files(site), *preview_files(site),
    ]  # fmt: skip


def _compound_tables(fresh: list[Page], site: Site, folder: Path | None) -> Path | None:
    """Get compound splitting ready for the German entry pages to render; return where to write its tables, if anywhere.

    With the file of compound-split's tables in the cache `folder`, words are looked up in it. Without, the
    tables are loaded here, before the renderers fork, and written to the cache for the next build (compounds.py).
    """
    if not any(page.entry is not None and splits_compounds(site.entries[page.entry]) for page in fresh):
        return None
    path = compounds.table_file(folder) if folder is not None else None
    if compounds.use_table_file(path):
        return None
    compounds.load_tables()
    return path
