"""`healthkit check` warns about quiz items a learner can answer without learning.

Each rule has a bad file (the warning appears, at the right PATH:LINE:COL and key) and a
good one (it does not). Files are the seed condition, changed and written to tmp_path.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from healthkit import load_condition
from healthkit.cli import main
from healthkit.content import dumps_condition
from healthkit.content.quizcheck import asks_for_what_is_not_right
from healthkit.content.convert import Converter
from healthkit.content.yamlio import compose
from healthkit.model import Condition, Option, QuizQuestion

from .conftest import SEED

SEED_CONDITION = load_condition(SEED)


def _quiz(condition: Condition, change: Callable[[int, QuizQuestion], QuizQuestion]) -> Condition:
    return dataclasses.replace(condition, quiz=tuple(change(i, q) for i, q in enumerate(condition.quiz)))


def _options(q: QuizQuestion, *options: Option) -> QuizQuestion:
    return dataclasses.replace(q, options=options)


def _warnings(tmp_path: Path, condition: Condition, capsys: pytest.CaptureFixture[str], phrase: str) -> list[dict[str, Any]]:
    """The warnings of ``check --format json`` whose message holds ``phrase``; checks their place."""
    path = tmp_path / f"{condition.id}.yaml"
    text = dumps_condition(condition)
    path.write_text(text)
    assert main(["check", "--format", "json", str(path)]) == 0  # warnings never fail a check
    found = [d for d in json.loads(capsys.readouterr().out)["diagnostics"] if phrase in d["message"]]
    converter = Converter(str(path))
    converter.convert(compose(text, str(path)), Condition, ())
    for d in found:
        assert d["severity"] == "warning" and d["path"] == str(path)
        assert (d["line"], d["column"]) == converter.positions[d["key"]], d
    # The text format says the same, as PATH:LINE:COL: warning: message (key).
    assert main(["check", "-q", str(path)]) == 0
    out = capsys.readouterr().out
    for d in found:
        assert f"{path}:{d['line']}:{d['column']}: warning: {d['message']} ({d['key']})" in out
    return found


def _swap_first_two(q: QuizQuestion) -> QuizQuestion:
    return _options(q, q.options[1], q.options[0], *q.options[2:])


def test_right_option_always_in_the_same_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    singles = [q for q in SEED_CONDITION.quiz if q.type == "single"]
    assert all(q.options[0].correct for q in singles)  # the seed writes every answer first
    (bad,) = _warnings(tmp_path, SEED_CONDITION, capsys, "is written as option")
    assert bad["key"] == "quiz" and f"option 1 in all {len(singles)} single-answer questions" in bad["message"]
    moved = _quiz(SEED_CONDITION, lambda i, q: _swap_first_two(q) if q.id == singles[0].id else q)
    assert _warnings(tmp_path, moved, capsys, "is written as option") == []


def test_right_option_the_longest_in_most_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def longer(i: int, q: QuizQuestion) -> QuizQuestion:
        if q.type != "single":
            return q
        return _options(q, *(dataclasses.replace(o, text=o.text + ", as the lesson explains in detail") if o.correct else o for o in q.options))

    (bad,) = _warnings(tmp_path, _quiz(SEED_CONDITION, longer), capsys, "is the longest")
    assert bad["key"] == "quiz" and "acute-or-chronic" in bad["message"] and "make the wrong options as specific" in bad["message"]
    assert _warnings(tmp_path, SEED_CONDITION, capsys, "is the longest") == []


def test_single_answer_item_with_two_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _warnings(tmp_path, SEED_CONDITION, capsys, "has only two options")
    assert "quiz[0].options" in {d["key"] for d in found}
    third = Option("Recurring", False, "Recurring spasms come back often, which this one has not done.")
    fixed = _quiz(SEED_CONDITION, lambda i, q: _options(q, *q.options, third) if i == 0 else q)
    assert "quiz[0].options" not in {d["key"] for d in _warnings(tmp_path, fixed, capsys, "has only two options")}


def _true_false(answer_true: bool) -> Callable[[int, QuizQuestion], QuizQuestion]:
    def change(i: int, q: QuizQuestion) -> QuizQuestion:
        if q.type != "true_false":
            return q
        true, false = (o for o in sorted(q.options, key=lambda o: o.text != "True"))
        return _options(q, dataclasses.replace(true, correct=answer_true), dataclasses.replace(false, correct=not answer_true))

    return change


def test_true_false_answers_mostly_true(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count = sum(q.type == "true_false" for q in SEED_CONDITION.quiz)
    (bad,) = _warnings(tmp_path, _quiz(SEED_CONDITION, _true_false(True)), capsys, "true/false questions have the answer True")
    assert bad["key"] == "quiz" and bad["message"].startswith(f"{count} of {count} true/false") and "so that False is right" in bad["message"]
    (bad,) = _warnings(tmp_path, _quiz(SEED_CONDITION, _true_false(False)), capsys, "true/false questions have the answer True")
    assert "so that True is right" in bad["message"]
    assert _warnings(tmp_path, SEED_CONDITION, capsys, "true/false questions") == []  # the seed mixes them


def test_feedback_that_does_not_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def thin(i: int, q: QuizQuestion) -> QuizQuestion:
        if i != 2:
            return q
        first, second, *rest = q.options
        return _options(q, dataclasses.replace(first, feedback="Correct!"), dataclasses.replace(second, feedback="No, that is not the right answer here."), *rest)

    found = {d["key"]: d["message"] for d in _warnings(tmp_path, _quiz(SEED_CONDITION, thin), capsys, "feedback '")}
    assert "has 1 word" in found["quiz[2].options[0].feedback"]
    assert "only says whether" in found["quiz[2].options[1].feedback"]
    assert _warnings(tmp_path, SEED_CONDITION, capsys, "feedback '") == []


def test_wrong_option_that_is_the_lesson_s_advice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    advice = SEED_CONDITION.sections.home_remedies.items[0].name

    def distractor(prompt: str | None) -> Callable[[int, QuizQuestion], QuizQuestion]:
        def change(i: int, q: QuizQuestion) -> QuizQuestion:
            if i != 12:
                return q
            wrong = Option(advice, False, "This is a home remedy the lesson suggests, so it is not the answer here.")
            return dataclasses.replace(_options(q, *q.options, wrong), prompt=prompt or q.prompt)

        return change

    (bad,) = _warnings(tmp_path, _quiz(SEED_CONDITION, distractor(None)), capsys, "is advice this lesson gives")
    assert bad["key"] == "quiz[12].options[2].text" and f"home remedies: {advice!r}" in bad["message"]
    # A question that asks what does NOT help may use the lesson's advice as wrong options.
    negative = distractor("Which of these is NOT a good first step for a back spasm?")
    assert _warnings(tmp_path, _quiz(SEED_CONDITION, negative), capsys, "is advice this lesson gives") == []
    # A "not" in the scenario before the question does not make the question negative.
    scenario = distractor("You do not want to take pills. What is a good first step for a back spasm?")
    (bad,) = _warnings(tmp_path, _quiz(SEED_CONDITION, scenario), capsys, "is advice this lesson gives")
    assert bad["key"] == "quiz[12].options[2].text"
    assert _warnings(tmp_path, SEED_CONDITION, capsys, "is advice this lesson gives") == []


@pytest.mark.parametrize(
    ("prompt", "negative"),
    [
        ("Which of these should you not do? Choose one.", True),
        ("Which is NOT a symptom? (Pick one.)", True),
        ("Which of these is not advised for a U.S. patient?", True),
        ("What is not advised, e.g. for a child?", True),
        ("Pick the one that does not help.", True),
        ("You do not want to get pregnant. How long should you keep using contraception?", False),
        ("You are not in danger right now. What should you do?", False),
        ("What helps most?", False),
    ],
)
def test_a_question_asks_for_what_is_not_right_by_its_own_sentence(prompt: str, negative: bool) -> None:
    assert asks_for_what_is_not_right(prompt) is negative


def test_the_same_prompt_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = SEED_CONDITION.quiz[0].prompt
    twice = _quiz(SEED_CONDITION, lambda i, q: dataclasses.replace(q, prompt=first.upper()) if i == 4 else q)
    (bad,) = _warnings(tmp_path, twice, capsys, "prompt repeats")
    assert bad["key"] == "quiz[4].prompt" and "quiz[0] ('acute-or-chronic')" in bad["message"]
    assert _warnings(tmp_path, SEED_CONDITION, capsys, "prompt repeats") == []


def test_advice_is_matched_by_its_words_in_order() -> None:
    from healthkit.content.quizcheck import same_meaning

    assert same_meaning("Wiping front to back", "Wiping front to back")
    assert same_meaning("Wipe from front to back", "Wiping front to back")  # the same advice, reworded
    assert same_meaning("Using a heat pack for 20 minutes", "Heat pack")
    assert not same_meaning("From back to front", "Wiping front to back")  # its opposite
    assert not same_meaning("Bed rest for a week", "Short rest")


def test_wrong_option_feedback_that_names_the_right_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def feedback(i: int, q: QuizQuestion, text: str) -> QuizQuestion:
        if q.id != "most-common-cause":
            return q
        right, wrong, *rest = q.options
        assert right.correct and not wrong.correct
        return _options(q, right, dataclasses.replace(wrong, feedback=text), *rest)

    index = next(i for i, q in enumerate(SEED_CONDITION.quiz) if q.id == "most-common-cause")
    gives_away = _quiz(SEED_CONDITION, lambda i, q: feedback(i, q, "It can cause spasms, but MUSCLE STRAIN is far more common."))
    (bad,) = _warnings(tmp_path, gives_away, capsys, "names the right option")
    assert bad["key"] == f"quiz[{index}].options[1].feedback"
    assert "wrong option 'Spinal stenosis' names the right option 'Muscle strain'" in bad["message"]
    assert "without naming the answer" in bad["message"]
    # Why the option is wrong, and a hint back to the lesson, without the answer's words in a row.
    hint = "It can cause spasms, but less often. Think about what the lesson says happens when a muscle is overworked."
    assert _warnings(tmp_path, _quiz(SEED_CONDITION, lambda i, q: feedback(i, q, hint)), capsys, "names the right option") == []
    assert _warnings(tmp_path, SEED_CONDITION, capsys, "names the right option") == []


def test_multiple_answer_feedback_naming_one_right_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(i: int, q: QuizQuestion) -> QuizQuestion:
        if q.id != "spine-causes":
            return q
        *rights, wrong = q.options
        return _options(q, *rights, dataclasses.replace(wrong, feedback="Posture is a habit. A herniated disc, by contrast, is in the spine."))

    (bad,) = _warnings(tmp_path, _quiz(SEED_CONDITION, change), capsys, "names the right option")
    assert bad["key"].endswith("options[2].feedback") and "'Herniated disc'" in bad["message"]


def test_right_options_are_matched_as_whole_phrases() -> None:
    from healthkit.content.quizcheck import names_answer

    assert names_answer("No. Paracetamol is usually advised instead.", "Paracetamol")
    assert names_answer("Not quite. Wipe from front to back.", "From front to back")
    # Placeholders are filled per region: left out of both texts, they neither match nor break a phrase.
    assert names_answer("No. You should see {doctor} about it today.", "See {doctor} about it")
    assert not names_answer("No. {doctor} should check it.", "{doctor}")
    # Whole words in a row, not parts of words or the same words scattered.
    assert not names_answer("Strain on a muscle is common.", "Muscle strain")
    assert not names_answer("Lentils are one source.", "Lentil")
    # A right option of one short or generic word is not looked for.
    assert not names_answer("Not quite. It is false that it always hurts.", "False")
    assert not names_answer("No. Rest alone does not help.", "Rest")
    assert not names_answer("No, not all of them.", "All of them")


def test_a_true_false_question_has_exactly_true_and_false(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Options of its own ("Fact", "Myth") would get the True/False hint, the true/false
    balance and Moodle's true/false type wrong: check refuses them, where they are written."""
    index = next(i for i, q in enumerate(SEED_CONDITION.quiz) if q.type == "true_false")

    def own_texts(i: int, q: QuizQuestion) -> QuizQuestion:
        if i != index:
            return q
        return _options(q, *(dataclasses.replace(o, text="Fact" if o.text == "True" else "Myth") for o in q.options))

    path = tmp_path / "back-spasms.yaml"
    text = dumps_condition(_quiz(SEED_CONDITION, own_texts))
    path.write_text(text)
    assert main(["check", "--format", "json", str(path)]) == 1
    (error,) = [d for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["severity"] == "error"]
    converter = Converter(str(path))
    converter.convert(compose(text, str(path)), Condition, ())
    assert error["key"] == f"quiz[{index}].options" and (error["line"], error["column"]) == converter.positions[error["key"]]
    assert "'True' and 'False'" in error["message"] and "'Fact', 'Myth'" in error["message"] and "type: single" in error["message"]
    # The fixed texts in any case are accepted.
    lower = _quiz(SEED_CONDITION, lambda i, q: _options(q, *(dataclasses.replace(o, text=o.text.lower()) for o in q.options)) if i == index else q)
    path.write_text(dumps_condition(lower))
    assert main(["check", "-q", str(path)]) == 0


# -- cues a learner can use without reading ---------------------------------------------------
def _tf(qid: str, statement: str, true: bool) -> QuizQuestion:
    return QuizQuestion(
        qid, "true_false", f"True or false: {statement}",
        (Option("True", true, "The lesson says whether this holds, in its causes."), Option("False", not true, "The lesson says whether this holds, in its causes.")),
        "See the lesson.", "causes",
    )


def test_absolute_statements_all_false(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    statements = [_tf("abs-1", "heat always cures a spasm.", False), _tf("abs-2", "you must rest for a week.", False), _tf("abs-3", "only old people get spasms.", False)]
    bad = dataclasses.replace(SEED_CONDITION, quiz=SEED_CONDITION.quiz + tuple(statements))
    (found,) = _warnings(tmp_path, bad, capsys, "with an absolute word")
    assert found["key"] == "quiz" and "abs-1, abs-2, abs-3" in found["message"]
    fixed = dataclasses.replace(SEED_CONDITION, quiz=SEED_CONDITION.quiz + (statements[0], statements[1], _tf("abs-3", "a spasm never lasts for ever.", True)))
    assert _warnings(tmp_path, fixed, capsys, "with an absolute word") == []


def _multiple(wrong: int) -> QuizQuestion:
    right = [Option(f"Right {n}", True, "The lesson lists this among the causes.") for n in ("one", "two")]
    wrongs = [Option(f"Wrong {n}", False, "The lesson does not list this among the causes.") for n in ("one", "two")[:wrong]]
    return QuizQuestion("many", "multiple", "Which of these can cause it? Choose all that apply.", (*right, *wrongs), "See the lesson.", "causes")


def test_choose_all_with_one_wrong_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = dataclasses.replace(SEED_CONDITION, quiz=(_multiple(1),))
    (found,) = _warnings(tmp_path, bad, capsys, "ticking all but one")
    assert found["key"] == "quiz[0].options"
    good = dataclasses.replace(SEED_CONDITION, quiz=(_multiple(2),))
    assert _warnings(tmp_path, good, capsys, "ticking all but one") == []


def _single_about(prompt: str, right: str, wrong: tuple[str, str]) -> QuizQuestion:
    options = (Option(right, True, "This is what the lesson says about it."), *(Option(w, False, "The lesson says something else here.") for w in wrong))
    return QuizQuestion("match", "single", prompt, options, "See the lesson.", "causes")


def test_a_right_option_that_alone_repeats_the_prompt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _single_about("Which habit strains the back muscles most?", "Lifting with a bent back", ("Sitting upright", "Walking daily"))
    (found,) = _warnings(tmp_path, dataclasses.replace(SEED_CONDITION, quiz=(bad,)), capsys, "repeats words of the prompt")
    assert "(back)" in found["message"]
    good = _single_about("Which habit strains the muscles most?", "Lifting with a bent back", ("Sitting upright", "Walking daily"))
    assert _warnings(tmp_path, dataclasses.replace(SEED_CONDITION, quiz=(good,)), capsys, "repeats words of the prompt") == []


def test_feedback_that_gives_another_questions_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _single_about("What most often sets off a spasm?", "Muscle strain", ("Cold drinks", "Loud noise"))
    second = QuizQuestion(
        "second", "single", "What helps in the first days?",
        (Option("Gentle movement", True, "Yes: keep moving gently, unlike after a muscle strain."), Option("Bed rest", False, "Long rest makes it stiffer."),
         Option("Hot baths only", False, "Heat helps, but it is not all.")),
        "See the lesson.", "home_remedies",
    )
    bad = dataclasses.replace(SEED_CONDITION, quiz=(first, second))
    (found,) = _warnings(tmp_path, bad, capsys, "the answer to 'match'")
    assert found["key"] == "quiz[1].options[0].feedback"
    reworded = dataclasses.replace(second, options=(dataclasses.replace(second.options[0], feedback="Yes: keep moving gently, as the lesson says."), *second.options[1:]))
    assert _warnings(tmp_path, dataclasses.replace(SEED_CONDITION, quiz=(first, reworded)), capsys, "the answer to") == []
