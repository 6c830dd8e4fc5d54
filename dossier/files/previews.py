"""What a link to an entry or an entity shows on hover or focus: a small file beside each such page.

`static/preview.js` fetches `entries/<slug>/preview.json` or `entities/<slug>/preview.json` when a reader points
at or tabs to a link to that page, once per page: a file per target rather than per page that links to it, so a
browser keeps each preview for every page that links there.
"""

from __future__ import annotations

from ..model import Site
from ..pages.i18n import Messages, direction
from .jsonfile import json_file

SUMMARY = 280
"""Characters of an entry's summary a preview shows, at most, cut at a word."""


def _short(text: str) -> str:
    if len(text) <= SUMMARY:
        return text
    return text[:SUMMARY].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def preview_files(site: Site) -> list[tuple[str, bytes]]:
    """Return the preview of every entry and entity page, by path below the output folder."""
    t = Messages.of(site.dossier)
    files = []
    for slug, entry in site.entries.items():
        data = {
            "title": entry.title, "lang": entry.language, "dir": direction(entry.language),
            "meta": f"{entry.source.name} · {t.date(entry.date)}", "status": entry.status.value,
            "status_label": t("status_" + entry.status.value), "text": _short(entry.summary),
        }  # fmt: skip
        files.append((f"entries/{slug}/preview.json", json_file(data)))
    for slug, entity in site.entities.items():
        count = len(site.by_entity.get(slug, []))
        data = {
            "title": entity.name, "lang": site.dossier.language, "dir": direction(site.dossier.language),
            "meta": f"{t('kind_' + entity.kind.value + '_one')} · {t('entries_count', n=count)}", "text": _short(entity.description),
        }  # fmt: skip
        files.append((f"entities/{slug}/preview.json", json_file(data)))
    return files
