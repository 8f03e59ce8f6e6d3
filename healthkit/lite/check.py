"""Check a built Lite site: everything the kernel loads is inside it, and nothing is remote.

JupyterLite's own build can succeed and still leave a site that reaches for the network (for
example a ``jupyter-lite.json`` that lost ``pyodideUrl`` falls back to a CDN and hangs
offline). These checks read the finished folder the way the browser will.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .inputs import sha256_of

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
PYODIDE_DIR = Path("static") / "pyodide"
LOCK = PYODIDE_DIR / "pyodide-lock.json"
MARKER = "healthkit-lite.json"


def kernel_settings(site: Path) -> dict[str, Any]:
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))
    settings: dict[str, Any] = config.get("jupyter-config-data", {}).get("litePluginSettings", {}).get(KERNEL_PLUGIN, {})
    return settings


def _local(site: Path, url: str) -> Path | None:
    """The file a site-relative URL points at, or None for anything that leaves the site."""
    if not url.startswith("./"):
        return None
    return site / url[2:].split("?", 1)[0].split("#", 1)[0]


def _remote_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if "://" in value or value.startswith("//") else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _remote_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _remote_strings(v)]
    return []


def _check_kernel(site: Path, settings: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    url = settings.get("pyodideUrl", "")
    target = _local(site, url) if url else None
    if target is None or not target.is_file():
        problems.append(f"pyodideUrl is {url!r}: the kernel would load Python from outside the site")
    if settings.get("disablePyPIFallback") is not True:
        problems.append("disablePyPIFallback is not set: a missing package would be fetched from PyPI")
    for piplite in settings.get("pipliteUrls", []):
        found = _local(site, piplite)
        if found is None or not found.is_file():
            problems.append(f"pipliteUrls has {piplite!r}, which is not a file in the site")
    return problems


def _check_lock(site: Path) -> list[str]:
    lock_path = site / LOCK
    if not lock_path.is_file():
        return [f"{LOCK} is missing"]
    problems = []
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    for name, entry in lock.get("packages", {}).items():
        wheel = lock_path.parent / entry["file_name"]
        if not wheel.is_file():
            problems.append(f"{LOCK} lists {name} but {wheel.relative_to(site)} is missing")
        elif sha256_of(wheel) != entry["sha256"]:
            problems.append(f"{wheel.relative_to(site)} does not match its SHA-256 in {LOCK}")
    if "healthkit" not in lock.get("packages", {}):
        problems.append(f"{LOCK} has no healthkit entry: lessons could not import healthkit")
    return problems


def check_site(site: Path) -> list[str]:
    """Problems that would make the site fail offline; an empty list means none were found."""
    if not (site / "jupyter-lite.json").is_file():
        return ["jupyter-lite.json is missing: not a JupyterLite site"]
    settings = kernel_settings(site)
    problems = _check_kernel(site, settings) + _check_lock(site)
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8")).get("jupyter-config-data", {})
    for key in ("litePluginSettings", "federated_extensions"):
        problems += [f"{key} points outside the site: {s}" for s in _remote_strings(config.get(key))]
    return problems


def site_size(site: Path) -> tuple[int, int]:
    """Bytes and number of files in the folder."""
    files = [p for p in site.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)
