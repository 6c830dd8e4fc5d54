"""The timeline in a real browser: without JavaScript, with its theme toggles, and loaded into TimelineJS3."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from dossier.build import BuildOptions, build
from dossier.pages import plan

from browser import serve
from conftest import ROOT

TIMELINEJS = Path(__file__).parent / "js" / "node_modules" / "@knight-lab" / "timelinejs" / "dist"


def visible_events(page) -> int:
    return page.locator("#timeline li.event:visible").count()


def test_timeline_works_with_javascript_off(chromium, sample_site):
    tab = chromium.new_page()
    try:
        tab.route("**/*.js", lambda route: route.abort())
        tab.goto(sample_site.url("timeline/"))
        total = int(tab.locator("#timeline-count").get_attribute("data-total"))
        assert visible_events(tab) == total > 20
        links = tab.locator(".timeline-themes a")
        assert links.count() >= 4
        links.first.click()
        tab.wait_for_load_state()
        assert urlsplit(tab.url).path.startswith("/dossier/themes/") and tab.url.endswith("#timeline")
        assert tab.locator("#timeline li.event").count() > 0
    finally:
        tab.close()


def test_theme_toggle_narrows_instantly_and_keeps_the_choice_in_the_url(page, sample_site):
    page.goto(sample_site.url("timeline/"))
    total = visible_events(page)
    toggle = page.locator("button.theme-toggle[data-theme='drohnen-iran']")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    shown = visible_events(page)
    assert 0 < shown < total
    themes = page.locator("#timeline li.event:visible").evaluate_all("items => items.map(i => i.dataset.themes)")
    assert all("drohnen-iran" in t.split() for t in themes)
    assert f"{shown} von {total}" in page.locator("#timeline-count").inner_text()
    assert parse_qs(urlsplit(page.url).query)["theme"] == ["drohnen-iran"]
    # years without a matching event disappear with their events
    assert page.locator("#y1953").is_hidden()
    page.reload()
    assert visible_events(page) == shown
    page.locator("button.theme-toggle[data-theme='']").click()
    assert visible_events(page) == total
    assert "theme" not in parse_qs(urlsplit(page.url).query)


def test_timelinejs_loads_the_export(chromium, sample_site, tmp_path):
    if not TIMELINEJS.is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI is set but TimelineJS is missing: run npm ci --prefix tests/js (see .ci/run)")
        pytest.skip("TimelineJS is not installed: npm ci --prefix tests/js")
    root = tmp_path / "www"
    shutil.copytree(TIMELINEJS, root / "tljs")
    shutil.copy(sample_site.root / "dossier" / "timeline.json", root / "timeline.json")
    (root / "index.html").write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="tljs/css/timeline.css">'
        '<script src="tljs/js/timeline.js"></script></head><body>'
        '<div id="embed" style="width: 1000px; height: 600px"></div>'
        "<script>window.tl = new TL.Timeline('embed', 'timeline.json');</script></body></html>"
    )
    events = json.loads((root / "timeline.json").read_text("utf-8"))["events"]
    server = serve(root, "/")
    site = next(server)
    tab = chromium.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        tab.goto(site.url())
        tab.wait_for_function("() => window.tl && window.tl.ready")
        assert tab.evaluate("window.tl.config.events.length") == len(events)
        # one slide per event plus the title slide, and no error message from TimelineJS
        assert tab.locator(".tl-slide").count() == len(events) + 1
        assert not tab.locator(".tl-message-full").is_visible()
        assert tab.locator(".tl-timegroup").count() >= 3  # groups are the themes
        assert not errors
    finally:
        tab.close()
        server.close()


def test_a_split_timeline_is_read_page_by_page_and_filtered_on_a_later_year(page, tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "TIMELINE_PAGE", 6)
    build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=tmp_path / "dossier", base_url="https://example.github.io/dossier/", search=False))
    server = serve(tmp_path, "/dossier/")
    site = next(server)
    try:
        page.goto(site.url("timeline/"))
        page.locator(".timeline-pages a", has_text="2023").first.click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/dossier/timeline/2023/"
        # on to the next page by its link, and the theme toggle narrows that page's events
        page.locator('.pager a[rel="next"]').click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/dossier/timeline/2023/2/"
        total = visible_events(page)
        assert total == int(page.locator("#timeline-count").get_attribute("data-total")) > 0
        themes = page.locator("#timeline li.event").evaluate_all("items => items.map(i => i.dataset.themes.split(' '))")
        theme = next(slug for slug in ("drohnen-iran", "munition-nordkorea", "diplomatie", "sanktionen", "geheimdienst") if 0 < sum(slug in t for t in themes) < total)
        page.locator(f"button.theme-toggle[data-theme='{theme}']").click()
        assert visible_events(page) == sum(theme in t for t in themes)
        assert parse_qs(urlsplit(page.url).query)["theme"] == [theme]
        # the earlier page, reached back through its link, is whole again
        page.locator('.pager a[rel="prev"]').click()
        page.wait_for_load_state()
        assert visible_events(page) == int(page.locator("#timeline-count").get_attribute("data-total"))
    finally:
        server.close()
