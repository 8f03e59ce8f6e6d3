"""What the commands print: plain logs when not on a terminal, NO_COLOR, help texts, paths."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from healthkit.cli import main
from healthkit.cli import build as build_cli

from .conftest import ROOT, SEED


def _help_text(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return capsys.readouterr().out


def test_a_missing_path_is_reported_without_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["check", str(missing)]) == 1
    out = capsys.readouterr().out
    assert f"{missing}: error: no such file or folder" in out
    assert ":0:0" not in out


def test_schema_help_shows_no_docstring_markup(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help_text("schema", capsys)
    assert "JSON Schema" in text
    assert "``" not in text and ":func:" not in text


def test_jobs_help_agrees_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    from healthkit.app.build import default_jobs

    helps = [re.sub(r"\s+", " ", _help_text(command, capsys)) for command in ("build", "workshop", "scorm", "lite")]
    for text in helps:
        assert f"(default: number of cores + 1, here {default_jobs()};" in text
    assert default_jobs() == (os.cpu_count() or 1) + 1
    readme = re.sub(r"\s+", " ", (ROOT / "README.md").read_text())
    assert "(`-j N`, default and maximum: number of cores + 1," in readme


#: Every command that takes condition ids and a content folder, with its other required options.
ID_COMMANDS = {
    "build": [],
    "export-quiz": ["--format", "gift", "-o", "x.gift"],
    "workshop": ["-o", "pack"],
    "scorm": ["-o", "x.zip"],
    "lite": [],
}


@pytest.mark.parametrize("command", sorted(ID_COMMANDS))
def test_shared_options_behave_the_same_in_every_command(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    from healthkit.cli import make_parser

    args = make_parser().parse_args([command, "b-two", "a-one", "b-two", "a-one", *ID_COMMANDS[command]])
    assert args.ids == ["b-two", "a-one"]  # each id once, in the order given
    assert args.content == Path("content")
    text = re.sub(r"\s+", " ", _help_text(command, capsys))
    assert "--content DIR folder of condition files (default: content)" in text
    assert "(default: all in --content)" in text
    if command != "export-quiz":
        assert "--template PATH template notebook (default: the lesson template shipped with healthkit)" in text
        with pytest.raises(SystemExit) as usage:
            main([command, "-j", "0", *ID_COMMANDS[command]])
        assert usage.value.code == 2
        capsys.readouterr()


def test_a_condition_named_twice_is_exported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    (tmp_path / "content").mkdir()
    shutil.copy2(SEED, tmp_path / "content" / SEED.name)
    once, twice = tmp_path / "once.zip", tmp_path / "twice.zip"
    common = ["--content", str(tmp_path / "content"), "--format", "qti"]
    assert main(["export-quiz", "back-spasms", *common, "-o", str(once)]) == 0
    assert main(["export-quiz", "back-spasms", "back-spasms", *common, "-o", str(twice)]) == 0
    names = zipfile.ZipFile(twice).namelist()
    assert len(names) == len(set(names)) == 2
    assert once.read_bytes() == twice.read_bytes()  # and the same zip, byte for byte
    assert capsys.readouterr().err.count("from 1 condition(s)") == 2


@pytest.mark.slow
def test_build_logs_one_plain_line_per_lesson_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content").mkdir()
    shutil.copy2(SEED, tmp_path / "content" / SEED.name)
    args = ["build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out"), "--no-html", "-j", "1", "--edition", "both"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "\x1b" not in err
    lines = err.strip().splitlines()
    found = [re.fullmatch(r"\[(\d)/2\] back-spasms \[(learner|teacher)\]: built in [\d.]+s", line) for line in lines]
    assert all(found), lines
    assert [m.group(1) for m in found if m] == ["1", "2"]
    assert sorted(m.group(2) for m in found if m) == ["learner", "teacher"]
    assert main(args) == 0  # nothing changed: each lesson says so
    assert capsys.readouterr().err.count(": unchanged") == 2


def test_only_a_terminal_gets_the_progress_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(build_cli.reporter(quiet=False), build_cli.LogLines)  # pytest captures stderr
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = build_cli.reporter(quiet=False)
    try:
        assert isinstance(bar, build_cli.ProgressBar)
    finally:
        bar.close()
    assert isinstance(build_cli.reporter(quiet=True), build_cli.LogLines)


def _say(env: dict[str, str]) -> bytes:
    """What scripts/_setup.sh's ``say`` writes to a terminal."""
    main_fd, child_fd = pty.openpty()
    try:
        subprocess.run(
            ["bash", "-c", f'source "{ROOT}/scripts/_setup.sh"; say hello'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=child_fd, env=env, check=True, timeout=60,
        )
        os.close(child_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(main_fd)


def test_scripts_honour_no_color() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[1m==> hello" in _say(env)
    plain = _say({**env, "NO_COLOR": "1"})
    assert b"==> hello" in plain and b"\x1b" not in plain
