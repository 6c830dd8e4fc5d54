"""Build the sample dossier and take screenshots of its page kinds in headless Chromium, for the docs.

Every page kind at desktop (1280 px) and phone (390 px) width in the light scheme; a few also in the dark
scheme (`-dark`), and the print page as printed (`print-paper`, print media emulated).

Usage: python scripts/screenshots.py [--out docs/screenshots] [--only NAME ...] [--full]
Needs Playwright for Python and a Chromium binary (Debian's package `chromium`).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE = "/dossier/"
SHOTS = {
    "home": "",
    "themes": "themes/",
    "theme": "themes/munition-nordkorea/",
    "entry": "entries/newsde-nordkorea-geschosse/",
    "entry-image": "entries/alabuga-drohnenfabrik/",
    "timeline": "timeline/?theme=drohnen-iran",
    "entities": "entities/",
    "entity": "entities/kim-jong-un/",
    "sources": "sources/",
    "source": "sources/news-de/",
    "search": "search/?q=Kim",
    "404": "404.html",
    "print": "print/",
    "event": "events/munitionskauf-nordkorea/",
    "changes": "changes/",
    "about": "about/",
    "network": "network/",
    "map": "map/",
    "place": "entities/kiew/",
}
DARK = {"home", "entry", "timeline", "search", "event", "map"}
LANGUAGES = ("ar", "uk")
"""The interface in these languages too (Arabic right to left): the home and an entry page, `-ar`, `-uk`."""
WIDTHS = ((1280, "desktop"), (390, "phone"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def shoot(page, origin: str, name: str, path: str, out: Path, full: bool) -> None:
    """Open one page, wait until it has settled, and save its screenshot."""
    page.goto(origin + path)
    if name == "search":
        page.wait_for_selector(".pagefind-ui__result-link")
        page.wait_for_timeout(300)
    page.screenshot(path=out, full_page=full)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--only", nargs="*", choices=sorted(SHOTS), help="take only these page kinds")
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    args = parser.parse_args()
    from dossier.build import BuildOptions, build

    from tests.conftest import sample_in_language

    names = args.only or list(SHOTS)
    with tempfile.TemporaryDirectory() as tmp:
        served = Path(tmp) / "root"
        build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=served / BASE.strip("/"), base_url=f"https://example.github.io{BASE}"))
        for language in LANGUAGES:
            content = sample_in_language(Path(tmp) / language, language)
            build(BuildOptions(content=content, templates=ROOT / "templates", out=served / language, base_url=f"https://example.github.io/{language}/", search=False))
        handler = functools.partial(_QuietHandler, directory=str(served))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_port}{BASE}"
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"), executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True
            )
            for scheme in ("light", "dark"):
                for width, suffix in WIDTHS:
                    page = browser.new_page()
                    page.emulate_media(color_scheme=scheme)
                    page.set_viewport_size({"width": width, "height": 900 if suffix == "desktop" else 844})
                    for name in names:
                        if scheme == "dark" and name not in DARK:
                            continue
                        tail = "-dark" if scheme == "dark" else ""
                        shoot(page, origin, name, SHOTS[name], args.out / f"{name}-{suffix}{tail}.png", args.full)
                    page.close()
            for language in LANGUAGES:
                for width, suffix in WIDTHS:
                    page = browser.new_page()
                    page.set_viewport_size({"width": width, "height": 900 if suffix == "desktop" else 844})
                    for name in ("home", "entry"):
                        if name in names:
                            path = f"http://127.0.0.1:{server.server_port}/{language}/{SHOTS[name]}"
                            page.goto(path)
                            page.screenshot(path=args.out / f"{name}-{suffix}-{language}.png", full_page=args.full)
                    page.close()
            if "print" in names:
                page = browser.new_page()
                page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
                page.goto(origin + SHOTS["print"])
                page.emulate_media(media="print")
                page.screenshot(path=args.out / "print-paper.png", full_page=False)
                page.goto(origin + "entries/iran-drohnen-sullivan/")  # one with a source URL, printed after its link
                page.screenshot(path=args.out / "entry-paper.png", full_page=False)
                page.close()
            browser.close()
        server.shutdown()
    print(f"Screenshots written to {args.out}")


if __name__ == "__main__":
    main()
