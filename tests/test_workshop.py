"""`healthkit workshop`: the pack holds exactly what the command made, and nothing else is touched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import pytest

from healthkit.cli import main
from healthkit.distribution import wheel
from healthkit.lesson.render import PENDING_NOTICE

from .conftest import ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
pytestmark = pytest.mark.slow


def _content(tmp_path: Path, suffix: str = ".yaml") -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / f"back-spasms{suffix}").write_text(SEED.read_text())
    return content


def _workshop(capsys: pytest.CaptureFixture[str], content: Path, out: Path | str, *extra: str) -> tuple[int, str]:
    status = main(["workshop", "back-spasms", "--content", str(content), "-o", str(out), "--template", str(TEMPLATE), "-j", "1", *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


#: The healthkit wheel every pack carries (see healthkit.app.install).
WHEEL = wheel().filename  # type: ignore[union-attr]
EXPECTED = {
    "README.md", "environment.yml", "requirements.txt", WHEEL, "content/back-spasms.yaml",
    "lessons/back-spasms.ipynb", "teacher/back-spasms.ipynb", "teacher/back-spasms.html",
    "site/index.html", "site/back-spasms.html", "site/lessons.zip",
    "quizzes/quizzes.gift", "quizzes/quizzes-moodle.xml", "quizzes/quizzes-qti.zip",
}


def test_the_zip_is_named_after_the_whole_folder_and_holds_only_the_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    packs = tmp_path / "packs"
    packs.mkdir()
    unrelated = packs / "pack.zip"
    unrelated.write_text("someone else's zip")
    out = packs / "pack.v2"
    status, _ = _workshop(capsys, content, out, "--zip")
    assert status == 0
    assert unrelated.read_text() == "someone else's zip"
    names = set(zipfile.ZipFile(packs / "pack.v2.zip").namelist())
    assert names == {f"pack.v2/{name}" for name in EXPECTED}
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")} == EXPECTED
    assert not [p for p in packs.iterdir() if p.name.startswith(".")]  # no staging folder left
    assert f"- Back spasms: {PENDING_NOTICE}" in (out / "README.md").read_text()  # each lesson's review status


def test_an_existing_zip_or_folder_needs_force_and_foreign_files_are_never_packed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    out = tmp_path / "pack"
    out.mkdir()
    (out / "private-notes.txt").write_text("mine")
    archive = tmp_path / "pack.zip"
    archive.write_text("an older zip")
    status, err = _workshop(capsys, content, out, "--zip")
    assert status == 1 and "--force" in err and str(out) in err
    status, err = _workshop(capsys, content, tmp_path / "fresh", "--zip")  # the zip name is free here
    assert status == 0
    (out / "private-notes.txt").unlink()  # the folder is empty now; only the zip is in the way
    status, err = _workshop(capsys, content, out, "--zip")
    assert status == 1 and f"{archive} exists; pass --force to overwrite it" in err
    assert archive.read_text() == "an older zip" and not list(out.iterdir())
    (out / "private-notes.txt").write_text("mine")
    status, err = _workshop(capsys, content, out, "--zip", "--force")
    assert status == 0
    assert (out / "private-notes.txt").read_text() == "mine"  # left alone
    assert {n.split("/", 1)[1] for n in zipfile.ZipFile(archive).namelist()} == EXPECTED
    status, err = _workshop(capsys, content, out)  # the pack it made may be remade without --force
    assert status == 0


def test_a_yml_content_file_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path, ".yml")
    out = tmp_path / "pack"
    status, err = _workshop(capsys, content, out)
    assert status == 0, err
    assert (out / "content" / "back-spasms.yml").is_file()
    nb = nbformat.read(out / "lessons" / "back-spasms.ipynb", as_version=4)
    assert nb.metadata["healthkit"]["parameters"]["content_dir"] == "../content"


@pytest.mark.parametrize("command", ["workshop", "build", "export-quiz"])
def test_a_content_file_given_as_the_content_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    content = _content(tmp_path, ".yml")
    single = content / "back-spasms.yml"
    args = {"workshop": ["-o", str(tmp_path / "pack")], "build": ["--out", str(tmp_path / "out")], "export-quiz": ["--format", "gift", "-o", str(tmp_path / "q.gift")]}
    assert main([command, "--content", str(single), *args[command]]) == 1
    err = capsys.readouterr().err
    assert f"healthkit: error: {single}: error: this is a file, not a folder" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


@pytest.mark.parametrize("zip_flag", [[], ["--zip"]])
def test_the_current_folder_is_refused_before_building(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, zip_flag: list[str]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    content = _content(project)
    (project / "README.md").write_text("my project")
    monkeypatch.chdir(project)
    status, err = _workshop(capsys, content, ".", *zip_flag)
    assert status == 1 and "current folder" in err
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "content"]
    assert (project / "README.md").read_text() == "my project"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_a_failed_lesson_leaves_no_half_made_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    template = nbformat.read(TEMPLATE, as_version=4)
    template.cells.insert(3, nbformat.v4.new_code_cell('if edition == "teacher":\n    raise RuntimeError("no teacher today")'))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(template, broken)
    out = tmp_path / "pack"
    status = main(["workshop", "back-spasms", "--content", str(content), "-o", str(out), "--template", str(broken), "-j", "1", "--zip"])
    err = capsys.readouterr().err
    assert status == 1 and "no teacher today" in err and "Traceback" not in err
    assert not out.exists() and not (tmp_path / "pack.zip").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ipynb", "content"]


def test_a_condition_named_twice_is_packed_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    out = tmp_path / "pack"
    status = main(["workshop", "back-spasms", "back-spasms", "--content", str(content), "-o", str(out), "--template", str(TEMPLATE), "-j", "1", "--zip"])
    assert status == 0, capsys.readouterr().err
    names = zipfile.ZipFile(tmp_path / "pack.zip").namelist()
    assert len(names) == len(set(names)) and {n.split("/", 1)[1] for n in names} == EXPECTED
    assert (out / ".healthkit-workshop.json").is_file()


@pytest.mark.parametrize("obstacle", ["folder", "link-out"])
def test_every_file_of_the_pack_is_checked_before_anything_is_built(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, obstacle: str) -> None:
    content = _content(tmp_path)
    out = tmp_path / "pack"
    if obstacle == "folder":
        (out / "site" / "index.html").mkdir(parents=True)
        where = out / "site" / "index.html"
    else:
        (tmp_path / "elsewhere").mkdir()
        out.mkdir()
        (out / "teacher").symlink_to(tmp_path / "elsewhere")
        where = out / "teacher"
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    monkeypatch.setattr("healthkit.app.workshop.build", lambda *a, **k: pytest.fail("a lesson was built"))
    status, err = _workshop(capsys, content, out, "--force", "--zip")
    assert status == 1 and f"healthkit: error: cannot write " in err and str(where) in err
    assert sorted(p.as_posix() for p in tmp_path.rglob("*")) == before  # nothing made, no staging folder


def test_a_rerun_keeps_a_file_someone_changed_and_removes_what_it_no_longer_makes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    (content / "migraine-lite.yaml").write_text(SEED.read_text().replace("id: back-spasms", "id: migraine-lite"))
    out = tmp_path / "pack"
    base = ["workshop", "--content", str(content), "-o", str(out), "--template", str(TEMPLATE), "-j", "1"]
    assert main([*base, "back-spasms", "migraine-lite"]) == 0
    readme = out / "README.md"
    readme.write_text(readme.read_text() + "\nRoom 4. Bring a laptop.\n")
    notes = out / "teacher" / "migraine-lite.html"
    notes.write_text(notes.read_text() + "<!-- my notes -->")
    capsys.readouterr()

    assert main([*base, "back-spasms"]) == 0  # migraine-lite is no longer in the pack
    err = capsys.readouterr().err
    assert "Room 4" in readme.read_text()
    assert f"healthkit: warning: kept {readme}: it changed since healthkit wrote it; pass --force to replace it" in err
    assert "my notes" in notes.read_text() and f"healthkit: warning: kept {notes}" in err
    assert not (out / "lessons" / "migraine-lite.ipynb").exists() and not (out / "site" / "migraine-lite.html").exists()

    assert main([*base, "back-spasms", "--force"]) == 0
    assert "Room 4" not in readme.read_text() and "Lessons in this pack" in readme.read_text()
    assert "my notes" in notes.read_text()  # a changed file is never deleted, even with --force


def test_the_summary_counts_lessons_not_editions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    assert main(["workshop", "back-spasms", "--content", str(content), "-o", str(tmp_path / "pack"), "--template", str(TEMPLATE), "-j", "1"]) == 0
    assert "(1 lesson, learner and teacher editions)" in capsys.readouterr().out


def test_a_folder_inside_the_content_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    status, err = _workshop(capsys, content, content / "pack")
    assert status == 1 and "is inside the content folder" in err
    assert sorted(p.name for p in content.iterdir()) == ["back-spasms.yaml"]
