"""Outlets as records: dossier.yaml's `sources`, a page per outlet, and the media mix on /sources/."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.pages import plan
from dossier.problems import ContentError

from conftest import DOSSIER_YAML, build_dossier, entry, write_dossier

SOURCES = """\
sources:
  - name: News.de
    url: https://www.news.de/
    country: Deutschland
    language: de
    owner: Ein Verlag
    note: Nachrichtenportal.
"""


def with_source(name: str, **extra) -> str:
    return entry(**extra).replace("  name: news.de\n", f"  name: {name}\n")


def test_outlet_pages_list_their_entries_and_the_mix_is_counted(in_tmp):
    write_dossier(
        in_tmp,
        {"entries/a.md": entry(date="2022-01-01"), "entries/b.md": entry(date="2022-02-01"), "entries/c.md": with_source("Yonhap")},
        dossier_yaml=DOSSIER_YAML + SOURCES,
    )
    build_dossier(in_tmp)
    site = in_tmp / "site"
    mix = HTMLParser((site / "sources/index.html").read_text("utf-8"))
    rows = [[cell.text().strip() for cell in tr.css("td")] for tr in mix.css("tbody tr")]
    assert rows == [["News.de Deutschland", "2"], ["Yonhap", "1"]]  # declared name, matched regardless of case
    outlet = HTMLParser((site / "sources/news-de/index.html").read_text("utf-8"))
    facts = {dt.text(): dd.text() for dt, dd in zip(outlet.css("dt"), outlet.css("dd"))}
    assert facts == {"Website": "https://www.news.de/", "Land": "Deutschland", "Sprache": "Deutsch", "Eigentümer": "Ein Verlag"}
    assert [a.attributes["href"] for a in outlet.css(".card-title a")] == ["/sub/entries/b/", "/sub/entries/a/"]
    undeclared = HTMLParser((site / "sources/yonhap/index.html").read_text("utf-8"))
    assert "noch nicht beschrieben" in undeclared.body.text()
    page = HTMLParser((site / "entries/c/index.html").read_text("utf-8"))
    assert page.css_first(".facts dd a").attributes["href"] == "/sub/sources/yonhap/"


def test_sources_are_validated(in_tmp):
    bad = "sources:\n  - name: X\n    url: ftp://x\n    language: klingonisch\n  - {name: x}\n  - {url: 'https://y.org'}\n"
    write_dossier(in_tmp, {"entries/a.md": entry()}, dossier_yaml=DOSSIER_YAML + bad)
    with pytest.raises(ContentError) as raised:
        build_dossier(in_tmp)
    assert [str(p) for p in raised.value.problems] == [
        'content/dossier.yaml:20: field "sources.url": expected an http or https URL, found "ftp://x"',
        'content/dossier.yaml:21: field "sources.language": expected a language code such as de or en, found "klingonisch"',
        'content/dossier.yaml:22: field "sources.name": "x" makes the page name "x", already taken by the source on line 19',
        'content/dossier.yaml:23: missing required field "sources.name"',
    ]


def test_a_long_list_of_an_outlets_entries_is_split_into_pages_newest_first(in_tmp, monkeypatch):
    monkeypatch.setattr(plan, "ENTRIES_PAGE", 3)
    dates = ["2021-03-01", "2021-05-01", "2022-01-10", "2022-02-10", "2022-03-10", "2022-04-10", "2023-01-05"]
    write_dossier(in_tmp, {f"entries/e{i}.md": entry(title=f"Eintrag {date}", date=date) for i, date in enumerate(dates)})
    build_dossier(in_tmp)
    seen, url, numbers = [], "sources/news-de/", []
    while url:
        tree = HTMLParser((in_tmp / "site" / url / "index.html").read_text("utf-8"))
        titles = [a.text() for a in tree.css("article.card h3 a")]
        assert 0 < len(titles) <= 3
        assert "(7)" in tree.css_first("#entries-heading").text()  # the whole list's count on every page
        numbers.append(tree.css_first(".list-pager p.small").text())
        seen += titles
        newer = tree.css_first('.list-pager a[rel="prev"]')
        assert (newer is None) == (url == "sources/news-de/")
        older = tree.css_first('.list-pager a[rel="next"]')
        url = older.attributes["href"].removeprefix("/sub/") if older else None
    assert seen == [f"Eintrag {date}" for date in sorted(dates, reverse=True)]
    assert numbers == ["Einträge 1 bis 3 von 7, die neuesten zuerst", "Einträge 4 bis 6 von 7, die neuesten zuerst", "Einträge 7 bis 7 von 7, die neuesten zuerst"]
    # each year leads to the page its newest entry is on
    years = {a.text(): a.attributes["href"] for a in tree.css(".list-pager p.small a")}
    assert years == {"2023": "/sub/sources/news-de/", "2022": "/sub/sources/news-de/", "2021": "/sub/sources/news-de/2/"}
