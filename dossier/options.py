"""What a build is asked to do and what it reports: the types the command line and the build share.

Kept apart from build.py, which imports the whole pipeline: a rebuild that finds nothing changed
(uptodate.py) needs only these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import templating
from .problems import Problem


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build, from where, to where."""

    content: Path = Path("content")
    """The dossier's content folder."""
    templates: Path | None = None
    """The curator's own templates and static files (in its static/), each used in place of the engine's file of the
    same name; None for the engine's alone."""
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

    @property
    def template_folders(self) -> tuple[Path, ...]:
        """The folders templates are looked up in: the curator's, then the engine's (templating.py)."""
        return templating.folders(self.templates)


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
    search_runs: int = 0
    """Search bundles indexed this time; the others were carried over."""



Progress = Callable[[str], None]
"""Told each step of the build as it starts ("rendering 12,000 pages"); the CLI shows it on a terminal."""
