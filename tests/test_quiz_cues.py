"""Knowledge-free strategies (always first, longest, words shared with the prompt, ...) score
no better than chance on the lessons as shown and on the whole export bank."""

from __future__ import annotations

import json


import pytest

from healthkit.cli import main
from healthkit.quiz import Choice, Question, final_quiz
from healthkit.quiz.cues import measure, quiz_report
from healthkit.quiz.generate import needs_other_conditions

from healthkit import load_catalog

from .conftest import ROOT

#: The shipped lessons, as learners get them.
CONDITIONS = list(load_catalog(ROOT / "content"))


def _q(prompt: str, texts: list[str], right: int, kind: str = "single") -> Question:
    choices = tuple(Choice(t, i == right, "Because the lesson says so.") for i, t in enumerate(texts))
    return Question(prompt[:8], kind, prompt, choices, "why", "causes")  # type: ignore[arg-type]


def _score(results: tuple, strategy: str) -> tuple[float, float]:
    r = next(r for r in results if r.strategy == strategy)
    return r.score, r.chance


def test_each_strategy_scores_what_it_picks() -> None:
    questions = [
        _q("Which one causes a cramp in the leg?", ["Leg cramp from running", "Cold", "Heat"], 0),
        _q("Which one helps?", ["Rest", "Long walks in the rain", "Ice"], 2),
    ]
    results = measure(questions)
    assert _score(results, "first") == (0.5, pytest.approx(1 / 3))
    assert _score(results, "last")[0] == 0.5
    assert _score(results, "longest")[0] == 0.5  # right in the first, wrong in the second
    assert _score(results, "shared words")[0] == pytest.approx((1 + 1 / 3) / 2)  # "leg", "cramp" give the first away; the second is a three-way tie
    tf = [_q("True or false: heat always cures it.", ["True", "False"], 1, "true_false"), _q("True or false: it can come back.", ["True", "False"], 0, "true_false")]
    assert _score(measure(tf), "absolute → False") == (1.0, 0.5)
    many = _q("Which apply?", ["A", "B", "C"], 0, "multiple")
    many = Question(many.id, "multiple", many.prompt, (many.choices[0], Choice("B", True, "f b b b b"), many.choices[2]), "why", "causes")
    assert _score(measure([many]), "all but one") == (pytest.approx(1 / 3), pytest.approx(1 / 7))


def _ratio(results: tuple, strategy: str, group: str) -> float:
    return next(r.ratio for r in results if r.strategy == strategy and r.group == group)


def test_the_shipped_lessons_give_no_knowledge_free_strategy_an_edge() -> None:
    per, overall = quiz_report(CONDITIONS)
    assert len(per) == len(CONDITIONS)
    for where in (overall.shown, overall.bank):
        assert _ratio(where, "shared words", "all") <= 1.15, where
        # healthkit writes no option question by itself (its one kind, triage, is a matching
        # question these strategies do not play): nothing generated to measure
        assert not [r for r in where if r.group == "generated"], where
        assert next(r.score for r in where if r.strategy == "absolute → False" and r.group == "all") <= 0.60, where
        for strategy in ("first", "longest", "shortest"):
            assert _ratio(where, strategy, "all") <= 1.25, (strategy, where)
    finals = [q for c in CONDITIONS for q in final_quiz(c, others=[o for o in CONDITIONS if o.id != c.id] if needs_other_conditions(c) else []).questions]
    assert _ratio(measure(finals), "shared words", "all") <= 1.25
    many = [q for c in CONDITIONS for q in c.quiz if q.type == "multiple"]
    assert sum(sum(not o.correct for o in q.options) == 1 for q in many) * 2 <= len(many)
    assert len({sum(o.correct for o in q.options) for q in many}) >= 2  # the number of right options varies


def test_check_reports_the_strategies(capsys: pytest.CaptureFixture[str]) -> None:
    content = ROOT / "content"
    assert main(["check", "--quiz-report", "--format", "json", str(content)]) == 0
    report = json.loads(capsys.readouterr().out)["quiz_report"]
    assert [r["condition"] for r in report] == sorted(p.stem for p in content.glob("*.yaml")) + ["all conditions"]
    names = {s["strategy"] for s in report[-1]["shown"]}
    assert names >= {"first", "last", "longest", "shortest", "shared words", "absolute → False", "all but one"}
    assert main(["check", "--quiz-report", "-q", str(content)]) == 0
    text = capsys.readouterr().out
    assert "Knowledge-free strategies against chance" in text and "all conditions" in text


