"""Check the entries' links to the web: every source, further reading and image URL still answers.

Links rot: a dossier kept for years cites articles that move or vanish. Each distinct URL is asked
once, a few at a time so no site is flooded, and every place that names a dead one is reported as
`path:line` at its field. A site that refuses robots (403, 429) is only a warning: the page is
probably there for a reader with a browser.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from pathlib import Path

from ..content.frontmatter import Document, read_front_matter
from ..model import Entry
from ..problems import Problems

USER_AGENT = "Dossier link check"

# Sites answer these to automatic clients while serving the page to people.
BLOCKED = (403, 429)
# A server that does not support HEAD says so with these; the link is then asked with GET.
NO_HEAD = (405, 501)


class LinkState(str, Enum):
    """What asking a URL showed."""

    ALIVE = "alive"
    DEAD = "dead"
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class LinkPlace:
    """One place where an entry names a URL on the web."""

    path: Path
    """The entry file."""
    line: int
    """1-based line of the URL in that file."""
    field: str
    """The field, dotted as in other messages: `source.url`, `further_reading.url`, `image.src`."""
    url: str
    """The URL written there."""


@dataclass(frozen=True, slots=True)
class LinkVerdict:
    """The answer to one URL."""

    state: LinkState
    """Alive, dead, or refused to an automatic client."""
    message: str = ""
    """What happened, to follow the URL in a problem: `answered 404 Not Found`; empty when alive."""
    status: int | None = None
    """The HTTP status of the last answer, None when there was no answer."""


@dataclass(frozen=True, slots=True)
class LinkReport:
    """What a link check found; the dead and blocked links themselves are in the problems."""

    places: int
    """Places in the entries that name a URL."""
    checked: int
    """Distinct URLs asked."""
    dead: int
    """Distinct URLs that are dead (each reported as an error at every place)."""
    blocked: int
    """Distinct URLs that refused the check (each reported as a warning at every place)."""


def check_links(entries: Iterable[Entry], problems: Problems, *, workers: int = 8, timeout: float = 10.0) -> LinkReport:
    """Ask every distinct URL of `entries` over the network, at most `workers` at once; record dead links.

    `timeout` bounds connecting and each wait for an answer, per URL: links are asked in parallel,
    so a check of many slow sites takes about `timeout` per `workers` of them, not per link.
    """
    places = [place for entry in entries for place in link_places(entry, problems)]
    urls = list(dict.fromkeys(place.url for place in places))
    opener = urllib.request.build_opener(_SameMethodRedirects)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        verdicts = dict(zip(urls, pool.map(lambda url: ask(url, timeout, opener), urls)))
    for place in places:
        verdict = verdicts[place.url]
        message = f'field "{place.field}": {place.url} {verdict.message}'
        if verdict.state is LinkState.DEAD:
            problems.error(place.path, place.line, message)
        elif verdict.state is LinkState.BLOCKED:
            problems.warn(place.path, place.line, message)
    states = list(verdicts.values())
    return LinkReport(
        places=len(places),
        checked=len(urls),
        dead=sum(v.state is LinkState.DEAD for v in states),
        blocked=sum(v.state is LinkState.BLOCKED for v in states),
    )


def link_places(entry: Entry, problems: Problems) -> list[LinkPlace]:
    """Return the web URLs `entry` names, each with the line it is written on.

    Entries carry no line numbers, so the file is read again for them. The entry was loaded
    without errors, so its further reading is the file's, item for item.
    """
    doc = read_front_matter(entry.path, problems)
    found: list[tuple[str, tuple[str | int, ...]]] = []
    if entry.source.url:
        found.append((entry.source.url, ("source", "url")))
    for index, item in enumerate(entry.further_reading):
        found.append((item.url, ("further_reading", index, "url")))
    if entry.image is not None and entry.image.local is None:
        found.append((entry.image.src, ("image", "src")))
    return [LinkPlace(entry.path, _line(doc, key), _field_name(key), url) for url, key in found]


def ask(url: str, timeout: float, opener: urllib.request.OpenerDirector | None = None) -> LinkVerdict:
    """Return whether `url` answers: HEAD first (nothing to download), GET when the server refuses HEAD."""
    opener = opener or urllib.request.build_opener(_SameMethodRedirects)
    verdict = _request(opener, url, "HEAD", timeout)
    if verdict.status in NO_HEAD:
        verdict = _request(opener, url, "GET", timeout)
    return verdict


def _request(opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float) -> LinkVerdict:
    """Ask `url` once with `method`, following redirects, and classify the outcome."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            return LinkVerdict(LinkState.ALIVE, status=response.status)
    except urllib.error.HTTPError as exc:
        answered = f"answered {exc.code} {_phrase(exc.code, exc.reason)}"
        if exc.code in BLOCKED:
            return LinkVerdict(LinkState.BLOCKED, f"{answered} (the site may refuse automatic checks; open it in a browser)", exc.code)
        return LinkVerdict(LinkState.DEAD, answered, exc.code)
    except urllib.error.URLError as exc:
        return _unreachable(exc.reason, timeout)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return _unreachable(exc, timeout)


def _unreachable(reason: object, timeout: float) -> LinkVerdict:
    """Return the verdict for a URL that gave no HTTP answer: it timed out or could not be reached."""
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return LinkVerdict(LinkState.DEAD, f"did not answer within {timeout:g} s")
    detail = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return LinkVerdict(LinkState.DEAD, f"could not be reached: {detail}")


def _phrase(code: int, reason: object) -> str:
    """Return the reason phrase of an HTTP status, the standard one when the server sent none."""
    text = str(reason or "").strip()
    if text:
        return text
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "(no reason given)"


def _line(doc: Document | None, key: tuple[str | int, ...]) -> int:
    return doc.line(*key) if doc is not None else 0


def _field_name(key: tuple[str | int, ...]) -> str:
    return ".".join(part for part in key if isinstance(part, str))


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects keeping HEAD a HEAD: urllib before Python 3.13 turns it into a GET."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        follow = super().redirect_request(req, fp, code, msg, headers, newurl)
        if follow is not None:
            follow.method = req.get_method()
        return follow
