"""Load and validate the whole dossier before anything is written: every file, every cross-reference."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import load_dossier
from .entities import EntityIndex
from .entries import find_entry_files, read_entry
from .frontmatter import Document
from .model import Dossier, Entry
from .notes import NotesRenderer
from .problems import Problems, display_path


@dataclass(frozen=True, slots=True)
class Content:
    """The validated content of a dossier, ready to assemble."""

    dossier: Dossier
    """dossier.yaml."""
    entries: list[Entry]
    """The entries to publish (drafts only when asked for)."""
    entities: EntityIndex
    """Every entity, declared or named by an entry."""
    assets: list[Path]
    """Files below content/ that pages show or link to."""
    drafts: int
    """How many drafts were left out."""


def load_content(
    content_dir: Path,
    problems: Problems,
    *,
    base_url: str | None,
    drafts: bool,
    entry_url: Callable[[Dossier, str], str],
    asset_url: Callable[[Dossier, str], str],
) -> Content | None:
    """Return the dossier in `content_dir`, or None when it has errors (all recorded in `problems`)."""
    dossier = load_dossier(content_dir / "dossier.yaml", problems, base_url)
    if dossier is None:
        return None
    entities = EntityIndex(dossier.entities, dossier.language)
    entries_dir = content_dir / "entries"
    files = find_entry_files(entries_dir)
    if not files:
        problems.error(entries_dir, 0, "no entries: expected Markdown files (*.md) below content/entries/")
    parsed: list[tuple[Entry, Document]] = []
    seen: dict[str, Path] = {}
    for path in files:
        result = read_entry(path, content_dir, dossier, entities, problems)
        slug = path.stem
        if slug in seen:
            problems.error(path, 1, f'duplicate slug "{slug}": {display_path(seen[slug])} has the same file name; entry file names must be unique across folders')
        seen.setdefault(slug, path)
        if result is not None:
            parsed.append(result)
    left_out = {entry.slug for entry, _ in parsed if entry.draft and not drafts}
    renderer = NotesRenderer(
        content_dir=content_dir,
        entry_slugs={path.resolve(): path.stem for path in files},
        entry_url=lambda slug: entry_url(dossier, slug),
        asset_url=lambda rel: asset_url(dossier, rel),
        drafts=left_out,
        allow_html=dossier.allow_html,
    )
    assets: list[Path] = []
    entries: list[Entry] = []
    for entry, doc in parsed:
        if entry.slug in left_out:
            continue
        notes = renderer.render(doc, problems)
        related = _check_related(entry, doc, set(seen), left_out, problems)
        assets.extend(notes.assets)
        if entry.image and entry.image.local:
            assets.append(entry.image.local)
        entries.append(
            dataclasses.replace(entry, notes_html=notes.html, links=tuple(notes.entry_links), related=related)
        )
    if problems.errors:
        return None
    return Content(dossier, entries, entities, sorted(set(assets)), len(left_out))


def _check_related(entry: Entry, doc: Document, known: set[str], left_out: set[str], problems: Problems) -> tuple[str, ...]:
    """Return the entry's `related` slugs that are published; record those that point nowhere."""
    kept = []
    raw = doc.data.get("related")
    written = [str(item).strip() for item in raw] if isinstance(raw, list) else [str(raw).strip()]
    for slug in entry.related:
        line = doc.line("related", written.index(slug)) if slug in written else doc.line("related")
        if slug not in known:
            problems.error(doc.path, line, f'field "related": no entry "{slug}"; expected the file name (without .md) of an entry')
        elif slug == entry.slug:
            problems.error(doc.path, line, 'field "related": an entry cannot be related to itself')
        elif slug in left_out:
            problems.warn(doc.path, line, f'field "related": "{slug}" is a draft left out of this build')
        else:
            kept.append(slug)
    return tuple(kept)
