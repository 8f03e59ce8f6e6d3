"""Interpreters and offline wheelhouses for the install tests (tests/test_install.py).

The install tests put the healthkit wheel into fresh virtual environments of the oldest and
the newest supported Python found on the machine (pyenv's, or on PATH), and install a
``lessons.zip`` with the commands of its README. Tests never download: scripts/run-tests
calls ``python -m tests.pythons prepare`` first, which fills one wheelhouse per interpreter
(``<venv>/wheelhouse/pyX.Y``) with healthkit's dependencies, once per change of them; the
tests then install with ``--no-index``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The oldest and newest Python healthkit supports; the smoke test runs under both.
OLDEST, NEWEST = "3.10", "3.13"
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
WHEELHOUSES = Path(sys.prefix) / "wheelhouse"


@dataclass(frozen=True)
class Python:
    version: str  # "3.13"
    executable: Path

    @property
    def wheelhouse(self) -> Path:
        return WHEELHOUSES / f"py{self.version}"


def _version_of(executable: Path) -> str | None:
    try:
        out = subprocess.run(
            [str(executable), "-c", "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def find(version: str) -> Python | None:
    """An interpreter of ``version`` ("3.10") with venv and ensurepip: pyenv's newest patch
    release first, then ``pythonX.Y`` on PATH (outside any virtual environment)."""
    candidates = sorted(PYENV.glob(f"{version}.*/bin/python{version}"), key=lambda p: [int(x) for x in p.parts[-3].split(".") if x.isdigit()], reverse=True)
    on_path = shutil.which(f"python{version}", path=os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix)))
    if on_path:
        candidates.append(Path(on_path))
    for executable in candidates:
        if _version_of(executable) == version:
            return Python(version, executable)
    return None


def base() -> Python:
    """The interpreter the test suite's own venv was made from."""
    executable = Path(getattr(sys, "_base_executable", sys.executable))
    return Python("%d.%d" % sys.version_info[:2], executable)


def bundle_python() -> Python:
    """Who installs ``lessons.zip`` in the tests: the newest supported Python, else our own."""
    return find(NEWEST) or base()


def requirements(extra: str) -> list[str]:
    """healthkit's dependencies with ``extra`` (and what it includes), from its installed metadata."""
    from healthkit.distribution import runtime_requirements

    return runtime_requirements(("build", "lab") if extra == "lab" else (extra,))


def needed() -> dict[Python, str]:
    """Each interpreter the install tests use, with the extra it installs."""
    wanted: dict[Python, str] = {}
    for version in (OLDEST, NEWEST):
        found = find(version)
        if found is not None:
            wanted[found] = "build"
    wanted[bundle_python()] = "lab"
    return wanted


def prepare(python: Python, extra: str) -> bool:
    """Fill ``python``'s wheelhouse with healthkit's dependencies; False if it was up to date."""
    reqs = requirements(extra)
    stamp = python.wheelhouse / ".requirements"
    key = hashlib.sha256("\n".join([str(python.executable), *reqs]).encode()).hexdigest()
    if stamp.is_file() and stamp.read_text() == key:
        return False
    python.wheelhouse.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(reqs) + "\n")
    try:
        subprocess.run(
            [str(python.executable), "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
             "--wheel-dir", str(python.wheelhouse), "-r", handle.name],
            check=True,
        )
    finally:
        os.unlink(handle.name)
    stamp.write_text(key)
    return True


def main(argv: list[str]) -> int:
    if argv != ["prepare"]:
        print("usage: python -m tests.pythons prepare", file=sys.stderr)
        return 2
    for version in (OLDEST, NEWEST):
        if find(version) is None:
            print(f"Python {version} not found (looked in {PYENV} and on PATH): its install test will be skipped", file=sys.stderr)
    for python, extra in needed().items():
        if prepare(python, extra):
            print(f"wheels for Python {python.version} ({python.executable}) in {python.wheelhouse}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
