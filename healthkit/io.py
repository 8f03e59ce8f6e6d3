"""Atomic file writing: a reader sees the old file or the new one, never half of one.

Commands never replace a file a user already has unless asked: :func:`refuse_overwrite`
says so before any work is done.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import HealthkitError


class OutputExistsError(HealthkitError):
    """The output file exists and the command was not told to replace it."""


def refuse_overwrite(path: Path, force: bool) -> None:
    """Raise :class:`OutputExistsError` when ``path`` exists and ``force`` is false."""
    if path.exists() and not force:
        raise OutputExistsError(f"{path} exists; pass --force to overwrite it")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def zip_folder(folder: Path) -> bytes:
    """A deflated zip of ``folder``'s files, under a top folder of the same name, in sorted order."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    return buffer.getvalue()
