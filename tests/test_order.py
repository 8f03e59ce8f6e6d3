"""The order options are shown in: deterministic, balanced, and the same in every output."""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from healthkit import load_catalog, load_condition
from healthkit.cli import main
from healthkit.content import dumps_condition
from healthkit.content.localise import localise, region_for
from healthkit.exporters.lms import bank
from healthkit.lesson import Lesson, open_lesson
from healthkit.lesson.render import answer_sheet, quiz_fallback
from healthkit.model import SECTION_NAMES, Condition, Item, Option, QuizQuestion, Section
from healthkit.quiz import arrange_lesson, lesson_questions
from healthkit.quiz.model import Choice, Question
from healthkit.registry import QUIZ_KINDS

from .conftest import CONTENT, SEED
from .fuzzing import fuzz_examples

SEED_CONDITION = load_condition(SEED)
CONDITIONS = [SEED_CONDITION, *load_catalog(CONTENT)]


def _first_right(questions: Sequence[Question]) -> tuple[int, int]:
    """(single-answer questions whose right option is shown first, single-answer questions)."""
    single = [q for q in questions if q.kind == "single"]
    return sum(q.answer == (0,) for q in single), len(single)


def _balanced(questions: Sequence[Question]) -> bool:
    """The promise: apart from questions an author pinned with the right option first, the
    first option is right on at most half of the single-answer questions."""
    first, total = _first_right(questions)
    pinned_first = sum(q.fixed_order and q.kind == "single" and q.answer == (0,) for q in questions)
    return (first - pinned_first) * 2 <= total - pinned_first


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


@settings(max_examples=200, deadline=None)
@given(lessons, st.integers(0, 1000))
def test_no_position_holds_the_answer_much_more_often_than_another(shape: list[tuple[int, int]], seed: int) -> None:
    """Among questions with the same number of options, the right option is spread over the
    positions: no position holds it more than once over another (the first never more often
    than the second), so always picking the last option gains nothing either."""
    questions = [_single(f"q{i}", n, right) for i, (n, right) in enumerate(shape)]
    shown = arrange_lesson(questions, "c", seed)
    for n in {len(q.choices) for q in shown}:
        places = Counter(q.answer[0] for q in shown if len(q.choices) == n)
        used = [places[p] for p in range(n)]
        assert max(used) - min(used) <= 1 and used[0] <= used[1], (n, used)


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
    items of the whole bank (what the exports hold), apart from those an author pinned with
    the right option first."""
    for condition in CONDITIONS:
        for seed in (0, 1):
            assert _balanced(lesson_questions(condition, seed)), (condition.id, seed)


@st.composite
def lesson_conditions(draw: st.DrawFn) -> Condition:
    """A catalogue condition with any subset of its authored questions, or one whose sections
    are too small for generated questions, with authored single-answer questions of any shape."""
    if draw(st.booleans()):
        condition = draw(st.sampled_from(CONDITIONS))
        keep = draw(st.lists(st.booleans(), min_size=len(condition.quiz), max_size=len(condition.quiz)))
        return dataclasses.replace(condition, quiz=tuple(q for q, k in zip(condition.quiz, keep) if k))
    shapes = draw(st.lists(st.tuples(st.sampled_from(SECTION_NAMES), st.integers(2, 4), st.integers(0, 3)), min_size=1, max_size=16))
    quiz = tuple(
        QuizQuestion(
            id=f"q{i}", type="single", prompt=f"Question {i}?", section=section, explanation="Why.",
            options=tuple(Option(f"Option {j} of {i}", j == min(right, n - 1), "Feedback.") for j in range(n)),
        )
        for i, (section, n, right) in enumerate(shapes)
    )
    return dataclasses.replace(_tiny(), quiz=quiz)


@settings(max_examples=fuzz_examples(150), deadline=None)
@given(lesson_conditions(), st.integers(0, 10_000), st.integers(1, 12), st.integers(1, 3))
def test_first_option_is_right_on_at_most_half_of_what_a_learner_is_shown(condition: Condition, seed: int, size: int, section_size: int) -> None:
    """The promise holds for the questions a lesson shows (its section quizzes and its final
    quiz, at any quiz size), for any seed."""
    lesson = Lesson(condition, quiz_size=size, seed=seed)
    lesson.SECTION_QUIZ_SIZE = section_size
    shown = [q for quiz in lesson.all_quiz_models() for q in quiz.questions]
    assert len({q.id for q in shown}) == len(shown)
    assert _balanced(shown), (condition.id, seed, size, section_size, [q.answer for q in shown if q.kind == "single"])


def _pinned_condition() -> Condition:
    scale = QuizQuestion(
        id="how-bad", type="single", section="symptoms", prompt="How bad is a typical spasm?", fixed_order=True,
        options=(Option("Mild", False, "It is usually worse than mild."), Option("Moderate", False, "It is often worse."),
                 Option("Severe", True, "Spasms are often very painful.")),
        explanation="Spasms can be very painful.",
    )
    return dataclasses.replace(SEED_CONDITION, quiz=(*SEED_CONDITION.quiz, scale))


def _tiny(condition_id: str = "tiny", title: str = "Tiny thing") -> Condition:
    """The seed with one entry a section, too few to quote, and no questions of its own (the
    seed's would name the other lessons' entries): its lesson borrows from others."""
    names = dict(zip(SECTION_NAMES, ("Form one", "Grit", "Itching", "Scan", "Care", "Pills", "Rest")))
    return dataclasses.replace(SEED_CONDITION, id=condition_id, title=title, quiz=(), status="draft", sections=dataclasses.replace(SEED_CONDITION.sections, **{
        name: Section("s", (Item(names[name], "d"),)) for name in SECTION_NAMES
    }))


def _content_with_neighbours(folder: Path) -> Path:
    """A content folder: a lesson that needs other conditions, two others and a broken file."""
    folder.mkdir()
    (folder / "tiny.yaml").write_text(dumps_condition(_tiny()), encoding="utf-8")
    for other, title in (("aaa-other", "Aaa other"), ("zzz-other", "Zzz other")):
        renamed = dataclasses.replace(SEED_CONDITION, id=other, title=title)
        (folder / f"{other}.yaml").write_text(dumps_condition(renamed), encoding="utf-8")
    (folder / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    return folder


def test_every_output_shows_the_same_order(tmp_path: Path) -> None:
    """Section and final quizzes, the fallback, the answer sheet and the exports agree, with
    other conditions in the folder too."""
    scale = _pinned_condition().quiz[-1]
    condition = dataclasses.replace(_tiny(), quiz=(*_tiny().quiz, scale))
    others = [dataclasses.replace(SEED_CONDITION, id=o, title=o.title()) for o in ("aaa-other", "zzz-other")]
    lesson = Lesson(condition, edition="teacher", others=tuple(others))
    by_id = {q.id: q for q in lesson.questions()}
    assert [c.text for c in by_id["how-bad"].choices] == ["Mild", "Moderate", "Severe"]
    assert not [c for q in by_id.values() for c in q.choices if "from the lesson on" in c.feedback]  # nothing is borrowed
    quizzes = lesson.all_quiz_models()
    for quiz in quizzes:
        lists = re.findall(r'<ol class="hk-fallback-choices">(.*?)</ol>', quiz_fallback(quiz, "teacher"))
        assert len(lists) == len(quiz.questions)
        for q, listed in zip(quiz.questions, lists):
            assert q == by_id[q.id]
            if q.items:  # a triage question lists its signs, in order, each with its place for the teacher
                right = {q.choices[i].item: q.choices[i].target for i in q.answer}
                assert re.findall(r"<li>(.*?) <strong>\((.*?)\)</strong></li>", listed) == [(html.escape(k), html.escape(v)) for k, v in right.items()]
                continue
            assert re.findall(r"<li>(.*?)(?: <strong>\(correct\)</strong>)?</li>", listed) == [html.escape(c.text) for c in q.choices]
    sheet = answer_sheet(quizzes)
    for quiz in quizzes:
        for q in quiz.questions:
            for i in q.answer:
                assert (html.escape(q.choices[i].text) if q.items else f"option {i + 1}, {html.escape(q.choices[i].text)}") in sheet
    exported = {q.id: q for q in bank(condition, others=others).questions}
    assert exported == by_id
    assert {q.id for quiz in quizzes for q in quiz.questions} <= set(exported)
    assert {s for q in exported.values() for s in [q.section]} <= {*SECTION_NAMES, "safety"}


def _moodle_questions(path: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """Category -> (question id, option texts) in the order written (Moodle writes true/false
    answers in lower case, so every text is compared case-folded)."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    category = ""
    for q in etree.fromstring(path.read_bytes()).findall("question"):
        if q.get("type") == "category":
            category = q.findtext("category/text") or ""
            out[category] = []
            continue
        if q.get("type") == "matching":  # a triage question has places, not options in an order
            continue
        texts = [html.unescape(a.findtext("text") or "").casefold() for a in q.findall("answer")]
        out[category].append((q.findtext("name/text") or "", texts))
    return out


def test_export_quiz_of_one_lesson_shows_what_the_lesson_shows(tmp_path: Path) -> None:
    """``export-quiz ID`` borrows wrong options from the same conditions as the lesson does
    (every valid file of the folder), whether or not they are named."""
    content = _content_with_neighbours(tmp_path / "content")
    lesson = open_lesson("tiny", content_dir=content)
    expected = [(q.id, [c.text.casefold() for c in q.choices]) for q in lesson.questions() if q.kind != "triage"]
    for ids in (["tiny"], ["tiny", "zzz-other"], ["zzz-other", "tiny"]):
        out = tmp_path / f"{'-'.join(ids)}.xml"
        assert main(["export-quiz", *ids, "--format", "moodle-xml", "-o", str(out), "--content", str(content)]) == 0
        assert _moodle_questions(out)["$course$/healthkit/tiny"] == expected, ids
