"""Where commands write: never over a file without --force, never over anything that is not a
regular file, never into the content folder or /, and every failure is one clear line."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from healthkit.app import build as build_app
from healthkit.app.build import BuildOptions
from healthkit.app.lite import LiteOptions
from healthkit.app.scorm import ScormOptions
from healthkit.app.workshop import WorkshopOptions
from healthkit.cli import main

from .conftest import ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
FIXTURES = ROOT / "tests" / "fixtures"


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "back-spasms.yaml").write_text(SEED.read_text())
    return content


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit status and standard error of one command, which must never show a traceback."""
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        status = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


# -- item: single-file outputs (-o) ----------------------------------------------------------------
COMMANDS = {
    "export-quiz": lambda content, out: ["export-quiz", "--format", "gift", "--content", str(content), "-o", str(out)],
    "schema": lambda content, out: ["schema", "-o", str(out)],
    "import": lambda content, out: ["import", str(FIXTURES / "articles" / "sinusitis.txt"), "-o", str(out)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_file_is_only_replaced_with_force(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    content = _content(tmp_path)
    target = content / "back-spasms.yaml"  # the worst case: a content file
    before = target.read_bytes()
    status, err = _run(capsys, *COMMANDS[command](content, target))
    assert status == 1 and f"{target} exists; pass --force to overwrite it" in err
    assert target.read_bytes() == before
    status, _ = _run(capsys, *COMMANDS[command](content, target), "--force")
    assert status == 0 and target.read_bytes() != before


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("kind", ["fifo", "folder", "symlink"])
def test_only_regular_files_are_ever_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, kind: str) -> None:
    content = _content(tmp_path)
    target = tmp_path / "target"
    if kind == "fifo":  # stands for a device node such as /dev/full
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        (tmp_path / "elsewhere.txt").write_text("keep me")
        target.symlink_to(tmp_path / "elsewhere.txt")
    mode = os.lstat(target).st_mode
    status, err = _run(capsys, *COMMANDS[command](content, target), "--force")
    assert status == 1 and f"healthkit: error: {target}" in err
    assert os.lstat(target).st_mode == mode  # still the same kind of thing
    assert stat.S_IFMT(mode) != stat.S_IFREG
    if kind == "symlink":
        assert (tmp_path / "elsewhere.txt").read_text() == "keep me"


def test_a_write_that_fails_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    status, err = _run(capsys, "schema", "-o", str(blocker / "schema.json"))
    assert status == 1 and err.startswith("healthkit: error: ") and str(blocker) in err


# -- item: the build's output folder -------------------------------------------------------------
def test_out_may_not_be_the_root_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "broken.yaml").write_text("id: broken\n")  # nothing would render, even if allowed
    status, err = _run(capsys, "build", "--content", str(content), "--out", "/", "--no-html", "-q")
    assert status == 1 and "healthkit: error: " in err and "'/'" in err


@pytest.mark.parametrize("where", ["content", "inside"])
def test_out_may_not_be_or_be_inside_the_content_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    content = _content(tmp_path)
    out = content if where == "content" else content / "build"
    status, err = _run(capsys, "build", "--content", str(content), "--out", str(out), "--template", str(TEMPLATE), "-q")
    assert status == 1 and "content folder" in err
    assert sorted(p.name for p in content.iterdir()) == ["back-spasms.yaml"]


@pytest.mark.slow
@pytest.mark.parametrize("out", ["file", "/dev/null", "/proc/self"])
def test_out_that_cannot_hold_lessons_is_refused_before_rendering(tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str) -> None:
    content = _content(tmp_path)
    if out == "file":
        target = tmp_path / "notes.txt"
        target.write_text("mine")
        out = str(target)
    status, err = _run(capsys, "build", "--content", str(content), "--out", out, "--template", str(TEMPLATE), "-j", "1", "-q")
    assert status == 1 and err.startswith(f"healthkit: error: ") and out in err
    assert "lesson failed" not in err  # refused before any lesson was rendered
    if out.endswith("notes.txt"):
        assert Path(out).read_text() == "mine"


@pytest.mark.slow
def test_disk_full_while_writing_the_zip_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    content = _content(tmp_path)
    out = tmp_path / "out"
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if ".lessons.zip." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    status, err = _run(capsys, "build", "--content", str(content), "--out", str(out), "--template", str(TEMPLATE), "-j", "1", "-q")
    assert status == 1
    assert err.strip().splitlines()[-1] == f"healthkit: error: cannot write {out / 'site' / 'lessons.zip'}: No space left on device"
    assert (out / "lessons" / "back-spasms.ipynb").is_file()
    assert not [p for p in (out / "site").iterdir() if p.name.endswith(".tmp")]


# -- small: -j ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["-1", "0", "many"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str) -> None:
    status, err = _run(capsys, "build", "--out", str(tmp_path / "out"), "-j", jobs)
    assert status == 2 and "-j" in err and "1 or more" in err


def test_workers_are_bounded_by_cores_and_lessons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert build_app.worker_count(1000, lessons=50) == 5  # cores + 1
    assert build_app.worker_count(1000, lessons=2) == 2
    assert build_app.worker_count(0, lessons=50) == 5  # the default
    assert build_app.worker_count(3, lessons=50) == 3
    assert build_app.worker_count(1, lessons=0) == 1


def test_library_options_never_default_to_a_folder_of_the_current_folder() -> None:
    """Paths relative to the current folder are the command line's defaults, not the library's."""
    import dataclasses

    from healthkit import io
    from healthkit.errors import OutputExistsError

    for options in (BuildOptions, LiteOptions, ScormOptions, WorkshopOptions):
        fields = {f.name: f for f in dataclasses.fields(options)}
        assert fields["content_dir"].default is dataclasses.MISSING, options.__name__
        for field in fields.values():
            assert not isinstance(field.default, Path), (options.__name__, field.name)
    assert io.OutputExistsError is OutputExistsError  # defined with the other errors
