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
