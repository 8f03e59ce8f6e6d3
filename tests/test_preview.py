"""``healthkit preview``: served pages, the reload script, content errors, and stopping cleanly."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import expect

from healthkit.app import preview as preview_module
from healthkit.app.preview import SNAPSHOT, Preview, PreviewOptions, read_settled, url_path
from healthkit.content import check_text
from healthkit.errors import OutputError
from healthkit.preview.pages import EVENTS_PATH, PageError, extend_csp, preview_store, serve_page
from healthkit.preview.server import INDEX, Hub, PreviewServer, SiteState
from healthkit.preview.watch import Watcher
from healthkit.registry import EDITIONS_SPEC

from .browser import chromium, save_screenshot
from .test_incremental import _own_seed
from .conftest import ROOT, SEED
from .test_processes import _alive, _cmdline, _descendants, _wait_for

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
LEARNER_STORE = EDITIONS_SPEC["learner"].progress_store


def _content(folder: Path, ids: list[str], titles: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True)
    for i in ids:
        title = (titles or {}).get(i, f"Lesson {i}")
        text = _own_seed().replace("id: back-spasms", f"id: {i}").replace("title: Back spasms", f"title: {title}")
        (folder / f"{i}.yaml").write_text(text)
    return folder


# -- served pages ------------------------------------------------------------------------
BUILT = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'sha256-abc=\' blob:; style-src \'sha256-def=\'">\n'
    "</head>\n<body>\n<p>Lesson</p>\n"
    f'<script type="application/json" id="hk-data">{{"lesson":"a","store":"{LEARNER_STORE}"}}</script>\n'
    "</body>\n</html>\n"
)


def test_a_served_page_only_adds_the_reload_script_its_hash_and_one_connection() -> None:
    served = serve_page(BUILT.encode(), "/a.html", "d1", "http://127.0.0.1:9")
    text = served.decode()
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["style-src"] == "'sha256-def='"
    sources = directives["script-src"].split()
    assert sources[:2] == ["'sha256-abc='", "blob:"] and len(sources) == 3  # one script more
    assert directives["connect-src"] == f"http://127.0.0.1:9{EVENTS_PATH}"  # one connection, nothing else
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert len(scripts) == 1 and "EventSource" in scripts[0]
    from healthkit.exporters.page import csp_hash

    assert sources[2] == csp_hash(scripts[0])
    data = json.loads(re.search(r'id="hk-preview">(.*?)</script>', text).group(1))  # type: ignore[union-attr]
    assert data == {"page": "/a.html", "digest": "d1", "events": EVENTS_PATH, "has_page": True}
    # Answers given in a preview are kept apart from the built site's.
    store = json.loads(re.search(r'id="hk-data">(.*?)</script>', text).group(1))["store"]  # type: ignore[union-attr]
    assert store == preview_store(LEARNER_STORE) != LEARNER_STORE
    assert text.replace(policy, "").count("<p>Lesson</p>") == 1


def test_only_pages_healthkit_built_are_served() -> None:
    with pytest.raises(PageError):
        serve_page(b"<html><body>no policy</body></html>", "/a.html", "", "http://127.0.0.1:9")
    with pytest.raises(PageError):
        extend_csp("default-src 'none'; connect-src *", "x", "http://127.0.0.1:9/e")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "lessons.zip").write_bytes(b"PK zip")
    (tmp_path / "secret.txt").write_text("not for the browser")
    hub = Hub()
    hub.publish(SiteState(pages={INDEX: BUILT.encode()}, digests={INDEX: "i1"}, errors={"/a.html": ("content/a.yaml:1:1: error: <b>bad</b>",)}))
    srv = PreviewServer(hub, out, 0)
    srv.start()
    try:
        yield srv, out
    finally:
        srv.stop()


def _get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_server_serves_the_site_and_nothing_else(server: tuple[PreviewServer, Path]) -> None:
    srv, _ = server
    assert srv.url.startswith("http://127.0.0.1:") and srv.server_address[0] == "127.0.0.1"
    status, body = _get(srv.url)
    assert status == 200 and b"EventSource" in body and b'"digest":"i1"' in body
    assert _get(srv.url + "lessons.zip") == (200, b"PK zip")
    assert _get(srv.url + "%2e%2e/secret.txt")[0] == 404
    assert _get(srv.url + "site/../../secret.txt")[0] == 404
    # A lesson with errors and no page yet: a placeholder that shows them and reloads later.
    status, body = _get(srv.url + "a.html")
    assert status == 200 and b"not built yet" in body and b'"has_page":false' in body
    assert _get(srv.url + "missing.html")[0] == 404
    # Another name for this address (DNS rebinding) gets nothing.
    assert _get(srv.url, host=f"attacker.example:{srv.port}")[0] == 400


def test_many_slow_connections_neither_pile_up_threads_nor_keep_the_page_waiting(server: tuple[PreviewServer, Path]) -> None:
    """A page elsewhere opening hundreds of connections that send their request a byte at a
    time (slowloris): the preview keeps few of them, and still answers the author's page."""
    import socket
    import threading
    import time

    srv, _ = server
    before = threading.active_count()
    slow = []
    try:
        for _ in range(300):
            connection = socket.create_connection(srv.server_address, timeout=5)
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # and never the rest
            slow.append(connection)
        started = time.monotonic()
        status, body = _get(srv.url)
        assert status == 200 and b"EventSource" in body
        assert time.monotonic() - started < 5
        assert threading.active_count() - before <= 64
    finally:
        for connection in slow:
            connection.close()


def test_the_event_stream_sends_each_page_its_digest_and_errors(server: tuple[PreviewServer, Path]) -> None:
    srv, _ = server
    with urllib.request.urlopen(f"{srv.url}{EVENTS_PATH[1:]}?page=/a.html", timeout=30) as stream:
        lines = iter(stream.readline, b"")
        data = next(json.loads(line[5:]) for line in lines if line.startswith(b"data:"))
        assert data == {"digest": "", "errors": ["content/a.yaml:1:1: error: <b>bad</b>"], "building": False}
        srv.hub.publish(SiteState(pages={"/a.html": BUILT.encode()}, digests={"/a.html": "a2"}))
        data = next(json.loads(line[5:]) for line in lines if line.startswith(b"data:"))
        assert data == {"digest": "a2", "errors": [], "building": False}


# -- watching and reading saved files ------------------------------------------------------
def test_rapid_saves_are_reported_together(tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    watcher = Watcher([(folder, False, lambda p: p.suffix == ".yaml")])
    watcher.start()
    try:
        # The watcher is running once a first change is seen.
        probe = folder / "probe.yaml"
        deadline = time.monotonic() + 60
        while probe not in watcher.next(timeout=0.5):
            assert time.monotonic() < deadline, "the watcher never reported a change"
            probe.write_text(str(time.monotonic()))
        while watcher.next(timeout=0.3):
            pass
        target, last = folder / "lesson.yaml", folder / "last.yaml"
        for i in range(20):  # an editor saving again and again
            target.write_text(f"version {i}\n")
        last.write_text("done\n")
        (folder / "notes.txt").write_text("ignored")
        batches: list[set[Path]] = []
        while not any(last in b for b in batches):
            assert time.monotonic() < deadline + 60, batches
            batch = watcher.next(timeout=1)
            if batch:
                batches.append(batch)
        assert len(batches) <= 3, batches  # twenty saves, at most a few rounds
        assert all(p.suffix == ".yaml" for b in batches for p in b)
    finally:
        watcher.stop()


def test_a_file_that_changes_while_it_is_read_is_left_for_the_next_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "back-spasms.yaml"
    path.write_text(SEED.read_text())
    settled = read_settled(path)
    assert settled is not None and settled.ok and settled.errors == [] and settled.raw == path.read_bytes()
    stamps = iter([(10, 1), (20, 2)])  # its size and time differ before and after the read
    monkeypatch.setattr(preview_module, "_stamp", lambda _p: next(stamps))
    assert read_settled(path) is None


def test_preview_renders_only_checked_content_and_keeps_the_last_good_lesson(tmp_path: Path) -> None:
    content = _content(tmp_path / "content", ["a-one", "b-two"])
    out = tmp_path / "out"
    preview = Preview(PreviewOptions(content_dir=content, out_dir=out, template=TEMPLATE, jobs=1))
    try:
        report = preview.rebuild()
        assert report is not None and [r.status for r in report.results] == ["built", "built"]
        _, state = preview.hub.current()
        assert set(state.pages) == {INDEX, url_path("a-one", "learner"), url_path("b-two", "learner")}
        good = state.pages["/b-two.html"]

        broken = (content / "b-two.yaml").read_text().replace("title: Lesson b-two", "title: [Lesson b-two")
        (content / "b-two.yaml").write_text(broken)
        assert preview.rebuild({content / "b-two.yaml"}) is not None
        _, state = preview.hub.current()
        expected = [d.format() for d in check_text(broken, str(content / "b-two.yaml")).diagnostics if d.severity == "error"]
        assert expected and list(state.errors["/b-two.html"]) == expected
        assert state.pages["/b-two.html"] == good  # the last good lesson stays up
        assert "[Lesson" not in (out / SNAPSHOT / "b-two.yaml").read_text()  # never copied
        assert state.errors[INDEX] == tuple(expected) and not state.errors["/a-one.html"]

        assert preview.rebuild({content / "b-two.yaml"}) is None  # nothing changed: no round
        (content / "b-two.yaml").write_text(broken.replace("title: [Lesson b-two", "title: Fixed b-two"))
        report = preview.rebuild({content / "b-two.yaml"})
        assert report is not None and [r.status for r in report.results] == ["exported", "built"]
        _, state = preview.hub.current()
        assert not state.errors["/b-two.html"] and "Fixed b-two" in state.pages["/b-two.html"].decode()
        assert "Fixed b-two →" in state.pages["/a-one.html"].decode()

        (content / "a-one.yaml").unlink()
        preview.rebuild({content / "a-one.yaml"})
        _, state = preview.hub.current()
        assert "/a-one.html" not in state.pages and not (out / SNAPSHOT / "a-one.yaml").exists()
    finally:
        preview.stop()


# -- the preview as an author uses it ------------------------------------------------------
class Running:
    """``healthkit preview`` in its own process group, as a terminal runs it."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "healthkit", "preview", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd, start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, seconds: float) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.log.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r}:\n{''.join(self.log)}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.mark.browser
@pytest.mark.slow
def test_the_preview_never_writes_into_or_deletes_from_a_folder_it_did_not_make(tmp_path: Path) -> None:
    """``--out .`` in a project whose own ``content`` folder holds other lessons, previewing
    drafts kept elsewhere: the project's files stay as they were."""
    project = tmp_path / "project"
    mine = _content(project / "content", ["a-one", "b-two"])
    before = {p.name: p.read_bytes() for p in mine.iterdir()}
    drafts = _content(tmp_path / "drafts", ["a-one"], {"a-one": "Draft a-one"})
    preview = Preview(PreviewOptions(content_dir=drafts, out_dir=project, template=TEMPLATE, jobs=1))
    try:
        assert preview.rebuild() is not None
        assert "Draft a-one" in preview.hub.current()[1].pages["/a-one.html"].decode()
    finally:
        preview.stop()
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == before
    # Its own copy folder taken by someone else's files, or the content folder itself: refused.
    (project / SNAPSHOT).rename(tmp_path / "gone")
    (project / SNAPSHOT).mkdir()
    (project / SNAPSHOT / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds files the preview did not make"):
        Preview(PreviewOptions(content_dir=drafts, out_dir=project, template=TEMPLATE, jobs=1))
    with pytest.raises(OutputError, match="is or holds"):
        Preview(PreviewOptions(content_dir=project / SNAPSHOT, out_dir=project, template=TEMPLATE, jobs=1))
    assert (project / SNAPSHOT / "notes.txt").read_text() == "mine"


def test_an_author_edits_breaks_and_fixes_a_lesson_while_the_page_follows(tmp_path: Path) -> None:
    titles = {"anaemia": "Anaemia", "back-spasms": "Back spasms", "cystitis": "Cystitis"}
    content = _content(tmp_path / "content", list(titles), titles)
    out = tmp_path / "out"
    scratch = tmp_path / "tmp"  # the preview's kernel folders go here, so they can be counted
    scratch.mkdir()
    edited = content / "back-spasms.yaml"
    original = edited.read_text()
    shown = Path("content") / "back-spasms.yaml"  # as the author named the folder
    running = Running(
        ["--content", "content", "--out", "out", "--port", "0", "-j", "2", "--template", str(TEMPLATE)],
        {**os.environ, "TMPDIR": str(scratch)},
        cwd=tmp_path,
    )
    children: dict[int, int] = {}
    try:
        url = running.wait_for(r"(http://127\.0\.0\.1:\d+/)", 120).group(1)
        running.wait_for(r"built anaemia, back-spasms, cystitis", 240)
        with chromium() as browser:
            context = browser.new_context(viewport={"width": 1000, "height": 800})
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(url + "back-spasms.html")
            page.wait_for_selector("html[data-hk-ready='true']", timeout=60_000)
            neighbour = context.new_page()
            neighbour.goto(url + "anaemia.html")
            neighbour.wait_for_selector("html[data-hk-ready='true']", timeout=60_000)
            assert page.evaluate("JSON.parse(document.getElementById('hk-data').textContent).store") == preview_store(LEARNER_STORE)
            notebook = out / "lessons" / "anaemia.ipynb"
            neighbour_run = notebook.stat().st_mtime_ns

            # Workers and kernels are up: remember them, to check that Ctrl-C stops them all.
            children = _descendants(running.proc.pid)
            kernels = [pid for pid in children if any("ipykernel" in arg for arg in _cmdline(pid))]
            assert kernels, [_cmdline(pid) for pid in children]

            # A new title and a new section item appear without a manual reload.
            edited.write_text(
                original.replace("title: Back spasms", "title: Spasms of the back")
                .replace("name: Acute back spasm", "name: Sudden back spasm", 1)
            )
            expect(page.locator("h1").first).to_have_text("Spasms of the back", timeout=60_000)
            expect(page.get_by_text("Sudden back spasm").first).to_be_visible(timeout=60_000)
            expect(neighbour.locator("a[rel='next']")).to_contain_text("Spasms of the back", timeout=60_000)
            assert notebook.stat().st_mtime_ns == neighbour_run, "the neighbour's lesson ran again for a title"

            # Broken YAML: the positioned error from check, over the last good page.
            broken = original.replace("title: Back spasms", "title: [Back spasms")
            edited.write_text(broken)
            (first,) = [d for d in check_text(broken, str(shown)).diagnostics if d.severity == "error"][:1]
            overlay = page.locator("#hk-preview-overlay li").first
            expect(overlay).to_have_text(first.format(), timeout=60_000)
            assert overlay.inner_text().startswith(f"{shown}:{first.line}:{first.column}: error: ")
            save_screenshot(page, "preview-error.png")

            # Content that looks like HTML stays text in the overlay.
            hostile = original.replace("status: published", 'status: <img src=x onerror="window.__pwned = 1">', 1)
            edited.write_text(hostile)
            expect(page.locator("#hk-preview-overlay li").first).to_contain_text("<img src=x", timeout=60_000)
            assert page.evaluate("window.__pwned") is None
            assert page.locator("#hk-preview-overlay img").count() == 0

            # Fixed: the overlay goes and the lesson is back, with the new text.
            edited.write_text(original.replace("title: Back spasms", "title: Back spasms, fixed"))
            expect(page.locator("h1").first).to_have_text("Back spasms, fixed", timeout=60_000)
            expect(page.locator("#hk-preview-overlay")).to_have_count(0, timeout=60_000)
            page.wait_for_selector("html[data-hk-ready='true']", timeout=60_000)

            # A new lesson that starts broken: its address shows the error, then the lesson.
            new = content / "migraine.yaml"
            new.write_text(original.replace("id: back-spasms", "id: migraine").replace("title: Back spasms", "title: [Migraine"))
            fresh = context.new_page()
            fresh.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            fresh.goto(url + "migraine.html")
            expect(fresh.locator("#hk-preview-overlay li").first).to_contain_text("migraine.yaml:", timeout=60_000)
            new.write_text(original.replace("id: back-spasms", "id: migraine").replace("title: Back spasms", "title: Migraine"))
            expect(fresh.locator("h1").first).to_have_text("Migraine", timeout=60_000)
            expect(fresh.locator("#hk-preview-overlay")).to_have_count(0, timeout=60_000)
            assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
            context.close()

        # Nothing of the preview is ever in the built files.
        for built in (out / "site").glob("*.html"):
            text = built.read_text()
            assert EVENTS_PATH not in text and "hk-preview" not in text and "healthkit.preview." not in text

        # Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops everything.
        children.update(_descendants(running.proc.pid))
        os.killpg(running.proc.pid, signal.SIGINT)
        assert running.proc.wait(timeout=120) == 0
        assert _wait_for(lambda: not any(_alive(pid, start) for pid, start in children.items()), 60), [
            (pid, _cmdline(pid)) for pid, start in children.items() if _alive(pid, start)
        ]
        assert _wait_for(lambda: not list(scratch.glob("healthkit-kernel-*")), 60), list(scratch.iterdir())
        running.wait_for(r"preview stopped", 10)
    finally:
        running.kill()
        for pid, start in children.items():
            if _alive(pid, start):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_worker_that_died_is_replaced_and_the_next_save_still_builds(tmp_path: Path) -> None:
    content = _content(tmp_path / "content", ["a-one", "b-two"])
    preview = Preview(PreviewOptions(content_dir=content, out_dir=tmp_path / "out", template=TEMPLATE, jobs=2))
    try:
        preview.workers.warm()
        report = preview.rebuild()
        assert report is not None and report.ok
        (victim, *_) = preview.workers.pids()
        started = _start(victim)
        os.kill(victim, signal.SIGKILL)  # as the out-of-memory killer would
        assert _wait_for(lambda: not _alive(victim, started), 30)
        edited = content / "a-one.yaml"
        edited.write_text(edited.read_text().replace("title: Lesson a-one", "title: Still building"))
        report = preview.rebuild({edited})
        assert report is not None and report.ok, [r.error for r in report.results]
        assert "Still building" in preview.hub.current()[1].pages["/a-one.html"].decode()
        assert victim not in preview.workers.pids()
    finally:
        preview.stop()


def _start(pid: int) -> int:
    from .test_processes import _stat

    info = _stat(pid)
    return info[2] if info else -1


@pytest.mark.slow
def test_a_content_folder_renamed_away_and_back_keeps_the_preview_going(tmp_path: Path) -> None:
    """Some editors and `git checkout` rename the folder away and back: the preview used to
    stop with "content folder does not exist". It now says so in the page and carries on."""
    content = _content(tmp_path / "content", ["a-one"], {"a-one": "First title"})
    running = Running(["--content", "content", "--out", "out", "--port", "0", "-j", "1", "--template", str(TEMPLATE)], dict(os.environ), cwd=tmp_path)
    try:
        url = running.wait_for(r"(http://127\.0\.0\.1:\d+/)", 120).group(1)
        running.wait_for(r"built a-one", 240)
        content.rename(tmp_path / "content-away")
        running.wait_for(r"the content folder is not there", 30)
        with urllib.request.urlopen(url + "a-one.html", timeout=30) as response:
            assert response.status == 200 and b"First title" in response.read()  # the last lesson stays
        (tmp_path / "content-away").rename(content)
        running.wait_for(r"the content folder .* is back", 30)
        edited = content / "a-one.yaml"
        edited.write_text(edited.read_text().replace("title: First title", "title: Second title"))
        running.wait_for(r"built a-one", 240)
        with urllib.request.urlopen(url + "a-one.html", timeout=30) as response:
            assert b"Second title" in response.read()
        assert running.proc.poll() is None
    finally:
        running.kill()
