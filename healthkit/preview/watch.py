"""Which files were saved, in coalesced batches, from ``watchfiles`` (Linux, macOS, Windows).

Each watched folder gets a thread; changes that arrive within :data:`QUIET_MS` of each other
are reported together, and :meth:`Watcher.next` also takes every batch that arrived while the
caller was busy (a rebuild), so rapid saves cost one rebuild.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Callable, Iterable

#: A batch is reported once no file changed for this long (milliseconds).
QUIET_MS = 50


class Watcher:
    """Watch ``(folder, recursive, wanted)`` groups; ``wanted(path)`` filters the changes."""

    def __init__(self, groups: Iterable[tuple[Path, bool, Callable[[Path], bool]]]) -> None:
        self._changes: queue.Queue[set[Path]] = queue.Queue()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._watch, args=group, name=f"healthkit-watch-{i}", daemon=True)
            for i, group in enumerate(groups)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def _watch(self, folder: Path, recursive: bool, wanted: Callable[[Path], bool]) -> None:
        from watchfiles import watch

        for changes in watch(
            folder,
            watch_filter=lambda _change, path: wanted(Path(path)),
            step=QUIET_MS,
            stop_event=self._stop,
            recursive=recursive,
            rust_timeout=500,
            yield_on_timeout=False,
            raise_interrupt=False,
        ):
            self._changes.put({Path(path) for _, path in changes})

    def next(self, timeout: float) -> set[Path]:
        """Every file changed since the last call, waiting up to ``timeout`` seconds for one."""
        try:
            batch = self._changes.get(timeout=timeout)
        except queue.Empty:
            return set()
        while True:
            try:
                batch |= self._changes.get_nowait()
            except queue.Empty:
                return batch

    def stop(self) -> None:
        self._stop.set()
