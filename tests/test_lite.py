"""``healthkit lite``: pinned inputs, Pyodide's lock, healthkit's wheel, the site, the server,
and a lesson run end to end in headless Chromium with no request leaving the machine.

Nothing here downloads: scripts/_setup.sh runs ``healthkit lite --download-only`` before the
tests, and every build below passes ``--offline``, which fails rather than download.

In the browser test the site is served with ``healthkit lite --serve``, as the README says.
Every request that does not go to the local server is aborted and counted; there must be
none. The learner opens the welcome page, follows the link to the lesson, runs all cells,
answers one question wrong and one right, reads the feedback, then asks the browser's Python
for ``lesson.score`` and checks that installing an unshipped package fails without a request.
With ``$HEALTHKIT_LITE_TIMINGS`` naming a file, each run appends its kernel-ready and Run-All
times to it (docs/benchmarks.md quotes the median of several runs); nothing is written
otherwise. scripts/update-screenshots retakes docs/img/lite-lesson.png with it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

import nbformat
import pytest
from playwright.sync_api import expect

from healthkit.app.lite import SIZE_BUDGET, check_output
from healthkit.app.owned import digest_file
from healthkit.app.workshop import WorkshopOptions, make_workshop
from healthkit.cli import main
from healthkit.errors import LiteError
from healthkit.lesson import open_lesson
from healthkit.lesson.render import PENDING_NOTICE
from healthkit.lite import pins
from healthkit.lite.check import LOCK, MARKER, check_site, kernel_settings, site_size
from healthkit.lite.inputs import downloads_dir, ensure_inputs, ensure_pyodide, ensure_wheels
from healthkit.lite.lock import Shipped, canonical, closure, site_lock
from healthkit.lite.serve import make_server, start_url
from healthkit.lite.wheel import LESSON_MODULES, healthkit_wheel

from .browser import chromium, free_port, save_screenshot
from .conftest import ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"


def _offline_inputs() -> Any:
    return ensure_inputs(offline=True)


# -- pins and inputs -------------------------------------------------------------------------
def test_pins_are_exact_and_well_formed() -> None:
    for wheel in pins.WHEELS.values():
        assert re.fullmatch(r"[0-9a-f]{64}", wheel.sha256), wheel.name
        assert wheel.filename.endswith(("-py3-none-any.whl", "-py2.py3-none-any.whl")), "pure wheels only"
        assert canonical(wheel.filename.split("-")[0]) == canonical(wheel.name)
        assert f"-{wheel.version}-" in wheel.filename
        assert wheel.roles
    assert {w.name for w in pins.wheels("tool")} >= {"jupyterlite-core", "jupyterlite-pyodide-kernel"}
    assert pins.PYODIDE.version in pins.PYODIDE.url and len(pins.PYODIDE.files) >= 4


def test_pyodide_version_is_the_one_the_kernel_expects() -> None:
    wheel = downloads_dir() / pins.WHEELS["jupyterlite-pyodide-kernel"].filename
    with zipfile.ZipFile(wheel) as z:
        constants = z.read("jupyterlite_pyodide_kernel/constants.py").decode()
    assert f'PYODIDE_VERSION = "{pins.PYODIDE.version}"' in constants


def test_cached_inputs_verify_and_a_corrupt_file_is_refused(tmp_path: Path) -> None:
    inputs = _offline_inputs()
    assert set(inputs.wheels) == set(pins.WHEELS)
    assert set(inputs.pyodide) == set(pins.PYODIDE.files)
    # A cache holding a wrong file: offline, it is dropped and reported as missing.
    cache = tmp_path / "cache"
    (downloads_dir(cache)).mkdir(parents=True)
    victim = pins.WHEELS["comm"]
    shutil.copy2(inputs.wheel("comm"), downloads_dir(cache) / victim.filename)
    (downloads_dir(cache) / victim.filename).write_bytes(b"not a wheel")
    with pytest.raises(LiteError, match="--download-only") as err:
        ensure_wheels(offline=True, log=lambda _: None, root=cache)
    assert victim.filename in str(err.value)
    assert not (downloads_dir(cache) / victim.filename).exists()


def test_local_pyodide_copy_is_checked_file_by_file(tmp_path: Path) -> None:
    tarball = downloads_dir() / Path(pins.PYODIDE.url).name
    assert ensure_pyodide(tarball, offline=True, log=lambda _: None).keys() == pins.PYODIDE.files.keys()
    folder = tmp_path / "pyodide"
    with tarfile.open(tarball) as archive:
        archive.extractall(folder, filter="data")  # type: ignore[call-arg]
    assert ensure_pyodide(folder, offline=True, log=lambda _: None).keys() == pins.PYODIDE.files.keys()
    (folder / "package" / "pyodide.mjs").write_text("// another version")
    with pytest.raises(LiteError, match=r"pyodide\.mjs has SHA-256 .* not the pinned"):
        ensure_pyodide(folder, offline=True, log=lambda _: None)
    with pytest.raises(LiteError, match="no such file"):
        ensure_pyodide(tmp_path / "missing.tgz", offline=True, log=lambda _: None)


def test_offline_build_without_cached_inputs_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HEALTHKIT_CACHE_DIR", str(tmp_path / "empty-cache"))
    code = main(["lite", "-o", str(tmp_path / "site"), "--content", str(SEED.parent), "--offline"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("healthkit: error: lite: inputs: not in the cache") and "Traceback" not in err
    assert not (tmp_path / "site").exists()


# -- Pyodide's lock ---------------------------------------------------------------------------
CORE_LOCK = {
    "info": {"python": "3.14.2"},
    "packages": {
        "ipython": {"name": "ipython", "version": "9.12.0", "file_name": "ipython-9.12.0-py3-none-any.whl", "sha256": "aa",
                    "imports": ["IPython"], "depends": ["traitlets"], "install_dir": "site", "package_type": "package"},
        "traitlets": {"name": "traitlets", "version": "5.14.3", "file_name": "traitlets-5.14.3-py3-none-any.whl", "sha256": "bb",
                      "imports": ["traitlets"], "depends": [], "install_dir": "site", "package_type": "package"},
        "numpy": {"name": "numpy", "version": "2.0", "file_name": "numpy.whl", "sha256": "cc", "imports": ["numpy"], "depends": []},
    },
}


def test_site_lock_rewrites_hashes_adds_new_packages_and_drops_the_rest() -> None:
    shipped = [
        Shipped("ipython", "9.12.0", "ipython-9.12.0-py3-none-any.whl", "11" * 32),
        Shipped("traitlets", "5.14.3", "traitlets-5.14.3-py3-none-any.whl", "22" * 32),
        Shipped("healthkit", "0.1.0", "healthkit-0.1.0-py3-none-any.whl", "33" * 32, ("healthkit",), ("ipython", "traitlets")),
    ]
    lock = site_lock(CORE_LOCK, shipped)
    assert lock["info"] == CORE_LOCK["info"]
    assert set(lock["packages"]) == {"ipython", "traitlets", "healthkit"}  # numpy is not shipped
    assert lock["packages"]["ipython"]["sha256"] == "11" * 32
    assert lock["packages"]["ipython"]["imports"] == ["IPython"]  # Pyodide's metadata kept
    assert lock["packages"]["healthkit"]["imports"] == ["healthkit"]
    assert closure(lock, ["healthkit"]) == {"healthkit", "ipython", "traitlets"}


def test_site_lock_refuses_a_version_pyodide_does_not_have_or_a_missing_dependency() -> None:
    with pytest.raises(LiteError, match="Pyodide's lock has ipython 9.12.0"):
        site_lock(CORE_LOCK, [Shipped("ipython", "9.0.0", "ipython-9.0.0-py3-none-any.whl", "11" * 32)])
    with pytest.raises(LiteError, match="needs traitlets"):
        site_lock(CORE_LOCK, [Shipped("ipython", "9.12.0", "ipython-9.12.0-py3-none-any.whl", "11" * 32)])
    with pytest.raises(LiteError, match="give its imports"):
        site_lock(CORE_LOCK, [Shipped("comm", "0.2.3", "comm-0.2.3-py3-none-any.whl", "44" * 32)])


def test_the_pinned_runtime_wheels_make_a_complete_lock() -> None:
    inputs = _offline_inputs()
    shipped = [Shipped(w.name, w.version, w.filename, w.sha256, w.imports, w.depends) for w in pins.wheels("runtime")]
    shipped.append(Shipped("healthkit", "0", "healthkit-0-py3-none-any.whl", "55" * 32, ("healthkit",), pins.HEALTHKIT_DEPENDS))
    lock = site_lock(json.loads(inputs.pyodide[LOCK.name]), shipped)
    lesson = closure(lock, ["healthkit"])
    assert {"anywidget", "psygnal", "ruamel-yaml", "ipywidgets", "comm", "traitlets"} <= lesson
    # What the kernel itself asks for by name is in the lock too.
    assert {"micropip", "ipython", "jedi", "comm"} <= set(lock["packages"])


# -- healthkit's own wheel --------------------------------------------------------------------
def test_healthkit_wheel_is_reproducible_and_complete() -> None:
    name, data = healthkit_wheel(pins.HEALTHKIT_DEPENDS)
    assert healthkit_wheel(pins.HEALTHKIT_DEPENDS) == (name, data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        assert {"healthkit/lesson/__init__.py", "healthkit/widget/quiz.js", "healthkit/widget/quiz.css", "healthkit/lesson/lesson.css"} <= names
        assert not any("__pycache__" in n for n in names)
        dist = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        requires = [line.split(": ", 1)[1] for line in z.read(f"{dist}/METADATA").decode().splitlines() if line.startswith("Requires-Dist")]
        assert sorted(requires) == sorted(pins.HEALTHKIT_DEPENDS)
        for line in z.read(f"{dist}/RECORD").decode().splitlines():
            path, digest, _ = line.split(",")
            if digest:
                raw = hashlib.sha256(z.read(path)).digest()
                assert digest == "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), path


def test_healthkit_wheel_holds_only_what_lessons_import() -> None:
    _, data = healthkit_wheel(pins.HEALTHKIT_DEPENDS)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if n.startswith("healthkit/")]
    tops = {n.split("/")[1].removesuffix(".py") for n in names}
    assert tops <= set(LESSON_MODULES) | {"py.typed"}, sorted(tops - set(LESSON_MODULES))
    for absent in ("app", "cli", "exporters", "render", "lite", "importer", "distribution", "io"):
        assert absent not in tops
    assert not [n for n in names if n.endswith((".xsd", ".dtd", ".j2", ".ipynb", ".json"))]


def test_a_lesson_runs_from_the_wheel_alone(tmp_path: Path) -> None:
    """The lesson template runs with only the wheel's healthkit on the path (as in Pyodide)."""
    _, data = healthkit_wheel(pins.HEALTHKIT_DEPENDS)
    unpacked = tmp_path / "wheel"
    zipfile.ZipFile(io.BytesIO(data)).extractall(unpacked)
    nb = nbformat.read(TEMPLATE, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    cells[0] += f"\ncondition = 'back-spasms'\ncontent_dir = {str(SEED.parent)!r}\n"
    probe = f"import sys; sys.path.insert(0, {str(unpacked)!r})\nimport healthkit\nassert healthkit.__file__.startswith({str(unpacked)!r}), healthkit.__file__\n" + IMPORT_PROBE
    done = subprocess.run([sys.executable, "-c", probe, json.dumps(cells)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]


# -- what a lesson imports --------------------------------------------------------------------
IMPORT_PROBE = """
import json, sys
import comm, traitlets
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()   # the kernel has IPython, comm and traitlets loaded already
before = set(sys.modules)
cells = json.loads(sys.argv[1])
for code in cells:
    result = shell.run_cell(code)
    if not result.success:
        raise SystemExit(f"cell failed: {code[:60]!r}: {result.error_in_exec!r}")
print("IMPORTS" + json.dumps(sorted(set(sys.modules) - before)))
"""

#: What the Lite kernel loads for a lesson (healthkit/lite/pins.py ships exactly these).
LESSON_IMPORTS = {"healthkit", "anywidget", "psygnal", "ruamel", "ipywidgets", "comm", "traitlets", "typing_extensions", "IPython"}
NEVER = {"lxml", "textstat", "nbconvert", "papermill", "nbformat", "nbclient", "jsonschema", "tqdm"}


def _accelerator(top: str) -> bool:
    """CPython-only compiled parts of the packages above (Pyodide runs their pure Python)."""
    return top.startswith("_") or top.endswith("__mypyc") or top in {"cython_runtime", "mypy_extensions"}


def test_a_lesson_imports_only_what_lite_ships() -> None:
    nb = nbformat.read(TEMPLATE, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    cells[0] += f"\ncondition = 'back-spasms'\ncontent_dir = {str(SEED.parent)!r}\n"
    done = subprocess.run([sys.executable, "-c", IMPORT_PROBE, json.dumps(cells)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = json.loads(done.stdout.split("IMPORTS", 1)[1])
    tops = {m.split(".")[0] for m in modules} - set(sys.stdlib_module_names)
    assert {t for t in tops if not _accelerator(t)} <= LESSON_IMPORTS
    assert not tops & NEVER
    healthkit = {m.split(".")[1] for m in modules if m.startswith("healthkit.")}
    assert healthkit <= {"content", "errors", "lesson", "model", "quiz", "registry", "widget"}, "only the lesson path"


# -- the site ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``healthkit lite back-spasms --edition both --zip --offline``, into a fresh folder."""
    out = tmp_path_factory.mktemp("lite") / "site"
    scratch = out.parent / "system-tmp"  # the system's temporary folder, as the tools it runs see it
    scratch.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(scratch))
        code = main(["lite", "back-spasms", "-o", str(out), "--content", str(SEED.parent), "--template", str(TEMPLATE),
                     "--edition", "both", "--zip", "--offline", "--title", "Workshop lessons"])
    assert code == 0
    return out


def test_a_lite_build_leaves_nothing_in_the_temporary_folder(built_site: Path) -> None:
    """jupyterlite made an empty "jupyter-clean-cfg-*" folder in the system's temporary folder
    on every run; its temporary folders now go into the staging folder, removed with it."""
    assert [p.name for p in (built_site.parent / "system-tmp").iterdir()] == []


@pytest.mark.slow
def test_site_layout_budget_and_checks(built_site: Path, tmp_path: Path) -> None:
    assert check_site(built_site) == []
    size, count = site_size(built_site)
    assert size <= SIZE_BUDGET, f"{size / 1e6:.1f} MB"
    assert not list(built_site.rglob("*.map")), "no source maps"
    files = built_site / "files"
    for path in ("lessons/back-spasms.ipynb", "teacher/back-spasms.ipynb", "content/back-spasms.yaml", "README.md", "site/index.html"):
        assert (files / path).is_file(), path
    settings = kernel_settings(built_site)
    assert settings["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert settings["disablePyPIFallback"] is True
    manifest = json.loads((built_site / MARKER).read_text())
    assert manifest["lessons"] == ["back-spasms"] and manifest["pyodide"] == pins.PYODIDE.version
    welcome = (files / "README.md").read_text()
    assert welcome.startswith("# Workshop lessons") and "(lessons/back-spasms.ipynb)" in welcome and "teacher/" in welcome
    assert f"**Back spasms**: {PENDING_NOTICE}" in welcome  # the lesson's review status, on the page opened first
    with zipfile.ZipFile(built_site.parent / "site.zip") as z:
        assert len([n for n in z.namelist() if not n.endswith("/")]) == count
        assert all(n.startswith("site/") for n in z.namelist())


@pytest.mark.slow
def test_lessons_are_the_notebooks_healthkit_build_makes(built_site: Path, tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    shutil.copy2(SEED, tmp_path / "content" / SEED.name)
    assert main(["build", "back-spasms", "--content", str(tmp_path / "content"), "--out", str(tmp_path), "--template", str(TEMPLATE), "--no-html", "-q"]) == 0
    lite = nbformat.read(built_site / "files" / "lessons" / "back-spasms.ipynb", as_version=4)
    plain = nbformat.read(tmp_path / "lessons" / "back-spasms.ipynb", as_version=4)
    assert _cells(lite) == _cells(plain)  # sources and what every cell shows
    assert _quizzes(lite) == _quizzes(plain) and _quizzes(lite)
    assert lite.metadata["healthkit"]["parameters"] == plain.metadata["healthkit"]["parameters"]
    assert lite.metadata["healthkit"]["parameters"]["content_dir"] == "../content"


def _cells(nb: Any) -> list[Any]:
    """Each cell's type, source and outputs, without the widgets' random model ids."""
    cells = []
    for cell in nb.cells:
        outputs = json.loads(json.dumps(cell.get("outputs", [])))
        for output in outputs:
            output.get("data", {}).get("application/vnd.jupyter.widget-view+json", {}).pop("model_id", None)
        cells.append((cell.cell_type, cell.source, outputs))
    return cells


def _quizzes(nb: Any) -> list[str]:
    """The quiz data saved in the notebook's widget state."""
    state = nb.metadata["healthkit"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return sorted(json.dumps(m["state"].get("quiz"), sort_keys=True) for m in state.values() if "quiz" in m["state"])


def _record_as_made(site: Path, name: str) -> None:
    """Make the marker say healthkit wrote ``name`` as it is now (an earlier build's file)."""
    marker = json.loads((site / MARKER).read_text())
    marker["files"][name] = digest_file(site / name)
    (site / MARKER).write_text(json.dumps(marker))


@pytest.mark.slow
def test_rebuilding_replaces_the_site_keeps_it_offline_and_keeps_what_someone_changed(built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    (copy / "jupyter-lite.json").write_text(json.dumps({"jupyter-config-data": {}}))  # a broken earlier site
    _record_as_made(copy, "jupyter-lite.json")
    assert any("pyodideUrl" in p for p in check_site(copy)), "check_site must catch a lost pyodideUrl"
    welcome = copy / "files" / "README.md"
    welcome.write_text(welcome.read_text() + "\nRoom 4, bring a laptop.\n")  # an educator's edit
    (copy / "files" / "handout.md").write_text("my own file")  # and an added file
    args = ["lite", "back-spasms", "-o", str(copy), "--content", str(SEED.parent), "--template", str(TEMPLATE), "--offline"]
    capsys.readouterr()
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert f"Lite site: {copy} (1 lesson, " in out
    assert check_site(copy) == []
    assert not (copy / "files" / "teacher").exists(), "the previous site's files it no longer makes are removed"
    assert "Room 4" in welcome.read_text() and f"healthkit: warning: kept {welcome}: it changed since healthkit wrote it; pass --force" in err
    assert (copy / "files" / "handout.md").read_text() == "my own file" and "files/handout.md" in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging folder left behind"
    assert main([*args, "--force"]) == 0
    assert "Room 4" not in welcome.read_text()
    assert (copy / "files" / "handout.md").read_text() == "my own file"  # never deleted, even with --force


def test_content_is_checked_where_it_is_and_a_link_out_is_never_shipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy2(SEED, content / SEED.name)
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:the secret\n")
    (content / "passwd.yaml").symlink_to(secret)
    code = main(["lite", "-o", str(tmp_path / "site"), "--content", str(content), "--template", str(TEMPLATE), "--offline", "--zip"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{content / 'passwd.yaml'}: error: " in err and "outside the content folder" in err  # the user's own path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "private"], "nothing written, no staging folder left"


def test_a_lesson_that_fails_means_no_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a-one", "b-two"):
        (content / f"{name}.yaml").write_text(SEED.read_text().replace("id: back-spasms", f"id: {name}"))
    template = nbformat.read(TEMPLATE, as_version=4)
    template.cells.insert(3, nbformat.v4.new_code_cell('if condition == "b-two":\n    raise RuntimeError("b-two cannot be built today")'))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(template, broken)
    code = main(["lite", "-o", str(tmp_path / "site"), "--content", str(content), "--template", str(broken), "--offline", "--zip", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "lesson failed: b-two" in err and "cannot be built today" in err
    assert f"no site was written to {tmp_path / 'site'}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ipynb", "content"], "nothing written, no staging folder left"


def test_an_existing_zip_is_only_replaced_with_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "site.zip"
    archive.write_text("an older zip")
    code = main(["lite", "-o", str(tmp_path / "site"), "--content", str(SEED.parent), "--template", str(TEMPLATE), "--offline", "--zip"])
    err = capsys.readouterr().err
    assert code == 1 and f"healthkit: error: {archive} exists; pass --force to overwrite it" in err
    assert archive.read_text() == "an older zip"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.zip"], "refused before any work"


@pytest.mark.parametrize("out", ["content/lite", "."])
def test_the_content_folder_and_the_current_folder_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], out: str) -> None:
    (tmp_path / "content").mkdir()
    shutil.copy2(SEED, tmp_path / "content" / SEED.name)
    monkeypatch.chdir(tmp_path)
    assert main(["lite", "-o", out, "--content", "content", "--offline"]) == 1
    assert "healthkit: error: -o " in capsys.readouterr().err
    assert sorted(p.as_posix() for p in Path().rglob("*")) == ["content", f"content/{SEED.name}"]


def test_a_staging_folder_left_by_a_killed_run_is_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs, as after kill -9
    from healthkit.io import STAGING_MARK, staging_mark

    stale = tmp_path / f".site.{gone.pid}-abc.tmp"
    (stale / "lite").mkdir(parents=True)
    (stale / STAGING_MARK).write_text(staging_mark(gone.pid))
    mine = tmp_path / f".site.{gone.pid}-mine.tmp"  # the user's own folder, named like one
    (mine / "notes").mkdir(parents=True)
    running = tmp_path / f".site.{os.getppid()}-def.tmp"  # another run that is still going
    running.mkdir()
    (running / STAGING_MARK).write_text(staging_mark(os.getppid()))
    (tmp_path / "content").mkdir()
    shutil.copy2(SEED, tmp_path / "content" / SEED.name)
    template = nbformat.read(TEMPLATE, as_version=4)
    template.cells.insert(1, nbformat.v4.new_code_cell('raise RuntimeError("stop here")'))
    nbformat.write(template, tmp_path / "stop.ipynb")
    args = ["lite", "-o", str(tmp_path / "site"), "--content", str(tmp_path / "content"), "--template", str(tmp_path / "stop.ipynb")]
    assert main([*args, "--offline", "-j", "1"]) == 1
    assert "stop here" in capsys.readouterr().err
    assert not stale.exists() and running.is_dir()
    assert (mine / "notes").is_dir()  # not marked as healthkit's: never removed


def test_output_that_is_not_a_lite_site_is_never_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(LiteError, match="not a Lite site made by healthkit"):
        check_output(tmp_path / "mine")
    assert main(["lite", "-o", str(tmp_path / "mine"), "--content", str(SEED.parent), "--offline"]) == 1
    assert "healthkit: error: lite: output:" in capsys.readouterr().err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    check_output(tmp_path / "mine", force=True)  # --force builds into it, leaving notes.txt alone
    check_output(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    check_output(tmp_path / "empty")


def _no_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to download")

    monkeypatch.setattr("healthkit.lite.inputs._pip_download", refuse)
    monkeypatch.setattr("healthkit.lite.inputs._fetch_url", refuse)


@pytest.mark.slow
def test_workshop_lite_adds_the_site_to_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_downloads(monkeypatch)
    (tmp_path / "content").mkdir()
    shutil.copy2(SEED, tmp_path / "content" / SEED.name)
    out = tmp_path / "pack"
    report = make_workshop(WorkshopOptions(("back-spasms",), out, tmp_path / "content", TEMPLATE, lite=True))
    assert report.ok
    assert check_site(out / "lite") == []
    assert (out / "lite" / "files" / "lessons" / "back-spasms.ipynb").is_file()
    assert "lite/" in (out / "README.md").read_text()


# -- serving ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_server_binds_loopback_and_sends_the_types_browsers_require(built_site: Path) -> None:
    import threading

    server = make_server(built_site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == "127.0.0.1"
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert start_url(server) == f"{base}/"  # the site's index.html opens the welcome page
        for path, kind in (("static/pyodide/pyodide.asm.wasm", "application/wasm"), ("static/pyodide/pyodide.mjs", "text/javascript")):
            with urllib.request.urlopen(f"{base}/{path}") as response:
                assert response.headers["Content-Type"] == kind
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(LiteError, match="not a Lite site"):
        make_server(built_site / "files")


def _tiny_site(folder: Path) -> Path:
    """Enough of a site for the server: its config, and a file too large to send at once."""
    (folder / "jupyter-lite.json").write_text("{}")
    with (folder / "large.bin").open("wb") as handle:
        handle.truncate(64_000_000)
    return folder


def test_a_request_the_browser_cancels_leaves_the_server_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = make_server(_tiny_site(tmp_path), port=0)
    server.daemon_threads = False  # so server_close() waits until the request was handled
    try:
        with socket.create_connection(server.server_address) as client:
            client.sendall(f"GET /large.bin HTTP/1.1\r\nHost: 127.0.0.1:{server.server_address[1]}\r\n\r\n".encode())
        # The client hung up before reading the answer; the server now answers it.
        server.handle_request()
    finally:
        server.server_close()
    assert capsys.readouterr().err == ""


def _raw(server: Any, request: bytes) -> bytes:
    """The answer to one raw HTTP request."""
    with socket.create_connection(server.server_address, timeout=10) as client:
        client.sendall(request)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@contextmanager
def _serving(site: Path) -> Iterator[Any]:
    import threading

    server = make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "", "a@127.0.0.1", "localhost.evil.example", "127.0.0.1"])
def test_the_server_answers_only_its_own_loopback_name(tmp_path: Path, host: str) -> None:
    """A page elsewhere whose DNS name is rebound to 127.0.0.1 sends its own Host header:
    refused, so it cannot read the served folder."""
    (_tiny_site(tmp_path) / "secret.txt").write_text("learner's notes")
    with _serving(tmp_path) as server:
        port = server.server_address[1]
        foreign = _raw(server, f"GET /secret.txt HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert foreign.startswith(b"HTTP/1.0 400") and b"learner's notes" not in foreign
        for own in (f"127.0.0.1:{port}", f"localhost:{port}"):
            ok = _raw(server, f"GET /secret.txt HTTP/1.1\r\nHost: {own}\r\nConnection: close\r\n\r\n".encode())
            assert ok.startswith(b"HTTP/1.0 200") and ok.endswith(b"learner's notes")


def test_the_server_sends_no_file_a_link_leads_out_to(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not the site's")
    (tmp_path / "site").mkdir()
    site = _tiny_site(tmp_path / "site")
    (site / "link.txt").symlink_to(outside)
    (site / "dir-link").symlink_to(tmp_path)
    with _serving(site) as server:
        host = f"Host: 127.0.0.1:{server.server_address[1]}"
        for path in ("/link.txt", "/dir-link/outside.txt", "/dir-link/"):
            answer = _raw(server, f"GET {path} HTTP/1.1\r\n{host}\r\nConnection: close\r\n\r\n".encode())
            assert answer.startswith(b"HTTP/1.0 404") and b"not the site's" not in answer, path


@pytest.mark.parametrize("path", ["/%00", "/a%00b", "/large.bin%00.txt"])
def test_a_null_byte_in_the_path_is_a_bad_request_not_a_traceback(tmp_path: Path, path: str, capsys: pytest.CaptureFixture[str]) -> None:
    with _serving(_tiny_site(tmp_path)) as server:
        answer = _raw(server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.server_address[1]}\r\nConnection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 400")
    assert "Traceback" not in capsys.readouterr().err


def test_serve_stops_on_sigint_even_when_started_with_it_ignored(tmp_path: Path) -> None:
    """A background job of a script starts with SIGINT ignored; kill -INT must still stop it."""
    import signal

    site = _tiny_site(tmp_path)
    command = subprocess.Popen(
        [sys.executable, "-m", "healthkit", "lite", "--no-build", "--serve", "-o", str(site), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        assert command.stdout is not None
        line = command.stdout.readline()
        assert "Serving" in line, line + (command.stderr.read() if command.stderr else "")
        command.send_signal(signal.SIGINT)
        assert command.wait(timeout=30) == 0
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()


def test_any_other_error_of_the_server_is_still_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = make_server(_tiny_site(tmp_path), port=0)
    try:
        try:
            raise ValueError("a request went wrong")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 50000))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert "Traceback" in err and "ValueError: a request went wrong" in err


def test_no_build_goes_with_serve_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lite", "--no-build"]) == 2
    assert "--no-build only goes with --serve" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], port: str) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["lite", "--serve", "--no-build", "-o", str(tmp_path), "--port", port])
    err = capsys.readouterr().err
    assert exit.value.code == 2 and "Traceback" not in err
    assert f"argument --port: {port!r} is not a port; use a whole number from 0 to 65535" in err


# -- in the browser ----------------------------------------------------------------------------
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

#: Typed into a new cell at the end of the lesson, in the browser's Python.
PROBE = """\
import json, sys, piplite
try:
    await piplite.install("textstat")
    pypi = "installed"
except Exception as exc:
    pypi = type(exc).__name__
heavy = sorted(m for m in ("lxml", "textstat", "nbconvert", "papermill", "nbformat") if m in sys.modules)
print("PROBE" + json.dumps({"score": lesson.score, "responses": next(w for w in lesson.quizzes if w.model.section == "types").responses, "pypi": pypi, "heavy": heavy}))
"""


def _wait_until_served(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:  # poll until the server answers
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server for {url} did not start") from None
            time.sleep(0.2)


@contextmanager
def _server(command: list[str], port: int, site: str = "") -> Iterator[str]:
    """Run a web server command on 127.0.0.1:port, serving a Lite site at ``/`` or at
    ``/SITE/``; stop it by its PID."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_served(f"{url}/{site}{'/' if site else ''}jupyter-lite.json", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def served(built_site: Path) -> Iterator[str]:
    """``healthkit lite --serve --no-build -o SITE``, as an educator would."""
    port = free_port()
    with _server([sys.executable, "-m", "healthkit", "lite", "--serve", "--no-build", "-o", str(built_site), "--port", str(port)], port) as url:
        yield url


@pytest.mark.slow
def test_python_http_server_also_serves_what_the_browser_needs(built_site: Path) -> None:
    """The README's other way: ``python -m http.server -d DIR --bind 127.0.0.1``."""
    port = free_port()
    with _server([sys.executable, "-m", "http.server", "-d", str(built_site), "--bind", "127.0.0.1", str(port)], port) as url:
        for path, kind in (("static/pyodide/pyodide.asm.wasm", "application/wasm"), ("static/pyodide/pyodide.mjs", "text/javascript")):
            with urllib.request.urlopen(f"{url}/{path}") as response:
                assert response.headers["Content-Type"] == kind


def _expect_the_welcome_page(page: Any, address: str, site: str) -> None:
    """Opening ``address`` shows JupyterLab at ``site`` with the welcome page: the course's
    title and the link to its lesson."""
    page.goto(address)
    expect(page).to_have_url(f"{site}lab/index.html?path=README.md", timeout=30_000)
    welcome = page.locator(".jp-RenderedMarkdown")
    expect(welcome.get_by_role("heading", name="Workshop lessons", exact=True)).to_be_visible(timeout=90_000)
    expect(welcome.get_by_role("link", name="Back spasms")).to_be_visible()


@pytest.mark.browser
@pytest.mark.slow
def test_the_sites_address_opens_the_welcome_page(served: str, built_site: Path) -> None:
    """At ``/`` of ``healthkit lite --serve``, and under a sub-path of another web server (as
    on a static host's project site)."""
    port = free_port()
    other = [sys.executable, "-m", "http.server", "-d", str(built_site.parent), "--bind", "127.0.0.1", str(port)]
    with _server(other, port, site=built_site.name) as host, chromium() as browser:
        page = browser.new_page()
        _expect_the_welcome_page(page, f"{served}/", f"{served}/")
        _expect_the_welcome_page(page, f"{host}/{built_site.name}/", f"{host}/{built_site.name}/")


@pytest.mark.browser
@pytest.mark.slow
def test_opened_from_a_file_the_site_says_how_to_serve_it(built_site: Path) -> None:
    start = (built_site / "index.html").as_uri()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(start)
        expect(page.get_by_text("must be served over HTTP")).to_be_visible()
        expect(page.get_by_text("python -m http.server --bind 127.0.0.1", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="http://127.0.0.1:8000/")).to_be_visible()
        expect(page.get_by_role("link", name="Open the lessons")).to_be_hidden()
        assert page.url == start, "no redirect to a JupyterLab that cannot run from a file"


NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _outputs_numbered(last_only: bool) -> str:
    """JS for: the notebook's (last) code cell shows an execution count by its output.

    Lessons hide their code, so counts show only beside outputs; cells run in order, so the
    last cell's output appearing means Run All finished.
    """
    cells = f"[...document.querySelectorAll('{NOTEBOOK} .jp-CodeCell')]"
    pick = f"{cells}.slice(-1)" if last_only else cells
    return f"""() => {pick}.some(c => /\\[\\d+\\]/.test(c.querySelector('.jp-OutputPrompt')?.textContent || ''))"""


@pytest.mark.browser
@pytest.mark.slow
def test_lesson_runs_offline_in_the_browser(served: str, built_site: Path) -> None:
    quiz = open_lesson("back-spasms", content_dir=SEED.parent).section_quiz_model("types")
    first, second = quiz.questions[:2]
    wrong = next(i for i, c in enumerate(first.choices) if not c.correct)
    right = next(i for i, c in enumerate(second.choices) if c.correct)
    blocked: list[str] = []
    local: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOOPBACK:
            local.append(url)
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.route("**/*", route)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        # The welcome page opens rendered, and links to the lesson.
        page.goto(f"{served}/lab/index.html?path=README.md")
        welcome = page.locator(".jp-RenderedMarkdown").filter(has_text="How to start")
        welcome.wait_for(timeout=90_000)
        assert "python -m http.server" in welcome.inner_text()
        started = time.monotonic()
        welcome.get_by_role("link", name="Back spasms").click()

        page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=90_000)
        page.get_by_text("Python (Pyodide) | Idle").wait_for(timeout=180_000)
        kernel_ready = time.monotonic() - started

        # Start from a clean notebook, so every execution count seen is from this run.
        page.locator(".lm-MenuBar-itemLabel", has_text="Edit").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Clear Outputs of All Cells").first.click()
        page.wait_for_function(f"() => !({_outputs_numbered(last_only=False)})()")
        started = time.monotonic()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function(_outputs_numbered(last_only=True), timeout=180_000)
        run_all = time.monotonic() - started
        assert page.locator(f"{NOTEBOOK} [data-mime-type='application/vnd.jupyter.stderr']").count() == 0

        box = page.locator(f".hk-quiz[data-quiz='{quiz.id}']")
        box.scroll_into_view_if_needed()
        q1 = box.locator(f"fieldset[data-question='{first.id}']")
        q1.locator("label").nth(wrong).click()
        q1.get_by_role("button", name="Check answer").click()
        feedback = q1.locator(".hk-feedback").inner_text()
        # A first wrong try: the chosen option's feedback (its verdict said once), no explanation yet.
        assert "Not quite." in feedback
        assert first.choices[wrong].feedback.removeprefix("Not quite.").strip() in feedback
        assert first.explanation not in feedback
        q2 = box.locator(f"fieldset[data-question='{second.id}']")
        q2.locator("label").nth(right).click()
        q2.get_by_role("button", name="Check answer").click()
        assert "Correct!" in q2.locator(".hk-feedback").inner_text()
        # Settled: the options and Check are locked, so it cannot be checked again into "Not quite".
        assert q2.locator("input").nth(right).is_disabled() and not q2.get_by_role("button", name="Check answer").is_visible()
        assert box.locator(".hk-score").inner_text() == f"Score: 1 of {len(quiz.questions)} right first time"
        save_screenshot(page, "lite-lesson.png")

        # Ask the browser's Python: a new cell at the end of the lesson.
        page.locator(f"{NOTEBOOK} .jp-Cell").last.locator(".jp-InputPrompt").click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.insert_text(PROBE)
        page.keyboard.press("Shift+Enter")
        output = page.locator(".jp-OutputArea-output", has_text="PROBE").last
        output.wait_for(timeout=120_000)
        probe = json.loads(output.inner_text().split("PROBE", 1)[1])
        context.close()

    assert probe["score"] == 1
    assert probe["responses"][first.id] == {"selected": [wrong], "correct": False, "attempts": 1, "first_try": False, "revealed": False, "fit": first.fit}
    assert probe["responses"][second.id] == {"selected": [right], "correct": True, "attempts": 1, "first_try": True, "revealed": False, "fit": second.fit}
    assert probe["pypi"] == "PiplitePyPIDisabled", "micropip must not fall back to PyPI"
    assert probe["heavy"] == []
    assert blocked == [], f"{len(blocked)} request(s) tried to leave the machine: {blocked[:5]}"
    assert len(local) > 50
    assert not errors, errors
    timings = os.environ.get("HEALTHKIT_LITE_TIMINGS")
    if timings:  # one line per run: docs/benchmarks.md quotes the median of several
        with open(timings, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"kernel_ready_s": round(kernel_ready, 1), "run_all_s": round(run_all, 1), "requests": len(local)}) + "\n")
