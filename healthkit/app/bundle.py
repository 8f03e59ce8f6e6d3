"""Bundles (zip files) made from an explicit list of files.

A bundle holds exactly the entries its list-building function returns (for example
:func:`healthkit.app.site.lessons_zip_files` and
:func:`healthkit.app.workshop.pack_files`): never whatever else happens to lie in a folder.
To add something to a bundle (an installation file, say), append an entry in that function.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import OutputError
from ..io import write_bytes_atomic


@dataclass(frozen=True)
class BundleFile:
    """One entry of a bundle: its name inside the zip, and a file to copy or the bytes to store."""

    name: str
    source: Path | None = None
    data: bytes | None = None

    def __post_init__(self) -> None:
        parts = PurePosixPath(self.name).parts
        if not parts or PurePosixPath(self.name).is_absolute() or ".." in parts:
            raise ValueError(f"bundle entry {self.name!r} is not a relative path")  # a bug, not input
        if (self.source is None) == (self.data is None):
            raise ValueError(f"bundle entry {self.name!r} needs either a source file or data")

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        try:
            return self.source.read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot pack {self.source}: {exc.strerror}", str(self.source)) from None


def zip_bytes(entries: list[BundleFile]) -> bytes:
    """A zip holding exactly ``entries``, in order (deflated, with a fixed timestamp)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entry.read())
    return buffer.getvalue()


def write_zip(path: Path, entries: list[BundleFile]) -> None:
    """Write the zip of ``entries`` to ``path`` atomically (see :func:`healthkit.io.write_bytes_atomic`)."""
    write_bytes_atomic(path, zip_bytes(entries))
