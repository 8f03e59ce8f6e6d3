"""Worker processes, each with one warm kernel, that render lessons for the build.

A build starts them for one run; ``healthkit preview`` keeps them (and their kernels) alive
between rebuilds, so an edit costs one lesson, not a Python start and a kernel start.

Every worker (or, for one worker, the build's own process) keeps one kernel and fully resets
it between lessons (see :mod:`healthkit.render.kernels`). Workers exit with the process that
started them however it ends (see :mod:`healthkit.render.lifeline`), ignore the terminal's
Ctrl-C (their parent decides when they stop) and are stopped at once by :meth:`Workers.stop`
(SIGTERM: a worker kills its kernel, removes its folder and exits, whatever it was doing).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from ..errors import ParameterError
from ..render.kernels import WarmKernel
from ..render.lifeline import remove_kernel_folders, remove_stale_kernel_folders, watch_parent
from .startup import skip_unused_format_checker

T = TypeVar("T")

_KERNEL: WarmKernel | None = None

#: What every lesson imports; the kernel loads it while the worker loads its own modules.
KERNEL_PRELOAD = "import healthkit.lesson, healthkit.widget"


@dataclass(frozen=True)
class Rendered:
    notebook: str
    page: str | None
    seconds: float


def _preload_builder() -> None:
    import nbformat  # noqa: F401  (slow: its schema validator)
    import papermill  # noqa: F401

    from ..exporters import html  # noqa: F401


def _worker_init(build_pid: int = 0) -> None:
    """Start this worker's kernel early, and import in parallel with its boot.

    A worker (``build_pid``: the build that started it) exits, stopping its kernel, as soon as
    the build is gone, however it ended, or as soon as the build sends it SIGTERM.
    """
    skip_unused_format_checker()
    if build_pid:
        # Ctrl-C in a terminal reaches the whole process group: the build decides what stops.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        watch_parent(build_pid, _stop_as_told)
    _start_kernel()
    threading.Thread(target=_preload_builder, daemon=True).start()


def _start_kernel() -> None:
    """Start this process's kernel; if that fails or is interrupted, nothing is left of it."""
    global _KERNEL
    _KERNEL = WarmKernel()  # known before it starts: a SIGTERM or a lifeline may kill it meanwhile
    try:
        _KERNEL.launch()
        _KERNEL.preload(KERNEL_PRELOAD)
    except BaseException:
        _kill_kernel()
        raise


def _close_kernel() -> None:
    """Stop this process's kernel and remove its folder (the worker, or the build, ends)."""
    global _KERNEL
    kernel, _KERNEL = _KERNEL, None
    if kernel is not None:
        kernel.close()


def _kill_kernel() -> None:
    """Stop this process's kernel at once and remove its folder."""
    global _KERNEL
    kernel, _KERNEL = _KERNEL, None
    if kernel is not None:
        kernel.kill()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """In a worker, SIGTERM (from :meth:`Workers.stop`): its kernel goes first, whatever the
    worker was doing (starting the kernel included); Python's default would exit at once and
    leave the kernel's folder."""
    _kill_kernel()
    os._exit(128 + signum)


#: How long a worker whose build is gone waits for its main thread to stop it.
STOP_SECONDS = 2.0


def _stop_as_told() -> None:
    """The build is gone: stop as if it had sent SIGTERM. The handler runs on the main thread,
    between two of its steps, so killing the kernel never races with starting one (a thread
    could kill the kernel, then see the main thread make a new folder). Only a main thread
    stuck in a call that signals do not interrupt lets this thread do it instead."""
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(STOP_SECONDS)  # the handler ends this process meanwhile
    _kill_kernel()


atexit.register(_close_kernel)


def ready() -> int:
    """A task that does nothing: submitted to start a worker (and its kernel) ahead of work."""
    return os.getpid()


def render(task: Any) -> Rendered:
    """Execute one lesson (and export its page); returns text, never writes.

    ``task`` is a :class:`healthkit.app.build.Task`.
    """
    import nbformat  # slow to import (its schema validator): only where notebooks are made

    from ..exporters.html import export_lesson
    from ..render import execute_lesson

    started = time.perf_counter()
    nb, _ = execute_lesson(task.job, kernel=_KERNEL)
    nbformat.validate(nb)
    text = nbformat.writes(nb)
    # The page comes from the notebook as stored, so exporting it again later from the
    # stored notebook (a page-only change) gives exactly the same page.
    page = export_lesson(stored_notebook(text), nav=task.nav, exporter=page_exporter())[0] if task.html else None
    return Rendered(text, page, time.perf_counter() - started)


_EXPORTERS: dict[str, Any] = {}


def page_exporter() -> Any:
    """This process's page exporter, made again when the page code changed (a preview)."""
    from ..exporters.html import LessonHTMLExporter
    from .cache import page_code_digest

    digest = page_code_digest()
    if digest not in _EXPORTERS:
        _EXPORTERS.clear()
        _EXPORTERS[digest] = LessonHTMLExporter()
    return _EXPORTERS[digest]


def export_page(notebook: bytes, nav: dict[str, Any]) -> str:
    """A lesson page from a stored notebook: no kernel, no lesson run."""
    from ..exporters.html import export_lesson

    return export_lesson(stored_notebook(notebook.decode("utf-8")), nav=nav, exporter=page_exporter())[0]


def stored_notebook(text: str) -> Any:
    """A notebook node from the text healthkit wrote (already validated when written)."""
    from nbformat import v4

    return v4.reads(text)


class InThisProcess(Executor):
    """Runs each task at once in this process; its result or error arrives through the future,
    as from a pool. Ctrl-C, and SIGTERM (SystemExit, see healthkit.cli), propagate at once."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # delivered through the future, as a pool would
            future.set_exception(exc)
        return future


class _Inline(InThisProcess):
    """Runs tasks in this process, with one warm kernel, for ``-j 1`` or a single lesson."""

    def __init__(self) -> None:
        _worker_init()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        _close_kernel()


def default_jobs() -> int:
    """One worker per core, plus one: a worker and its kernel take turns, so a core would
    otherwise sit idle while each waits for the other."""
    return (os.cpu_count() or 1) + 1


def worker_count(jobs: int, lessons: int) -> int:
    """Workers (each with a kernel) for ``lessons``: ``jobs`` (0: the default), but never
    more than :func:`default_jobs` or than there are lessons to render."""
    if jobs < 0:
        raise ParameterError(f"jobs must be 0 (one per core) or more, not {jobs}")
    return max(1, min(jobs or default_jobs(), default_jobs(), lessons))


class Workers:
    """Up to ``size`` workers, started on demand and kept until :meth:`close` or :meth:`stop`.

    One worker runs in this process (no pool); more run as spawned processes ("spawn": forking
    a process that already talks to kernels over ZeroMQ can kill the child).
    """

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._executor: Executor | None = None
        self._room = 0

    def executor(self, needed: int | None = None) -> Executor:
        """The executor, with room for ``needed`` workers (default: :attr:`size`, never more).

        Workers only start when work is submitted, so a pool sized to the work never starts
        kernels nothing needs; one too small for ``needed`` is replaced (before its workers did
        any lesson: only :meth:`warm` may have started them).
        """
        wanted = min(self.size, needed or self.size)
        if self._executor is not None and self._room < wanted:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        if self._executor is None:
            remove_stale_kernel_folders()
            self._room = wanted
            if wanted <= 1:
                self._executor = _Inline()
            else:
                self._executor = ProcessPoolExecutor(
                    max_workers=wanted,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_init,
                    initargs=(os.getpid(),),
                )
        return self._executor

    @property
    def pool(self) -> Executor | None:
        """The running pool of worker processes, if any (never one in this process)."""
        return self._executor if isinstance(self._executor, ProcessPoolExecutor) else None

    def warm(self, count: int | None = None) -> None:
        """Start ``count`` workers (default: all) now, so their kernels boot while other work
        goes on; returns at once."""
        count = min(count or self.size, self.size)
        executor = self.executor(count)
        if isinstance(executor, ProcessPoolExecutor):
            for _ in range(count):
                executor.submit(ready)

    def pids(self) -> list[int]:
        """Process ids of the running worker processes (none for a worker in this process)."""
        if isinstance(self._executor, ProcessPoolExecutor):
            return [p.pid for p in list(self._executor._processes.values()) if p.pid is not None]
        return []

    def close(self) -> None:
        """Let running lessons finish, then stop every worker and kernel."""
        if self._executor is not None:
            executor, self._executor = self._executor, None
            executor.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Stop every worker and kernel now (Ctrl-C): running lessons are abandoned."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if isinstance(executor, ProcessPoolExecutor):
            processes = list(executor._processes.values())
            for process in processes:
                process.terminate()  # it kills its kernel and removes its folder, then exits
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.join(timeout=10)
            # A worker that ended before it could remove a folder it was making.
            remove_kernel_folders(p.pid for p in processes if p.pid is not None and p.exitcode is not None)
        else:
            executor.shutdown(wait=False)

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is None:
            self.close()
        else:
            self.stop()
