"""The order options are shown in: deterministic, balanced, and the same in every output."""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter
from typing import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from healthkit import load_catalog, load_condition
from healthkit.content.localise import localise, region_for
from healthkit.exporters.lms import bank
from healthkit.lesson import Lesson
from healthkit.lesson.render import answer_sheet, quiz_fallback
from healthkit.model import SECTION_NAMES, Condition, Option, QuizQuestion
from healthkit.quiz import arrange_lesson, lesson_questions
from healthkit.quiz.model import Choice, Question
from healthkit.registry import QUIZ_KINDS

from .conftest import CONTENT, SEED

SEED_CONDITION = load_condition(SEED)


def _first_right(questions: Sequence[Question]) -> tuple[int, int]:
    """(single-answer questions whose right option is shown first, single-answer questions)."""
    single = [q for q in questions if q.kind == "single"]
    return sum(q.answer == (0,) for q in single), len(single)


def _single(qid: str, n: int, right: int, fixed: bool = False) -> Question:
    choices = tuple(Choice(f"option {i} of {qid}", i == right, f"feedback {i}") for i in range(n))
    return Question(qid, "single", f"Prompt {qid}?", choices, "why", "types", fixed_order=fixed)


lessons = st.lists(
    st.tuples(st.integers(2, 5), st.integers(0, 4)).map(lambda t: (t[0], min(t[1], t[0] - 1))),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(lessons, st.integers(0, 1000), st.sampled_from(["back-spasms", "x", "migraine"]))
def test_first_option_is_right_on_at_most_half_of_single_items(shape: list[tuple[int, int]], seed: int, cid: str) -> None:
    questions = [_single(f"q{i}", n, right) for i, (n, right) in enumerate(shape)]
    shown = arrange_lesson(questions, cid, seed)
    first, total = _first_right(shown)
    assert first * 2 <= total
    # Every question keeps its options, right ones still right, only their order changes.
    for before, after in zip(questions, shown):
        assert sorted(after.choices, key=lambda c: c.text) == sorted(before.choices, key=lambda c: c.text)
        assert after.id == before.id and len(after.answer) == 1
    # Two-option items alternate: neither place holds the answer more than once over the other.
    if all(n == 2 for n, _ in shape):
        places = Counter(q.answer[0] for q in shown)
        assert abs(places[0] - places[1]) <= 1


@settings(max_examples=50, deadline=None)
@given(lessons, st.integers(0, 1000))
def test_order_is_deterministic_and_depends_on_the_seed(shape: list[tuple[int, int]], seed: int) -> None:
    questions = [_single(f"q{i}", n, right) for i, (n, right) in enumerate(shape)]
    assert arrange_lesson(questions, "c", seed) == arrange_lesson(questions, "c", seed)


def test_a_different_seed_or_condition_changes_some_order() -> None:
    questions = [_single(f"q{i}", 4, 0) for i in range(12)]
    orders = {tuple(tuple(c.text for c in q.choices) for q in arrange_lesson(questions, cid, seed)) for cid in ("a", "b") for seed in range(3)}
    assert len(orders) > 1


def test_true_false_shows_true_then_false_and_fixed_order_is_kept() -> None:
    true_text, false_text = QUIZ_KINDS["true_false"].fixed_texts
    tf = Question("tf", "true_false", "True or false?", (Choice(false_text, True, "f"), Choice(true_text, False, "t")), "why", "types")
    pinned = _single("scale", 3, 2, fixed=True)
    shown = arrange_lesson([tf, pinned] + [_single(f"q{i}", 3, 2) for i in range(5)], "c", 0)
    assert [c.text for c in shown[0].choices] == [true_text, false_text] and shown[0].answer == (1,)
    assert shown[1] == pinned


def test_pinned_items_count_toward_the_balance() -> None:
    """Items pinned with the answer first push the others' answers elsewhere."""
    pinned = [_single(f"p{i}", 2, 0, fixed=True) for i in range(3)]
    free = [_single(f"q{i}", 2, 0) for i in range(3)]
    shown = arrange_lesson([*pinned, *free], "c", 0)
    assert [q.answer for q in shown[3:]] == [(1,)] * 3


def test_catalogue_lessons_balance_the_right_option() -> None:
    """On the catalogue, whatever it holds: first-option-right on at most half of the single
    items, apart from those an author pinned with the right option first."""
    for condition in [SEED_CONDITION, *load_catalog(CONTENT)]:
        for seed in (0, 1):
            shown = lesson_questions(condition, seed)
            first, total = _first_right(shown)
            pinned_first = sum(q.fixed_order and q.kind == "single" and q.answer == (0,) for q in shown)
            pinned = sum(q.fixed_order and q.kind == "single" for q in shown)
            assert (first - pinned_first) * 2 <= total - pinned, (condition.id, seed)


def _pinned_condition() -> Condition:
    scale = QuizQuestion(
        id="how-bad", type="single", section="symptoms", prompt="How bad is a typical spasm?", fixed_order=True,
        options=(Option("Mild", False, "It is usually worse than mild."), Option("Moderate", False, "It is often worse."),
                 Option("Severe", True, "Spasms are often very painful.")),
        explanation="Spasms can be very painful.",
    )
    return dataclasses.replace(SEED_CONDITION, quiz=(*SEED_CONDITION.quiz, scale))


def test_every_output_shows_the_same_order() -> None:
    """Section and final quizzes, the fallback, the answer sheet and the exports agree."""
    condition = _pinned_condition()
    condition = localise(condition, region_for(condition, None))  # as lessons and exports word it
    lesson = Lesson(condition, edition="teacher")
    by_id = {q.id: q for q in lesson.questions()}
    assert [c.text for c in by_id["how-bad"].choices] == ["Mild", "Moderate", "Severe"]
    quizzes = lesson.all_quiz_models()
    for quiz in quizzes:
        lists = re.findall(r'<ol class="hk-fallback-choices">(.*?)</ol>', quiz_fallback(quiz, "teacher"))
        assert len(lists) == len(quiz.questions)
        for q, listed in zip(quiz.questions, lists):
            assert q == by_id[q.id]
            assert re.findall(r"<li>(.*?)(?: <strong>\(correct\)</strong>)?</li>", listed) == [html.escape(c.text) for c in q.choices]
    sheet = answer_sheet(quizzes)
    for quiz in quizzes:
        for q in quiz.questions:
            for i in q.answer:
                assert f"option {i + 1}, {q.choices[i].text}" in sheet
    exported = {q.id: q for q in bank(condition).questions}
    assert exported == {q.id: q for q in lesson_questions(condition)}
    assert {q.id for quiz in quizzes for q in quiz.questions} <= set(exported)
    assert {s for q in exported.values() for s in [q.section]} <= set(SECTION_NAMES)
