"""Write the site into a fresh folder beside the output, and swap it in only when the build succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class OutputClash(Exception):
    """Two things asked to write the same output file."""


class StagedSite:
    """A new site being written next to `out`; the old one stays in place until `publish`."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
        self.written: set[str] = set()
        self.bytes = 0

    def _target(self, relative: str) -> Path:
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts or not relative:
            raise OutputClash(f"refusing to write outside the site: {relative!r}")
        if relative in self.written:
            raise OutputClash(f"two pages or files would be written to {relative}")
        self.written.add(relative)
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, relative: str, data: bytes) -> None:
        """Write `data` to `relative` below the site, refusing to write one path twice."""
        self._target(relative).write_bytes(data)
        self.bytes += len(data)

    def copy(self, source: Path, relative: str) -> None:
        """Copy the file `source` to `relative` below the site."""
        target = self._target(relative)
        shutil.copyfile(source, target)
        self.bytes += target.stat().st_size

    def publish(self) -> None:
        """Put the new site in place of the old one."""
        os.chmod(self.root, 0o755)  # mkdtemp makes a private folder; a site is served to everyone
        if self.out.exists() or self.out.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-old-", dir=self.out.parent))
            os.rename(self.out, old / "site")
            os.rename(self.root, self.out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.root, self.out)

    def discard(self) -> None:
        """Remove the unfinished new site; the old one is untouched."""
        shutil.rmtree(self.root, ignore_errors=True)
