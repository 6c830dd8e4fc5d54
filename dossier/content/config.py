"""Read content/dossier.yaml: the dossier's title, language, base URL, themes and entities."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from babel import Locale, UnknownLocaleError
from markdown_it import MarkdownIt

from ..model import Dossier, Entity, EntityKind, Outlet, RelatedSettings, Theme
from ..pages.i18n import FALLBACK, available_languages, babel_locale, message_table
from ..problems import Problems, describe, did_you_mean
from ..urls import is_web_url
from .entries import resolve_content_file
from .fields import Fields
from .frontmatter import load_yaml, read_text
from .gazetteer import Lookup, locate_all
from .notes import sanitize
from .slugs import is_slug, make_slug

DOSSIER_FIELDS = ("title", "description", "language", "base_url", "themes", "entities", "sources", "related", "social_image", "allow_html", "method", "messages")
OUTLET_FIELDS = ("name", "url", "country", "language", "owner", "note")
SOCIAL_TYPES = (".png", ".jpg", ".jpeg")
RELATED_FIELDS = ("count", "weights", "date_days")
WEIGHT_FIELDS = ("entities", "themes", "tags", "text", "date")
THEME_FIELDS = ("slug", "title", "description")
ENTITY_FIELDS = ("name", "kind", "aliases", "description", "coordinates")
DOSSIER_NESTED = {"themes": THEME_FIELDS, "entities": ENTITY_FIELDS, "sources": OUTLET_FIELDS, "related": RELATED_FIELDS}


def load_dossier(path: Path, problems: Problems, base_url: str | None = None) -> Dossier | None:
    """Return the dossier described by `path`; record every problem in it."""
    if not path.is_file():
        problems.error(path, 0, "the dossier file is missing: every dossier needs content/dossier.yaml")
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    doc = load_yaml(path, text, problems)
    if doc is None:
        return None
    fields = Fields.top(doc, problems, "the dossier")
    if fields is None:
        return None
    fields.only(DOSSIER_FIELDS, DOSSIER_NESTED)
    title = fields.text("title", required=True) or ""
    description = fields.text("description") or ""
    language = _language(fields)
    if base_url is None:
        base_url = fields.text("base_url", required=True) or "/"
        if base_url != "/" and not is_web_url(base_url):
            fields.error("base_url", f"expected an http or https URL such as https://user.github.io/repo/, found {describe(base_url)}")
    if not base_url.endswith("/"):
        base_url += "/"
    themes = _themes(fields)
    entities = _entities(fields, language)
    related = _related(fields)
    social = _social_image(fields, path.parent)
    outlets = _outlets(fields, language)
    allow_html = fields.boolean("allow_html")
    method = _method(fields.text("method") or "")
    messages = _messages(fields, language)
    return Dossier(
        title, description, language, base_url, tuple(themes), tuple(entities), related, tuple(outlets), allow_html, social, method, messages
    )


def _messages(fields: Fields, language: str) -> dict[str, str | dict[str, str]]:
    """Return the interface strings dossier.yaml's `messages` gives, each checked against the English table: its key,
    its placeholders, its plural forms; and say which strings a language without a table of its own still lacks."""
    given = fields.mapping("messages")
    found: dict[str, str | dict[str, str]] = {}
    english = message_table(FALLBACK)
    forms = sorted(set(babel_locale(language).plural_form.tags) | {"other"})
    for key, value in (given.data.items() if given is not None else ()):
        assert given is not None
        if key not in english:
            given.warn(key, f"no interface string has this key{did_you_mean(str(key), english)}; it is not used")
            continue
        plural = isinstance(english[key], dict)
        if plural and isinstance(value, dict) and all(isinstance(text, str) for text in value.values()):
            wrong = sorted(set(map(str, value)) - set(forms))
            if wrong or "other" not in value:
                given.error(key, f"expected the plural forms {', '.join(forms)} (other at least), found {', '.join(map(str, value))}")
                continue
        elif plural and not isinstance(value, str):
            given.error(key, f"expected a text or plural forms ({', '.join(forms)}), found {describe(value)}")
            continue
        elif not plural and not isinstance(value, str):
            given.error(key, f"expected text, found {describe(value)}")
            continue
        allowed = _placeholders(english[key]) | ({"n"} if plural else set())
        unknown = sorted(_placeholders(value) - allowed)
        if unknown:
            can = ", ".join("{" + name + "}" for name in sorted(allowed)) or "no placeholders"
            given.error(key, f"{{{unknown[0]}}} is not filled in here; this string can use {can}")
            continue
        found[key] = value
    if language.split("-")[0].lower() not in available_languages():
        missing = [key for key in english if key not in found]
        if missing:
            fields.warn(
                "language",
                f'no interface strings for "{language}" yet: {len(missing)} of {len(english)} are in English ({", ".join(missing[:5])}, ...); '
                f'give them under messages:, or write one of {", ".join(available_languages())}',
            )
    return found


def _placeholders(text: str | dict[str, str]) -> set[str]:
    """Return the names of the `{name}` placeholders in a string, or in any of its plural forms."""
    texts = text.values() if isinstance(text, dict) else (text,)
    return {name for t in texts for name in re.findall(r"\{(\w+)\}", t)}


def _method(text: str) -> str:
    """Return the curator's account of their method as HTML: Markdown, raw HTML shown as text, its headings below
    the h2 /about/ gives it."""
    html = MarkdownIt("commonmark", {"html": False, "typographer": True}).render(text) if text else ""
    return sanitize(re.sub(r"<(/?)h([1-4])\b", lambda m: f"<{m[1]}h{int(m[2]) + 2}", html))


def _outlets(fields: Fields, language: str) -> list[Outlet]:
    """Return the publications declared in `sources`."""
    outlets: list[Outlet] = []
    seen: dict[str, int] = {}
    for item in fields.mappings("sources"):
        item.only(OUTLET_FIELDS, outer=DOSSIER_FIELDS)
        name = item.text("name", required=True)
        url = item.text("url")
        if url is not None and not is_web_url(url):
            item.error("url", f"expected an http or https URL, found {describe(url)}")
            url = None
        outlet_language = item.text("language")
        if outlet_language is not None and not _known_language(outlet_language):
            item.error("language", f"expected a language code such as de or en, found {describe(outlet_language)}")
            outlet_language = None
        if name is None:
            continue
        slug = make_slug(name, language)
        if slug in seen:
            item.error("name", f'"{name}" makes the page name "{slug}", already taken by the source on line {seen[slug]}')
            continue
        seen[slug] = item.line("name")
        outlets.append(Outlet(slug, name, url, item.text("country"), outlet_language, item.text("owner"), item.text("note")))
    return outlets


def _known_language(code: str) -> bool:
    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def _social_image(fields: Fields, content_dir: Path) -> Path | None:
    """Return the link-preview image, a PNG or JPEG below content/."""
    src = fields.text("social_image")
    if src is None:
        return None
    file = resolve_content_file(src, content_dir)
    if file is None or not file.is_file() or file.suffix.lower() not in SOCIAL_TYPES:
        fields.error("social_image", f"expected a PNG or JPEG file below content/ (such as media/preview.png), found {describe(src)}")
        return None
    return file


def _related(fields: Fields) -> RelatedSettings:
    """Return the related-reading settings; every value has a documented default."""
    defaults = RelatedSettings()
    section = fields.mapping("related")
    if section is None:
        return defaults
    section.only(RELATED_FIELDS, {"weights": WEIGHT_FIELDS}, DOSSIER_FIELDS)
    values = {
        "count": int(section.number("count", defaults.count, integer=True)),
        "date_days": section.number("date_days", defaults.date_days, minimum=1),
    }
    weights = section.mapping("weights")
    if weights is not None:
        weights.only(WEIGHT_FIELDS, outer=RELATED_FIELDS)
        for name in WEIGHT_FIELDS:
            values[name] = weights.number(name, getattr(defaults, name))
    return RelatedSettings(**values)


def _language(fields: Fields) -> str:
    language = fields.text("language") or "en"
    if not _known_language(language):
        fields.error("language", f"expected a language code such as de or en, found {describe(language)}")
        return "en"
    return language


def _themes(fields: Fields) -> list[Theme]:
    if not fields.required("themes"):
        return []
    items = fields.mappings("themes")
    if not items and isinstance(fields.data.get("themes"), list):
        fields.error("themes", "expected at least one theme, found an empty list")
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for item in items:
        item.only(THEME_FIELDS, outer=DOSSIER_FIELDS)
        slug = item.text("slug", required=True)
        title = item.text("title", required=True)
        if slug is None:
            continue
        if slug in seen:
            item.error("slug", f'the theme "{slug}" is already declared on line {seen[slug]}')
            continue
        if not is_slug(slug):
            item.error("slug", f'expected lower-case letters, digits and hyphens (such as "{make_slug(slug)}"), found {describe(slug)}')
        seen[slug] = item.line("slug")
        # A theme declared with an error is kept all the same, so that the entries naming it do not each
        # report it again: the error above stops the build before any page is made from it.
        themes.append(Theme(slug, title or slug, item.text("description") or "", len(themes)))
    return themes


def _entities(fields: Fields, language: str) -> list[Entity]:
    entities: list[Entity] = []
    slugs: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {}
    kinds = [kind.value for kind in EntityKind]
    unlocated: list[tuple[int, Fields, list[str]]] = []  # places without coordinates: position in `entities`, fields, names
    for item in fields.mappings("entities"):
        item.only(ENTITY_FIELDS, outer=DOSSIER_FIELDS)
        name = item.text("name", required=True)
        if name is None:
            continue
        kind = EntityKind(item.choice("kind", kinds, EntityKind.OTHER.value))
        aliases = item.texts("aliases")
        slug = make_slug(name, language)
        if slug in slugs:
            item.error("name", f'"{name}" makes the page name "{slug}", already taken by the entity on line {slugs[slug]}')
            continue
        slugs[slug] = item.line("name")
        clash = False
        for label, line in [(name, item.line("name"))] + aliases:
            folded = label.casefold()
            if folded in names and names[folded][0] != slug:
                item.problems.error(
                    item.doc.path, line, f'the name "{label}" already stands for another entity on line {names[folded][1]}'
                )
                clash = True
            names[folded] = (slug, line)
        if clash:
            continue
        if kind is EntityKind.PLACE and item.data.get("coordinates") is None:
            unlocated.append((len(entities), item, [name] + [alias for alias, _ in aliases]))
        entities.append(
            Entity(slug, name, kind, tuple(alias for alias, _ in aliases), item.text("description") or "", coordinates=_coordinates(item, kind))
        )
    # Every place without coordinates is looked up in one reading of the gazetteer's cities.
    for (position, item, labels), lookup in zip(unlocated, locate_all([labels for _, _, labels in unlocated], language)):
        if lookup.found is not None:
            entities[position] = replace(entities[position], coordinates=(lookup.found.lat, lookup.found.lon))
        else:
            _unlocated(item, labels, lookup)
    return entities


def _coordinates(item: Fields, kind: EntityKind) -> tuple[float, float] | None:
    """Return the latitude and longitude a place's `coordinates` give, or None (for other kinds, with a warning)."""
    value = item.data.get("coordinates")
    if value is not None and kind is not EntityKind.PLACE:
        item.warn("coordinates", f"only places are put on the map; this entity is of kind {kind.value} (write kind: place if it is one)")
        return None
    if value is not None:
        numbers = value if isinstance(value, list) else None
        if numbers is None or len(numbers) != 2 or any(isinstance(n, bool) or not isinstance(n, (int, float)) for n in numbers):
            item.error("coordinates", f"expected latitude and longitude in degrees, as in coordinates: [50.45, 30.52], found {describe(value)}")
            return None
        lat, lon = float(numbers[0]), float(numbers[1])
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            swapped = " (latitude first, then longitude)" if -90 <= lon <= 90 and -180 <= lat <= 180 else ""
            item.error("coordinates", f"expected a latitude from -90 to 90 and a longitude from -180 to 180, found [{numbers[0]}, {numbers[1]}]{swapped}")
            return None
        return lat, lon
    return None


def _unlocated(item: Fields, labels: list[str], lookup: Lookup) -> None:
    """Warn at a place's name that the gazetteer lacks it or is unsure of it: the curator then writes its coordinates."""
    if lookup.candidates:
        could = "; ".join(f"{c.name} ({c.country}) at [{c.lat:.2f}, {c.lon:.2f}]" for c in lookup.candidates)
        item.warn("name", f'the gazetteer knows several places called "{lookup.label}": {could}; write the coordinates of the one meant, as in coordinates: [{lookup.candidates[0].lat:.2f}, {lookup.candidates[0].lon:.2f}]')
    else:
        tried = ", ".join(f'"{label}"' for label in labels)
        item.warn("name", f"the gazetteer knows no place called {tried}, so it is left off the map; write its coordinates, as in coordinates: [50.45, 30.52] (latitude, longitude)")
