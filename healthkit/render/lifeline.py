"""Processes that end with the build that started them.

A build starts worker processes, and each worker (or the build itself, for ``-j 1``) starts
a kernel. When the build is killed (``kill -9``, SIGTERM, a closed terminal), nothing
tells them: each one therefore watches its parent, and exits as soon as the parent is
gone, after removing its private kernel folder (sockets and connection file).

* Workers watch the build: :func:`watch_parent`, started by the worker's initializer.
* Kernels watch their worker: this module is also an IPython extension, loaded by every
  kernel healthkit starts (``--IPKernelApp.extensions``). It takes over from ipykernel's
  own parent poller, which would exit without removing the kernel's folder.

Watching is a daemon thread that checks the parent process id ten times a second.

A kernel folder is named after the process that made it (its owner: a worker, or the build
for ``-j 1``) and holds a mark saying so, so that a folder whose owner could not remove it is
still found: the build removes those of the workers it stopped
(:func:`remove_kernel_folders`), and every build removes those whose owner is gone
(:func:`remove_stale_kernel_folders`), as a ``kill -9`` of a worker or of a kernel leaves them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import stat
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable

#: Prefix of a kernel's private folder (see :class:`healthkit.render.kernels.WarmKernel`);
#: the id of the process that made it follows, then a random part.
KERNEL_FOLDER_PREFIX = "healthkit-kernel-"
#: In a kernel folder: who made it (see :func:`_owner_mark`).
OWNER_FILE = "owner"
POLL_SECONDS = 0.1


def _running(pid: int) -> bool:
    """Whether ``pid`` is a running process: one that was killed but not yet reaped by its own
    parent (a zombie) is gone, though ``kill(pid, 0)`` still finds it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's process
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (not Linux), or it has just gone
        return False
    return stat[stat.rindex(")") + 2 :].startswith(("Z", "X"))


def watch_parent(parent: int, cleanup: Callable[[], None], poll: float = POLL_SECONDS) -> threading.Thread | None:
    """Exit this process (after ``cleanup``) as soon as its parent is no longer ``parent``.

    Returns the watching thread, or None when there is nothing to watch: no ``parent`` given,
    or ``parent`` is running but is not this process's parent (it started this process through
    a wrapper, such as a shell script or ``conda run``; ipykernel's own watch is off then too).
    A ``parent`` that is already gone means this process was orphaned before it could watch:
    it cleans up and exits at once.
    """
    if parent <= 1:
        return None
    if os.getppid() != parent:
        if _running(parent):
            return None
        try:
            cleanup()
        finally:
            os._exit(1)

    def run() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        try:
            cleanup()
        finally:
            os._exit(1)

    thread = threading.Thread(target=run, name="healthkit-lifeline", daemon=True)
    thread.start()
    return thread


def kernel_folder_name() -> Path:
    """The name of a new kernel folder, in the temporary folder: this process's id and a
    random part.

    It is named before it is made (:func:`make_kernel_folder`), so that the process making it
    can remove it however making it, or anything after, is interrupted; a name already taken
    can only be this process's or that of a gone process with the same id. The name is short:
    the kernel's sockets are in the folder, and a socket path has at most 107 bytes.
    """
    return Path(tempfile.gettempdir()) / f"{KERNEL_FOLDER_PREFIX}{os.getpid()}-{secrets.token_hex(3)}"


def make_kernel_folder(folder: Path) -> None:
    """Make ``folder`` (from :func:`kernel_folder_name`), private, and mark it as this
    process's."""
    folder.mkdir(mode=0o700)
    (folder / OWNER_FILE).write_text(_owner_mark(os.getpid()))


def _owner_mark(pid: int) -> str:
    """Process ``pid``, where process ids mean it: this machine and (Linux) its process-id
    namespace, so that a temporary folder shared with a container is never taken for ours."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{pid} {socket.gethostname()} {namespace}\n"


def _owner(folder: Path) -> int | None:
    """The id of the process that made ``folder``, read from its name; None for a name that is
    not a kernel folder's."""
    if not folder.name.startswith(KERNEL_FOLDER_PREFIX):
        return None
    pid = folder.name[len(KERNEL_FOLDER_PREFIX) :].partition("-")[0]
    return int(pid) if pid.isdigit() else None


def remove_kernel_folder(folder: Path) -> None:
    """Remove a kernel's private folder; anything not named like one is left alone."""
    if folder.name.startswith(KERNEL_FOLDER_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


def remove_kernel_folders(owners: Iterable[int]) -> None:
    """Remove the kernel folders made by ``owners``, processes that have ended (a worker
    stopped while it made one, before it could remove it)."""
    root = Path(tempfile.gettempdir())
    for pid in owners:
        for folder in root.glob(f"{KERNEL_FOLDER_PREFIX}{pid}-*"):
            if _made_by(folder, pid, unmarked=True):
                remove_kernel_folder(folder)


def remove_stale_kernel_folders() -> None:
    """Remove the kernel folders whose owner is gone.

    However a build stops, its kernel folders go: on Ctrl-C and SIGTERM through the workers'
    clean-up; on a ``kill -9`` of the build through the lifelines (each worker stops as on
    SIGTERM, and a kernel whose worker is gone removes its folder as it exits). Only what the
    OS gives no process the chance to clean is left: the folder of a kernel killed with
    ``kill -9`` (or by the OOM killer) together with the process that started it (connection
    file and sockets), or of a worker killed so while it made one. Those go here, at the next
    build.

    Only folders healthkit made are touched: named like one, a real folder of this user,
    holding the owner mark of a process on this machine that no longer runs (an owner whose id
    was taken again since counts as running: its folder waits). A folder whose owner was
    killed in the instant between making it and marking it has no mark: it is left alone.
    """
    for folder in Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*"):
        if _stale(folder):
            remove_kernel_folder(folder)


def _made_by(folder: Path, pid: int, unmarked: bool = False) -> bool:
    """Whether ``folder`` is a real folder of this user that process ``pid`` of this machine
    and namespace made: its owner mark says so, or (``unmarked``) it has none yet, as when
    ``pid`` was stopped while making it. A folder of the same name from a process elsewhere
    (a temporary folder shared with a container) is never taken for one of ours."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()):
        return False
    try:
        return (folder / OWNER_FILE).read_text() == _owner_mark(pid)
    except FileNotFoundError:
        return unmarked
    except (OSError, UnicodeDecodeError):
        return False


def _stale(folder: Path) -> bool:
    owner = _owner(folder)
    return owner is not None and _made_by(folder, owner) and not _running(owner)


def load_ipython_extension(ipython: Any) -> None:
    """In a kernel: exit with the process that started it, removing the kernel's folder."""
    from ipykernel.kernelapp import IPKernelApp

    if not IPKernelApp.initialized():
        return
    app = IPKernelApp.instance()
    parent = int(os.environ.get("JPY_PARENT_PID") or 0)
    folder = Path(app.connection_file).resolve().parent
    if watch_parent(parent, lambda: remove_kernel_folder(folder)) is not None:
        app.poller = None  # ours does the same job, and cleans up first
