"""Search in a real browser: the sample served under /dossier/, queried through Pagefind's UI in Chromium."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT
from dossier.load import load_content
from dossier.problems import Problems

RESULT = ".pagefind-ui__result-link"


@pytest.fixture(scope="module")
def entries():
    """The sample's published entries, with the text a reader can search."""
    content = load_content(
        ROOT / "content", Problems(), base_url=None, drafts=False,
        entry_url=lambda d, s: s, asset_url=lambda d, r: r,
    )  # fmt: skip
    return {e.slug: e for e in content.entries}


def text_of(entry) -> str:
    return " ".join([entry.title, entry.summary, re.sub(r"<[^>]+>", " ", entry.notes_html)])


def search(page, site, query: str, **params) -> list[str]:
    """Open the search page for `query`; return the slugs of all results, in order."""
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    page.goto(site.url(f"search/?q={query}{extra}"))
    return results(page)


def results(page, before: str | None = None) -> list[str]:
    """Return the slugs of all results shown, after the result message changed from `before`."""
    page.wait_for_function(
        "before => { const el = document.querySelector('.pagefind-ui__message');"
        " const m = el ? el.textContent.trim() : ''; return m && !m.includes('…') && m !== before; }",
        arg=before,
    )
    expected = result_count(page)
    while (shown := page.locator(RESULT).count()) < expected:
        if page.locator(".pagefind-ui__button").count():
            page.locator(".pagefind-ui__button").click()
        page.wait_for_function("n => document.querySelectorAll('.pagefind-ui__result-link').length > n", arg=shown)
    hrefs = page.locator(RESULT).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def result_count(page) -> int:
    message = page.locator(".pagefind-ui__message").inner_text()
    match = re.search(r"\d+", message)
    return int(match.group()) if match else 0


def test_a_persons_name_finds_the_entries_that_mention_them_most_relevant_first(page, sample_site, entries):
    found = search(page, sample_site, "Schoigu")
    mention = {slug for slug, e in entries.items() if "Schoigu" in text_of(e) or "sergej-schoigu" in e.entities}
    assert set(found) == mention
    # the entry about his visit names him in its title
    assert "Schoigu" in entries[found[0]].title


def test_theme_filter_narrows_the_results(page, sample_site, entries):
    everything = search(page, sample_site, "Russland")
    theme = "Drohnen und Raketen aus Iran"
    before = page.locator(".pagefind-ui__message").inner_text()
    page.locator(f"label.pagefind-ui__filter-label:has-text('{theme}')").click()
    narrowed = results(page, before)
    assert 0 < len(narrowed) < len(everything)
    assert all("drohnen-iran" in entries[slug].themes for slug in narrowed)
    assert set(narrowed) <= set(everything)
    assert parse_qs(urlsplit(page.url).query)["f"] == [f"Thema:{theme}"]
    page.goto(page.url)  # the filtered search, bookmarked and opened again
    assert results(page) == narrowed


def test_english_entry_found_from_the_german_interface(page, sample_site, entries):
    found = search(page, sample_site, "spaceport")
    assert found
    assert all(entries[slug].language == "en" for slug in found)
    assert page.evaluate("document.documentElement.lang") == "de"


@pytest.mark.parametrize("query,base", [("Lieferungen", "Lieferung"), ("Angriffen", "Angriff"), ("Teherans", "Teheran"), ("Nordkorea", "Nordkoreas")])
def test_inflected_german_forms_find_their_entries(page, sample_site, entries, query, base):
    only_base = [
        slug for slug, e in entries.items()
        if e.language == "de" and re.search(rf"\b{base}\b", text_of(e)) and not re.search(rf"\b{query}\b", text_of(e))
    ]  # fmt: skip
    assert only_base, f"the sample has entries that say {base} but not {query}"
    assert set(only_base) <= set(search(page, sample_site, query))


def test_compound_parts_are_found(page, sample_site, entries):
    found = search(page, sample_site, "Lieferung")
    compounds = [s for s, e in entries.items() if re.search(r"\w+lieferung", text_of(e)) and e.language == "de"]
    assert compounds
    assert set(compounds) <= set(found)


def test_result_link_opens_the_entry(page, sample_site, entries):
    found = search(page, sample_site, "Wostotschny")
    page.locator(RESULT).first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == f"/dossier/entries/{found[0]}/"
    assert page.locator("h1").inner_text() == entries[found[0]].title


def test_results_show_date_source_theme_and_status(page, sample_site, entries):
    found = search(page, sample_site, "Alabuga")
    first = entries[found[0]]
    tags = page.locator(".pagefind-ui__result").first.locator(".pagefind-ui__result-tag").all_inner_texts()
    text = " | ".join(tags)
    assert first.source.name in text and "Datum" in text and "Thema" in text and "Stand" in text


def test_sorting_by_date(page, sample_site, entries):
    newest = search(page, sample_site, "Kim", sort="newest")
    assert [entries[s].date for s in newest] == sorted((entries[s].date for s in newest), reverse=True)
    page.select_option("#search-sort", "oldest")
    page.wait_for_url("**sort=oldest**")
    oldest = results(page)
    assert sorted(oldest) == sorted(newest)
    assert [entries[s].date for s in oldest] == sorted(entries[s].date for s in oldest)
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["oldest"]


def test_typing_a_query_puts_it_in_the_url(page, sample_site):
    page.goto(sample_site.url("search/"))
    page.locator(".pagefind-ui__search-input").fill("Putin")
    results(page)
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Putin"]


def test_header_search_field_leads_to_the_search_page(page, sample_site):
    page.goto(sample_site.url("timeline/"))
    page.locator("#site-search-q").fill("Kursk")
    page.locator(".site-search button").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/dossier/search/"
    assert results(page)
    assert page.locator(".pagefind-ui__search-input").input_value() == "Kursk"


def test_without_javascript_the_search_page_points_elsewhere(chromium, sample_site):
    tab = chromium.new_page()
    try:
        tab.route("**/*.js", lambda route: route.abort())
        tab.goto(sample_site.url("search/?q=Kim"))
        assert tab.locator("#search-fallback").is_visible()
        assert not tab.locator("#search-app").is_visible()
        links = tab.locator("#search-fallback a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert links == ["/dossier/themes/", "/dossier/timeline/", "/dossier/entities/"]
    finally:
        tab.close()
