"""Tier 2: mini-dossiers written inline, built, and their pages checked for what a reader must see."""

from __future__ import annotations

import shutil
import time

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.problems import ContentError

from conftest import DOSSIER_YAML, ROOT, assert_file_content, build_dossier, entry, write_dossier


def errors_of(root, **options) -> list[str]:
    with pytest.raises(ContentError) as raised:
        build_dossier(root, **options)
    return [str(p) for p in raised.value.problems if not p.warning]


def test_entities_resolve_aliases_and_undeclared_names_become_other(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(extra="entities: [Kim Jong Un, PYONGYANG, Wagner-Gruppe, Erdoğan]\n")})
    build_dossier(in_tmp)
    site = in_tmp / "site"
    assert_file_content(site / "entries/a/index.html", '/sub/entities/kim-jong-un/', '/sub/entities/pjoengjang/', '/sub/entities/wagner-gruppe/', '/sub/entities/erdogan/', "! /sub/entities/kim-jong-un-1/")
    assert_file_content(site / "entities/index.html", "Kim Jong-un", "Pjöngjang", "Wagner-Gruppe", "Weitere")
    assert_file_content(site / "entities/kim-jong-un/index.html", "Kim Jong Un", "/sub/entries/a/")


def test_every_problem_of_every_file_is_reported_in_one_run(in_tmp):
    write_dossier(
        in_tmp,
        {
            "entries/x/a.md": entry(themes="[nope]"),
            "entries/y/b.md": entry(date="2022-02-30", extra="colour: red\n"),
            "entries/y/c.md": entry(),
        },
    )
    assert errors_of(in_tmp) == [
        'content/entries/x/a.md:7: field "themes": unknown theme "nope"; dossier.yaml declares: one, two',
        'content/entries/y/b.md:3: field "date": "2022-02-30" does not exist: February 2022 has 28 days',
        'content/entries/y/b.md:8: unknown field "colour"; expected one of: title, date, source, language, summary, themes, entities, events, related, further_reading, status, tags, quotes, image, draft, updated, corrections',
    ]


def test_duplicate_slug_across_folders(in_tmp):
    write_dossier(in_tmp, {"entries/2021/same.md": entry(), "entries/2022/same.md": entry()})
    assert errors_of(in_tmp) == [
        "content/entries/2022/same.md:1: duplicate slug \"same\": content/entries/2021/same.md has the same file name; entry file names must be unique across folders"
    ]


def test_file_name_must_be_a_slug(in_tmp):
    write_dossier(in_tmp, {"entries/Über Putin.md": entry()})
    assert errors_of(in_tmp) == [
        'content/entries/Über Putin.md:1: the file name must be a slug of lower-case letters, digits and hyphens, such as "ueber-putin.md"; found "Über Putin.md"'
    ]


def test_file_that_is_not_utf8_names_its_line(in_tmp):
    text = entry(body="Erste Zeile.\nZweite Zeile mit \xfcmlaut.\n").encode("latin-1")
    write_dossier(in_tmp, {"entries/a.md": text})
    assert errors_of(in_tmp) == [
        "content/entries/a.md:10: the file is not UTF-8 text (byte 0xfc at offset 143); save it as UTF-8"
    ]


def test_dossier_yaml_problems_are_all_reported(in_tmp):
    bad = """\
title: [x]
language: klingonisch
base_url: example.org
colour: red
themes:
  - slug: Eins
    title: Eins
  - slug: two
    title: Zwei
  - slug: two
    title: Nochmal
entities:
  - name: Putin
    kind: human
  - name: Wladimir Putin
    aliases: [Putin]
"""
    write_dossier(in_tmp, {"entries/a.md": entry(themes="[two]")}, dossier_yaml=bad)
    assert errors_of(in_tmp) == [
        'content/dossier.yaml:1: field "title": expected text, found a list',
        'content/dossier.yaml:2: field "language": expected a language code such as de or en, found "klingonisch"',
        'content/dossier.yaml:3: field "base_url": expected an http or https URL such as https://user.github.io/repo/, found "example.org"',
        'content/dossier.yaml:4: unknown field "colour"; expected one of: title, description, language, base_url, themes, entities, sources, related, social_image, allow_html, method, messages',
        'content/dossier.yaml:6: field "themes.slug": expected lower-case letters, digits and hyphens (such as "eins"), found "Eins"',
        'content/dossier.yaml:10: field "themes.slug": the theme "two" is already declared on line 8',
        'content/dossier.yaml:14: field "entities.kind": expected one of person, organization, place, other, found "human"',
        'content/dossier.yaml:16: the name "Putin" already stands for another entity on line 13',
    ]


def test_missing_dossier_file(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry()}, dossier_yaml=None)
    assert errors_of(in_tmp) == ["content/dossier.yaml: the dossier file is missing: every dossier needs content/dossier.yaml"]


def test_content_is_escaped_everywhere(in_tmp):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    write_dossier(
        in_tmp,
        {
            "entries/a.md": entry(
                title=f"'{hostile}'",
                extra=f"tags: ['{hostile}']\nquotes:\n  - text: '{hostile}'\n    by: '{hostile}'\nevents:\n  - date: 2022\n    title: '{hostile}'\n",
                body=f"Text {hostile}\n\n<div onclick=x>raw</div>\n",
            )
        },
    )
    build_dossier(in_tmp)
    for page in (in_tmp / "site").rglob("*.html"):
        assert_file_content(page, "! <script>alert", "! <img src=x", "! <div onclick")
    assert_file_content(in_tmp / "site/entries/a/index.html", "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;div onclick=x&gt;raw&lt;/div&gt;")


def test_links_between_entries_carry_the_base_path(in_tmp):
    write_dossier(
        in_tmp,
        {
            "entries/2021/early.md": entry(date="2021-05-01", body="## Kontext\n\nMehr dazu.\n"),
            "entries/2022/late.md": entry(extra="related: [early]\n", body="Siehe [den frühen Bericht](../2021/early.md#kontext).\n"),
        },
    )
    build_dossier(in_tmp, base_url="https://user.github.io/repo")
    site = in_tmp / "site"
    assert_file_content(site / "entries/late/index.html", 'href="/repo/entries/early/#kontext"', 'href="/repo/static/style.css"', "! ../2021/early.md")
    # the earlier entry lists the later one under "Verwiesen von" (backlinks)
    page = HTMLParser((site / "entries/early/index.html").read_text())
    assert page.css_first("#backlinks-heading").text() == "Verwiesen von"
    assert [a.attributes["href"] for a in page.css("#backlinks-heading ~ ul a")] == ["/repo/entries/late/"]


def test_drafts_are_left_out_unless_asked_for(in_tmp):
    write_dossier(
        in_tmp,
        {
            "entries/pub.md": entry(extra="related: [wip]\n", body="Bald: [Entwurf](wip.md).\n"),
            "entries/wip.md": entry(title="Noch offen", extra="draft: true\n"),
        },
    )
    result = build_dossier(in_tmp)
    assert result.entries == 1
    assert not (in_tmp / "site/entries/wip").exists()
    assert sorted(str(w) for w in result.warnings) == [
        'content/entries/pub.md:10: warning: notes: link to "wip.md", a draft left out of this build; shown as plain text',
        'content/entries/pub.md:8: warning: field "related": "wip" is a draft left out of this build',
    ]
    assert_file_content(in_tmp / "site/entries/pub/index.html", "Bald: Entwurf.", "! wip.md")
    result = build_dossier(in_tmp, drafts=True)
    assert result.entries == 2 and not result.warnings
    assert_file_content(in_tmp / "site/entries/wip/index.html", "Entwurf, nicht veröffentlicht")


def test_entry_in_another_language_carries_lang_and_dates_follow_the_dossier(in_tmp):
    english = DOSSIER_YAML.replace("language: de", "language: en")
    write_dossier(in_tmp, {"entries/a.md": entry(date="2022-02-24", extra="language: de\n"), "entries/b.md": entry(date="2022-03-01")}, dossier_yaml=english)
    build_dossier(in_tmp)
    assert_file_content(in_tmp / "site/entries/a/index.html", '<html lang="en" dir="ltr">', '<article class="entry" lang="de" data-pagefind-body', "24 February 2022", "German")
    assert_file_content(in_tmp / "site/entries/b/index.html", '<article class="entry" data-pagefind-body', "1 March 2022", "Related reading", "! Weiterlesen")


def test_events_shared_by_id_are_one_item_with_every_source(in_tmp):
    write_dossier(
        in_tmp,
        {
            "entries/a.md": entry(date="2022-09-06", extra="events:\n  - {date: 2022-09-05, title: Bericht der NYT, id: nyt}\n  - {date: 2019, title: Gipfel}\n"),
            "entries/b.md": entry(date="2022-09-07", extra="events:\n  - {date: 2022-09-05, title: NYT-Bericht, id: nyt}\n  - {date: 2022-08, title: Drohnen}\n"),
        },
    )
    build_dossier(in_tmp)
    page = (in_tmp / "site/timeline/index.html").read_text()
    assert page.count("Bericht der NYT") == 1 and "NYT-Bericht" not in page
    assert "2 Berichte, 1 unabhängige Ursprungsquelle" in page and "(erster Bericht)" in page  # both from news.de
    assert page.index(">2019<") < page.index("August 2022") < page.index("5. September 2022")


def test_shared_event_with_conflicting_dates_warns(in_tmp):
    write_dossier(
        in_tmp,
        {
            "entries/a.md": entry(date="2022-09-06", extra="events:\n  - {date: 2022-09-05, title: X, id: nyt}\n"),
            "entries/b.md": entry(date="2022-09-07", extra="events:\n  - {date: 2022-09-04, title: X, id: nyt}\n"),
        },
    )
    result = build_dossier(in_tmp)
    assert [str(w) for w in result.warnings] == [
        'content/entries/b.md:9: warning: event "nyt" is dated 2022-09-04, but a.md dates it 2022-09-05; the earliest report\'s date is used'
    ]


def test_local_image_is_copied_and_outside_paths_refused(in_tmp):
    write_dossier(
        in_tmp,
        {
            "media/map.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
            "entries/a.md": entry(extra="image:\n  src: media/map.svg\n  alt: Karte\n  credit: Redaktion\n"),
        },
    )
    build_dossier(in_tmp)
    assert (in_tmp / "site/media/map.svg").is_file()
    assert_file_content(in_tmp / "site/entries/a/index.html", 'src="/sub/media/map.svg"', 'alt="Karte"', "Bild: Redaktion")


def test_template_error_is_reported_with_its_line(in_tmp, tmp_path):
    write_dossier(in_tmp, {"entries/a.md": entry()})
    templates = in_tmp / "templates"
    templates.mkdir()
    (templates / "base.html").write_text("<html>\n{% block main %}\n{% endblok %}\n")
    (templates / "home.html").write_text('{% extends "base.html" %}\n')
    from dossier.build import BuildOptions, build

    with pytest.raises(ContentError) as raised:
        build(BuildOptions(content=in_tmp / "content", templates=templates, out=in_tmp / "site"))
    assert [str(p) for p in raised.value.problems] == [
        f"{templates / 'base.html'}:3: template error: Encountered unknown tag 'endblok'. Jinja was looking for the following tags: 'endblock'. The innermost block that needs to be closed is 'block'."
    ]
    assert not (in_tmp / "site").exists()


def test_alias_bomb_is_refused_quickly(in_tmp):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    write_dossier(in_tmp, {"entries/a.md": f"---\n{bomb}---\n"})
    started = time.perf_counter()
    errors = errors_of(in_tmp)
    assert time.perf_counter() - started < 2  # 9**9 values if expanded; refused before that
    assert errors == ["content/entries/a.md:2: the YAML expands to more than 20,000 values through its aliases (*name); write the values out"]


def test_a_file_over_the_size_limit_is_refused(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(body="x" * (2 * 1024 * 1024))})
    assert errors_of(in_tmp) == ["content/entries/a.md:1: the file has 2,097,265 bytes, more than the 2,097,152 a content file may have"]


def test_a_template_link_to_a_missing_page_fails_the_build(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry()})
    templates = in_tmp / "templates"
    shutil.copytree(ROOT / "templates", templates)
    home = templates / "home.html"
    home.write_text(home.read_text("utf-8").replace("{% block main %}", "{% block main %}<a href=\"{{ url('gone/') }}\">x</a>"), "utf-8")
    from dossier.build import BuildOptions, build

    with pytest.raises(ContentError) as raised:
        build(BuildOptions(content=in_tmp / "content", templates=templates, out=in_tmp / "site"))
    assert [str(p) for p in raised.value.problems] == ['index.html: broken link "/sub/gone/": the site has no gone/index.html']


def test_failed_build_leaves_previous_site_byte_for_byte(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry()})
    build_dossier(in_tmp)
    before = {p.relative_to(in_tmp): p.read_bytes() for p in (in_tmp / "site").rglob("*") if p.is_file()}
    write_dossier(in_tmp, {"entries/b.md": entry(themes="[nope]")})
    errors_of(in_tmp)
    after = {p.relative_to(in_tmp): p.read_bytes() for p in (in_tmp / "site").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in in_tmp.iterdir() if p.name.startswith(".site")] == []


def test_same_content_gives_the_same_bytes(in_tmp):
    """Pages and assets are byte-identical across builds (Pagefind's index files are not: its filter chunks vary)."""
    write_dossier(in_tmp, {"entries/a.md": entry(extra="entities: [Kim Jong Un, Zeta, Alpha]\n"), "entries/b.md": entry(date="2021-01-01")})

    def files():
        site = in_tmp / "site"
        return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.relative_to(site).parts[0] != "pagefind"}

    build_dossier(in_tmp)
    first = files()
    build_dossier(in_tmp)
    assert files() == first
    assert len(first) > 10


def test_a_link_to_a_missing_anchor_fails_the_build_naming_page_and_link(in_tmp):
    write_dossier(in_tmp, {"entries/early.md": entry(body="## Kontext\n"), "entries/late.md": entry(body="[x](early.md#hintergrund)\n")})
    assert errors_of(in_tmp) == ['entries/late/index.html: broken link "/sub/entries/early/#hintergrund": entries/early/index.html has no anchor "hintergrund"']


def test_links_to_anchors_of_the_page_itself_are_checked_and_every_broken_link_is_named(in_tmp):
    """A link to an anchor of its own page is checked where the page is rendered, the others once for the site:
    each broken one is still named with every page that has it."""
    write_dossier(in_tmp, {
        "entries/a.md": entry(body="## Kontext\n\n[hin](#kontext), [weg](#nirgends)\n"),
        "entries/b.md": entry(date="2022-09-07", body="[zu a](a.md#kontext) und [zu sich](#auch-nicht)\n"),
    })  # fmt: skip
    assert errors_of(in_tmp) == [
        'entries/b/index.html: broken link "#auch-nicht": entries/b/index.html has no anchor "auch-nicht"',
        'entries/a/index.html: broken link "#nirgends": entries/a/index.html has no anchor "nirgends"',
        'print/index.html: broken link "#b-auch-nicht": print/index.html has no anchor "b-auch-nicht"',
        'print/index.html: broken link "#a-nirgends": print/index.html has no anchor "a-nirgends"',
    ]
    write_dossier(in_tmp, {
        "entries/a.md": entry(body="## Kontext\n\n[hin](#kontext)\n"),
        "entries/b.md": entry(date="2022-09-07", body="[zu a](a.md#kontext) und [nach c](c.md#fehlt)\n"),
        "entries/c.md": entry(date="2022-09-08", body="[zu a](a.md#kontext) und [nach c](c.md#fehlt)\n"),
    })  # fmt: skip
    assert errors_of(in_tmp) == [
        'entries/c/index.html: broken link "/sub/entries/c/#fehlt": entries/c/index.html has no anchor "fehlt"',
        'entries/b/index.html: broken link "/sub/entries/c/#fehlt": entries/c/index.html has no anchor "fehlt"',
    ]
    write_dossier(in_tmp, {"entries/c.md": entry(date="2022-09-08", body="## Fehlt\n\n[zu a](a.md#kontext)\n")})
    build_dossier(in_tmp)


def test_messages_show_control_and_bidi_characters_as_escapes(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(themes='["x\\nfake.md:1: all good", "\\u202eevil"]')})
    assert errors_of(in_tmp) == [
        'content/entries/a.md:7: field "themes": unknown theme "x\\nfake.md:1: all good"; dossier.yaml declares: one, two',
        'content/entries/a.md:7: field "themes": unknown theme "\\u202eevil"; dossier.yaml declares: one, two',
    ]


def test_the_themes_overview_lists_a_large_themes_newest_entries_and_links_on(in_tmp):
    # theme one: 25 entries, newest first on the overview, the ten newest alone; theme two: 3, all of them
    files = {f"entries/e{day:02d}.md": entry(title=f"Eintrag {day}", date=f"2022-09-{day:02d}") for day in range(1, 26)}
    files.update({f"entries/z{day}.md": entry(title=f"Zwei {day}", date=f"2022-10-0{day}", themes="[two]") for day in range(1, 4)})
    write_dossier(in_tmp, files)
    build_dossier(in_tmp)
    tree = HTMLParser((in_tmp / "site/themes/index.html").read_text("utf-8"))
    large, small = tree.css("section.theme-section")
    assert [a.text() for a in large.css("ul.plain a")] == [f"Eintrag {day}" for day in range(25, 15, -1)]
    more = large.css_first("p.more a")
    assert more.attributes["href"] == "/sub/themes/one/" and "25" in more.text()
    assert len(small.css("ul.plain a")) == 3 and small.css_first("p.more") is None
    # the theme's own page still lists all 25
    assert len(HTMLParser((in_tmp / "site/themes/one/index.html").read_text("utf-8")).css("article.card")) == 25


def test_a_long_list_of_an_entitys_entries_is_split_with_its_timeline_on_the_first_page(in_tmp, monkeypatch):
    from dossier.pages import plan

    monkeypatch.setattr(plan, "ENTRIES_PAGE", 3)
    events = "events:\n  - {date: 2022-08-01, title: Ein Ereignis}\n"
    write_dossier(in_tmp, {f"entries/e{day}.md": entry(title=f"Kim {day}", date=f"2022-09-0{day}", extra=f"entities: [Kim Jong-un]\n{events}") for day in range(1, 8)})
    build_dossier(in_tmp)
    pages = [in_tmp / "site/entities/kim-jong-un" / part / "index.html" for part in ("", "2", "3")]
    trees = [HTMLParser(path.read_text("utf-8")) for path in pages]
    assert [[a.text() for a in tree.css("article.card h3 a")] for tree in trees] == [["Kim 7", "Kim 6", "Kim 5"], ["Kim 4", "Kim 3", "Kim 2"], ["Kim 1"]]
    assert all("(7)" in tree.css_first("#entries-heading").text() for tree in trees)
    assert [tree.css_first("#timeline") is not None for tree in trees] == [True, False, False]
    assert not (in_tmp / "site/entities/kim-jong-un/4").exists()
