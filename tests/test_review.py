"""A clinician's sign-off bound to the text: sign, change, re-sign, as an editor would."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from healthkit.cli import main
from healthkit.content import check_file, load_condition

from .conftest import CONTENT, ROOT

CONDITION = "migraine"
#: Text in the migraine lesson that an edit changes (a home remedy).
BEFORE, AFTER = "Lie down somewhere dark and quiet", "Lie down in a dark and quiet place"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the content folder with the fact-checks beside it, as in a checkout."""
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(ROOT / "docs" / "fact-checks", tmp_path / "docs" / "fact-checks")
    return tmp_path


def _sign(project: Path, *extra: str) -> int:
    return main(["review", "sign", CONDITION, "--reviewer", "Dr Ada Example", "--credentials", "GP, MRCGP",
                 "--content", str(project / "content"), *extra])


def _warnings(path: Path) -> list[str]:
    return [d.message for d in check_file(path).diagnostics if d.severity == "warning"]


def _page(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = project / "build"
    assert main(["build", CONDITION, "--content", str(project / "content"), "--out", str(out), "--html", "--force", "-q"]) == 0
    capsys.readouterr()
    return (out / "site" / f"{CONDITION}.html").read_text(encoding="utf-8")


def _jsonld(page: str) -> dict[str, object]:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block, "the page carries JSON-LD"
    graph = json.loads(block.group(1))["@graph"]
    return next(g for g in graph if g["@type"] == "MedicalWebPage")


def test_sign_writes_only_the_review_block_and_checks_clean(project: Path) -> None:
    path = project / "content" / f"{CONDITION}.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    assert _sign(project, "--date", "2026-12-01") == 0
    after = path.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert [line.split(":")[0].strip() for line in added] == ["status", "reviewer", "credentials", "date", "next_review", "digest"]
    assert [line for line in before if line not in after] == ["  status: pending"]
    review = load_condition(path).clinical_review
    assert (review.status, review.reviewer, review.date, review.next_review) == ("approved", "Dr Ada Example", dt.date(2026, 12, 1), dt.date(2029, 12, 1))
    assert _warnings(path) == []


def test_sign_change_resign_as_every_output_shows_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "content" / f"{CONDITION}.yaml"
    assert _sign(project) == 0
    page = _page(project, capsys)
    assert "Reviewed by Dr Ada Example (GP, MRCGP)" in page and "changed since" not in page
    assert _jsonld(page)["reviewedBy"] == {"@type": "Person", "name": "Dr Ada Example", "jobTitle": "GP, MRCGP"}

    path.write_text(path.read_text(encoding="utf-8").replace(BEFORE, AFTER), encoding="utf-8")
    assert any("changed since its review" in w for w in _warnings(path))
    page = _page(project, capsys)
    assert "Changed since review" in page and "the changes have not been reviewed by a clinician" in page
    assert "reviewedBy" not in _jsonld(page) and "lastReviewed" not in _jsonld(page)
    index = (project / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert "the changes have not been reviewed" in index
    gift = project / "bank.gift"
    assert main(["export-quiz", CONDITION, "--content", str(project / "content"), "--format", "gift", "-o", str(gift)]) == 0
    assert "the changes have not been reviewed" in gift.read_text(encoding="utf-8")
    assert main(["review", "status", "--content", str(project / "content")]) == 0
    assert re.search(rf"^{CONDITION}\s+changed\s+Dr Ada Example", capsys.readouterr().out, re.M)

    assert _sign(project) == 0
    assert not any("changed since" in w for w in _warnings(path))
    page = _page(project, capsys)
    assert "changed since" not in page and "Reviewed by Dr Ada Example" in page


def test_layout_and_comments_do_not_undo_a_review(project: Path) -> None:
    path = project / "content" / f"{CONDITION}.yaml"
    assert _sign(project) == 0
    path.write_text("# an editor's note\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert not any("changed since" in w for w in _warnings(path))


@pytest.mark.parametrize("extra, why", [
    (("--date", "2099-01-01"), "in the future"),
    (("--date", "2026-01-01", "--next-review", "2030-01-02"), "at most three years"),
])
def test_a_signature_check_refuses_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], why: str) -> None:
    path = project / "content" / f"{CONDITION}.yaml"
    before = path.read_bytes()
    assert _sign(project, *extra) == 1
    err = capsys.readouterr().err
    assert why in err and err.count("\n") == 1
    assert path.read_bytes() == before


def test_a_broken_file_or_unknown_id_is_never_signed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "content" / f"{CONDITION}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    before = path.read_bytes()
    assert _sign(project) == 1
    assert path.read_bytes() == before
    capsys.readouterr()
    assert main(["review", "sign", "gout", "--reviewer", "X", "--credentials", "Y", "--content", str(project / "content")]) == 1
    assert "no condition file for 'gout'" in capsys.readouterr().err


def test_a_review_sheet_lists_every_claim_and_the_open_questions(project: Path) -> None:
    sheet = project / "sheet.html"
    assert main(["review", "pack", CONDITION, "-o", str(sheet), "--content", str(project / "content")]) == 0
    text = sheet.read_text(encoding="utf-8")
    condition = load_condition(project / "content" / f"{CONDITION}.yaml")
    import html

    for part in (condition.sections.get(s) for s in ("causes", "symptoms", "treatments", "home_remedies")):
        for item in part.items:
            assert html.escape(item.name) in text
    for _, signs in condition.safety.tiers():  # type: ignore[union-attr]
        for sign in signs:
            assert html.escape(sign) in text
    assert "Open questions for a clinician" in text and "The fact-check leaves no open questions" not in text
    first = next(s for s in condition.sources if s.id)
    assert f"1 ({first.id})" in text  # claims name their sources, numbered as the list
    # only what cites nothing by design says "none": the summary, key terms, section introductions, the disclaimer
    assert text.count('<td class="cites">none</td>') == 1 + len(condition.key_terms) + 7 + 1
    assert "<script" not in text
