"""Tier 1: each fixture case is one bad entry; the build must report exactly the expected lines.

Tier 2 below: mini-dossiers for what spans files (dossier.yaml, file names, images), and every kind at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.build import BuildOptions, build
from dossier.content.config import DOSSIER_FIELDS
from dossier.content.entries import ENTRY_FIELDS
from dossier.problems import ContentError

from conftest import DOSSIER_YAML, ROOT, assert_file_content, build_dossier, entry, read_fixture_file, write_dossier

FIXTURES = Path(__file__).parent / "fixtures"
CASES = read_fixture_file(FIXTURES / "entry_errors.md")
WARNING_CASES = read_fixture_file(FIXTURES / "entry_warnings.md")


def check(root: Path) -> list[str]:
    """Check root/content as `python build.py check` does; return every problem it reports, errors first."""
    try:
        result = build(BuildOptions(content=root / "content", templates=ROOT / "templates", out=root / "site"), check_only=True)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in result.warnings]


@pytest.mark.parametrize("line,title,text,expected", CASES, ids=[case[1] for case in CASES])
def test_entry_error(in_tmp, line, title, text, expected):
    write_dossier(in_tmp, {"entries/2022/entry.md": text, "entries/2021/other.md": entry()})
    (in_tmp / "site").mkdir()
    (in_tmp / "site" / "keep.html").write_text("old site")
    with pytest.raises(ContentError) as raised:
        build_dossier(in_tmp)
    errors = [str(p) for p in raised.value.problems if not p.warning]
    assert errors == expected.splitlines(), f"fixture line {line + 1}: {title}"
    assert [p.name for p in (in_tmp / "site").iterdir()] == ["keep.html"]


def test_fixture_file_has_cases():
    assert len(CASES) >= 15


@pytest.mark.parametrize("line,title,text,expected", WARNING_CASES, ids=[case[1] for case in WARNING_CASES])
def test_entry_warning(in_tmp, line, title, text, expected):
    write_dossier(in_tmp, {"entries/2022/entry.md": text, "entries/2021/other.md": entry()})
    assert check(in_tmp) == expected.splitlines(), f"fixture line {line + 1}: {title}"


def test_aliases_written_as_one_text_with_commas_warn(in_tmp):
    dossier_yaml = DOSSIER_YAML + "  - name: Estlink 2\n    aliases: EstLink 2, Estlink2\n"
    write_dossier(in_tmp, {"entries/2022/entry.md": entry()}, dossier_yaml)
    assert check(in_tmp) == [
        'content/dossier.yaml:19: warning: field "entities.aliases": found one text with commas, "EstLink 2, Estlink2"; for a list of 2, write aliases: [EstLink 2, Estlink2]; for one text with a comma, write aliases: ["EstLink 2, Estlink2"]'
    ]


def test_a_field_of_an_entity_or_theme_out_of_line_in_dossier_yaml_is_pointed_to_its_place(in_tmp):
    dossier_yaml = DOSSIER_YAML + "  - name: Fingrid\n    descripton: Netzbetreiber\n    themes: [one]\naliases: [Estlink]\n"
    write_dossier(in_tmp, {"entries/2022/entry.md": entry()}, dossier_yaml)
    assert check(in_tmp) == [
        'content/dossier.yaml:19: unknown field "entities.descripton" (did you mean "entities.description"?); expected one of: name, kind, aliases, description, coordinates',
        'content/dossier.yaml:20: unknown field "entities.themes" (did you mean "themes"? write it in the column of "entities:", not indented under it); expected one of: name, kind, aliases, description, coordinates',
        f'content/dossier.yaml:21: unknown field "aliases" (did you mean "entities.aliases"? indent it with the fields of its item under "entities:"); expected one of: {", ".join(DOSSIER_FIELDS)}',
    ]


def test_a_bad_theme_declaration_is_reported_once_not_for_every_entry(in_tmp):
    dossier_yaml = DOSSIER_YAML.replace("  - slug: two\n", "  - slug: Hybrid Threats\n")
    files = {f"entries/2022/e{n}.md": entry(themes="[one, Hybrid Threats]") for n in range(3)}
    write_dossier(in_tmp, files, dossier_yaml)
    assert check(in_tmp) == [
        'content/dossier.yaml:9: field "themes.slug": expected lower-case letters, digits and hyphens (such as "hybrid-threats"), found "Hybrid Threats"'
    ]


def test_markdown_files_with_another_ending_are_warned_about(in_tmp):
    other = {f"entries/2022/{name}": entry() for name in ("kabel.markdown", "Tanker Seized.MD", "notes.mdown")}
    write_dossier(in_tmp, {"entries/2022/entry.md": entry(), "entries/2022/picture.png": b"", **other})
    assert check(in_tmp) == [
        'content/entries/2022/Tanker Seized.MD: warning: not read: only files ending in ".md" are entries; rename it to "tanker-seized.md"',
        'content/entries/2022/kabel.markdown: warning: not read: only files ending in ".md" are entries; rename it to "kabel.md"',
        'content/entries/2022/notes.mdown: warning: not read: only files ending in ".md" are entries; rename it to "notes.md"',
    ]


def test_notes_images_are_found_beside_the_entry_first_then_below_content(in_tmp):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    body = "![Karte](media/karte.svg) ![Plan](media/plan.svg)\n"
    write_dossier(in_tmp, {
        "media/karte.svg": svg,
        "media/plan.svg": svg,
        "entries/2022/media/plan.svg": svg,
        "entries/2022/entry.md": entry(body=body),
    })  # fmt: skip
    build_dossier(in_tmp)
    assert_file_content(
        in_tmp / "site/entries/entry/index.html", 'src="/sub/media/karte.svg"', 'src="/sub/media/entries-2022-media-plan.svg"'
    )
    assert (in_tmp / "site/media/karte.svg").is_file()
    assert (in_tmp / "site/media/entries-2022-media-plan.svg").is_file()


def test_a_rebuild_finds_an_image_put_beside_the_entry_after_it_was_found_below_content(in_tmp):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    content = write_dossier(in_tmp, {"media/plan.svg": svg, "entries/2022/entry.md": entry(body="![Plan](media/plan.svg)\n")})
    options = BuildOptions(content=content, templates=ROOT / "templates", out=in_tmp / "site", cache=in_tmp / ".cache", search=False)
    build(options)
    assert_file_content(in_tmp / "site/entries/entry/index.html", 'src="/sub/media/plan.svg"')
    (content / "entries/2022/media").mkdir()
    (content / "entries/2022/media/plan.svg").write_text(svg)
    build(options)
    assert_file_content(in_tmp / "site/entries/entry/index.html", 'src="/sub/media/entries-2022-media-plan.svg"')


EVERY_KIND = {
    "dossier.yaml": """\
title: Ostsee
language: de
base_url: https://example.org/
themes:
  - slug: one
    title: Eins
  - slug: Hybrid Threats
    title: Hybride Bedrohungen
entities:
  - name: Estlink 2
    aliases: EstLink 2, Estlink2
""",
    "media/karte.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    "entries/2021/other.md": entry(themes="[one, Hybrid Threats]"),
    "entries/2023/seized.md": """\
---
title: Eagle S #shadowfleet tanker seized
date: 2023-10-8
source:
  name: Yle
author: Anna Muster
summary: Kurz.
themes: [Hybrid Threats]
entities: NATO, Estlink 2
related: [othr]
image:
  src: media/karte.svg
---
Siehe [den Bericht](../2021/othr.md) und die Karte:

![](media/karte.svg)
""",
    "entries/2023/colon.md": entry(title="Finland: tanker seized"),
    "entries/2023/tab.md": "---\ntitle: Ein Eintrag\ndate: 2023-12-26\nsource:\n\tname: Yle\n---\n",
    "entries/2023/items.md": entry(themes="\n  - one\n - Hybrid Threats"),
    "entries/2023/cable.markdown": entry(),
}


def test_every_problem_at_once(in_tmp):
    """One mistake of each kind in one small dossier: one check reports them all, each at its line."""
    write_dossier(in_tmp, EVERY_KIND, dossier_yaml=None)
    fields = ", ".join(ENTRY_FIELDS)
    assert check(in_tmp) == [
        'content/dossier.yaml:7: field "themes.slug": expected lower-case letters, digits and hyphens (such as "hybrid-threats"), found "Hybrid Threats"',
        'content/entries/2023/colon.md:2: YAML syntax error: mapping values are not allowed in this context; a value that contains ": " must be in quotes: title: "Finland: tanker seized"',
        'content/entries/2023/items.md:9: YAML syntax error: while parsing a block mapping, did not find expected key; a list item ("- ...") must stand in the same column as the items above it, indented below its field',
        'content/entries/2023/seized.md:3: field "date": expected a full date YYYY-MM-DD, found "2023-10-8"; write "2023-10-08", with two digits for the day',
        f'content/entries/2023/seized.md:6: unknown field "author" (did you mean "source.author"? indent it under "source:"); expected one of: {fields}',
        'content/entries/2023/seized.md:10: field "related": no entry "othr" (did you mean "other"?); expected the file name (without .md) of an entry',
        'content/entries/2023/seized.md:11: missing required field "image.alt"',
        'content/entries/2023/seized.md:14: notes: link to "../2021/othr.md": no entry file othr.md at that place (did you mean "../2021/other.md"?)',
        'content/entries/2023/tab.md:5: YAML syntax error: while scanning for the next token, found character that cannot start any token; YAML indents with spaces, not tabs: replace the tab with spaces',
        'content/dossier.yaml:11: warning: field "entities.aliases": found one text with commas, "EstLink 2, Estlink2"; for a list of 2, write aliases: [EstLink 2, Estlink2]; for one text with a comma, write aliases: ["EstLink 2, Estlink2"]',
        'content/entries/2023/cable.markdown: warning: not read: only files ending in ".md" are entries; rename it to "cable.md"',
        'content/entries/2023/seized.md:2: warning: field "title": the text stops before "#shadowfleet tanker seized", which YAML reads as a comment; to keep it, put the whole value in quotes: title: "Eagle S #shadowfleet tanker seized"',
        'content/entries/2023/seized.md:9: warning: field "entities": found one text with commas, "NATO, Estlink 2"; for a list of 2, write entities: [NATO, Estlink 2]; for one text with a comma, write entities: ["NATO, Estlink 2"]',
        'content/entries/2023/seized.md:16: warning: notes: image "media/karte.svg" has no alt text; say what it shows between the brackets, for readers who cannot see it: ![what it shows](media/karte.svg)',
    ]


def test_check_strict_fails_on_a_list_written_as_one_text(tmp_path):
    write_dossier(tmp_path, {"entries/2022/entry.md": entry(extra="entities: NATO, Estlink 2\n")})
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True) for args in (["check"], ["check", "--strict"])]
    assert [run.returncode for run in runs] == [0, 1]
    assert 'content/entries/2022/entry.md:8: warning: field "entities": found one text with commas, "NATO, Estlink 2"' in runs[1].stderr
