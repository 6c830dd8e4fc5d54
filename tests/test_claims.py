"""Claims over time: an event's reports, its status history and its independent origins (site/claims.py)."""

from __future__ import annotations

import random
from pathlib import Path

from dossier.content.dates import parse_partial_date
from dossier.model import Entry, EventReport, Outlet, Source, Status
from dossier.site.claims import Origins, event_reports

D = parse_partial_date


def report(slug: str, date: str, outlet: str, status: Status = Status.REPORTED, via: tuple[str, ...] = (), own: Status | None = None) -> tuple[Entry, int]:
    """One entry reporting the event `claim` (with its own status `own`, if given) as its second event."""
    events = (EventReport(D("2020"), "Something else"), EventReport(D("2022-09-05"), "The claim", "claim", status=own))
    entry = Entry(slug, Path(f"{slug}.md"), slug.title(), D(date), Source(outlet, via=via), "en", "Summary.", ("one",), events=events, status=status)
    return entry, 1


def published(reports: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
    """The reports in the order the timeline gives them: by date, then slug."""
    return sorted(reports, key=lambda r: (r[0].date, r[0].slug))


def test_the_status_follows_the_reports_in_the_order_published_whatever_the_file_order():
    reports = [
        report("denial", "2022-09-22", "KCNA", Status.CONFIRMED, own=Status.DISPUTED),  # the event's own status wins
        report("first", "2022-09-06", "news.de"),
        report("satellite", "2023-10-13", "Reuters", Status.CONFIRMED),
        report("echo", "2023-11-01", "Some blog", Status.REPORTED),  # repeating the claim undoes nothing
        report("same-day-b", "2022-09-06", "Yonhap", Status.CONFIRMED),
    ]
    for _ in range(5):
        random.shuffle(reports)
        told, history, _ = event_reports(published(reports), Origins(()))
        assert [r.entry for r in told] == ["first", "same-day-b", "denial", "satellite", "echo"]
        assert [r.status for r in told] == [Status.REPORTED, Status.CONFIRMED, Status.DISPUTED, Status.CONFIRMED, Status.REPORTED]
        # On one day, the reports in order of their slugs: the first reported it, the second confirmed it.
        assert [(c.date.iso(), c.status, c.entry) for c in history] == [
            ("2022-09-06", Status.REPORTED, "first"),
            ("2022-09-06", Status.CONFIRMED, "same-day-b"),
            ("2022-09-22", Status.DISPUTED, "denial"),
            ("2023-10-13", Status.CONFIRMED, "satellite"),
        ]


def test_origins_follow_via_chains_and_count_one_owners_publications_once():
    outlets = (
        Outlet("tagesschau-de", "tagesschau.de", owner="ARD"),
        Outlet("daserste-de", "DasErste.de", owner="ARD"),
        Outlet("dpa", "dpa"),
    )
    reports = published([
        report("nyt", "2022-09-05", "The New York Times", via=("US intelligence",)),
        report("dpa", "2022-09-05", "dpa", via=("The New York Times",)),  # an agency relaying the Times
        report("newsde", "2022-09-06", "news.de", via=("DPA",)),  # ... relayed by a portal: still the Times' source
        report("tagesschau", "2022-09-06", "tagesschau.de"),
        report("erste", "2022-09-07", "DasErste.de"),  # same owner as tagesschau.de: one origin
        report("kirby", "2022-09-07", "White House", via=("US intelligence", "Ukrainian military intelligence")),
        report("loop-a", "2022-09-08", "Loop A", via=("Loop B",)),  # a circle ends where it closes
        report("loop-b", "2022-09-08", "Loop B", via=("Loop A",)),
    ])
    told, _, origins = event_reports(reports, Origins(outlets))
    by_entry = {r.entry: r for r in told}
    assert by_entry["nyt"].origins == ("US intelligence",)
    assert by_entry["dpa"].origins == ("US intelligence",)
    assert by_entry["newsde"].origins == ("US intelligence",)
    assert by_entry["tagesschau"].origins == by_entry["erste"].origins == ("ARD",)
    assert by_entry["kirby"].origins == ("US intelligence", "Ukrainian military intelligence")
    assert by_entry["loop-a"].origins == ("Loop A",) and by_entry["loop-b"].origins == ("Loop B",)
    assert origins == ("US intelligence", "ARD", "Ukrainian military intelligence", "Loop A", "Loop B")
    assert len(told) == 8 and len(origins) == 5
    # The first report of each origin is marked, and only it.
    assert {r.entry: r.first for r in told if r.first} == {
        "dpa": ("US intelligence",), "tagesschau": ("ARD",), "kirby": ("Ukrainian military intelligence",), "loop-a": ("Loop A",), "loop-b": ("Loop B",),
    }  # fmt: skip


def test_an_entry_reporting_one_event_twice_is_one_report():
    entry, _ = report("twice", "2022-09-06", "news.de")
    told, history, origins = event_reports([(entry, 1), (entry, 1)], Origins(()))
    assert [r.entry for r in told] == ["twice"] and len(history) == 1 and origins == ("news.de",)


# Tier 2: mini-dossiers built whole.

import json  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402

import pytest  # noqa: E402
from lxml import etree  # noqa: E402
from selectolax.lexbor import LexborHTMLParser as HTMLParser  # noqa: E402

from conftest import ROOT, build_dossier, entry, write_dossier  # noqa: E402
from dossier.problems import ContentError  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
CLAIM = "events:\n  - {{date: 2022-09, title: Munitionskauf, id: kauf{status}}}\n"
OWNERS = "sources:\n  - {name: tagesschau.de, owner: ARD}\n  - {name: DasErste.de, owner: ARD}\n"


def claim(status: str = "") -> str:
    return CLAIM.format(status=f", status: {status}" if status else "")


def source(name: str, via: str = "") -> str:
    return f"  name: {name}\n" + (f"  via: {via}\n" if via else "")


def report_entry(title: str, date: str, outlet: str, via: str = "", status: str = "", extra: str = "") -> str:
    return entry(title=title, date=date, extra=claim(status) + extra).replace("  name: news.de\n", source(outlet, via))


def page(root, path: str) -> HTMLParser:
    return HTMLParser((root / "site" / path).read_text("utf-8"))


def test_an_events_page_shows_its_reports_history_and_origins(in_tmp):
    from conftest import DOSSIER_YAML

    write_dossier(in_tmp, {
        "entries/z-first.md": report_entry("Erster Bericht", "2022-09-06", "tagesschau.de", via="[NYT]"),
        "entries/b-relay.md": report_entry("Übernahme", "2022-09-07", "DasErste.de"),
        "entries/c-again.md": report_entry("Nachtrag", "2022-09-08", "tagesschau.de"),  # one owner: ARD once
        "entries/a-denial.md": report_entry("Dementi", "2022-09-22", "KCNA", status="disputed"),
        "entries/m-proof.md": report_entry("Belege", "2023-10-13", "Reuters", via="[Weißes Haus]", status="confirmed"),
    }, DOSSIER_YAML + OWNERS)  # fmt: skip
    build_dossier(in_tmp)
    event = page(in_tmp, "events/kauf/index.html")
    assert [li.css_first("a").attributes["href"] for li in event.css("ol.reports li")] == [f"/sub/entries/{s}/" for s in ("z-first", "b-relay", "c-again", "a-denial", "m-proof")]
    assert [b.text(deep=True).split(": ")[-1] for b in event.css("ol.reports .status")] == ["Berichtet", "Berichtet", "Berichtet", "Umstritten", "Bestätigt"]
    history = [li.text(separator=" ", strip=True) for li in event.css("ol.history li")]
    assert [h.split(" Stand: ")[1].split(" ")[0] for h in history] == ["Berichtet", "Umstritten", "Bestätigt"]
    facts = event.css_first("dl.facts").text(separator=" ", strip=True)
    assert "seit 13. Oktober 2023, nach dem Bericht von Reuters" in facts
    assert "5 Berichte (4 Quellen), 4 unabhängige Ursprungsquellen: NYT, ARD, KCNA, Weißes Haus" in facts
    assert [strong.text() for strong in event.css("ol.reports strong")] == [
        "erster Bericht, der auf NYT zurückgeht", "erster Bericht, der auf ARD zurückgeht",
        "erster Bericht, der auf KCNA zurückgeht", "erster Bericht, der auf Weißes Haus zurückgeht",
    ]  # fmt: skip
    # The timeline links to the page and shows the status now; every badge explains itself on /about/.
    item = page(in_tmp, "timeline/index.html").css_first("li.event")
    assert item.css_first(".event-title a").attributes["href"] == "/sub/events/kauf/"
    assert item.css_first(".status").attributes["href"] == "/sub/about/#status-confirmed"
    assert "5 Berichte, 4 unabhängige Ursprungsquellen" in item.text()
    about = page(in_tmp, "about/index.html")
    assert [div.attributes["id"] for div in about.css("dl.statuses > div")] == ["status-reported", "status-confirmed", "status-disputed", "status-refuted"]
    # Plain HTML: nothing on these pages needs JavaScript (beside the JSON-LD, only the link previews' script).
    for shown in (event, about, page(in_tmp, "changes/index.html")):
        assert [s.attributes.get("type") or s.attributes["src"] for s in shown.css("script")] == ["application/ld+json", "/sub/static/preview.js"]


def test_an_event_whose_id_only_a_draft_reports_has_no_page(in_tmp):
    write_dossier(in_tmp, {
        "entries/a.md": entry(extra="events:\n  - {date: 2022-09, title: Offen}\n"),
        "entries/d.md": report_entry("Entwurf", "2022-09-07", "news.de", extra="draft: true\n"),
    })  # fmt: skip
    build_dossier(in_tmp)
    assert not (in_tmp / "site/events").exists()
    assert "/events/" not in (in_tmp / "site/timeline/index.html").read_text("utf-8")
    build_dossier(in_tmp, drafts=True)
    assert (in_tmp / "site/events/kauf/index.html").is_file()


def test_a_correction_shows_on_the_page_in_its_metadata_feed_and_changes(in_tmp):
    corrected = "updated: 2022-10-02\ncorrections:\n  - {date: 2022-10-01, text: Der Ort war falsch angegeben.}\n"
    write_dossier(in_tmp, {"entries/a.md": entry(extra=corrected), "entries/b.md": entry(title="Später", date="2022-09-20")})
    build_dossier(in_tmp)
    entry_page = page(in_tmp, "entries/a/index.html")
    assert entry_page.css_first("#correction-1").text(separator=" ", strip=True) == "1. Oktober 2022 : Der Ort war falsch angegeben."
    assert json.loads(entry_page.css_first('script[type="application/ld+json"]').text())["dateModified"] == "2022-10-02"
    rng = etree.RelaxNG(etree.parse(str(ROOT / "tests" / "fixtures" / "atom.rng")))
    for feed_path in ("feed.xml", "changes.xml", "themes/one/feed.xml"):
        assert rng.validate(etree.parse(str(in_tmp / "site" / feed_path))), (feed_path, rng.error_log.last_error)
    feed = ET.parse(in_tmp / "site/feed.xml").getroot()
    item = next(e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}id").text.endswith("/entries/a/"))
    assert item.find(f"{ATOM}published").text == "2022-09-06T00:00:00Z" and item.find(f"{ATOM}updated").text == "2022-10-02T00:00:00Z"
    assert item.find(f"{ATOM}content").text.endswith("Korrektur vom 1. Oktober 2022: Der Ort war falsch angegeben.")
    assert feed.find(f"{ATOM}updated").text == "2022-10-02T00:00:00Z"
    changes = ET.parse(in_tmp / "site/changes.xml").getroot()
    assert [e.find(f"{ATOM}title").text for e in changes.findall(f"{ATOM}entry")] == [
        "Aktualisiert: Ein Eintrag", "Korrigiert: Ein Eintrag", "Neu: Später", "Neu: Ein Eintrag",
    ]  # fmt: skip
    listed = page(in_tmp, "changes/index.html").css("ol.changes li")
    assert [li.css_first("a").attributes["href"] for li in listed] == ["/sub/entries/a/", "/sub/entries/a/#correction-1", "/sub/entries/b/", "/sub/entries/a/"]


@pytest.mark.parametrize(("extra", "message"), [
    ("events:\n  - {date: 2022-09, title: X, status: bestätigt}\n", 'content/entries/a.md:9: field "events.status": expected one of reported, confirmed, disputed, refuted, found "bestätigt"'),
    ("corrections:\n  - text: Ohne Datum.\n", 'content/entries/a.md:9: missing required field "corrections.date"'),
    ("corrections:\n  - {date: 2022-10, text: Nur ein Monat.}\n", 'content/entries/a.md:9: field "corrections.date"'),
])  # fmt: skip
def test_bad_claims_input_is_reported_at_its_line(in_tmp, monkeypatch, extra, message):
    monkeypatch.chdir(in_tmp)
    write_dossier(in_tmp, {"entries/a.md": entry(extra=extra)})
    with pytest.raises(ContentError) as caught:
        build_dossier(in_tmp)
    assert any(str(problem).startswith(message) for problem in caught.value.problems), [str(p) for p in caught.value.problems]


def test_via_must_be_a_name_or_a_list_of_names(in_tmp, monkeypatch):
    monkeypatch.chdir(in_tmp)
    write_dossier(in_tmp, {"entries/a.md": entry().replace("  name: news.de\n", "  name: news.de\n  via: {agency: dpa}\n")})
    with pytest.raises(ContentError) as caught:
        build_dossier(in_tmp)
    assert [str(p) for p in caught.value.problems] == ['content/entries/a.md:6: field "source.via": expected a list of texts, found a mapping']
