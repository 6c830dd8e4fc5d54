"""Content problems: each names its place as `path:line`, all are collected, then reported once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .pickling import quick_pickle


@quick_pickle
@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or doubtful) in the content."""

    path: str
    """The file, relative to the working directory where possible."""
    line: int
    """1-based line in that file; 0 when the problem concerns the whole file."""
    message: str
    """What is wrong: the field, what was expected, what was found."""
    warning: bool = False
    """True for a warning, which does not stop the build."""

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {kind}{self.message}".translate(_VISIBLE)


@dataclass(slots=True)
class Problems:
    """A collector passed through loading and validation, so one run lists every problem."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: Path | str, line: int, message: str) -> None:
        """Record an error at `path:line`."""
        self.items.append(Problem(display_path(path), line, message))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        """Record a warning at `path:line`."""
        self.items.append(Problem(display_path(path), line, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in self.items if not p.warning), key=_order)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in self.items if p.warning), key=_order)


# Content quoted in a message stays on one line and cannot reorder or hide what a terminal shows:
# control characters and bidirectional overrides are printed as escapes.
_VISIBLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}
_VISIBLE.update({ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"})


class ContentError(Exception):
    """Raised by the build when the content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


def _order(problem: Problem) -> tuple[str, int]:
    return (problem.path, problem.line)


def display_path(path: Path | str) -> str:
    """Return `path` relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def describe(value: object) -> str:
    """Name what was found, for messages: `a list`, `the number 3`, `"abc"`."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def closest(word: str, choices: Iterable[str]) -> str | None:
    """Return the choice a mistyped `word` most likely meant, or None when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ` (did you mean "x"?)` for the choice closest to a mistyped `word`, or "" when none is close."""
    close = closest(word, choices)
    return f' (did you mean "{close}"?)' if close is not None else ""
