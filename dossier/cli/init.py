"""A new dossier repository: settings, one example entry, .gitignore and a workflow that publishes on GitHub Pages.

The repository holds content only. Its workflow installs the engine at the version that wrote it (pinned by its
git address and commit, since another project owns the name `dossier` on PyPI) and builds with `dossier build`.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import babel

from .. import templating
from ..content.slugs import make_slug
from .skeleton import yaml_scalar

PLACEHOLDER = "dossier @ git+https://github.com/OWNER/REPOSITORY@COMMIT"
"""What the workflow installs when this copy of the engine cannot tell where it came from."""


class InitError(Exception):
    """The dossier cannot be started there; the message says why."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the new dossier's settings say."""

    title: str
    """The dossier's name."""
    language: str
    """Its language (BCP 47)."""
    base_url: str
    """Where it will be published, ending in a slash."""
    themes: tuple[str, ...]
    """Its themes' titles; slugs are made from them."""


def engine_requirement() -> str | None:
    """Return the pip requirement for this very version of the engine, or None when it cannot be told.

    pip records where a package was installed from (PEP 610): a git address and the commit. A checkout of the
    engine's repository (an editable install) gives its remote `origin` and the commit it is at.
    """
    try:
        recorded = importlib.metadata.distribution("dossier").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        recorded = None
    if recorded:
        found = json.loads(recorded)
        vcs = found.get("vcs_info", {})
        if vcs.get("vcs") == "git" and vcs.get("commit_id"):
            return f"dossier @ git+{found['url']}@{vcs['commit_id']}"
    checkout = templating.shipped("templates", "templates").parent
    if not (checkout / ".git").exists():
        return None
    try:
        origin = _git(checkout, "remote", "get-url", "origin")
        commit = _git(checkout, "rev-parse", "HEAD")
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"dossier @ git+{origin}@{commit}" if origin.startswith("https://") else None


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout.strip()


def check_settings(title: str, language: str, base_url: str, themes: list[str]) -> Settings:
    """Return the settings, or raise InitError saying which one is wrong and what to write instead."""
    if not title.strip():
        raise InitError("the title is empty")
    try:
        babel.Locale.parse(language.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        raise InitError(f'unknown language "{language}"; write a BCP 47 code such as en, en-US, de, fr') from None
    if not base_url.startswith(("https://", "http://")):
        raise InitError(f'the base URL "{base_url}" does not start with https://; write the address the site will have, such as https://you.github.io/{make_slug(title, "en")}/')
    titles = [theme.strip() for theme in themes if theme.strip()]
    if not titles:
        raise InitError("no theme; name at least one, such as --theme \"Sanctions\"")
    slugs = [make_slug(theme, language) for theme in titles]
    twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if twice:
        raise InitError(f'two themes have the same slug "{twice[0]}"; give them different titles')
    return Settings(title.strip(), language, base_url.rstrip("/") + "/", tuple(titles))


def start_dossier(folder: Path, settings: Settings | None, engine: str, today: dt.date) -> list[Path]:
    """Write a new dossier repository into `folder`: `settings`' dossier.yaml and an example entry, or a copy of
    the sample with None; return the files written."""
    content = folder / "content"
    if content.exists():
        raise InitError(f"{content} exists already; start the dossier in another folder")
    workflow = folder / ".github" / "workflows" / "pages.yml"
    if workflow.exists():
        raise InitError(f"{workflow} exists already; start the dossier in another folder")
    starter = resources.files(__package__) / "starter"
    if settings is None:
        shutil.copytree(templating.shipped("sample", "content"), content)
        written = sorted(p for p in content.rglob("*") if p.is_file())
    else:
        first = make_slug(settings.themes[0], settings.language)
        example = content / "entries" / str(today.year) / "example-entry.md"
        written = [_write(content / "dossier.yaml", _settings_text(starter.joinpath("dossier.yaml").read_text("utf-8"), settings))]
        written.append(_write(example, _example(first, settings.language, today)))
    written.append(_write(folder / ".gitignore", starter.joinpath("gitignore").read_text("utf-8"), keep=True))
    written.append(_write(workflow, starter.joinpath("pages.yml").read_text("utf-8").replace("@ENGINE@", engine)))
    return [path for path in written if path is not None]


def _write(path: Path, text: str, keep: bool = False) -> Path | None:
    """Write `text` to `path`, unless `keep` and there is a file there already (a repository's own .gitignore)."""
    if keep and path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _settings_text(text: str, settings: Settings) -> str:
    themes = "\n".join(
        f"  - slug: {make_slug(title, settings.language)}\n    title: {yaml_scalar(title)}\n    # description: What entries of this theme are about."
        for title in settings.themes
    )
    replaced = {
        "@TITLE@": yaml_scalar(settings.title),
        "@LANGUAGE@": settings.language,
        "@BASE_URL@": settings.base_url,
        "@THEMES@": themes,
    }
    for marker, value in replaced.items():
        text = text.replace(marker, value)
    return text


def _example(theme: str, language: str, today: dt.date) -> str:
    # Written in English; marked as such in a dossier of another language, so that its page says so.
    marked = "" if language.split("-")[0] == "en" else "language: en\n"
    return f"""---
title: An example entry to replace with your first article
date: {today.isoformat()}
source:
  name: The Example Times
  url: https://www.example.com/
{marked}summary: >-
  Each entry stands for one article. Its summary is your own account of what the article reports, in a few
  sentences; the title is your headline for it.
themes: [{theme}]
status: reported
---
Notes in Markdown go here: what the article adds, where its claims come from, how they were received.

Start a new entry with `dossier new "Title" --theme {theme} --date YYYY-MM-DD`, then delete this one.
"""
