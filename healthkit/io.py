"""Writing files safely.

Atomic writes: a reader sees the old file or the new one, never half of one. Commands never
replace a file a user already has unless asked (:func:`refuse_overwrite`, before any work
is done), healthkit only ever replaces regular files (never a folder, a device such as
``/dev/full``, a pipe or a symbolic link), and every failure is an
:class:`~healthkit.errors.OutputError` naming the file, never a traceback.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def refuse_unless_regular(path: Path) -> bool:
    """Whether ``path`` exists (as a regular file); raise if it is anything else."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}", str(path)) from None
    if not stat.S_ISREG(mode):
        raise OutputError(f"{path} is {_kind(mode)}; healthkit only replaces regular files, so give the path of a file", str(path))
    return True


class OutputExistsError(OutputError):
    """The output file exists and the command was not told to replace it."""


def refuse_overwrite(path: Path, force: bool) -> None:
    """Refuse an output path that exists, unless ``force`` and it is a regular file.

    Called before any work, so a command that will not be able to write says so first:
    :class:`OutputExistsError` for an existing file without ``force``, :class:`OutputError`
    for anything that is not a regular file (even with ``force``).
    """
    if refuse_unless_regular(path) and not force:
        raise OutputExistsError(f"{path} exists; pass --force to overwrite it", str(path))



def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename over ``path``.

    Raises :class:`OutputError` when ``path`` is not a regular file or cannot be written;
    the old file, if any, is then left as it was and no temporary file remains.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: cannot create the folder {path.parent}: {exc.strerror}", str(path)) from None
    refuse_unless_regular(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}", str(path)) from None
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}", str(path)) from exc
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
