"""Quiz model and generation: pure Python, no kernel."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthkit import HealthkitError, load_condition
from healthkit.content.lint import normalise
from healthkit.content.quizcheck import explains_nothing
from healthkit.model import SECTION_NAMES, Condition, Item, Section
from healthkit.quiz import safety_quiz, final_quiz, flashcards, lesson_questions, section_quiz
from healthkit.quiz.generate import _clashes
from healthkit.quiz.model import Choice, Question

from .conftest import SEED
from .test_order import CONDITIONS
from .test_roundtrip import conditions, text

SEED_CONDITION = load_condition(SEED)


def _question(kind: str = "single") -> Question:
    return Question("q", kind, "Pick", (Choice("a", True, "fa"), Choice("b", kind == "multiple", "fb"), Choice("c", False, "fc")), "why", "types")  # type: ignore[arg-type]


def test_grading_single_and_multiple() -> None:
    single = _question("single")
    assert single.grade([0]).correct
    assert not single.grade([1]).correct
    assert single.grade([1]).feedback == ("fb",)
    multiple = _question("multiple")
    assert multiple.grade([1, 0]).correct
    assert not multiple.grade([0]).correct  # a right answer missing
    assert not multiple.grade([0, 1, 2]).correct  # a wrong one added
    with pytest.raises(ValueError):
        single.grade([7])


def test_lessons_ask_only_authored_and_triage_questions() -> None:
    """Questions built from an entry's own words were answerable from everyday words (every
    one of 20 read cold by an educator), so healthkit writes none: what a lesson asks beyond
    its authors' questions is the triage question, answered by reading its safety box."""
    for condition in CONDITIONS:
        others = [o for o in CONDITIONS if o.id != condition.id]
        for seed in range(3):
            made = [q for q in lesson_questions(condition, seed, others) if q.origin == "generated"]
            assert made and {q.kind for q in made} == {"triage"}, (condition.id, seed)
            authored_ids = {q.id for q in condition.quiz}
            assert {q.id for q in lesson_questions(condition, seed, others) if q.origin == "authored"} == authored_ids


def test_a_section_without_authored_questions_gets_no_quiz_question() -> None:
    bare = dataclasses.replace(SEED_CONDITION, quiz=tuple(q for q in SEED_CONDITION.quiz if q.section != "causes"))
    assert section_quiz(bare, "causes").questions == ()


def test_generated_feedback_explains() -> None:
    """Every option of a generated question says more than right or wrong."""
    for condition in CONDITIONS:
        for q in lesson_questions(condition, 0, [o for o in CONDITIONS if o.id != condition.id]):
            if q.origin == "generated":
                for choice in q.choices:
                    assert not explains_nothing(choice.feedback), (q.id, choice.feedback)


def test_generation_is_deterministic_and_seed_dependent() -> None:
    assert lesson_questions(SEED_CONDITION, seed=5) == lesson_questions(SEED_CONDITION, seed=5)
    richest = max(CONDITIONS, key=lambda c: len(c.quiz))
    variants = {tuple(q.id for q in final_quiz(richest, size=8, seed=s).questions) for s in range(6)}
    assert len(variants) > 1


def test_section_and_final_quizzes() -> None:
    quiz = section_quiz(SEED_CONDITION, "home_remedies", size=2)
    assert len(quiz.questions) == 2 and all(q.section == "home_remedies" for q in quiz.questions)
    richest = max(CONDITIONS, key=lambda c: len(c.quiz))
    final = final_quiz(richest, size=7)
    shown = {q.id for s in SECTION_NAMES for q in section_quiz(richest, s, size=2).questions}
    left = {q.section for q in lesson_questions(richest) if q.id not in shown}
    assert {q.section for q in final.questions} <= left and len({q.section for q in final.questions}) >= 2
    with pytest.raises(HealthkitError, match="unknown section"):
        section_quiz(SEED_CONDITION, "sympton")
    answered = final.questions[:3]
    assert final.score({q.id: q.answer for q in answered}) == len(answered)


def _shown_in_sections(condition: Condition, seed: int, size: int = 2) -> list[Question]:
    return [q for s in SECTION_NAMES for q in section_quiz(condition, s, size=size, seed=seed).questions]


def test_section_quizzes_show_authored_questions_first() -> None:
    for section in SECTION_NAMES:
        mine = [q for q in SEED_CONDITION.quiz if q.section == section]
        shown = section_quiz(SEED_CONDITION, section, size=2).questions
        assert [q.origin for q in shown] == ["authored"] * min(2, len(mine)) + ["generated"] * (len(shown) - min(2, len(mine)))


def test_final_quiz_never_repeats_a_section_question() -> None:
    for seed in range(4):
        shown = _shown_in_sections(SEED_CONDITION, seed)
        final = final_quiz(SEED_CONDITION, size=20, seed=seed).questions
        assert final, "the final quiz has questions of its own"
        assert not {q.id for q in shown} & {q.id for q in final}
        assert not {normalise(q.prompt) for q in shown} & {normalise(q.prompt) for q in final}
        # It takes the questions left over, but never one that re-tests an entry a question
        # shown tested, nor one whose feedback gives away another's answer.
        safety = {q.id for q in safety_quiz(SEED_CONDITION, seed).questions}
        left = {q.id for q in lesson_questions(SEED_CONDITION, seed)} - {q.id for q in shown} - safety
        assert {q.id for q in final} <= left
        for i, q in enumerate(final):
            for other in [*shown, *final[:i]]:
                answers = {normalise(c.text) for c in other.choices if c.correct} - {"true", "false"}
                if q.origin == "generated":
                    assert not answers & {normalise(c.text) for c in q.choices if c.correct}, (q.id, other.id)
                for choice in (c for c in q.choices):
                    assert not any(len(a) >= 4 and f" {a} " in f" {normalise(choice.feedback)} " for a in answers), (q.id, other.id)
        dropped = left - {q.id for q in final}
        assert all(any(_clashes(q, [*shown, *final]) for q in lesson_questions(SEED_CONDITION, seed) if q.id == d) for d in dropped)


def test_flashcards_come_from_the_faq_and_key_terms() -> None:
    cards = flashcards(SEED_CONDITION)
    assert [c.front for c in cards[: len(SEED_CONDITION.faq)]] == [e.question for e in SEED_CONDITION.faq]
    assert len(cards) == len(SEED_CONDITION.faq) + len(SEED_CONDITION.key_terms)


# Item names drawn from a small vocabulary make collisions across sections likely, which is
# exactly what the generator must cope with.
names = st.sampled_from(["Rest", "rest!", "Heat", "Cold", "Stretching", "Exercise", "Surgery", "Strain", "Pain", "Scan"]) | text


@settings(max_examples=80, deadline=None)
@given(conditions(), st.integers(0, 10_000), st.data())
def test_any_condition_and_seed_give_valid_questions(condition: Condition, seed: int, data: st.DataObject) -> None:
    sections = {
        name: Section("s", tuple(Item(data.draw(names), "d") for _ in range(data.draw(st.integers(1, 4)))))
        for name in SECTION_NAMES
    }
    condition = dataclasses.replace(condition, sections=dataclasses.replace(condition.sections, **sections))
    for question in lesson_questions(condition, seed=seed):
        assert len({normalise(c.text) for c in question.choices}) == len(question.choices) or question.kind == "triage", question
    quiz = final_quiz(condition, size=5, seed=seed)
    assert len(quiz.questions) <= 5
    assert len({q.id for q in quiz.questions}) == len(quiz.questions)
    shown = _shown_in_sections(condition, seed)
    assert not {normalise(q.prompt) for q in shown} & {normalise(q.prompt) for q in quiz.questions}


def test_running_a_quiz_cell_again_keeps_its_first_tries() -> None:
    """In a kernel, a quiz shown again (its cell run again) keeps the answers given, so the
    lesson's score cannot rise by re-running; and a score that the answers do not give is refused."""
    import traitlets

    from healthkit.lesson import Lesson

    lesson = Lesson(SEED_CONDITION)
    widget = lesson.section_quiz("causes")
    q = widget.model.questions[0]
    wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
    with widget.hold_trait_notifications():  # as the browser sends a first wrong try
        widget.responses = {q.id: {"selected": [wrong], "correct": False, "attempts": 1, "first_try": False, "revealed": False, "fit": q.fit}}
        widget.score = 0
    again = lesson.section_quiz("causes")
    assert again is not widget and again.responses == widget.responses and lesson.score == 0
    assert len(lesson.quizzes) == 1
    with pytest.raises(traitlets.TraitError, match="cannot be set"):
        again.score = 1
    assert lesson.score == 0
