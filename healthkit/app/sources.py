"""The content files a workshop pack or a Lite site ships: checked where they are, then copied.

Packs and sites render their lessons from a copy of the content beside the notebooks
(``content/``, which the notebooks read as ``../content``). Every file is checked first, in
the user's own folder, so an error names the user's file; a symbolic link out of the content
folder is refused there and never read; only files that passed are copied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..content import iter_content_files, load_catalog
from ..io import read_regular, write_bytes_atomic
from ..model import Condition


@dataclass(frozen=True)
class Sources:
    """The conditions to ship, in order: their ids, content files and validated content."""

    ids: tuple[str, ...]
    files: dict[str, Path]
    conditions: tuple[Condition, ...]


def check_sources(content_dir: Path, ids: tuple[str, ...] = ()) -> Sources:
    """Check the files of ``ids`` (all of them when empty; each id once) in ``content_dir``.

    Raises :class:`~healthkit.errors.ContentError` listing every problem (with the user's own
    paths), or :class:`~healthkit.errors.ParameterError` for an unknown id.
    """
    wanted = tuple(dict.fromkeys(ids))
    catalog = load_catalog(content_dir, wanted)
    chosen = wanted or catalog.ids
    files = {p.stem: p for p in iter_content_files(content_dir)}
    return Sources(chosen, {cid: files[cid] for cid in chosen}, tuple(catalog[cid] for cid in chosen))


def copy_sources(sources: Sources, folder: Path) -> None:
    """Copy the checked files into ``folder`` (a link to another file of the content folder,
    which the check allows, is copied as the file it names)."""
    for path in sources.files.values():
        write_bytes_atomic(folder / path.name, read_regular(Path(os.path.realpath(path))))
