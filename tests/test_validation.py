"""Tier 1: each fixture case is one bad entry; the build must report exactly the expected lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.build import BuildOptions, build
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
