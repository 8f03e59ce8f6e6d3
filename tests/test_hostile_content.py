"""Hostile or broken content files: bounded before parsing, positioned errors, never a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from healthkit import ContentError, loads_condition
from healthkit.cli import main
from healthkit.content import check_file, check_text
from healthkit.content.yamlio import MAX_DEPTH

from .conftest import ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"


def _healthkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command in its own process: a crash there must not take the test run down."""
    return subprocess.run([sys.executable, "-m", "healthkit", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def _errors(path: Path) -> list[str]:
    return [d.format() for d in check_file(path).diagnostics if d.severity == "error"]


# -- depth and size, before parsing ----------------------------------------------------------
DEEP = {
    "brackets.yaml": "[" * 28_000,
    "dashes.yaml": "- " * 100_000,
    "braces.yaml": "{a: " * 20_000,
    "blocks.yaml": "".join(" " * i + "k:\n" for i in range(200)),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_a_positioned_error_not_a_segfault(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(DEEP[name])
    result = _healthkit("check", "-q", str(path))
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stdout.splitlines() if ": error: " in line]
    where, message = line.split(": error: ", 1)
    file, row, col = where.rsplit(":", 2)
    assert file == str(path) and int(row) >= 1 and int(col) >= 1
    assert f"deeper than {MAX_DEPTH} levels" in message


def test_a_deep_file_does_not_stop_the_other_lessons(tmp_path: Path, seed_text: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "back-spasms.yaml").write_text(seed_text)
    (content / "deep.yaml").write_text(DEEP["brackets.yaml"])
    checked = _healthkit("check", "-q", str(content))
    assert checked.returncode == 1 and "deep.yaml:1:" in checked.stdout
    assert not [line for line in checked.stdout.splitlines() if "back-spasms.yaml" in line and ": error: " in line]  # the good file passes
    exported = _healthkit("export-quiz", "back-spasms", "--format", "gift", "-o", str(tmp_path / "q.gift"), "--content", str(content))
    assert exported.returncode == 0, exported.stderr
    every = _healthkit("export-quiz", "--format", "gift", "-o", str(tmp_path / "all.gift"), "--content", str(content))
    assert every.returncode == 1 and "deep.yaml:1:" in every.stderr and "Traceback" not in every.stderr
    assert not (tmp_path / "all.gift").exists()
    built = _healthkit("build", "--content", str(content), "--out", str(tmp_path / "out"), "--template", str(TEMPLATE), "--no-html", "-j", "1", "-q")
    assert built.returncode == 1 and "deep.yaml:1:" in built.stderr and "Traceback" not in built.stderr
    assert (tmp_path / "out" / "lessons" / "back-spasms.ipynb").is_file()


def test_depth_limit_allows_every_real_file(seed_text: str) -> None:
    def nested(n: int) -> str:  # the top-level mapping counts as one level
        return "id: x\nlist: " + "[" * n + "]" * n + "\n"

    assert not any("deeper than" in d.message for d in check_text(nested(MAX_DEPTH - 1), "x.yaml").diagnostics)
    (diag,) = [d for d in check_text(nested(MAX_DEPTH), "x.yaml").diagnostics if "deeper than" in d.message]
    assert (diag.line, diag.column) == (2, len("list: ") + MAX_DEPTH)
    assert check_text(seed_text, "back-spasms.yaml").ok


def test_files_that_are_not_regular_files_are_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # reading it would wait forever
    result = subprocess.run([sys.executable, "-m", "healthkit", "check", "-q", str(fifo)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{fifo}: error: not a regular file" in result.stdout


# -- control characters and encodings (real line and column) ----------------------------------
def _at(text: str, marker: str) -> tuple[int, int]:
    index = text.index(marker)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.mark.parametrize(
    ("char", "name"),
    [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F"), ("\x85", "U+0085"), ("\x9b", "U+009B"),
     ("\ufffe", "U+FFFE"), ("\U0001ffff", "U+1FFFF"), ("\ufdd0", "U+FDD0"), ("\u2028", "U+2028"), ("\r", "U+000D")],
)
def test_control_characters_are_refused_where_they_are(tmp_path: Path, seed_text: str, char: str, name: str) -> None:
    marker = "what eases it"
    text = seed_text.replace(marker, f"what{char} eases it", 1)
    path = tmp_path / "back-spasms.yaml"
    path.write_text(text, encoding="utf-8")
    line, column = _at(text, f"what{char}")
    errors = _errors(path)
    assert any(e.startswith(f"{path}:{line}:{column + 4}: error: ") and name in e for e in errors), errors


@pytest.mark.parametrize("escape", ["\\0", "\\a", "\\v", "\\e", "\\x7f", "\\x85", "\\uFFFE", "\\r", "\\u2029"])
def test_control_characters_written_as_escapes_are_refused(seed_text: str, escape: str) -> None:
    text = seed_text.replace("title: Back spasms", f'title: "Back{escape} spasms"', 1)
    result = check_text(text, "back-spasms.yaml")
    assert not result.ok
    (diag,) = [d for d in result.diagnostics if d.severity == "error"]
    assert (diag.line, diag.column, diag.key) == (*_at(text, '"Back'), "title")
    assert "U+" in diag.message


def test_tab_newline_and_windows_line_endings_are_fine(seed_text: str) -> None:
    assert check_text(seed_text.replace("\n", "\r\n"), "back-spasms.yaml").ok
    assert check_text(seed_text.replace("title: Back spasms", 'title: "Back\\tspasms"'), "back-spasms.yaml").ok


def test_utf16_is_named_with_a_position(tmp_path: Path, seed_text: str) -> None:
    bare = tmp_path / "bare.yaml"
    bare.write_bytes(seed_text.encode("utf-16-le"))
    (error,) = _errors(bare)
    assert error.startswith(f"{bare}:1:2: error: ") and "UTF-16" in error
    with_bom = tmp_path / "bom.yaml"
    with_bom.write_bytes(seed_text.encode("utf-16"))
    (error,) = _errors(with_bom)
    assert error.startswith(f"{with_bom}:1:1: error: ") and "UTF-16" in error and "UTF-8" in error


def test_invalid_utf8_names_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: x\ntitle: caf\xe9\n".encode("latin-1"))
    (error,) = _errors(path)
    assert error.startswith(f"{path}:2:11: error: ") and "not UTF-8" in error


# -- YAML syntax errors point at the open construct --------------------------------------------
@pytest.mark.parametrize("opener", ["broken: [unclosed", "broken: {unclosed: 1", "broken: 'unclosed", 'broken: "unclosed'])
def test_an_unclosed_construct_is_reported_where_it_opens(seed_text: str, opener: str) -> None:
    text = seed_text.rstrip("\n") + "\n" + opener + "\n"
    line = text.count("\n")  # the last line: nothing exists after it
    result = check_text(text, "back-spasms.yaml")
    (diag,) = result.diagnostics
    assert diag.line == line, diag.format()
    assert diag.column == len("broken: ") + 1
    assert f"line {line}" in diag.message


def test_a_syntax_error_in_the_middle_keeps_its_own_line(seed_text: str) -> None:
    text = seed_text.replace("tagline: Know", "tagline: Know: what", 1)
    (diag,) = check_text(text, "back-spasms.yaml").diagnostics
    assert diag.line == _at(text, "tagline: Know")[0]


# -- small rules ---------------------------------------------------------------------------------
def test_anchors_are_refused_even_without_aliases(seed_text: str) -> None:
    text = seed_text.replace("title: Back spasms", "title: &name Back spasms", 1)
    (diag,) = check_text(text, "back-spasms.yaml").diagnostics
    assert "anchors (&name) are not allowed" in diag.message
    assert (diag.line, diag.column) == _at(text, "&name")


@pytest.mark.parametrize("value", ["-5", "0", "100000000000000000000", "1_0", "١٢", "2.5", "\"10\"", "'10'"])
def test_reading_time_must_be_a_sensible_number_of_minutes(seed_text: str, value: str) -> None:
    text = seed_text.rstrip("\n") + f"\nreading_time_minutes: {value}\n"
    result = check_text(text, "back-spasms.yaml")
    (diag,) = [d for d in result.diagnostics if d.severity == "error"]
    assert diag.key == "reading_time_minutes" and diag.line == text.count("\n")


def test_reading_time_in_range_is_used(seed_text: str) -> None:
    condition = loads_condition(seed_text.rstrip("\n") + "\nreading_time_minutes: 12\n")
    assert condition.reading_time_minutes == 12


def test_a_top_level_scalar_error_does_not_echo_the_whole_file() -> None:
    text = "This is a pasted article. " * 400
    with pytest.raises(ContentError) as info:
        loads_condition(text, "x.yaml")
    (diag,) = info.value.diagnostics
    assert len(diag.message) < 200 and "a mapping" in diag.message


def test_check_json_has_positions_for_hostile_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").write_text("id: a\ntitle: x\x00y\n")
    (tmp_path / "b.yaml").write_text("[" * 100)
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    assert {(Path(d["path"]).name, d["line"] > 0, d["column"] > 0) for d in diagnostics} == {("a.yaml", True, True), ("b.yaml", True, True)}


def test_seed_still_loads() -> None:
    assert check_file(SEED).ok


def test_an_id_too_long_for_a_file_name_is_refused_by_check(seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 240-character id passed check and then failed the build with "File name too long":
    check refuses it, naming the limit."""
    long_id = "-".join(["spasm"] * 40)[:239].rstrip("-")
    text = seed_text.replace("id: back-spasms", f"id: {long_id}", 1)
    path = tmp_path / f"{long_id}.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "-q", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{len(long_id)} characters long; at most 100" in out and "(id)" in out
