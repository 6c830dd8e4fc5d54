"""The map narrowed by theme and year in headless Chromium: in place with JavaScript, the same as the page of its
own the link leads to without it."""

from __future__ import annotations


def _state(page) -> dict[str, tuple[bool, str, str]]:
    """Return each place's marker: shown, its radius, and its count in the table."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.map-table tr[data-slug]')].map(row => {
            const marker = document.querySelector(`a.marker[data-slug="${row.dataset.slug}"]`);
            return [row.dataset.slug, [marker.getAttribute('display') !== 'none' && !row.hidden,
                                      marker.querySelector('circle').getAttribute('r'), row.querySelector('td').textContent]];
        }))"""
    )


def test_theme_and_year_links_narrow_the_map_as_their_own_pages_do(page, sample_site):
    # What the build wrote for the theme in a year, without JavaScript.
    expected = {}
    for url in ("map/themes/drohnen-iran/", "map/themes/drohnen-iran/2022/", "map/2023/", "map/"):
        page.goto(sample_site.url(url))
        expected[url] = _state(page)
    assert expected["map/themes/drohnen-iran/2022/"] != expected["map/"]
    assert {slug for slug, (shown, _, _) in expected["map/themes/drohnen-iran/2022/"].items() if shown} >= {"kiew"}
    assert not expected["map/themes/drohnen-iran/2022/"]["pjoengjang"][0]

    # The same, clicked through on /map/: no page is loaded, the address follows.
    page.goto(sample_site.url("map/"))
    page.evaluate("window.notReloaded = true")
    nav = page.locator(".map-filter")
    nav.locator("a[data-theme='drohnen-iran']").click()
    assert page.url.endswith("/dossier/map/themes/drohnen-iran/")
    assert _state(page) == expected["map/themes/drohnen-iran/"]
    nav.locator("a[data-year='2022']").click()
    assert page.url.endswith("/dossier/map/themes/drohnen-iran/2022/")
    assert _state(page) == expected["map/themes/drohnen-iran/2022/"]
    assert page.locator("#map-narrowed").inner_text() == ": Drohnen und Raketen aus Iran, 2022"
    assert page.locator(".map-filter a[aria-current]").evaluate_all("links => links.map(a => a.textContent)") == ["Drohnen und Raketen aus Iran", "2022"]
    # By keyboard: the links stay links, Enter follows them.
    nav.locator("a[data-theme='']").focus()
    page.keyboard.press("Enter")
    nav.locator("a[data-year='2023']").focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("/dossier/map/2023/")
    assert _state(page) == expected["map/2023/"]
    nav.locator("a[data-year='']").click()
    assert _state(page) == expected["map/"]
    assert page.evaluate("window.notReloaded") is True
    # Each link now leads to the page of what it narrows to, with the other choice kept.
    assert nav.locator("a[data-theme='sanktionen']").get_attribute("href") == "/dossier/map/themes/sanktionen/"
