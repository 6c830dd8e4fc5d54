"""Citations of source articles: known answers in BibTeX, RIS and CSL-JSON, escaping, keys and files."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from dossier.content.dates import PartialDate
from dossier.files.citations import authors, bibtex, citation_files, citation_key, citation_keys, csl_json, ris
from dossier.model import Dossier, Entry, Site, Source, Theme

GERMAN = Entry(
    slug="newsde-nordkorea-geschosse",
    path=Path("content/entries/2022/newsde-nordkorea-geschosse.md"),
    title="Munition aus Nordkorea für Russland",
    date=PartialDate(2022, 9, 6),
    source=Source(name="news.de", url="https://www.news.de/politik/nordkorea-munition/", author="dpa"),
    language="de",
    summary="Zusammenfassung.",
    themes=("one",),
)
ENGLISH = Entry(
    slug="kirby-granaten",
    path=Path("content/entries/2022/kirby-granaten.md"),
    title="The White House says North Korea ships shells covertly",
    date=PartialDate(2022, 11, 2),
    source=Source(name="Los Angeles Times", url="https://www.latimes.com/world/story"),
    language="en",
    summary="Summary.",
    themes=("one",),
)
HOSTILE = Entry(
    slug="sonderzeichen",
    path=Path("content/entries/sonderzeichen.md"),
    title='Ärger & 100 % "Zoll" {x} \\ $5 #1 a_b ~ ^\nzweite Zeile',
    date=PartialDate(2023, 1, 31),
    source=Source(name="Müller & Söhne", url="https://example.org/a%20b?x={y}#z", author="Zeke Miller, Josh Boak and Associated Press"),
    language="de",
    summary="Zusammenfassung.",
    themes=("one",),
)


def test_bibtex_of_a_german_entry_with_an_agency_as_author():
    assert bibtex(GERMAN) == """\
@article{newsde2022munition,
  title = {{Munition aus Nordkorea für Russland}},
  author = {{dpa}},
  journal = {news.de},
  date = {2022-09-06},
  year = {2022},
  month = sep,
  day = {6},
  url = {https://www.news.de/politik/nordkorea-munition/},
  language = {de}
}
"""


def test_bibtex_of_an_english_entry_without_author_skips_a_leading_article_in_the_key():
    assert bibtex(ENGLISH) == """\
@article{losangelestimes2022white,
  title = {{The White House says North Korea ships shells covertly}},
  journal = {Los Angeles Times},
  date = {2022-11-02},
  year = {2022},
  month = nov,
  day = {2},
  url = {https://www.latimes.com/world/story},
  language = {en}
}
"""


def test_bibtex_escapes_special_characters_and_keeps_braces_balanced():
    text = bibtex(HOSTILE)
    assert (
        r"  title = {{Ärger \& 100 \% " + '"Zoll" '
        + r"\textbraceleft{}x\textbraceright{} \textbackslash{} \$5 \#1 a\_b \textasciitilde{} \textasciicircum{} zweite Zeile}},"
    ) in text  # fmt: skip
    assert r"  journal = {Müller \& Söhne}," in text
    assert "  author = {Zeke Miller and Josh Boak and {Associated Press}}," in text
    assert "  url = {https://example.org/a%20b?x=%7By%7D#z}," in text
    # BibTeX counts every brace, escaped or not: each field must balance on its own.
    for line in text.splitlines()[1:-1]:
        assert line.count("{") == line.count("}"), line
    assert text.count("\n") == 11  # the title's line break became a space


def test_ris_of_a_german_entry_with_author():
    assert ris(GERMAN) == (
        "TY  - NEWS\r\n"
        "TI  - Munition aus Nordkorea für Russland\r\n"
        "AU  - dpa\r\n"
        "T2  - news.de\r\n"
        "PY  - 2022\r\n"
        "DA  - 2022/09/06/\r\n"
        "UR  - https://www.news.de/politik/nordkorea-munition/\r\n"
        "LA  - de\r\n"
        "ER  - \r\n"
    )


def test_ris_of_an_english_entry_without_author_has_no_au_line():
    lines = ris(ENGLISH).split("\r\n")
    assert [line[:2] for line in lines if line] == ["TY", "TI", "T2", "PY", "DA", "UR", "LA", "ER"]


def test_ris_lines_are_tag_two_spaces_dash_space_and_line_breaks_cannot_start_a_field():
    text = ris(HOSTILE)
    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), lines
    assert "\n" not in text.replace("\r\n", "")
    assert 'TI  - Ärger & 100 % "Zoll" {x} \\ $5 #1 a_b ~ ^ zweite Zeile' in lines
    assert [line for line in lines if line.startswith("AU")] == ["AU  - Miller, Zeke", "AU  - Boak, Josh", "AU  - Associated Press"]


def test_csl_json_is_valid_json_with_the_required_keys():
    item = json.loads(json.dumps(csl_json(GERMAN)))
    assert item == {
        "id": "newsde2022munition",
        "type": "article-newspaper",
        "title": "Munition aus Nordkorea für Russland",
        "author": [{"literal": "dpa"}],
        "container-title": "news.de",
        "issued": {"date-parts": [[2022, 9, 6]]},
        "URL": "https://www.news.de/politik/nordkorea-munition/",
        "language": "de",
    }
    english = csl_json(ENGLISH)
    assert "author" not in english and english["issued"] == {"date-parts": [[2022, 11, 2]]}
    hostile = json.loads(json.dumps(csl_json(HOSTILE), ensure_ascii=False))
    assert hostile["title"] == HOSTILE.title and hostile["container-title"] == "Müller & Söhne"


def test_authors_split_lists_and_recognise_organisations():
    def names(text: str) -> list[tuple[str, bool]]:
        return authors(replace(GERMAN, source=Source("x", author=text)))

    assert names("dpa/AFP") == [("dpa", True), ("AFP", True)]
    assert names("Farnaz Fassihi, Julian E. Barnes") == [("Farnaz Fassihi", False), ("Julian E. Barnes", False)]
    assert names("Jeff Mason und Steve Holland; Reuters-Redaktion") == [("Jeff Mason", False), ("Steve Holland", False), ("Reuters-Redaktion", True)]
    assert names("Associated Press") == [("Associated Press", True)]


def test_citation_keys_are_ascii_and_unique_across_the_dossier_oldest_first():
    assert citation_key(HOSTILE) == "muellersoehne2023aerger"
    later = replace(GERMAN, slug="later", date=PartialDate(2022, 10, 1))
    site = _site(later, GERMAN, ENGLISH)
    assert citation_keys(site.entries.values()) == {"later": "newsde2022munitionb", "newsde-nordkorea-geschosse": "newsde2022munitiona", "kirby-granaten": "losangelestimes2022white"}
    files = dict(citation_files(site))
    assert "@article{newsde2022munitionb," in files["entries/later/cite.bib"].decode()


def test_citation_files_sit_next_to_each_entry_page():
    files = citation_files(_site(ENGLISH, GERMAN))
    assert [name for name, _ in files] == [
        "entries/kirby-granaten/cite.bib", "entries/kirby-granaten/cite.ris", "entries/kirby-granaten/cite.json",
        "entries/newsde-nordkorea-geschosse/cite.bib", "entries/newsde-nordkorea-geschosse/cite.ris", "entries/newsde-nordkorea-geschosse/cite.json",
    ]  # fmt: skip
    data = dict(files)
    assert json.loads(data["entries/newsde-nordkorea-geschosse/cite.json"]) == [csl_json(GERMAN)]
    assert data["entries/newsde-nordkorea-geschosse/cite.ris"].decode("utf-8") == ris(GERMAN)
    assert citation_files(_site(ENGLISH, GERMAN)) == files


def _site(*entries: Entry) -> Site:
    dossier = Dossier("Test", "", "de", "https://example.org/sub/", (Theme("one", "Eins", "", 0),))
    return Site(dossier, {entry.slug: entry for entry in entries}, {"one": dossier.themes[0]}, {}, [])
