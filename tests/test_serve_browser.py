"""`python build.py serve` in the browser: a change rebuilds and reloads the page; an error shows on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT, entry, write_dossier


def test_serve_rebuilds_reloads_and_shows_errors(chromium, tmp_path):
    write_dossier(tmp_path, {"entries/a.md": entry(title="Erster Stand")})
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--no-search"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    page = chromium.new_page()
    try:
        first = server.stdout.readline()
        assert " Built 1 entries into site/" in first, first
        url = server.stdout.readline().split()[1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/sub/")
        page.goto(url + "entries/a/")
        assert page.locator("h1").inner_text() == "Erster Stand"
        page.evaluate("window.sameDocument = true")

        write_dossier(tmp_path, {"entries/a.md": entry(title="Zweiter Stand")}, dossier_yaml=None)
        page.locator("h1", has_text="Zweiter Stand").wait_for(timeout=20_000)
        assert page.evaluate("window.sameDocument") is None  # the page was reloaded, not patched

        write_dossier(tmp_path, {"entries/a.md": entry(title="Kaputt", themes="[nope]")}, dossier_yaml=None)
        box = page.locator("#dossier-build-problems")
        box.wait_for(timeout=20_000)
        assert 'content/entries/a.md:7: field "themes": unknown theme "nope"' in box.inner_text()
        assert page.locator("h1").inner_text() == "Zweiter Stand"  # the last good site is still shown
        page.reload()
        assert page.locator("h1").inner_text() == "Zweiter Stand"
        page.locator("#dossier-build-problems").wait_for(timeout=10_000)  # a page opened now learns of the error too

        write_dossier(tmp_path, {"entries/a.md": entry(title="Repariert")}, dossier_yaml=None)
        page.locator("h1", has_text="Repariert").wait_for(timeout=20_000)
        assert page.locator("#dossier-build-problems").count() == 0
        assert (tmp_path / "site/entries/a/index.html").read_text().count("live.js") == 0  # only the preview adds it
    finally:
        page.close()
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert 'content/entries/a.md:7: field "themes": unknown theme "nope"' in errors
    assert "build failed; still serving the last good site." in errors
