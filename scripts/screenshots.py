"""Build the sample dossier and take screenshots of its page kinds in headless Chromium, for the docs.

Usage: python scripts/screenshots.py [--out docs/screenshots]
Needs Playwright for Python and a Chromium binary (Debian's package `chromium`).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BASE = "/dossier/"
SHOTS = {
    "home": "",
    "theme": "themes/munition-nordkorea/",
    "entry": "entries/newsde-nordkorea-geschosse/",
    "timeline": "timeline/",
    "entities": "entities/",
    "entity": "entities/kim-jong-un/",
}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    from dossier.build import BuildOptions, build

    with tempfile.TemporaryDirectory() as tmp:
        served = Path(tmp) / "root"
        build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=served / BASE.strip("/"), base_url=f"https://example.github.io{BASE}"))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_port}{BASE}"
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"), executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True
            )
            for width, suffix in ((1280, "desktop"), (390, "phone")):
                page = browser.new_page()
                page.set_viewport_size({"width": width, "height": 900})
                for name, path in SHOTS.items():
                    page.goto(origin + path)
                    page.screenshot(path=args.out / f"{name}-{suffix}.png", full_page=False)
                page.close()
            browser.close()
        server.shutdown()
    print(f"Screenshots written to {args.out}")


if __name__ == "__main__":
    main()
