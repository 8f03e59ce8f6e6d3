"""Download, cache and verify the pinned inputs of a Lite site (see :mod:`.pins`).

Wheels come from PyPI through pip (the builder's own pip settings, mirrors and certificates
apply; pip checks each hash too). Pyodide's core comes from the npm registry's tarball, or
from a local copy (``--pyodide PATH``: the tarball, or a folder holding its files). Every file
is checked against its pinned SHA-256 after download and again each time it is used, so a
corrupted or swapped cache entry stops the build instead of reaching learners.

Only building downloads; a built site never touches the network.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from ..errors import LiteError
from .pins import PYODIDE, PYODIDE_PYTHON, WHEELS, NpmTarball, Wheel

Log = Callable[[str], None]

CACHE_ENV = "HEALTHKIT_CACHE_DIR"


def cache_root() -> Path:
    """healthkit's folder in the user's cache: ``$HEALTHKIT_CACHE_DIR``, else the platform's
    cache folder (``$XDG_CACHE_HOME/healthkit`` or ``~/.cache/healthkit`` on Linux)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    try:
        from platformdirs import user_cache_dir  # installed with Jupyter
    except ImportError:  # pragma: no cover - Jupyter always brings it
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "healthkit"
    return Path(user_cache_dir("healthkit", appauthor=False))


def downloads_dir(root: Path | None = None) -> Path:
    return (root or cache_root()) / "lite" / "downloads"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Inputs:
    """Verified local files: every pinned wheel, and Pyodide's core files by name."""

    wheels: Mapping[str, Path]
    pyodide: Mapping[str, bytes]

    def wheel(self, name: str) -> Path:
        return self.wheels[name]


# -- wheels --------------------------------------------------------------------------------
def _cached_ok(path: Path, wheel: Wheel) -> bool:
    if not path.is_file():
        return False
    if sha256_of(path) == wheel.sha256:
        return True
    path.unlink()  # a partial or altered file: fetch it again
    return False


def _pip_download(wanted: Iterable[Wheel], dest: Path, log: Log) -> None:
    """``pip download`` the exact files (pure-Python wheels, no dependencies, hashes checked)."""
    wanted = list(wanted)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pip-", dir=dest) as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text("".join(f"{w.requirement}\n" for w in wanted), encoding="utf-8")
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--python-version", PYODIDE_PYTHON, "--implementation", "py", "--abi", "none", "--platform", "any",
            "--disable-pip-version-check", "--quiet", "--dest", tmp, "--requirement", str(requirements),
        ]
        log(f"downloading {len(wanted)} wheel(s) with pip: {', '.join(w.filename for w in wanted)}")
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            detail = "\n".join(done.stderr.strip().splitlines()[-6:]) or f"pip exited with status {done.returncode}"
            raise LiteError("download", f"pip could not download the pinned wheels:\n{detail}")
        for wheel in wanted:
            got = Path(tmp) / wheel.filename
            if not got.is_file():
                raise LiteError("download", f"pip did not produce {wheel.filename} (pinned in healthkit/lite/pins.py)")
            actual = sha256_of(got)
            if actual != wheel.sha256:
                raise LiteError("verify", f"{wheel.filename}: SHA-256 {actual} is not the pinned {wheel.sha256}")
            os.replace(got, dest / wheel.filename)


def ensure_wheels(offline: bool, log: Log, root: Path | None = None) -> dict[str, Path]:
    """Every pinned wheel, verified, from the cache (downloading what is missing)."""
    dest = downloads_dir(root)
    missing = [w for w in WHEELS.values() if not _cached_ok(dest / w.filename, w)]
    if missing and offline:
        names = ", ".join(w.filename for w in missing)
        raise LiteError(
            "inputs",
            f"not in the cache ({dest}): {names}. Run 'healthkit lite --download-only' where PyPI "
            "is reachable (or copy that folder here), then build again.",
        )
    if missing:
        _pip_download(missing, dest, log)
    return {w.name: dest / w.filename for w in WHEELS.values()}


# -- Pyodide -------------------------------------------------------------------------------
def _fetch_url(url: str, target: Path, log: Log) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"downloading {url}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle, urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (pinned https URL)
            shutil.copyfileobj(response, handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except (OSError, urllib.error.URLError) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise LiteError(
            "download",
            f"could not download {url}: {exc}. Without network, pass --pyodide PATH with a copy of "
            f"{Path(url).name} (or the folder it unpacks to).",
        ) from None


def _members(tarball: Path, names: Iterable[str]) -> dict[str, bytes]:
    """Read the named files from an npm tarball's ``package/`` folder (nothing is extracted)."""
    wanted = {f"package/{n}": n for n in names}
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            for member in archive:
                if member.name in wanted and member.isfile():
                    handle = archive.extractfile(member)
                    if handle is not None:
                        found[wanted[member.name]] = handle.read()
    except (OSError, tarfile.TarError) as exc:
        raise LiteError("inputs", f"{tarball}: not a readable npm tarball ({exc})") from None
    return found


def _from_folder(folder: Path, names: Iterable[str]) -> dict[str, bytes]:
    base = folder / "package" if (folder / "package").is_dir() else folder
    return {n: (base / n).read_bytes() for n in names if (base / n).is_file()}


def _check_files(files: dict[str, bytes], tarball: NpmTarball, source: Path) -> dict[str, bytes]:
    for name, expected in tarball.files.items():
        if name not in files:
            raise LiteError("inputs", f"{source}: no {name}; expected the files of {tarball.name} {tarball.version}")
        actual = sha256_bytes(files[name])
        if actual != expected:
            raise LiteError(
                "verify",
                f"{source}: {name} has SHA-256 {actual}, not the pinned {expected}; "
                f"use {tarball.name} {tarball.version} ({Path(tarball.url).name})",
            )
    return files


def ensure_pyodide(local: Path | None, offline: bool, log: Log, root: Path | None = None) -> dict[str, bytes]:
    """Pyodide's core files, verified: from ``local`` if given, else from the cached tarball."""
    names = tuple(PYODIDE.files)
    if local is not None:
        if local.is_dir():
            return _check_files(_from_folder(local, names), PYODIDE, local)
        if local.is_file():
            return _check_files(_members(local, names), PYODIDE, local)
        raise LiteError("inputs", f"--pyodide {local}: no such file or folder")
    tarball = downloads_dir(root) / Path(PYODIDE.url).name
    if tarball.is_file() and sha256_of(tarball) != PYODIDE.sha256:
        tarball.unlink()
    if not tarball.is_file():
        if offline:
            raise LiteError(
                "inputs",
                f"{tarball.name} is not in the cache ({tarball.parent}); run 'healthkit lite --download-only' "
                "where the npm registry is reachable, or pass --pyodide PATH.",
            )
        _fetch_url(PYODIDE.url, tarball, log)
        actual = sha256_of(tarball)
        if actual != PYODIDE.sha256:
            tarball.unlink()
            raise LiteError("verify", f"{PYODIDE.url}: SHA-256 {actual} is not the pinned {PYODIDE.sha256}")
    return _check_files(_members(tarball, names), PYODIDE, tarball)


def ensure_inputs(pyodide: Path | None = None, offline: bool = False, log: Log = lambda _: None, root: Path | None = None) -> Inputs:
    """Everything a Lite build needs, verified; downloads what the cache lacks unless ``offline``."""
    return Inputs(ensure_wheels(offline, log, root), ensure_pyodide(pyodide, offline, log, root))
