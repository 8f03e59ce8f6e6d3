"""schema.org JSON-LD on every lesson page: it parses, says exactly what the content says,
claims no review that did not happen, and can never run as script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from healthkit import load_condition, loads_condition
from healthkit.app.build import BuildOptions, build
from healthkit.content.localise import localise, region_for
from healthkit.lesson.structured import lesson_jsonld

from .browser import chromium
from .conftest import CONTENT, ROOT

TEMPLATE = ROOT / "notebooks" / "lesson.ipynb"
HOSTILE = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def _jsonld(page: Path) -> list[Any]:
    tree = lxml_html.fromstring(page.read_bytes())
    return [json.loads(node.text) for node in tree.xpath("//script[@type='application/ld+json']")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("jsonld")
    content = out / "content"
    content.mkdir()
    for path in CONTENT.glob("*.yaml"):
        (content / path.name).write_text(path.read_text())
    seed = (CONTENT / "back-spasms.yaml").read_text()
    (content / "hostile.yaml").write_text(
        seed.replace("id: back-spasms", "id: hostile").replace("title: Back spasms", f"title: {json.dumps(HOSTILE)}", 1)
    )
    report = build(BuildOptions(content_dir=content, out_dir=out / "build", template=TEMPLATE))
    assert report.ok, [r.error for r in report.results]
    return out


def _said(item: Any) -> tuple[str, str]:
    """An entry as the page describes it: its caution kept with it."""
    return item.name, f"{item.description} Take care: {item.caution}" if item.caution else item.description


def _texts(condition: Any) -> dict[str, Any]:
    """What the page must say, entry by entry; never a treatment the lesson advises against."""
    from healthkit.content.lint import advises_against

    s = condition.sections
    return {
        "signOrSymptom": [_said(i) for i in s.symptoms.items],
        "cause": [_said(i) for i in s.causes.items],
        "typicalTest": [_said(i) for i in s.diagnosis.items],
        "possibleTreatment": [_said(i) for i in s.treatments.items if not advises_against(i.description)],
        "primaryPrevention": [_said(i) for i in s.prevention.items if not advises_against(i.description)],
    }


def test_a_treatment_the_lesson_advises_against_is_never_offered_as_one() -> None:
    from healthkit.lesson.structured import medical_condition

    menopause = load_condition(CONTENT / "menopause.yaml")
    herbal = next(i for i in menopause.sections.treatments.items if i.name == "Herbal remedies")
    assert "not advised" in herbal.description and herbal.caution
    offered = [t["name"] for t in medical_condition(menopause)["possibleTreatment"]]
    assert "Herbal remedies" not in offered and "HRT" in offered


@pytest.mark.slow
def test_every_page_describes_its_condition_exactly(site: Path) -> None:
    for path in sorted(CONTENT.glob("*.yaml")):
        raw = load_condition(path)
        condition = localise(raw, region_for(raw))
        (document,) = _jsonld(site / "build" / "site" / f"{condition.id}.html")
        assert document["@context"] == "https://schema.org"
        page, *faq = document["@graph"]
        assert page["@type"] == "MedicalWebPage"
        assert (page["name"], page["description"], page["inLanguage"]) == (condition.title, condition.summary, condition.language)
        assert page["audience"]["audienceType"] == condition.audience
        assert [c["name"] for c in page["citation"]] == [s.title for s in condition.sources]
        assert [c.get("url") for c in page["citation"]] == [s.url for s in condition.sources]
        about = page["about"]
        assert about["@type"] == "MedicalCondition" and about["name"] == condition.title
        for prop, expected in _texts(condition).items():
            assert [(e["name"], e["description"]) for e in about[prop]] == expected, prop
        # Nobody has reviewed the catalogue: the page must not say otherwise.
        assert "lastReviewed" not in page and "reviewedBy" not in page
        if condition.faq:
            (questions,) = faq
            assert questions["@type"] == "FAQPage"
            assert [(q["name"], q["acceptedAnswer"]["text"]) for q in questions["mainEntity"]] == [(e.question, e.answer) for e in condition.faq]


def test_review_fields_appear_only_for_an_approved_review(seed_text: str) -> None:
    pending = lesson_jsonld(loads_condition(seed_text))["@graph"][0]
    assert "lastReviewed" not in pending and "reviewedBy" not in pending
    approved = loads_condition(seed_text.replace(
        "clinical_review:\n  status: pending\n",
        "clinical_review:\n  status: approved\n  reviewer: Dr Ada Example\n  credentials: GP, MRCGP\n"
        "  date: 2026-01-10\n  next_review: 2028-01-10\n",
    ))
    page = lesson_jsonld(approved)["@graph"][0]
    assert page["lastReviewed"] == "2026-01-10"
    assert page["reviewedBy"] == {"@type": "Person", "name": "Dr Ada Example", "jobTitle": "GP, MRCGP"}


@pytest.mark.slow
def test_hostile_text_stays_data(site: Path) -> None:
    page = site / "build" / "site" / "hostile.html"
    raw = page.read_text()
    start = raw.index('<script type="application/ld+json">')
    block = raw[start : raw.index("</script>", start)]
    assert "<" not in block[len('<script type="application/ld+json">') :]  # cannot close its element
    (document,) = _jsonld(page)
    assert document["@graph"][0]["name"] == HOSTILE


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_reads_it_and_runs_nothing(site: Path) -> None:
    with chromium() as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((site / "build" / "site" / "hostile.html").as_uri())
        page.wait_for_selector("html[data-hk-ready='true']", timeout=15_000)
        parsed = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
        assert parsed["@graph"][0]["name"] == HOSTILE
        assert page.evaluate("window.__pwned") is None
        assert not errors, errors
