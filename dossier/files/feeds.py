"""Atom feeds of the newest entries: one for the whole dossier, one per theme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..content.dates import PartialDate
from ..model import Entry, Site
from ..pages.i18n import Messages
from ..site.changes import Kind, latest_changes
from ..urls import entry_path

FEED_SIZE = 50


def atom_time(date: PartialDate) -> str:
    """Return a date as an Atom timestamp (its first day, at midnight UTC)."""
    return dt.datetime.combine(date.first_day(), dt.time(), dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _head(site: Site, title: str, subtitle: str, feed_path: str, page_path: str, updated: str | None) -> list[str]:
    """Return the lines of a feed up to its first entry: the feed at `feed_path`, its page at `page_path`."""
    base = site.dossier.base_url
    return [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.dossier.language)}>',
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(subtitle)}</subtitle>",
        f"  <id>{escape(base + feed_path)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + feed_path)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base + page_path)}/>',
        f"  <updated>{updated or '1970-01-01T00:00:00Z'}</updated>",
        f"  <author><name>{escape(site.dossier.title)}</name></author>",
        "  <generator>Dossier</generator>",
    ]


def atom_feed(site: Site, entries: Sequence[Entry], title: str, feed_path: str, page_path: str) -> bytes:
    """Return an Atom feed of `entries` (newest first), the feed at `feed_path`, its page at `page_path`.

    An entry updated or corrected after it was published says when (`updated`), and its corrections follow its
    summary in `content`.
    """
    base = site.dossier.base_url
    t = Messages.of(site.dossier)
    newest = entries[:FEED_SIZE]
    updated = max((atom_time(e.modified or e.date) for e in newest), default=None)
    lines = _head(site, title, site.dossier.description, feed_path, page_path, updated)
    for entry in newest:
        url = base + entry_path(entry.slug)
        lines += [
            f"  <entry xml:lang={quoteattr(entry.language)}>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <published>{atom_time(entry.date)}</published>",
            f"    <updated>{atom_time(entry.modified or entry.date)}</updated>",
            *(f"    <category term={quoteattr(slug)} label={quoteattr(site.themes[slug].title)}/>" for slug in entry.themes),
            f"    <summary>{escape(entry.summary)}</summary>",
        ]
        if entry.corrections:  # as a newsroom appends them to the article
            said = [t("correction_line", date=t.date(c.date), text=c.text) for c in entry.corrections]
            lines.append(f'    <content type="text">{escape(chr(10).join([entry.summary, *said]))}</content>')
        if entry.source.url:
            lines.append(f'    <link rel="related" type="text/html" href={quoteattr(entry.source.url)} title={quoteattr(entry.source.name)}/>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def changes_feed(site: Site) -> bytes:
    """Return the Atom feed of /changes/: its FEED_SIZE latest changes (changes.py), each linked where it happened."""
    base = site.dossier.base_url
    t = Messages.of(site.dossier)
    found = latest_changes(site, FEED_SIZE)
    updated = atom_time(found[0].date) if found else None
    lines = _head(site, t("changes_feed_title", title=site.dossier.title), t("changes_intro"), "changes.xml", "changes/", updated)
    for change in found:
        entry = site.entries[change.entry]
        if change.kind is Kind.STATUS:
            item = change.event
            assert item is not None and change.status is not None
            url = f"{base}{item.page}#change-{change.number}"
            title = f"{t('change_status', status=t('status_' + change.status.value))}: {item.title}"
            text = f"{entry.source.name}, {t.date(entry.date)}: {entry.title}"
        else:
            anchor = f"#correction-{change.number}" if change.kind is Kind.CORRECTION else ""
            url = f"{base}{entry_path(entry.slug)}{anchor}"
            title = f"{t('change_' + change.kind.value)}: {entry.title}"
            text = change.text or entry.summary
        # Each change its own id: its address, which names the correction or the change of status; an update's has its date.
        lines += [
            "  <entry>",
            f"    <title>{escape(title)}</title>",
            f"    <id>{escape(url + ('#updated-' + change.date.iso() if change.kind is Kind.UPDATED else ''))}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <updated>{atom_time(change.date)}</updated>",
            f"    <summary>{escape(text)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def feed_files(site: Site) -> list[tuple[str, bytes]]:
    """Return the dossier's feed, its changes' and each theme's, by path below the output folder."""
    entries = list(site.entries.values())
    files = [("feed.xml", atom_feed(site, entries, site.dossier.title, "feed.xml", "")), ("changes.xml", changes_feed(site))]
    for slug, theme in site.themes.items():
        members = [site.entries[s] for s in site.by_theme[slug]]
        title = f"{theme.title} · {site.dossier.title}"
        files.append((f"themes/{slug}/feed.xml", atom_feed(site, members, title, f"themes/{slug}/feed.xml", f"themes/{slug}/")))
    return files
