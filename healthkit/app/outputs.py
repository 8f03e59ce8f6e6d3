"""The folders a command writes into: checked before any work, and never left.

Every app writes only inside its output folder, checked before anything is rendered:
:func:`check_out_dir` for ``healthkit build --out`` (and for the folder a pack or a Lite site
is assembled beside), :func:`check_pack_dir` for ``healthkit workshop -o`` and
``healthkit lite -o``. They refuse folders that cannot or must not hold output (``/``, the
content folder or anything inside it, a file, a folder that cannot be written; for packs
also the current folder and any folder that holds it or the content). Single-file outputs
(``scorm``, ``export-quiz``, ``import``, ``schema``) are checked by
:func:`healthkit.io.refuse_overwrite` instead. :func:`inside` is how every later step makes
sure a path stays in its folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies within it, once both are fully resolved."""
    real, root = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == root or root in real.parents


def check_out_dir(out_dir: Path, content_dir: Path | None = None, option: str = "--out") -> None:
    """Make sure ``out_dir`` exists and can take output; raise :class:`OutputError` if not."""
    real = Path(os.path.realpath(out_dir))
    if real.parent == real:
        raise OutputError(f"{option} {str(out_dir)!r} is the root folder; give lessons a folder of their own, e.g. {option} build", str(out_dir))
    if content_dir is not None and inside(real, content_dir):
        same = real == Path(os.path.realpath(content_dir))
        where = "is the content folder" if same else f"is inside the content folder {content_dir}"
        raise OutputError(f"{option} {out_dir} {where}; the content folder holds only condition files, so choose another folder", str(out_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{option} {out_dir} is not a folder; give the path of a folder (it is created if missing)", str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{option} {out_dir}: cannot create the folder: {exc.strerror}", str(out_dir)) from None
    _refuse_links_out(out_dir, option)
    try:
        fd, probe = tempfile.mkstemp(prefix=".healthkit-probe-", dir=out_dir)
    except OSError as exc:
        raise OutputError(f"{option} {out_dir}: cannot write in this folder: {exc.strerror}", str(out_dir)) from None
    os.close(fd)
    os.unlink(probe)


#: Entries of an output folder looked at for links that lead out of it (an output folder holds
#: a few hundred; a folder far larger is not healthkit's output and is not walked further).
MAX_SCANNED = 20_000


def _refuse_links_out(out_dir: Path, option: str) -> None:
    """Refuse an output folder holding a symbolic link that leads outside it: healthkit would
    write through the link and overwrite files elsewhere (``build/site`` linked to a folder
    of the user's own). Links that stay inside the folder are fine."""
    seen = 0
    for folder, dirs, files in os.walk(out_dir, followlinks=False):
        for name in [*dirs, *files]:
            seen += 1
            path = Path(folder) / name
            if path.is_symlink() and not inside(path, out_dir):
                raise OutputError(
                    f"{option} {out_dir}: {path} is a link to {os.path.realpath(path)}, outside the output folder; healthkit does "
                    "not write through links that lead out of it. Remove the link, or give that folder itself as the output",
                    str(path),
                )
            if seen >= MAX_SCANNED:
                return


def check_pack_dir(out_dir: Path, content_dir: Path, option: str = "-o") -> None:
    """Refuse a folder a pack or a site (assembled beside it, then moved in) must not go to:
    the current folder or one that holds it, the content folder, a folder inside it or one
    that holds it, ``/``, or a file; and make sure the folder beside it can be written."""
    if inside(Path.cwd(), out_dir):
        raise OutputError(f"{option} {out_dir} is the current folder (or holds it); name a new folder for it", str(out_dir))
    if inside(content_dir, out_dir):
        raise OutputError(f"{option} {out_dir} is or holds the content folder {content_dir}; name a new folder", str(out_dir))
    if inside(out_dir, content_dir):
        raise OutputError(f"{option} {out_dir} is inside the content folder {content_dir}; the content folder holds only condition files, so choose another folder", str(out_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{option} {out_dir} is not a folder; name a new folder", str(out_dir))
    check_out_dir(Path(os.path.realpath(out_dir)).parent, option=f"the folder of {option}")
