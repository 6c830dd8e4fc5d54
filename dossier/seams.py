"""The speedups that reach into other libraries' private names, each used only where it was tested.

As PyYAML takes libyaml's CSafeLoader where it is there and its pure-Python SafeLoader otherwise, a
speedup here runs only with the versions of the library it was written against (TESTED), and never
with DOSSIER_PLAIN=1; anywhere else the plain path runs, through the library's public interface, and
gives the same bytes (tests/test_seams.py builds the sample both ways):

- calls.py, on Jinja's `_PassArg`, `CodeGenerator._output_child_to_const` and `Context.call`: interface
  strings written into compiled templates, plain callables called directly (a quarter of an entry page's
  rendering time; 3-4 % of a cold build of 10,000 entries);
- compounds.py, on compound-split's module layout: its German tables read from a file mapped into
  memory instead of imported (2.5 s and 350 MB in a rebuild that renders one German entry page).
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import re

PLAIN = "DOSSIER_PLAIN"
"""Set to 1 in the environment, every speedup here is left out."""

TESTED = {"jinja2": ("3.1.0", "3.2"), "compound-split": ("1.0.0", "1.1")}
"""Each library's versions a speedup was tested with: from the first, up to (not including) the second."""


def quick(library: str) -> bool:
    """Return whether the speedup on `library`'s private names may run: its version tested, DOSSIER_PLAIN not set."""
    return os.environ.get(PLAIN) != "1" and _tested(library)


@functools.cache  # an installed library's version does not change while the process runs
def _tested(library: str) -> bool:
    low, high = TESTED[library]
    try:
        version = _numbers(importlib.metadata.version(library))
    except importlib.metadata.PackageNotFoundError:
        return False
    return _numbers(low) <= version < _numbers(high)


def _numbers(version: str) -> tuple[int, ...]:
    """Return a version's release numbers (`3.1.6` -> (3, 1, 6); `3.2.0rc1` -> (3, 2, 0))."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in release[0].split(".")) if release else ()
