"""Serve a Lite site on this computer only (127.0.0.1).

Browsers refuse to run JupyterLite from ``file://`` (module scripts, web workers and the
service worker all need HTTP), so even a site on a USB stick is opened through a small local
web server. Any static web server works; this one binds to the loopback address only and
sends the MIME types the browser insists on (``.mjs`` as JavaScript, ``.wasm`` as WebAssembly).
"""

from __future__ import annotations

import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import LiteError
from ..loopback import HOST, own_hosts

#: A name no site holds: a request for what the server will not send is answered 404.
REFUSED = ".healthkit-refused"

MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".ipynb": "application/json",
    ".whl": "application/zip",
    ".yaml": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}


class _Handler(SimpleHTTPRequestHandler):
    """Static files of the site folder, to this computer's own pages only: a request whose
    ``Host`` is not this server's loopback address (a page elsewhere that a rebinding DNS name
    points here) is refused, and only regular files whose real path is inside the folder are
    sent (a symbolic link out of it is not followed)."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass  # quiet: a lesson makes hundreds of requests

    def _refused(self) -> bool:
        if self.headers.get("Host", "") not in self.server.hosts:
            self.send_error(400, "unexpected Host header")
            return True
        if "\x00" in unquote(self.path):
            self.send_error(400, "bad path")
            return True
        return False

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        if not self._refused():
            super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802 (the base class's name)
        if not self._refused():
            super().do_HEAD()

    def translate_path(self, path: str) -> str:
        """The file for ``path``, or a name that does not exist when its real path leaves the
        site folder (the base class then answers 404)."""
        found = Path(super().translate_path(path))
        root = Path(self.directory).resolve()
        try:
            real = found.resolve()
        except (OSError, RuntimeError):
            real = root / REFUSED
        return str(found) if real == root or root in real.parents else str(root / REFUSED)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    @property
    def hosts(self) -> frozenset[str]:
        return own_hosts(int(self.server_address[1]))

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when the browser hung up (it cancels requests it no longer needs);
        report anything else as usual."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def make_server(site: Path, port: int = 8000) -> ThreadingHTTPServer:
    """A server for ``site`` on 127.0.0.1 (``port=0`` picks a free port); call serve_forever()."""
    if not (site / "jupyter-lite.json").is_file():
        raise LiteError("serve", f"{site} is not a Lite site (no jupyter-lite.json); build it with 'healthkit lite -o {site}'")
    handler = functools.partial(_Handler, directory=str(site))
    try:
        return _Server((HOST, port), handler)
    except OSError as exc:
        raise LiteError("serve", f"cannot listen on {HOST}:{port} ({exc.strerror}); choose another --port") from None


def start_url(server: ThreadingHTTPServer) -> str:
    """The site's address; its ``index.html`` opens JupyterLab on the welcome page."""
    return f"http://{HOST}:{server.server_address[1]}/"
