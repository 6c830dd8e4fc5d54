"""`check --links`: the entries' web links asked of a local HTTP server on 127.0.0.1, never the internet."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dossier.cli.linkcheck import USER_AGENT, LinkPlace, LinkReport, check_links, link_places
from dossier.content.load import Content, ContentUrls, load_content
from dossier.problems import Problems

from conftest import entry, write_dossier

TIMEOUT = 2.0  # long enough for a loaded machine to answer the quick paths
SLOW = 8.0  # the slow path answers this late: much longer than TIMEOUT


@dataclass
class Server:
    """The local server: its address and what it was asked."""

    url: str
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, path, User-Agent) of every request."""
    active: int = 0
    most_active: int = 0
    """The most requests it was answering at the same time."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def make_handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.answer()

        def do_GET(self) -> None:
            self.answer()

        def answer(self) -> None:
            with server.lock:
                server.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
                server.active += 1
                server.most_active = max(server.most_active, server.active)
            self.respond(self.path.split("?")[0])

        def respond(self, path: str) -> None:
            if path == "/slow":
                server.stop.wait(SLOW)
            elif path == "/wait":
                time.sleep(0.2)
            # no longer busy once the answer starts: the client may send its next request right away
            with server.lock:
                server.active -= 1
            if path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/ok")
            elif path == "/no-head" and self.command == "HEAD":
                self.send_response(405)
            else:
                codes = {"/gone": 404, "/broken": 500, "/blocked": 403, "/busy": 429}
                self.send_response(codes.get(path, 200))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # the slow path writes to a client that gave up: expected, not worth a traceback


@pytest.fixture
def server(monkeypatch) -> Iterator[Server]:
    """An HTTP server on 127.0.0.1 answering 200, 404, 500, 403, 429, a redirect, no HEAD, and slowly."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    state = Server("")
    httpd = QuietServer(("127.0.0.1", 0), make_handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    """Return a port on 127.0.0.1 nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def linked_entry(source_url: str, *further: str) -> str:
    """Return an entry whose source.url (line 6) is `source_url`, with `further` as further reading (urls from line 11)."""
    extra = "further_reading:\n" if further else ""
    extra += "".join(f"  - title: Weiteres {i}\n    url: {url}\n" for i, url in enumerate(further))
    text = entry(extra=extra)
    return text.replace("  name: news.de\n", f"  name: news.de\n  url: {source_url}\n")


def load(root: Path) -> Content:
    problems = Problems()
    content = load_content(
        root / "content", problems, base_url=None, drafts=False,
        urls=ContentUrls(lambda d, slug: f"/entries/{slug}/", lambda d, rel: "/" + rel),
    )  # fmt: skip
    assert content is not None, [str(p) for p in problems.items]
    return content


def test_dead_links_are_reported_at_their_lines(in_tmp, server):
    url = server.url
    refused = f"http://127.0.0.1:{closed_port()}/"
    write_dossier(in_tmp, {
        "entries/2022/a.md": linked_entry(f"{url}/gone", f"{url}/broken", f"{url}/ok", f"{url}/moved", f"{url}/no-head"),
        "entries/2022/b.md": linked_entry(f"{url}/slow", f"{url}/gone", f"{url}/blocked", f"{url}/busy"),
        "entries/2023/c.md": linked_entry(f"{url}/ok", refused),
    })  # fmt: skip
    content = load(in_tmp)
    problems = Problems()
    started = time.perf_counter()
    report = check_links(content.entries, problems, workers=8, timeout=TIMEOUT)
    elapsed = time.perf_counter() - started

    a, b, c = "content/entries/2022/a.md", "content/entries/2022/b.md", "content/entries/2023/c.md"
    assert [str(p) for p in problems.errors] == [
        f'{a}:6: field "source.url": {url}/gone answered 404 Not Found',
        f'{a}:11: field "further_reading.url": {url}/broken answered 500 Internal Server Error',
        f'{b}:6: field "source.url": {url}/slow did not answer within {TIMEOUT:g} s',
        f'{b}:11: field "further_reading.url": {url}/gone answered 404 Not Found',
        f'{c}:11: field "further_reading.url": {refused} could not be reached: Connection refused',
    ]
    hint = "(the site may refuse automatic checks; open it in a browser)"
    assert [str(p) for p in problems.warnings] == [
        f'{b}:13: warning: field "further_reading.url": {url}/blocked answered 403 Forbidden {hint}',
        f'{b}:15: warning: field "further_reading.url": {url}/busy answered 429 Too Many Requests {hint}',
    ]
    assert report == LinkReport(places=11, checked=9, dead=4, blocked=2)
    assert elapsed < TIMEOUT * 2.5

    asked = Counter((method, path) for method, path, _ in server.requests)
    # Each distinct URL is asked once, however many entries name it.
    assert asked[("HEAD", "/gone")] == 1 and asked[("HEAD", "/ok")] == 2  # named twice, and redirected to
    # A redirect is followed with HEAD; GET only where the server refuses HEAD.
    assert [key for key in asked if key[0] == "GET"] == [("GET", "/no-head")]
    assert {agent for _, _, agent in server.requests} == {USER_AGENT}


def test_parallel_requests_are_bounded_by_workers(in_tmp, server):
    write_dossier(in_tmp, {f"entries/2022/e{i}.md": linked_entry(f"{server.url}/wait?{i}") for i in range(12)})
    problems = Problems()
    report = check_links(load(in_tmp).entries, problems, workers=3, timeout=5.0)
    assert not problems.items
    assert report == LinkReport(places=12, checked=12, dead=0, blocked=0)
    assert server.most_active == 3


def test_slow_links_time_out_together_not_one_after_another(in_tmp, server):
    write_dossier(in_tmp, {f"entries/2022/e{i}.md": linked_entry(f"{server.url}/slow?{i}") for i in range(6)})
    problems = Problems()
    started = time.perf_counter()
    report = check_links(load(in_tmp).entries, problems, workers=8, timeout=TIMEOUT)
    elapsed = time.perf_counter() - started
    assert report.dead == 6
    assert all(p.message.endswith(f"did not answer within {TIMEOUT:g} s") for p in problems.errors)
    # One after another they would take 6 x TIMEOUT; in parallel about one TIMEOUT.
    assert elapsed < TIMEOUT * 2.5


def test_link_places_name_the_line_of_each_url(in_tmp):
    text = entry(extra="""\
        further_reading:
          - title: Eins
            source: Agentur
            url: https://example.org/eins
          - {title: Zwei, url: "https://example.org/zwei"}
        image:
          alt: Eine Karte
          src: https://example.org/karte.png
    """)
    write_dossier(in_tmp, {"entries/2022/x.md": text})
    (loaded,) = load(in_tmp).entries
    path = loaded.path
    assert link_places(loaded, Problems()) == [
        LinkPlace(path, 11, "further_reading.url", "https://example.org/eins"),
        LinkPlace(path, 12, "further_reading.url", "https://example.org/zwei"),
        LinkPlace(path, 15, "image.src", "https://example.org/karte.png"),
    ]


def test_local_images_are_not_checked(in_tmp):
    text = entry(extra="image:\n  src: media/karte.svg\n  alt: Eine Karte\n")
    write_dossier(in_tmp, {"entries/2022/x.md": text, "media/karte.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    (loaded,) = load(in_tmp).entries
    assert link_places(loaded, Problems()) == []
