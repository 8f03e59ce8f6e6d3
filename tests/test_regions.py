"""Lessons true to the reader's region: `check --region` warns on another region's services,
and a US build of the shipped lessons names no NHS, A&E, GP, 999 or 111 outside its sources."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from healthkit.cli import main
from healthkit.content import check_text
from healthkit.registry import REGIONS, foreign_terms

from .conftest import CONTENT

UK_WORDS = ("NHS", "A&E", "GP", "999", "111")


def _region_warnings(text: str, region: str) -> list[str]:
    found = check_text(text, "back-spasms.yaml", region=region).diagnostics
    return [d.format() for d in found if "a lesson built for" in d.message]


def test_another_regions_service_is_a_warning_with_its_line(seed_text: str) -> None:
    text = seed_text.replace("      - name: Muscle strain\n        description: >-\n", "      - name: Muscle strain\n        description: >-\n          Call NHS 111 first.\n", 1)
    (warning,) = [w for w in _region_warnings(text, "us") if "NHS" in w]
    line = text[: text.index("Call NHS 111 first.")].count("\n") + 1
    assert warning.startswith(f"back-spasms.yaml:{line - 1}:") or warning.startswith(f"back-spasms.yaml:{line}:")
    assert "'111'" in warning and "{urgent_help}" in warning
    assert not [w for w in _region_warnings(text, "uk") if "NHS" in w]  # a UK lesson may say it


def test_each_region_has_words_the_others_must_not_show() -> None:
    for code, region in REGIONS.items():
        assert region.terms, code
        assert not set(region.terms) & set(foreign_terms(code))
    assert "NHS" in foreign_terms("us") and "911" in foreign_terms("uk") and "paracetamol" in foreign_terms("us")


@pytest.mark.parametrize("region", ["us", "au"])
def test_the_shipped_lessons_pass_check_for_every_region(region: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--region", region, "-q", str(CONTENT)])
    said = capsys.readouterr().out
    assert "a lesson built for" not in said, said


def _visible(page: str) -> str:
    """What a reader sees: the page's text and quiz data, less its sources list and JSON-LD
    (a source is named as its publisher names itself)."""
    page = re.sub(r'<footer class="hk-footer">.*?</footer>', " ", page, flags=re.S)
    page = re.sub(r'<script type="application/ld\+json">.*?</script>', " ", page, flags=re.S)
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\\u0026", "&")


def test_a_us_build_names_no_uk_service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--region", "us", "--content", str(CONTENT), "--out", str(out), "--html", "-q"]) == 0
    capsys.readouterr()
    pages = sorted((out / "site").glob("*.html"))
    assert len(pages) == len(list(CONTENT.glob("*.yaml"))) + 1
    for page in pages:
        text = _visible(page.read_text(encoding="utf-8"))
        found = {w for w in UK_WORDS if re.search(rf"(?<![\w&]){re.escape(w)}(?![\w&])", text)}
        assert not found, f"{page.name} names {found}"
        assert not re.search(r"(?<!\()\bparacetamol\b(?!\))", text), f"{page.name} names paracetamol without its US name"
