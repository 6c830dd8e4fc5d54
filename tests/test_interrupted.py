"""A build killed at any moment leaves the complete old site or the complete new one, never a mix or nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, entry, write_dossier

ENTRIES = 80


def fingerprint(site: Path) -> tuple[str, int]:
    """Return a hash of every page and file (the search index by its file count: its bytes vary between builds)."""
    digest = hashlib.sha256()
    index_files = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site)
        if relative.parts[0] == "pagefind":
            index_files += 1
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest(), index_files


def content(root: Path, version: str) -> None:
    write_dossier(root, {f"entries/e{n:03d}.md": entry(title=f"Eintrag {n} Fassung {version}", date=f"2022-{n % 12 + 1:02d}-{n % 27 + 1:02d}") for n in range(ENTRIES)})


def build(root: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(ROOT / "build.py")], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_builds_leave_a_complete_site(tmp_path):
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    known = {}
    durations = []
    for version in ("A", "B"):
        content(tmp_path, version)
        started = time.perf_counter()
        assert build(tmp_path).wait() == 0
        durations.append(time.perf_counter() - started)
        known[version] = fingerprint(tmp_path / "site")
    assert known["A"][0] != known["B"][0] and known["A"][1] == known["B"][1] > 0
    duration = max(durations)
    # kill times spread over the whole build, denser towards its end, where the index is written and the swap happens
    delays = [duration * f for f in (0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 1.0, 1.02, 1.05)]
    outcomes = {"old": 0, "new": 0}
    current = "B"
    for delay in delays:
        target = "A" if current == "B" else "B"
        content(tmp_path, target)
        process = build(tmp_path)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = fingerprint(tmp_path / "site")
        assert state in (known["A"], known["B"]), f"after a kill at {delay:.2f} s the site is neither the old nor the new one"
        outcomes["new" if state == known[target] else "old"] += 1
        current = target if state == known[target] else current
        # a loaded machine builds slower than measured: kill later until one kill falls after the swap
        if delay == delays[-1] and not outcomes["new"] and delay < duration * 8:
            delays.append(delay * 1.4)
    assert outcomes["old"] and outcomes["new"], outcomes  # the kills fell both before and after the swap
    # the next build cleans up what the killed ones left
    assert build(tmp_path).wait() == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []
