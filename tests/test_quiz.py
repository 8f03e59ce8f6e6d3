"""Quiz model and generation: pure Python, no kernel."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthkit import HealthkitError, load_condition
from healthkit.content.lint import normalise
from healthkit.model import SECTION_NAMES, Condition, Item, Section
from healthkit.quiz import final_quiz, flashcards, generated, lesson_questions, section_quiz
from healthkit.quiz.generate import _kin, needs_other_conditions
from healthkit.quiz.model import Choice, Question

from .conftest import SEED
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


def _check_invariants(condition: Condition, question: Question) -> None:
    texts = [normalise(c.text) for c in question.choices]
    assert len(texts) == len(set(texts)), f"duplicate option in {question}"
    assert sum(c.correct for c in question.choices) == 1, f"not exactly one right answer in {question}"
    if question.kind == "single":
        kin = _kin(question.section)
        related = {normalise(i.name) for s in kin for i in condition.sections.get(s).items}
        for choice in question.choices:
            if not choice.correct:
                assert normalise(choice.text) not in related, f"distractor {choice.text!r} is true for {question.section}"


def test_seed_condition_generates_a_question_per_section() -> None:
    questions = generated(SEED_CONDITION, seed=0)
    assert {q.section for q in questions} == set(SECTION_NAMES)
    for q in questions:
        _check_invariants(SEED_CONDITION, q)


def test_generation_is_deterministic_and_seed_dependent() -> None:
    assert generated(SEED_CONDITION, seed=5) == generated(SEED_CONDITION, seed=5)
    variants = {tuple(q.id for q in final_quiz(SEED_CONDITION, size=8, seed=s).questions) for s in range(6)}
    assert len(variants) > 1


def test_distractors_from_other_conditions_are_named() -> None:
    other = dataclasses.replace(SEED_CONDITION, id="other", title="Other thing")
    # Make the seed's own sections too small to supply distractors, so others must.
    tiny = dataclasses.replace(SEED_CONDITION, sections=dataclasses.replace(SEED_CONDITION.sections, **{
        name: Section("s", (Item("causes only" if name == "causes" else "shared", "d"),)) for name in SECTION_NAMES
    }))
    assert needs_other_conditions(tiny) and not needs_other_conditions(SEED_CONDITION)
    question = [q for q in generated(tiny, seed=1, others=[other]) if q.section == "causes"][0]
    _check_invariants(tiny, question)
    assert any("lesson on other thing" in c.feedback for c in question.choices if not c.correct)


def test_section_and_final_quizzes() -> None:
    quiz = section_quiz(SEED_CONDITION, "home_remedies", size=2)
    assert len(quiz.questions) == 2 and all(q.section == "home_remedies" for q in quiz.questions)
    final = final_quiz(SEED_CONDITION, size=7)
    assert {q.section for q in final.questions} == set(SECTION_NAMES)  # round-robin covers all
    with pytest.raises(HealthkitError, match="unknown section"):
        section_quiz(SEED_CONDITION, "sympton")
    score = final.score({q.id: q.answer for q in final.questions[:3]})
    assert score == 3


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
        # It takes every generated question and the authored ones left over.
        left = {q.id for q in lesson_questions(SEED_CONDITION, seed)} - {q.id for q in shown}
        assert {q.id for q in final} == left


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
    for question in generated(condition, seed=seed):
        _check_invariants(condition, question)
    quiz = final_quiz(condition, size=5, seed=seed)
    assert len(quiz.questions) <= 5
    assert len({q.id for q in quiz.questions}) == len(quiz.questions)
    shown = _shown_in_sections(condition, seed)
    assert not {normalise(q.prompt) for q in shown} & {normalise(q.prompt) for q in quiz.questions}
