"""Research data from inline mini-dossiers: dossier.json's structure and values, entries.csv, determinism, inert content."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from dossier.content.load import ContentUrls, load_content
from dossier.files.dataexport import CSV_COLUMNS, dossier_json, entries_csv, research_files
from dossier.model import Site
from dossier.problems import Problems
from dossier.site.assemble import assemble_site
from dossier.urls import base_path, entry_path

from conftest import entry, write_dossier

A = entry(
    title="Granaten aus Nordkorea",
    date="2022-09-06",
    themes="[one, two]",
    extra="""\
source:
  name: news.de
  url: https://www.news.de/a
  author: dpa
entities: [Kim Jong Un, Unbekannte Firma]
tags: [artillerie]
status: confirmed
events:
  - {date: 2022-09-05, title: Bericht über Munitionskäufe, id: nyt}
  - {date: "2022", end: 2023-02, title: Ein Jahr, approximate: true}
related: [b]
further_reading:
  - {title: Hintergrund, url: "https://example.com/h", source: Example}
quotes:
  - {text: "Wir liefern nichts.", by: KCNA}
""",
    body="Siehe [den Bericht](b.md).\n",
).replace("source:\n  name: news.de\nsummary", "summary")
B = entry(title="Dementi aus Pjöngjang", date="2022-09-22", extra="language: en\nevents:\n  - {date: 2022-09-05, title: NYT report, id: nyt}\n")
HOSTILE = entry(title="'=cmd|\"/c calc\"!A1'", date="2022-01-01", extra="tags: ['@SUM(1)', '<script>alert(1)</script>']\n", body="<script>x</script>\n")


def load_site(root: Path) -> Site:
    """Return the Site of root/content as the build assembles it (the build does not hand it out)."""
    problems = Problems()
    content = load_content(
        root / "content", problems, base_url=None, drafts=False,
        urls=ContentUrls(lambda d, slug: base_path(d.base_url) + entry_path(slug), lambda d, rel: base_path(d.base_url) + rel),
    )  # fmt: skip
    assert content is not None, [str(p) for p in problems.errors]
    return assemble_site(content.dossier, content.entries, content.entities, dt.date(2030, 1, 1), problems)


def test_dossier_json_holds_the_whole_dossier(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": A, "entries/b.md": B})
    data = json.loads(dossier_json(load_site(in_tmp)))
    assert list(data) == ["schema_version", "dossier", "themes", "entities", "entries", "timeline"]
    assert data["dossier"] == {"title": "Testdossier", "description": "Ein Dossier für Tests.", "language": "de", "base_url": "https://example.org/sub/"}
    assert data["themes"][0] == {"slug": "one", "title": "Thema Eins", "description": "Das erste Thema.", "url": "https://example.org/sub/themes/one/"}
    assert [t["slug"] for t in data["themes"]] == ["one", "two"]
    kim = next(e for e in data["entities"] if e["slug"] == "kim-jong-un")
    assert kim == {
        "slug": "kim-jong-un", "name": "Kim Jong-un", "kind": "person", "aliases": ["Kim Jong Un"], "description": "",
        "declared": True, "url": "https://example.org/sub/entities/kim-jong-un/", "coordinates": None,
    }  # fmt: skip
    pyongyang = next(e for e in data["entities"] if e["slug"] == "pjoengjang")["coordinates"]
    assert pyongyang == [pytest.approx(39.03, abs=0.01), pytest.approx(125.75, abs=0.01)]  # the gazetteer's
    assert next(e for e in data["entities"] if e["name"] == "Unbekannte Firma")["declared"] is False
    assert [e["slug"] for e in data["entries"]] == ["b", "a"]  # newest first
    a = data["entries"][1]
    assert a == {
        "slug": "a",
        "url": "https://example.org/sub/entries/a/",
        "title": "Granaten aus Nordkorea",
        "date": "2022-09-06",
        "language": "de",
        "status": "confirmed",
        "source": {"name": "news.de", "url": "https://www.news.de/a", "author": "dpa", "via": []},
        "summary": "Eine Zusammenfassung.",
        "themes": ["one", "two"],
        "entities": ["kim-jong-un", "unbekannte-firma"],
        "tags": ["artillerie"],
        "events": [
            {"date": "2022-09-05", "end": None, "approximate": False, "title": "Bericht über Munitionskäufe", "id": "nyt", "status": "confirmed", "places": None},
            {"date": "2022", "end": "2023-02", "approximate": True, "title": "Ein Jahr", "id": None, "status": "confirmed", "places": None},
        ],
        "updated": None,
        "corrections": [],
        "quotes": [{"text": "Wir liefern nichts.", "by": "KCNA"}],
        "related": ["b"],
        "further_reading": [{"title": "Hintergrund", "url": "https://example.com/h", "source": "Example"}],
        "links": ["b"],
    }
    assert data["entries"][0]["source"] == {"name": "news.de", "url": None, "author": None, "via": []}
    assert data["entries"][0]["language"] == "en"
    assert "notes" not in a and "notes_html" not in a
    assert data["timeline"] == [
        {
            "key": "a-2", "date": "2022", "end": "2023-02", "approximate": True, "title": "Ein Jahr", "id": None, "themes": ["one", "two"], "entries": ["a"],
            "status": "confirmed", "reports": 1, "origins": ["news.de"], "history": [{"date": "2022-09-06", "status": "confirmed", "entry": "a"}], "page": None,
            "places": [],
        },
        {
            "key": "nyt", "date": "2022-09-05", "end": None, "approximate": False, "title": "Bericht über Munitionskäufe", "id": "nyt", "themes": ["one", "two"],
            "entries": ["a", "b"], "status": "confirmed", "reports": 2, "origins": ["news.de"],
            "history": [{"date": "2022-09-06", "status": "confirmed", "entry": "a"}], "page": "https://example.org/sub/events/nyt/",
            "places": [],
        },
    ]  # fmt: skip


def test_entries_csv_has_one_row_per_entry_newest_first(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": A, "entries/b.md": B})
    rows = list(csv.DictReader(io.StringIO(entries_csv(load_site(in_tmp)).decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["slug"] for r in rows] == ["b", "a"]
    assert rows[1] == {
        "slug": "a", "url": "https://example.org/sub/entries/a/", "date": "2022-09-06", "title": "Granaten aus Nordkorea",
        "language": "de", "status": "confirmed", "source": "news.de", "source_url": "https://www.news.de/a", "author": "dpa",
        "summary": "Eine Zusammenfassung.", "themes": "Thema Eins | Thema Zwei", "entities": "Kim Jong-un | Unbekannte Firma",
        "tags": "artillerie", "events": "2", "related": "b", "links": "b",
    }  # fmt: skip
    assert rows[0]["source_url"] == "" and rows[0]["author"] == "" and rows[0]["events"] == "1"


def test_output_is_deterministic(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": A, "entries/b.md": B, "entries/c.md": HOSTILE})
    first, second = research_files(load_site(in_tmp)), research_files(load_site(in_tmp))
    assert [name for name, _ in first] == ["dossier.json", "entries.csv"]
    assert first == second


def test_hostile_content_is_inert(in_tmp):
    write_dossier(in_tmp, {"entries/c.md": HOSTILE})
    site = load_site(in_tmp)
    row = next(csv.DictReader(io.StringIO(entries_csv(site).decode("utf-8"))))
    assert row["title"] == "'=cmd|\"/c calc\"!A1"  # the leading quote keeps a spreadsheet from running it
    assert row["tags"] == "'@SUM(1) | <script>alert(1)</script>"
    data = json.loads(dossier_json(site))
    # JSON is data: the text comes back exactly as written, and no HTML (notes included) is exported.
    assert data["entries"][0]["title"] == "=cmd|\"/c calc\"!A1"
    assert data["entries"][0]["tags"] == ["@SUM(1)", "<script>alert(1)</script>"]
    assert "<script>x</script>" not in dossier_json(site).decode("utf-8")
