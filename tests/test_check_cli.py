"""`healthkit check`, run in-process the way a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthkit.cli import main

from .conftest import CONTENT


def test_check_content_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    assert "back-spasms.yaml" in out
    assert "0 error(s)" in out
    assert ": error:" not in out


def test_check_reports_every_problem_with_position(tmp_path: Path, seed_text: str, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "back-spasms.yaml"
    text = seed_text.replace("sections:\n", "sectons:\n").replace("status: published", "status: publshed")
    bad.write_text(text)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if ": error: " in line]
    line = text[: text.index("status: publshed")].count("\n") + 1
    assert f"{bad}:{line}:9: error: 'publshed' is not allowed here; use one of 'draft', 'published' (did you mean 'published'?) (status)" in lines
    assert any(line.startswith(f"{bad}:") and "unknown key 'sectons' (did you mean 'sections'?) (sectons)" in line for line in lines)
    assert "Traceback" not in out


def test_check_json_format(tmp_path: Path, seed_text: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "back-spasms.yaml").write_text(seed_text.replace("correct: true", "correct: on", 1))
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    (diag,) = payload["diagnostics"]
    assert diag["key"] == "quiz[0].options[0].correct"
    assert diag["severity"] == "error" and diag["line"] > 0 and diag["column"] > 0


def test_check_reports_reading_grade(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", str(CONTENT / "back-spasms.yaml")]) == 0
    (row,) = json.loads(capsys.readouterr().out)["files"]
    assert 0 < row["grade"] <= 8
    assert row["smog"] is not None and row["flesch_kincaid"] > 0


def test_check_warns_about_hard_text(tmp_path: Path, seed_text: str, capsys: pytest.CaptureFixture[str]) -> None:
    hard = (
        "Musculoskeletal pathophysiology encompassing neuromuscular hyperexcitability "
        "necessitates comprehensive multidisciplinary interdisciplinary rehabilitation methodologies. "
    ) * 6
    text = seed_text.replace("    summary: >-\n      Treatment depends on the cause.", f"    summary: >-\n      {hard}Treatment depends on the cause.")
    (tmp_path / "back-spasms.yaml").write_text(text)
    assert main(["check", str(tmp_path)]) == 0  # warnings do not fail
    out = capsys.readouterr().out
    assert "warning: reading grade" in out and "(sections.treatments)" in out


def test_check_missing_path_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 1
    captured = capsys.readouterr()
    assert "no such file or folder" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "check" in out and "build" in out
