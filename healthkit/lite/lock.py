"""Pyodide's lock file for a Lite site: exactly the wheels the site ships.

Pyodide loads a package named in its lock file (``pyodide-lock.json``) from the folder the
lock sits in, checking the file's SHA-256 against the lock. The kernel asks for its own
packages by name, and a cell's imports are matched against each entry's ``imports``, so a
lesson's ``from healthkit.lesson import ...`` loads healthkit and what it ``depends`` on with
no install step. Entries for anything not shipped are dropped: a missing package then fails
at once with "no module named ...", instead of a request that never answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..errors import LiteError


def canonical(name: str) -> str:
    """PEP 503 normalised name, as the lock's keys are written."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Shipped:
    """One wheel placed beside the lock file."""

    name: str
    version: str
    filename: str
    sha256: str
    imports: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()


def _entry(base: Mapping[str, Any] | None, wheel: Shipped) -> dict[str, Any]:
    if base is not None:
        if base.get("version") != wheel.version:
            raise LiteError(
                "lock",
                f"{wheel.filename}: Pyodide's lock has {wheel.name} {base.get('version')}; pin that version "
                "in healthkit/lite/pins.py",
            )
        return {**base, "file_name": wheel.filename, "sha256": wheel.sha256}
    if not wheel.imports:
        raise LiteError("lock", f"{wheel.name} is not in Pyodide's lock: give its imports in healthkit/lite/pins.py")
    return {
        "name": wheel.name,
        "version": wheel.version,
        "file_name": wheel.filename,
        "install_dir": "site",
        "sha256": wheel.sha256,
        "package_type": "package",
        "imports": list(wheel.imports),
        "depends": [canonical(d) for d in wheel.depends],
        "unvendored_tests": False,
    }


def site_lock(pyodide_lock: Mapping[str, Any], shipped: Iterable[Shipped]) -> dict[str, Any]:
    """The lock for the site: Pyodide's ``info``, and one entry per shipped wheel."""
    known: Mapping[str, Any] = pyodide_lock.get("packages", {})
    packages: dict[str, Any] = {}
    for wheel in shipped:
        key = canonical(wheel.name)
        packages[key] = _entry(known.get(key), wheel)
    for key, entry in packages.items():
        for dep in entry.get("depends", []):
            if canonical(dep) not in packages:
                raise LiteError("lock", f"{key} needs {dep}, which the site does not ship; add it to healthkit/lite/pins.py")
    return {**pyodide_lock, "packages": dict(sorted(packages.items()))}


def closure(lock: Mapping[str, Any], names: Iterable[str]) -> set[str]:
    """Lock names that loading ``names`` brings in (themselves and what they depend on)."""
    packages = lock["packages"]
    todo = [canonical(n) for n in names]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [canonical(d) for d in packages[name].get("depends", [])]
    return seen
