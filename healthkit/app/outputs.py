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
    try:
        fd, probe = tempfile.mkstemp(prefix=".healthkit-probe-", dir=out_dir)
    except OSError as exc:
        raise OutputError(f"{option} {out_dir}: cannot write in this folder: {exc.strerror}", str(out_dir)) from None
    os.close(fd)
    os.unlink(probe)


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
