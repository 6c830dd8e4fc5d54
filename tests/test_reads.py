"""What a page reads of the site is noted as it renders (pages/traced.py), and what a template reads of the entries it
holds is found from its syntax (shown.py): the two halves of a page's key that no one keeps by hand."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from dossier import build as build_module
from dossier.build import BuildOptions
from dossier.incremental.reads import EVERY
from dossier.incremental.shown import NotesShown
from dossier.pages import plan as pages
from dossier.pages.render import make_environment, render_page
from dossier.pages.traced import TracedSite, recording
from dossier.problems import Problems

from conftest import ROOT
from test_incremental import TODAY


def shown(**templates: str) -> dict[str, set[str]]:
    env = jinja2.Environment(loader=jinja2.DictLoader({f"{name}.html": text for name, text in templates.items()}))
    found = NotesShown(env, {})
    return {name: set(found(f"{name}.html")) for name in templates}


def test_a_template_reading_its_own_entrys_notes_counts_that_entry_alone_in_full():
    found = shown(
        own='{{ entry.notes_html }}{{ entry["links"] }}',
        card="{{ entry.title }} {% for e in entries %}{{ e.summary }}{% endfor %}",
        child='{% extends "own.html" %}',
        importer='{% from "card.html" import nothing %}{{ page.title }}',
    )
    assert found == {"own": {"entry"}, "card": set(), "child": {"entry"}, "importer": set()}


@pytest.mark.parametrize(
    "text",
    [
        "{% for e in entries %}{{ e.notes_html }}{% endfor %}",  # a loop's variable
        "{% set e = entry %}{{ e.notes_html }}",  # a name it sets
        "{% macro m(entry) %}{{ entry.links }}{% endmacro %}",  # a macro's argument
        "{{ related[0].notes_html }}",  # not a name at all
        "{{ entry|attr('notes_html') }}",  # the field named as a string
        "{{ entries|map(attribute='links')|list }}",
        "{{ entry|tojson }}",  # the whole object
        "{% include name %}",  # a template known only when rendering
    ],
)
def test_a_template_reading_notes_any_other_way_counts_every_entry_in_full(text: str):
    assert shown(page=text) == {"page": {EVERY}}


def test_notes_read_in_an_included_template_count_every_entry_in_full():
    # an included template sees the including one's variables: `x` may be a loop's
    found = shown(page='{% for x in entries %}{% include "part.html" %}{% endfor %}', part="{{ x.notes_html }}")
    assert found["page"] == {EVERY}
    assert found["part"] == {"x"}  # rendered on its own, x comes from the context


def test_every_read_of_the_site_is_noted(tmp_path: Path):
    options = BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=tmp_path / "site", today=TODAY)
    _, site = build_module.load_site(options, Problems())
    traced = TracedSite(site)
    env = jinja2.Environment()
    env.globals["site"] = traced
    slug = next(iter(site.entities))
    template = env.from_string(
        "{{ site.entries|length }} {{ site.entities[slug].name }} {{ 'x' in site.by_theme }} {{ site.dossier.title }}"
        "{% for item in site.timeline %}{% endfor %}"
    )
    with recording() as noted:
        template.render(slug=slug)
    assert noted == {("len", "entries"), ("item", "entities", slug), ("has", "by_theme", "x"), ("all", "dossier"), ("all", "timeline")}


def test_the_built_in_entry_theme_entity_and_print_pages_read_nothing_an_entry_added_elsewhere_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # These are the bulk of a site: reading the number of entries, the newest, or every entry, they would all
    # be rendered again whenever an entry is added. (Templates that do so are keyed right, just not cheaply.)
    monkeypatch.setattr(pages, "PRINT_VOLUME", 4)  # the print edition in volumes
    options = BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=tmp_path / "site", today=TODAY)
    _, site = build_module.load_site(options, Problems())
    env = make_environment(options.template_folders, site)
    bulk = [page for page in pages.plan_pages(site) if page.template in ("entry.html", "theme.html", "entity.html", "source.html") or page.url.startswith("print/2")]
    assert len(bulk) > len(site.entries)
    for page in bulk:
        with recording() as noted:
            render_page(env, page)
        whole = {path for path in noted if path[0] in ("len", "newest") or (path[0] == "all" and path[1] != "dossier")}
        assert whole == set(), page.output
        listed = {path[1] for path in noted if path[0] == "item"}
        # An entity page reads its own ties (its neighbours): an entry added elsewhere changes them only where it names the entity.
        assert listed <= {"themes", "entities", "outlet_of", "entries", "ties"}, page.output
