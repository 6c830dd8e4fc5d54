"""Print: /print/ holds the whole dossier in one document, and every page prints as a briefing without navigation."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.content.load import ContentUrls, load_content
from dossier.pages import plan as pages
from dossier.problems import Problems

from conftest import ROOT, build_dossier, entry, write_dossier


def published_entries():
    content = load_content(
        ROOT / "content", Problems(), base_url=None, drafts=False,
        urls=ContentUrls(lambda d, s: s, lambda d, r: r),
    )  # fmt: skip
    return sorted(content.entries, key=lambda e: (e.date.iso(), e.slug), reverse=True)


def test_print_page_holds_every_entry_newest_first_and_is_not_searchable(sample_site):
    html = HTMLParser((sample_site.root / "dossier" / "print" / "index.html").read_text("utf-8"))
    entries = published_entries()
    articles = html.css("article.print-entry")
    assert [a.attributes["id"] for a in articles] == [e.slug for e in entries]
    for article, published in zip(articles, entries, strict=True):
        assert article.css_first("h2").text(strip=True) == published.title
        assert published.source.name in article.css_first(".facts").text()
        assert article.css_first("time").attributes["datetime"] == published.date.iso()
        assert article.css_first(".status") is not None
        assert " ".join(published.summary.split()) in " ".join(article.text().split())
        if published.source.url:
            assert article.css_first(f'a[href="{published.source.url}"]') is not None
    assert html.css_first("[data-pagefind-body]") is None
    assert html.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert len(html.css("h1")) == 1
    home = HTMLParser((sample_site.root / "dossier" / "index.html").read_text("utf-8"))
    assert home.css_first('footer a[href="/dossier/print/"]') is not None


def test_print_page_is_no_search_result(page, sample_site):
    page.goto(sample_site.url("search/?q=Kim"))
    page.wait_for_selector(".pagefind-ui__result-link")
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and not [h for h in hrefs if "/print/" in h]


def test_printed_pages_hide_navigation_and_search_and_write_out_source_urls(page, sample_site):
    page.emulate_media(media="print")
    for path in ("", "themes/drohnen-iran/", "entries/newsde-nordkorea-geschosse/", "timeline/", "print/"):
        page.goto(sample_site.url(path))
        for hidden in (".masthead nav", ".site-search", ".skip", ".colophon nav"):
            assert page.locator(hidden).first.is_hidden(), f"{hidden} is printed on /{path}"
        assert page.locator("main h1").is_visible()
    page.goto(sample_site.url("entries/iran-drohnen-sullivan/"))
    assert page.locator(".entry-aside").is_hidden()
    source = page.locator(".facts a[href^='http']").first
    after = source.evaluate("a => getComputedStyle(a, '::after').content")
    assert source.get_attribute("href") in after


def test_print_page_puts_each_entry_on_new_pages(page, sample_site):
    page.emulate_media(media="print")
    page.goto(sample_site.url("print/"))
    breaks = page.locator("article.print-entry").evaluate_all("items => items.map(a => getComputedStyle(a).breakBefore)")
    assert breaks[1:] == ["page"] * (len(breaks) - 1)
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages > len(breaks), f"{pages} PDF pages for {len(breaks)} entries and the contents"


def test_a_large_dossier_is_printed_in_volumes_by_year_and_by_month_in_a_full_year(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "PRINT_VOLUME", 2)
    write_dossier(tmp_path, {
        "entries/a-2024.md": entry("Eins 2024", "2024-03-01", body="Siehe [den älteren Bericht](c-2023.md#absatz) und [den Nachbarn](b-2024.md).\n"),
        "entries/b-2024.md": entry("Zwei 2024", "2024-02-01"),
        "entries/c-2023.md": entry("Eins 2023", "2023-05-02", body="Ein Absatz.\n\n## Absatz\n\nMehr.\n"),
        "entries/d-2023.md": entry("Zwei 2023", "2023-05-01"),
        "entries/e-2023.md": entry("Drei 2023", "2023-01-09"),
        "entries/f-2022.md": entry("Eins 2022", "2022-08-01", body="Zurück zu [diesem](e-2023.md).\n"),
    })  # fmt: skip
    build_dossier(tmp_path, search=False)  # the build checks every link and anchor of the volumes
    site = tmp_path / "site"

    index = HTMLParser((site / "print" / "index.html").read_text("utf-8"))
    assert index.css("article.print-entry") == []
    assert [a.attributes["href"] for a in index.css(".print-volumes a")] == [
        "/sub/print/2024/", "/sub/print/2023-05/", "/sub/print/2023-01/", "/sub/print/2022/",
    ]  # a year with more entries than a volume holds is split by month
    assert "Mai 2023" in index.css_first(".print-volumes").text()

    def volume(key: str) -> HTMLParser:
        return HTMLParser((site / "print" / key / "index.html").read_text("utf-8"))

    assert [a.attributes["id"] for a in volume("2024").css("article.print-entry")] == ["a-2024", "b-2024"]
    assert [a.attributes["id"] for a in volume("2023-05").css("article.print-entry")] == ["c-2023", "d-2023"]
    assert [a.attributes["id"] for a in volume("2022").css("article.print-entry")] == ["f-2022"]
    links = [a.attributes["href"] for a in volume("2024").css("#a-2024 .notes a")]
    assert links == ["/sub/print/2023-05/#c-2023", "#b-2024"]  # into another volume, and within this one
    assert [a.attributes["href"] for a in volume("2022").css("#f-2022 .notes a")] == ["/sub/print/2023-01/#e-2023"]
    assert volume("2023-05").css_first("h1").text(strip=True).endswith("Mai 2023")
    assert volume("2023-05").css_first('.print-volumes [aria-current="page"]').text() == "Mai 2023"
