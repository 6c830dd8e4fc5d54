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

from ..problems import Problem

# One pass over the page for links and ids, each attribute after a space: a pattern starting with a literal
# is searched for by the regular expression engine's fast scan, seven times quicker than one starting with \b.
_ATTRIBUTE = re.compile(rb' (href|src|action|id)="([^"]*)"')
_SPACES = bytes.maketrans(b"\t\n\r\f", b"    ")
"""HTML's other white space, made spaces before the search."""
# A path from the root without a query, escapes, spaces or control characters, and maybe an anchor: urlsplit
# would find no scheme or host in it, strip nothing from it and split it at the first "#", and unquote would
# leave both parts as they are. Parsing the 72,000 different links of a site of 10,000 entries (29,000 of them
# to other sites) with urlsplit took 0.3 to 0.4 s.
_PLAIN = re.compile(r"/(?!/)[^?%\x00-\x20\x7f]*\Z")
# A scheme, as urlsplit finds it (a letter first): a link to another site.
_EXTERNAL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


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
    suspect: set[str] = field(default_factory=set)
    """Pages linking to an anchor of their own that they may not have: `problems` looks at their links one by one."""

    def add(self, page: str, body: bytes) -> None:
        """Remember what the page at `page` links to and which anchors it has."""
        found = _ATTRIBUTE.findall(body.translate(_SPACES))
        ids = {html.unescape(value.decode()) for name, value in found if name == b"id"}
        self.anchors[page] = join_ids(ids)
        # Each link once: a page repeats many (cards, navigation), and the list travels back from a worker.
        links = dict.fromkeys(value for name, value in found if name != b"id")
        self.links[page] = own = list(dict.fromkeys(html.unescape(value.decode()) for value in links))
        # Links to an anchor of the page itself are looked at here, where its ids are at hand (in the workers).
        if any(link[:1] == "#" and unquote(link[1:]) not in ids and link != "#" for link in own):
            self.suspect.add(page)

    def merge(self, other: LinkIndex) -> None:
        """Take in the links and anchors another index collected (in a worker process)."""
        self.links.update(other.links)
        self.anchors.update(other.anchors)
        self.suspect.update(other.suspect)

    def problems(self, root: Path, known: Collection[str] = ()) -> list[Problem]:
        """Return one problem per link that points to no file or no anchor of the site at `root`.

        A file among `known` (paths below the site) exists without being looked for: a rebuild
        keeps unchanged files in the previous site, not below `root`.
        """
        check = _Check(self, root, known)
        # Most links recur on thousands of pages (navigation, cards): each is looked at once, and the pages'
        # links one by one only when one of them is broken, to say on which pages.
        if not self.suspect and not any(check(link, None) for link in set().union(*self.links.values()) if link[:1] != "#"):
            return []
        return [Problem(page, 0, broken) for page, links in self.links.items() for link in links if (broken := check(link, page))]

    def _parse(self, link: str) -> tuple[str | None, str] | str | None:
        """Return the path below the site `link` points to (None for the page it is on) and its anchor; None for an external link; or what is wrong with it."""
        if _EXTERNAL.match(link):
            return None
        if _PLAIN.match(link):  # as the templates write links: what urlsplit and unquote make of it is plain to see
            path, _, fragment = link.partition("#")
        else:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                return None
            path, fragment = unquote(parts.path), unquote(parts.fragment)
        if not path:
            return None, fragment
        if path.startswith(self.prefix):
            return path[len(self.prefix) :], fragment
        return f'broken link "{link}": it does not start with the base path {self.prefix}'


class _Check:
    """Tells what is wrong with a link of the site at `root`, if anything; each link and file looked at once."""

    def __init__(self, index: LinkIndex, root: Path, known: Collection[str]):
        self.index, self.root, self.known = index, root, known
        self.parsed: dict[str, tuple[str | None, str] | str | None] = {}
        self.exists: dict[str, bool] = {}
        self.ids: dict[str, frozenset[str]] = {}

    def __call__(self, link: str, page: str | None) -> str | None:
        """Return what is wrong with `link` on `page` (None: on any page; a link to an anchor of the page itself then counts as broken)."""
        target = self.parsed.get(link, False)
        if target is False:
            target = self.parsed[link] = self.index._parse(link)
        if target is None:
            return None  # external: `check --links` asks those
        if isinstance(target, str):
            return target
        path, fragment = target
        if path is None:  # "#anchor": this page
            if page is None:
                return f'link "{link}" to an anchor of the page it is on' if fragment else None
            path = page
        if path.startswith(self.index.skip):
            return None
        if path == "" or path.endswith("/"):
            path += "index.html"
        if path not in self.exists:
            self.exists[path] = path in self.known or (self.root / path).is_file()
        if not self.exists[path]:
            return f'broken link "{link}": the site has no {path}'
        if fragment and path.endswith(".html"):
            ids = self.ids.get(path)
            if ids is None:
                ids = self.ids[path] = split_ids(self.index.anchors.get(path, ""))
            if fragment not in ids:
                return f'broken link "{link}": {path} has no anchor "{fragment}"'
        return None


def join_ids(ids: Collection[str]) -> str:
    """Return a page's ids as one string, sorted: NUL, which no id holds (HTML has no way to write one), between them."""
    return "\0".join(sorted(ids))


def split_ids(joined: str) -> frozenset[str]:
    """Return the ids `join_ids` joined."""
    return frozenset(joined.split("\0")) if joined else frozenset()
