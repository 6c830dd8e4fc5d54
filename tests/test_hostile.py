"""Hostile input: markup, scripts and dangerous URLs in every field that reaches a page; nothing may execute.

Each payload below is placed in every text field of the format and in the notes. Every output file is
then parsed, and every element, attribute, URL and script must be one the templates make.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.problems import ContentError

from conftest import build_dossier, write_dossier

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<img src=https://example.org/x.png onerror=alert(3)>",
    '" onmouseover="alert(4)" x="',
    "' autofocus onfocus='alert(5)",
    "<a href=\"javascript:alert(6)\">x</a>",
    "JaVaScRiPt:alert(7)",
    "java\tscript:alert(8)",
    "&#106;avascript:alert(9)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=",
    "vbscript:msgbox(11)",
    '<div data-pagefind-filter="Thema:Gefälscht" data-pagefind-body>x</div>',
    "data-pagefind-meta=\"title:Fake\"",
    "<svg onload=alert(12)>",
    "<!-- <style>body{display:none}</style> -->",
    "{{ 7*7 }} {% raw %}",
]
HOSTILE = " · ".join(PAYLOADS)


def q(text: str) -> str:
    """Return `text` as a YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def hostile_dossier(root: Path, allow_html: bool) -> None:
    dossier = f"""\
title: {q("Dossier " + HOSTILE)}
description: {q(HOSTILE)}
language: de
base_url: https://example.org/sub/
allow_html: {str(allow_html).lower()}
themes:
  - {{slug: one, title: {q("Thema " + HOSTILE)}, description: {q(HOSTILE)}}}
entities:
  - {{name: {q("Person " + HOSTILE)}, kind: person, aliases: [{q("Alias " + HOSTILE)}], description: {q(HOSTILE)}}}
sources:
  - {{name: {q("Medium " + HOSTILE)}, country: {q(HOSTILE)}, owner: {q(HOSTILE)}, note: {q(HOSTILE)}, url: "https://example.org/?q=%3Cscript%3E"}}
"""
    front = f"""\
title: {q("Titel " + HOSTILE)}
date: 2022-09-06
source:
  name: {q("Medium " + HOSTILE)}
  url: "https://example.org/a?x=%22%3E%3Cscript%3E"
  author: {q(HOSTILE)}
  title: {q(HOSTILE)}
  archive_url: "https://web.archive.org/web/2022/https://example.org/a"
summary: {q(HOSTILE)}
themes: [one]
entities: [{q("Alias " + HOSTILE)}, {q("Neu " + HOSTILE)}]
events:
  - {{date: 2022-09, title: {q(HOSTILE)}, id: {q(HOSTILE)}}}
  - {{date: "2021", title: {q("Zweites " + HOSTILE)}}}
tags: [{q(HOSTILE)}]
quotes:
  - {{text: {q(HOSTILE)}, by: {q(HOSTILE)}}}
image:
  src: media/bild.svg
  alt: {q(HOSTILE)}
  caption: {q(HOSTILE)}
  credit: {q(HOSTILE)}
further_reading:
  - {{title: {q(HOSTILE)}, url: "https://example.org/b", source: {q(HOSTILE)}}}
"""
    notes = "\n\n".join([
        "# " + HOSTILE,
        HOSTILE,
        "Inline <script>alert(13)</script> and <b onclick=alert(14)>bold</b>.",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<p style=\"background:url(javascript:alert(15))\">styled</p>",
        "| a | b |\n|---|---|\n| " + PAYLOADS[0] + " | " + PAYLOADS[2] + " |",
        "> " + HOSTILE,
        "`" + PAYLOADS[1] + "`",
        "```\n" + HOSTILE + "\n```",
    ])  # fmt: skip
    write_dossier(
        root,
        {"media/bild.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>', "entries/a.md": f"---\n{front}---\n{notes}\n"},
        dossier_yaml=dossier,
    )


ALLOWED_SCRIPT_SOURCES = ("/sub/static/", "/sub/pagefind/")
PAGEFIND_ATTRIBUTES = {"data-pagefind-body", "data-pagefind-ignore", "data-pagefind-meta", "data-pagefind-filter", "data-pagefind-sort", "data-pagefind-weight"}
OUR_FILTERS = {"Thema", "Quelle", "Jahr", "Stand", "Sprache", "Akteure und Orte", "Schlagwort", "Datum", "Stand seiner Ereignisse"}
SAFE_URL = re.compile(r"^(https://|http://|mailto:|/sub/|#)")


def check_html(path: Path) -> int:
    """Assert that the page holds nothing that content could have smuggled in; return the nodes checked."""
    tree = HTMLParser(path.read_text("utf-8"))
    checked = 0
    for node in tree.css("*"):
        checked += 1
        assert node.tag not in ("iframe", "object", "embed", "style", "base", "form") or (node.tag == "form" and node.attributes.get("action") == "/sub/search/"), f"{path}: <{node.tag}>"
        if node.tag == "script":
            if node.attributes.get("type") == "application/ld+json":
                json.loads(node.text())  # one complete JSON document: nothing broke out of it
            else:
                assert node.attributes.get("src", "").startswith(ALLOWED_SCRIPT_SOURCES) and not node.text().strip(), f"{path}: script"
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), f"{path}: <{node.tag} {name}>"
            assert name != "style", f"{path}: <{node.tag} style>"
            if name.startswith("data-pagefind"):
                assert name in PAGEFIND_ATTRIBUTES, f"{path}: {name}"
                if name in ("data-pagefind-filter", "data-pagefind-meta"):
                    assert value in OUR_FILTERS, f"{path}: {name}={value!r}"
            if name in ("href", "src", "action", "cite", "poster", "srcset") and value:
                assert SAFE_URL.match(value), f"{path}: {name}={value!r}"
                assert "script" not in value.lower() or value.startswith("https://example.org/") or value.startswith("/sub/"), f"{path}: {name}={value!r}"
    return checked


@pytest.mark.parametrize("allow_html", [False, True], ids=["raw-html-off", "raw-html-allowed"])
def test_nothing_from_content_becomes_markup(in_tmp, allow_html):
    hostile_dossier(in_tmp, allow_html)
    build_dossier(in_tmp)
    site = in_tmp / "site"
    pages = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) >= 12
    assert sum(check_html(page) for page in pages) > 1000
    for feed in site.rglob("*.xml"):
        ET.parse(feed)  # well-formed: nothing broke out of the XML
    for data in ("dossier.json", "timeline.json", "entries/a/cite.json"):
        json.loads((site / data).read_text("utf-8"))
    entry_page = (site / "entries/a/index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry_page  # shown as text, not dropped
    with_raw = "<b>bold</b>" in entry_page
    assert with_raw is allow_html  # the sanitiser keeps harmless markup only when raw HTML is allowed


def test_dangerous_urls_in_url_fields_are_errors(in_tmp):
    from conftest import entry

    bad_urls = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example/x", "ftp://x.org/"]
    files = {f"entries/e{n}.md": entry(extra=f"further_reading:\n  - {{title: x, url: {q(url)}}}\n") for n, url in enumerate(bad_urls)}
    files["entries/notes.md"] = entry(body="[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](java%0ascript:x) [d](vbscript:x) [e](data:text/html,x) ![f](javascript:x)\n")
    write_dossier(in_tmp, files)
    with pytest.raises(ContentError) as raised:
        build_dossier(in_tmp)
    messages = [str(p) for p in raised.value.problems]
    assert len([m for m in messages if "further_reading.url" in m]) == len(bad_urls)
    assert len([m for m in messages if m.startswith("content/entries/notes.md:9: notes:")]) == 6


def test_paths_cannot_leave_the_content_folder(in_tmp, tmp_path_factory):
    from conftest import entry

    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    write_dossier(in_tmp, {"entries/a.md": entry()})
    (in_tmp / "content/media").mkdir()
    os.symlink(outside, in_tmp / "content/media/link.png")
    cases = {"../../etc/passwd": "b", "/etc/passwd": "c", "media/link.png": "d", "C:/Windows/win.ini": "e", "media/../../x.png": "f"}
    files = {f"entries/{slug}.md": entry(extra=f"image:\n  src: {q(src)}\n  alt: x\n") for src, slug in cases.items()}
    files["entries/g.md"] = entry(body="![x](../../etc/passwd) [y](../media/link.png)\n")
    write_dossier(in_tmp, files, dossier_yaml=None)
    with pytest.raises(ContentError) as raised:
        build_dossier(in_tmp)
    messages = [str(p) for p in raised.value.problems]
    for slug in cases.values():
        assert any(m.startswith(f"content/entries/{slug}.md:9: field \"image.src\"") for m in messages), slug
    assert len([m for m in messages if m.startswith("content/entries/g.md:9: notes:") and "leaves the content folder" in m]) == 2
    assert not (in_tmp / "site").exists()


@pytest.mark.parametrize("name,slug", [("Kim Jong-un", "kim-jong-un"), ("Erdoğan", "erdogan"), ("Überfall", "ueberfall"), ("Пригожин", "prigozhin"), ("../../etc", "etc"), ("金正恩", "jin-zheng-en")])
def test_names_become_slugs_by_transliteration(name, slug):
    from dossier.content.slugs import is_slug, make_slug

    assert make_slug(name, "de") == slug and is_slug(slug)


def test_generated_file_names_use_only_safe_characters(in_tmp):
    from conftest import entry

    write_dossier(in_tmp, {"entries/a.md": entry(extra="image:\n  src: media/Karte Kiew (2022).PNG\n  alt: Karte\nentities: [Erdoğan, 'Пригожин', '../x']\n"), "media/Karte Kiew (2022).PNG": b"\x89PNG"})
    build_dossier(in_tmp)
    site = in_tmp / "site"
    for path in site.rglob("*"):
        relative = path.relative_to(site)
        if relative.parts[0] == "pagefind":
            continue
        for part in relative.parts:
            assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9]+)?|\.nojekyll|404\.html", part), relative
    assert (site / "media/karte-kiew-2022.png").is_file()
