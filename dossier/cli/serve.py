"""Local preview: serve the site under its base path, rebuild when content or templates change, reload the page.

The preview is served on 127.0.0.1 only. Each page gets a small script that listens for build events
(server-sent events): a good build reloads the page, a failed one shows its problems over the page,
while the last good site keeps being served.
"""

from __future__ import annotations

import http.server
import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import watchfiles

from ..build import BuildOptions, BuildResult, build
from ..content.config import load_dossier
from ..problems import ContentError, Problem, Problems
from ..urls import base_path

LIVE_PATH = "/__dossier/"
LIVE_SCRIPT = """(function () {
  var source = new EventSource("/__dossier/events");
  var box = null;
  function show(lines) {
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-build-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:50vh;overflow:auto;z-index:9999;" +
        "background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem;border:3px solid #e05252;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last change did not build; the page shows the last good build.\\n\\n" + lines.join("\\n");
  }
  source.addEventListener("built", function () { location.reload(); });
  source.addEventListener("failed", function (event) { show(JSON.parse(event.data)); });
})();
"""


@dataclass
class Preview:
    """The state shared by the server, the watcher and the event streams."""

    options: BuildOptions
    """What to build."""
    problems: list[str] = field(default_factory=list)
    """The last build's problems, empty after a good build."""
    listeners: list[queue.Queue[tuple[str, str]]] = field(default_factory=list)
    """One queue per open page."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def announce(self, event: str, data: str) -> None:
        with self.lock:
            for listener in self.listeners:
                listener.put((event, data))

    def rebuild(self) -> BuildResult | list[Problem]:
        """Build once; tell the open pages; return the result or the problems."""
        try:
            result = build(self.options)
        except ContentError as exc:
            self.problems = [str(p) for p in exc.problems]
            self.announce("failed", json.dumps(self.problems))
            return exc.problems
        self.problems = []
        self.announce("built", "{}")
        return result


def make_handler(preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    """Return a request handler serving the preview's site under its base path."""
    out = preview.options.out

    class Handler(http.server.SimpleHTTPRequestHandler):
        prefix = "/"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == LIVE_PATH + "events":
                return self._events()
            if path == LIVE_PATH + "live.js":
                return self._send(200, "text/javascript; charset=utf-8", LIVE_SCRIPT.encode())
            prefix = Handler.prefix
            if not path.startswith(prefix):
                self.send_response(302)
                self.send_header("Location", prefix)
                self.end_headers()
                return
            target = (out / unquote(path[len(prefix) :])).resolve()
            if out.resolve() not in (target, *target.parents):
                return self._send(404, "text/plain; charset=utf-8", b"not found")
            if target.is_dir():
                if not path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", path + "/")
                    self.end_headers()
                    return
                target = target / "index.html"
            if not target.is_file():
                missing = out / "404.html"
                body = missing.read_bytes() if missing.is_file() else b"<!doctype html><title>Not found</title><body>Not found</body>"
                return self._send(404, "text/html; charset=utf-8", _inject(body))
            body = target.read_bytes()
            kind = self.guess_type(str(target))
            if target.suffix == ".html":
                body, kind = _inject(body), "text/html; charset=utf-8"
            self._send(200, kind, body)

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            inbox: queue.Queue[tuple[str, str]] = queue.Queue()
            with preview.lock:
                preview.listeners.append(inbox)
            try:
                if preview.problems:
                    inbox.put(("failed", json.dumps(preview.problems)))
                while True:
                    try:
                        event, data = inbox.get(timeout=15)
                        self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with preview.lock:
                    preview.listeners.remove(inbox)

    return Handler


def _inject(body: bytes) -> bytes:
    """Add the live-reload script to a page (only in the preview; the built site has none)."""
    tag = f'<script src="{LIVE_PATH}live.js"></script>'.encode()
    index = body.rfind(b"</body>")
    return body[:index] + tag + body[index:] if index >= 0 else body + tag


def serve(
    options: BuildOptions, port: int, report: Callable[[BuildResult | list[Problem]], None], ready: Callable[[str], None]
) -> None:
    """Build, serve on 127.0.0.1:`port`, and rebuild on every change until interrupted."""
    preview = Preview(options)
    report(preview.rebuild())
    handler = make_handler(preview)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    prefix = _prefix(options)
    handler.prefix = prefix  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ready(f"http://127.0.0.1:{server.server_port}{prefix}")
    watched = [str(p) for p in (options.content, *options.template_folders) if p.exists()]
    try:
        for _changes in watchfiles.watch(*watched, debounce=200, step=50):
            handler.prefix = _prefix(options)  # type: ignore[attr-defined]
            report(preview.rebuild())
    finally:
        server.shutdown()


def _prefix(options: BuildOptions) -> str:
    """Return the base path the site is served under (the dossier's, or the one given on the command line)."""
    if options.base_url:
        return base_path(options.base_url)
    dossier = load_dossier(options.content / "dossier.yaml", Problems())
    return base_path(dossier.base_url) if dossier else "/"
