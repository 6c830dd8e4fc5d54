"""Tier 1: each fixture case is one bad entry; the build must report exactly the expected lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.problems import ContentError

from conftest import build_dossier, entry, read_fixture_file, write_dossier

FIXTURES = Path(__file__).parent / "fixtures"
CASES = read_fixture_file(FIXTURES / "entry_errors.md")


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
