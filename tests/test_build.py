"""`healthkit build`: every condition renders; failures are contained; writes are atomic."""

from __future__ import annotations

import html as html_lib
import os
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from healthkit import load_condition
from healthkit.app.build import BuildOptions, build
from healthkit.cli import main
from healthkit.errors import BuildError
from healthkit.io import write_text_atomic
from healthkit.lesson.render import PENDING_NOTICE
from healthkit.render import LessonJob, execute_lesson

from .conftest import CONTENT, ROOT, SEED

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--template", str(TEMPLATE), "--edition", "both", "-q"]) == 0
    return out


def test_every_condition_renders_a_valid_lesson(built: Path) -> None:
    ids = sorted(p.stem for p in CONTENT.glob("*.yaml"))
    for edition_dir in ("lessons", "teacher"):
        assert sorted(p.stem for p in (built / edition_dir).glob("*.ipynb")) == ids
        for path in (built / edition_dir).glob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
            assert nb.metadata["healthkit"]["condition"] == path.stem


def test_lesson_structure_a_learner_expects(built: Path) -> None:
    nb = nbformat.read(built / "lessons" / "back-spasms.ipynb", as_version=4)
    html = "\n".join(o["data"].get("text/html", "") for c in nb.cells for o in c.get("outputs", []) if "data" in o)
    html = re.sub(r"<style\b.*?</style>", "", html, flags=re.S)
    order = ["<h1", PENDING_NOTICE, "When to get help", "tier-emergency", "What you will learn", "section-types", "section-causes", "section-symptoms", "section-diagnosis",
             "section-prevention", "section-treatments", "section-home_remedies", "Flashcards", "Final quiz", "Key terms", "Sources"]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "minutes to read" in html and "Updated" in html and "Please note:" in html
    assert "Last reviewed" not in html and "Reviewed by" not in html  # nobody has reviewed it
    quizzes = [o for c in nb.cells for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(quizzes) == 10  # the triage check after the safety box, seven section checks, the final quiz, the score summary
    for output in quizzes:
        assert "at 0x" not in output["data"]["text/plain"]  # stable repr
        assert "Run this" in output["data"]["text/html"] or "Run the lesson" in output["data"]["text/html"]
    # Learners never need to read Python: every code cell's input is hidden.
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.metadata["jupyter"]["source_hidden"] is True
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and all("remove-cell" in c.metadata["tags"] and c.metadata["jupyter"]["outputs_hidden"] for c in injected)


def test_learner_edition_has_no_answer_key_teacher_edition_does(built: Path) -> None:
    def text(path: Path) -> str:
        nb = nbformat.read(path, as_version=4)
        return "\n".join(o["data"].get("text/html", "") for c in nb.cells for o in c.get("outputs", []) if "data" in o)

    learner, teacher = text(built / "lessons" / "back-spasms.ipynb"), text(built / "teacher" / "back-spasms.ipynb")
    assert "Common misconception:" in teacher and "Suggested time:" in teacher
    for marker in ("Answer key", "(correct)", "Answer sheet", "Facilitator notes"):
        assert marker not in learner
        assert marker in teacher


def test_site_index_and_zip(built: Path) -> None:
    site = built / "site"
    index = (site / "index.html").read_text()
    assert 'href="back-spasms.html"' in index and "Nothing leaves your device" in index
    names = zipfile.ZipFile(site / "lessons.zip").namelist()
    assert "healthkit-lessons/build/lessons/back-spasms.ipynb" in names
    assert "healthkit-lessons/content/back-spasms.yaml" in names
    assert "healthkit-lessons/environment.yml" in names


def _page_text(path: Path) -> str:
    """What a reader sees on a page: its text without markup, styles or scripts."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", path.read_text(), flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_every_output_says_the_lesson_is_not_reviewed(built: Path) -> None:
    for path in [*built.glob("*/*.ipynb"), *built.glob("site/*.html"), *built.glob("teacher/*.html")]:
        assert PENDING_NOTICE in path.read_text(), path


def test_safety_box_names_the_region_s_services(built: Path, tmp_path: Path) -> None:
    uk = _page_text(built / "site" / "back-spasms.html")
    assert "Call 999 or go to A&E now if:" in uk and "NHS 111" in uk
    assert main(["build", "back-spasms", "--region", "us", "--content", str(CONTENT), "--out", str(tmp_path), "--template", str(TEMPLATE), "-q"]) == 0
    us = _page_text(tmp_path / "site" / "back-spasms.html")
    assert "Call 911 or go to the emergency room now if:" in us
    assert "999" not in us and "A&E" not in us and "111" not in us
    # The same trigger text, under each region's heading.
    condition = load_condition(CONTENT / "back-spasms.yaml")
    assert condition.safety is not None
    first = condition.safety.emergency[0] if condition.safety.emergency else condition.safety.urgent[0]
    assert first in uk and first in us


def _two_conditions(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    seed = SEED.read_text()
    (content / "back-spasms.yaml").write_text(seed)
    (content / "second.yaml").write_text(seed.replace("id: back-spasms", "id: second").replace("title: Back spasms", "title: Second"))
    return content


def test_a_failing_lesson_is_reported_and_the_others_still_build(tmp_path: Path) -> None:
    content = _two_conditions(tmp_path)
    template = nbformat.read(TEMPLATE, as_version=4)
    boom = nbformat.v4.new_code_cell('if condition == "second":\n    raise RuntimeError("boom in second")')
    template.cells.insert(3, boom)
    bad_template = tmp_path / "lesson.ipynb"
    nbformat.write(template, bad_template)
    (content / "broken.yaml").write_text("id: broken\ntitle: [\n")
    out = tmp_path / "out"
    report = build(BuildOptions(content_dir=content, out_dir=out, template=bad_template, jobs=2))
    by_id = {r.condition: r for r in report.results}
    assert by_id["back-spasms"].status == "built", by_id["back-spasms"].error
    assert by_id["second"].status == "failed"
    assert by_id["second"].error == "RuntimeError: boom in second"
    assert by_id["second"].cell == 5  # 1-based, counting the injected-parameters cell
    assert by_id["broken"].status == "failed" and "broken.yaml:2:8" in by_id["broken"].error  # the unclosed "["
    assert not report.ok
    assert sorted(p.name for p in (out / "lessons").iterdir()) == ["back-spasms.ipynb"]  # nothing half-written
    assert sorted(p.name for p in (out / "site").iterdir()) == ["back-spasms.html", "index.html", "lessons.zip"]


def test_cli_build_exit_status_and_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "nope", "--content", str(CONTENT), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "unknown condition(s): nope; valid conditions: back-spasms" in err
    assert "Traceback" not in err


def test_template_rejects_bad_parameters_with_the_valid_values(tmp_path: Path) -> None:
    job = LessonJob("back-spasms", "student", CONTENT, TEMPLATE, tmp_path)
    with pytest.raises(BuildError) as info:
        execute_lesson(job)
    assert "edition 'student' is not valid; use one of: learner, teacher" in str(info.value)
    job = LessonJob("back-spasm", "learner", CONTENT, TEMPLATE, tmp_path)
    with pytest.raises(BuildError, match="condition 'back-spasm' is not in .*; valid conditions: back-spasms"):
        execute_lesson(job)


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "lesson.ipynb"
    write_text_atomic(target, "old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.ipynb"]
