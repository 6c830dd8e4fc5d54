"""Accessibility in a real browser: axe-core finds no violation on any page kind, light or dark; controls work by keyboard.

axe-core comes from npm (`npm ci --prefix tests/js`). Its source is evaluated over the DevTools protocol, which the
pages' Content-Security-Policy does not govern, so the policy stays as strict as readers get it.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import ROOT

AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

PAGES = {
    "home": "",
    "themes": "themes/",
    "theme": "themes/drohnen-iran/",
    "entry (German)": "entries/newsde-nordkorea-geschosse/",
    "entry (English)": "entries/iran-drohnen-sullivan/",
    "entry (with image)": "entries/alabuga-drohnenfabrik/",
    "entities": "entities/",
    "entity": "entities/kim-jong-un/",
    "sources": "sources/",
    "source": "sources/news-de/",
    "timeline": "timeline/",
    "timeline (filtered)": "timeline/?theme=drohnen-iran",
    "404": "404.html",
    "print": "print/",
    "event": "events/munitionskauf-nordkorea/",
    "changes": "changes/",
    "about": "about/",
    "network": "network/",
    "map": "map/",
    "map (narrowed)": "map/themes/drohnen-iran/2022/",
    "entity (place, with a map)": "entities/kiew/",
    "event (with its places)": "events/kiew-drohnenangriff-2022-10-17/",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The axe-core script, or a skip (a failure under CI) when it is not installed."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but axe-core is missing at {AXE}: run npm ci --prefix tests/js")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/js)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, axe_source: str) -> list[str]:
    """Run axe-core on the page as it stands; return one line per violation and node."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\s+/g, ' '))})))",
        TAGS,
    )
    return [f"{v['id']} ({v['help']}): {node}" for v in result for node in v["nodes"]]


@pytest.fixture(params=["light", "dark"])
def scheme(request, page) -> str:
    page.emulate_media(color_scheme=request.param)
    return request.param


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_kind_has_no_axe_violations(page, sample_site, axe_source, scheme, path):
    page.goto(sample_site.url(path))
    if path.startswith("timeline/?"):
        assert page.locator("button.theme-toggle[aria-pressed='true'][data-theme='drohnen-iran']").count() == 1
    found = axe_violations(page, axe_source)
    assert not found, "\n".join(found)


def test_search_with_results_and_filters_open_has_no_axe_violations(page, sample_site, axe_source, scheme):
    page.goto(sample_site.url("search/?q=Kim"))
    page.wait_for_selector(".pagefind-ui__result-link")
    page.wait_for_selector(".pagefind-ui__filter-checkbox", state="attached")
    page.locator("label.pagefind-ui__filter-label:has-text('Gipfel, Verträge und Diplomatie')").click()
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length > 0 && !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')")
    found = axe_violations(page, axe_source)
    assert not found, "\n".join(found)


def test_timeline_theme_toggles_work_by_keyboard(page, sample_site):
    page.goto(sample_site.url("timeline/"))
    total = int(page.locator("#timeline-count").get_attribute("data-total"))
    focused = tab_to(page, "button.theme-toggle[data-theme='drohnen-iran']")
    assert focused, "the theme toggle cannot be reached with Tab"
    page.keyboard.press("Enter")
    toggle = page.locator("button.theme-toggle[data-theme='drohnen-iran']")
    assert toggle.get_attribute("aria-pressed") == "true"
    shown = page.locator("#timeline li.event:visible").count()
    assert 0 < shown < total
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert page.locator("#timeline li.event:visible").count() >= shown
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # back on the theme: pressing again keeps it chosen
    assert toggle.get_attribute("aria-pressed") == "true"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused toggle shows no focus outline"


def test_search_filters_work_by_keyboard(page, sample_site):
    page.goto(sample_site.url("search/?q=Russland"))
    page.wait_for_selector(".pagefind-ui__result-link")
    before = page.locator(".pagefind-ui__message").inner_text()
    theme = "Drohnen und Raketen aus Iran"
    box = f".pagefind-ui__filter-checkbox[value='{theme}']"
    assert tab_to(page, box), "the theme filter cannot be reached with Tab"
    page.keyboard.press("Space")
    assert page.locator(box).is_checked()
    page.wait_for_function(
        "before => { const m = document.querySelector('.pagefind-ui__message'); return m && m.textContent.trim() !== before; }", arg=before
    )
    assert "f=" in page.url
    assert tab_to(page, "#search-sort", backwards=True), "the sort order cannot be reached with Tab"


def tab_to(page, selector: str, backwards: bool = False, limit: int = 200) -> bool:
    """Press Tab (or Shift+Tab) until the element matching `selector` has focus; return whether it did."""
    target = page.locator(selector).first
    target.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if target.evaluate("el => el === document.activeElement"):
            return True
    return False


def test_no_horizontal_scroll_at_320_pixels(page, sample_site):
    page.set_viewport_size({"width": 320, "height": 640})
    wide = {}
    for name, path in {**PAGES, "search": "search/?q=Kim"}.items():
        page.goto(sample_site.url(path))
        if name == "search":
            page.wait_for_selector(".pagefind-ui__result-link")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[name] = width
    assert wide == {}, json.dumps(wide)


@pytest.fixture(scope="module")
def split_timeline(tmp_path_factory):
    """The sample built with at most six events on a page of a timeline and four entries on a page of a list, served under /dossier/."""
    from dossier.build import BuildOptions, build
    from dossier.pages import plan

    from browser import serve

    root = tmp_path_factory.mktemp("split")
    keep = plan.TIMELINE_PAGE, plan.TIMELINE_ON_PAGE, plan.ENTRIES_PAGE
    plan.TIMELINE_PAGE, plan.TIMELINE_ON_PAGE, plan.ENTRIES_PAGE = 6, 6, 4
    try:
        build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=root / "dossier", base_url="https://example.github.io/dossier/", search=False))
    finally:
        plan.TIMELINE_PAGE, plan.TIMELINE_ON_PAGE, plan.ENTRIES_PAGE = keep
    yield from serve(root, "/dossier/")


SPLIT = {
    "timeline overview": "timeline/",
    "timeline year part": "timeline/2023/2/",
    "timeline year filtered": "timeline/2024/?theme=drohnen-iran",
    "theme, first page": "themes/drohnen-iran/",
    "theme, older entries": "themes/drohnen-iran/2/",
    "theme's timeline year": "themes/drohnen-iran/timeline/2022/",
    "entity, older entries": "entities/kim-jong-un/2/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_kind_in_arabic_and_ukrainian_has_no_axe_violations(page, sample_in_other_language, axe_source, path):
    page.goto(sample_in_other_language.url(path))
    found = axe_violations(page, axe_source)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("path", SPLIT.values(), ids=SPLIT.keys())
def test_pages_of_split_lists_and_timelines_have_no_axe_violations(page, split_timeline, axe_source, scheme, path):
    page.goto(split_timeline.url(path))
    found = axe_violations(page, axe_source)
    assert not found, "\n".join(found)
