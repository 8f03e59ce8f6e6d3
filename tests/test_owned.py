"""What a command owns: one rule for replacing and deleting files (build, workshop, Lite),
and one zip writer for every bundle."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Collection, Mapping

import pytest

from healthkit.app.owned import digests, foreign, manifest_text, place, read_owned
from healthkit.errors import OutputError
from healthkit.io import ZIP_DATE, zip_entries

from .conftest import ROOT

MANIFEST = ".manifest.json"


def _stage(folder: Path, files: dict[str, str]) -> dict[str, str]:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return digests(folder, list(files))


def _place(tmp_path: Path, files: dict[str, str], force: bool = False, run: str = "run") -> tuple[list[str], list[dict[str, object]]]:
    """Stage ``files`` and place them in tmp_path/out; returns the warnings and every manifest written."""
    staged = tmp_path / run
    new = _stage(staged, files)
    out = tmp_path / "out"
    written: list[dict[str, object]] = []

    def record(recorded: Mapping[str, Collection[str]]) -> None:
        (out / MANIFEST).write_text(manifest_text(recorded))
        written.append(json.loads((out / MANIFEST).read_text())["files"])

    done = place(staged, new, out, read_owned(out / MANIFEST), force, record)
    return done.warnings, written


def test_a_rerun_replaces_its_own_files_and_deletes_those_it_no_longer_makes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _place(tmp_path, {"a.txt": "one", "sub/b.txt": "two", "gone/c.txt": "three"}, run="first")
    (out / "mine.txt").write_text("a file someone added")
    warnings, _ = _place(tmp_path, {"a.txt": "one, again", "sub/b.txt": "two"}, run="second")
    assert warnings == []
    assert (out / "a.txt").read_text() == "one, again"
    assert not (out / "gone").exists(), "the file and the folder it leaves empty are removed"
    assert (out / "mine.txt").read_text() == "a file someone added"
    assert foreign(out, read_owned(out / MANIFEST), skip={MANIFEST}) == ["mine.txt"]


def test_a_changed_or_foreign_file_is_kept_with_a_warning_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _place(tmp_path, {"a.txt": "one", "b.txt": "two"}, run="first")
    (out / "a.txt").write_text("my edit")
    (out / "new.txt").write_text("my own file, where the next run writes")
    warnings, _ = _place(tmp_path, {"a.txt": "one", "new.txt": "made"}, run="second")
    assert (out / "a.txt").read_text() == "my edit" and (out / "new.txt").read_text() == "my own file, where the next run writes"
    assert warnings == [
        f"kept {out / 'a.txt'}: it changed since healthkit wrote it; pass --force to replace it",
        f"kept {out / 'new.txt'}: healthkit did not write it; pass --force to replace it",
    ]
    assert set(read_owned(out / MANIFEST)) == set(), "b.txt was removed; the kept files are not healthkit's"
    warnings, _ = _place(tmp_path, {"a.txt": "one", "new.txt": "made"}, force=True, run="third")
    assert warnings == [] and (out / "a.txt").read_text() == "one" and (out / "new.txt").read_text() == "made"


def test_a_changed_file_the_run_no_longer_makes_is_never_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _place(tmp_path, {"a.txt": "one", "b.txt": "two"}, run="first")
    (out / "b.txt").write_text("my notes")
    warnings, _ = _place(tmp_path, {"a.txt": "one"}, force=True, run="second")
    assert (out / "b.txt").read_text() == "my notes"
    assert warnings == [f"kept {out / 'b.txt'}: it changed since healthkit wrote it, so it is yours now"]


@pytest.mark.parametrize("obstacle", ["folder", "link-out", "file-as-folder"])
def test_a_target_no_run_may_write_stops_it_before_anything_moves(tmp_path: Path, obstacle: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if obstacle == "folder":
        (out / "sub" / "b.txt").mkdir(parents=True)
    elif obstacle == "link-out":
        (out / "sub").symlink_to(elsewhere)
    else:
        (out / "sub").write_text("a file where a folder goes")
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    with pytest.raises(OutputError, match=f"cannot write {re.escape(str(out / 'sub'))}"):
        _place(tmp_path, {"a.txt": "one", "sub/b.txt": "two"})
    assert not (out / "a.txt").exists() and not list(elsewhere.iterdir())
    assert sorted(p.as_posix() for p in tmp_path.rglob("*") if "run" not in p.parts) == [b for b in before if "/run" not in b]


def test_while_files_move_the_manifest_knows_old_and_new(tmp_path: Path) -> None:
    """A run killed half way leaves files that are the old or the new ones: both are known."""
    _place(tmp_path, {"a.txt": "one"}, run="first")
    _, written = _place(tmp_path, {"a.txt": "one, again"}, run="second")
    during, after = written
    assert isinstance(during["a.txt"], list) and len(during["a.txt"]) == 2
    assert isinstance(after["a.txt"], str)
    out = tmp_path / "out"
    (out / MANIFEST).write_text(json.dumps({"files": during}))
    (out / "a.txt").write_text("one")  # the old file was still there
    warnings, _ = _place(tmp_path, {"a.txt": "three"}, run="third")
    assert warnings == [] and (out / "a.txt").read_text() == "three"


@pytest.mark.parametrize("manifest", ['{"files": {"../x": "' + "0" * 64 + '"}}', '{"files": {"a.txt": "short"}}', "[", '{"files": 3}'])
def test_a_manifest_that_cannot_be_trusted_owns_nothing(tmp_path: Path, manifest: str) -> None:
    out = tmp_path / "out"
    _place(tmp_path, {"a.txt": "one"}, run="first")
    (out / MANIFEST).write_text(manifest)
    warnings, _ = _place(tmp_path, {"b.txt": "two"}, run="second")
    assert (out / "a.txt").read_text() == "one", "nothing is deleted on an untrusted manifest's word"
    assert warnings == []


# -- zips --------------------------------------------------------------------------------------
def test_zip_entries_are_deterministic_explicit_and_never_follow_links(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("data")
    first = zip_entries([("b/file.txt", tmp_path / "file.txt"), ("a.txt", b"bytes")])
    os.utime(tmp_path / "file.txt", (0, 0))
    assert zip_entries([("b/file.txt", tmp_path / "file.txt"), ("a.txt", b"bytes")]) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist() == ["b/file.txt", "a.txt"]
    assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(OutputError, match="symbolic link"):
        zip_entries([("link.txt", tmp_path / "link.txt")])
    with pytest.raises(OutputError, match="not a regular file"):
        zip_entries([("folder", tmp_path)])
    with pytest.raises(ValueError):
        zip_entries([("a.txt", b"1"), ("a.txt", b"2")])
    with pytest.raises(ValueError):
        zip_entries([("../a.txt", b"1")])


def test_every_zip_is_written_by_the_one_zip_writer() -> None:
    writers = []
    for path in (ROOT / "healthkit").rglob("*.py"):
        text = path.read_text()
        if re.search(r"ZipFile\([^)]*[\"']w[\"']", text) or "ZipInfo(" in text or "make_archive" in text:
            writers.append(path.relative_to(ROOT).as_posix())
    assert writers == ["healthkit/io.py"]


@pytest.mark.parametrize("linked", ["site", "lessons"])
def test_a_link_in_the_output_folder_that_leads_out_stops_the_build(tmp_path: Path, linked: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`build/site` linked to a folder of the user's own: healthkit would overwrite their
    index.html there. The build stops before it writes anything, naming the link."""
    from healthkit.cli import main

    from .conftest import CONTENT

    mine = tmp_path / "my-website"
    mine.mkdir()
    (mine / "index.html").write_text("my own page")
    (mine / "migraine.ipynb").write_text("my own notebook")
    out = tmp_path / "out"
    out.mkdir()
    (out / linked).symlink_to(mine)
    assert main(["build", "migraine", "--content", str(CONTENT), "--out", str(out), "--html", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"{out / linked} is a link to {mine}" in err and err.count("\n") == 1
    assert (mine / "index.html").read_text() == "my own page" and (mine / "migraine.ipynb").read_text() == "my own notebook"
    assert sorted(p.name for p in mine.iterdir()) == ["index.html", "migraine.ipynb"]


def test_a_link_that_stays_inside_the_output_folder_is_fine(tmp_path: Path) -> None:
    from healthkit.app.outputs import check_out_dir

    out = tmp_path / "out"
    (out / "real").mkdir(parents=True)
    (out / "alias").symlink_to(out / "real")
    check_out_dir(out)
