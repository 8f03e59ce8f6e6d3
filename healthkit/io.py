"""Writing files safely.

Atomic writes: a reader sees the old file or the new one, never half of one. Commands never
replace a file a user already has unless asked (:func:`refuse_overwrite`, before any work
is done), healthkit only ever replaces regular files (never a folder, a device such as
``/dev/full``, a pipe or a symbolic link), and every failure is an
:class:`~healthkit.errors.OutputError` naming the file being written (for a pack assembled in
a staging folder beside its target, that is the file in the staging folder), never a
traceback.

Zip files (every bundle: ``lessons.zip``, workshop packs, SCORM packages, QTI exports, Lite
sites, wheels) are made by one function, :func:`zip_entries`: an explicit list of entries,
fixed timestamps, and no symbolic link ever followed.

Commands that assemble a folder beside its target (workshop packs, Lite sites) do it in a
staging folder from :func:`staging_folder`, named after the process that made it, so the next
run can remove one left behind by a process that was killed (:func:`remove_stale_staging`).
"""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import socket
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Iterable, Union

from .errors import OutputError, OutputExistsError

__all__ = [
    "OutputExistsError",
    "ZIP_DATE",
    "read_regular",
    "refuse_overwrite",
    "refuse_unless_regular",
    "remove_stale_staging",
    "staging_folder",
    "write_bytes_atomic",
    "write_text_atomic",
    "zip_entries",
]


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


# -- zip files -------------------------------------------------------------------------------
#: Every entry of every zip healthkit writes has this date (zip's earliest): the same entries
#: give the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: One zip entry: its name inside the zip, and its bytes or the file that holds them.
Entry = tuple[str, Union[bytes, Path]]


def read_regular(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file reached without following a
    symbolic link at its end; :class:`OutputError` otherwise (a pipe never blocks it)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"cannot pack {path}: it is a symbolic link, which healthkit never follows into a bundle", str(path)) from None
        raise OutputError(f"cannot pack {path}: {exc.strerror}", str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OutputError(f"cannot pack {path}: it is {_kind(mode)}, not a regular file", str(path))
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the file object closes it now
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)


def _entry_name(name: str) -> str:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"zip entry {name!r} is not a plain relative path")  # a bug, not input
    return name


def zip_entries(entries: Iterable[Entry]) -> bytes:
    """A deflated zip holding exactly ``entries``, in their order.

    Each entry is ``(name inside the zip, bytes or a Path)``; a path is read with
    :func:`read_regular` (a regular file, never through a symbolic link). Every entry is
    dated :data:`ZIP_DATE` with mode 0644, so the same entries always give the same bytes.
    """
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, source in entries:
            if _entry_name(name) in seen:
                raise ValueError(f"zip entry {name!r} is listed twice")  # a bug, not input
            seen.add(name)
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, source if isinstance(source, bytes) else read_regular(source))
    return buffer.getvalue()


# -- staging folders -------------------------------------------------------------------------
def _staging_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.(\d+)-[^/]*\.tmp")


#: In a staging folder: who made it, so that only folders healthkit made are ever removed
#: (a folder of the user's that happens to be named like one is left alone).
STAGING_MARK = ".healthkit-staging"


def staging_mark(pid: int) -> str:
    return f"healthkit staging folder of process {pid} on {socket.gethostname()}\n"


def staging_folder(target: Path) -> Path:
    """A new folder beside ``target`` to assemble it in, named after this process
    (``.NAME.PID-XXXX.tmp``) and marked as healthkit's (:data:`STAGING_MARK`), so a later run
    knows when its maker is gone and never takes a folder of the user's for one."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent))
        (folder / STAGING_MARK).write_text(staging_mark(os.getpid()))
        return folder
    except OSError as exc:
        raise OutputError(f"cannot write beside {target}: {exc.strerror}", str(target)) from None


def _marked(folder: Path, pid: int) -> bool:
    try:
        return (folder / STAGING_MARK).read_text() == staging_mark(pid)
    except (OSError, UnicodeDecodeError):
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove staging folders of ``target`` left by processes that no longer run (killed
    while they worked); returns what was removed. Another run's folder is left alone."""
    pattern = _staging_pattern(target)
    removed = []
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return []
    for path in candidates:
        match = pattern.fullmatch(path.name)
        if match is None or int(match.group(1)) == os.getpid() or _running(int(match.group(1))):
            continue
        if path.is_dir() and not path.is_symlink() and _marked(path, int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
