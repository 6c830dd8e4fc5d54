"""The Content-Security-Policy holds: every page kind and search work under it, with no violation reported."""

from __future__ import annotations

import shutil

from browser import serve

PAGES = [
    "", "themes/", "themes/drohnen-iran/", "entries/newsde-nordkorea-geschosse/", "entities/", "entities/kim-jong-un/",
    "timeline/?theme=drohnen-iran", "sources/", "sources/news-de/", "404.html",
]  # fmt: skip


def violations(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def test_every_page_kind_and_search_run_without_csp_violations(page, sample_site):
    messages = violations(page)
    for path in PAGES:
        page.goto(sample_site.url(path))
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    page.goto(sample_site.url("search/?q=Kim"))
    page.wait_for_selector(".pagefind-ui__result-link")
    page.locator("label.pagefind-ui__filter-label:has-text('Gipfel, Verträge und Diplomatie')").click()
    page.goto(sample_site.url("timeline/"))
    page.locator("button.theme-toggle").nth(1).click()
    assert page.locator("#timeline li.event:visible").count() > 0
    assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m], messages


def test_the_policy_is_enforced(chromium, sample_site, tmp_path):
    """A control: an inline script smuggled into a copy of a page is refused by the same policy."""
    root = tmp_path / "www"
    shutil.copytree(sample_site.root / "dossier", root / "dossier")
    home = root / "dossier" / "index.html"
    home.write_text(home.read_text("utf-8").replace("</body>", "<script>document.title = 'ran'</script></body>"), "utf-8")
    server = serve(root, "/dossier/")
    site = next(server)
    tab = chromium.new_page()
    messages = violations(tab)
    try:
        tab.goto(site.url())
        assert tab.title() != "ran"
        assert any("Content Security Policy" in m for m in messages), messages
    finally:
        tab.close()
        server.close()
