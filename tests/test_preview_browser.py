"""Previews of links to entries and entities, in headless Chromium: on hover, on keyboard focus, closed by Escape."""

from __future__ import annotations

import json

from conftest import ROOT

ENTRY = "entries/newsde-nordkorea-geschosse/"


def test_tabbing_to_an_entry_link_shows_its_preview_and_escape_closes_it(page, sample_site):
    page.goto(sample_site.url("themes/munition-nordkorea/"))
    expected = json.loads((sample_site.root / "dossier" / ENTRY / "preview.json").read_text("utf-8"))
    target = f'a[href="/dossier/{ENTRY}"]'
    assert page.locator(target).count() >= 1
    for _ in range(200):  # by keyboard alone, as a reader without a mouse gets there
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches('{target}')"):
            break
    else:
        raise AssertionError("no link to the entry was reached by Tab")
    tip = page.locator("#dossier-preview[role=tooltip]")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.locator(".preview-title").inner_text() == expected["title"]
    assert tip.locator(".status").inner_text().lower() == expected["status_label"].lower()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "dossier-preview"
    page.keyboard.press("Escape")
    assert page.locator("#dossier-preview").count() == 0
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") is None


def test_hovering_an_entity_link_shows_its_preview_and_leaving_hides_it(page, sample_site):
    page.goto(sample_site.url(ENTRY))
    link = page.locator('a[href="/dossier/entities/kim-jong-un/"]').first
    link.hover()
    tip = page.locator("#dossier-preview")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.locator(".preview-title").inner_text() == "Kim Jong-un"
    box, shown = link.bounding_box(), tip.bounding_box()
    assert shown["y"] >= box["y"] + box["height"] and shown["x"] + shown["width"] <= page.viewport_size["width"]
    page.mouse.move(5, 5)
    tip.wait_for(state="detached", timeout=5000)


def test_every_entry_and_entity_page_has_its_preview_file(sample_site):
    site = sample_site.root / "dossier"
    for kind in ("entries", "entities"):
        pages = [p.parent for p in (site / kind).glob("*/index.html")]
        assert pages and all((folder / "preview.json").is_file() for folder in pages), kind
    assert (ROOT / "templates" / "static" / "preview.js").is_file()
