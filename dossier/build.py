"""Build a dossier: load and validate everything, assemble the site, then render and write it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .assemble import assemble_site
from .citations import citation_files
from .dataexport import research_files
from .exports import data_files
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


# Sites with fewer pages render in this process: starting workers would cost more than it saves.
PARALLEL_PAGES = 1500

Progress = Callable[[str], None]
"""Told each step of the build as it starts ("rendering 12,000 pages"); the CLI shows it on a terminal."""


def build(options: BuildOptions, *, check_only: bool = False, progress: Progress | None = None) -> BuildResult:
    """Build the site described by `options`; raise ContentError, leaving the old site as it was, on any error."""
    started = time.perf_counter()
    tell = progress or (lambda step: None)
    problems = Problems()
    tell("reading and checking the content")
    content, site = load_site(options, problems)
    if check_only:
        return BuildResult(len(site.entries), 0, 0, problems.warnings, time.perf_counter() - started)
    pages = plan_pages(site, options.search)
    staged = StagedSite(options.out)
    try:
        search_seconds = _write(staged, options, site, content, pages, tell)
    except BaseException:
        staged.discard()
        raise
    staged.publish()
    return BuildResult(
        len(site.entries), len(pages), len(staged.written), problems.warnings, time.perf_counter() - started, search_seconds
    )


def load_site(options: BuildOptions, problems: Problems) -> tuple[Content, Site]:
    """Return the validated content and the site assembled from it; raise ContentError on any error."""
    content = load_content(
        options.content, problems, base_url=options.base_url, drafts=options.drafts,
        entry_url=lambda d, slug: base_path(d.base_url) + entry_path(slug),
        asset_url=lambda d, rel: base_path(d.base_url) + asset_name(rel),
    )  # fmt: skip
    if content is None:
        raise ContentError(problems.errors + problems.warnings)
    site = assemble_site(content.dossier, content.entries, content.entities, options.today or dt.date.today(), problems)
    return content, site


def _write(staged: StagedSite, options: BuildOptions, site: Site, content: Content, pages: list[Page], tell: Progress) -> float:
    """Write every page and file into the staged site and index it; return the seconds indexing took."""
    prefix = base_path(site.dossier.base_url)
    links = LinkIndex(prefix, skip=() if options.search else (f"{BUNDLE}/",))
    try:
        env = make_environment(options.templates, site)
        tell(f"rendering {len(pages):,} pages")
        staged.reserve([page.output for page in pages])
        for part in map_ranges(render_range, len(pages), (env, pages, staged.root, prefix), min_items=PARALLEL_PAGES):
            links.merge(part)
        tell("writing feeds, data and files")
        for path, data in _files(site, pages):
            staged.write(path, data)
        _copy_static(options.templates / "static", staged)
        for asset in content.assets:
            staged.copy(asset, asset_name(asset.relative_to(options.content.resolve()).as_posix()))
        seconds = 0.0
        if options.search:
            # The index goes into the staged site, so the old site and its index are replaced together.
            tell(f"indexing {len(site.entries):,} entries for search")
            seconds = build_index(staged.root, site.dossier.language)
        tell("checking every internal link")
        broken = links.problems(staged.root)
        if broken:
            raise ContentError(broken)
        return seconds
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError([Problem(exc.filename or exc.name or "template", exc.lineno, f"template error: {exc.message}")]) from None
    except (jinja2.TemplateError, OutputClash) as exc:
        raise ContentError([Problem(str(options.templates), 0, f"could not render the site: {exc}")]) from None
    except SearchIndexError as exc:
        raise ContentError([Problem(str(options.out), 0, f"could not build the search index: {exc}")]) from None


def _files(site: Site, pages: list[Page]) -> list[tuple[str, bytes]]:
    """Return every generated file that is not a page: data, feeds, citations, hosting files, images."""
    return [
        *data_files(site), *research_files(site), *citation_files(site), *feed_files(site),
        *hosting_files(site, pages), *image_files(site),
    ]  # fmt: skip


def _copy_static(static_dir: Path, staged: StagedSite) -> None:
    """Copy the site's own stylesheet, scripts and images into static/."""
    if not static_dir.is_dir():
        return
    for path in sorted(static_dir.rglob("*")):
        if path.is_file():
            staged.copy(path, "static/" + path.relative_to(static_dir).as_posix())

