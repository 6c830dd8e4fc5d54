"""Build the sample dossier (or another's), serve it under /dossier/ on 127.0.0.1, score page kinds with Lighthouse,
print the table.

Lighthouse 12 comes from npm (`npm ci --prefix scripts`) and drives the system's Chromium (`CHROME_PATH`, Debian's
`chromium`). Each page is scored in Lighthouse's default mobile emulation, in its four categories; the exit status
is 1 when any score is below the bar (98 unless `--bar` says otherwise).

Usage: python scripts/lighthouse.py [--bar 98] [--runs 1] [--only PAGE ...] [--json-dir DIR] [--desktop]
                                    [--content DIR] [--page NAME=PATH ...]

`--content` scores another dossier (a generated one: benchmarks/generate.py), `--page` names its pages to score;
`--page place=top` is the page of the place the most entries name (found on its /map/).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE = "/dossier/"
LIGHTHOUSE = ROOT / "scripts" / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "",
    "theme": "themes/munition-nordkorea/",
    "entry": "entries/newsde-nordkorea-geschosse/",
    "timeline": "timeline/",
    "search": "search/?q=Kim",
    "map": "map/",
    "network": "network/",
    "place": "entities/kiew/",
}
CATEGORIES = {"performance": "Performance", "accessibility": "Accessibility", "best-practices": "Best practices", "seo": "SEO"}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def score(url: str, chrome: str, desktop: bool, json_out: Path | None) -> dict[str, int]:
    """Run Lighthouse on one URL; return its category scores out of 100."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
        ]  # fmt: skip
        if desktop:
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": chrome}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        data = json.loads(report.read_text(encoding="utf-8"))
        if json_out:
            shutil.copy(report, json_out)
    return {key: round((data["categories"][key]["score"] or 0) * 100) for key in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bar", type=int, default=98, help="the lowest acceptable score (default 98)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median score counts (default 1)")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset instead of mobile emulation")
    parser.add_argument("--only", nargs="*", help="score only these pages")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the dossier to build (default: the sample)")
    parser.add_argument("--page", action="append", default=[], help="NAME=PATH: score this page instead of the sample's kinds")
    parser.add_argument("--json-dir", type=Path, help="keep each page's full Lighthouse report here")
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse is not installed: run npm ci --prefix scripts (looked for {LIGHTHOUSE})", file=sys.stderr)
        return 2
    from dossier.build import BuildOptions, build

    with tempfile.TemporaryDirectory() as tmp:
        served = Path(tmp) / "root"
        build(BuildOptions(content=args.content, templates=ROOT / "templates", out=served / BASE.strip("/"), base_url=f"https://example.github.io{BASE}"))
        pages = dict(item.split("=", 1) for item in args.page) if args.page else PAGES
        if pages.get("place") == "top":
            top = (served / BASE.strip("/") / "map" / "index.html").read_text("utf-8").split('<tr data-slug="', 1)[1].split('"', 1)[0]
            pages["place"] = f"entities/{top}/"
        handler = functools.partial(_QuietHandler, directory=str(served))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_port}{BASE}"
        if args.json_dir:
            args.json_dir.mkdir(parents=True, exist_ok=True)
        rows = {}
        try:
            for name, path in pages.items():
                if args.only and name not in args.only:
                    continue
                runs = [
                    score(origin + path, args.chromium, args.desktop, args.json_dir / f"{name}-{run + 1}.json" if args.json_dir else None)
                    for run in range(args.runs)
                ]
                rows[name] = {key: sorted(run[key] for run in runs)[len(runs) // 2] for key in CATEGORIES}
                print(f"  {name}: " + ", ".join(f"{CATEGORIES[k]} {v}" for k, v in rows[name].items()), file=sys.stderr)
        finally:
            server.shutdown()
    print(table(rows))
    below = [(name, CATEGORIES[key], value) for name, row in rows.items() for key, value in row.items() if value < args.bar]
    for name, category, value in below:
        print(f"{name}: {category} {value} is below {args.bar}", file=sys.stderr)
    return 1 if below else 0


def table(rows: dict[str, dict[str, int]]) -> str:
    """Return the scores as a Markdown table."""
    lines = ["| page | " + " | ".join(CATEGORIES.values()) + " |", "|---|" + "---:|" * len(CATEGORIES)]
    lines += [f"| {name} | " + " | ".join(str(row[key]) for key in CATEGORIES) + " |" for name, row in rows.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
