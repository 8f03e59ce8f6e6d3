"""Shared fixtures: paths into the repository and a copy of the seed condition."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
#: A stable copy of a condition for tests that edit one (content/ changes as it is written).
SEED = ROOT / "tests" / "fixtures" / "conditions" / "back-spasms.yaml"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def content_dir() -> Path:
    return CONTENT
