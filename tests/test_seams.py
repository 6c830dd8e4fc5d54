"""Speedups on other libraries' private names (seams.py): the plain path gives the same site, and runs wherever the
library's version was not tested or DOSSIER_PLAIN=1 is set."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from dossier import seams
from dossier.build import BuildOptions, build
from dossier.pages.render import make_environment
from dossier.search import compounds

from conftest import ROOT
from test_incremental import TODAY, site_contents


@pytest.fixture
def fresh_seams(monkeypatch: pytest.MonkeyPatch):
    """Let each test set DOSSIER_PLAIN and TESTED, whatever the suite runs with, and leave compound-split's tables
    as the test found them."""
    monkeypatch.delenv(seams.PLAIN, raising=False)
    seams._tested.cache_clear()
    monkeypatch.setattr(compounds, "_splitter", None)
    monkeypatch.setattr(compounds, "_table_file", None)
    yield monkeypatch
    seams._tested.cache_clear()


def build_into(tmp_path: Path, name: str, search: bool) -> Path:
    out = tmp_path / name
    build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=out, today=TODAY, search=search, cache=tmp_path / f"{name}-cache"))
    return out


@pytest.mark.parametrize("search", [False, True])
def test_a_plain_build_is_the_same_site(tmp_path: Path, fresh_seams: pytest.MonkeyPatch, search: bool):
    quick = build_into(tmp_path, "quick", search)
    fresh_seams.setenv(seams.PLAIN, "1")
    compounds._splitter = None  # loaded by the quick build, from the table file
    plain = build_into(tmp_path, "plain", search)
    ours, theirs = site_contents(quick), site_contents(plain)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    # with search, the quick build kept compound-split's tables in a file; the plain one imports them
    assert bool(list((tmp_path / "quick-cache").glob("compound-split-*.ngrams"))) is search
    assert list((tmp_path / "plain-cache").glob("compound-split-*.ngrams")) == []


def test_templates_compiled_plain_and_quick_are_kept_apart(tmp_path: Path, fresh_seams: pytest.MonkeyPatch):
    # Jinja's bytecode cache keys a template by its source alone: a plain build must not load quick code
    compiled = tmp_path / "site-cache" / "templates"
    build_into(tmp_path, "site", False)
    quick = {path.name for path in compiled.iterdir()}
    fresh_seams.setenv(seams.PLAIN, "1")
    shutil.rmtree(tmp_path / "site")
    build_into(tmp_path, "site", False)
    plain = {path.name for path in compiled.iterdir()}
    assert len(quick) == len(plain) == 1 and quick != plain


@pytest.mark.parametrize("plain, tested, quick", [("", ("0", "999"), True), ("1", ("0", "999"), False), ("", ("999", "1000"), False)])
def test_the_speedups_run_only_where_tested(fresh_seams: pytest.MonkeyPatch, plain: str, tested: tuple[str, str], quick: bool, tmp_path: Path):
    fresh_seams.setenv(seams.PLAIN, plain)
    fresh_seams.setitem(seams.TESTED, "jinja2", tested)
    fresh_seams.setitem(seams.TESTED, "compound-split", tested)
    assert seams.quick("jinja2") is quick and seams.quick("compound-split") is quick
    from dossier.build import load_site
    from dossier.problems import Problems

    _, site = load_site(BuildOptions(content=ROOT / "content", out=tmp_path / "site", today=TODAY), Problems())
    env = make_environment([ROOT / "templates"], site)
    assert (env.context_class is not jinja2.runtime.Context) is quick
    assert (compounds.table_file(tmp_path) is not None) is quick


def test_versions_compare_by_their_release_numbers():
    assert seams._numbers("3.1.6") == (3, 1, 6) < seams._numbers("3.2") == (3, 2)
    assert seams._numbers("3.2.0rc1") == (3, 2, 0) >= seams._numbers("3.2")
    assert seams._numbers("1.0.2") < seams._numbers("1.1")
