"""Carry files over from the previous site into the staged one, so a rebuild writes only what changed.

A file is carried over (as a hard link: the new site shares the old file, whose bytes never change
in place) when what made it is what made the previous one: the same page key, the same generated
bytes, the same copied source. And only when the previous site's file is still as the last build
left it (same time and size): a file edited or removed by hand is made anew.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .cache import SiteRecord, Stat, stat_of
from .fingerprint import digest
from .output import StagedSite


class Previous:
    """The site the last build published, as far as it can be trusted."""

    def __init__(self, record: SiteRecord | None, out: Path):
        self.record = record if record is not None and record.out == str(out.resolve()) else None
        self.out = out

    def _intact(self, relative: str) -> bool:
        return self.record is not None and relative in self.record.files and stat_of(self.out / relative) == self.record.files[relative]

    def page(self, relative: str, key: bytes) -> bool:
        """Return whether the page at `relative` was made from the same key and can be carried over."""
        return self.record is not None and self.record.pages.get(relative) == key and self._intact(relative)

    def anchors(self, relative: str) -> frozenset[str]:
        """Return the ids the previous page at `relative` has."""
        assert self.record is not None
        return self.record.anchors[relative]

    def carry(self, staged: StagedSite, relative: str) -> None:
        """Link the previous site's file at `relative` into the staged site."""
        staged.link(self.out / relative, relative)

    def write(self, staged: StagedSite, relative: str, data: bytes) -> bytes:
        """Write a generated file, or carry it over when its bytes are those of the previous one; return its hash."""
        key = digest(data)
        if self.record is not None and self.record.generated.get(relative) == key and self._intact(relative):
            self.carry(staged, relative)
        else:
            staged.write(relative, data)
        return key

    def copy(self, staged: StagedSite, source: Path, relative: str) -> tuple[str, Stat]:
        """Copy a file into the site, or carry it over when its source is as it was; return what to record."""
        now = stat_of(source)
        seen = (str(source), now or (0, -1))
        if self.record is not None and self.record.copied.get(relative) == seen and self._intact(relative):
            self.carry(staged, relative)
        else:
            staged.copy(source, relative)
        return seen

    def keep_unchanged(self, staged: StagedSite, written: Iterable[str]) -> list[str]:
        """Replace each newly written file whose bytes equal the previous site's by a link to that file.

        The site then holds the same bytes, and files whose bytes did not change keep their time
        (what a server's caching headers or a sync to a host go by). Return the files that changed.
        """
        changed = []
        for relative in written:
            if not self._intact(relative):
                changed.append(relative)
                continue
            new, old = staged.root / relative, self.out / relative
            if new.stat().st_size == old.stat().st_size and new.read_bytes() == old.read_bytes():
                temporary = new.with_name(new.name + ".link")
                try:
                    os.link(old, temporary)
                except OSError:
                    continue  # no hard links here: the new copy stays
                os.replace(temporary, new)
            else:
                changed.append(relative)
        return changed

    def same_files_below(self, staged: StagedSite, prefix: str) -> bool:
        """Carry over every previous file below `prefix` (the search bundle) if all are intact; return whether they were."""
        if self.record is None:
            return False
        names = [name for name in self.record.files if name.startswith(prefix)]
        if not names or not all(self._intact(name) for name in names):
            return False
        for name in names:
            self.carry(staged, name)
        return True


def site_files(root: Path) -> dict[str, Stat]:
    """Return every file below `root` with its time and size."""
    found: dict[str, Stat] = {}
    for folder, _, names in os.walk(root):
        base = Path(folder)
        for name in names:
            path = base / name
            s = os.stat(path)
            found[path.relative_to(root).as_posix()] = (s.st_mtime_ns, s.st_size)
    return found
