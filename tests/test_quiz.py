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
from healthkit.quiz import safety_quiz, final_quiz, flashcards, generated, lesson_questions, section_quiz
from healthkit.quiz.generate import _clashes, described, needs_other_conditions
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


def _entry(condition: Condition, section: str, name: str) -> Item | None:
    return next((i for i in condition.sections.get(section).items if normalise(i.name) == normalise(name)), None)


def _names(text: str, name: str) -> bool:
    """Whether ``text`` holds every longer word of ``name`` (a looser test than a phrase)."""
    words = {w.rstrip("s") for w in normalise(name).split() if len(w) > 3}
    return bool(words) and words <= {w.rstrip("s") for w in normalise(text).split()}


def _check_invariants(condition: Condition, question: Question, others: tuple[Condition, ...] = ()) -> None:
    """One right answer, no two options alike, and no wrong option that the lesson makes right."""
    texts = [normalise(c.text) for c in question.choices]
    assert len(texts) == len(set(texts)), f"duplicate option in {question}"
    assert sum(c.correct for c in question.choices) == 1, f"not exactly one right answer in {question}"
    if question.kind != "single":
        return
    right = next(c for c in question.choices if c.correct)
    wrong = [c for c in question.choices if not c.correct]
    entry = _entry(condition, question.section, right.text)
    assert entry is not None, f"the answer {right.text!r} is not an entry of {question.section}"
    if f"“{entry.description}”" in question.prompt:  # "which of these does the lesson describe here?"
        for choice in wrong:  # other entries of the same section, whose words differ
            other = _entry(condition, question.section, choice.text)
            assert other is not None and normalise(other.description) != normalise(entry.description), choice
            assert not _names(entry.description, choice.text), f"the quote names {choice.text!r}"
            assert f" {normalise(right.text)} " not in f" {normalise(choice.feedback)} ", f"{choice.text!r}'s feedback names the answer"
    else:  # "which of these is ...?": wrong options come from other lessons, never named in this one
        said = normalise(" ".join(f"{i.name} {i.description}" for _, i in condition.all_items()))
        for choice in wrong:
            assert f" {normalise(choice.text)} " not in f" {said} ", f"{choice.text!r} is in the lesson on {condition.id}"
            assert any(_entry(o, question.section, choice.text) for o in others), f"{choice.text!r} comes from no other lesson"


def test_generated_questions_give_no_word_cue() -> None:
    """No option shares a word with the prompt that the other options do not share too, so
    picking the option that repeats the prompt is a blind guess; and a section with nothing
    good to ask gets no question rather than a bad one."""
    from healthkit.content.quizcheck import word_families as content_words

    asked = set()
    for condition in CONDITIONS:
        others = [o for o in CONDITIONS if o.id != condition.id]
        for q in generated(condition, seed=0, others=others):
            asked.add(q.section)
            _check_invariants(condition, q, tuple(others))
            if q.kind == "single":
                shared = [content_words(c.text) & content_words(q.prompt) for c in q.choices]
                assert all(words == shared[0] for words in shared), (condition.id, q.prompt, shared)
    assert len(asked) >= 4, asked


def test_a_quoted_description_is_asked_with_entries_of_the_same_section() -> None:
    for section in SECTION_NAMES:
        for seed in range(5):
            question = described(SEED_CONDITION, section, random.Random(seed))
            if question is None:
                continue
            names = {normalise(i.name) for i in SEED_CONDITION.sections.get(section).items}
            assert {normalise(c.text) for c in question.choices} <= names and len(question.choices) >= 3
            _check_invariants(SEED_CONDITION, question)


def test_an_entry_whose_words_name_it_is_not_quoted() -> None:
    items = (Item("Heat", "Heat can ease the pain."), Item("Rest", "Lie down for a while."), Item("Cold", "An ice pack may help."), Item("Massage", "Rubbing the area gently."))
    condition = dataclasses.replace(SEED_CONDITION, sections=dataclasses.replace(SEED_CONDITION.sections, home_remedies=Section("s", items)))
    asked = {next(c.text for c in q.choices if c.correct) for seed in range(40) if (q := described(condition, "home_remedies", random.Random(seed)))}
    assert asked == {"Rest", "Cold", "Massage"}


def test_a_quote_that_fits_another_option_in_other_words_is_not_used() -> None:
    """"bleeding in the stomach and gut" names the entry "Bleeding in the stomach or gut": a
    question quoting it could not mark that entry wrong."""
    items = (
        Item("Painkillers called NSAIDs", "Ibuprofen can cause bleeding in the stomach and gut."),
        Item("Bleeding in the stomach or gut", "An ulcer may bleed slowly."),
        Item("Heavy periods", "Losing a lot of blood each month."),
        Item("Too little iron in food", "A diet low in meat and greens."),
    )
    condition = dataclasses.replace(SEED_CONDITION, sections=dataclasses.replace(SEED_CONDITION.sections, causes=Section("s", items)))
    asked = {next(c.text for c in q.choices if c.correct) for seed in range(40) if (q := described(condition, "causes", random.Random(seed)))}
    # "An ulcer may bleed slowly" is not quoted either: "bleed" and "Bleeding" are one family.
    assert asked == {"Heavy periods", "Too little iron in food"}


def test_whether_a_lesson_borrows_options_does_not_depend_on_the_seed() -> None:
    """Three entries, one of whose descriptions names another: some answers cannot be asked
    about, but the section still gets its question with any seed, without other lessons."""
    items = (Item("Rest", "Lie down."), Item("Heat", "Warmth after rest helps."), Item("Massage", "Rub gently."))
    condition = dataclasses.replace(SEED_CONDITION, sections=dataclasses.replace(SEED_CONDITION.sections, home_remedies=Section("s", items)))
    assert not needs_other_conditions(condition)
    for seed in range(20):
        assert described(condition, "home_remedies", random.Random(seed)) is not None


def test_the_types_true_or_false_never_quotes_what_the_types_question_quotes() -> None:
    for condition in CONDITIONS:
        for seed in range(8):
            types = [q for q in generated(condition, seed) if q.section == "types"]
            quotes = [q.prompt.rsplit("“", 1)[-1] for q in types]
            assert len(quotes) == len(set(quotes)), (condition.id, seed, quotes)


def test_a_section_too_small_to_quote_gets_no_generated_question() -> None:
    """Two causes are too few to quote, and nothing is borrowed from other lessons (their
    options were plainly another condition's, or secretly right for this one): the section
    gets no generated question, with or without other lessons."""
    two = (Item("Muscle strain", "Lifting something heavy the wrong way."), Item("Poor posture", "Sitting hunched for hours."))
    condition = dataclasses.replace(SEED_CONDITION, sections=dataclasses.replace(SEED_CONDITION.sections, causes=Section("s", two)))
    other = dataclasses.replace(SEED_CONDITION, id="other", title="Other thing")
    assert not needs_other_conditions(condition)
    for seed in range(10):
        assert not [q for q in generated(condition, seed, (other,)) if q.section == "causes"]


def test_generated_feedback_explains() -> None:
    """Every option of a generated question says more than right or wrong."""
    for condition in CONDITIONS:
        for q in lesson_questions(condition, 0, [o for o in CONDITIONS if o.id != condition.id]):
            if q.origin == "generated":
                for choice in q.choices:
                    assert not explains_nothing(choice.feedback), (q.id, choice.feedback)


def test_generation_is_deterministic_and_seed_dependent() -> None:
    assert generated(SEED_CONDITION, seed=5) == generated(SEED_CONDITION, seed=5)
    variants = {tuple(q.id for q in final_quiz(SEED_CONDITION, size=8, seed=s).questions) for s in range(6)}
    assert len(variants) > 1


def test_section_and_final_quizzes() -> None:
    quiz = section_quiz(SEED_CONDITION, "home_remedies", size=2)
    assert len(quiz.questions) == 2 and all(q.section == "home_remedies" for q in quiz.questions)
    final = final_quiz(SEED_CONDITION, size=7)
    shown = {q.id for s in SECTION_NAMES for q in section_quiz(SEED_CONDITION, s, size=2).questions}
    left = {q.section for q in lesson_questions(SEED_CONDITION) if q.id not in shown}
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
    others = (SEED_CONDITION,) if data.draw(st.booleans()) else ()
    for question in generated(condition, seed=seed, others=others):
        _check_invariants(condition, question, others)
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
