"""Shared helpers: mini-dossiers written from strings, fixture files, and output assertions."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from dossier.build import BuildOptions, BuildResult, build

ROOT = Path(__file__).resolve().parent.parent

DOSSIER_YAML = """\
title: Testdossier
description: Ein Dossier für Tests.
language: de
base_url: https://example.org/sub/
themes:
  - slug: one
    title: Thema Eins
    description: Das erste Thema.
  - slug: two
    title: Thema Zwei
entities:
  - name: Kim Jong-un
    kind: person
    aliases: [Kim Jong Un]
  - name: Pjöngjang
    kind: place
    aliases: [Pyongyang]
"""


def entry(title: str = "Ein Eintrag", date: str = "2022-09-06", themes: str = "[one]", extra: str = "", body: str = "Notizen.\n") -> str:
    """Return a valid entry file, with `extra` front matter lines appended."""
    front = f"title: {title}\ndate: {date}\nsource:\n  name: news.de\nsummary: Eine Zusammenfassung.\nthemes: {themes}\n"
    return f"---\n{front}{textwrap.dedent(extra)}---\n{body}"


def write_dossier(root: Path, files: dict[str, str | bytes], dossier_yaml: str | None = DOSSIER_YAML) -> Path:
    """Write a content folder below `root` from {path: text}; return it."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    if dossier_yaml is not None:
        (content / "dossier.yaml").write_text(dossier_yaml, encoding="utf-8")
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return content


def build_dossier(root: Path, **options) -> BuildResult:
    """Build root/content into root/site with the project's templates."""
    return build(BuildOptions(content=root / "content", templates=ROOT / "templates", out=root / "site", **options))


def assert_file_content(path: Path, *expected: str) -> None:
    """Assert that the file holds each expected substring; a leading `! ` means it must not."""
    text = path.read_text(encoding="utf-8")
    for item in expected:
        if item.startswith("! "):
            assert item[2:] not in text, f"{path} must not contain {item[2:]!r}"
        else:
            assert item in text, f"{path} must contain {item!r}"


def read_fixture_file(path: Path) -> list[tuple[int, str, str, str]]:
    """Return the cases of a fixture file: (line, title, input, expected), markdown-it-py style.

    A case is a title line, then `.`, the input, `.`, the expected output, `.`.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cases = []
    index = 0
    while index < len(lines):
        if lines[index].rstrip("\n") == "." and index > 0:
            title = lines[index - 1].strip()
            start = index
            parts: list[list[str]] = [[], []]
            index += 1
            for part in parts:
                while lines[index].rstrip("\n") != ".":
                    part.append(lines[index])
                    index += 1
                index += 1
            cases.append((start, title, "".join(parts[0]), "".join(parts[1])))
        index += 1
    return cases


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    """Run the test inside a fresh folder, so messages name paths relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample dossier built once with its search index, served under /dossier/ on 127.0.0.1."""
    from browser import serve

    root = tmp_path_factory.mktemp("served")
    build(BuildOptions(content=ROOT / "content", templates=ROOT / "templates", out=root / "dossier", base_url="https://example.github.io/dossier/"))
    yield from serve(root, "/dossier/")


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """A headless Chromium (the system's), with a fresh profile, for the whole test session."""
    from browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield context
        context.close()


@pytest.fixture
def page(chromium):
    """A fresh browser tab; JavaScript errors on the page fail the test."""
    tab = chromium.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    tab.close()
    assert not errors, f"JavaScript errors: {errors}"


PAGES_BASE = "${{ steps.pages.outputs.base_url }}"
"""Where a Pages workflow takes the site's address from."""


def run_workflow_steps(flow: dict, cwd: Path, base: str, env: dict[str, str], *, install: bool) -> list[str]:
    """Run the `run:` steps of a Pages workflow's build job in `cwd` as GitHub would (bash, `-e`), the site's
    address `base`; the step that installs the engine only if `install`. Return each step's output."""
    outputs = []
    for step in flow["jobs"]["build"]["steps"]:
        if "run" not in step or ("pip install" in step["run"] and not install):
            continue
        done = subprocess.run(["bash", "-e", "-c", step["run"].replace(PAGES_BASE, base)], cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"step {step.get('name')}: {done.stdout}{done.stderr}"
        outputs.append(done.stdout + done.stderr)
    return outputs


def sample_in_language(root: Path, language: str) -> Path:
    """Copy the sample dossier below `root` with its interface in `language`; its German entries say they are
    German (`language: de`), as a dossier in another language would mark them. Return the content folder."""
    import shutil

    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    config = content / "dossier.yaml"
    config.write_text(config.read_text("utf-8").replace("\nlanguage: de\n", f"\nlanguage: {language}\n", 1), "utf-8")
    for path in (content / "entries").rglob("*.md"):
        text = path.read_text("utf-8")
        head = text.split("\n---\n", 1)[0]
        if "\nlanguage: " not in head:
            path.write_text(text.replace("\nsummary:", "\nlanguage: de\nsummary:", 1), "utf-8")
    return content


@pytest.fixture(scope="session", params=["ar", "uk"])
def sample_in_other_language(request, tmp_path_factory):
    """The sample with the interface in Arabic (right to left) and in Ukrainian, served under /dossier/."""
    from browser import serve

    root = tmp_path_factory.mktemp(f"served-{request.param}")
    content = sample_in_language(root / "source", request.param)
    build(BuildOptions(content=content, templates=ROOT / "templates", out=root / "dossier", base_url="https://example.github.io/dossier/", search=False))
    yield from serve(root, "/dossier/")
