"""Property-based: through any series of content and template edits, a rebuild with the cache equals a clean build.

Hypothesis draws a list of steps: a curator's edits to entries (notes, title, status, themes, entities, events,
drafts, entries added and deleted) and to dossier.yaml, and edits that make a template read one more part of its
context or of `site`, as a curator adapting the templates would. After every step, test_incremental's Workspace
rebuilds with the cache and compares the site byte for byte with a clean build: a page key (fingerprint.py) that
misses something a template reads shows as a page the rebuild left stale.

A failure prints the steps as calls, `add_entry(slug='nachtrag-1', ...)`, followed by notes on what steps did
that their call does not show (which entity `remove_entity(..., position=1)` removed) or that a step did nothing
where the dossier had come to by then (a deleted entry's edit). DOSSIER_PROPERTY_EXAMPLES sets how many series
are tried: 4 by default, a series taking about five seconds; shrinking a failure takes up to five minutes more.
"""

from __future__ import annotations

import inspect
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from dossier.content.slugs import make_slug

from conftest import ROOT
from test_incremental import Workspace

Done = str | None
"""What an edit did, when its call does not say it all ("" when it does); None when it does not apply."""

SAMPLE = yaml.safe_load((ROOT / "content" / "dossier.yaml").read_text(encoding="utf-8"))
THEMES = [theme["slug"] for theme in SAMPLE["themes"]]
DECLARED = [entity["name"] for entity in SAMPLE["entities"]]
ENTITY_SLUGS = [make_slug(name, SAMPLE["language"]) for name in DECLARED]
ENTRIES = sorted(path.stem for path in (ROOT / "content" / "entries").rglob("*.md"))
STATUSES = ["reported", "confirmed", "disputed", "refuted"]  # docs/format.md, `status`
# Names no entry uses yet: each becomes an entity of kind `other` with a page of its own.
UNDECLARED = ["Erna Beispielfrau", "Hafen Rason", "Beispielwerk Tula"]
SOURCES = ["Beispielzeitung", "Yonhap", "tagesschau.de", "news.de"]
WORDS = ["Drohnen", "Munition", "Gipfel", "Kim", "Putin", "Sanktionen", "Dementi", "„Zitat“", "&", "<b>", "Ärger", "Nachtrag"]
PARAGRAPHS = [
    "Ein Nachtrag der Kuratorin.",
    "## Nachtrag\n\nDie Quelle hat ihren Bericht **korrigiert**.",
    "- erster Punkt\n- zweiter Punkt",
    "Siehe auch [den Originalbericht](https://example.org/bericht).",
    # longer than the opening of the notes that related reading reads (related.NOTES_CHARS)
    "Ein langer Absatz über Lieferwege, Häfen und Bahnstrecken. " * 40,
]
NEW_ENTRIES = [f"nachtrag-{n}" for n in range(1, 4)]
# New entries' and events' dates: the newest entry changes with the last, an event's date with the others.
ENTRY_DATES = ["2019-05-01", "2022-09-07", "2023-09-13", "2024-12-01", "2025-06-30"]
EVENT_DATES = ["2014", "2022-09", "2022-09-05", "2023-09-13", "2024-06-19", "2025-01"]
EVENT_IDS = [None, "nyt-munition-2022-09-05", "gipfel-wostotschny-2023-09-13", "nachtrag-ereignis"]
# The templates of pages, each read with the context pages.py gives it; base.html with every page's.
PAGE_TEMPLATES = [
    "entry.html", "theme.html", "entity.html", "source.html", "home.html", "themes.html", "entities.html",
    "sources.html", "timeline.html", "print.html", "search.html", "404.html", "base.html",
]  # fmt: skip
MACROS = re.findall(r"\{% macro (\w+)\(", (ROOT / "templates" / "macros.html").read_text(encoding="utf-8"))
# Series of three steps or more hold a template edit followed by a content edit more often than not.
FEWEST_STEPS, MOST_STEPS = 3, 6
# A link to another entry in the notes: its file name is the entry's slug.
NOTE_LINK = re.compile(r"\]\((?:[^)\s]*/)?([a-z0-9-]+)\.md(?:#[^)\s]*)?\)")


# Entries: front matter as YAML, the notes after it. An edit rewrites the front matter as yaml.safe_dump writes
# it (the same values, other line numbers), as a curator's editor might.


def entry_files(content: Path) -> dict[str, Path]:
    """Return every entry file below `content`, drafts included, by slug."""
    return {path.stem: path for path in sorted((content / "entries").rglob("*.md"))}


def read_entry(path: Path) -> tuple[dict[str, Any], str]:
    """Return an entry file's front matter and notes."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def write_entry(path: Path, meta: dict[str, Any], body: str) -> None:
    """Write an entry file from its front matter and notes."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def change_entry(space: Workspace, slug: str, change: Callable[[dict[str, Any], str], tuple[Done, str]]) -> Done:
    """Let `change` edit an entry's front matter in place and return what it did and the new notes; None if the
    entry is gone or `change` does not apply."""
    path = entry_files(space.content).get(slug)
    if path is None:
        return None
    meta, body = read_entry(path)
    done, notes = change(meta, body)
    if done is not None:
        write_entry(path, meta, notes)
    return done


def referenced(content: Path) -> set[str]:
    """Return the entries another file links to or picks as related reading: deleting one fails the build."""
    found: set[str] = set()
    for slug, path in entry_files(content).items():
        meta, body = read_entry(path)
        found.update(other for other in [*meta.get("related", []), *NOTE_LINK.findall(body)] if other != slug)
    return found


# Entries a step may delete: those steps add, and those of the sample no other entry refers to.
DELETABLE = sorted(set(ENTRIES) - referenced(ROOT / "content")) + NEW_ENTRIES


# The edits, each a function of the workspace and the arguments its step shows, returning what it did (Done).


def append_notes(space: Workspace, entry: str, text: str, at: str) -> Done:
    """Add a paragraph at the start or the end of an entry's notes."""
    return change_entry(space, entry, lambda meta, body: ("", f"{text}\n\n{body}" if at == "start" else f"{body.rstrip()}\n\n{text}\n"))


def retitle(space: Workspace, entry: str, title: str) -> Done:
    """Give an entry another title."""

    def change(meta: dict[str, Any], body: str) -> tuple[Done, str]:
        meta["title"] = title
        return "", body

    return change_entry(space, entry, change)


def set_status(space: Workspace, entry: str, status: str) -> Done:
    """Give an entry another status."""

    def change(meta: dict[str, Any], body: str) -> tuple[Done, str]:
        if meta.get("status", "reported") == status:
            return None, body
        meta["status"] = status
        return "", body

    return change_entry(space, entry, change)


def swap_theme(space: Workspace, entry: str, position: int, theme: str) -> Done:
    """Put another declared theme in place of one of an entry's themes (counted from its main theme)."""

    def change(meta: dict[str, Any], body: str) -> tuple[Done, str]:
        themes = meta["themes"]
        if theme in themes:
            return None, body
        old = themes[position % len(themes)]
        meta["themes"] = [theme if slug == old else slug for slug in themes]
        return f"{entry}: theme {old} replaced by {theme}", body

    return change_entry(space, entry, change)


def add_entity(space: Workspace, entry: str, name: str) -> Done:
    """Name one more entity in an entry, declared or not."""

    def change(meta: dict[str, Any], body: str) -> tuple[Done, str]:
        names = meta.get("entities", [])
        if name in names:
            return None, body
        meta["entities"] = [*names, name]
        return "", body

    return change_entry(space, entry, change)


def remove_entity(space: Workspace, entry: str, position: int) -> Done:
    """Take one of an entry's entities out of its list."""

    def change(meta: dict[str, Any], body: str) -> tuple[Done, str]:
        names = meta.get("entities", [])
        if not names:
            return None, body
        name = names[position % len(names)]
        meta["entities"] = [other for other in names if other != name]
        return f"{entry}: entity {name!r} removed", body

    return change_entry(space, entry, change)


def add_event(space: Workspace, entry: str, date: str, title: str, id: str | None) -> Done:
    """Add an event to an entry; an `id` another entry reports makes it one event with theirs."""

    def change(meta: dict[str, Any], body: str) -> tuple[Done, str]:
        meta["events"] = [*meta.get("events", []), {"date": date, "title": title} | ({"id": id} if id else {})]
        return "", body

    return change_entry(space, entry, change)


def toggle_draft(space: Workspace, entry: str) -> Done:
    """Make an entry a draft, or publish a draft."""

    def change(meta: dict[str, Any], body: str) -> tuple[Done, str]:
        if meta.pop("draft", False):
            return f"{entry} published", body
        meta["draft"] = True
        return f"{entry} made a draft", body

    return change_entry(space, entry, change)


def add_entry(
    space: Workspace, slug: str, date: str, title: str, source: str, themes: list[str], entities: list[str], links_to: str | None,
) -> Done:  # fmt: skip
    """Write a new entry, its notes maybe linking to another one."""
    files = entry_files(space.content)
    if slug in files:
        return None
    meta = {"title": title, "date": date, "source": {"name": source}, "summary": f"Zusammenfassung: {title}.", "themes": themes}
    if entities:
        meta["entities"] = entities
    body = "Ein neuer Bericht.\n"
    path = space.content / "entries" / date[:4] / f"{slug}.md"
    done = ""
    if links_to in files:
        body += f"\nSiehe [den früheren Eintrag]({os.path.relpath(files[links_to], path.parent)}).\n"
    elif links_to is not None:
        done = f"{slug}: no link, {links_to} is gone"
    write_entry(path, meta, body)
    return done


def delete_entry(space: Workspace, entry: str) -> Done:
    """Delete an entry's file, unless another entry refers to it."""
    path = entry_files(space.content).get(entry)
    if path is None or entry in referenced(space.content):
        return None
    path.unlink()
    return ""


def retitle_theme(space: Workspace, theme: str, title: str) -> Done:
    """Give a declared theme another title in dossier.yaml."""
    path = space.content / "dossier.yaml"
    dossier = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(declared for declared in dossier["themes"] if declared["slug"] == theme)["title"] = title
    path.write_text(yaml.safe_dump(dossier, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return ""


def read_in_template(space: Workspace, template: str, snippet: str) -> Done:
    """Show `snippet` in a page template's main block, in base.html's footer, or in a macro of macros.html
    (`macros.html:entry_card`), where, imported without context, only the site-wide globals are seen."""
    name, _, macro = template.partition(":")
    path = space.templates / name
    text = path.read_text(encoding="utf-8")
    if macro:
        # at the start of the macro's body, past its {% set %} and inside the list item it may make
        opening = re.search(rf"\{{% macro {macro}\(.*%\}}\n(?:\{{% set .*%\}}\n)?\s*(?:<li[^>]*>)?", text)
        assert opening is not None, template
        text = f"{text[: opening.end()]}<span>{snippet}</span>\n{text[opening.end() :]}"
    else:
        marker = "</footer>" if name == "base.html" else "{% endblock %}"
        at = text.rindex(marker)  # a page template's last block is its main block
        text = f"{text[:at]}<p>{snippet}</p>\n{text[at:]}"
    path.write_text(text, encoding="utf-8")
    return ""


# Strategies for the steps. Arguments are drawn from fixed lists, not from what the dossier holds at that step,
# so that the shrinker can drop any step and keep the others as they were; a step that does not apply where the
# dossier has come to (an edit of an entry deleted before) does nothing.


@dataclass(frozen=True)
class Step:
    """One edit, shown as the call that makes it: `retitle(entry='fath-360-lieferung', title='Gipfel')`."""

    edit: Callable[..., Done]
    args: dict[str, Any]

    def __repr__(self) -> str:
        return f"{self.edit.__name__}({', '.join(f'{name}={value!r}' for name, value in self.args.items())})"

    def apply(self, space: Workspace) -> Done:
        """Make the edit in the workspace's content or templates; return what it did."""
        return self.edit(space, **self.args)


def step(edit: Callable[..., Done], **args: st.SearchStrategy[Any]) -> st.SearchStrategy[Step]:
    """Return a strategy for the edit with arguments drawn from `args`, shown in the order of its parameters."""
    order = list(inspect.signature(edit).parameters)
    return st.fixed_dictionaries(args).map(lambda drawn: Step(edit, dict(sorted(drawn.items(), key=lambda item: order.index(item[0])))))


def titles() -> st.SearchStrategy[str]:
    """Return titles of a few words, some needing escapes in HTML or quotes in YAML."""
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


def site_reads() -> st.SearchStrategy[str]:
    """Return snippets reading a part of `site`, which any template (macros.html too) sees."""
    return st.one_of(
        st.just("{{ site.entries|length }} entries"),
        st.just("{{ (site.entries.values()|first).title }}"),
        st.just("{{ site.dossier.description }}"),
        st.just("{{ site.timeline|length }} events"),
        st.sampled_from(THEMES).map(lambda slug: f'{{{{ site.themes["{slug}"].title }}}}'),
        st.sampled_from(THEMES).map(lambda slug: f'{{{{ site.by_theme["{slug}"]|join(",") }}}}'),
        st.sampled_from(ENTITY_SLUGS).map(lambda slug: f'{{{{ site.by_entity["{slug}"]|join(",") }}}}'),
        # Guarded: the entry may be deleted or made a draft by a later step.
        st.sampled_from(ENTRIES).map(lambda slug: f'{{{{ site.entries["{slug}"].notes_html|length if "{slug}" in site.entries else "-" }}}}'),
    )


def context_reads() -> st.SearchStrategy[str]:
    """Return snippets reading a page's context (pages.py), each guarded as templates run with StrictUndefined."""
    listed = st.sampled_from(["entries", "latest", "backlinks"]).map(
        lambda name: f"{{% if {name} is defined %}}{{% for e in {name} %}}{{{{ e.notes_html|length }}}} {{% endfor %}}{{% endif %}}"
    )
    return st.one_of(
        listed,
        st.just("{% if related is defined %}{% for reason, e in related %}{{ e.notes_html|length }} {% endfor %}{% endif %}"),
        st.just(
            "{% if entry_years is defined %}{% for year, es in entry_years %}"
            "{% for e in es %}{{ e.notes_html|length }} {% endfor %}{% endfor %}{% endif %}"
        ),
        st.sampled_from(["previous", "next"]).map(
            lambda name: f"{{% if {name} is defined and {name} %}}{{{{ {name}.notes_html|length }}}}{{% endif %}}"
        ),
        st.just("{% if entry is defined %}{{ entry.notes_html|length }}{% endif %}"),
        st.just("{% if items is defined %}{{ items|length }} items{% endif %}"),
    )


def snippets(template: str) -> st.SearchStrategy[str]:
    """Return what `read_in_template` may show in `template`: one to three reads (the shrinker keeps the one that
    matters), of `site` only in a macro, which does not see the page's context."""
    reads = site_reads() if template.startswith("macros.html:") else site_reads() | context_reads()
    return st.lists(reads, min_size=1, max_size=3).map("; ".join)


def content_edits() -> st.SearchStrategy[Step]:
    """Return a strategy for one of a curator's edits to the content, each kind as likely."""
    entry = st.sampled_from(ENTRIES)
    kinds = [
        step(append_notes, entry=entry, text=st.sampled_from(PARAGRAPHS), at=st.sampled_from(["end", "start"])),
        step(retitle, entry=entry, title=titles()),
        step(set_status, entry=entry, status=st.sampled_from(STATUSES)),
        step(swap_theme, entry=entry, position=st.integers(0, 2), theme=st.sampled_from(THEMES)),
        step(add_entity, entry=entry, name=st.sampled_from(DECLARED + UNDECLARED)),
        step(remove_entity, entry=entry, position=st.integers(0, 4)),
        step(add_event, entry=entry, date=st.sampled_from(EVENT_DATES), title=titles(), id=st.sampled_from(EVENT_IDS)),
        step(toggle_draft, entry=entry),
        step(
            add_entry, slug=st.sampled_from(NEW_ENTRIES), date=st.sampled_from(ENTRY_DATES), title=titles(), source=st.sampled_from(SOURCES),
            themes=st.lists(st.sampled_from(THEMES), min_size=1, max_size=2, unique=True),
            entities=st.lists(st.sampled_from(DECLARED + UNDECLARED), max_size=3, unique=True), links_to=st.none() | entry,
        ),  # fmt: skip
        step(delete_entry, entry=st.sampled_from(DELETABLE)),
        step(retitle_theme, theme=st.sampled_from(THEMES), title=titles()),
    ]
    # Not a one_of of the kinds: that would flatten into the one_of in `edits` and make template edits rare.
    return st.sampled_from(kinds).flatmap(lambda kind: kind)


def edits() -> st.SearchStrategy[Step]:
    """Return a strategy for one step, as likely a template edit as a content edit."""
    templates = st.sampled_from([*PAGE_TEMPLATES, *(f"macros.html:{macro}" for macro in MACROS)])
    template_edits = templates.flatmap(lambda template: step(read_in_template, template=st.just(template), snippet=snippets(template)))
    # A template edit renders every page again; what it leaves stale shows in the content edits after it.
    return st.one_of(content_edits(), template_edits)


@settings(
    max_examples=int(os.environ.get("DOSSIER_PROPERTY_EXAMPLES", "4")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)  # fmt: skip
@given(st.lists(edits(), min_size=FEWEST_STEPS, max_size=MOST_STEPS))
def test_rebuilds_through_any_series_of_edits_equal_clean_builds(steps: list[Step]):
    # A folder of its own for each example: pytest's tmp_path would be shared by all of them.
    with tempfile.TemporaryDirectory() as tmp:
        space = Workspace(Path(tmp))
        space.rebuild()
        for number, edit in enumerate(steps, 1):
            done = edit.apply(space)
            if done is None:
                note(f"step {number} does nothing here")
                continue
            if done:
                note(f"step {number}: {done}")
            try:
                space.assert_same_as_clean()
            except AssertionError:
                # Shrinking a series takes minutes (every try builds it again) and may stop early: say where it parts.
                note(f"after step {number} the rebuild differs from a clean build")
                raise


def test_an_entry_added_after_entry_html_shows_the_number_of_entries_is_counted_on_every_entry_page(tmp_path: Path):
    # The curator's own template edit is a build input: every page is rendered with it. The entry added next
    # changes what entry.html now reads of the site, which an entry page's key must follow.
    space = Workspace(tmp_path)
    read_in_template(space, "entry.html", "{{ site.entries|length }} entries")
    space.assert_same_as_clean()
    page = tmp_path / "site" / "entries" / "fath-360-lieferung" / "index.html"
    assert "<p>26 entries</p>" in page.read_text(encoding="utf-8")
    add_entry(space, "nachtrag-1", "2024-12-01", "Ein neuer Bericht", "Beispielzeitung", ["diplomatie"], [], None)
    space.assert_same_as_clean()
    assert "<p>27 entries</p>" in page.read_text(encoding="utf-8")
