"""Loading content: happy paths, and precise errors for malformed files."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

import healthkit
from healthkit import ContentError, HealthkitError, load_catalog, load_condition, loads_condition
from healthkit.model import SECTION_NAMES

from .conftest import CONTENT, SEED


def test_load_seed_condition_is_frozen_and_complete() -> None:
    condition = load_condition(SEED)
    assert condition.id == "back-spasms"
    assert [name for name, _ in condition.sections.items()] == list(SECTION_NAMES)
    assert all(section.items for _, section in condition.sections.items())
    assert len(condition.faq) == 5
    assert len(condition.quiz) >= 10
    assert {q.section for q in condition.quiz} == set(SECTION_NAMES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        condition.title = "changed"  # type: ignore[misc]


def test_loads_condition_keeps_yaml_1_1_words_as_text(seed_text: str) -> None:
    text = seed_text.replace("title: Back spasms", "title: no", 1).replace(
        "  - Name common causes of back spasms.", "  - on", 1
    )
    condition = loads_condition(text)
    assert condition.title == "no"
    assert "on" in condition.learning_objectives


def test_load_catalog_reads_every_file() -> None:
    catalog = load_catalog(CONTENT)
    assert "back-spasms" in catalog.ids
    assert len(catalog) == len(list(CONTENT.glob("*.yaml")))
    assert catalog["back-spasms"].title


def test_load_catalog_reports_all_broken_files(tmp_path: Path, seed_text: str) -> None:
    (tmp_path / "back-spasms.yaml").write_text(seed_text.replace("status: published", "status: done"))
    (tmp_path / "other.yaml").write_text("id: other\n")
    with pytest.raises(ContentError) as info:
        load_catalog(tmp_path)
    paths = {d.path for d in info.value.diagnostics}
    assert paths == {str(tmp_path / "back-spasms.yaml"), str(tmp_path / "other.yaml")}


def test_every_error_is_a_healthkit_error() -> None:
    assert issubclass(ContentError, HealthkitError)
    with pytest.raises(HealthkitError):
        loads_condition("just text")
    with pytest.raises(HealthkitError):
        load_condition(CONTENT / "does-not-exist.yaml")


# -- malformed content -------------------------------------------------------------------
# Each case edits the seed file: (old, new, key, message fragment, line marker).
# The expected line is the one holding `marker` in the edited text (default: `new`).
CASES = [
    ("sections:\n", "sectons:\n", "sectons", "did you mean 'sections'", None),
    ("tagline: Know", "title: Again\ntagline: Know", "title", "duplicate key 'title'", "title: Again"),
    ("        correct: true\n", "        correct: yes\n", "quiz[0].options[0].correct", "expected true or false", "correct: yes"),
    ("updated: 2026-11-25", "updated: 2026-02-30", "updated", "not a real calendar date", None),
    ("updated: 2026-11-25", "updated: 25/11/2026", "updated", "YYYY-MM-DD", None),
    ("updated: 2026-11-25", "updated: 2999-01-01", "updated", "in the future", None),
    ("status: published", "status: publshed", "status", "did you mean 'published'", None),
    ("    type: multiple\n", "    type: multi\n", "quiz[3].type", "did you mean 'multiple'", "type: multi\n"),
    ("    section: causes\n  - question: How does", "    section: cause\n  - question: How does", "faq[1].section", "did you mean 'causes'", "section: cause\n"),
    ("      - text: Chronic\n        correct: false", "      - text: Chronic\n        correct: true", "quiz[0].options", "exactly one correct option", "- text: Acute"),
    ("      - text: Chronic\n        correct: false", "      - text: acute!\n        correct: false", "quiz[0].options[1].text", "repeats option 1", "text: acute!"),
    ("title: Back spasms\n", 'title: ""\n', "title", "text is empty", 'title: ""'),
    ("tagline: Know what tightens your back, what eases it, and when to get help.\n", "", "tagline", "missing required key 'tagline'", "id: back-spasms"),
    ("        caution: Wrap heat pads", "        cuation: Wrap heat pads", "sections.home_remedies.items[0].cuation", "did you mean 'caution'", "cuation:"),
    ("learning_objectives:\n", "learning_objectives: Learn things\nold_objectives:\n", "learning_objectives", "expected a list", "learning_objectives: Learn"),
    ("    url: https://www.nhs.uk/conditions/back-pain/", "    url: www.nhs.uk/back-pain", "sources[1].url", "does not have the expected form", "url: www.nhs.uk"),
    ("  - id: chronic-link\n", "  - id: acute-or-chronic\n", "quiz[1].id", "used twice", "  - id: acute-or-chronic\n    type: true_false"),
    ("    published: 2023-03-21\n", "    published: March 2023\n", "sources[0].published", "YYYY-MM-DD", "published: March 2023"),
    ("key_terms:\n", "key_terms: []\nunused:\n", "key_terms", "expected a mapping", "key_terms: []"),
    ("  types:\n    summary: >-", "  types: null\n  kinds:\n    summary: >-", "sections.types", "value is empty", "types: null"),
    ("id: back-spasms\n", "id: Back Spasms\n", "id", "does not have the expected form", None),
]


def _line_of(text: str, marker: str) -> int:
    index = text.index(marker)
    return text.count("\n", 0, index) + 1 + (1 if marker.startswith("\n") else 0)


@pytest.mark.parametrize(("old", "new", "key", "fragment", "marker"), CASES, ids=[c[2] + ":" + c[3][:20] for c in CASES])
def test_malformed_content_names_file_line_and_key(
    tmp_path: Path, seed_text: str, old: str, new: str, key: str, fragment: str, marker: str | None
) -> None:
    assert old in seed_text, "case does not apply to the seed file"
    text = seed_text.replace(old, new, 1)
    path = tmp_path / "back-spasms.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_condition(path)
    matching = [d for d in info.value.errors if d.key == key and fragment in d.message]
    assert matching, f"no error for {key!r} with {fragment!r} in:\n{info.value}"
    diag = matching[0]
    assert diag.path == str(path)
    assert diag.line == _line_of(text, marker or new)
    line_text = text.splitlines()[diag.line - 1]
    assert 1 <= diag.column <= len(line_text) + 1
    assert diag.format().startswith(f"{path}:{diag.line}:{diag.column}: error: ")
    assert diag.format().endswith(f"({key})")


def test_id_must_match_file_name(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "backache.yaml"
    path.write_text(seed_text)
    with pytest.raises(ContentError) as info:
        load_condition(path)
    (diag,) = info.value.errors
    assert (diag.line, diag.key) == (3, "id")
    assert "rename the file to back-spasms.yaml" in diag.message


def test_a_lesson_cannot_take_the_course_index_s_name(tmp_path: Path, seed_text: str) -> None:
    """A lesson called index would overwrite, or be overwritten by, the course index page."""
    path = tmp_path / "index.yaml"
    path.write_text(seed_text.replace("id: back-spasms", "id: index"))
    with pytest.raises(ContentError) as info:
        load_condition(path)
    (diag,) = info.value.errors
    assert (diag.line, diag.key) == (3, "id") and "course index" in diag.message


def test_all_problems_in_a_file_are_reported(tmp_path: Path, seed_text: str) -> None:
    text = seed_text.replace("sections:\n", "sectons:\n").replace("status: published", "status: live")
    with pytest.raises(ContentError) as info:
        loads_condition(text, source_name="x.yaml")
    keys = {d.key for d in info.value.errors}
    assert {"sectons", "status", "sections"} <= keys


def test_alias_bomb_is_rejected_quickly() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    with pytest.raises(ContentError) as info:
        loads_condition("\n".join(lines) + "\n", source_name="bomb.yaml")
    assert time.perf_counter() - started < 5
    assert "not allowed" in str(info.value)


def test_oversized_file_is_rejected_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * (healthkit.content.yamlio.MAX_BYTES + 10))
    with pytest.raises(ContentError, match="over the .*-byte limit"):
        load_condition(path)


def test_python_tags_are_refused() -> None:
    with pytest.raises(ContentError, match="tag .* is not allowed"):
        loads_condition("id: !!python/object/apply:os.system ['echo hi']\n")


def test_non_utf8_file_gets_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ContentError, match="not UTF-8"):
        load_condition(path)


def test_errors_survive_pickling_between_processes() -> None:
    import pickle

    from healthkit.errors import BuildError, Diagnostic

    error = BuildError("x", "boom", cell=3)
    again = pickle.loads(pickle.dumps(error))
    assert (again.lesson, again.message, again.cell, str(again)) == ("x", "boom", 3, str(error))
    content = ContentError([Diagnostic("a.yaml", 1, 2, "error", "bad", "id")])
    assert pickle.loads(pickle.dumps(content)).diagnostics == content.diagnostics
