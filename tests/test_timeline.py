"""Timelines from inline mini-dossiers: order, wording, merging, warnings, grouping, overview and exports."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import random

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.build import BuildOptions, build
from dossier.pages import plan
from dossier.site.timeline import DUPLICATE_RATIO, Gap, _bigram_sets, _may_look_alike, window

from conftest import DOSSIER_YAML, ROOT, build_dossier, entry, write_dossier

EVENTS_A = """\
events:
  - {date: 2022-09-05, title: Bericht über Munitionskäufe, id: nyt}
  - {date: "2022", title: Ein Jahr, approximate: true}
  - {date: 2022-08, title: Ein Monat}
  - {date: 2022-02-24, end: 2023-02-24, title: Ein Jahr Krieg}
  - {date: "2019", title: Gipfel}
"""
EVENTS_B = """\
events:
  - {date: 2022-09-05, title: NYT-Bericht, id: nyt}
  - {date: 2022-08-29, title: Drohnen kommen an}
"""


def timeline(root):
    return HTMLParser((root / "site/timeline/index.html").read_text("utf-8"))


def test_order_across_precisions_and_wording_in_german(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(date="2022-09-06", extra=EVENTS_A), "entries/b.md": entry(date="2022-09-07", themes="[two]", extra=EVENTS_B)})
    build_dossier(in_tmp)
    tree = timeline(in_tmp)
    shown = [(li.css_first("time").text(), li.css_first(".event-title").text()) for li in tree.css("li.event")]
    assert shown == [
        ("2019", "Gipfel"),
        ("etwa 2022", "Ein Jahr"),
        ("24. Februar 2022 – 24. Februar 2023", "Ein Jahr Krieg"),
        ("August 2022", "Ein Monat"),
        ("29. August 2022", "Drohnen kommen an"),
        ("5. September 2022", "Bericht über Munitionskäufe"),
    ]
    months = [h.text() for h in tree.css(".timeline-month > .month")]
    assert months == ["Nur das Jahr bekannt", "Nur das Jahr bekannt", "Februar 2022", "August 2022", "September 2022"]
    assert [a.attributes["href"] for a in tree.css(".timeline-nav a")] == ["#y2019", "#y2022"]


def test_wording_in_english(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(date="2022-09-06", extra=EVENTS_A)}, dossier_yaml=DOSSIER_YAML.replace("language: de", "language: en"))
    build_dossier(in_tmp)
    times = [t.text() for t in timeline(in_tmp).css("li.event time")]
    assert times == ["2019", "circa 2022", "24 February 2022 – 24 February 2023", "August 2022", "5 September 2022"]


def test_shared_event_appears_once_with_every_source_earliest_first(in_tmp):
    write_dossier(in_tmp, {"entries/late.md": entry(date="2022-09-07", themes="[two]", extra=EVENTS_B), "entries/early.md": entry(date="2022-09-06", extra=EVENTS_A)})
    build_dossier(in_tmp)
    item = [li for li in timeline(in_tmp).css("li.event") if "5. September 2022" in li.text()]
    assert len(item) == 1
    sources = [a.attributes["href"] for a in item[0].css(".event-sources a")]
    assert sources == ["/sub/entries/early/", "/sub/entries/late/"]
    assert "(erster Bericht)" in item[0].text() and "2 Berichte, 1 unabhängige Ursprungsquelle" in item[0].text()
    assert item[0].attributes["data-themes"] == "one two"


def test_near_identical_titles_on_one_date_are_warned_not_merged(in_tmp):
    write_dossier(
        in_tmp,
        {
            "entries/a.md": entry(extra="events:\n  - {date: 2022-10-17, title: Drohnenangriff auf Kiew}\n"),
            "entries/b.md": entry(extra="events:\n  - {date: 2022-10-17, title: Drohnenangriffe auf Kiew}\n  - {date: 2022-10-17, title: Stromausfall in Kiew}\n"),
        },
    )
    result = build_dossier(in_tmp)
    assert [str(w) for w in result.warnings] == [
        'content/entries/b.md:9: warning: event "Drohnenangriffe auf Kiew" looks like "Drohnenangriff auf Kiew" at content/entries/a.md:9 (same date); give both the same id if they are one event'
    ]
    assert len(timeline(in_tmp).css("li.event")) == 3


def test_duplicates_looked_for_in_another_process_or_kept_by_the_cache_are_warned(in_tmp, monkeypatch):
    """A large dossier looks for duplicate events in another process, and a rebuild takes them from the cache:
    the warnings, the timeline's own among them, are those found here."""
    from dossier import parallel, tuning
    from dossier.site import assemble

    write_dossier(
        in_tmp,
        {
            "entries/a.md": entry(extra="events:\n  - {date: 2022-10-17, title: Drohnenangriff auf Kiew}\n  - {date: 2030-01-01, title: Später}\n"),
            "entries/b.md": entry(extra="events:\n  - {date: 2022-10-17, title: Drohnenangriffe auf Kiew}\n"),
        },
    )
    here = [str(w) for w in build_dossier(in_tmp).warnings]
    assert [text.split("warning: ")[1][:12] for text in here] == ['event "Späte', 'event "Drohn']
    started: list[str] = []
    monkeypatch.setattr(tuning, "DUPLICATES_ENTRIES", 0)
    monkeypatch.setattr(assemble, "in_background", lambda func, *args: started.append(func.__name__) or parallel.in_background(func, *args))
    assert [str(w) for w in build_dossier(in_tmp).warnings] == here
    assert started == ["duplicate_warnings"]
    cache = in_tmp / ".cache"
    for round_ in range(2):  # made in another process and kept, then taken from the cache without starting one
        (in_tmp / "content" / "entries" / "c.md").write_text(entry(title=f"Neu {round_}"), encoding="utf-8")
        assert [str(w) for w in build_dossier(in_tmp, cache=cache).warnings] == here
    assert started == ["duplicate_warnings", "duplicate_warnings"]


def test_a_year_with_many_events_warns_as_comparing_every_pair_would(in_tmp):
    titles = [f"Lieferung {n} an {place}" for n, place in enumerate(["Moskau", "Teheran", "Minsk", "Damaskus"] * 15)]
    events = "".join(f"  - {{date: '2023', title: '{title}'}}\n" for title in titles)
    write_dossier(in_tmp, {"entries/a.md": entry(extra="events:\n" + events)})
    result = build_dossier(in_tmp)
    expected = [
        f'content/entries/a.md:{9 + j}: warning: event "{titles[j]}" looks like "{titles[i]}" at content/entries/a.md:{9 + i} (same date); '
        "give both the same id if they are one event"
        for i in range(len(titles))
        for j in range(i + 1, len(titles))
        if difflib.SequenceMatcher(None, titles[i].casefold(), titles[j].casefold()).ratio() >= DUPLICATE_RATIO
    ]
    assert 0 < len(expected) < len(titles) * (len(titles) - 1) // 2
    assert [str(w) for w in result.warnings] == sorted(expected, key=lambda text: int(text.split(":")[1]))


def test_pairs_skipped_before_difflib_never_reach_the_duplicate_ratio():
    rng = random.Random(7)
    for alphabet in ("ab", "aeiou nrst", "abcdefghijklmnopqrstuvwxyzäöüß -"):
        for _ in range(300):
            base = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
            titles = [base]
            for _ in range(4):
                chars = list(rng.choice(titles))
                for _ in range(rng.randint(0, len(chars) // 5 + 1)):
                    at = rng.randint(0, len(chars))
                    if rng.random() < 0.5:
                        chars.insert(at, rng.choice(alphabet))
                    elif chars:
                        del chars[min(at, len(chars) - 1)]
                titles.append("".join(chars))
            bigrams = _bigram_sets(titles)
            for i, a in enumerate(titles):
                for j in range(i + 1, len(titles)):
                    if not _may_look_alike(a, titles[j], bigrams[i], bigrams[j]):
                        assert difflib.SequenceMatcher(None, a, titles[j]).ratio() < DUPLICATE_RATIO, (a, titles[j])


def test_event_after_the_build_day_is_a_warning(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(extra="events:\n  - {date: 2031-01, title: Geplant}\n  - {date: 2030-12-31, title: Vorher}\n")})
    result = build_dossier(in_tmp, today=dt.date(2030, 12, 31))
    assert [str(w) for w in result.warnings] == ['content/entries/a.md:9: warning: event "Geplant" is dated 2031-01, after today (2030-12-31)']


def test_entry_page_shows_its_events_within_its_first_themes_timeline(in_tmp):
    files = {
        f"entries/e{n}.md": entry(date=f"2022-0{n}-01", extra=f"events:\n  - {{date: 2022-0{n}-01, title: Ereignis {n}}}\n")
        for n in range(1, 10)
    }
    files["entries/other.md"] = entry(themes="[two]", extra="events:\n  - {date: 2022-05-02, title: Anderes Thema}\n")
    write_dossier(in_tmp, files)
    build_dossier(in_tmp)
    page = HTMLParser((in_tmp / "site/entries/e5/index.html").read_text("utf-8"))
    titles = [li.css_first(".event-title").text() for li in page.css("#events-heading ~ ol li.event")]
    assert titles == [f"Ereignis {n}" for n in range(2, 9)]
    assert [li.css_first(".event-title").text() for li in page.css("li.event.own")] == ["Ereignis 5"]


def test_entry_page_shows_far_apart_events_each_with_its_neighbours_and_a_gap_between(in_tmp):
    files = {
        f"entries/e{n:02d}.md": entry(date=f"2022-{n:02d}-01", extra=f"events:\n  - {{date: 2022-{n:02d}-01, title: Ereignis {n}}}\n")
        for n in range(1, 13)
    }
    both_ends = "events:\n  - {date: 2021-01-01, title: Anfang}\n  - {date: 2022-12-31, title: Ende}\n  - {date: 2022-02-15, title: Früh}\n"
    files["entries/span.md"] = entry(date="2023-01-02", extra=both_ends)
    write_dossier(in_tmp, files)
    build_dossier(in_tmp)
    page = HTMLParser((in_tmp / "site/entries/span/index.html").read_text("utf-8"))
    shown = [li.text(strip=True) if "event-gap" in li.attributes["class"] else li.css_first(".event-title").text() for li in page.css("#events-heading ~ ol > li")]
    assert shown == ["Anfang", "Ereignis 1", "Ereignis 2", "Früh", "Ereignis 3", "Ereignis 4", "Ereignis 5", "… 4 Ereignisse", "Ereignis 10", "Ereignis 11", "Ereignis 12", "Ende"]
    assert [li.css_first(".event-title").text() for li in page.css("li.event.own")] == ["Anfang", "Früh", "Ende"]
    assert len(page.css("li.event")) == 11


def test_window_joins_stretches_that_would_leave_out_one_event_at_most():
    items = list(range(30))
    assert window(items, [10, 17], size=3) == list(range(7, 21))  # 13 and 14 touch
    assert window(items, [10, 18], size=3) == list(range(7, 22))  # only 14 between: shown
    assert window(items, [10, 19], size=3) == [*range(7, 14), Gap(2), *range(16, 23)]
    assert window(items, [1, 28], size=3) == [*range(0, 5), Gap(20), *range(25, 30)]
    assert window(items, [], size=3) == []


def test_overview_counts_events_per_month_with_a_text_equivalent(in_tmp):
    write_dossier(
        in_tmp,
        {
            "entries/a.md": entry(date="2022-01-10", extra="events:\n  - {date: 2022-01-05, title: A}\n  - {date: 2022-01-20, title: B}\n  - {date: 2021-06, title: Vorher}\n"),
            "entries/b.md": entry(date="2022-04-02", extra="events:\n  - {date: 2022-03-30, title: C}\n  - {date: '2022', title: Jahr}\n"),
        },
    )
    build_dossier(in_tmp)
    tree = timeline(in_tmp)
    svg = tree.css_first("figure.overview svg")
    assert svg.attributes["aria-hidden"] == "true"
    assert len(svg.css("rect.overview-bar")) == 2 and len(svg.css("rect.overview-empty")) == 2  # Jan..Apr 2022
    assert [a.attributes["href"] for a in svg.css("a")] == ["#m2022-01", "#m2022-03"]
    for anchor in ("m2022-01", "m2022-03"):
        assert tree.css_first(f"#{anchor}") is not None
    rows = [[td.text() for td in tr.css("td")] for tr in tree.css(".overview-table tbody tr")]
    assert rows == [["Januar 2022", "2"], ["März 2022", "1"]]
    assert "1 früheres Ereignis · 1 Ereignis nur mit Jahresangabe" in tree.css_first(".overview").text()


def test_theme_narrowing_works_without_javascript_through_links(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(extra=EVENTS_B)})
    build_dossier(in_tmp)
    links = [a.attributes["href"] for a in timeline(in_tmp).css(".timeline-themes a")]
    assert links == ["/sub/themes/one/#timeline", "/sub/themes/two/#timeline"]
    theme_page = HTMLParser((in_tmp / "site/themes/one/index.html").read_text("utf-8"))
    assert len(theme_page.css("#timeline li.event")) == 2


def test_timelinejs_export_keeps_precision_groups_and_sources(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(date="2022-09-06", extra=EVENTS_A), "entries/b.md": entry(date="2022-09-07", themes="[two]", extra=EVENTS_B)})
    build_dossier(in_tmp)
    data = json.loads((in_tmp / "site/timeline.json").read_text("utf-8"))
    assert data["title"]["text"]["headline"] == "Testdossier"
    events = {e["text"]["headline"]: e for e in data["events"]}
    assert len(data["events"]) == 6
    assert events["Gipfel"]["start_date"] == {"year": 2019, "display_date": "2019"}
    assert events["Ein Monat"]["start_date"] == {"year": 2022, "month": 8, "display_date": "August 2022"}
    war = events["Ein Jahr Krieg"]
    assert war["start_date"]["day"] == 24 and war["end_date"] == {"year": 2023, "month": 2, "day": 24, "display_date": "24. Februar 2023"}
    merged = events["Bericht über Munitionskäufe"]
    assert merged["group"] == "Thema Eins" and merged["unique_id"] == "nyt"
    assert merged["text"]["text"].count("<li>") == 2 and "https://example.org/sub/entries/a/" in merged["text"]["text"]
    assert len({e["unique_id"] for e in data["events"]}) == 6


def test_csv_export_has_one_row_per_event_and_defuses_formulas(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(extra="events:\n  - {date: 2022-01, title: '=HYPERLINK(\"x\")'}\n  - {date: '2021', end: 2021-06, title: Span}\n")})
    build_dossier(in_tmp)
    rows = list(csv.DictReader(io.StringIO((in_tmp / "site/timeline.csv").read_text("utf-8"))))
    assert [(r["date"], r["end"], r["precision"], r["title"]) for r in rows] == [
        ("2021", "2021-06", "year", "Span"),
        ("2022-01", "", "month", "'=HYPERLINK(\"x\")"),
    ]
    assert rows[0]["entries"] == "https://example.org/sub/entries/a/" and rows[0]["sources"] == "news.de"


def split_sample(tmp_path, monkeypatch, per_page):
    """Build the sample with at most `per_page` events on a page of a timeline, and on a theme's or entity's page;
    return the site's folder."""
    monkeypatch.setattr(plan, "TIMELINE_PAGE", per_page)
    monkeypatch.setattr(plan, "TIMELINE_ON_PAGE", per_page)
    build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=tmp_path / "split", search=False))
    return tmp_path / "split"


def events_of(tree) -> list[tuple[str, str]]:
    return [(li.css_first("time").attributes["datetime"], li.css_first(".event-title").text()) for li in tree.css("#timeline li.event")]


def test_a_long_timeline_is_split_by_year_and_month_with_every_event_once_in_order(tmp_path, monkeypatch):
    whole = tmp_path / "whole"
    build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=whole, search=False))
    every = events_of(HTMLParser((whole / "timeline/index.html").read_text("utf-8")))
    assert len(every) > 40
    site = split_sample(tmp_path, monkeypatch, 3)
    front = HTMLParser((site / "timeline/index.html").read_text("utf-8"))
    assert not front.css("li.event")  # the overview of the pages, not a page of events
    listed = list(dict.fromkeys(a.attributes["href"].removeprefix("/dossier/") for a in front.css(".timeline-pages a")))
    # from the first page, "later" leads through every page listed, once, in date order
    seen, url = [], listed[0]
    while url:
        tree = HTMLParser((site / url / "index.html").read_text("utf-8"))
        found = events_of(tree)
        assert 0 < len(found) <= 3, url
        seen.append((url, found))
        later = tree.css_first('.pager a[rel="next"]')
        url = later.attributes["href"].removeprefix("/dossier/") if later else None
    assert [url for url, _ in seen] == listed
    assert [event for _, found in seen for event in found] == every
    # a month with more events than a page is split into numbered parts; whole months are not
    september = [title.text() for title in front.css(".timeline-pages a") if "September 2022" in title.text()]
    assert september == ["September 2022 (Teil 1)", "September 2022 (Teil 2)", "September 2022 (Teil 3)"]
    # each bar of the chart leads to the page where its month's events start, and to the month there
    for link in front.css("figure.overview svg a"):
        page, anchor = link.attributes["href"].removeprefix("/dossier/").split("#")
        tree = HTMLParser((site / page / "index.html").read_text("utf-8"))
        month = tree.css_first(f"#{anchor}")
        assert month is not None and month.css("li.event"), link.attributes["href"]
    # a page of a later year keeps the theme filter, its links (without JavaScript) and the way back
    later_year = HTMLParser((site / "timeline/2024/index.html").read_text("utf-8"))
    assert later_year.css_first('.timeline-nav a[aria-current="page"]').text() == "2024"
    # without JavaScript a theme's link leads to its own timeline's page of the same year, where it is split too
    for link in later_year.css(".timeline-themes a"):
        slug, href = link.attributes["data-theme"], link.attributes["href"]
        if not (site / f"themes/{slug}/timeline/2024").is_dir():
            assert href == f"/dossier/themes/{slug}/#timeline"
            continue
        assert href == f"/dossier/themes/{slug}/timeline/2024/"
        events = HTMLParser((site / href.removeprefix("/dossier/") / "index.html").read_text("utf-8")).css("#timeline li.event")
        assert events and all(slug in li.attributes["data-themes"].split() for li in events)
        assert all(li.css_first("time").attributes["datetime"].startswith("2024") for li in events)


def test_a_long_theme_is_split_into_pages_of_entries_and_of_its_timeline(tmp_path, monkeypatch):
    whole = tmp_path / "whole"
    build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=whole, search=False))
    page = HTMLParser((whole / "themes/drohnen-iran/index.html").read_text("utf-8"))
    cards, every = [a.text() for a in page.css("article.card h4 a")], events_of(page)
    assert len(cards) == 10 and len(every) > 6
    monkeypatch.setattr(plan, "ENTRIES_PAGE", 4)
    site = split_sample(tmp_path, monkeypatch, 6)
    # the entries, newest first, four to a page, through the older links; the timeline on the first page alone
    seen, url = [], "themes/drohnen-iran/"
    while url:
        tree = HTMLParser((site / url / "index.html").read_text("utf-8"))
        seen += [a.text() for a in tree.css("article.card h4 a")]
        assert (tree.css_first("#timeline") is not None) == (url == "themes/drohnen-iran/")
        older = tree.css_first('.list-pager a[rel="next"]')
        url = older.attributes["href"].removeprefix("/dossier/") if older else None
    assert seen == cards
    # its timeline: a chart and its years on the theme's page, the events on pages of its own, each once, in order
    first = HTMLParser((site / "themes/drohnen-iran/index.html").read_text("utf-8"))
    assert not first.css("#timeline li.event") and first.css("#timeline figure.overview")
    url, found = first.css_first("#timeline .timeline-pages a").attributes["href"].removeprefix("/dossier/"), []
    while url:
        tree = HTMLParser((site / url / "index.html").read_text("utf-8"))
        assert tree.css_first(".kicker a").attributes["href"] == "/dossier/themes/drohnen-iran/"
        assert tree.css_first(".timeline-themes") is None  # its events are all the theme's
        found += events_of(tree)
        later = tree.css_first('.pager a[rel="next"]')
        url = later.attributes["href"].removeprefix("/dossier/") if later else None
    assert found == every


def test_a_timeline_within_a_page_stays_whole(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(extra=EVENTS_A)})
    build_dossier(in_tmp)
    assert len(timeline(in_tmp).css("li.event")) == 5
    assert not (in_tmp / "site/timeline/2022").exists()
