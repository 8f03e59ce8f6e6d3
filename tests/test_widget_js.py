"""The quiz widget's JavaScript in Chromium: its grading against Python's, the quiz-kind table
it draws from, and the events and saved records a page that packages a lesson relies on."""

from __future__ import annotations

import base64
import itertools
import json
import re
from typing import Any, Iterator

import pytest

from healthkit import load_catalog, load_condition
from healthkit.quiz import lesson_questions, section_quiz
from healthkit.quiz.model import Question, Quiz
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


def test_browser_grading_matches_python_for_every_question(page: Any) -> None:
    questions: list[Question] = []
    for condition in [load_condition(SEED), *load_catalog(CONTENT)]:
        questions += lesson_questions(condition)
    cases = [(q, chosen) for q in questions for chosen in _subsets(len(q.choices))]
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
    assert model["responses"][q.id] == {"selected": [q.answer[0]], "correct": True, "attempts": 2, "first_try": False, "revealed": False}
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


def test_records_of_the_previous_form_still_load(page: Any) -> None:
    quiz = section_quiz(load_condition(SEED), "types", size=2)
    first, second = quiz.questions
    wrong = next(i for i, c in enumerate(second.choices) if not c.correct)
    old = {first.id: {"selected": list(first.answer), "correct": True}, second.id: {"selected": [wrong], "correct": False}}
    _start(page, quiz, old)
    assert _events(page, "healthkit:score")[-1] == {"quiz": quiz.id, "score": 1, "total": 2, "answered": 2}
    assert "Correct!" in page.locator(f"fieldset[data-question='{first.id}'] .hk-feedback").inner_text()
    assert "Not quite." in page.locator(f"fieldset[data-question='{second.id}'] .hk-feedback").inner_text()
    # A further check counts as the second try of a record that had none counted.
    box = page.locator(f"fieldset[data-question='{second.id}']")
    box.locator("label").nth(second.answer[0]).click()
    box.get_by_role("button", name="Check answer").click()
    assert _events(page, "healthkit:answer")[-1]["attempt"] == 2
    assert json.loads(json.dumps(page.evaluate("window.hk.model.state.score"))) == 1
