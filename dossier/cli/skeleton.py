"""A new entry's file: every field of the format, the optional ones commented out, ready to fill in."""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content.slugs import make_slug
from ..model import Dossier


class SkeletonError(Exception):
    """The entry cannot be written; the message says why."""


@dataclass(frozen=True, slots=True)
class NewEntry:
    """A new entry file to write."""

    path: Path
    """Where: content/entries/<year>/<slug>.md."""
    text: str
    """The file's contents."""


def yaml_scalar(value: str) -> str:
    """Return `value` as a YAML scalar that reads back as the same text, quoted when it needs it (`Analyse: "X"`,
    `2022`, `yes`); `new`, `import` and `init` write their values with it."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=math.inf, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def new_entry(content_dir: Path, dossier: Dossier, title: str, themes: list[str], day: dt.date, today: dt.date) -> NewEntry:
    """Return the skeleton of an entry titled `title` in `themes`, dated `day`, in that year's folder."""
    declared = [theme.slug for theme in dossier.themes]
    unknown = [slug for slug in themes if slug not in declared]
    if unknown:
        close = difflib.get_close_matches(unknown[0], declared, n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise SkeletonError(f'unknown theme "{unknown[0]}"{hint}; dossier.yaml declares: {", ".join(declared)}')
    if not title.strip():
        raise SkeletonError("the title is empty")
    slug = make_slug(title, dossier.language)
    existing = list((content_dir / "entries").rglob(f"{slug}.md"))
    if existing:
        raise SkeletonError(f'an entry named "{slug}" exists already: {existing[0]}')
    path = content_dir / "entries" / str(day.year) / f"{slug}.md"
    theme_list = ", ".join(themes) if themes else ""
    text = f"""---
title: {yaml_scalar(title.strip())}
date: {day.isoformat()}  # the day the source was published
source:
  name: ""  # the publication
  # url: https://
  # author:
  # title:  # the article's own headline, if it differs from yours
  # language: en  # the article's language, if it differs from the entry's
  # archive_url: https://web.archive.org/...
  # accessed: {today.isoformat()}
# language: en  # the entry's language, if not the dossier's ({dossier.language})
summary: ""  # your own summary of the article, in a few sentences
themes: [{theme_list}]  # declared: {", ".join(declared)}
# entities: []  # people, organizations, places (names or aliases)
# events:
#   - date: {day.isoformat()}  # YYYY, YYYY-MM or YYYY-MM-DD
#     title:
#     id:  # the same id in every entry that reports this event
#     end:  # for a span
#     approximate: true
# related: []  # slugs of entries to read next
# further_reading:
#   - title:
#     url: https://
#     source:
status: reported  # reported, confirmed, disputed or refuted
# tags: []
# quotes:
#   - text:
#     by:
# image:
#   src: media/
#   alt:
#   caption:
#   credit:
# draft: true
---
[//]: # (Your notes on the article, in Markdown. Link to another entry by its file: [an earlier report][1])
[//]: # ([1]: ../2022/other-entry.md  -- this line and the one above show nothing; replace them.)
"""
    return NewEntry(path, text)
