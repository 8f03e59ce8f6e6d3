"""A Lite site: the lessons in JupyterLab, running in the browser with no server and no network.

Plan, run, publish:

- *plan*: check, before any work, the output folder (absent, empty, or a site healthkit made;
  any other folder only with ``force``), the zip's name, and the content (each file where it
  is, see :mod:`.sources`), then gather the pinned inputs (verified, downloaded into the
  user's cache if missing: see :mod:`healthkit.lite.inputs`);
- *run*, in a fresh staging folder beside the output: render the lessons exactly as
  ``healthkit build`` does (their ``content_dir`` is ``../content``, which the site ships),
  write the welcome page, lay out Pyodide with the wheels and a lock file naming exactly those
  wheels, then run JupyterLite's build (from the pinned wheels), replace its ``index.html``
  with one that opens the welcome page (see :mod:`healthkit.lite.start`), and check the result;
- *publish*, only when every lesson built: move the site's files in by the rule of
  :mod:`.owned` (the marker, ``healthkit-lite.json``, records each file's digest: a file
  someone changed since is kept, with a warning, unless ``force``; files someone added are
  left alone; files of the previous site this one does not have are deleted), and zip it if
  asked (exactly the site this run made).

Building into a fresh folder every time matters: JupyterLite's incremental build can keep a
stale ``jupyter-lite.json`` that lost the local Pyodide, and the kernel then silently waits
on a CDN.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Mapping

from .. import __version__
from ..errors import LiteError
from ..io import refuse_overwrite, remove_stale_staging, staging_folder, write_bytes_atomic, write_text_atomic, zip_entries
from ..lite import pins
from ..lite.check import KERNEL_PLUGIN, LOCK, MARKER, PYODIDE_DIR, check_site
from ..lite.inputs import Inputs, ensure_inputs, sha256_bytes
from ..lite.lock import Shipped, site_lock
from ..lite.start import START, start_page
from ..lite.welcome import WELCOME, WelcomeEntry, welcome_markdown
from ..lite.wheel import healthkit_wheel, unpack_labextensions, unpack_purelib
from ..registry import DEFAULT_COURSE_TITLE
from .build import BuildOptions, BuildReport, Progress, build, file_info
from .cache import CACHE_NAME
from .outputs import check_pack_dir
from .owned import ManifestError, Owned, digests, foreign, foreign_warning, manifest_text, place, read_json, read_owned
from .sources import Sources, check_sources, copy_sources

Log = Callable[[str], None]

#: The unzipped site must stay within this many bytes, 50 MB (source maps are never shipped).
SIZE_BUDGET = 50_000_000

#: JupyterLab settings for the site: open Markdown rendered, and ask nothing of the network.
SETTINGS_OVERRIDES = {
    "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


#: ``jupyter lite build`` takes a few seconds; one that runs this long is stuck.
JUPYTERLITE_TIMEOUT = 600


@dataclass(frozen=True)
class LiteOptions:
    out_dir: Path
    #: The folder of condition files (the command line's ``--content``, default ``content``).
    content_dir: Path
    ids: tuple[str, ...] = ()
    editions: tuple[str, ...] = ("learner",)
    region: str = ""
    template: Path | None = None
    jobs: int = 0
    title: str = DEFAULT_COURSE_TITLE
    #: A local copy of Pyodide's npm tarball (or its unpacked folder) instead of downloading.
    pyodide: Path | None = None
    #: Never download: every input must already be in the cache.
    offline: bool = False
    zip: bool = False
    #: Build into a folder that is not empty (its other files are left alone), replace files
    #: of the site that were changed since the last run, and replace an existing zip.
    force: bool = False


@dataclass
class LiteReport:
    out_dir: Path
    lessons: BuildReport
    size: int = 0
    files: int = 0
    archive: Path | None = None
    seconds: float = 0.0
    #: Whether the site was written (only when every lesson built).
    published: bool = False
    #: Files kept or left alone in the folder, and why.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lessons.ok and self.published


def zip_path(out: Path) -> Path:
    """``build/lite`` -> ``build/lite.zip``."""
    return out.parent / f"{out.name}.zip"


# -- plan ----------------------------------------------------------------------------------
def check_output(out: Path, force: bool = False) -> None:
    """The output may be written only if it is absent, empty, or a site healthkit made
    (any other folder with ``force``, leaving its other files alone)."""
    if not out.exists():
        return
    if out.is_dir() and (force or not any(out.iterdir()) or (out / MARKER).is_file()):
        return
    raise LiteError("output", f"{out} exists and is not a Lite site made by healthkit; choose another folder, or pass --force to build the site into it (its other files are left alone)")


@dataclass(frozen=True)
class LitePlan:
    sources: Sources
    #: What the previous site recorded in its marker.
    owned: Owned
    #: A marker of an older healthkit, which recorded no files: the site it names was made
    #: whole by healthkit, so its files at the new site's paths are replaced.
    legacy: bool
    archive: Path | None


def plan(options: LiteOptions) -> LitePlan:
    """Everything that could stop the build, checked before any work."""
    out = options.out_dir
    check_pack_dir(out, options.content_dir)
    check_output(out, options.force)
    archive = zip_path(out) if options.zip else None
    if archive is not None:
        refuse_overwrite(archive, options.force)
    sources = check_sources(options.content_dir, options.ids)
    try:
        legacy = (out / MARKER).is_file() and "files" not in read_json(out / MARKER)
    except ManifestError:
        legacy = False
    return LitePlan(sources, read_owned(out / MARKER), legacy, archive)


# -- run -----------------------------------------------------------------------------------
def _lessons(options: LiteOptions, sources: Sources, files: Path, progress: Progress | None) -> BuildReport:
    """Render the lessons into the site's files, reading the content copied beside them."""
    content = files / "content"
    content.mkdir(parents=True)
    copy_sources(sources, content)
    report = build(
        BuildOptions(
            content_dir=content, out_dir=files, ids=sources.ids, editions=options.editions, region=options.region,
            template=options.template, jobs=options.jobs, html=True, force=True,
        ),
        progress,
    )
    (files / CACHE_NAME).unlink(missing_ok=True)
    return report


def _welcome(options: LiteOptions, files: Path, sources: Sources) -> None:
    entries = []
    for condition in sources.conditions:
        info = file_info(condition)
        entries.append(WelcomeEntry(condition.id, info.title, info.tagline, info.minutes, info.grade, info.review))
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


#: ``python -c WATCHED PID MODULE ARGS...`` runs ``python -m MODULE ARGS...`` so that it ends
#: with the process PID that started it, even one killed at once (``kill -9``): a thread
#: watches the parent and, once it is gone, kills the command's own session (:func:`run_watched`
#: starts it in a session of its own).
WATCHED = """\
import os, runpy, signal, sys, threading, time
parent = int(sys.argv.pop(1))
module = sys.argv.pop(1)
def watch():
    while os.getppid() == parent:
        time.sleep(0.1)
    os.killpg(0, signal.SIGKILL)
threading.Thread(target=watch, daemon=True).start()
sys.argv[0] = module
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def run_watched(command: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float) -> int:
    """Run ``command`` in a session of its own, output to ``log``; returns its exit status.

    However this returns (an error, Ctrl-C, SIGTERM turned into ``SystemExit`` by the command
    line, the timeout), the command and everything it started are killed first.
    """
    with log.open("w", encoding="utf-8") as handle:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        return child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LiteError("jupyterlite", f"'jupyter lite build' did not finish in {timeout:.0f} s") from None
    finally:
        if child.poll() is None:
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            child.wait()


def _jupyterlite(lite: Path, site: Path, toolchain: Path, extensions: list[Path], stage: Path) -> None:
    """Run ``jupyter lite build`` from the pinned wheels, isolated from the user's Jupyter config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERLITE_")}
    scratch = stage / "tmp"  # its temporary folders ("jupyter-clean-cfg-*") go with the stage
    scratch.mkdir(exist_ok=True)
    env.update(
        PYTHONPATH=str(toolchain),
        JUPYTER_NO_CONFIG="1",
        JUPYTER_CONFIG_DIR=str(stage / "jupyter-config"),
        PYTHONWARNINGS="ignore",
        TMPDIR=str(scratch),
        TEMP=str(scratch),
        TMP=str(scratch),
    )
    command = [
        sys.executable, "-c", WATCHED, str(os.getpid()), "jupyterlite_core", "build",
        "--lite-dir", str(lite), "--output-dir", str(site), "--contents", str(lite / "files"),
        "--apps", "lab", "--no-sourcemaps", "--no-unused-shared-packages", "--ignore-sys-prefix",
        *(f"--FederatedExtensionAddon.extra_labextensions_path={p}" for p in extensions),
    ]
    log = stage / "jupyterlite.log"
    status = run_watched(command, lite, env, log, JUPYTERLITE_TIMEOUT)
    if status != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-12:])
        raise LiteError("jupyterlite", f"'jupyter lite build' failed (status {status}):\n{tail}")


def _about(options: LiteOptions, sources: Sources, packages: list[str]) -> dict[str, Any]:
    """What the marker says about the site, besides its files."""
    return {
        "made_by": f"healthkit {__version__}",
        "lessons": sorted(sources.ids),
        "editions": list(options.editions),
        "pyodide": pins.PYODIDE.version,
        "jupyterlite": {w.name: w.version for w in pins.wheels("tool") if w.name.startswith("jupyterlite")},
        "kernel_packages": packages,
        "start": START,
    }


def _run(options: LiteOptions, sources: Sources, inputs: Inputs, stage: Path, progress: Progress | None, log: Log) -> tuple[BuildReport, Path, dict[str, Any]]:
    """Build the site in ``stage``; returns the lessons' report, the site and its marker's
    description (the site is only complete when every lesson built)."""
    # Not "site": JupyterLite leaves out contents under a folder named like its output.
    lite, site = stage / "lite", stage / "lite-output"
    files = lite / "files"
    report = _lessons(options, sources, files, progress)
    if not report.ok:
        return report, site, {}
    _welcome(options, files, sources)
    packages = _pyodide(inputs, lite)
    _lite_config(options, lite)
    toolchain, extensions = _tools(inputs, stage)
    log("assembling the site with JupyterLite")
    _jupyterlite(lite, site, toolchain, extensions, stage)
    (site / "index.html").write_text(start_page(options.title), encoding="utf-8")
    problems = check_site(site)
    if problems:
        raise LiteError("check", "the built site would not work offline:\n- " + "\n- ".join(problems))
    return report, site, _about(options, sources, packages)


# -- publish -------------------------------------------------------------------------------
def _site_files(site: Path) -> list[str]:
    """Every file of the built site (links are never followed, and JupyterLite makes none)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and not p.is_symlink())


def _publish(options: LiteOptions, planned: LitePlan, site: Path, about: dict[str, Any], report: LiteReport) -> None:
    out = options.out_dir
    names = _site_files(site)
    new = digests(site, names)
    marker = manifest_text(new, **about)
    report.size = sum((site / name).stat().st_size for name in names) + len(marker.encode())
    report.files = len(names) + 1
    archive = None
    if planned.archive is not None:  # exactly the site this run made
        archive = zip_entries([*((f"{out.name}/{name}", site / name) for name in names), (f"{out.name}/{MARKER}", marker.encode())])

    def record(files: Mapping[str, Collection[str]]) -> None:
        write_text_atomic(out / MARKER, manifest_text(files, **about))

    placed = place(site, new, out, planned.owned, options.force or planned.legacy, record)
    report.published = True
    report.warnings += placed.warnings + foreign_warning(out, foreign(out, new, skip={MARKER}))
    if archive is not None and planned.archive is not None:
        write_bytes_atomic(planned.archive, archive)
        report.archive = planned.archive


def make_lite(options: LiteOptions, progress: Progress | None = None, log: Log = lambda _: None) -> LiteReport:
    """Build the Lite site into ``options.out_dir`` (and ``<out_dir>.zip`` if asked).

    When a lesson fails, no site is written (the report's lessons say why).
    """
    started = time.perf_counter()
    out = options.out_dir
    planned = plan(options)
    inputs = ensure_inputs(options.pyodide, options.offline, log)
    target = Path(os.path.realpath(out))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    stage = staging_folder(target)
    try:
        lessons, site, about = _run(options, planned.sources, inputs, stage, progress, log)
        report = LiteReport(out, lessons)
        if lessons.ok:
            _publish(options, planned, site, about, report)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report
