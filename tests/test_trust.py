"""Rules that keep a lesson honest: tiers of safety advice, review status, sources, regions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from healthkit import load_condition, loads_condition
from healthkit.content import check_text
from healthkit.content.localise import fill, localise, region_for
from healthkit.exporters.index import IndexEntry, render_index
from healthkit.lesson import Lesson
from healthkit.lesson.render import DRAFT_NOTICE, PENDING_NOTICE, header, review_status_text, safety, sources
from healthkit.lesson.structured import lesson_jsonld
from healthkit.model import Condition
from healthkit.quiz import final_quiz, flashcards, lesson_questions, section_quiz
from healthkit.registry import EDITIONS_SPEC, LANGUAGE_REGIONS, REGIONS, default_region

from .conftest import CONTENT

TODAY = dt.date(2026, 11, 27)


def _errors(text: str, today: dt.date = TODAY) -> list[str]:
    result = check_text(text, "back-spasms.yaml", today=today)
    return [d.format() for d in result.diagnostics if d.severity == "error"]


def _warnings(text: str, today: dt.date = TODAY) -> list[str]:
    result = check_text(text, "back-spasms.yaml", today=today)
    return [d.format() for d in result.diagnostics if d.severity == "warning"]


def _line(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def _tiers(seed_text: str, body: str) -> str:
    """The seed with its safety tiers replaced by ``body`` (the disclaimer kept)."""
    start = seed_text.index("safety:\n") + len("safety:\n")
    end = seed_text.index("  disclaimer:")
    return seed_text[:start] + body + seed_text[end:]


# -- safety tiers --------------------------------------------------------------------------
def test_a_condition_needs_emergency_or_urgent_triggers(seed_text: str) -> None:
    text = _tiers(seed_text, "  see_doctor:\n    - It has not got better after a few weeks.\n")
    (error,) = [e for e in _errors(text) if "(safety)" in e]
    assert "emergency or urgent" in error
    assert error.startswith(f"back-spasms.yaml:{_line(text, '  see_doctor:')}:3:")


def test_a_trigger_may_not_sit_in_two_tiers(seed_text: str) -> None:
    text = _tiers(seed_text, "  emergency:\n    - You have chest pain.\n  urgent:\n    - You have chest pain!\n")
    (error,) = [e for e in _errors(text) if "safety.urgent[0]" in e]
    assert "also in the 'emergency' tier" in error
    assert error.startswith(f"back-spasms.yaml:{_line(text, '    - You have chest pain!')}:")


def test_tiers_are_shown_most_urgent_first_with_the_region_s_services(seed_text: str) -> None:
    condition = loads_condition(
        _tiers(seed_text, "  pharmacist:\n    - Ask which painkiller suits you.\n  urgent:\n    - Fever.\n  emergency:\n    - Chest pain.\n")
    )
    uk = safety(condition, REGIONS["uk"])
    assert uk.index("tier-emergency") < uk.index("tier-urgent") < uk.index("tier-pharmacist")
    assert "Call 999 or go to A&amp;E now if:" in uk and "Ask for an urgent GP appointment or call NHS 111 if:" in uk
    au = safety(condition, REGIONS["au"])
    assert "Call 000" in au and "1800 022 222" in au and "999" not in au


def test_the_emergency_tier_says_not_to_drive_yourself(seed_text: str) -> None:
    """As NHS pages do, under the emergency signs: ask someone to drive you, or call for an
    ambulance, naming the region's own department and number."""
    condition = loads_condition(_tiers(seed_text, "  emergency:\n    - Chest pain.\n  urgent:\n    - Fever.\n"))
    for code, number, place in (("uk", "999", "A&amp;E"), ("us", "911", "the emergency room"), ("au", "000", "the emergency department")):
        html = safety(condition, REGIONS[code])
        emergency = html[html.index('id="tier-emergency"'): html.index('id="tier-urgent"')]
        assert f"Do not drive yourself to {place}: ask someone to drive you, or call {number} and ask for an ambulance." in emergency
    no_emergency = loads_condition(_tiers(seed_text, "  urgent:\n    - Fever.\n"))
    assert "Do not drive yourself" not in safety(no_emergency, REGIONS["uk"])


def test_region_follows_the_language_unless_named(seed_text: str) -> None:
    condition = loads_condition(seed_text)
    assert region_for(condition).code == "uk"  # en-GB
    assert region_for(condition, "us").code == "us"
    american = loads_condition(seed_text.replace("language: en-GB", "language: en-US"))
    assert region_for(american).code == "us"
    french = loads_condition(seed_text.replace("language: en-GB", "language: fr-FR"))
    assert region_for(french).emergency_number == "112"


@pytest.mark.parametrize("tag", [t for tag in LANGUAGE_REGIONS for t in (tag, tag.lower())])
def test_a_language_names_its_region_whatever_its_case(seed_text: str, tag: str) -> None:
    expected = LANGUAGE_REGIONS[next(t for t in LANGUAGE_REGIONS if t.casefold() == tag.casefold())]
    assert default_region(tag) == expected
    condition = loads_condition(seed_text.replace("language: en-GB", f"language: {tag}"))
    assert region_for(condition).code == expected
    assert not any("(language)" in w for w in _warnings(seed_text.replace("language: en-GB", f"language: {tag}")))


def test_check_warns_when_the_language_implies_no_region(seed_text: str) -> None:
    (warning,) = [w for w in _warnings(seed_text.replace("language: en-GB", "language: en-NZ")) if "(language)" in w]
    assert "'en-NZ' implies no region" in warning and "--region" in warning
    assert all(tag in warning for tag in LANGUAGE_REGIONS)


def test_no_region_says_or_twice_in_a_row() -> None:
    """"Call 112 or 999 or go to ..." reads as three choices: each region's wording, and the
    content sentence every condition uses, have at most one "or" between commas."""
    sentence = "Call {emergency_number} or go to {emergency_department} now."
    for code, region in REGIONS.items():
        for text in (*region.headings.values(), fill(sentence, region)):
            assert all(part.count(" or ") <= 1 for part in text.split(",")), (code, text)


# -- placeholders --------------------------------------------------------------------------
def test_placeholders_are_filled_for_each_region(seed_text: str) -> None:
    condition = loads_condition(seed_text)
    assert "{emergency_number}" in seed_text
    for code, region in REGIONS.items():
        local = localise(condition, region)
        texts = " ".join(o.feedback for q in local.quiz for o in q.options)
        assert f"Call {region.emergency_number} or go to {region.emergency_department}" in texts, code
        assert "{" not in texts


def test_an_unknown_placeholder_is_an_error_with_its_position(seed_text: str) -> None:
    text = seed_text.replace("Call {emergency_number}", "Call {emergency_numbr}", 1)
    (error,) = [e for e in _errors(text) if "placeholder" in e]
    assert "{emergency_numbr}" in error and "{emergency_number}" in error
    assert error.startswith(f"back-spasms.yaml:{_line(text, '{emergency_numbr}')}:")


def _texts(condition: Condition) -> str:
    return " ".join(
        [q.prompt + q.explanation + "".join(c.text + c.feedback for c in q.choices) for q in lesson_questions(condition)]
        + [q.prompt + "".join(c.feedback for c in q.choices) for q in final_quiz(condition).questions]
        + [q.prompt + "".join(c.feedback for c in q.choices) for q in section_quiz(condition, "symptoms").questions]
        + [card.front + card.back for card in flashcards(condition)]
    )


def test_the_library_fills_placeholders_for_the_language_s_region(seed_text: str) -> None:
    """``Lesson(condition)`` and the quiz functions the README shows name the services of the
    condition's region, as the built lessons do, unless told another region."""
    text = seed_text.replace("    answer: ", "    answer: Call {emergency_number} if unsure. ", 1)
    condition = loads_condition(text)
    assert "{emergency_number}" in text
    uk = _texts(condition)
    assert "{" not in uk and "Call 999" in uk and "112" not in uk
    lesson = Lesson(condition)
    assert lesson.region == REGIONS["uk"]
    assert "Call 999 or go to A&amp;E now if:" in lesson.safety().html
    shown = " ".join(c.feedback for q in lesson.questions() for c in q.choices) + lesson.flashcards().html
    assert "{" not in shown and "Call 999" in shown
    american = Lesson(condition, region=REGIONS["us"])
    assert "Call 911" in " ".join(c.feedback for q in american.questions() for c in q.choices)
    assert "Call 911" in " ".join(c.feedback for q in lesson_questions(condition, region="us") for c in q.choices)


def test_titles_and_taglines_may_not_use_placeholders(seed_text: str) -> None:
    """They are shown where no region is chosen (the course index, pack READMEs)."""
    for key in ("title", "tagline"):
        line = next(line for line in seed_text.splitlines() if line.startswith(f"{key}: "))
        text = seed_text.replace(line, f"{line} Call {{emergency_number}}.", 1)
        (error,) = [e for e in _errors(text) if f"({key})" in e]
        assert "may not use placeholders" in error and error.startswith(f"back-spasms.yaml:{_line(text, line)}:")


def test_a_date_of_tomorrow_is_not_in_the_future(seed_text: str) -> None:
    """A date a day ahead is today somewhere (an author west of UTC writes the UTC date)."""
    tomorrow = TODAY + dt.timedelta(days=1)
    assert not [e for e in _errors(seed_text.replace("updated: 2026-11-25", f"updated: {tomorrow}"), today=TODAY) if "(updated)" in e]
    later = TODAY + dt.timedelta(days=2)
    assert [e for e in _errors(seed_text.replace("updated: 2026-11-25", f"updated: {later}"), today=TODAY) if "(updated)" in e]


# -- drafts --------------------------------------------------------------------------------
def test_a_draft_says_so_in_every_output_and_offers_no_structured_data(seed_text: str) -> None:
    draft = loads_condition(seed_text.replace("status: published", "status: draft"))
    published = loads_condition(seed_text)
    assert draft.safety is not None  # the disclaimer of a draft without safety advice is not enough
    assert DRAFT_NOTICE in header(draft) and DRAFT_NOTICE not in header(published)
    assert DRAFT_NOTICE in sources(draft) and DRAFT_NOTICE in review_status_text(draft)
    assert DRAFT_NOTICE in Lesson(draft).header().html
    # The index card, Lite's welcome page, pack READMEs and quiz exports all say the review sentence.
    entry = IndexEntry(draft.id, draft.title, draft.tagline, "x.html", 3, 6.0, draft.updated, review_status_text(draft))
    assert DRAFT_NOTICE in render_index([entry])
    assert lesson_jsonld(draft) is None and "application/ld+json" not in Lesson(draft).header()._repr_mimebundle_()
    assert lesson_jsonld(published) is not None and "application/ld+json" in Lesson(published).header()._repr_mimebundle_()


# -- review status -------------------------------------------------------------------------
APPROVED = """clinical_review:
  status: approved
  reviewer: Dr Ada Example
  credentials: GP, MRCGP
  date: 2026-01-10
  next_review: 2028-01-10
"""


def _review(seed_text: str, block: str) -> str:
    return seed_text.replace("clinical_review:\n  status: pending\n", block)


def test_pending_content_says_so_everywhere_and_names_no_reviewer(seed_text: str) -> None:
    condition = loads_condition(seed_text)
    assert PENDING_NOTICE in header(condition) and PENDING_NOTICE in sources(condition)
    assert "Reviewed by" not in header(condition) + sources(condition)


def test_the_header_says_the_pending_sentence_and_the_sources_say_more(seed_text: str) -> None:
    """The header stays short, so that on a phone the safety box starts on the first screen."""
    condition = loads_condition(seed_text)
    more = "It was written from public health information"
    assert PENDING_NOTICE in header(condition) and more not in header(condition)
    assert f"{PENDING_NOTICE} {more}" in sources(condition)
    draft = loads_condition(seed_text.replace("status: published", "status: draft"))
    assert f"{DRAFT_NOTICE} {PENDING_NOTICE}" in header(draft) and more not in header(draft)


def test_the_teacher_notice_follows_the_safety_box(seed_text: str) -> None:
    notice = EDITIONS_SPEC["teacher"].notice
    teacher = Lesson(loads_condition(seed_text), edition="teacher")
    assert notice and notice not in teacher.header().html
    assert teacher.objectives().html.index(notice) < teacher.objectives().html.index("What you will learn")
    assert notice not in Lesson(loads_condition(seed_text)).objectives().html


def test_a_pending_review_cannot_name_a_reviewer(seed_text: str) -> None:
    text = _review(seed_text, "clinical_review:\n  status: pending\n  reviewer: Somebody\n")
    (error,) = [e for e in _errors(text) if "clinical_review.reviewer" in e]
    assert "pending review names no reviewer" in error


@pytest.mark.parametrize("missing", ["reviewer", "credentials", "date", "next_review"])
def test_an_approved_review_names_who_when_and_next(seed_text: str, missing: str) -> None:
    block = "\n".join(line for line in APPROVED.splitlines() if not line.strip().startswith(f"{missing}:")) + "\n"
    errors = _errors(_review(seed_text, block))
    assert any(f"an approved review needs '{missing}'" in e for e in errors), errors


def test_an_approved_review_is_shown_and_its_next_review_is_bounded(seed_text: str) -> None:
    condition = loads_condition(_review(seed_text, APPROVED))
    shown = header(condition, today=TODAY)
    assert "Reviewed by Dr Ada Example (GP, MRCGP) on 10 January 2026" in shown and PENDING_NOTICE not in shown
    too_late = _review(seed_text, APPROVED.replace("next_review: 2028-01-10", "next_review: 2029-02-01"))
    assert any("at most three years" in e for e in _errors(too_late))


def test_an_overdue_review_warns_and_says_so(seed_text: str) -> None:
    text = _review(seed_text, APPROVED)
    later = dt.date(2028, 6, 1)
    assert any("was due on 2028-01-10" in w for w in _warnings(text, today=later))
    assert "Review overdue" in header(loads_condition(text), today=later)


# -- sources -------------------------------------------------------------------------------
def test_a_web_source_records_when_it_was_read(seed_text: str) -> None:
    text = seed_text.replace("    accessed: 2026-11-25\n", "", 1)
    assert any("needs 'accessed'" in e for e in _errors(text))


def test_a_page_s_review_date_cannot_be_after_it_was_read(seed_text: str) -> None:
    text = seed_text.replace("    accessed: 2026-11-25\n", "    accessed: 2026-11-25\n    reviewed: 2026-11-26\n", 1)
    assert any("'reviewed' is the date shown on the page" in e for e in _errors(text))


def test_sources_keep_their_three_dates_apart(seed_text: str) -> None:
    text = seed_text.replace("    accessed: 2026-11-25\n", "    accessed: 2026-11-25\n    reviewed: 2024-01-05\n", 1)
    footer = sources(loads_condition(text))
    assert "Published 21 March 2023." in footer
    assert "Page last reviewed 5 January 2024, as shown on the page." in footer
    assert "We read it on 25 November 2026." in footer


# -- the previous format --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("updated: 2026-11-25", "last_reviewed: 2026-11-25", "'updated'"),
        ("  emergency:\n", "  seek_urgent_care:\n", "emergency, urgent, see_doctor and pharmacist"),
        ("    published: 2023-03-21\n", "    date: 2023-03-21\n", "'published'"),
    ],
)
def test_keys_of_the_previous_format_say_what_replaced_them(seed_text: str, old: str, new: str, hint: str) -> None:
    text = seed_text.replace(old, new, 1)
    assert any("unknown key" in e and hint in e for e in _errors(text)), _errors(text)


def test_the_catalogue_says_what_its_review_status_is() -> None:
    """Whatever the catalogue's review status: pending lessons say so and name no reviewer;
    approved ones name the clinician and the date, and never say they are unreviewed."""
    for path in sorted(CONTENT.glob("*.yaml")):
        condition = load_condition(path)
        review = condition.clinical_review
        shown = header(condition) + sources(condition)
        if review.approved:
            assert PENDING_NOTICE not in shown and f"Reviewed by {review.reviewer}" in shown, path.name
        else:
            assert PENDING_NOTICE in shown and "Reviewed by" not in shown, path.name
            page = lesson_jsonld(condition)
            assert page is None or "reviewedBy" not in page["@graph"][0], path.name
        assert condition.safety is not None and (condition.safety.emergency or condition.safety.urgent), path.name


def test_the_catalogue_cites_dated_sources(tmp_path: Path) -> None:
    for path in sorted(CONTENT.glob("*.yaml")):
        for source in load_condition(path).sources:
            assert (source.url and source.accessed) or source.published, (path.name, source.title)
