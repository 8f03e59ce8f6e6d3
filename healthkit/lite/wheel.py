"""Wheels as plain zip files: unpack pinned ones, and make healthkit's own for the browser.

All the wheels involved are pure Python (``py3-none-any``), so "installing" one for the site
builder is unpacking its files, and a JupyterLab extension is a folder under the wheel's
``<name>.data/data/share/jupyter/labextensions/``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path, PurePosixPath

from .. import __version__
from ..errors import LiteError

LABEXTENSIONS = "share/jupyter/labextensions/"
#: Fixed timestamp for healthkit's wheel, so the same code gives the same bytes and hash.
_EPOCH = (1980, 1, 1, 0, 0, 0)


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


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def _package_files(package_dir: Path) -> list[tuple[str, bytes]]:
    files = []
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
            name = "healthkit/" + path.relative_to(package_dir).as_posix()
            files.append((name, path.read_bytes()))
    return files


def healthkit_wheel(requires: tuple[str, ...]) -> tuple[str, bytes]:
    """A pure wheel of the installed healthkit package, for Pyodide: ``(filename, bytes)``.

    It declares only ``requires`` (what a lesson imports), not the build-time dependencies
    (papermill, nbconvert, lxml ...), which a browser kernel neither can nor needs to load.
    """
    package_dir = Path(__file__).resolve().parent.parent
    dist_info = f"healthkit-{__version__}.dist-info"
    metadata = "".join(
        [
            "Metadata-Version: 2.1\n",
            "Name: healthkit\n",
            f"Version: {__version__}\n",
            "Summary: healthkit lessons, packaged for a Lite site (lesson runtime only)\n",
            *(f"Requires-Dist: {r}\n" for r in requires),
        ]
    )
    wheel_file = "Wheel-Version: 1.0\nGenerator: healthkit\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries = _package_files(package_dir) + [
        (f"{dist_info}/METADATA", metadata.encode()),
        (f"{dist_info}/WHEEL", wheel_file.encode()),
    ]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries) + f"{dist_info}/RECORD,,\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return f"healthkit-{__version__}-py3-none-any.whl", buffer.getvalue()
