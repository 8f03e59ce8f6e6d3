"""A build that is killed leaves nothing running and no kernel folder behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

import nbformat
import pytest

from .conftest import ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
pytestmark = pytest.mark.slow

#: Put right after the parameters: says the lesson started, then keeps the build busy.
BUSY = """\
import pathlib, time
pathlib.Path({started!r}, condition + "-" + edition).touch()
time.sleep(600)
"""


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """pid -> start time of every process below ``root``."""
    parents: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (info := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = (info[1], info[2])
    found: dict[int, int] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, start) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = start
                frontier.append(pid)
    return found


def _alive(pid: int, start: int) -> bool:
    info = _stat(pid)
    return info is not None and info[2] == start and info[0] != "Z"  # a zombie has exited


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _wait_for(condition, seconds: float, poll: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return bool(condition())


def _using(scratch: Path) -> list[int]:
    """Running processes whose temporary folder is ``scratch``: a build started with it and
    everything it started (workers, kernels), even processes started after a snapshot."""
    setting = f"TMPDIR={scratch}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and setting in (entry / "environ").read_bytes().split(b"\0"):
                if (info := _stat(int(entry.name))) is not None and info[0] != "Z":
                    found.append(int(entry.name))
        except OSError:  # gone, or not ours
            pass
    return found


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
@pytest.mark.parametrize("jobs", [2, 1], ids=["workers", "inline"])
def test_killing_the_build_leaves_no_process_and_no_kernel_folder(tmp_path: Path, how: signal.Signals, jobs: int) -> None:
    content, busy, started = _busy_lesson(tmp_path, ["a-one", "b-two", "c-three"])
    scratch = tmp_path / "tmp"  # the build's temporary folders go here, so they can be counted
    scratch.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-m", "healthkit", "build", "--content", str(content), "--out", str(tmp_path / "out"), "--template", str(busy), "-j", str(jobs), "-q"],
        env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    connection_files: list[Path] = []

    def kernels_running(children: dict[int, int]) -> None:
        kernels = [pid for pid in children if any("ipykernel" in arg for arg in _cmdline(pid))]
        assert len(kernels) == jobs, [_cmdline(pid) for pid in children]
        assert len(children) >= 2 * jobs - 1
        connection_files.extend(Path(args[args.index("-f") + 1]) for args in map(_cmdline, kernels) if "-f" in args)
        assert len(connection_files) == jobs and all(p.exists() for p in connection_files)
        assert list(scratch.glob("healthkit-kernel-*"))

    _, err = _stop(build, how, lambda: len(list(started.iterdir())) >= jobs, scratch, before=kernels_running)
    if how == signal.SIGTERM:  # unwinds like Ctrl-C: one line, no traceback
        assert build.returncode == 128 + signal.SIGTERM and err.strip() == b"healthkit: stopped (SIGTERM)", err
    assert not [p for p in connection_files if p.exists()]


def _busy_lesson(tmp_path: Path, ids: Sequence[str] = ("back-spasms",)) -> tuple[Path, Path, Path]:
    """A content folder with these conditions, and a template that marks a lesson as started
    and then keeps it busy; returns (content, template, the folder of started marks)."""
    content = tmp_path / "content"
    content.mkdir()
    for name in ids:
        (content / f"{name}.yaml").write_text(SEED.read_text().replace("id: back-spasms", f"id: {name}"))
    started = tmp_path / "started"
    started.mkdir()
    template = nbformat.read(TEMPLATE, as_version=4)
    template.cells.insert(1, nbformat.v4.new_code_cell(BUSY.format(started=str(started))))
    busy = tmp_path / "busy.ipynb"
    nbformat.write(template, busy)
    return content, busy, started


def _stop(
    command: subprocess.Popen[bytes], how: signal.Signals, running: Callable[[], bool], scratch: Path | None,
    before: Callable[[dict[int, int]], None] | None = None, poll: float = 0.05,
) -> tuple[list[str], bytes]:
    """Once ``running()`` (checked every ``poll`` seconds), call ``before`` with the processes
    ``command`` started (pid -> start time), then send it ``how``; returns their command lines
    (all gone by then) and its standard error. With ``scratch`` (the command's TMPDIR), no
    process using it and no kernel folder in it may be left either."""
    children: dict[int, int] = {}
    try:
        assert _wait_for(running, 180, poll), "the command never got there"
        children = _descendants(command.pid)
        started = [" ".join(_cmdline(pid)) for pid in children]
        if before is not None:
            before(children)
        command.send_signal(how)
        _, err = command.communicate(timeout=30)
        assert _wait_for(lambda: not any(_alive(pid, start) for pid, start in children.items()), 15), [
            (pid, _cmdline(pid)) for pid, start in children.items() if _alive(pid, start)
        ]
        if scratch is not None:
            assert _wait_for(lambda: not _using(scratch), 15), [_cmdline(pid) for pid in _using(scratch)]
            assert _wait_for(lambda: not list(scratch.glob("healthkit-kernel-*")), 15), list(scratch.iterdir())
        return started, err
    finally:  # never leave anything running on a failure
        for pid, start in children.items():
            if _alive(pid, start):
                os.kill(pid, signal.SIGKILL)
        for pid in _using(scratch) if scratch is not None else []:
            os.kill(pid, signal.SIGKILL)
        if command.poll() is None:
            command.kill()
            command.wait()


def _kernel_starting(scratch: Path) -> bool:
    """A kernel folder exists in ``scratch`` and no kernel listens in it yet (no socket): a
    kernel is starting."""
    folders = list(scratch.glob("healthkit-kernel-*"))
    try:
        return bool(folders) and not any(stat.S_ISSOCK(p.lstat().st_mode) for folder in folders for p in folder.iterdir())
    except OSError:  # a folder went away while it was read
        return False


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
@pytest.mark.parametrize("jobs", [2, 1], ids=["workers", "inline"])
def test_a_signal_while_a_kernel_starts_leaves_no_process_and_no_kernel_folder(tmp_path: Path, how: signal.Signals, jobs: int) -> None:
    content, busy, _ = _busy_lesson(tmp_path, ["a-one", "b-two", "c-three"])
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-m", "healthkit", "build", "--content", str(content), "--out", str(tmp_path / "out"), "--template", str(busy), "-j", str(jobs), "-q"],
        env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    # The signal comes as soon as a kernel folder appears, before its kernel is up.
    _, err = _stop(build, how, lambda: _kernel_starting(scratch), scratch, poll=0.005)
    said = b"healthkit: interrupted" if how == signal.SIGINT else b"healthkit: stopped (SIGTERM)"
    assert build.returncode == 128 + how and err.strip() == said, err


def test_sigterm_stops_a_workshop_and_removes_its_staging_folder(tmp_path: Path) -> None:
    content, busy, started = _busy_lesson(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "packs" / "pack"
    out.parent.mkdir()
    workshop = subprocess.Popen(
        [sys.executable, "-m", "healthkit", "workshop", "--content", str(content), "-o", str(out), "--template", str(busy), "-j", "2", "--zip"],
        env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    _, err = _stop(workshop, signal.SIGTERM, lambda: any(started.iterdir()), scratch)
    assert workshop.returncode == 128 + signal.SIGTERM and b"healthkit: stopped (SIGTERM)" in err and b"Traceback" not in err
    assert list(out.parent.iterdir()) == [], "no staging folder, no pack and no zip left behind"


def _jupyterlite_running(root: int) -> Callable[[], bool]:
    return lambda: any("jupyterlite_core" in " ".join(_cmdline(pid)) for pid in _descendants(root))


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_stopping_a_lite_build_stops_jupyterlite(tmp_path: Path, how: signal.Signals) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "back-spasms.yaml").write_text(SEED.read_text())
    out = tmp_path / "sites" / "site"
    out.parent.mkdir()
    scratch = tmp_path / "system-tmp"  # the system's temporary folder, as the command sees it
    scratch.mkdir()
    lite = subprocess.Popen(
        [sys.executable, "-m", "healthkit", "lite", "--content", str(content), "-o", str(out), "--template", str(TEMPLATE), "-j", "1", "--offline", "--zip"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(scratch)},
    )
    started, err = _stop(lite, how, _jupyterlite_running(lite.pid), None)
    assert any("jupyterlite_core" in line for line in started)  # and it is gone now
    assert not out.exists() and not (out.parent / "site.zip").exists(), "the site was not published"
    left = list(out.parent.iterdir())
    if how == signal.SIGTERM:
        assert lite.returncode == 128 + signal.SIGTERM and b"Traceback" not in err
        assert left == [], "the staging folder is removed"
    else:
        assert [p.name.startswith(".site.") for p in left] == [True], "kill -9 leaves the staging folder, for the next run"
    # jupyterlite's own temporary folders ("jupyter-clean-cfg-*", its build's copies) are made in
    # the staging folder, never in the system's: nothing is left there, however the run ended
    assert [p.name for p in scratch.iterdir() if not p.name.startswith("healthkit-kernel")] == []


def test_a_scorm_run_removes_what_a_killed_one_left_in_the_temporary_folder(tmp_path: Path) -> None:
    from healthkit.io import STAGING_MARK, staging_mark

    scratch = tmp_path / "system-tmp"
    scratch.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = scratch / f".healthkit-scorm.{gone.pid}-abc.tmp"
    (stale / "lessons").mkdir(parents=True)
    (stale / STAGING_MARK).write_text(staging_mark(gone.pid))
    theirs = scratch / f".healthkit-scorm.{gone.pid}-theirs.tmp"  # not marked: not healthkit's
    theirs.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "healthkit", "scorm", "back-spasms", "--content", str(SEED.parent), "-o", str(tmp_path / "p.zip"), "--template", str(TEMPLATE), "-j", "1"],
        capture_output=True, text=True, env={**os.environ, "TMPDIR": str(scratch)}, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and theirs.is_dir()
    assert not [p for p in scratch.iterdir() if p.name.startswith(".healthkit-scorm.") and p != theirs], "its own folder is removed too"


#: Watches the process named on the command line; says whether it watches.
WATCHER = """\
import sys
from pathlib import Path
from healthkit.render.lifeline import watch_parent
thread = watch_parent(int(sys.argv[1]), lambda: Path(sys.argv[2]).write_text("cleaned up"))
if thread is not None:
    thread.join(timeout=60)
print("watching" if thread is not None else "not watching", flush=True)
"""
#: Starts the command it is given and waits for it, as a kernelspec's wrapper script does.
WRAPPER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"


def test_a_kernel_started_through_a_wrapper_is_not_stopped(tmp_path: Path) -> None:
    """Its parent is the wrapper, not the process that launched it: nothing to watch."""
    mark = tmp_path / "mark"
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, sys.executable, "-c", WATCHER, str(os.getpid()), str(mark)], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout.strip()) == (0, "not watching"), done.stderr
    assert not mark.exists()


def test_a_process_whose_launcher_is_already_gone_cleans_up_and_exits(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    mark = tmp_path / "mark"
    done = subprocess.run([sys.executable, "-c", WATCHER, str(gone.pid), str(mark)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert mark.read_text() == "cleaned up"


def test_a_process_whose_launcher_was_killed_but_not_yet_reaped_cleans_up_and_exits(tmp_path: Path) -> None:
    """A killed launcher stays a zombie until its own parent reaps it: it is gone all the same."""
    killed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        killed.kill()
        assert _wait_for(lambda: (_stat(killed.pid) or ("?",))[0] == "Z", 30)
        mark = tmp_path / "mark"
        done = subprocess.run([sys.executable, "-c", WATCHER, str(killed.pid), str(mark)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and done.stdout == ""
        assert mark.read_text() == "cleaned up"
    finally:
        killed.wait()


def test_only_kernel_folders_whose_owner_is_gone_are_removed_as_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a ``kill -9`` of a worker and its kernel leaves is removed by the next build; nothing
    else in the temporary folder is, even when named like a kernel folder."""
    from healthkit.render import lifeline

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()

    def folder(owner: int, mark: str | None) -> Path:
        made = tmp_path / f"healthkit-kernel-{owner}-{len(list(tmp_path.iterdir())):06x}"
        made.mkdir()
        (made / "kernel.json").write_text("{}")
        if mark is not None:
            (made / "owner").write_text(mark)
        return made

    stale = folder(gone.pid, lifeline._owner_mark(gone.pid))
    running = folder(os.getpid(), lifeline._owner_mark(os.getpid()))
    unmarked = folder(gone.pid, None)
    elsewhere = folder(gone.pid, f"{gone.pid} another-machine pid:[1]\n")
    other = tmp_path / "healthkit-kernels-of-someone"
    other.mkdir()
    link = tmp_path / f"healthkit-kernel-{gone.pid}-link"
    link.symlink_to(stale)
    lifeline.remove_stale_kernel_folders()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (running, unmarked, elsewhere, other, link))
    # A stopped worker's folders: its own, marked or still unmarked, go; one of a process with
    # the same id elsewhere (a temporary folder shared with a container) stays, as does a link.
    lifeline.remove_kernel_folders([gone.pid])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (running, elsewhere, other, link))


#: A tool that never finishes, and starts a process of its own that does not either.
HANGS = """\
import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print("started", flush=True)
time.sleep(600)
"""
#: Runs the tool as healthkit runs ``jupyter lite build``; SIGTERM unwinds, as in the command line.
RUNS = """\
import os, signal, sys
from pathlib import Path
from healthkit.app.lite import WATCHED, run_watched
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
folder = Path(sys.argv[1])
env = {**os.environ, "PYTHONPATH": str(folder)}
run_watched([sys.executable, "-c", WATCHED, str(os.getpid()), "hangs"], folder, env, folder / "log", 600)
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_tool_healthkit_runs_ends_with_healthkit(tmp_path: Path, how: signal.Signals) -> None:
    (tmp_path / "hangs.py").write_text(HANGS)
    runner = subprocess.Popen([sys.executable, "-c", RUNS, str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log = tmp_path / "log"
    started, err = _stop(runner, how, lambda: log.exists() and "started" in log.read_text() and len(_descendants(runner.pid)) >= 2, None)
    assert sum("hangs" in line or "time.sleep(600)" in line for line in started) >= 2, started  # the tool and its own process
    if how == signal.SIGTERM:
        assert runner.returncode == 143, err
