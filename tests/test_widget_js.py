"""The quiz widget's JavaScript in Chromium: its grading against Python's, the quiz-kind table
it draws from, and the events and saved records a page that packages a lesson relies on."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import re
from typing import Any, Iterator

import pytest

from healthkit import load_catalog, load_condition
from healthkit.quiz import lesson_questions, section_quiz
from healthkit.quiz.model import Choice, Question, Quiz
from healthkit.registry import QUIZ_KINDS
from healthkit.widget import asset, kinds_data

from .browser import chromium
from .conftest import CONTENT, SEED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = asset("quiz.js")
MODULE = "data:text/javascript;base64," + base64.b64encode(SOURCE.encode()).decode()

#: A model as anywidget gives one, recording what the widget saves.
HARNESS = """
async ([module, state]) => {
  const widget = await import(module);
  const saved = [];
  const events = [];
  for (const name of ["healthkit:score", "healthkit:answer"]) {
    window.addEventListener(name, (e) => events.push({ type: name, detail: e.detail }));
  }
  const model = {
    state, saved,
    get(key) { return this.state[key]; },
    set(key, value) { this.state[key] = value; },
    on() {}, off() {},
    save_changes() { saved.push(JSON.parse(JSON.stringify({ responses: this.state.responses, score: this.state.score }))); },
  };
  const el = document.createElement("div");
  document.body.replaceChildren(el);
  widget.default.render({ model, el });
  window.hk = { model, events, widget };
}
"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium() as browser:
        page = browser.new_page()
        page.goto("about:blank")
        yield page


def _subsets(n: int) -> Iterator[list[int]]:
    for size in range(n + 1):
        for combo in itertools.combinations(range(n), size):
            yield list(combo)


def _selections(q: Question) -> Iterator[list[int]]:
    """Every selection a learner can make: any subset of the options, or, for a triage
    question, one place per sign (or none yet)."""
    if not q.items:
        yield from _subsets(len(q.choices))
        return
    rows = [[i for i, c in enumerate(q.choices) if c.item == item] for item in q.items]
    for picks in itertools.product(*[[None, *row] for row in rows]):
        yield [i for i in picks if i is not None]


def test_browser_grading_matches_python_for_every_question(page: Any) -> None:
    questions: list[Question] = []
    for condition in [load_condition(SEED), *load_catalog(CONTENT)]:
        questions += lesson_questions(condition)
    cases = [(q, chosen) for q in questions for chosen in _selections(q)]
    assert any(q.kind == "multiple" for q, _ in cases)
    data = [[{"choices": [{"correct": c.correct} for c in q.choices]}, chosen] for q, chosen in cases]
    got = page.evaluate("async ([module, cases]) => { const m = await import(module); return cases.map(([q, s]) => m.grade(q, s)); }", [MODULE, data])
    expected = [q.grade(chosen).correct for q, chosen in cases]
    mismatches = [(q.id, chosen, js, py) for (q, chosen), js, py in zip(cases, got, expected) if js != py]
    assert len(got) == len(cases) and mismatches == []
    assert sum(expected) >= len(questions)  # each question has a right selection among the subsets


def test_the_widget_draws_from_the_kind_table_it_is_given(page: Any) -> None:
    for name in QUIZ_KINDS:
        assert not re.search(rf"[\"'`]{name}[\"'`]", SOURCE), f"quiz.js names the kind {name!r}"
    quiz = section_quiz(load_condition(SEED), "causes", size=2)
    kinds = {name: {**kind, "input": "checkbox", "hint": f"Pick for {name}."} for name, kind in kinds_data().items()}
    page.evaluate(HARNESS, [MODULE, {"quiz": quiz.to_data(), "kinds": kinds, "responses": {}, "score": 0}])
    for q in quiz.questions:
        fieldset = page.locator(f"fieldset[data-question='{q.id}']")
        assert fieldset.locator("input[type=checkbox]").count() == len(q.choices)
        assert f"Pick for {q.kind}." in fieldset.locator("legend").inner_text()


def _start(page: Any, quiz: Quiz, responses: dict[str, Any] | None = None) -> None:
    page.evaluate(HARNESS, [MODULE, {"quiz": quiz.to_data(), "kinds": kinds_data(), "responses": responses or {}, "score": 0}])


def _events(page: Any, kind: str) -> list[dict[str, Any]]:
    return [e["detail"] for e in page.evaluate("window.hk.events") if e["type"] == kind]


def test_wrong_then_right_scores_nothing_and_records_the_tries(page: Any) -> None:
    quiz = section_quiz(load_condition(SEED), "symptoms", size=2)
    q = next(q for q in quiz.questions if q.kind == "single" and len(q.choices) > 2)
    wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
    _start(page, quiz)
    assert _events(page, "healthkit:score") == [{"quiz": quiz.id, "score": 0, "total": len(quiz.questions), "answered": 0}]
    assert _events(page, "healthkit:answer") == []  # nothing is answered on render
    box = page.locator(f"fieldset[data-question='{q.id}']")
    box.locator("label").nth(wrong).click()
    box.get_by_role("button", name="Check answer").click()
    feedback = box.locator(".hk-feedback").inner_text()
    # A first wrong try: the chosen option's feedback and a pointer, not the explanation or the key.
    assert "Not quite." in feedback and q.choices[wrong].feedback.split(". ", 1)[-1] in feedback
    assert q.explanation not in feedback and "Review: the section on symptoms" in feedback
    assert "Right answer" not in box.inner_text()
    assert box.get_by_role("button", name="Try again").is_visible() and box.get_by_role("button", name="Show answer").is_visible()
    (first,) = _events(page, "healthkit:answer")
    assert first == {
        "quiz": quiz.id, "question": q.id, "kind": q.kind, "prompt": q.prompt, "choices": [c.text for c in q.choices],
        "selected": [wrong], "correct": False, "attempt": 1, "first_try": False, "revealed": False,
    }
    box.get_by_role("button", name="Try again").click()
    assert page.evaluate("document.activeElement.id").endswith("-c0")  # back to the first option
    box.locator("label").nth(q.answer[0]).click()
    box.get_by_role("button", name="Check answer").click()
    feedback = box.locator(".hk-feedback").inner_text()
    assert "Correct!" in feedback and q.explanation in feedback
    assert "✓ Right answer" in box.locator(".hk-options").inner_text()
    second = _events(page, "healthkit:answer")[-1]
    assert (second["attempt"], second["first_try"], second["correct"]) == (2, False, True)
    model = page.evaluate("window.hk.model.state")
    assert model["responses"][q.id] == {"selected": [q.answer[0]], "correct": True, "attempts": 2, "first_try": False, "revealed": False, "fit": q.fit}
    assert model["score"] == 0 and _events(page, "healthkit:score")[-1]["score"] == 0
    assert page.locator(".hk-score").inner_text() == f"Score: 0 of {len(quiz.questions)} right first time"
    # One polite announcement for the check, in one live region.
    live = page.locator("[aria-live]")
    assert live.count() == 1 and live.get_attribute("aria-live") == "polite"
    assert live.text_content().count("Correct!") == 1


def test_show_answer_marks_the_key_in_words_and_explains(page: Any) -> None:
    quiz = section_quiz(load_condition(SEED), "causes", size=2)
    q = next(q for q in quiz.questions if q.kind == "multiple")
    _start(page, quiz)
    box = page.locator(f"fieldset[data-question='{q.id}']")
    wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
    box.locator("label").nth(wrong).click()
    box.get_by_role("button", name="Check answer").click()
    assert "You chose 0 of the" in box.locator(".hk-feedback").inner_text()
    box.get_by_role("button", name="Show answer").click()
    labels = box.locator(".hk-choice label")
    for i, choice in enumerate(q.choices):
        assert ("✓ Right answer" in labels.nth(i).inner_text()) == choice.correct
    text = box.locator(".hk-feedback").inner_text()
    assert q.explanation in text and "Right answers: " in text
    assert not box.get_by_role("button", name="Show answer").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Try again"
    saved = page.evaluate("window.hk.model.state.responses")[q.id]
    assert saved["revealed"] is True and saved["first_try"] is False and saved["attempts"] == 1
    # "Choose all that apply" is said once, even when the prompt says it too.
    legend = box.locator("legend").inner_text()
    assert legend.lower().count("choose all that apply") == 1


def _record(q: Question, selected: list[int], **flags: Any) -> dict[str, Any]:
    return {"selected": selected, "correct": q.grade(selected).correct, "attempts": 1, "first_try": q.grade(selected).correct,
            "revealed": False, "fit": q.fit, **flags}


def test_fits_agree_with_python(page: Any) -> None:
    """The digest saved answers carry is the same in the browser and in Python (the index and
    the SCORM adapter rely on it), for any text, accents and emoji included."""
    questions = [q for condition in [load_condition(SEED), *load_catalog(CONTENT)] for q in lesson_questions(condition)]
    questions.append(Question("odd", "single", "?", (Choice("Ça\u00a0va 😀 \u2028", True, "f"), Choice("", False, "g")), "e", "types"))
    data = [{"choices": [{"text": c.text, "correct": c.correct} for c in q.choices]} for q in questions]
    got = page.evaluate("async ([module, qs]) => { const m = await import(module); return qs.map((q) => m.fitOf(q)); }", [MODULE, data])
    assert got == [q.fit for q in questions]
    # It changes with the options' texts, their order and which are right.
    q = questions[0]
    changed = [
        dataclasses.replace(q, choices=(dataclasses.replace(q.choices[0], text=q.choices[0].text + "!"), *q.choices[1:])),
        dataclasses.replace(q, choices=(*q.choices[1:], q.choices[0])),
        dataclasses.replace(q, choices=(dataclasses.replace(q.choices[0], correct=not q.choices[0].correct), *q.choices[1:])),
    ]
    assert len({q.fit, *(c.fit for c in changed)}) == 4


def test_saved_answers_are_shown_only_while_they_fit(page: Any) -> None:
    """A record for a question that is gone, or whose options changed since, is dropped; one
    that fits is graded again. So a wrong answer never shows as right and the score never
    exceeds the questions."""
    quiz = section_quiz(load_condition(SEED), "symptoms", size=2)
    first, second = quiz.questions
    assert second.kind == "single" and len(second.choices) > 2
    wrong = next(i for i, c in enumerate(second.choices) if not c.correct)
    reordered = dataclasses.replace(second, choices=(second.choices[-1], *second.choices[:-1]))
    stale = reordered.answer[0]  # right before the options moved: now a wrong option of `second`
    assert not second.choices[stale].correct
    saved = {
        "gone-1": _record(first, list(first.answer)),
        "gone-2": _record(first, list(first.answer)),
        first.id: _record(first, list(first.answer)),
        second.id: {**_record(reordered, [stale]), "correct": True, "first_try": True},
    }
    _start(page, quiz, saved)
    assert _events(page, "healthkit:score")[-1] == {"quiz": quiz.id, "score": 1, "total": 2, "answered": 1}
    assert page.locator(".hk-score").inner_text() == "Score: 1 of 2 right first time"
    assert "Correct!" in page.locator(f"fieldset[data-question='{first.id}'] .hk-feedback").inner_text()
    box = page.locator(f"fieldset[data-question='{second.id}']")
    assert box.locator(".hk-feedback").inner_text() == "" and box.locator("input:checked").count() == 0
    # A record that fits but says "right" for a wrong option is graded again: "Not quite".
    lying = {second.id: {**_record(second, [wrong]), "correct": True}}
    _start(page, quiz, lying)
    assert "Not quite." in box.locator(".hk-feedback").inner_text() and "Correct!" not in box.inner_text()
    # Records of the previous form (no fit) cannot prove they fit: not shown, not counted.
    old = {first.id: {"selected": list(first.answer), "correct": True}}
    _start(page, quiz, old)
    assert _events(page, "healthkit:score")[-1]["answered"] == 0
    assert page.locator(f"fieldset[data-question='{first.id}'] input:checked").count() == 0


def test_a_question_without_a_section_points_nowhere(page: Any) -> None:
    quiz = section_quiz(load_condition(SEED), "types", size=1)
    q = dataclasses.replace(quiz.questions[0], section="")
    _start(page, dataclasses.replace(quiz, questions=(q,)))
    box = page.locator(f"fieldset[data-question='{q.id}']")
    box.locator("label").nth(next(i for i, c in enumerate(q.choices) if not c.correct)).click()
    box.get_by_role("button", name="Check answer").click()
    feedback = box.locator(".hk-feedback").inner_text()
    assert "Not quite." in feedback and "null" not in feedback and "Review" not in feedback


def test_answer_keys_follow_the_edition_s_data(page: Any) -> None:
    """The widget shows answer keys when the model says the edition shows answers (from the
    registry), whatever the edition is called."""
    from healthkit.widget import QuizWidget

    quiz = section_quiz(load_condition(SEED), "types", size=1)
    assert QuizWidget(quiz, edition="teacher").shows_answers and not QuizWidget(quiz).shows_answers
    for shows, edition in ((True, "learner"), (False, "teacher")):
        state = {"quiz": quiz.to_data(), "kinds": kinds_data(), "responses": {}, "score": 0, "edition": edition, "shows_answers": shows}
        page.evaluate(HARNESS, [MODULE, state])
        assert (page.locator(".hk-key").count() > 0) == shows
        assert (page.locator(".hk-teacher-note").count() > 0) == shows
    assert not re.search(r"[\"'`]teacher[\"'`]", SOURCE), "quiz.js names an edition"


def test_a_printed_quiz_shows_no_answers(page: Any) -> None:
    """On paper an answered quiz looks exactly like an unanswered one: no borders saying right
    or wrong, no ticked option, no feedback."""
    quiz = section_quiz(load_condition(SEED), "causes", size=2)
    shots = []
    for answered in (False, True):
        _start(page, quiz)
        page.add_style_tag(content=asset("quiz.css"))
        if answered:
            wrong = next(i for i, c in enumerate(quiz.questions[1].choices) if not c.correct)
            for q, picks in zip(quiz.questions, (quiz.questions[0].answer, (wrong,))):
                box = page.locator(f"fieldset[data-question='{q.id}']")
                for i in picks:
                    box.locator("label").nth(i).click()
                box.get_by_role("button", name="Check answer").click()
            second = page.locator(f"fieldset[data-question='{quiz.questions[1].id}']")
            second.get_by_role("button", name="Show answer").click()
            assert page.locator(".hk-right").count() and page.locator(".hk-is-right").count() and page.locator("input:checked").count()
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.emulate_media(media="print")
        shots.append(page.locator(".hk-quiz").screenshot(animations="disabled", caret="hide"))
        page.emulate_media(media="screen")
    assert shots[0] == shots[1]


def test_a_settled_answer_cannot_be_checked_again(page: Any) -> None:
    """After a right answer the options and Check are locked, so it can never flip to "Not
    quite"; after "Show answer", "Try again" unlocks them for practice without changing the
    first try."""
    quiz = section_quiz(load_condition(SEED), "symptoms", size=2)
    q = next(q for q in quiz.questions if q.kind == "single" and len(q.choices) > 2)
    wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
    _start(page, quiz)
    box = page.locator(f"fieldset[data-question='{q.id}']")
    box.locator("label").nth(q.answer[0]).click()
    box.get_by_role("button", name="Check answer").click()
    assert "Correct!" in box.locator(".hk-feedback").inner_text()
    inputs = box.locator("input")
    assert all(inputs.nth(i).is_disabled() for i in range(inputs.count()))
    assert not box.get_by_role("button", name="Check answer").is_visible()
    assert not box.get_by_role("button", name="Try again").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('hk-feedback')")  # the focus is not lost
    box.locator("label").nth(wrong).click(force=True)  # a click on a locked option changes nothing
    assert inputs.nth(q.answer[0]).is_checked() and not inputs.nth(wrong).is_checked()
    assert page.evaluate("window.hk.model.state.score") == 1

    other = next(o for o in quiz.questions if o.id != q.id)
    box = page.locator(f"fieldset[data-question='{other.id}']")
    wrong = next(i for i, c in enumerate(other.choices) if not c.correct)
    box.locator("label").nth(wrong).click()
    box.get_by_role("button", name="Check answer").click()
    box.get_by_role("button", name="Show answer").click()
    inputs = box.locator("input")
    assert all(inputs.nth(i).is_disabled() for i in range(inputs.count()))
    box.get_by_role("button", name="Try again").click()  # practice is allowed ...
    assert not inputs.first.is_disabled()
    for i in other.answer:
        box.locator("label").nth(i).click()
    box.get_by_role("button", name="Check answer").click()
    saved = page.evaluate("window.hk.model.state")
    assert saved["responses"][other.id]["first_try"] is False and saved["score"] == 1  # ... and scores nothing


def test_triage_sorts_each_sign_by_keyboard_and_scores_the_first_try(page: Any) -> None:
    """'Where should each person get help?': one labelled list per sign, chosen from the
    keyboard; a wrong first try says how many signs are placed right without naming the
    places; the right places settle it."""
    from healthkit.quiz import safety_quiz

    quiz = safety_quiz(load_condition(SEED))
    (q,) = quiz.questions
    assert q.kind == "triage" and len(q.items) >= 3
    _start(page, quiz)
    box = page.locator(f"fieldset[data-question='{q.id}']")
    selects = box.locator("select")
    assert selects.count() == len(q.items)
    for r, sign in enumerate(q.items):
        assert box.get_by_label(sign).count() == 1  # each list is named by its sign
    box.get_by_role("button", name="Check answer").click()
    assert "for every sign first" in box.locator(".hk-feedback").inner_text()
    right = {q.choices[i].item: q.choices[i].target for i in q.answer}
    wrong_places = {sign: next(t for t in q.targets if t != right[sign]) for sign in q.items}
    for r, sign in enumerate(q.items):
        place = right[sign] if r else wrong_places[sign]  # the first sign in a wrong place
        selects.nth(r).focus()
        selects.nth(r).select_option(label=place)
    box.get_by_role("button", name="Check answer").click()
    text = box.locator(".hk-feedback").inner_text()
    assert "Not quite." in text and f"{len(q.items) - 1} of the {len(q.items)} signs are in the right place." in text
    assert "Right answer" not in box.inner_text() and q.explanation not in text
    box.get_by_role("button", name="Try again").click()
    for r, sign in enumerate(q.items):
        selects.nth(r).select_option(label=right[sign])
    box.get_by_role("button", name="Check answer").click()
    assert "Correct!" in box.locator(".hk-feedback").inner_text()
    assert all(selects.nth(r).is_disabled() for r in range(selects.count()))
    state = page.evaluate("window.hk.model.state")
    assert state["responses"][q.id]["first_try"] is False and state["score"] == 0
    assert sorted(state["responses"][q.id]["selected"]) == sorted(q.answer)
