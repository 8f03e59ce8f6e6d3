"""healthkit as an installable distribution: its name, its extras, and a wheel of itself.

The import package and the command are ``healthkit``; the distribution is called
``healthkit-lessons`` (``healthkit`` on PyPI is another project). It is not published on a
package index: it installs from a clone or from the wheel a clone builds. Bundles (``lessons.zip``,
workshop folders) carry a wheel of the healthkit that built them, so their notebooks run
with the same code in a fresh environment. :func:`wheel` makes that wheel from the
installed package itself: no build tools and no network needed.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from .io import zip_entries

#: The distribution's name (not published on a package index: installed from a clone or
#: its wheel, e.g. ``pip install ".[lab]"``).
DISTRIBUTION = "healthkit-lessons"

#: Optional dependency sets (``[project.optional-dependencies]`` in pyproject.toml).
EXTRAS = {
    "build": "render lessons and offline pages (healthkit build, workshop, jupyter nbconvert --to healthkit)",
    "lab": "everything in 'build', and JupyterLab to open and answer the lessons",
}

#: What a wheel of the package leaves out: byte code, and editors' and merges' leftovers.
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo", ".swp", ".orig", ".rej", ".tmp"})

#: Modules each extra provides, checked before a command that needs them starts.
EXTRA_MODULES = {
    "build": ("anywidget", "ipykernel", "ipywidgets", "nbclient", "nbconvert", "nbformat", "papermill", "tqdm", "watchfiles"),
    "lab": ("jupyterlab",),
}

WHEEL_FILE = "Wheel-Version: 1.0\nGenerator: healthkit\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def requirement(extra: str = "") -> str:
    """What to give pip, e.g. ``healthkit-lessons[lab]``."""
    return f"{DISTRIBUTION}[{extra}]" if extra else DISTRIBUTION


def install_hint(extra: str) -> str:
    """The command that adds ``extra`` to the healthkit already installed: its own packages,
    from the package index (healthkit itself is not published there)."""
    wanted = extra_requirements(extra) or [requirement(extra)]
    return "pip install " + " ".join(f'"{spec}"' for spec in wanted)


def require(extra: str, feature: str) -> None:
    """Raise :class:`MissingDependencyError` naming the install command if ``extra`` is missing."""
    from importlib.util import find_spec

    from .errors import MissingDependencyError

    for module in EXTRA_MODULES[extra]:
        if find_spec(module) is None:
            raise MissingDependencyError(module, feature, install_hint(extra))


@dataclass(frozen=True)
class Wheel:
    filename: str
    data: bytes


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"sha256={digest}"


def package_files() -> dict[str, bytes]:
    """``{path in the wheel: bytes}`` for every file of the installed ``healthkit`` package.

    From a wheel install that is what the wheel put there; from a checkout, the files in the
    package folder (tests/test_install.py compares these with what the build backend packs).
    """
    root = Path(str(resources.files("healthkit")))
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or "__pycache__" in relative.parts or path.suffix in SKIPPED_SUFFIXES:
            continue
        if any(part.startswith(".") or part.endswith("~") for part in relative.parts):
            continue
        files[f"healthkit/{relative.as_posix()}"] = path.read_bytes()  # links are followed
    return files


def _dist_info(dist: metadata.Distribution) -> dict[str, bytes]:
    files = {
        # An egg-info (a source checkout on sys.path) calls its METADATA PKG-INFO.
        "METADATA": (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "").encode("utf-8"),
        "WHEEL": WHEEL_FILE.encode("utf-8"),
        "top_level.txt": b"healthkit\n",
    }
    entry_points = dist.read_text("entry_points.txt")
    if entry_points:
        files["entry_points.txt"] = entry_points.encode("utf-8")
    return files


def pack_wheel(name: str, version: str, dist_info: dict[str, bytes], files: dict[str, bytes] | None = None) -> Wheel:
    """A pure ``py3-none-any`` wheel of the healthkit package (or of ``files``, by path in the
    wheel) with the given ``.dist-info`` files (METADATA, WHEEL, ...); RECORD is added. The
    same files give the same bytes."""
    stem = f"{name.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    entries = dict(package_files() if files is None else files)
    entries.update({f"{info}/{file}": data for file, data in dist_info.items()})
    record = [f"{path},{_record_hash(data)},{len(data)}" for path, data in entries.items()] + [f"{info}/RECORD,,"]
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    return Wheel(f"{stem}-py3-none-any.whl", zip_entries(entries.items()))


@lru_cache(maxsize=1)
def wheel() -> Wheel | None:
    """A ``py3-none-any`` wheel of the installed healthkit, or None if it is not installed.

    Made from the package's own files and its installed metadata (name, version,
    dependencies, entry points), so it installs exactly the code that is running, whether
    healthkit was installed from a wheel or in editable mode from a checkout.
    """
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None
    return pack_wheel(DISTRIBUTION, dist.version, _dist_info(dist))


def extra_requirements(extra: str) -> list[str]:
    """What ``extra`` adds to the plain install (``lab`` includes ``build``)."""
    extras = ("build", "lab") if extra == "lab" else (extra,)
    plain = set(runtime_requirements(()))
    return [spec for spec in runtime_requirements(extras) if spec not in plain]


def runtime_requirements(extras: tuple[str, ...] = ("build", "lab")) -> list[str]:
    """The installed distribution's requirements for ``extras``, without markers or itself.

    e.g. ``["lxml>=5.0", ..., "jupyterlab>=4.0"]``: what an environment needs besides healthkit.
    """
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    wanted: list[str] = []
    for line in requires:
        spec, _, marker = line.partition(";")
        marker = marker.replace(" ", "").replace("'", '"')
        if marker and not any(marker == f'extra=="{extra}"' for extra in extras):
            continue
        name = spec.strip().replace(" ", "")
        if name.split("[", 1)[0].lower().replace("_", "-") == DISTRIBUTION or name in wanted:
            continue
        wanted.append(name)
    return wanted
