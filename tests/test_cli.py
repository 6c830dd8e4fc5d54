"""The command line as a curator meets it: `python build.py`, its messages and its exit status."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, entry, write_dossier


def run(cwd, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, env=env, capture_output=True, text=True)


def project(tmp_path, files):
    """Lay out a dossier project as a curator has it: content/ and templates/ side by side."""
    write_dossier(tmp_path, files)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_build_prints_one_summary_line(tmp_path):
    project(tmp_path, {"entries/a.md": entry(), "entries/b.md": entry(extra="draft: true\n")})
    done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    match = re.fullmatch(r"Built 1 entries into site/: (\d+) pages, (\d+) files, 0 warning\(s\) in \d+\.\d\d s \(search index \d+\.\d\d s\)\.", lines[0])
    assert match, lines[0]
    site = tmp_path / "site"
    ours = [p for p in site.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(site).parts]
    assert int(match.group(1)) == len([p for p in ours if p.suffix == ".html"]) == 18  # with /about/, /changes/, /network/ and /map/
    assert int(match.group(2)) == len(ours)
    assert (tmp_path / "site/pagefind/pagefind-ui.js").is_file()
    assert (tmp_path / "site/entries/a/index.html").is_file()


def test_options_override_the_defaults(tmp_path):
    project(tmp_path, {"entries/a.md": entry(), "entries/b.md": entry(extra="draft: true\n")})
    (tmp_path / "content").rename(tmp_path / "dossier-content")
    done = run(tmp_path, "--content", "dossier-content", "--out", "public", "--base-url", "https://x.org/deep/path/", "--drafts")
    assert done.returncode == 0, done.stderr
    assert "Built 2 entries into public/" in done.stdout
    assert 'href="/deep/path/static/style.css"' in (tmp_path / "public/index.html").read_text()


def test_no_search_skips_the_index(tmp_path):
    project(tmp_path, {"entries/a.md": entry()})
    done = run(tmp_path, "--no-search")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("(no search index).")
    assert not (tmp_path / "site/pagefind").exists()


def test_errors_exit_1_with_path_line_messages_and_leave_the_site(tmp_path):
    project(tmp_path, {"entries/a.md": entry()})
    assert run(tmp_path).returncode == 0
    before = snapshot(tmp_path / "site")
    write_dossier(tmp_path, {"entries/b.md": entry(themes="[nope]"), "entries/c.md": "---\ntitle: x\n"})
    done = run(tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        'content/entries/b.md:7: field "themes": unknown theme "nope"; dossier.yaml declares: one, two',
        'content/entries/c.md:1: the front matter opened on line 1 is never closed: expected a line "---" after it',
        "Build failed: 2 error(s); site/ was left as it was.",
    ]
    assert "Traceback" not in done.stderr
    assert snapshot(tmp_path / "site") == before


def test_check_validates_without_writing_and_strict_fails_on_warnings(tmp_path):
    project(tmp_path, {"entries/a.md": entry(extra="related: [b]\n"), "entries/b.md": entry(extra="draft: true\n")})
    done = run(tmp_path, "check")
    assert done.returncode == 0
    assert done.stdout.strip() == "Checked 1 entries: 1 warning(s), no error(s)."
    assert 'content/entries/a.md:8: warning: field "related": "b" is a draft left out of this build' in done.stderr
    assert not (tmp_path / "site").exists()
    assert run(tmp_path, "check", "--strict").returncode == 1


def test_help_documents_every_option(tmp_path):
    done = run(tmp_path, "--help")
    assert done.returncode == 0
    for option in ["--content", "--out", "--base-url", "--drafts", "--templates", "--strict", "check", "build"]:
        assert option in done.stdout, option


def test_warnings_are_grouped_by_kind_with_counts_and_quiet_only_counts_them(tmp_path):
    project(tmp_path, {
        "entries/a.md": entry(extra="related: [x, y]\n"),
        "entries/x.md": entry(extra="draft: true\n"),
        "entries/y.md": entry(extra="draft: true\n"),
    })  # fmt: skip
    done = run(tmp_path)
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert lines[0] == '2 warnings: field "…": "…" is a draft left out of this build'
    assert lines[1] == '  content/entries/a.md:8: warning: field "related": "x" is a draft left out of this build'
    assert lines[2] == '  content/entries/a.md:8: warning: field "related": "y" is a draft left out of this build'
    quiet = run(tmp_path, "--quiet")
    assert quiet.stderr.strip() == "2 warning(s) of 1 kind(s); run without --quiet to see them."
    verbose = run(tmp_path, "--verbose", "--no-cache")
    assert "… rendering 18 pages" in verbose.stderr and "… indexing 1 entries for search" in verbose.stderr
    again = run(tmp_path)  # from the cache: the same warnings
    assert again.stderr.splitlines() == lines


def test_new_writes_a_skeleton_that_fails_until_filled_in(tmp_path):
    project(tmp_path, {"entries/a.md": entry()})
    done = run(tmp_path, "new", "Lieferung: Granaten über Rajin", "--theme", "two")
    assert done.returncode == 0, done.stderr
    path = tmp_path / done.stdout.strip()
    year = __import__("datetime").date.today().year
    assert done.stdout.strip() == f"content/entries/{year}/lieferung-granaten-ueber-rajin.md"
    text = path.read_text("utf-8")
    assert "title: 'Lieferung: Granaten über Rajin'" in text and "themes: [two]" in text and "# further_reading:" in text
    check = run(tmp_path, "check")
    assert check.returncode == 1
    assert 'field "summary": expected text, found an empty value' in check.stderr
    filled = text.replace('name: ""', "name: news.de").replace('summary: ""', "summary: Kurz.")
    path.write_text(filled, "utf-8")
    assert run(tmp_path, "check").returncode == 0
    again = run(tmp_path, "new", "Lieferung: Granaten über Rajin", "--theme", "two")
    assert again.returncode == 1 and "exists already" in again.stderr
    unknown = run(tmp_path, "new", "Anderes", "--theme", "drei")
    assert unknown.returncode == 1 and unknown.stderr.strip() == 'new: unknown theme "drei"; dossier.yaml declares: one, two'
    close = run(tmp_path, "new", "Anderes", "--theme", "tow")
    assert close.returncode == 1 and close.stderr.strip() == 'new: unknown theme "tow" (did you mean "two"?); dossier.yaml declares: one, two'


def test_new_with_a_date_writes_into_that_years_folder(tmp_path):
    project(tmp_path, {"entries/a.md": entry()})
    done = run(tmp_path, "new", "Frühere Meldung", "--theme", "one", "--date", "2022-09-06")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "content/entries/2022/fruehere-meldung.md"
    assert "\ndate: 2022-09-06  #" in (tmp_path / done.stdout.strip()).read_text("utf-8")
    unpadded = run(tmp_path, "new", "Andere", "--theme", "one", "--date", "2023-10-8")
    assert unpadded.returncode == 2 and unpadded.stderr.splitlines()[-1].endswith('argument --date: "2023-10-8" is not a day written YYYY-MM-DD; write 2023-10-08')
    impossible = run(tmp_path, "new", "Andere", "--theme", "one", "--date", "2023-02-30")
    assert impossible.returncode == 2 and impossible.stderr.splitlines()[-1].endswith('argument --date: "2023-02-30" is not a day of the calendar')
    assert run(tmp_path, "--help").stdout.startswith("usage: python build.py ")  # as it was called


def test_import_writes_an_entry_skeleton_from_a_saved_page(tmp_path):
    project(tmp_path, {"entries/a.md": entry()})
    page = Path(__file__).parent / "fixtures" / "import"
    html = sorted(page.glob("*.html"))[0]
    done = run(tmp_path, "import", str(html))
    assert done.returncode == 0, done.stderr
    written = tmp_path / done.stdout.strip()
    assert written.is_file() and written.read_text("utf-8").startswith("---\ntitle:")
    assert run(tmp_path, "import", str(html)).returncode == 1  # exists already
    assert run(tmp_path, "import", str(html), "--force").returncode == 0
    missing = run(tmp_path, "import", "nowhere.html")
    assert missing.returncode == 1 and missing.stderr.startswith("nowhere.html: cannot read it")


def test_check_links_reports_dead_source_urls_at_their_line(tmp_path):
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self.send_response(200 if self.path == "/alive" else 404)
            self.end_headers()

        do_GET = do_HEAD

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        project(tmp_path, {
            "entries/a.md": entry().replace("  name: news.de\n", f"  name: news.de\n  url: {base}/alive\n"),
            "entries/b.md": entry().replace("  name: news.de\n", f"  name: news.de\n  url: {base}/gone\n"),
        })  # fmt: skip
        assert run(tmp_path, "check").returncode == 0  # without --links nothing goes over the network
        done = run(tmp_path, "check", "--links", "--link-timeout", "5")
    finally:
        server.shutdown()
    assert done.returncode == 1
    assert done.stderr.strip() == f'content/entries/b.md:6: field "source.url": {base}/gone answered 404 Not Found'
    assert done.stdout.strip() == "Checked 2 entries and 2 links (1 dead, 0 refused the check): 0 warning(s), 1 error(s)."
