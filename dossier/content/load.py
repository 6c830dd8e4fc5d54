"""Load and validate the whole dossier before anything is written: every file, every cross-reference."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .. import tuning
from ..hashing import digest
from ..model import Dossier, Entry
from ..parallel import map_shared
from ..problems import Problem, Problems, did_you_mean, display_path
from ..urls import asset_name, base_path, entry_path
from .config import load_dossier
from .entities import EntityIndex
from .entries import find_entry_files, read_entry
from .frontmatter import Document, read_body
from .notes import NotesRenderer, RenderedNotes

if TYPE_CHECKING:  # a build without a cache does not load what keeps entries between builds
    from ..incremental.cache import BuildCache, EntryRecord, Stat


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


class ContentUrls(NamedTuple):
    """Where the notes' links lead: to an entry's page, by slug, and to a file below content/, by its path there."""

    entry: Callable[[Dossier, str], str]
    asset: Callable[[Dossier, str], str]


SITE_URLS = ContentUrls(
    lambda dossier, slug: base_path(dossier.base_url) + entry_path(slug),
    lambda dossier, relative: base_path(dossier.base_url) + asset_name(relative),
)
"""The site's own addresses, under the base URL's path."""


def load_content(
    content_dir: Path,
    problems: Problems,
    *,
    base_url: str | None,
    drafts: bool,
    cache: BuildCache | None = None,
    urls: ContentUrls | None = None,
) -> Content | None:
    """Return the dossier in `content_dir`, or None when it has errors (all recorded in `problems`).

    `urls` are the addresses the notes' links to entries and files become (the site's own by default).

    With a `cache`, an entry whose file and links are as the last build read them is taken from it.
    """
    dossier = load_dossier(content_dir / "dossier.yaml", problems, base_url)
    if dossier is None:
        return None
    entities = EntityIndex(dossier.entities, dossier.language)
    entries_dir = content_dir / "entries"
    files = find_entry_files(entries_dir, problems)
    if not files:
        problems.error(entries_dir, 0, "no entries: expected Markdown files (*.md) below content/entries/")
    entry_slugs = dict(zip(_resolved(files), [path.stem for path in files]))
    records = cache.entries_of(files) if cache is not None else {}
    parsed: list[tuple[Entry, Document | None]] = []
    invalid: list[Document] = []  # entries whose front matter has errors: their notes are checked all the same
    reused: dict[str, EntryRecord] = {}
    read_warnings: dict[str, list[Problem]] = {}
    entity_names: dict[str, list[str]] = {}
    # each file's time, size and hash, taken before it is read: an edit while it is read shows as a change
    as_read: dict[str, tuple[Stat, bytes]] = {}
    seen: dict[str, Path] = {}

    def read(path: Path) -> tuple[Entry, Document] | None:
        """Read the entry at `path`, noting for the cache what reading it found."""
        if cache is not None:
            as_read[str(path)] = cache.fingerprint(path)
        mark, asked = len(problems.items), len(entities.asked)
        result = read_entry(path, content_dir, dossier, entities, problems)
        if result is None:
            return None
        entry, doc = result
        if entry is None:
            invalid.append(doc)
            return None
        read_warnings[str(path)] = problems.items[mark:]
        entity_names[str(path)] = entities.asked[asked:]
        return entry, doc

    def read_all() -> None:
        """Read every entry file, or take it from the cache, in order."""
        for path in files:
            slug = path.stem
            if slug in seen:
                problems.error(path, 1, f'duplicate slug "{slug}": {display_path(seen[slug])} has the same file name; entry file names must be unique across folders')
            seen.setdefault(slug, path)
            record = records.get(str(path))
            if record is not None:
                for name in record.entity_names:
                    entities.resolve(name)
                reused[str(path)] = record
                parsed.append((record.entry, None))
                continue
            result = read(path)
            if result is not None:
                parsed.append(result)

    # Meanwhile other processes render the notes of the files read, as if no entry were a draft (which
    # ones are is known only once all are read): notes that link to one are rendered again below.
    fresh = [path for path in files if records.get(str(path)) is None]
    guess = NotesRenderer(
        content_dir=content_dir,
        entry_slugs=entry_slugs,
        entry_url=lambda slug: (urls or SITE_URLS).entry(dossier, slug),
        asset_url=lambda rel: (urls or SITE_URLS).asset(dossier, rel),
        drafts=set(),
        allow_html=dossier.allow_html,
    )
    # Reading takes about as long as rendering: a core is left to it, which renders notes too once it has read all.
    parts = map_shared(_render_notes, len(fresh), (fresh, guess), read_all, tuning.PARALLEL_ENTRIES)
    guessed = dict(zip([str(path) for path in fresh], [notes for part in parts for notes in part]))
    left_out = {entry.slug for entry, _ in parsed if entry.draft and not drafts}
    known = set(seen)
    renderer = dataclasses.replace(guess, drafts=left_out)
    assets: list[Path] = []
    entries: list[Entry] = []
    for entry, doc in parsed:
        if entry.slug in left_out:
            continue
        if doc is None:
            record = reused[str(entry.path)]
            if _still_valid(record, entry_slugs, known, left_out):
                problems.items.extend(record.warnings)
                assets.extend(record.assets)
                entries.append(record.entry)
                if cache is not None:
                    cache.keep(record)
                continue
            result = read(entry.path)  # what its links point to changed: read it again
            if result is None:
                continue
            entry, doc = result
        mark = len(problems.items)
        notes = _notes(doc, guessed.pop(str(entry.path), None), renderer, left_out, problems)
        related = _check_related(entry.slug, entry.related, doc, known, left_out, problems)
        entry_assets = list(notes.assets)
        if entry.image and entry.image.local:
            entry_assets.append(entry.image.local)
        assets.extend(entry_assets)
        declared = entry.related
        entry = dataclasses.replace(entry, notes_html=notes.html, links=tuple(notes.entry_links), related=related)
        entries.append(entry)
        added = problems.items[mark:]
        if cache is not None and str(entry.path) in as_read and not any(not p.warning for p in added):
            stat, content = as_read[str(entry.path)]
            lookups = [str(path) for path in [*notes.lookups, *([entry.image.local] if entry.image and entry.image.local else [])]]
            cache.keep_read(
                entry, stat=stat, content=content,
                entity_names=tuple(entity_names.get(str(entry.path), ())), declared_related=declared, world=_world(lookups, entry_slugs, left_out), assets=tuple(entry_assets),
                warnings=(*read_warnings.get(str(entry.path), ()), *added),
            )  # fmt: skip
    for doc in invalid:  # a file with a bad field and a broken link reports both in one run
        _notes(doc, guessed.pop(str(doc.path), None), renderer, left_out, problems)
        _check_related(doc.path.stem, _related_slugs(doc), doc, known, left_out, problems)
    if problems.errors:
        return None
    return Content(dossier, entries, entities, sorted(set(assets)), len(left_out))


def _resolved(files: list[Path]) -> list[str]:
    """Return each file's path resolved, as a string: its folder's once, the file's own only when it is a link
    (resolving costs a system call per part of the path, and a Path object per file costs as much again)."""
    folders: dict[str, str] = {}
    found = []
    for path in files:
        name = str(path)
        parent, base = os.path.split(name)
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = os.path.realpath(parent)
        found.append(os.path.realpath(name) if os.path.islink(name) else os.path.join(folder, base))
    return found


@dataclass(frozen=True, slots=True)
class _Guess:
    """An entry's notes rendered in another process, as if no entry were a draft."""

    body: tuple[bytes, int]
    """The hash of the body rendered and the line where it starts."""
    notes: RenderedNotes
    """The notes."""
    problems: tuple[Problem, ...]
    """What rendering them found."""


def _render_notes(shared: tuple[list[Path], NotesRenderer], start: int, stop: int) -> list[_Guess | None]:
    """Render the notes of the entry files start..stop (in a forked worker for large dossiers)."""
    paths, renderer = shared
    found: list[_Guess | None] = []
    for path in paths[start:stop]:
        doc = read_body(path)
        if doc is None:
            found.append(None)
            continue
        problems = Problems()
        try:
            notes = renderer.render(doc, problems)
        except Exception:  # noqa: BLE001 -- the caller renders them again, where the error surfaces as it would have
            found.append(None)
            continue
        found.append(_Guess((digest(doc.body.encode()), doc.body_line), notes, tuple(problems.items)))
    return found


def _notes(doc: Document, guessed: _Guess | None, renderer: NotesRenderer, left_out: set[str], problems: Problems) -> RenderedNotes:
    """Return the notes of `doc` rendered, taking those rendered beforehand when rendering them now gives the same."""
    if guessed is None or guessed.body != (digest(doc.body.encode()), doc.body_line):
        return renderer.render(doc, problems)  # not rendered beforehand, or the file changed since
    if any(slug in left_out for slug in guessed.notes.entry_links):
        return renderer.render(doc, problems)  # links to a draft left out: shown as plain text
    problems.items.extend(guessed.problems)
    return guessed.notes


def _still_valid(record: EntryRecord, entry_slugs: dict[str, str], known: set[str], left_out: set[str]) -> bool:
    """Return whether a cached entry is still what reading it now would give, with the other entries as they are."""
    declared, slug = record.declared_related, record.entry.slug
    if not all(other in known and other != slug for other in declared):
        return False
    if tuple(other for other in declared if other not in left_out) != record.entry.related:
        return False  # a related entry became a draft, or was published: the entry's warnings change too
    return record.world == _world([p for p, *_ in record.world], entry_slugs, left_out)


def _world(lookups: list[str], entry_slugs: dict[str, str], left_out: set[str]) -> tuple[tuple[str, str | None, bool, bool], ...]:
    """Return what each file (a resolved path) an entry's notes or image resolved to stands for now."""
    slugs = [entry_slugs.get(path) for path in lookups]
    # An entry file was found a moment ago, so it exists: only other files are looked for.
    return tuple((path, slug, slug in left_out, slug is not None or os.path.isfile(path)) for path, slug in zip(lookups, slugs))


def _check_related(slug: str, related: tuple[str, ...], doc: Document, known: set[str], left_out: set[str], problems: Problems) -> tuple[str, ...]:
    """Return the `related` slugs of the entry `slug` that are published; record those that point nowhere."""
    if not related:
        return ()
    kept = []
    raw = doc.data.get("related")
    written = [str(item).strip() for item in raw] if isinstance(raw, list) else [str(raw).strip()]
    for other in related:
        line = doc.line("related", written.index(other)) if other in written else doc.line("related")
        if other not in known:
            problems.error(doc.path, line, f'field "related": no entry "{other}"{did_you_mean(other, known - {slug})}; expected the file name (without .md) of an entry')
        elif other == slug:
            problems.error(doc.path, line, 'field "related": an entry cannot be related to itself')
        elif other in left_out:
            problems.warn(doc.path, line, f'field "related": "{other}" is a draft left out of this build')
        else:
            kept.append(other)
    return tuple(kept)


def _related_slugs(doc: Document) -> tuple[str, ...]:
    """Return the texts in the `related` field of an entry whose front matter has errors (its types reported there)."""
    raw = doc.data.get("related") if isinstance(doc.data, dict) else None
    items = raw if isinstance(raw, list) else [raw]
    texts = [str(item).strip() for item in items if isinstance(item, (str, int, float)) and not isinstance(item, bool)]
    return tuple(dict.fromkeys(text for text in texts if text))
