"""The preview's web server: the course site on 127.0.0.1, and an event stream per page.

The standard library's threaded HTTP server (the same on Linux, macOS and Windows; no
framework to keep up with): pages come from the last published :class:`SiteState`, never
from half-written files, and each open page holds one server-sent-event connection that
tells it when to reload and which errors to show.
"""

from __future__ import annotations

import functools
import json
import mimetypes
import posixpath
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from ..app.outputs import inside
from ..errors import HealthkitError
from ..loopback import HOST, own_hosts
from ..registry import EDITIONS_SPEC, SITE_EDITION
from .pages import EVENTS_PATH, PageError, placeholder, serve_page

INDEX = "/index.html"
#: Every page lists these errors (the template is missing, a build could not start, ...).
EVERY_PAGE = "*"
KEEPALIVE_SECONDS = 15.0
#: How long a connection may take to send its request line and headers.
REQUEST_SECONDS = 10.0
#: Connections still sending their request, at most: a new one closes the oldest (a page
#: opening many slow connections cannot keep the author's own page waiting, nor start
#: thousands of threads).
MAX_PENDING = 32


class ServeError(HealthkitError):
    """The preview server could not start."""


@dataclass(frozen=True)
class SiteState:
    """What the server shows, published as a whole after each build."""

    #: URL path (``/back-spasms.html``, ``/teacher/back-spasms.html``, ``/index.html``) -> built page.
    pages: Mapping[str, bytes] = field(default_factory=dict)
    #: URL path -> digest of that page; a page whose digest changed reloads.
    digests: Mapping[str, str] = field(default_factory=dict)
    #: URL path (or :data:`EVERY_PAGE`) -> error lines the page shows over itself.
    errors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    building: bool = False
    #: (href, title) of every lesson, for pages that are not (yet) there.
    links: tuple[tuple[str, str], ...] = ()

    def message(self, page: str) -> dict[str, Any]:
        """What the event stream tells the page at ``page``."""
        errors = [*self.errors.get(EVERY_PAGE, ()), *self.errors.get(page, ())]
        return {"digest": self.digests.get(page, ""), "errors": errors, "building": self.building}


class Hub:
    """The published state, and a way to wait for the next one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._state = SiteState(building=True)
        self._generation = 0
        self.closed = False

    def publish(self, state: SiteState) -> None:
        with self._changed:
            self._state = state
            self._generation += 1
            self._changed.notify_all()

    def current(self) -> tuple[int, SiteState]:
        with self._changed:
            return self._generation, self._state

    def wait(self, seen: int, timeout: float) -> tuple[int, SiteState]:
        """The state after ``seen``, or the same one after ``timeout`` seconds (or when closed)."""
        with self._changed:
            self._changed.wait_for(lambda: self._generation != seen or self.closed, timeout)
            return self._generation, self._state

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()


def page_key(path: str) -> str:
    """The URL path a page is known by (``/`` is the index)."""
    return INDEX if path in ("", "/") else path


class _Handler(BaseHTTPRequestHandler):
    server: "PreviewServer"
    protocol_version = "HTTP/1.0"  # one request per connection: an event stream holds only its own
    #: A connection that sends nothing for this long is closed (a request is a few hundred
    #: bytes from this computer's own browser).
    timeout = REQUEST_SECONDS

    def parse_request(self) -> bool:
        """The request's line and headers are in: the connection no longer waits on them."""
        ok = super().parse_request()  # reads the headers
        self.server.arrived(self.request)
        return ok

    def finish(self) -> None:
        self.server.arrived(self.request)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass

    def _origin(self) -> str | None:
        """``http://HOST:PORT`` as the browser addressed us, if it is this computer."""
        host = self.headers.get("Host", "")
        return f"http://{host}" if host in self.server.hosts else None

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        origin = self._origin()
        if origin is None:  # another name for this address (DNS rebinding): refuse
            self._send(400, b"healthkit preview: unexpected Host header\n", "text/plain; charset=utf-8")
            return
        url = urlsplit(self.path)
        path = posixpath.normpath(unquote(url.path)) if url.path not in ("", "/") else "/"
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if path == EVENTS_PATH:
            self._events(page_key(parse_qs(url.query).get("page", [""])[0]))
        elif path == "/" or path.endswith(".html"):
            self._page(page_key(path[len("/site"):] if path.startswith("/site/") else path), origin)
        else:
            self._file(path)

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, page: str, origin: str) -> None:
        _, state = self.server.hub.current()
        built = state.pages.get(page)
        status = 200
        if built is None:
            message = state.message(page)
            if message["errors"]:
                built = placeholder("This lesson is not built yet", "Its content file has errors; fix them and save.")
            elif state.building:
                built = placeholder("Building the lessons…", "This page appears as soon as its lesson is built.")
            else:
                status = 404
                built = placeholder("No page here", "This preview has these pages:", state.links)
        try:
            body = serve_page(built, page, state.digests.get(page, ""), origin)
        except PageError as exc:
            self._send(500, f"healthkit preview: {exc}\n".encode(), "text/plain; charset=utf-8")
            return
        self._send(status, body, "text/html; charset=utf-8")

    def _file(self, path: str) -> None:
        """A file of the site (``lessons.zip``), never anything outside its folders."""
        parts = [p for p in path.split("/") if p]
        root = self.server.folders.get(parts[0]) if len(parts) > 1 else None
        if root is not None:
            parts = parts[1:]
        else:
            root = self.server.folders[EDITIONS_SPEC[SITE_EDITION].page_folder]
        target = root.joinpath(*parts) if parts else root
        if not parts or ".." in parts or not inside(target, root) or not target.is_file():
            self._send(404, b"healthkit preview: no such file\n", "text/plain; charset=utf-8")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, target.read_bytes(), kind)

    def _events(self, page: str) -> None:
        hub = self.server.hub
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        sent: str | None = None
        seen = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not hub.closed:
                seen, state = hub.wait(seen, KEEPALIVE_SECONDS)
                message = json.dumps(state.message(page))
                if message != sent:
                    self.wfile.write(f"event: state\ndata: {message}\n\n".encode())
                    sent = message
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except OSError:  # the page went away
            return


def _drop(connection: Any) -> None:
    """Close a connection from this side (its thread's next read ends)."""
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams never keep the preview from stopping
    request_queue_size = 128  # connections waiting to be accepted, not refused at once

    def __init__(self, hub: Hub, out_dir: Path, port: int) -> None:
        self.hub = hub
        #: URL folders and where their files are (each edition's page folder); everything
        #: else is in the site edition's.
        self.folders = {spec.page_folder: out_dir / spec.page_folder for spec in EDITIONS_SPEC.values()}
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as exc:
            raise ServeError(f"cannot listen on {HOST}:{port} ({exc.strerror}); choose another --port, or --port 0 for any free one") from None
        self.port = int(self.server_address[1])
        self.hosts = own_hosts(self.port)
        #: Connections whose request has not fully arrived, oldest first, with when they came.
        self._pending: dict[Any, float] = {}
        self._pending_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a thread for ``request``, first closing what waits too long or too many."""
        now = time.monotonic()
        with self._pending_lock:
            stale = [r for r, since in self._pending.items() if now - since > REQUEST_SECONDS]
            while len(self._pending) - len(stale) >= MAX_PENDING:
                oldest = next(r for r in self._pending if r not in stale)
                stale.append(oldest)
            for old in stale:
                self._pending.pop(old, None)
                _drop(old)
            self._pending[request] = now
        super().process_request(request, client_address)

    def arrived(self, request: Any) -> None:
        with self._pending_lock:
            self._pending.pop(request, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, never a traceback (the page gets no answer)."""
        import sys

        kind, exc, _ = sys.exc_info()
        if isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            return  # the browser (or a connection closed for waiting too long) hung up
        print(f"healthkit: preview server: {kind.__name__ if kind else 'error'}: {exc}", file=sys.stderr, flush=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=functools.partial(self.serve_forever, poll_interval=0.2), name="healthkit-preview-server", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.hub.close()
        self.shutdown()
        self.server_close()
