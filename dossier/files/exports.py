"""The timeline as data: TimelineJS3's JSON format and CSV, for newsrooms and researchers."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from ..content.dates import PartialDate, Precision
from ..model import Site, TimelineItem
from ..pages.i18n import Messages
from ..urls import entry_path
from .jsonfile import json_file


def timeline_json(site: Site) -> bytes:
    """Return the timeline in TimelineJS3's JSON format (https://timeline.knightlab.com/docs/json-format.html).

    Dates keep their precision (a year-only event has only `year`); each event's group is its first
    theme; its text links to the dossier's entries and to their sources.
    """
    messages = Messages.of(site.dossier)
    data = {
        "title": {"text": {"headline": html.escape(site.dossier.title), "text": f"<p>{html.escape(site.dossier.description)}</p>"}},
        "events": [_event(item, site, messages) for item in site.timeline],
    }
    return json_file(data)


def _date(date: PartialDate, display: str) -> dict[str, Any]:
    value: dict[str, Any] = {"year": date.year}
    if date.precision >= Precision.MONTH:
        value["month"] = date.month
    if date.precision is Precision.DAY:
        value["day"] = date.day
    value["display_date"] = display
    return value


def _event(item: TimelineItem, site: Site, messages: Messages) -> dict[str, Any]:
    base = site.dossier.base_url
    sources = []
    for slug in item.entries:
        entry = site.entries[slug]
        line = f'<a href="{html.escape(base + entry_path(slug))}">{html.escape(entry.title)}</a> ({html.escape(entry.source.name)}, {html.escape(messages.date(entry.date))})'
        if entry.source.url:
            line += f' · <a href="{html.escape(entry.source.url)}">{html.escape(messages("entry_read_source"))}</a>'
        sources.append(f"<li>{line}</li>")
    status = html.escape(f"{messages('entry_status')}: {messages('status_' + item.status.value)}")
    counts = html.escape(f"{messages('reports_count', n=len(item.reports))}, {messages('origins_count', n=len(item.origins))}")
    more = f' · <a href="{html.escape(site.dossier.base_url + item.page)}">{html.escape(messages("event_page"))}</a>' if item.page else ""
    event: dict[str, Any] = {
        "unique_id": item.key,
        "start_date": _date(item.date, messages.event_date(item.date, None, item.approximate)),
        "text": {"headline": html.escape(item.title), "text": f"<p>{status} · {counts}{more}</p><ul>{''.join(sources)}</ul>"},
        "group": site.themes[item.themes[0]].title if item.themes else "",
        "display_date": messages.event_date(item.date, item.end, item.approximate),
    }
    if item.end is not None:
        event["end_date"] = _date(item.end, messages.date(item.end))
    return event


CSV_COLUMNS = (
    "date", "end", "approximate", "precision", "title", "id", "themes", "entries", "sources", "source_urls",
    "status", "reports", "origins", "origin_names", "page",
)  # fmt: skip


def timeline_csv(site: Site) -> bytes:
    """Return the timeline as CSV: one row per event, several values in a cell separated by ` | `."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in site.timeline:
        entries = [site.entries[slug] for slug in item.entries]
        writer.writerow([_cell(value) for value in [
            item.date.iso(), item.end.iso() if item.end else "", "true" if item.approximate else "false",
            item.date.precision.name.lower(), item.title, item.id or "",
            " | ".join(site.themes[slug].title for slug in item.themes),
            " | ".join(site.dossier.base_url + entry_path(e.slug) for e in entries),
            " | ".join(e.source.name for e in entries),
            " | ".join(e.source.url or "" for e in entries),
            item.status.value, str(len(item.reports)), str(len(item.origins)), " | ".join(item.origins),
            site.dossier.base_url + item.page if item.page else "",
        ]])  # fmt: skip
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    """Keep a spreadsheet from running content as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not text[1:2].isdigit()) else text


def data_files(site: Site) -> list[tuple[str, bytes]]:
    """Return the data files of the site, by path below the output folder."""
    return [("timeline.json", timeline_json(site)), ("timeline.csv", timeline_csv(site))]
