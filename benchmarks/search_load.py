"""Measure what a reader's first search downloads: requests, bytes and time until the results show.

Serves each built site given on 127.0.0.1 (below the base path of its dossier.json's base URL), opens
`search/?q=QUERY` in headless Chromium with an empty cache and a phone's viewport (412 px wide, as
Lighthouse's mobile emulation; `--width` for another), waits until the results are listed and the network
is quiet, and counts every response: all of them, and those of the search index (below `pagefind*/` and
`static/search/`). Each site is measured `--repeat` times in turns; the table shows medians.

    python benchmarks/search_load.py --query Russland /tmp/site-one-bundle /tmp/site-sharded

Bytes are counted as GitHub Pages sends them: Pagefind's index files as they are (Pagefind compresses
them), scripts, styles, pages and JSON gzip-compressed (the local server sends them as they are).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import CHROMIUM_ARGS, find_chromium, serve  # noqa: E402


_TEXT = ("text/", "javascript", "json", "xml", "svg")


def sent(response) -> int:
    """Return the bytes GitHub Pages would send for the response's body: text compressed, the rest as it is."""
    body = response.body()
    text = any(kind in response.headers.get("content-type", "") for kind in _TEXT)
    return len(gzip.compress(body, 6)) if text else len(body)


def measure(site: Path, query: str, chromium: str, width: int) -> dict[str, float]:
    """Open the site's search page for `query` once, with a fresh browser profile; return its figures."""
    from playwright.sync_api import sync_playwright

    prefix = urlsplit(json.loads((site / "dossier.json").read_text())["dossier"]["base_url"]).path or "/"
    with tempfile.TemporaryDirectory() as root:
        mounted = Path(root) / prefix.strip("/")
        mounted.parent.mkdir(parents=True, exist_ok=True)
        mounted.symlink_to(site.resolve(), target_is_directory=True)
        served = serve(Path(root), prefix)
        where = next(served)
        profile = tempfile.mkdtemp(prefix="search-load-")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch_persistent_context(
                    profile, executable_path=chromium, args=CHROMIUM_ARGS, viewport={"width": width, "height": 823}
                )
                page = browser.new_page()
                seen: list[tuple[str, int]] = []
                page.on("response", lambda response: seen.append((response.url, sent(response))))
                started = time.perf_counter()
                page.goto(where.url(f"search/?q={query}"))
                page.wait_for_selector(".pagefind-ui__result", timeout=120_000)
                shown = time.perf_counter() - started
                page.wait_for_load_state("networkidle")
                browser.close()
        finally:
            served.close()
            shutil.rmtree(profile, ignore_errors=True)
    index = [(url, size) for url, size in seen if "/pagefind" in url or "/static/search/" in url]
    return {
        "seconds to results": shown,
        "requests": len(seen),
        "KB": sum(size for _, size in seen) / 1000,
        "index requests": len(index),
        "index KB": sum(size for _, size in index) / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built sites (folders with dossier.json)")
    parser.add_argument("--query", default="Russland", help="the search term (default: Russland)")
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each site, in turns (default: 3)")
    parser.add_argument("--width", type=int, default=412, help="the viewport's width in CSS pixels (default: 412)")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: apt-get install -y chromium")
    runs: dict[Path, list[dict[str, float]]] = {site: [] for site in args.sites}
    for _ in range(args.repeat):
        for site in args.sites:
            runs[site].append(measure(site, args.query, chromium, args.width))
    names = list(runs[args.sites[0]][0])
    print("| site | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for site, measured in runs.items():
        cells = [f"{statistics.median(run[name] for run in measured):,.1f}" for name in names]
        print(f"| {site} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
