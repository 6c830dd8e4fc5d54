"""After every build: each internal link, anchor and asset reference in the new site must resolve.

Links are collected from each page as it is written (the pages are ours, so their attributes are
always double-quoted and escaped), then resolved against the staged site before it is swapped in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import Problem

# One pass over the page for links and ids, each attribute after a space: a pattern starting with a literal
# is searched for by the regular expression engine's fast scan, seven times quicker than one starting with \b.
_ATTRIBUTE = re.compile(rb' (href|src|action|id)="([^"]*)"')
_SPACES = bytes.maketrans(b"\t\n\r\f", b"    ")
"""HTML's other white space, made spaces before the search."""


@dataclass(slots=True)
class LinkIndex:
    """The links and anchors of every page written, to check once the site is complete."""

    prefix: str
    """The base path every internal URL starts with."""
    skip: tuple[str, ...] = ()
    """Paths below the site not built this time (the search bundle with --no-search)."""
    links: dict[str, list[str]] = field(default_factory=dict)
    """Each page's links, each once, by the page's path below the site."""
    anchors: dict[str, str] = field(default_factory=dict)
    """Each page's ids, sorted and joined (`join_ids`): one string per page is quick to keep in the cache and
    to load, and the ids of most pages are never looked at."""

    def add(self, page: str, body: bytes) -> None:
        """Remember what the page at `page` links to and which anchors it has."""
        found = _ATTRIBUTE.findall(body.translate(_SPACES))
        self.anchors[page] = join_ids({html.unescape(value.decode()) for name, value in found if name == b"id"})
        # Each link once: a page repeats many (cards, navigation), and the list travels back from a worker.
        links = dict.fromkeys(value for name, value in found if name != b"id")
        self.links[page] = list(dict.fromkeys(html.unescape(value.decode()) for value in links))

    def merge(self, other: LinkIndex) -> None:
        """Take in the links and anchors another index collected (in a worker process)."""
        self.links.update(other.links)
        self.anchors.update(other.anchors)

    def problems(self, root: Path, known: Collection[str] = ()) -> list[Problem]:
        """Return one problem per link that points to no file or no anchor of the site at `root`.

        A file among `known` (paths below the site) exists without being looked for: a rebuild
        keeps unchanged files in the previous site, not below `root`.
        """
        found = []
        exists: dict[str, bool] = {}
        ids: dict[str, frozenset[str]] = {}
        # Most links recur on thousands of pages (navigation, cards): each is taken apart once.
        parsed: dict[str, tuple[str | None, str] | str | None] = {}
        for page, links in self.links.items():
            for link in dict.fromkeys(links):
                if link not in parsed:
                    parsed[link] = self._parse(link)
                target = parsed[link]
                if target is None:
                    continue  # external: `check --links` asks those
                if isinstance(target, str):
                    found.append(Problem(page, 0, target))
                    continue
                path, fragment = target
                path = path if path is not None else page  # "#anchor": this page
                if path.startswith(self.skip):
                    continue
                if path == "" or path.endswith("/"):
                    path += "index.html"
                if path not in exists:
                    exists[path] = path in known or (root / path).is_file()
                if not exists[path]:
                    found.append(Problem(page, 0, f'broken link "{link}": the site has no {path}'))
                elif fragment and path.endswith(".html") and fragment not in (ids.get(path) or ids.setdefault(path, split_ids(self.anchors.get(path, "")))):
                    found.append(Problem(page, 0, f'broken link "{link}": {path} has no anchor "{fragment}"'))
        return found

    def _parse(self, link: str) -> tuple[str | None, str] | str | None:
        """Return the path below the site `link` points to (None for the page it is on) and its anchor; None for an external link; or what is wrong with it."""
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            return None
        fragment = unquote(parts.fragment)
        if not parts.path:
            return None, fragment
        if unquote(parts.path).startswith(self.prefix):
            return unquote(parts.path)[len(self.prefix) :], fragment
        return f'broken link "{link}": it does not start with the base path {self.prefix}'


def join_ids(ids: Collection[str]) -> str:
    """Return a page's ids as one string, sorted: NUL, which no id holds (HTML has no way to write one), between them."""
    return "\0".join(sorted(ids))


def split_ids(joined: str) -> frozenset[str]:
    """Return the ids `join_ids` joined."""
    return frozenset(joined.split("\0")) if joined else frozenset()
