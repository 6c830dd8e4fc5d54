"""Write the site into a fresh folder beside the output, and swap it in only when the build succeeded.

The swap is one atomic exchange of the two folders where the system offers it (Linux's
renameat2 with RENAME_EXCHANGE), so a build killed at any moment leaves the output folder holding
either the complete old site or the complete new one. Elsewhere two renames follow each other,
with a moment between them when the folder is missing. Folders left behind by a killed build are
removed by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2


class OutputClash(Exception):
    """Two things asked to write the same output file."""


class StagedSite:
    """A new site being written next to `out`; the old one stays in place until `publish`."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out)
        self.root = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
        self.written: set[str] = set()
        self.bytes = 0
        self._folders: set[str] = {""}
        """Folders below root made already: each is made once, not once per file (a system call each, slow on some disks)."""

    def claim(self, relative: str) -> None:
        """Claim `relative` for a file of the new site, refusing a path outside it or claimed twice."""
        # Split as strings, not PurePosixPath: a rebuild claims every file it carries over (40,000 at 10,000 entries).
        if not relative or relative.startswith("/") or ".." in relative.split("/"):
            raise OutputClash(f"refusing to write outside the site: {relative!r}")
        if relative in self.written:
            raise OutputClash(f"two pages or files would be written to {relative}")
        self.written.add(relative)

    def claim_folder(self, folder: str) -> list[str]:
        """Claim every file another program wrote below `folder` of the staged site (a search bundle); return their
        names, in order."""
        names = [path.relative_to(self.root).as_posix() for path in sorted((self.root / folder).rglob("*")) if path.is_file()]
        for name in names:
            self.claim(name)
        return names

    def _make_room(self, relative: str) -> None:
        """Claim `relative` and make the folder it goes into."""
        self.claim(relative)
        self._folder(relative)

    def _folder(self, relative: str) -> None:
        """Make the folder that the file `relative` goes into, and those above it, unless made already."""
        folder = relative.rpartition("/")[0]
        if folder in self._folders:
            return
        (self.root / folder).mkdir(parents=True, exist_ok=True)
        while folder not in self._folders:
            self._folders.add(folder)
            folder = folder.rpartition("/")[0]

    def reserve(self, paths: list[str]) -> None:
        """Claim `paths` for files that workers write (see write_file), refusing any path claimed twice."""
        for relative in paths:
            self._make_room(relative)

    def write(self, relative: str, data: bytes) -> None:
        """Write `data` to `relative` below the site, refusing to write one path twice."""
        self._make_room(relative)
        write_file(self.root, relative, data)
        self.bytes += len(data)

    def copy(self, source: Path, relative: str) -> None:
        """Copy the file `source` to `relative` below the site."""
        self._make_room(relative)
        target = self.root / relative
        shutil.copyfile(source, target)
        self.bytes += target.stat().st_size

    def link(self, existing: Path, relative: str) -> None:
        """Put the file `existing` (of the previous site) at the claimed `relative` as a hard link, or a copy where links fail.

        The previous site's file is never written to: the new site shares it until a later build
        writes a new file in its place.
        """
        target = self.root / relative
        self._folder(relative)
        try:
            os.link(existing, target)
        except OSError:
            shutil.copyfile(existing, target)

    def update_in_place(self, changed: list[str], removed: list[str]) -> None:
        """Move the files `changed` (written here) into the output folder, and delete `removed` from it.

        For a rebuild that changes a few files of a large site: each file is replaced atomically,
        but not the site as a whole, which `publish` does by swapping whole folders. Called once the
        build has succeeded, so a failed build still leaves the old site untouched.
        """
        for relative in changed:
            target = self.out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / relative, target)
        for relative in removed:
            (self.out / relative).unlink(missing_ok=True)
            folder = (self.out / relative).parent
            while folder != self.out and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        shutil.rmtree(self.root, ignore_errors=True)

    def publish(self) -> None:
        """Put the new site in place of the old one."""
        os.chmod(self.root, 0o755)  # mkdtemp makes a private folder; a site is served to everyone
        if not (self.out.exists() or self.out.is_symlink()):
            os.rename(self.root, self.out)
        elif _exchange(self.root, self.out):
            old = self.root.with_name(self.root.name.replace("-new-", "-old-"))
            os.rename(self.root, old)  # now holds the old site
            _remove_later(old)
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-old-", dir=self.out.parent))
            os.rename(self.out, old / "site")
            os.rename(self.root, self.out)
            _remove_later(old)

    def discard(self) -> None:
        """Remove the unfinished new site; the old one is untouched."""
        shutil.rmtree(self.root, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; return False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the file system cannot exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(b))


def remove_leftovers(out: Path) -> None:
    """Remove the folders a killed build left beside `out`.

    A build running at the same time into the same folder would lose its staging folder: run one
    build per output folder at a time.
    """
    for stale in out.parent.glob(f".{out.name}-new-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}-old-*"):
        if stale.is_dir() and not stale.is_symlink():
            _remove_later(stale)


def _remove_later(folder: Path) -> None:
    """Delete `folder` (an old site) in a process of its own, so the build does not wait for it.

    Deleting tens of thousands of files takes seconds on some disks; the new site is in place
    already, and the next build removes the folder if this process did not finish.
    """
    try:
        subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def write_file(root: Path, relative: str, data: bytes) -> None:
    """Write a file reserved beforehand (StagedSite.reserve, which made its folder), from any process.

    Through the system's calls on the path as a string: half the time of Path.write_bytes, which counts
    for the 40,000 files of a site of 10,000 entries.
    """
    fd = os.open(f"{root}/{relative}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
