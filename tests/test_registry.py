"""The registry is the one definition of each concept: everything else agrees with it."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from healthkit import registry
from healthkit.cli import make_parser
from healthkit.content.schema import generate_schema


def test_typed_names_match_the_tables() -> None:
    assert typing.get_args(registry.SectionName) == tuple(registry.SECTIONS)
    assert typing.get_args(registry.QuestionType) == registry.AUTHORED_KINDS
    assert typing.get_args(registry.KindName) == tuple(registry.QUIZ_KINDS)
    assert typing.get_args(registry.TierName) == tuple(registry.SAFETY_TIERS)


def test_schema_reads_the_registry() -> None:
    defs = generate_schema()["$defs"]
    assert defs["QuizQuestion"]["properties"]["type"]["enum"] == list(registry.AUTHORED_KINDS)
    assert list(defs["Sections"]["properties"]) == list(registry.SECTIONS)
    assert [t for t in defs["Safety"]["properties"] if t not in ("disclaimer", "cites")] == list(registry.SAFETY_TIERS)


def test_every_region_names_every_tier_and_placeholder() -> None:
    for region in registry.REGIONS.values():
        assert set(region.headings) == set(registry.SAFETY_TIERS)
        for name in registry.PLACEHOLDERS:
            assert getattr(region, name)
    assert registry.default_region("en-GB") == "uk" and registry.default_region("de-DE") == registry.GENERIC_REGION


def test_the_command_line_offers_what_the_registry_has() -> None:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[union-attr]
    build = {a.dest: a for a in sub["build"]._actions}
    assert set(build["edition"].choices) == {*registry.EDITIONS, "both"}
    assert set(build["region"].choices) == set(registry.REGIONS)
    export = {a.dest: a for a in sub["export-quiz"]._actions}
    assert set(export["format"].choices) == set(registry.QUIZ_FORMATS)


def test_the_scorm_command_offers_the_registry_standards() -> None:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[union-attr]
    scorm = {a.dest: a for a in sub["scorm"]._actions}
    assert set(scorm["standard"].choices) == set(registry.SCORM_STANDARDS)
    assert scorm["standard"].default == registry.DEFAULT_SCORM_STANDARD
    assert set(scorm["edition"].choices) == set(registry.EDITIONS)  # one edition per package


def test_what_cannot_be_generated_agrees_with_the_tables() -> None:
    """Adding a section means the Literal, the Sections dataclass and the template's cells
    (see the registry's docstring): each must agree with SECTIONS, in order."""
    import dataclasses
    import json
    import re

    from healthkit.model import Sections
    from healthkit.render.execute import default_template

    assert [f.name for f in dataclasses.fields(Sections)] == list(registry.SECTIONS)
    cells = json.loads(default_template().read_text(encoding="utf-8"))["cells"]
    calls = [m for c in cells for m in re.findall(r'lesson\.(section|section_quiz)\("(\w+)"\)', "".join(c["source"]))]
    assert calls == [(kind, name) for name in registry.SECTIONS for kind in ("section", "section_quiz")]


def test_every_quiz_format_has_a_writer() -> None:
    from healthkit.exporters.lms import WRITERS

    assert set(WRITERS) == set(registry.QUIZ_FORMATS)


def test_every_field_of_the_registry_is_read() -> None:
    """No dead fields: each field of a registry table is read somewhere (as ``.field``; a
    region's placeholder fields are read by name, through PLACEHOLDERS)."""
    import dataclasses
    import re

    from .conftest import ROOT

    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "healthkit").rglob("*.py"))
    sources += "\n".join(f".{name}" for name in registry.PLACEHOLDERS)
    tables = [registry.SECTIONS, registry.QUIZ_KINDS, registry.EDITIONS_SPEC, registry.SAFETY_TIERS, registry.REGIONS,
              registry.QUIZ_FORMATS, registry.SCORM_STANDARDS]
    unread = [
        f"{type(entry).__name__}.{f.name}"
        for table in tables
        for entry in [next(iter(table.values()))]
        for f in dataclasses.fields(entry)
        if f.name not in ("name", "code") and not re.search(rf"\.{f.name}\b", sources)
    ]
    assert unread == []


def test_the_region_help_names_every_language_default() -> None:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[union-attr]
    for command in ("build", "export-quiz", "workshop", "scorm", "lite"):
        region = {a.dest: a for a in sub[command]._actions}["region"]
        assert all(f"{tag}: {code}" in (region.help or "") for tag, code in registry.LANGUAGE_REGIONS.items()), command


def test_the_output_folders_come_from_the_editions(tmp_path: Path) -> None:
    from healthkit.app.cache import OUTPUT_FOLDERS
    from healthkit.app.site import navigation, page_path, site_dir

    assert site_dir(tmp_path) == tmp_path / registry.EDITIONS_SPEC[registry.SITE_EDITION].page_folder
    for name, spec in registry.EDITIONS_SPEC.items():
        assert page_path(tmp_path, "x", name) == tmp_path / spec.page_folder / "x.html"
        assert {spec.lesson_folder, spec.page_folder} <= OUTPUT_FOLDERS
        index = (tmp_path / spec.page_folder / navigation([("x", "X")], "x", name)["index"]).resolve()
        assert index == (site_dir(tmp_path) / "index.html").resolve()


def test_lint_reads_the_kinds_from_the_registry(monkeypatch: pytest.MonkeyPatch, seed_text: str) -> None:
    """How many options a kind needs right comes from QUIZ_KINDS, not from the linter."""
    import dataclasses
    from types import MappingProxyType

    from healthkit.content import check_text
    from healthkit.content import lint

    text = seed_text
    several = next(q for q in check_text(text).condition.quiz if q.type == "multiple" and sum(o.correct for o in q.options) > 1)  # type: ignore[union-attr]
    assert not [d for d in check_text(text).diagnostics if d.severity == "error"]
    strict = {**registry.QUIZ_KINDS, "multiple": dataclasses.replace(registry.QUIZ_KINDS["multiple"], correct="one")}
    monkeypatch.setattr(lint, "QUIZ_KINDS", MappingProxyType(strict))
    errors = [d.message for d in check_text(text).diagnostics if d.severity == "error"]
    assert any("'multiple' question needs exactly one correct option" in e for e in errors), (several.id, errors)
