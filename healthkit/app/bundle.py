"""Bundles (zip files) made from an explicit list of files.

A bundle holds exactly the entries its list-building function returns (for example
:func:`healthkit.app.site.lessons_zip_files` and
:func:`healthkit.app.workshop.pack_files`): never whatever else happens to lie in a folder.
To add something to a bundle (an installation file, say), append an entry in that function.
The zip itself is written by :func:`healthkit.io.zip_entries`, as every zip healthkit makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..io import read_regular, write_bytes_atomic, zip_entries


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
        """The entry's bytes; a source must be a regular file (a link is never followed)."""
        if self.data is not None:
            return self.data
        assert self.source is not None
        return read_regular(self.source)


    def content(self) -> bytes | Path:
        """What :func:`healthkit.io.zip_entries` packs: the bytes, or the source file."""
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source


def zip_bytes(entries: list[BundleFile]) -> bytes:
    """A zip holding exactly ``entries``, in order (see :func:`healthkit.io.zip_entries`)."""
    return zip_entries((entry.name, entry.content()) for entry in entries)


def write_zip(path: Path, entries: list[BundleFile]) -> None:
    """Write the zip of ``entries`` to ``path`` atomically (see :func:`healthkit.io.write_bytes_atomic`)."""
    write_bytes_atomic(path, zip_bytes(entries))
