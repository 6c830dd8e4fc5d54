"""Render pages with Jinja2: autoescaping everywhere, site-wide helpers, URLs under the base path."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
from markupsafe import Markup

from .. import seams
from ..files.images import social_name
from ..hashing import digest
from ..model import Entry, Reason, Site, TimelineItem
from ..publish.integrity import LinkIndex
from ..publish.output import write_file
from ..site import maps
from ..site.network import draw
from ..site.timeline import Gap
from ..urls import base_path
from .i18n import Messages, direction
from .metadata import json_ld
from .plan import Page, PrintNotes
from .traced import Newest, Path_, TracedSite, in_order, note_all, noting, recording

if TYPE_CHECKING:  # a build without a cache has no keys, and does not load what makes them
    from ..incremental.fingerprint import PageKeys, Refs


MACROS = "macros.html"
"""The template whose macros `cached` (CachedMacros) calls."""


def make_environment(folders: Sequence[Path], site: Site, compiled: Path | None = None, extra: Mapping[str, Any] | None = None) -> jinja2.Environment:
    """Return the template environment for `site`: templates see it through traced.TracedSite, so that each page's
    reads of it can be noted, and the values `extra` as globals read the same way (the search bundles' names).
    `cached.kept` holds the parts of pages the last build made (none until set).

    With `compiled`, a folder, templates compiled once are kept there for later builds (Jinja's bytecode
    cache, keyed by each template's source): a rebuild rendering two pages would spend most of its
    rendering time compiling the templates they use.
    """
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),  # the first folder holding a template's name wins (templating.py)
        autoescape=True,  # every template, whatever its name: all text from content is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: templates are read once, not checked for changes on every page
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
    )
    if seams.quick("jinja2"):
        from .calls import use_quick_calls  # Jinja's private names: imported only for the versions tested

        use_quick_calls(env)
    prefix = base_path(site.dossier.base_url)
    messages = Messages.of(site.dossier)
    traced = TracedSite(site, extra)
    env.globals.update(
        site=traced,
        dossier=site.dossier,
        t=messages,
        url=lambda path="": prefix + path.lstrip("/"),
        lang=site.dossier.language,
        # The newest source's date, not the build's: the same content gives the same bytes.
        as_of=Newest(messages.date(next(iter(site.entries.values())).date) if site.entries else ""),
    )
    env.filters["date"] = messages.date
    env.filters["event_date"] = lambda item: messages.event_date(item.date, item.end, item.approximate)
    env.globals["month_name"] = messages.month
    env.globals["reason"] = lambda reason: related_reason(reason, messages)
    env.globals["json_ld"] = lambda page: json_ld(page, traced)  # type: ignore[arg-type]
    env.globals["network"] = lambda: draw(traced.ties)  # type: ignore[arg-type]
    env.globals["dossier_map"] = lambda theme=None, year=None: _dossier_map(traced, theme, year)
    env.globals["place_map"] = lambda slug: _place_map(traced, slug)
    env.globals["event_map"] = lambda slugs: _event_map(traced, slugs)
    env.globals["map_counts"] = maps.counts
    env.globals["absolute"] = lambda path="": site.dossier.base_url + path.lstrip("/")
    env.globals["locale_name"] = str(messages.locale)
    env.globals["social_image"] = social_name(site)
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    env.filters["language_name"] = messages.language_name
    page_direction = direction(site.dossier.language)
    env.globals["direction"] = page_direction
    # Beside `lang`, where a text's language runs the other way than the dossier's (an Arabic entry in a German dossier).
    env.filters["dir_attr"] = lambda code: Markup(f' dir="{direction(code)}"') if direction(code) != page_direction else ""
    env.globals["cached"] = CachedMacros(env, Kept({}, None))
    env.globals.update((name, getattr(traced, name)) for name in extra or {})
    return env


def _dossier_map(traced: TracedSite, theme: str | None, year: int | None) -> maps.Drawing | None:
    places = traced.places
    return maps.dossier_map(places, {slug: traced.entities[slug].name for slug in list(places)[: maps.MAP_PLACES]}, theme, year)  # type: ignore[arg-type]


def _place_map(traced: TracedSite, slug: str) -> maps.Drawing | None:
    """Return the locator map of the place `slug`, or None where it has no coordinates."""
    entity = traced.entities[slug]
    return maps.place_map(*entity.coordinates, slug) if entity.coordinates else None


def _event_map(traced: TracedSite, slugs: Sequence[str]) -> maps.Drawing | None:
    """Return the map of an event's places (`slugs`) that have coordinates."""
    located = [entity for entity in (traced.entities[slug] for slug in slugs) if entity.coordinates]
    return maps.event_map([(entity.slug, *entity.coordinates) for entity in located], {entity.slug: entity.name for entity in located})


Part = tuple[str, tuple[Path_, ...], bytes]
"""A part of a page: its HTML, what it read of the site (traced.py), and a key over the values read."""

Parts = dict[str, dict[bytes, Part]]
"""Parts of pages by the page's file below the site, each by its key."""


class Kept:
    """Parts of pages kept from one build to the next: each entry's section of the print edition.

    A part's key is the entry's full key with the key over the build's inputs and the dossier's settings
    (PageKeys.base), and whatever else it depends on; what it read of the site is kept with it and
    looked up again: the same key and the same values read make the same HTML. Parts are kept by page,
    so that a build rendering one volume of the print edition keeps the other volumes' parts as they were.
    """

    def __init__(self, old: Parts, keys: PageKeys | None):
        self._old = {key: part for parts in old.values() for key, part in parts.items()}
        self._keys = keys
        self.page = ""
        """The page being rendered (render_range sets it)."""
        self.new: Parts = {}
        """The parts of the pages rendered in this process, rendered or kept."""

    def get(self, slug: str, make: Callable[[], str], more: str = "") -> Markup:
        """Return the part for the entry `slug`, kept or made by `make`; `more` is what else the part depends on."""
        keys = self._keys
        if keys is None or slug not in keys.full:  # a build without keys keeps nothing
            return Markup(make())
        key = digest(keys.base + keys.full[slug] + more.encode())
        part = self._old.get(key)
        if part is not None and keys.values.digest(part[1], True) == part[2]:
            note_all(frozenset(part[1]))
        else:
            with recording() as noted:
                html = make()
            reads = in_order(noted)
            part = (html, reads, keys.values.digest(reads, True))
        self.new.setdefault(self.page, {})[key] = part
        return Markup(part[0])


class CachedMacros:
    """The macros pages repeat most, each output made once per process and reused: `cached.entry_card(entry)`,
    `cached('theme_badge', slug)`.

    A theme, entity or source page lists hundreds of entry cards and timeline events, and each entry's card and
    each event recur on many pages; an entry's page links to its entities, related reading and the entries citing
    it, each shown alike on other entries' pages. The macros see only the site-wide globals (templates import them
    without context), so one output per entry and heading, per event and per theme is the output on every page.
    Pages are rendered in forked workers (parallel.py): each worker fills its own copy as it goes.
    """

    def __init__(self, env: jinja2.Environment, kept: Kept):
        self._env = env
        self.kept = kept
        self._made: dict[tuple[str, tuple[Hashable, ...]], Made] = {}
        self._cards: dict[tuple[str, str], Made] = {}
        self._events: dict[tuple[int, bool], tuple[TimelineItem, Made]] = {}

    @cached_property
    def _macros(self) -> jinja2.environment.TemplateModule:
        return self._env.get_template(MACROS).module

    def __call__(self, name: str, *args: Hashable) -> Markup:
        """Return macros.html's macro `name` called with `args`, slugs and other values quick to hash and compare:
        `cached('entity_chip', slug)`."""
        key = (name, args)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _made(lambda: getattr(self._macros, name)(*args))
        return _reused(made)

    def entry_card(self, entry: Entry, heading: str = "h3") -> Markup:
        """Return macros.html's `entry_card(entry, heading)`."""
        key = (entry.slug, heading)
        made = self._cards.get(key)
        if made is None:
            made = self._cards[key] = _made(lambda: self._macros.entry_card(entry, heading))
        return _reused(made)

    def event_item(self, item: TimelineItem, highlight: str | None = None) -> Markup:
        """Return macros.html's `event_item(item, highlight)`; `highlight` matters only when it reported the item."""
        own = bool(highlight) and highlight in item.entries
        # Keyed by identity (every page shows the site's own items); the item is kept with its HTML so that its id stays its own.
        found = self._events.get((id(item), own))
        if found is None:
            found = self._events[id(item), own] = (item, _made(lambda: self._macros.event_item(item, highlight if own else None)))
        return _reused(found[1])

    def event_items(self, items: list[TimelineItem | Gap], highlight: str | None = None) -> Markup:
        """Return each item's `event_item(item, highlight)` and each gap's `event_gap(count)`, one after the other."""
        return Markup("".join([self("event_gap", item.count) if type(item) is Gap else self.event_item(item, highlight) for item in items]))

    def print_entry(self, entry: Entry, notes: PrintNotes) -> Markup:
        """Return macros.html's `print_entry(entry, notes[entry.slug])`, kept from the last build when the entry is unchanged."""
        return self.kept.get(entry.slug, lambda: str(self._macros.print_entry(entry, notes[entry.slug])), notes.leads(entry.slug))


Made = tuple[Markup, frozenset[Path_]]
"""A macro's output, with what it read of the site (traced.py)."""


def _made(make: Callable[[], Markup]) -> Made:
    """Return what `make` makes, with the reads of the site it noted."""
    with recording() as noted:
        html = make()
    return html, frozenset(noted)


def _reused(made: Made) -> Markup:
    """Return a macro's output made once, noting its reads of the site for the page using it again."""
    if noting and made[1]:  # note_all, inline: an entry page reuses some 15 outputs
        noting[-1].update(made[1])
    return made[0]


# GitHub Pages sends no headers of a site's choosing, so the policy travels in a <meta> element.
# No inline script or style; Pagefind compiles its WebAssembly ('wasm-unsafe-eval'); entry images
# may come from any https address.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' https: data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)


def related_reason(reason: Reason, messages: Messages) -> str:
    """Return why an entry is recommended, in the reader's words: `gemeinsam: Kim Jong-un · im selben Monat`."""
    if reason.picked:
        return messages("related_picked")
    parts = []
    if reason.shared_theme:
        parts.append(messages("related_theme", theme=reason.shared[0]))
    elif reason.shared:
        parts.append(messages("related_shares", items=", ".join(reason.shared)))
    if reason.when:
        parts.append(messages(f"related_when_{reason.when}"))
    if reason.wording:
        parts.append(messages("related_wording"))
    return " · ".join(parts)


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    """Return the page's HTML."""
    template = env.get_template(page.template)
    return template.render(page=page, **page.context).encode("utf-8")


def render_range(
    shared: tuple[jinja2.Environment, list[Page], Path, str, PageKeys | None, dict[str, bytes]], start: int, stop: int,
) -> tuple[LinkIndex, Parts, dict[str, Rendered]]:  # fmt: skip
    """Render pages start..stop and write them below `root`; return their links and anchors, the parts to keep,
    and, given `keys`, what each page's key is made from (`contexts` holds the context keys known already).

    For large sites a forked worker and this process take ranges in turn (see parallel.py): the pages are
    written where they are rendered, and only the links travel back, for the check that every internal link resolves, with the parts of pages
    the next build may reuse (Kept) and the keys.
    """
    env, pages, root, prefix, keys, contexts = shared
    links = LinkIndex(prefix)
    kept = env.globals["cached"].kept
    kept.new = {}  # a process renders several ranges: each returns the parts of its own pages
    made: dict[str, Rendered] = {}
    for page in pages[start:stop]:
        kept.page = page.output
        if keys is None:  # nothing keeps what the page read
            body = render_page(env, page)
        else:
            with recording() as noted:
                body = render_page(env, page)
            reads = in_order(noted)
            context, refs = (contexts[page.output], None) if page.output in contexts else keys.context(page.url, page.template, page.listed, page.context)
            read = keys.read(page.template, reads)
            made[page.output] = Rendered(keys.page(context, read), context, refs, reads, read)
        write_file(root, page.output, body)
        links.add(page.output, body)
    return links, kept.new, made


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a page's key was made from, as rendering it found."""

    key: bytes
    """The page's key (fingerprint.PageKeys.page)."""
    context: bytes
    """Its context key."""
    refs: Refs | None
    """The entries it shows, when its context key was computed here; None when it was known already."""
    reads: tuple[Path_, ...]
    """What it read of the site."""
    read: bytes
    """A key over the values it read."""


def assigned(template: nodes.Template) -> set[str]:
    """Return the names a template assigns anywhere: variables, arguments, macros, imports."""
    names = {name.name for name in template.find_all(nodes.Name) if name.ctx != "load"}
    names.update(macro.name for macro in template.find_all(nodes.Macro))
    names.update(item.target for item in template.find_all(nodes.Import))
    for item in template.find_all(nodes.FromImport):
        names.update(name if isinstance(name, str) else name[1] for name in item.names)
    return names
