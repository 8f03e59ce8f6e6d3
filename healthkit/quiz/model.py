"""Quiz questions and grading as plain data.

Nothing here imports Jupyter: the same objects drive the widget, the static fallback, the
HTML pages and LMS exports, and they are tested without a kernel. The browser widget
grades with the same rule as :meth:`Question.grade` (a test checks both agree).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable, Literal, Sequence

from ..registry import KindName

Origin = Literal["authored", "generated"]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def fit(choices: Sequence[tuple[str, bool]]) -> str:
    """A short digest of a question's options as shown: their texts, which are right, and
    their order. A saved answer holds the fit of the question it answered and is restored
    only while the question still has it (``quiz.js`` computes the same digest: 32-bit
    FNV-1a over the code points of each option's "1"/"0" and text, joined by NUL, in base 36).
    """
    text = "\u0000".join(("1" if correct else "0") + choice for choice, correct in choices)
    digest = 0x811C9DC5
    for char in text:
        digest = ((digest ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return _base36(digest)


#: Between the sign and the place in a triage choice's text: "Chest pain → Call 999 now".
PAIRING = " → "


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str
    #: In a triage question, each choice is one pairing, "sign → where to get help": the sign
    #: (``item``) and the place (``target``). The learner picks one target per item; exactly
    #: one pairing per item is right, so grading is the same as for other kinds.
    item: str = ""
    target: str = ""


@dataclass(frozen=True)
class Grade:
    """The result of checking one answer."""

    correct: bool
    selected: tuple[int, ...]
    feedback: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    kind: KindName
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str
    section: str
    origin: Origin = "authored"
    #: Keep the written order of the choices (scales such as mild / moderate / severe).
    fixed_order: bool = False

    @property
    def items(self) -> tuple[str, ...]:
        """A triage question's signs, in order (() for other kinds)."""
        return tuple(dict.fromkeys(c.item for c in self.choices if c.item))

    @property
    def targets(self) -> tuple[str, ...]:
        """A triage question's places to get help, in order (() for other kinds)."""
        return tuple(dict.fromkeys(c.target for c in self.choices if c.target))

    @property
    def answer(self) -> tuple[int, ...]:
        """Indexes of the correct choices."""
        return tuple(i for i, c in enumerate(self.choices) if c.correct)

    @property
    def fit(self) -> str:
        """The digest saved answers carry (see :func:`fit`)."""
        return fit([(c.text, c.correct) for c in self.choices])

    def grade(self, selected: Iterable[int]) -> Grade:
        """Right only when the selection is exactly the set of correct choices."""
        chosen = tuple(sorted(set(selected)))
        for index in chosen:
            if not 0 <= index < len(self.choices):
                raise ValueError(f"question {self.id!r} has no choice {index}")
        return Grade(
            correct=chosen == self.answer,
            selected=chosen,
            feedback=tuple(self.choices[i].feedback for i in chosen),
        )


@dataclass(frozen=True)
class Quiz:
    """A titled group of questions, e.g. the check at the end of a section."""

    id: str
    title: str
    questions: tuple[Question, ...]
    section: str | None = None

    def score(self, answers: dict[str, Iterable[int]]) -> int:
        """Number of questions answered right; ``answers`` maps question id to choices
        (indexes in display order, as the questions hold them)."""
        return sum(q.grade(answers[q.id]).correct for q in self.questions if q.id in answers)

    def to_data(self) -> dict[str, Any]:
        """JSON-ready form, used as the widget's state. A choice's ``item`` and ``target`` are
        left out, to keep pages small: a triage choice's text is "item → target" (see
        :data:`PAIRING`), which the widget splits."""
        data = asdict(self)
        for question in data["questions"]:
            for choice in question["choices"]:
                del choice["item"], choice["target"]
        return data


@dataclass(frozen=True)
class Flashcard:
    front: str
    back: str
    section: str
