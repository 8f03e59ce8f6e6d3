"""The registry is the one definition of each concept: everything else agrees with it."""

from __future__ import annotations

import typing

from healthkit import registry
from healthkit.cli import make_parser
from healthkit.content.schema import generate_schema


def test_typed_names_match_the_tables() -> None:
    assert typing.get_args(registry.SectionName) == tuple(registry.SECTIONS)
    assert typing.get_args(registry.QuestionType) == tuple(registry.QUIZ_KINDS)
    assert typing.get_args(registry.TierName) == tuple(registry.SAFETY_TIERS)


def test_schema_reads_the_registry() -> None:
    defs = generate_schema()["$defs"]
    assert defs["QuizQuestion"]["properties"]["type"]["enum"] == list(registry.QUIZ_KINDS)
    assert list(defs["Sections"]["properties"]) == list(registry.SECTIONS)
    assert [t for t in defs["Safety"]["properties"] if t != "disclaimer"] == list(registry.SAFETY_TIERS)


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
