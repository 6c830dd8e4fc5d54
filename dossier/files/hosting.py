"""What a static host and a reader's tools expect beside the pages: sitemap, robots.txt, .nojekyll."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from ..model import Site
from ..pages.plan import Page


def sitemap(site: Site, pages: Sequence[Page]) -> bytes:
    """Return sitemap.xml listing every page a search engine should know (not the 404 or search page)."""
    base = site.dossier.base_url
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        if not page.listed:
            continue
        lines.append(f"  <url><loc>{escape(base + page.url)}</loc>")
        if page.entry is not None:
            lines.append(f"    <lastmod>{site.entries[page.entry].date.iso()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def hosting_files(site: Site, pages: Sequence[Page]) -> list[tuple[str, bytes]]:
    """Return sitemap.xml, robots.txt and .nojekyll (GitHub Pages would otherwise run Jekyll over the site)."""
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {site.dossier.base_url}sitemap.xml\n"
    return [("sitemap.xml", sitemap(site, pages)), ("robots.txt", robots.encode("utf-8")), (".nojekyll", b"")]
