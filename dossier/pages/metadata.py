"""What a page says about itself to machines: canonical URL, Open Graph and Twitter cards, JSON-LD.

An entry page is the dossier's own page about a source article: its JSON-LD is a WebPage that
cites the article (a NewsArticle by its publisher), never a claim to be that article.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Entry, Site
from ..urls import entry_path
from .plan import Page


def json_ld(page: Page, site: Site) -> str:
    """Return the page's JSON-LD, safe to place inside a <script> element."""
    base = site.dossier.base_url
    website = {"@type": "WebSite", "name": site.dossier.title, "url": base, "inLanguage": site.dossier.language}
    entry: Entry | None = page.context.get("entry")
    data: dict[str, Any]
    if page.url == "":
        data = {**website, "description": site.dossier.description}
    elif entry is not None:
        data = {
            "@type": "WebPage",
            "name": entry.title,
            "url": base + entry_path(entry.slug),
            "description": entry.summary,
            "inLanguage": entry.language,
            "isPartOf": website,
            "about": [{"@type": "Thing", "name": site.entities[slug].name} for slug in entry.entities],
            "citation": _article(entry),
        }
        if entry.modified is not None:
            data["dateModified"] = entry.modified.iso()
    else:
        data = {"@type": "CollectionPage", "name": page.context.get("title", site.dossier.title), "url": base + page.url, "isPartOf": website}
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, sort_keys=True)
    # "</script>" or "<!--" in content must not end or alter the script element
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _article(entry: Entry) -> dict[str, Any]:
    """Return the source article as schema.org describes a news article: what the entry page cites."""
    article: dict[str, Any] = {
        "@type": "NewsArticle",
        "publisher": {"@type": "Organization", "name": entry.source.name},
        "datePublished": entry.date.iso(),
    }
    if entry.source.url:
        article["url"] = entry.source.url
    if entry.source.author:
        article["author"] = {"name": entry.source.author}  # a person or an agency: the format does not say
    return article
