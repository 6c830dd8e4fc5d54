"""Measure related reading alone at 1,000, 10,000 and 100,000 synthetic entries: time and peak memory.

    python benchmarks/related.py [--n 1000 10000 100000] [--work /tmp/dossier-related]

Each size runs in a fresh process: the dossier is generated (once, then reused), loaded and validated,
and then related reading is computed for every entry. Printed: the wall and CPU time of that step (CPU
of this process and of the workers it forks), the process's peak memory before and after it, and, as
loading leaves a peak of its own that can hide what comes after, the memory in use when related reading
starts and its own peak (on Linux, where the peak can be reset). Forked workers count the parent's pages
they inherit, so their peak includes the parent's memory at the time of the fork.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _status(field: str) -> float:
    """Return a memory figure of this process from /proc/self/status, in MiB (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reset_peak() -> bool:
    """Reset this process's peak memory to what it uses now (Linux 4.0 and later); return whether it could."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure(content: Path) -> dict[str, float]:
    """Load `content`, then time related reading; runs in its own process."""
    sys.path.insert(0, str(ROOT))
    from dossier.content.load import ContentUrls, load_content
    from dossier.problems import Problems
    from dossier.site.related import related_reading

    content_data = load_content(content, Problems(), base_url=None, drafts=False, urls=ContentUrls(lambda d, s: s, lambda d, r: r))
    assert content_data is not None, "the synthetic dossier does not validate"
    entries = sorted(content_data.entries, key=lambda e: (e.date, e.slug), reverse=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    in_use = _status("VmRSS")
    reset = _reset_peak()
    cpu, wall = time.process_time(), time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    related = related_reading(entries, content_data.dossier.related)
    wall = time.perf_counter() - wall
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (after_children.ru_utime + after_children.ru_stime - children.ru_utime - children.ru_stime)
    own_peak = _status("VmHWM") if reset else 0.0
    after = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, before)
    shown = sum(len(related.for_entry(e, related.index)) for e in entries[:1000])
    return {"entries": len(entries), "wall": wall, "cpu": cpu, "rss_before_mb": before / 1024, "rss_after_mb": after / 1024, "children_rss_mb": after_children.ru_maxrss / 1024, "in_use_mb": in_use, "own_peak_mb": own_peak, "shown_per_entry": shown / min(1000, len(entries))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/dossier-related"))
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    sys.path.insert(0, str(HERE))
    from generate import generate

    print("| entries | related reading, wall | CPU (all processes) | peak memory before → after | in use at start → peak during | workers' peak |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.n:
        folder = args.work / f"n{n}"
        if not (folder / "content" / "dossier.yaml").is_file():
            generate(n, folder)
        done = subprocess.run([sys.executable, __file__, "--measure", str(folder / "content")], capture_output=True, text=True, check=True)
        r = json.loads(done.stdout)
        print(f"| {r['entries']:,} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['rss_before_mb']:,.0f} → {r['rss_after_mb']:,.0f} MB | {r['in_use_mb']:,.0f} → {r['own_peak_mb']:,.0f} MB | {r['children_rss_mb']:,.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
