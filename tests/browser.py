"""The browser test harness: a built site served on 127.0.0.1 under a subpath, and headless Chromium.

Chromium comes from the system (Debian's `chromium` package), driven by Playwright for Python through
`executable_path`; Playwright's own browser download is not used. Without a Chromium the browser tests
skip, except under CI (`CI` set), where they must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def find_chromium() -> str | None:
    """Return the system's Chromium, or None."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    return None


def require_chromium() -> str:
    """Return the Chromium to use, or skip (never under CI) when there is none."""
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Chromium was found: install Debian's chromium package (see .ci/run)")
        pytest.skip("no Chromium found (install Debian's chromium package to run the browser tests)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class ServedSite:
    """A site served over HTTP on the loopback interface."""

    root: Path
    """The folder served as the server's root; the site lies below it at `prefix`."""
    origin: str
    """`http://127.0.0.1:PORT`."""
    prefix: str
    """The base path, such as `/dossier/`."""

    def url(self, path: str = "") -> str:
        return self.origin + self.prefix + path.lstrip("/")


def serve(root: Path, prefix: str) -> Iterator[ServedSite]:
    """Serve `root` on 127.0.0.1 on a free port until the generator is closed."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(root, f"http://127.0.0.1:{server.server_port}", prefix)
    finally:
        server.shutdown()
        server.server_close()
