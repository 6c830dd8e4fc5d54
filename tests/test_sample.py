"""Tier 3: the sample dossier, built end to end, checked against what a reader must see."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.build import BuildOptions, build

from conftest import ROOT

BASE = "https://example.github.io/dossier/"
PREFIX = "/dossier/"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """Build the sample into a temporary folder; return the site."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=out, base_url=BASE))
    return out


def pages(site: Path) -> dict[str, HTMLParser]:
    return {f"{PREFIX}{p.relative_to(site).parent.as_posix()}/".replace("/./", "/"): HTMLParser(p.read_text("utf-8")) for p in site.rglob("*.html")}


def local_target(site: Path, url: str) -> Path | None:
    """Return the file a root-relative URL under the base path serves, or None when it is not under it."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(PREFIX):
        return None
    rest = path[len(PREFIX) :]
    target = site / rest
    return target / "index.html" if path.endswith("/") else target


def test_every_page_kind_exists(sample):
    for page in ["index.html", "themes/index.html", "timeline/index.html", "entities/index.html"]:
        assert (sample / page).is_file(), page
    assert len(list((sample / "themes").glob("*/index.html"))) >= 4
    assert len(list((sample / "entries").glob("*/index.html"))) >= 15
    assert len(list((sample / "entities").glob("*/index.html"))) >= 10


def test_every_page_is_reachable_from_the_home_page(sample):
    parsed = pages(sample)
    seen, queue = {PREFIX}, [PREFIX]
    while queue:
        url = queue.pop()
        for link in parsed[url].css("a[href], form[action]"):
            href = urljoin(url, link.attributes.get("href") or link.attributes["action"])
            if urlsplit(href).scheme or not href.startswith(PREFIX):
                continue
            target = urlsplit(href).path
            if target.endswith("/") and target not in seen:
                seen.add(target)
                queue.append(target)
    assert seen == set(parsed)


def test_every_internal_link_and_asset_resolves_under_the_base_path(sample):
    checked = 0
    for url, tree in pages(sample).items():
        for node in tree.css("a[href], link[href], img[src], script[src]"):
            value = node.attributes.get("href") or node.attributes.get("src") or ""
            if urlsplit(value).scheme in ("http", "https", "mailto"):
                continue
            if value.startswith("#"):
                assert tree.css_first(value), f"{url}: no {value} on the page"
                continue
            assert value.startswith(PREFIX), f"{url}: {value} is not under {PREFIX}"
            target = local_target(sample, value)
            assert target is not None and target.is_file(), f"{url}: {value} points nowhere"
            fragment = urlsplit(value).fragment
            if fragment:
                assert HTMLParser(target.read_text("utf-8")).css_first(f"#{fragment}"), f"{url}: no #{fragment}"
            checked += 1
    assert checked > 500


def test_no_markup_comes_from_content(sample):
    for url, tree in pages(sample).items():
        assert not tree.css("iframe, object, embed, style, base"), url
        assert [m.attributes["http-equiv"] for m in tree.css("meta[http-equiv]")] == ["Content-Security-Policy"], url
        # the only scripts are the site's own files, the only form the header's search field
        for script in tree.css("script"):
            if script.attributes.get("type") == "application/ld+json":
                data = json.loads(script.text())
                assert data["@context"] == "https://schema.org" and "<" not in script.text(), url
                continue
            assert script.attributes.get("src", "").startswith((f"{PREFIX}static/", f"{PREFIX}pagefind/")), url
            assert not script.text().strip(), url
        assert [f.attributes.get("class") for f in tree.css("form")] == ["site-search"], url
        for node in tree.css("*"):
            for name in node.attributes:
                assert not name.lower().startswith("on"), f"{url}: {node.tag} has {name}"


def test_pages_are_well_formed_for_readers(sample):
    for url, tree in pages(sample).items():
        assert len(tree.css("h1")) == 1, url
        assert tree.css_first("html").attributes["lang"] == "de"
        assert tree.css_first("title").text().strip(), url
        ids = Counter(node.attributes["id"] for node in tree.css("[id]"))
        assert not [i for i, n in ids.items() if n > 1], f"{url}: duplicate ids"


def test_entry_page_shows_what_a_reader_needs(sample):
    tree = HTMLParser((sample / "entries/newsde-nordkorea-geschosse/index.html").read_text("utf-8"))
    text = tree.body.text()
    for expected in ["news.de", "dpa", "6. September 2022", "Bestätigt", "Weiterlesen", "Personen, Orte, Organisationen", "Kim Jong-un", "5. September 2022", "Berichtete Ereignisse"]:
        assert expected in text, expected
    links = {a.attributes["href"] for a in tree.css("a[href]")}
    assert f"{PREFIX}entries/russland-greift-ukraine-an/" in links  # a note's link to another entry file
    assert f"{PREFIX}themes/munition-nordkorea/" in links


def test_english_entries_are_marked_and_dates_read_as_german(sample):
    english = [p for p in (sample / "entries").glob("*/index.html") if 'class="entry" lang="en"' in p.read_text("utf-8")]
    assert len(english) >= 2
    assert "Englisch" in english[0].read_text("utf-8")


def test_timeline_has_every_precision_in_order_and_merges_shared_events(sample):
    tree = HTMLParser((sample / "timeline/index.html").read_text("utf-8"))
    dates = [node.attributes["datetime"] for node in tree.css("li.event > time")]
    assert dates == sorted(dates, key=lambda d: tuple(int(p) for p in d.split("-")) + (0,) * (3 - d.count("-") - 1))
    precisions = Counter(d.count("-") for d in dates)
    assert precisions[0] and precisions[1] and precisions[2]
    merged = [node for node in tree.css("li.event") if node.css_first(".count")]
    assert merged, "an event reported by several entries appears once with every source"
    assert any(len(node.css(".event-sources a")) >= 3 for node in merged)
    assert min(int(d[:4]) for d in dates) <= 2019 and max(int(d[:4]) for d in dates) >= 2024


def test_home_page_lists_themes_with_counts_and_latest_entries(sample):
    tree = HTMLParser((sample / "index.html").read_text("utf-8"))
    tiles = tree.css(".theme-tile")
    assert len(tiles) >= 4
    assert all("Einträge" in tile.text() or "Eintrag" in tile.text() for tile in tiles)
    assert len(tree.css("#latest-heading ~ article")) == 10


def test_the_documented_example_entry_is_valid(tmp_path):
    docs = (ROOT / "docs/format.md").read_text("utf-8")
    marker = "`content/entries/2022/kirby-granaten-nahost.md`:\n\n```markdown\n"
    example = docs[docs.index(marker) + len(marker) :].split("\n```\n")[0] + "\n"
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "entries/2022/kirby-granaten-nahost.md").write_text(example, "utf-8")
    out = tmp_path / "site"
    build(BuildOptions(content=content, templates=ROOT / "templates", out=out))
    page = (out / "entries/kirby-granaten-nahost/index.html").read_text("utf-8")
    for expected in ["Los Angeles Times", "2. November 2022", "John Kirby", "significant number of artillery shells", 'lang="en"', "/dossier/media/route-container-2023.svg"]:
        assert expected in page, expected
