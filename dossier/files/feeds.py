"""Atom feeds of the newest entries: one for the whole dossier, one per theme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..model import Entry, Site
from ..urls import entry_path

FEED_SIZE = 50


def _time(entry: Entry) -> str:
    """Return the entry's date as an Atom timestamp (the source's day, at midnight UTC)."""
    return dt.datetime.combine(entry.date.first_day(), dt.time(), dt.timezone.utc).isoformat().replace("+00:00", "Z")


def atom_feed(site: Site, entries: Sequence[Entry], title: str, feed_path: str, page_path: str) -> bytes:
    """Return an Atom feed of `entries` (newest first), the feed at `feed_path`, its page at `page_path`."""
    base = site.dossier.base_url
    newest = entries[:FEED_SIZE]
    updated = _time(newest[0]) if newest else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.dossier.language)}>',
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(site.dossier.description)}</subtitle>",
        f"  <id>{escape(base + feed_path)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + feed_path)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base + page_path)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(site.dossier.title)}</name></author>",
        "  <generator>Dossier</generator>",
    ]
    for entry in newest:
        url = base + entry_path(entry.slug)
        lines += [
            f"  <entry xml:lang={quoteattr(entry.language)}>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <published>{_time(entry)}</published>",
            f"    <updated>{_time(entry)}</updated>",
            *(f"    <category term={quoteattr(slug)} label={quoteattr(site.themes[slug].title)}/>" for slug in entry.themes),
            f"    <summary>{escape(entry.summary)}</summary>",
        ]
        if entry.source.url:
            lines.append(f'    <link rel="related" type="text/html" href={quoteattr(entry.source.url)} title={quoteattr(entry.source.name)}/>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def feed_files(site: Site) -> list[tuple[str, bytes]]:
    """Return the dossier's feed and each theme's, by path below the output folder."""
    entries = list(site.entries.values())
    files = [("feed.xml", atom_feed(site, entries, site.dossier.title, "feed.xml", ""))]
    for slug, theme in site.themes.items():
        members = [site.entries[s] for s in site.by_theme[slug]]
        title = f"{theme.title} · {site.dossier.title}"
        files.append((f"themes/{slug}/feed.xml", atom_feed(site, members, title, f"themes/{slug}/feed.xml", f"themes/{slug}/")))
    return files
