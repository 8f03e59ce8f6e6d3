"""A build that is killed leaves nothing running and no kernel folder behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def _wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
@pytest.mark.parametrize("jobs", [2, 1], ids=["workers", "inline"])
def test_killing_the_build_leaves_no_process_and_no_kernel_folder(tmp_path: Path, how: signal.Signals, jobs: int) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a-one", "b-two", "c-three"):
        (content / f"{name}.yaml").write_text(SEED.read_text().replace("id: back-spasms", f"id: {name}"))
    started = tmp_path / "started"
    started.mkdir()
    template = nbformat.read(TEMPLATE, as_version=4)
    template.cells.insert(1, nbformat.v4.new_code_cell(BUSY.format(started=str(started))))
    busy = tmp_path / "busy.ipynb"
    nbformat.write(template, busy)
    scratch = tmp_path / "tmp"  # the build's temporary folders go here, so they can be counted
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    build = subprocess.Popen(
        [sys.executable, "-m", "healthkit", "build", "--content", str(content), "--out", str(tmp_path / "out"), "--template", str(busy), "-j", str(jobs), "-q"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    children: dict[int, int] = {}
    try:
        assert _wait_for(lambda: len(list(started.iterdir())) >= jobs, 180), "the lessons never started"
        children = _descendants(build.pid)
        kernels = [pid for pid in children if any("ipykernel" in arg for arg in _cmdline(pid))]
        assert len(kernels) == jobs, [_cmdline(pid) for pid in children]
        assert len(children) >= 2 * jobs - 1
        connection_files = [Path(args[args.index("-f") + 1]) for args in map(_cmdline, kernels) if "-f" in args]
        assert len(connection_files) == jobs and all(p.exists() for p in connection_files)
        assert list(scratch.glob("healthkit-kernel-*"))

        build.send_signal(how)
        build.wait(timeout=30)

        assert _wait_for(lambda: not any(_alive(pid, start) for pid, start in children.items()), 15), [
            (pid, _cmdline(pid)) for pid, start in children.items() if _alive(pid, start)
        ]
        assert _wait_for(lambda: not list(scratch.glob("healthkit-kernel-*")), 15), list(scratch.iterdir())
        assert not [p for p in connection_files if p.exists()]
    finally:  # never leave anything running on a failure
        for pid, start in children.items():
            if _alive(pid, start):
                os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()
            build.wait()
