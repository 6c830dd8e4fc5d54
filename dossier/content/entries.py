"""Read the entries: one Markdown file per article, its front matter checked field by field."""

from __future__ import annotations

import os
from pathlib import Path

from babel import Locale, UnknownLocaleError

from ..model import Correction, Dossier, EntityKind, Entry, EventReport, FurtherReading, Image, Quote, Source, Status
from ..problems import Problems, describe, did_you_mean
from ..urls import asset_name, is_web_url
from .dates import DateError, PartialDate, parse_full_date, parse_partial_date
from .entities import EntityIndex
from .fields import Fields
from .frontmatter import Document, read_body, read_front_matter
from .slugs import is_slug, make_slug

ENTRY_FIELDS = (
    "title", "date", "source", "language", "summary", "themes", "entities", "events",
    "related", "further_reading", "status", "tags", "quotes", "image", "draft", "updated", "corrections",
)  # fmt: skip
FURTHER_FIELDS = ("title", "url", "source")
SOURCE_FIELDS = ("name", "url", "author", "title", "language", "archive_url", "accessed", "via")
EVENT_FIELDS = ("date", "end", "approximate", "title", "id", "status", "places")
CORRECTION_FIELDS = ("date", "text")
QUOTE_FIELDS = ("text", "by")
IMAGE_FIELDS = ("src", "alt", "caption", "credit")
# Endings editors give Markdown files (".md" for X.MD): an entry saved with one of these would silently be left out.
MARKDOWN_ENDINGS = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"})
IMAGE_TYPES = (".avif", ".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp")
ENTRY_NESTED = {
    "source": SOURCE_FIELDS, "image": IMAGE_FIELDS, "events": EVENT_FIELDS, "quotes": QUOTE_FIELDS, "further_reading": FURTHER_FIELDS,
    "corrections": CORRECTION_FIELDS,
}  # fmt: skip
STATUSES = [status.value for status in Status]


def find_entry_files(entries_dir: Path, problems: Problems | None = None) -> list[Path]:
    """Return every entry file below `entries_dir` (what `rglob("*.md")` finds: links to folders are not
    followed), sorted by path: all are below one folder, so as by their paths inside it.

    A Markdown file with another ending (`x.markdown`, `x.MD`) is not read, but warned about in `problems`.
    """
    found: list[str] = []
    # os.scandir and strings: a rebuild lists 10,000 entry files for each one it reads, and rglob takes as long again.
    folders = [str(entries_dir)]
    while folders:
        try:
            listing = os.scandir(folders.pop())
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
        with listing:
            for item in listing:
                if item.name.endswith(".md"):
                    found.append(item.path)
                elif problems is not None and os.path.splitext(item.name)[1].lower() in MARKDOWN_ENDINGS:
                    _not_read(item.path, problems)
                if item.is_dir(follow_symlinks=False):
                    folders.append(item.path)
    return [Path(name) for name in sorted(found)]


def _not_read(path: str, problems: Problems) -> None:
    """Warn about a Markdown file the build does not read because of its ending."""
    stem = os.path.splitext(os.path.basename(path))[0]
    name = stem if is_slug(stem) else make_slug(stem)
    problems.warn(path, 0, f'not read: only files ending in ".md" are entries; rename it to "{name}.md"')


def read_entry(
    path: Path, content_dir: Path, dossier: Dossier, entities: EntityIndex, problems: Problems
) -> tuple[Entry | None, Document] | None:
    """Return the entry in `path` and its parsed document, recording every problem in it.

    The entry is None when its front matter has errors; the document (with no data when the YAML could not
    be read) is still returned, so that the notes are checked in the same run. None alone means the file has
    no body to check: no front matter closed by "---", or not UTF-8.
    """
    doc = read_front_matter(path, problems)
    if doc is None:
        body = read_body(path)
        return (None, body) if body is not None else None
    fields = Fields.top(doc, problems, "the front matter")
    if fields is None:
        return None, doc
    before = len(problems.errors)
    slug = path.stem
    if not is_slug(slug):
        problems.error(
            path, 1, f'the file name must be a slug of lower-case letters, digits and hyphens, such as "{make_slug(slug, dossier.language)}.md"; found "{path.name}"'
        )
    fields.only(ENTRY_FIELDS, ENTRY_NESTED)
    title = fields.text("title", required=True)
    date = _date(fields, "date", parse_full_date, required=True)
    source = _source(fields)
    language = _language(fields, dossier.language)
    summary = fields.text("summary", required=True)
    themes = _themes(fields, dossier)
    events = _events(fields, entities)
    # An event's places are places the entry names, whether or not its `entities` lists them too.
    named = [entities.resolve(name) for name, _ in fields.texts("entities")] + [slug for event in events for slug in event.places or ()]
    entity_slugs = tuple(dict.fromkeys(named))
    related = tuple(dict.fromkeys(name for name, _ in fields.texts("related")))
    status = Status(fields.choice("status", STATUSES, Status.REPORTED.value))
    tags = tuple(dict.fromkeys(tag for tag, _ in fields.texts("tags")))
    quotes = _quotes(fields)
    image = _image(fields, content_dir)
    draft = fields.boolean("draft")
    further = _further_reading(fields)
    updated = _date(fields, "updated", parse_full_date)
    corrections = _corrections(fields)
    late = "expected the day of a change made after the source was published"
    if date is not None and updated is not None and updated < date:
        fields.warn("updated", f"{updated} lies before the entry's date {date}; {late}")
    for item, correction in corrections:
        if date is not None and correction.date < date:
            item.warn("date", f"{correction.date} lies before the entry's date {date}; {late}")
    if len(problems.errors) > before or title is None or date is None or source is None or summary is None:
        return None, doc
    entry = Entry(
        slug=slug, path=path, title=title, date=date, source=source, language=language, summary=summary,
        themes=themes, entities=entity_slugs, events=events, related=related, status=status, tags=tags,
        quotes=quotes, image=image, draft=draft, further_reading=further, updated=updated,
        corrections=tuple(correction for _, correction in corrections),
    )  # fmt: skip
    return entry, doc


def _corrections(fields: Fields) -> list[tuple[Fields, Correction]]:
    """Return the entry's corrections, oldest first, each with its fields (for messages)."""
    found = []
    for item in fields.mappings("corrections"):
        item.only(CORRECTION_FIELDS, outer=ENTRY_FIELDS)
        date = _date(item, "date", parse_full_date, required=True)
        text = item.text("text", required=True)
        if date is not None and text is not None:
            found.append((item, Correction(date, text)))
    return sorted(found, key=lambda pair: pair[1].date)


def _date(fields: Fields, field: str, parse, *, required: bool = False) -> PartialDate | None:
    if required and not fields.required(field):
        return None
    value = fields.data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        fields.error(field, f"expected a date, found {describe(value)}")
        return None
    try:
        return parse(str(value))
    except DateError as exc:
        fields.error(field, str(exc))
        return None


def _source(fields: Fields) -> Source | None:
    source = fields.mapping("source", required=True)
    if source is None:
        return None
    source.only(SOURCE_FIELDS, outer=ENTRY_FIELDS)
    name = source.text("name", required=True)
    url, archive_url = _web_url(source, "url"), _web_url(source, "archive_url")
    language = _language(source, None) if source.has("language") else None
    accessed = _date(source, "accessed", parse_full_date)
    if not name:
        return None
    via = tuple(dict.fromkeys(name for name, _ in source.texts("via")))
    return Source(name, url, source.text("author"), source.text("title"), language, archive_url, accessed, via)


def _web_url(fields: Fields, field: str) -> str | None:
    url = fields.text(field)
    if url is not None and not is_web_url(url):
        fields.error(field, f"expected an http or https URL, found {describe(url)}")
        return None
    return url


def _language(fields: Fields, default: str | None) -> str | None:
    language = fields.text("language")
    if language is None:
        return default
    try:
        Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        fields.error("language", f"expected a language code such as de or en, found {describe(language)}")
        return default
    return language


def _themes(fields: Fields, dossier: Dossier) -> tuple[str, ...]:
    declared = [theme.slug for theme in dossier.themes]
    found = fields.texts("themes", required=True)
    themes: list[str] = []
    for slug, line in found:
        if slug not in declared:
            fields.problems.error(
                fields.doc.path, line, f'field "themes": unknown theme "{slug}"{did_you_mean(slug, declared)}; dossier.yaml declares: {", ".join(declared)}'
            )
        elif slug not in themes:
            themes.append(slug)
    return tuple(themes)


def _events(fields: Fields, entities: EntityIndex) -> tuple[EventReport, ...]:
    events = []
    for item in fields.mappings("events"):
        item.only(EVENT_FIELDS, outer=ENTRY_FIELDS)
        date = _date(item, "date", parse_partial_date, required=True)
        end = _date(item, "end", parse_partial_date)
        approximate = item.boolean("approximate")
        title = item.text("title", required=True)
        event_id = item.text("id")
        status = item.choice("status", STATUSES, "")
        if date is not None and end is not None and end.last_day() < date.first_day():
            item.error("end", f"the end {end} lies before the start {date}; expected a date on or after it")
            end = None
        places = _event_places(item, entities)
        if date is not None and title is not None:
            events.append(EventReport(date, title, event_id, item.line(), end, approximate, Status(status) if status else None, places))
    return tuple(events)


def _event_places(item: Fields, entities: EntityIndex) -> tuple[str, ...] | None:
    """Return the slugs of the places an event names, warning at a name that is not a place of dossier.yaml's;
    None when it names none (`places: []` names none: the event happened elsewhere than its entry's places)."""
    if item.data.get("places") is None:
        return None
    places = []
    for name, line in item.texts("places"):
        slug = entities.resolve(name)
        entity = entities.by_slug[slug]
        if entity.kind is not EntityKind.PLACE:
            declared = f"is declared as {entity.kind.value}" if entity.declared else "is not declared in dossier.yaml"
            item.problems.warn(item.doc.path, line, f'field "{item.name("places")}": "{name}" {declared}; expected a place (kind: place in dossier.yaml)')
        places.append(slug)
    return tuple(dict.fromkeys(places))


def _further_reading(fields: Fields) -> tuple[FurtherReading, ...]:
    found = []
    for item in fields.mappings("further_reading"):
        item.only(FURTHER_FIELDS, outer=ENTRY_FIELDS)
        title = item.text("title", required=True)
        url = item.text("url", required=True)
        if url is not None and not is_web_url(url):
            item.error("url", f"expected an http or https URL, found {describe(url)}")
            url = None
        if title is not None and url is not None:
            found.append(FurtherReading(title, url, item.text("source")))
    return tuple(found)


def _quotes(fields: Fields) -> tuple[Quote, ...]:
    quotes = []
    for item in fields.mappings("quotes"):
        item.only(QUOTE_FIELDS, outer=ENTRY_FIELDS)
        text = item.text("text", required=True)
        if text is not None:
            quotes.append(Quote(text, item.text("by")))
    return tuple(quotes)


def _image(fields: Fields, content_dir: Path) -> Image | None:
    image = fields.mapping("image")
    if image is None:
        return None
    image.only(IMAGE_FIELDS, outer=ENTRY_FIELDS)
    src = image.text("src", required=True)
    alt = image.text("alt", required=True)
    caption, credit = image.text("caption"), image.text("credit")
    if src is None or alt is None:
        return None
    if src.lower().startswith("https:"):
        if not is_web_url(src):
            image.error("src", f"expected an https URL or a file below content/, found {describe(src)}")
            return None
        return Image(src, alt, caption, credit)
    local = resolve_content_file(src, content_dir)
    if local is None:
        image.error("src", f"expected an https URL or a file below content/ (such as media/map.png), found {describe(src)}")
        return None
    if not local.is_file():
        image.error("src", f'no file "{src}" below content/')
        return None
    if local.suffix.lower() not in IMAGE_TYPES:
        image.error("src", f"expected an image ({', '.join(IMAGE_TYPES)}), found {describe(src)}")
        return None
    return Image(asset_name(local.relative_to(content_dir.resolve()).as_posix()), alt, caption, credit, local)


def resolve_content_file(relative: str, base: Path, content_dir: Path | None = None) -> Path | None:
    """Return the file `relative` names from `base`, or None when it leaves content/ or is absolute."""
    content_dir = (content_dir or base).resolve()
    if relative.startswith(("/", "\\")) or ":" in relative:
        return None
    target = (base / relative).resolve()
    if target != content_dir and content_dir not in target.parents:
        return None
    return target
