"""A warm kernel, reused across lessons and fully reset between them.

Starting a Python kernel costs most of a lesson's render time. A build process therefore
keeps one kernel and, before each lesson, clears everything a lesson can leave behind: the
user namespace and history (IPython's ``reset``), every widget, the working directory and the
environment variables. Modules stay imported; healthkit keeps no lesson state in them. A
kernel that failed, timed out or died is thrown away and replaced, never reused.

Each kernel keeps its sockets and connection file in a private folder, which lives as long
as the kernel: made when it starts, removed when it stops, and also when starting it fails or
is interrupted (Ctrl-C, SIGTERM). A kernel exits (removing that folder) as soon as the process
that started it is gone: see :mod:`.lifeline`.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from ..errors import BuildError
from .lifeline import kernel_folder_name, make_kernel_folder, remove_kernel_folder

RESET = """\
def _healthkit_reset(cwd, environ):
    import os
    try:
        import ipywidgets
        ipywidgets.Widget.close_all()
    except ImportError:
        pass
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environ)
_healthkit_reset({cwd!r}, {environ!r})
get_ipython().reset(new_session=False)
get_ipython().execution_count = 1
"""


class WarmKernel:
    """One kernel process and its clients; papermill gets them through our engine."""

    def __init__(self, kernel_name: str = "python3") -> None:
        self.kernel_name = kernel_name
        self.manager: Any = None
        self.client: Any = None  # long-lived async client, handed to papermill
        self._resetter: Any = None  # blocking client for resets
        self._cwd = os.getcwd()
        self._environ = dict(os.environ)
        self._runtime: Path | None = None  # the kernel's private folder, while it has one

    def launch(self) -> None:
        """Start the kernel process; it boots while the caller does other work.

        However starting it fails or is interrupted, nothing is left: no folder, no process.
        """
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        # Named before it is made, so that kill() removes it whenever this is interrupted.
        self._runtime = runtime = kernel_folder_name()
        try:
            make_kernel_folder(runtime)
            # IPC transport: sockets in the private folder, with the connection file; no TCP port.
            self.manager = AsyncKernelManager(
                kernel_name=self.kernel_name, transport="ipc", ip=str(runtime / "k"), connection_file=str(runtime / "kernel.json")
            )
            run_sync(self.manager.start_kernel)(cwd=self._cwd, extra_arguments=self._arguments())
        except BaseException:
            self.kill()
            self.manager = None
            raise

    @staticmethod
    def _arguments() -> list[str]:
        return [
            # In-memory history, as nbclient uses for kernels it starts: no shared SQLite file.
            "--HistoryManager.hist_file=:memory:",
            # Exit (removing the private folder) when the process that started it is gone.
            "--IPKernelApp.extra_extensions=healthkit.render.lifeline",
        ]

    def preload(self, code: str) -> None:
        """Ask the kernel to run ``code`` (e.g. imports) without waiting for it."""
        self._resetter_client().execute(code, silent=True, store_history=False)

    def _resetter_client(self) -> Any:
        if self._resetter is None:
            from jupyter_client.blocking.client import BlockingKernelClient

            resetter = BlockingKernelClient()
            resetter.load_connection_info(self.manager.get_connection_info())
            resetter.start_channels()
            self._resetter = resetter
        return self._resetter

    def _connect(self) -> None:
        from jupyter_core.utils import run_sync

        client = self.manager.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        self.client = client

    def start(self) -> None:
        self.launch()
        self._connect()

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.manager is not None and bool(run_sync(self.manager.is_alive)())

    def prepare(self, cwd: Path) -> dict[str, Any]:
        """A clean kernel working in ``cwd``, as papermill engine arguments."""
        if not self._alive():
            self.replace()
        elif self.client is None:
            self._connect()
        self.reset(cwd)
        return {"km": self.manager, "kc": self.client}

    def reset(self, cwd: Path) -> None:
        """Clear everything a lesson could have left in the kernel."""
        code = RESET.format(cwd=str(Path(cwd).resolve()), environ=self._environ)
        reply = self._resetter_client().execute_interactive(code, store_history=False, timeout=60, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise BuildError("kernel", "could not reset the kernel between lessons")

    def replace(self) -> None:
        self.shutdown()
        self.start()

    def shutdown(self) -> None:
        """Stop the kernel process and remove its folder; whatever interrupts this, the kernel
        is killed and its folder removed (:meth:`kill`)."""
        from jupyter_core.utils import run_sync

        self._remove_folder()  # first, as kill() does
        try:
            for client in (self._resetter, self.client):
                if client is not None:
                    client.stop_channels()
            self._resetter = self.client = None
            if self.manager is not None:
                run_sync(self.manager.shutdown_kernel)(now=True)
                self.manager = None
        except Exception:  # already gone, or its event loop was interrupted: killed below
            pass
        finally:
            self.kill()
            self.manager = None

    def close(self) -> None:
        self.shutdown()

    def kill(self) -> None:
        """Stop the kernel process at once and remove its folder: when the build is gone, or
        stopping, or starting the kernel failed. Safe at any moment, even from a signal handler
        that interrupted :meth:`launch`.

        The folder goes first: if this process is killed right after, the kernel, left alone,
        exits and removes it anyway (its lifeline). It goes again once the kernel is killed, as
        a kernel still starting makes its folder anew; one started an instant before its
        process id was known exits by itself, with this process.
        """
        self._remove_folder()
        pid = getattr(getattr(self.manager, "provisioner", None), "pid", None)
        if isinstance(pid, int) and pid > 1:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self._remove_folder()
        self._runtime = None

    def _remove_folder(self) -> None:
        if self._runtime is not None:
            remove_kernel_folder(self._runtime)

    def __enter__(self) -> "WarmKernel":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
