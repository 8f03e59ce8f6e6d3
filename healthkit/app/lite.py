"""A Lite site: the lessons in JupyterLab, running in the browser with no server and no network.

Plan, run, publish:

- *plan*: check the output folder may be replaced, and gather the pinned inputs (verified,
  downloaded into the user's cache if missing: see :mod:`healthkit.lite.inputs`);
- *run*, in a fresh staging folder beside the output: render the lessons exactly as
  ``healthkit build`` does (their ``content_dir`` is ``../content``, which the site ships),
  write the welcome page, lay out Pyodide with the wheels and a lock file naming exactly those
  wheels, then run JupyterLite's build (from the pinned wheels) and check the result;
- *publish*: swap the finished site into place (and zip it if asked).

Building into a fresh folder every time matters: JupyterLite's incremental build can keep a
stale ``jupyter-lite.json`` that lost the local Pyodide, and the kernel then silently waits
on a CDN.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import __version__
from ..content import iter_content_files
from ..content.loader import require_known
from ..errors import LiteError
from ..io import write_bytes_atomic, write_text_atomic, zip_folder
from ..lite import pins
from ..lite.check import KERNEL_PLUGIN, LOCK, MARKER, PYODIDE_DIR, check_site, site_size
from ..lite.inputs import Inputs, ensure_inputs, sha256_bytes
from ..lite.lock import Shipped, site_lock
from ..lite.welcome import WELCOME, WelcomeEntry, welcome_markdown
from ..lite.wheel import healthkit_wheel, unpack_labextensions, unpack_purelib
from .build import BuildOptions, BuildReport, Progress, build, describe
from .cache import CACHE_NAME

Log = Callable[[str], None]

#: The unzipped site must stay within this many bytes, 50 MB (source maps are never shipped).
SIZE_BUDGET = 50_000_000

#: JupyterLab settings for the site: open Markdown rendered, and ask nothing of the network.
SETTINGS_OVERRIDES = {
    "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


@dataclass(frozen=True)
class LiteOptions:
    out_dir: Path
    ids: tuple[str, ...] = ()
    content_dir: Path = Path("content")
    editions: tuple[str, ...] = ("learner",)
    region: str = ""
    template: Path | None = None
    jobs: int = 0
    title: str = "Health lessons"
    #: A local copy of Pyodide's npm tarball (or its unpacked folder) instead of downloading.
    pyodide: Path | None = None
    #: Never download: every input must already be in the cache.
    offline: bool = False
    zip: bool = False


@dataclass
class LiteReport:
    out_dir: Path
    lessons: BuildReport
    size: int = 0
    files: int = 0
    archive: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.lessons.ok


# -- plan ----------------------------------------------------------------------------------
def check_output(out: Path) -> None:
    """The output may be replaced only if it is absent, empty, or a site healthkit made."""
    if not out.exists():
        return
    if out.is_dir() and (not any(out.iterdir()) or (out / MARKER).is_file()):
        return
    raise LiteError("output", f"{out} exists and is not a Lite site made by healthkit; choose another folder or remove it")


# -- run -----------------------------------------------------------------------------------
def _sources(options: LiteOptions) -> dict[str, Path]:
    """The condition files to ship, by id (all of them when no ids are given)."""
    found = {p.stem: p for p in iter_content_files(options.content_dir)}
    require_known(options.ids, found)
    return {cid: found[cid] for cid in options.ids or tuple(found)}


def _lessons(options: LiteOptions, sources: dict[str, Path], files: Path, progress: Progress | None) -> BuildReport:
    """Render the lessons into the site's files, reading the content copied beside them."""
    content = files / "content"
    content.mkdir(parents=True)
    for path in sources.values():
        shutil.copy2(path, content / path.name)
    report = build(
        BuildOptions(
            content_dir=content, out_dir=files, ids=options.ids, editions=options.editions, region=options.region,
            template=options.template, jobs=options.jobs, html=True, force=True,
        ),
        progress,
    )
    (files / CACHE_NAME).unlink(missing_ok=True)
    return report


def _welcome(options: LiteOptions, files: Path, report: BuildReport) -> None:
    built = [r.condition for r in report.results if r.status == "built" and r.edition == options.editions[0]]
    entries = []
    for cid in built:
        info = describe(next((files / "content").glob(f"{cid}.*")))
        entries.append(WelcomeEntry(cid, info.title, info.tagline, info.minutes, info.grade, info.review))
    write_text_atomic(files / WELCOME, welcome_markdown(options.title, entries, options.editions))


def _pyodide(inputs: Inputs, lite: Path) -> list[str]:
    """Pyodide's core, the runtime wheels and healthkit's own, and the lock naming them."""
    target = lite / PYODIDE_DIR
    target.mkdir(parents=True)
    for name, data in inputs.pyodide.items():
        if name != LOCK.name:
            (target / name).write_bytes(data)
    shipped = []
    for wheel in pins.wheels("runtime"):
        shutil.copy2(inputs.wheel(wheel.name), target / wheel.filename)
        shipped.append(Shipped(wheel.name, wheel.version, wheel.filename, wheel.sha256, wheel.imports, wheel.depends))
    filename, data = healthkit_wheel(pins.HEALTHKIT_DEPENDS)
    (target / filename).write_bytes(data)
    shipped.append(Shipped("healthkit", __version__, filename, sha256_bytes(data), ("healthkit",), pins.HEALTHKIT_DEPENDS))
    lock = site_lock(json.loads(inputs.pyodide[LOCK.name]), shipped)
    (target / LOCK.name).write_text(json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8")
    return sorted(lock["packages"])


def _lite_config(options: LiteOptions, lite: Path) -> None:
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": options.title,
            "litePluginSettings": {KERNEL_PLUGIN: {"disablePyPIFallback": True}},
        },
    }
    (lite / "jupyter-lite.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (lite / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES, indent=2), encoding="utf-8")


def _tools(inputs: Inputs, stage: Path) -> tuple[Path, list[Path]]:
    """Unpack the site builder (JupyterLite) and the widget front ends from their wheels."""
    toolchain = stage / "toolchain"
    for wheel in pins.wheels("tool"):
        unpack_purelib(inputs.wheel(wheel.name), toolchain)
    extensions = stage / "labextensions"
    for wheel in pins.wheels("frontend"):
        unpack_labextensions(inputs.wheel(wheel.name), extensions)
    return toolchain, [extensions]


def _jupyterlite(lite: Path, site: Path, toolchain: Path, extensions: list[Path], stage: Path) -> None:
    """Run ``jupyter lite build`` from the pinned wheels, isolated from the user's Jupyter config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERLITE_")}
    env.update(
        PYTHONPATH=str(toolchain),
        JUPYTER_NO_CONFIG="1",
        JUPYTER_CONFIG_DIR=str(stage / "jupyter-config"),
        PYTHONWARNINGS="ignore",
    )
    command = [
        sys.executable, "-m", "jupyterlite_core", "build",
        "--lite-dir", str(lite), "--output-dir", str(site), "--contents", str(lite / "files"),
        "--apps", "lab", "--no-sourcemaps", "--no-unused-shared-packages", "--ignore-sys-prefix",
        *(f"--FederatedExtensionAddon.extra_labextensions_path={p}" for p in extensions),
    ]
    log = stage / "jupyterlite.log"
    with log.open("w", encoding="utf-8") as handle:
        done = subprocess.run(command, cwd=lite, env=env, stdout=handle, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-12:])
        raise LiteError("jupyterlite", f"'jupyter lite build' failed (status {done.returncode}):\n{tail}")


def _manifest(options: LiteOptions, report: BuildReport, packages: list[str]) -> str:
    return json.dumps(
        {
            "made_by": f"healthkit {__version__}",
            "lessons": sorted({r.condition for r in report.results if r.status == "built"}),
            "editions": list(options.editions),
            "pyodide": pins.PYODIDE.version,
            "jupyterlite": {w.name: w.version for w in pins.wheels("tool") if w.name.startswith("jupyterlite")},
            "kernel_packages": packages,
            "start": f"lab/index.html?path={WELCOME}",
        },
        indent=2,
    )


# -- publish -------------------------------------------------------------------------------
def _publish(site: Path, out: Path, stage: Path) -> None:
    """Put the finished site at ``out``, replacing a previous one (checked by check_output)."""
    if out.exists():
        check_output(out)  # again: it may have changed while the site was built
        os.replace(out, stage / "previous")
    os.replace(site, out)


def make_lite(options: LiteOptions, progress: Progress | None = None, log: Log = lambda _: None) -> LiteReport:
    """Build the Lite site into ``options.out_dir`` (and ``<out_dir>.zip`` if asked)."""
    started = time.perf_counter()
    out = options.out_dir
    check_output(out)
    sources = _sources(options)
    inputs = ensure_inputs(options.pyodide, options.offline, log)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        # Not "site": JupyterLite leaves out contents under a folder named like its output.
        lite, site = stage / "lite", stage / "lite-output"
        files = lite / "files"
        report = _lessons(options, sources, files, progress)
        if not any(r.status == "built" for r in report.results):
            return LiteReport(out, report, seconds=time.perf_counter() - started)
        _welcome(options, files, report)
        packages = _pyodide(inputs, lite)
        _lite_config(options, lite)
        toolchain, extensions = _tools(inputs, stage)
        log("assembling the site with JupyterLite")
        _jupyterlite(lite, site, toolchain, extensions, stage)
        problems = check_site(site)
        if problems:
            raise LiteError("check", "the built site would not work offline:\n- " + "\n- ".join(problems))
        write_text_atomic(site / MARKER, _manifest(options, report, packages))
        _publish(site, out, stage)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    size, count = site_size(out)
    archive = None
    if options.zip:
        archive = out.parent / f"{out.name}.zip"
        write_bytes_atomic(archive, zip_folder(out))
    return LiteReport(out, report, size, count, archive, time.perf_counter() - started)
