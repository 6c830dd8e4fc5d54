"""The same content gives the same bytes: builds in other folders, with other hash seeds and file order, compare equal.

Pagefind's index is the one exception, and only in part: its filter chunks (and so the names that hash
them, the meta file and pagefind-entry.json) change from run to run, because Pagefind 1.5 writes each
filter's values in the order of a Rust HashMap, which is randomised per process. Every other index
file (the word index and the page fragments) is identical.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

NONDETERMINISTIC = re.compile(r"^pagefind/(filter/.*\.pf_filter|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta|pagefind-entry\.json)$")


def copy_project(target: Path, reverse: bool) -> None:
    """Copy the sample, creating its files in one order or the other (folder listings then differ)."""
    files = sorted(p for p in (ROOT / "content").rglob("*") if p.is_file())
    for path in reversed(files) if reverse else files:
        destination = target / "content" / path.relative_to(ROOT / "content")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, destination)
    shutil.copytree(ROOT / "templates", target / "templates")


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_two_builds_are_byte_identical_but_for_pagefinds_filter_order(tmp_path):
    sites = []
    for n, (seed, reverse) in enumerate([("1", False), ("4242", True)]):
        project = tmp_path / f"project-{n}"
        copy_project(project, reverse)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=project, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        sites.append(snapshot(project / "site"))
    first, second = sites
    ours = {path for path in first if not path.startswith("pagefind/")}
    assert len(ours) > 150
    assert {p: first[p] for p in ours} == {p: second[p] for p in ours if p in second}
    assert ours == {path for path in second if not path.startswith("pagefind/")}
    differing = {p for p in first.keys() | second.keys() if first.get(p) != second.get(p)}
    assert all(NONDETERMINISTIC.match(p) for p in differing), sorted(differing)
    words = [p for p in first if p.startswith(("pagefind/index/", "pagefind/fragment/"))]
    assert words and all(first[p] == second.get(p) for p in words)
