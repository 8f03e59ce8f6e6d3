"""Every claim cited: ids on sources, `cites` on entries, tiers, answers and questions; check
refuses an unknown id and warns on an uncited claim in a published file; pages link each
cited claim to its source and each source back to where it is cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from healthkit.cli import main
from healthkit.content import check_text, load_condition
from healthkit.content.citations import coverage
from healthkit.importer import import_article

from .conftest import CONTENT, SEED

TODAY = "2026-12-08"


def _diagnostics(text: str) -> list[str]:
    return [d.format() for d in check_text(text, "back-spasms.yaml").diagnostics]


def _cited(seed_text: str) -> str:
    """The seed with its first source named 'magazine' and its first cause citing it."""
    text = seed_text.replace("sources:\n  - title:", "sources:\n  - id: magazine\n    title:", 1)
    return text


def test_an_unknown_source_id_is_an_error_with_its_line(seed_text: str) -> None:
    text = _cited(seed_text).replace("      - name: Muscle strain\n", "      - name: Muscle strain\n        cites: [nhs-back-pain]\n", 1)
    (error,) = [d for d in _diagnostics(text) if "nhs-back-pain" in d]
    line = text[: text.index("cites: [nhs-back-pain]")].count("\n") + 1
    assert error.startswith(f"back-spasms.yaml:{line}:") and ": error:" in error and "magazine" in error


def test_two_sources_with_one_id_are_an_error(seed_text: str) -> None:
    text = _cited(seed_text).replace("  - title: Back pain\n", "  - id: magazine\n    title: Back pain\n", 1)
    assert any("used by two sources" in d for d in _diagnostics(text))


def test_a_published_file_warns_on_each_uncited_claim_and_a_draft_does_not(seed_text: str) -> None:
    published = [d for d in _diagnostics(_cited(seed_text)) if "cites no source" in d]
    assert published, "every entry of the seed is uncited"
    draft = _cited(seed_text).replace("status: published", "status: draft")
    assert not [d for d in _diagnostics(draft) if "cites no source" in d]


def test_a_draft_cites_the_article_it_came_from() -> None:
    from .importing import DAY, PUBLISHERS

    condition, _, text = import_article(PUBLISHERS / "tonsillitis.html", today=DAY)
    assert condition.sources[0].id == "article"
    cited, total = coverage(condition)
    assert cited == total > 0
    assert not [d for d in check_text(text, f"{condition.id}.yaml").diagnostics if "cites" in d.message and d.severity == "error"]


def _page(tmp_path: Path, content: Path, condition_id: str, capsys: pytest.CaptureFixture[str]) -> str:
    out = tmp_path / "out"
    assert main(["build", condition_id, "--content", str(content), "--out", str(out), "--html", "--force", "-q"]) == 0
    capsys.readouterr()
    return (out / "site" / f"{condition_id}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_shipped_lessons_cite_nearly_every_entry_and_sign(path: Path) -> None:
    condition = load_condition(path)
    cited, total = coverage(condition)
    assert cited >= 0.95 * total, f"{path.stem}: {cited} of {total} entries and signs cite a source"


def test_a_page_links_claims_to_sources_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    condition = load_condition(CONTENT / "migraine.yaml")
    page = _page(tmp_path, CONTENT, "migraine", capsys)
    sources = re.findall(r'<li id="s(\d+)">', page)
    assert sources == [str(n) for n in range(1, len(condition.sources) + 1)]
    links = re.findall(r'<a href="#s(\d+)">\d+</a>', page)
    cited, total = coverage(condition)
    assert len(links) >= cited and set(links) <= set(sources)
    for number in set(links):  # every cited source says where it is cited, and links back there
        entry = re.search(rf'<li id="s{number}">(.*?)</li>', page, re.S)
        assert entry and "Cited in:" in entry.group(1)
        for anchor in re.findall(r'href="#([\w-]+)"', entry.group(1)):
            assert f'id="{anchor}"' in page
    assert "stored copy" not in page.split('id="sources-title"', 1)[1]


def test_the_seed_fixture_still_loads_without_ids() -> None:
    assert load_condition(SEED).sources[0].id is None
