"""Wheels as plain zip files: unpack pinned ones, and make healthkit's own for the browser.

All the wheels involved are pure Python (``py3-none-any``), so "installing" one for the site
builder is unpacking its files, and a JupyterLab extension is a folder under the wheel's
``<name>.data/data/share/jupyter/labextensions/``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from .. import __version__
from ..distribution import WHEEL_FILE, pack_wheel, package_files
from ..errors import LiteError

LABEXTENSIONS = "share/jupyter/labextensions/"

#: The parts of healthkit a lesson imports (tests/test_lite.py checks that it imports no
#: others): modules, and packages whose modules all ship. The rest (the build, the command
#: line, exporters, SCORM schema files) never goes into a Lite site.
LESSON_MODULES = ("__init__", "errors", "model", "registry", "content", "lesson", "quiz", "widget")
#: The files those modules read.
LESSON_DATA = ("py.typed", "lesson/lesson.css", "widget/quiz.css", "widget/quiz.js", "widget/scoreboard.js")


def _safe_target(dest: Path, name: str, source: Path) -> Path:
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts:
        raise LiteError("unpack", f"{source.name}: refusing the path {name!r}")
    return dest.joinpath(*parts)


def unpack_purelib(wheel: Path, dest: Path) -> None:
    """Unpack a pure wheel's importable files (not its ``.data`` folder) into ``dest``."""
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            top = info.filename.split("/", 1)[0]
            if info.is_dir() or top.endswith(".data"):
                continue
            target = _safe_target(dest, info.filename, wheel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))


def unpack_labextensions(wheel: Path, dest: Path) -> list[str]:
    """Unpack the JupyterLab extensions a wheel carries into ``dest``; returns their folders."""
    found: set[str] = set()
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            head, _, rest = info.filename.partition("/")
            if info.is_dir() or not head.endswith(".data") or not rest.startswith("data/" + LABEXTENSIONS):
                continue
            inner = rest[len("data/" + LABEXTENSIONS):]
            target = _safe_target(dest, inner, wheel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            parts = inner.split("/")
            found.add("/".join(parts[:2] if parts[0].startswith("@") else parts[:1]))
    return sorted(found)


def lesson_files() -> dict[str, bytes]:
    """``{path in the wheel: bytes}`` of :data:`LESSON_MODULES` and :data:`LESSON_DATA`."""
    wanted = {f"healthkit/{name}" for name in LESSON_DATA}
    wanted |= {f"healthkit/{module}.py" for module in LESSON_MODULES}
    packages = tuple(f"healthkit/{module}/" for module in LESSON_MODULES)
    return {
        path: data
        for path, data in package_files().items()
        if path in wanted or (path.startswith(packages) and path.endswith(".py") and path.count("/") == 2)
    }


def healthkit_wheel(requires: tuple[str, ...]) -> tuple[str, bytes]:
    """A pure wheel of the parts of healthkit lessons use, for Pyodide: ``(filename, bytes)``.

    It holds only :func:`lesson_files` and declares only ``requires`` (what a lesson imports),
    not the build-time dependencies (papermill, nbconvert, lxml ...), which a browser kernel
    neither can nor needs to load.
    """
    metadata = "".join(
        [
            "Metadata-Version: 2.1\n",
            "Name: healthkit\n",
            f"Version: {__version__}\n",
            "Summary: healthkit lessons, packaged for a Lite site (lesson runtime only)\n",
            *(f"Requires-Dist: {r}\n" for r in requires),
        ]
    )
    built = pack_wheel("healthkit", __version__, {"METADATA": metadata.encode(), "WHEEL": WHEEL_FILE.encode()}, lesson_files())
    return built.filename, built.data
