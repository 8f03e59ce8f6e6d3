"""Installs outside the checkout, as a new user would: the wheel, fresh venvs, lessons.zip.

The wheel is built once from the source files (as from a clean checkout), then installed
into fresh virtual environments of the oldest and newest supported Python found on the
machine (see tests/pythons.py; a missing one is skipped with a message). In each: the core
install runs ``healthkit check`` from a folder holding only ``content/<id>.yaml``, and
``healthkit build`` says which extra it needs; with ``[build]`` the build works, logs one
plain line per lesson to a file, and ``jupyter nbconvert --to healthkit`` writes an offline
page. Finally the ``lessons.zip`` that build made is unzipped and installed with its
README's commands, and one lesson executes in place. Nothing downloads: pip installs from
the wheelhouses scripts/run-tests prepares (``--no-index``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path
from typing import Iterator

import pytest

from healthkit.distribution import DISTRIBUTION, package_files, wheel

from . import pythons
from .conftest import ROOT, SEED
from .test_project import OTHER_HEALTHKIT

pytestmark = pytest.mark.slow

CDN = re.compile(r"cdn\.|unpkg\.com|jsdelivr|cdnjs|googleapis|require\.js|mathjax", re.I)
SOURCES = ("pyproject.toml", "README.md", "healthkit", "notebooks")


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built once by the real build backend from a copy of the source files."""
    root = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, root / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(out), str(root)],
        check=True, env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )
    (found,) = out.glob("*.whl")
    return found


def _metadata(archive: zipfile.ZipFile, name: str) -> str:
    (path,) = [n for n in archive.namelist() if n.endswith(f".dist-info/{name}")]
    return archive.read(path).decode()


def test_the_wheel_carries_every_runtime_file_and_registers_the_commands(built_wheel: Path) -> None:
    assert built_wheel.name.startswith("healthkit_lessons-") and built_wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(built_wheel) as archive:
        names = set(archive.namelist())
        for needed in ("healthkit/render/lesson.ipynb", "healthkit/condition.schema.json", "healthkit/py.typed",
                       "healthkit/widget/quiz.js", "healthkit/widget/quiz.css", "healthkit/lesson/lesson.css",
                       "healthkit/exporters/templates/healthkit/index.html.j2", "healthkit/exporters/templates/healthkit/runtime.js"):
            assert needed in names, needed
        # The packaged template is a copy of the one editable source at the top level.
        assert archive.read("healthkit/render/lesson.ipynb") == (ROOT / "notebooks" / "lesson.ipynb").read_bytes()
        meta = Parser().parsestr(_metadata(archive, "METADATA"))
        entry_points = _metadata(archive, "entry_points.txt")
    assert meta["Name"] == DISTRIBUTION
    requires = meta.get_all("Requires-Dist") or []
    assert not [r for r in requires if r.startswith(("textstat", "setuptools")) and "extra" not in r]
    assert not [r for r in requires if r.startswith("jupyterlab") and "extra" not in r]  # JupyterLab is the [lab] extra
    assert "[console_scripts]\nhealthkit = healthkit.cli:main" in entry_points
    assert "[nbconvert.exporters]\nhealthkit = healthkit.exporters.html:LessonHTMLExporter" in entry_points


def test_bundles_carry_the_same_package_as_the_wheel(built_wheel: Path) -> None:
    """lessons.zip repacks the running healthkit; it must hold what the build backend puts in a wheel."""
    with zipfile.ZipFile(built_wheel) as archive:
        built = {n: archive.read(n) for n in archive.namelist() if n.startswith("healthkit/")}
    assert package_files() == built
    repacked = wheel()
    assert repacked is not None and repacked.filename == built_wheel.name


# -- fresh virtual environments ------------------------------------------------------------
def _env(venv: Path, wheelhouse: Path, home: Path) -> dict[str, str]:
    """A clean environment: this venv first on PATH, pip offline, Jupyter's dirs private."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "JUPYTER", "CONDA", "HEALTHKIT"))}
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not p.startswith(sys.prefix)]
    return {
        **keep,
        "PATH": os.pathsep.join([str(venv / "bin"), *path]),
        "VIRTUAL_ENV": str(venv),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_COMPILE": "false",  # no .pyc for every installed module: faster, same behaviour
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
    }


def _run(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def _python(version: str) -> pythons.Python:
    found = pythons.find(version)
    if found is None:
        pytest.skip(f"Python {version} not found (looked in {pythons.PYENV} and on PATH); install test skipped")
    if not (found.wheelhouse / ".requirements").is_file():
        pytest.fail(f"no wheelhouse for Python {version}: run 'python -m tests.pythons prepare' (scripts/run-tests does)")
    return found


@dataclass(frozen=True)
class Run:
    """What one install run made, and how long it took."""

    folder: Path
    seconds: float


def _smoke(python: pythons.Python, built_wheel: Path, tmp: Path) -> Run:
    """The wheel in a fresh venv of ``python``, used from a folder holding only a content file."""
    started = time.perf_counter()
    venv = tmp / "venv"
    subprocess.run([str(python.executable), "-m", "venv", str(venv)], check=True)
    env = _env(venv, python.wheelhouse, tmp / "jupyter")
    work = tmp / "course"
    (work / "content").mkdir(parents=True)
    shutil.copy2(SEED, work / "content" / SEED.name)

    # The core install: enough for content CI.
    _run([str(venv / "bin" / "pip"), "install", "--quiet", str(built_wheel)], work, env)
    check = _run(["healthkit", "check"], work, env)
    assert "back-spasms" in check.stdout and "0 error(s)" in check.stdout
    missing = _run(["healthkit", "build"], work, env, check=False)
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr
    # The command it names works as given (healthkit is on no index: it names the extra's own packages).
    hint = missing.stderr.rsplit("run: ", 1)[1].strip()
    assert hint.startswith("pip install ") and "healthkit-lessons" not in hint and '"nbconvert' in hint
    _run(["bash", "-c", hint + " --quiet"], work, env)

    # With [build]: lessons, offline pages and the nbconvert exporter.
    _run([str(venv / "bin" / "pip"), "install", "--quiet", f"{built_wheel}[build]"], work, env)
    log = tmp / "build.log"
    with open(log, "w") as stderr:
        build = subprocess.run(["healthkit", "build"], cwd=work, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=600)
    text = log.read_text()
    assert build.returncode == 0, build.stdout + text
    assert "\r" not in text and "\x1b" not in text
    assert "back-spasms [learner]: built" in text
    for built in ("build/lessons/back-spasms.ipynb", "build/site/back-spasms.html", "build/site/index.html", "build/site/lessons.zip"):
        assert (work / built).is_file(), built

    _run(["jupyter", "nbconvert", "--to", "healthkit", "build/lessons/back-spasms.ipynb", "--output-dir", "export"], work, env)
    page = (work / "export" / "back-spasms.html").read_text()
    assert "default-src 'none'" in page and 'id="hk-data"' in page
    assert not CDN.search(page), CDN.search(page)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=\"https?:", page)
    assert '"esm"' in page  # the quizzes' own code travels in the page
    return Run(work, time.perf_counter() - started)


def _bundle(python: pythons.Python, archive: Path, tmp: Path) -> Run:
    """Unzip lessons.zip, install it with its README's commands, execute one lesson in place."""
    started = time.perf_counter()
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp / "unzipped")
    folder = tmp / "unzipped" / "healthkit-lessons"
    readme = (folder / "README.txt").read_text()
    assert not OTHER_HEALTHKIT.search(readme)
    for command in ("python3 -m venv .venv", "pip install -r requirements.txt", "jupyter lab", "conda env create -f environment.yml"):
        assert command in readme, command
    (wheel_name,) = [p.name for p in folder.glob("*.whl")]
    assert f"./{wheel_name}[lab]" in (folder / "requirements.txt").read_text().splitlines()
    assert f"./{wheel_name}[lab]" in (folder / "environment.yml").read_text()

    env = _env(folder / ".venv", python.wheelhouse, tmp / "jupyter")
    _run([str(python.executable), "-m", "venv", ".venv"], folder, env)  # README: python3 -m venv .venv
    _run(["pip", "install", "--quiet", "-r", "requirements.txt"], folder, env)  # after activating .venv
    assert _run(["jupyter", "lab", "--version"], folder, env).stdout.strip()
    lesson = folder / "build" / "lessons" / "back-spasms.ipynb"
    _run(["jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", str(lesson.relative_to(folder))], folder, env)
    nb = json.loads(lesson.read_text())
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert len([o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]) == 10
    return Run(folder, time.perf_counter() - started)


def _ready(python: pythons.Python | None) -> bool:
    return python is not None and (python.wheelhouse / ".requirements").is_file()


@pytest.fixture(scope="module")
def runs(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Run]]]:
    """Every install run, started at once: each mostly waits on pip or a kernel, so the two
    Pythons' smoke tests overlap, and lessons.zip is installed as soon as the newest built it."""
    futures: dict[str, Future[Run]] = {}
    with ThreadPoolExecutor(max_workers=3) as pool:
        for version in (pythons.OLDEST, pythons.NEWEST):
            python = pythons.find(version)
            if python is not None and _ready(python):
                futures[version] = pool.submit(_smoke, python, built_wheel, tmp_path_factory.mktemp(f"py{version}"))
        bundler = pythons.bundle_python()
        if _ready(bundler):
            made_by = futures.get(bundler.version)

            def bundle() -> Run:
                archive = (made_by.result().folder / "build" / "site" / "lessons.zip") if made_by else _lessons_zip_built_here(tmp_path_factory.mktemp("here"))
                return _bundle(bundler, archive, tmp_path_factory.mktemp("bundle"))

            futures["bundle"] = pool.submit(bundle)
        yield futures
        for future in futures.values():
            future.cancel()


@pytest.mark.parametrize("version", [pythons.OLDEST, pythons.NEWEST])
def test_wheel_works_in_a_fresh_venv_from_an_empty_folder(version: str, runs: dict[str, Future[Run]]) -> None:
    _python(version)  # skipped with a message if this Python is missing
    run = runs[version].result()
    print(f"\nsmoke test, Python {version}: {run.seconds:.1f}s")


def test_lessons_zip_installs_with_its_readme_commands_and_a_lesson_runs(runs: dict[str, Future[Run]]) -> None:
    python = pythons.bundle_python()
    if not _ready(python):
        pytest.fail(f"no wheelhouse for Python {python.version}: run 'python -m tests.pythons prepare' (scripts/run-tests does)")
    run = runs["bundle"].result()
    print(f"\nlessons.zip installed and a lesson run, Python {python.version}: {run.seconds:.1f}s")


def _lessons_zip_built_here(tmp_path: Path) -> Path:
    """lessons.zip from a build in this process, when no smoke test made one."""
    from healthkit.app.build import BuildOptions, build

    content = tmp_path / "course" / "content"
    content.mkdir(parents=True)
    shutil.copy2(SEED, content / SEED.name)
    report = build(BuildOptions(content_dir=content, out_dir=tmp_path / "course" / "build", jobs=1))
    assert report.ok, report.results
    return tmp_path / "course" / "build" / "site" / "lessons.zip"


def test_bundle_install_files_and_workshop_readme(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    from healthkit import load_condition
    from healthkit.app.install import write_install_files
    from healthkit.app.workshop import participant_readme

    from .test_project import runtime_dependencies

    built = wheel()
    assert built is not None
    written = write_install_files(tmp_path)
    assert sorted(p.name for p in written) == sorted([built.filename, "environment.yml", "requirements.txt"])
    assert (tmp_path / built.filename).read_bytes() == built.data
    lines = [line for line in (tmp_path / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == [f"./{built.filename}[lab]"]
    env = YAML(typ="safe").load((tmp_path / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = {d.split(">")[0].split("=")[0]: d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))}
    assert conda == {name: spec for name, spec in runtime_dependencies().items()}
    assert [d for d in env["dependencies"] if isinstance(d, dict)] == [{"pip": [f"./{built.filename}[lab]"]}]

    readme = participant_readme("Workshop", [load_condition(SEED)])
    for command in ("python3 -m venv .venv", "pip install -r requirements.txt", "conda env create -f environment.yml", "jupyter lab"):
        assert command in readme, command
    assert "`lessons/`" in readme and not OTHER_HEALTHKIT.search(readme)
