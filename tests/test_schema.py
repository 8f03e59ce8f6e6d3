"""The shipped JSON Schema is generated from the model and agrees with the loader."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from healthkit import ContentError, loads_condition
from healthkit.content.schema import generate_schema, shipped_schema

from .conftest import CONTENT
from .test_loader import CASES


def _as_json(value: Any) -> Any:
    """YAML data -> JSON data, the way an editor's YAML plugin feeds the schema."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _load_plain(text: str) -> Any:
    return _as_json(YAML(typ="safe", pure=True).load(io.StringIO(text)))


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(shipped_schema(), format_checker=jsonschema.FormatChecker())


def test_shipped_schema_is_current() -> None:
    assert shipped_schema() == generate_schema(), "run: healthkit schema -o healthkit/condition.schema.json"


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(shipped_schema())


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*.yaml")), ids=lambda p: p.name)
def test_schema_accepts_every_content_file(path: Path) -> None:
    errors = list(_validator().iter_errors(_load_plain(path.read_text())))
    assert not errors, [e.message for e in errors]


# Structural cases the schema can see (the others need cross-field rules or the file name).
STRUCTURAL = {"sectons", "quiz[0].options[0].correct", "status", "quiz[3].type", "faq[1].section", "title",
              "tagline", "sections.home_remedies.items[0].cuation", "learning_objectives", "sources[1].url",
              "sources[0].date", "key_terms", "sections.types", "id"}


@pytest.mark.parametrize("case", [c for c in CASES if c[2] in STRUCTURAL and "duplicate" not in c[3]], ids=lambda c: c[2])
def test_schema_rejects_malformed_cases(seed_text: str, case: tuple[str, ...]) -> None:
    old, new = case[0], case[1]
    data = _load_plain(seed_text.replace(old, new, 1))
    assert list(_validator().iter_errors(data)), f"schema accepted the case {case[2]}"
    with pytest.raises(ContentError):  # and the loader agrees
        loads_condition(seed_text.replace(old, new, 1))
