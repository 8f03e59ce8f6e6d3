"""Shared fixtures: paths into the repository and a copy of the seed condition."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SEED = CONTENT / "back-spasms.yaml"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def content_dir() -> Path:
    return CONTENT
