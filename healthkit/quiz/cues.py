"""How far a learner who knows nothing gets by a rule of thumb, against chance.

A quiz measures reading only if no knowledge-free strategy beats chance by much. Each
strategy here plays every question it applies to, as a learner sees it (options in display
order), and scores the expected share right on the first try; chance is what picking at
random scores on the same questions:

* ``first`` / ``last``: always the first / last option (single-answer questions);
* ``longest`` / ``shortest``: the longest / shortest option (ties split evenly);
* ``shared words``: the option that shares the most content words with the prompt;
* ``absolute → False``: a statement with "always", "never", "only", "cure" ... is False,
  any other True (true/false questions);
* ``all but one``: tick every option but one, at random ("Choose all that apply").

``healthkit check --quiz-report`` prints these for each condition and overall, for authored
and generated questions apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from ..content.quizcheck import ABSOLUTE, content_words
from .model import Question

if TYPE_CHECKING:
    from ..model import Condition

def _single(q: Question) -> bool:
    return q.kind == "single" and len(q.answer) == 1


def _pick(q: Question, scores: Sequence[float]) -> float:
    """Expected share right when the learner picks among the best-scoring options at random."""
    best = max(scores)
    tied = [i for i, s in enumerate(scores) if s == best]
    return sum(i in q.answer for i in tied) / len(tied)


@dataclass(frozen=True)
class Strategy:
    name: str
    doc: str
    applies: Callable[[Question], bool]
    play: Callable[[Question], float]
    chance: Callable[[Question], float]


def _one_in(q: Question) -> float:
    return 1 / len(q.choices)


def _absolute_false(q: Question) -> float:
    says_false = bool(ABSOLUTE.search(q.prompt))
    right_text = q.choices[q.answer[0]].text.strip().lower()
    return float((right_text == "false") == says_false)


def _all_but_one(q: Question) -> float:
    wrong = len(q.choices) - len(q.answer)
    return (1 / len(q.choices)) if wrong == 1 else 0.0


STRATEGIES: tuple[Strategy, ...] = (
    Strategy("first", "always the first option", _single, lambda q: float(q.answer == (0,)), _one_in),
    Strategy("last", "always the last option", _single, lambda q: float(q.answer == (len(q.choices) - 1,)), _one_in),
    Strategy("longest", "the longest option", _single, lambda q: _pick(q, [len(c.text) for c in q.choices]), _one_in),
    Strategy("shortest", "the shortest option", _single, lambda q: _pick(q, [-len(c.text) for c in q.choices]), _one_in),
    Strategy(
        "shared words", "the option sharing most words with the prompt", _single,
        lambda q: _pick(q, [len(content_words(c.text) & content_words(q.prompt)) for c in q.choices]), _one_in,
    ),
    Strategy("absolute → False", "absolute words mean False", lambda q: q.kind == "true_false", _absolute_false, lambda q: 0.5),
    Strategy(
        "all but one", "tick every option but one", lambda q: q.kind == "multiple", _all_but_one,
        lambda q: 1 / (2 ** len(q.choices) - 1),
    ),
)


@dataclass(frozen=True)
class Result:
    strategy: str
    group: str
    n: int
    score: float
    chance: float

    @property
    def ratio(self) -> float:
        return self.score / self.chance if self.chance else 0.0

    def to_dict(self) -> dict[str, object]:
        return {"strategy": self.strategy, "group": self.group, "n": self.n, "score": round(self.score, 3),
                "chance": round(self.chance, 3), "ratio": round(self.ratio, 2)}


def measure(questions: Iterable[Question], group: str = "all") -> tuple[Result, ...]:
    """Every strategy's expected share right on ``questions``, against chance."""
    listed = list(questions)
    out = []
    for strategy in STRATEGIES:
        played = [q for q in listed if strategy.applies(q)]
        if played:
            out.append(Result(
                strategy.name, group, len(played),
                sum(strategy.play(q) for q in played) / len(played),
                sum(strategy.chance(q) for q in played) / len(played),
            ))
    return tuple(out)


def measure_by_origin(questions: Iterable[Question]) -> tuple[Result, ...]:
    """:func:`measure` for all questions, the authored ones and the generated ones."""
    listed = list(questions)
    return (
        measure(listed, "all")
        + measure([q for q in listed if q.origin == "authored"], "authored")
        + measure([q for q in listed if q.origin != "authored"], "generated")
    )


@dataclass(frozen=True)
class ConditionReport:
    condition: str
    #: "shown": the section quizzes and the final quiz; "bank": every question an export holds.
    shown: tuple[Result, ...]
    bank: tuple[Result, ...]

    def to_dict(self) -> dict[str, object]:
        return {"condition": self.condition, "shown": [r.to_dict() for r in self.shown], "bank": [r.to_dict() for r in self.bank]}


def quiz_report(conditions: Sequence["Condition"], seed: int = 0) -> tuple[tuple[ConditionReport, ...], ConditionReport]:
    """Each condition's strategies, as shown and in the whole bank, and the same over all of
    them ("all conditions"). Generated questions borrow from the other conditions given."""
    from .generate import lesson_questions, needs_other_conditions, shown_questions

    rows = []
    shown_all: list[Question] = []
    bank_all: list[Question] = []
    for condition in conditions:
        others = [c for c in conditions if c.id != condition.id] if needs_other_conditions(condition) else []
        shown = shown_questions(condition, seed, others)
        bank = lesson_questions(condition, seed, others)
        shown_all += shown
        bank_all += bank
        rows.append(ConditionReport(condition.id, measure_by_origin(shown), measure_by_origin(bank)))
    return tuple(rows), ConditionReport("all conditions", measure_by_origin(shown_all), measure_by_origin(bank_all))


def report_lines(rows: Sequence[ConditionReport], overall: ConditionReport) -> list[str]:
    """The report as text: one table per condition and one overall."""
    lines = []
    for row in (*rows, overall):
        lines.append(f"{row.condition}")
        for where, results in (("shown", row.shown), ("bank", row.bank)):
            for r in results:
                flag = "  <- above 1.25x chance" if r.ratio > 1.25 and r.n >= 3 else ""
                lines.append(f"  {where:5} {r.group:9} {r.strategy:17} {r.score:6.1%} vs chance {r.chance:6.1%}  x{r.ratio:4.2f}  (n={r.n}){flag}")
    return lines
