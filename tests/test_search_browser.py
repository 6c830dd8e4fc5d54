"""Search in a real browser: the sample served under /dossier/, queried through Pagefind's UI in Chromium.

Every test runs twice: against the sample indexed as one bundle, as a site of its size is, and
indexed as three (forced with DOSSIER_SEARCH_SHARDS) that the search page merges, as a large site is.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from dossier.build import BuildOptions, build
from dossier.content.load import ContentUrls, load_content
from dossier.problems import Problems
from dossier.search.index import MOST_VALUES, SHARDS_VARIABLE, bundle_names, plan_shards

from conftest import ROOT

RESULT = ".pagefind-ui__result-link"
SHARDS = 3


@pytest.fixture(scope="module", params=[1, SHARDS], ids=["one-bundle", "three-bundles"])
def sample_site(request, sample_site, tmp_path_factory):
    """The sample served under /dossier/, its search index in one bundle or in three."""
    from browser import serve

    if request.param == 1:
        yield sample_site
        return
    root = tmp_path_factory.mktemp("served-shards")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHARDS_VARIABLE, str(request.param))
        build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=root / "dossier", base_url="https://example.github.io/dossier/"))
    yield from serve(root, "/dossier/")


@pytest.fixture(scope="module")
def entries():
    """The sample's published entries, with the text a reader can search."""
    content = load_content(
        ROOT / "content", Problems(), base_url=None, drafts=False,
        urls=ContentUrls(lambda d, s: s, lambda d, r: r),
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


def bundles_of(site) -> list[str]:
    """Return the search bundles the served site's search page merges."""
    html = (site.root / site.prefix.strip("/") / "search/index.html").read_text(encoding="utf-8")
    return re.search(r'data-bundles="([^"]*)"', html).group(1).split()


# The count beside each filter value on the search page, by `name:value`.
_FILTER_COUNTS = """() => Object.fromEntries([...document.querySelectorAll('.pagefind-ui__filter-value')].map(el => {
    const found = el.querySelector('label').textContent.match(/\\((\\d+)\\)\\s*$/);
    return [el.querySelector('input').name + ':' + el.querySelector('input').value, found ? Number(found[1]) : null];
}))"""


def shown_filters(page, settling_on: dict[str, int]) -> dict[str, int]:
    """Return the count the search page shows beside each filter value, by `name:value`.

    The counts follow the results a moment later (before, they are those of the whole index): wait up to
    10 s for each to be its value in `settling_on`, then return them as they are, for the caller to compare.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only where the browser tests run

    try:
        page.wait_for_function(
            f"""expected => {{ const shown = ({_FILTER_COUNTS})();
                const keys = Object.keys(shown);
                return keys.length && keys.every(k => shown[k] === expected[k]); }}""",
            arg=settling_on,
            timeout=10_000,
        )
    except PlaywrightTimeout:
        pass
    return page.evaluate(_FILTER_COUNTS)


def test_the_bundles_are_as_many_as_the_shards(sample_site, entries):
    names = bundles_of(sample_site)
    assert names in (["pagefind"], bundle_names([[]] * SHARDS))
    for name in names:
        assert (sample_site.root / "dossier" / name / "pagefind-entry.json").is_file()


@pytest.mark.parametrize("sort", [None, "newest"])
def test_a_search_by_relevance_loads_pagefind_once_for_every_bundle(page, sample_site, sort):
    names = bundles_of(sample_site)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    found = search(page, sample_site, "Russland", **({"sort": sort} if sort else {}))
    assert found
    prefix = sample_site.prefix

    def loaded(name: str) -> set[str]:
        folders = {path.removeprefix(prefix).split("/")[0] for path in requested if path.endswith("/" + name)}
        return {folder for folder in folders if folder.startswith("pagefind")}  # not static/search/pagefind.js

    assert loaded("pagefind-entry.json") == set(names), "every bundle's index is searched"
    # by relevance, one copy of Pagefind's script and WebAssembly serves every bundle; by date, each bundle's own
    assert loaded("pagefind.js") == loaded("wasm.de.pagefind") == ({names[0]} if sort is None else set(names))


def test_results_and_filter_counts_add_up_across_bundles(page, sample_site, entries):
    names = bundles_of(sample_site)
    # each bundle searched on its own, through Pagefind's API, from a page without the search UI
    page.goto(sample_site.url("timeline/"))
    parts = page.evaluate(
        """async ([base, names, term]) => {
            const parts = [];
            for (const name of names) {
                const pagefind = await import(base + name + "/pagefind.js");
                await pagefind.options({ basePath: base + name + "/", baseUrl: base });
                await pagefind.filters();  // loads the filter index, as the UI does: searches then count
                const all = await pagefind.filters();
                const search = await pagefind.search(term);
                const urls = await Promise.all(search.results.map(async r => (await r.data()).url));
                parts.push({ urls, filters: search.filters, all });
            }
            return parts;
        }""",
        [sample_site.prefix, names, "Russland"],
    )
    slugs = [[url.rstrip("/").rsplit("/", 1)[-1] for url in part["urls"]] for part in parts]
    total: Counter[str] = Counter()
    dossier: dict[str, Counter[str]] = {}  # each filter's values, by the entries of the whole dossier with them
    for part in parts:
        for name, values in part["filters"].items():
            total.update({f"{name}:{value}": count for value, count in values.items()})
        for name, values in part["all"].items():
            dossier.setdefault(name, Counter()).update(values)
    # then the search page, which merges the bundles
    found = search(page, sample_site, "Russland")
    counts = shown_filters(page, settling_on=dict(total))
    assert sorted(found) == sorted(slug for part in slugs for slug in part)
    if len(names) > 1:
        assert sum(1 for part in slugs if part) > 1, "the results come from several bundles"
        # each entry is in the bundle its page's shard names, and in no other
        shards = plan_shards(dict.fromkeys((f"entries/{slug}/index.html" for slug in entries), 0), len(names))
        for part, shard in zip(slugs, shards):
            assert {f"entries/{slug}/index.html" for slug in part} <= set(shard)
    assert counts and all(counts[key] == total[key] for key in counts)
    # each filter shows the values of the most entries in the dossier, MOST_VALUES at most
    for name, values in dossier.items():
        shown = {key.split(":", 1)[1] for key in counts if key.split(":", 1)[0] == name}
        assert len(shown) == min(MOST_VALUES, len(values)), name
        hidden = set(values) - shown
        assert not hidden or min(values[v] for v in shown) >= max(values[v] for v in hidden), name
    assert any(len(values) > MOST_VALUES for values in dossier.values()), "the sample has a filter with more values"
    # and they are the results' own: each year's count is the number of results from that year
    years = Counter(f"Jahr:{entries[slug].date.year}" for slug in found)
    assert {key: count for key, count in counts.items() if key.startswith("Jahr:") and count} == dict(years)


def test_on_a_phone_the_filter_index_loads_when_a_filter_is_opened(page, sample_site, entries):
    page.set_viewport_size({"width": 390, "height": 844})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    found = search(page, sample_site, "Russland")
    assert found and not [path for path in requested if path.endswith(".pf_filter")]

    def year_counts() -> dict[str, int]:
        return {key: count for key, count in page.evaluate(_FILTER_COUNTS).items() if key.startswith("Jahr:") and count}

    # until then the filters show how many entries of the whole dossier have each value
    dossier_years = Counter(f"Jahr:{entry.date.year}" for entry in entries.values())
    assert year_counts() == dict(dossier_years)
    results_years = Counter(f"Jahr:{entries[slug].date.year}" for slug in found)
    assert results_years != dossier_years, "the sample's results for Russland are not all its entries"
    page.locator("details.pagefind-ui__filter-block summary").filter(has_text=re.compile(r"^\s*Jahr\s*$")).click()
    page.wait_for_function(
        f"expected => {{ const shown = ({_FILTER_COUNTS})(); return Object.entries(expected).every(([k, n]) => shown[k] === n); }}",
        arg=dict(results_years),
    )
    assert year_counts() == dict(results_years)
    assert [path for path in requested if path.endswith(".pf_filter")]
