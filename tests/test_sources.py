"""Outlets as records: dossier.yaml's `sources`, a page per outlet, and the media mix on /sources/."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

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
