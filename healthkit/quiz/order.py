"""The order in which a question's options are shown: deterministic and balanced.

Every place that shows a question (section quizzes, the final quiz, the notebook widget and
its fallback, the offline page, the teacher edition, the answer sheet and the LMS exports)
receives questions already arranged by :func:`arrange_lesson`, so they all agree.

The order of one question is derived from the condition id, the question id and the seed.
The position of the right option of single-answer questions (kinds whose
:attr:`~healthkit.registry.QuizKind.balanced` is true) is balanced along the sequence the
questions are given in, among the questions with the same number of options: each question
puts it where it has been least often so far among them (ties broken by that seed), and the
first position is taken only when it is strictly less used than the second. So the first
position never holds the answer more often than the second, and, at every point of the
sequence, a learner who always picks the first option is right on at most half of the
single-answer questions so far (unless the authors pinned more right options first with
``fixed_order``); nor does the last position of four-option questions fill up with the
answers that three-option questions leave it (a learner who always picks the last option
would gain from that). :func:`healthkit.quiz.lesson_questions` gives the
questions in the order a learner meets them, so this holds for what a learner is shown.

Two kinds of question keep an order of their own: a question with ``fixed_order`` shows its
options as written (scales such as mild / moderate / severe), and a kind with fixed texts
(true/false, see :data:`healthkit.registry.QUIZ_KINDS`) shows them in the kind's order,
True then False. A pinned single-answer question still counts toward the balance of the
others; true/false and multiple-answer questions do not (they are not single-answer items).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Iterable, Sequence

from ..registry import QUIZ_KINDS
from .model import Question


def question_rng(condition_id: str, question_id: str, seed: int) -> random.Random:
    """The random source of one question's order: the same wherever the question appears."""
    return random.Random(f"order:{seed}:{condition_id}:{question_id}")


def reorder(question: Question, order: Sequence[int]) -> Question:
    """``question`` with its choices shown in ``order`` (indexes into the current choices)."""
    if sorted(order) != list(range(len(question.choices))):
        raise ValueError(f"{list(order)} is not an order of the {len(question.choices)} choices of {question.id!r}")
    return dataclasses.replace(question, choices=tuple(question.choices[i] for i in order))


def kept_order(question: Question) -> tuple[int, ...] | None:
    """The order a question must keep, or None when healthkit may choose it."""
    kind = QUIZ_KINDS.get(question.kind)
    if kind is not None and kind.fixed_texts:
        rank = {text.casefold(): i for i, text in enumerate(kind.fixed_texts)}
        texts = [c.text.strip().casefold() for c in question.choices]
        if all(t in rank for t in texts):
            return tuple(sorted(range(len(texts)), key=lambda i: rank[texts[i]]))
        return tuple(range(len(question.choices)))  # texts of its own (check refuses them): as written
    if question.fixed_order:
        return tuple(range(len(question.choices)))
    return None


def _balanced_kind(question: Question) -> bool:
    kind = QUIZ_KINDS.get(question.kind)
    return kind is not None and kind.balanced


#: Times the right option was shown in each position, by number of options.
Counts = dict[int, list[int]]


def _balanced(question: Question, counts: Counts, rng: random.Random) -> tuple[int, ...]:
    """An order putting the single right option where it has been least often, among the
    questions with as many options."""
    n = len(question.choices)
    right = question.answer[0]
    used = counts.get(n, [0] * n)
    least = min(used)
    candidates = [p for p in range(n) if used[p] == least]
    if len(candidates) > 1 and 0 in candidates:
        candidates.remove(0)  # first place only when it is strictly the least used
    target = rng.choice(candidates)
    others = [i for i in range(n) if i != right]
    rng.shuffle(others)
    others.insert(target, right)
    return tuple(others)


def _count(counts: Counts, question: Question) -> None:
    if len(question.answer) == 1:
        counts.setdefault(len(question.choices), [0] * len(question.choices))[question.answer[0]] += 1


def arrange_lesson(questions: Iterable[Question], condition_id: str, seed: int = 0) -> tuple[Question, ...]:
    """``questions`` with their choices in display order, balanced along the order given."""
    counts: Counts = {}
    out: list[Question] = []
    for question in questions:
        rng = question_rng(condition_id, question.id, seed)
        kept = kept_order(question)
        if kept is not None:
            shown = reorder(question, kept)
        elif _balanced_kind(question) and len(question.answer) == 1:
            shown = reorder(question, _balanced(question, counts, rng))
        else:
            order = list(range(len(question.choices)))
            rng.shuffle(order)
            shown = reorder(question, order)
        if _balanced_kind(shown):
            _count(counts, shown)
        out.append(shown)
    return tuple(out)
