"""What hosts and readers' tools get beside the pages: feeds, sitemap, metadata, citations, data exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from conftest import build_dossier, entry, write_dossier

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '</script><script>alert(1)</script> & "Zitat" <!--'


def test_atom_feeds_for_the_dossier_and_each_theme(in_tmp):
    write_dossier(in_tmp, {
        "entries/a.md": entry(title="Erster", date="2022-01-02"),
        "entries/b.md": entry(title=f"Zweiter {HOSTILE}", date="2022-03-04", themes="[two]"),
    })  # fmt: skip
    build_dossier(in_tmp)
    feed = ET.parse(in_tmp / "site/feed.xml").getroot()
    assert feed.find(f"{ATOM}id").text == "https://example.org/sub/feed.xml"
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles == [f"Zweiter {HOSTILE}", "Erster"]  # newest first, text intact, XML-escaped on disk
    assert feed.find(f"{ATOM}entry/{ATOM}published").text == "2022-03-04T00:00:00Z"
    theme = ET.parse(in_tmp / "site/themes/one/feed.xml").getroot()
    assert [e.find(f"{ATOM}title").text for e in theme.findall(f"{ATOM}entry")] == ["Erster"]
    page = HTMLParser((in_tmp / "site/themes/one/index.html").read_text("utf-8"))
    feeds = [link.attributes["href"] for link in page.css('link[rel="alternate"][type="application/atom+xml"]')]
    assert feeds == ["/sub/feed.xml", "/sub/themes/one/feed.xml"]


def test_sitemap_robots_nojekyll_and_404(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry()})
    build_dossier(in_tmp)
    site = in_tmp / "site"
    locs = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/sub/entries/a/" in locs and "https://example.org/sub/" in locs
    assert not [loc for loc in locs if "search" in loc or "404" in loc]
    assert (site / ".nojekyll").read_bytes() == b""
    notfound = HTMLParser((site / "404.html").read_text("utf-8"))
    assert notfound.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert notfound.css_first("form").attributes["action"] == "/sub/search/"
    assert notfound.css_first('link[rel="stylesheet"]').attributes["href"] == "/sub/static/style.css"  # works at any depth


def test_entry_metadata_cites_the_source_and_survives_hostile_text(in_tmp):
    text = entry(title=f"Titel {HOSTILE}", extra="entities: [Kim Jong Un]\n").replace("  name: news.de\n", "  name: news.de\n  url: https://www.news.de/a\n  author: dpa\n")
    write_dossier(in_tmp, {"entries/a.md": text})
    build_dossier(in_tmp)
    raw = (in_tmp / "site/entries/a/index.html").read_text("utf-8")
    page = HTMLParser(raw)
    assert len([s for s in page.css("script") if "src" not in s.attributes]) == 1  # only the JSON-LD: the title's </script> did not end it
    data = json.loads(page.css_first('script[type="application/ld+json"]').text())
    assert data["@type"] == "WebPage" and data["name"] == f"Titel {HOSTILE}"
    assert data["citation"] == {"@type": "NewsArticle", "author": {"name": "dpa"}, "datePublished": "2022-09-06", "publisher": {"@type": "Organization", "name": "news.de"}, "url": "https://www.news.de/a"}
    assert data["about"] == [{"@type": "Thing", "name": "Kim Jong-un"}]
    og = {m.attributes["property"]: m.attributes["content"] for m in page.css("meta[property]")}
    assert og["og:type"] == "article" and og["og:url"] == "https://example.org/sub/entries/a/"
    assert og["og:image"] == "https://example.org/sub/social.png" and og["og:title"].startswith(f"Titel {HOSTILE}")
    assert page.css_first('link[rel="canonical"]').attributes["href"] == "https://example.org/sub/entries/a/"


def test_citations_and_research_data_are_published_and_linked(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry()})
    build_dossier(in_tmp)
    site = in_tmp / "site"
    page = HTMLParser((site / "entries/a/index.html").read_text("utf-8"))
    links = [a.attributes["href"] for a in page.css("p.cite a")]
    assert links == ["/sub/entries/a/cite.bib", "/sub/entries/a/cite.ris", "/sub/entries/a/cite.json"]
    assert (site / "entries/a/cite.bib").read_text("utf-8").startswith("@article{")
    assert json.loads((site / "dossier.json").read_text("utf-8"))["entries"][0]["slug"] == "a"
    assert (site / "entries.csv").read_text("utf-8").count("\n") == 2


def test_own_social_image_replaces_the_drawn_one(in_tmp):
    from conftest import DOSSIER_YAML

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    write_dossier(in_tmp, {"entries/a.md": entry(), "media/preview.png": png}, dossier_yaml=DOSSIER_YAML + "social_image: media/preview.png\n")
    build_dossier(in_tmp)
    assert (in_tmp / "site/social.png").read_bytes() == png
