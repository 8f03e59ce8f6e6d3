"""Lessons inside a notebook: the object the template notebook talks to.

``open_lesson`` checks the notebook's parameters (papermill alone only warns about bad ones)
and returns a :class:`Lesson` whose methods display each part. Prose is published as HTML
with a plain-text twin; quizzes are widgets with a static fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..content import check_file, iter_content_files
from ..content.loader import neighbours
from ..content.localise import localise, region_for
from ..errors import ParameterError
from ..model import SECTION_NAMES, Condition
from ..quiz import final_quiz, flashcards, lesson_questions, safety_quiz, section_quiz
from ..quiz.generate import FINAL_QUIZ_SIZE
from ..quiz.generate import SECTION_QUIZ_SIZE
from ..quiz.model import Question, Quiz
from ..registry import EDITIONS, EDITIONS_SPEC, REGIONS, Region
from . import render
from .structured import MIMETYPE as JSONLD_MIMETYPE
from .structured import lesson_jsonld

if TYPE_CHECKING:
    from ..widget import QuizWidget, ScoreboardWidget

__all__ = ["EDITIONS", "Fragment", "Lesson", "open_lesson"]


@dataclass(frozen=True)
class Fragment:
    """An HTML fragment that displays as HTML, with readable plain text for other viewers."""

    html: str
    #: Other representations (e.g. JSON-LD), by mimetype; viewers that do not know them ignore them.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {**self.extra, "text/html": self.html, "text/plain": render.to_text(self.html)}

    def __repr__(self) -> str:
        return render.to_text(self.html)


def _css() -> str:
    from importlib import resources

    return resources.files(__name__).joinpath("lesson.css").read_text(encoding="utf-8")


def _conditions(content_dir: Path) -> dict[str, Path]:
    try:
        return {p.stem: p for p in iter_content_files(content_dir)}
    except Exception as exc:  # ContentError for a missing folder
        raise ParameterError(f"content_dir {str(content_dir)!r} is not a folder of condition files") from exc


def open_lesson(
    condition: str,
    content_dir: str | Path = "content",
    edition: str = "learner",
    quiz_size: int = FINAL_QUIZ_SIZE,
    seed: int = 0,
    region: str = "",
) -> "Lesson":
    """Validate the lesson parameters and load the condition (and its neighbours).

    ``region`` names the health services in the safety box and every text (see
    :data:`healthkit.registry.REGIONS`); empty means the one the condition's language implies.
    """
    if edition not in EDITIONS:
        raise ParameterError(f"edition {edition!r} is not valid; use one of: {', '.join(EDITIONS)}")
    if not isinstance(quiz_size, int) or isinstance(quiz_size, bool) or quiz_size < 1:
        raise ParameterError(f"quiz_size must be a whole number of at least 1, not {quiz_size!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ParameterError(f"seed must be a whole number, not {seed!r}")
    if not isinstance(region, str) or (region and region not in REGIONS):
        raise ParameterError(f"region {region!r} is not known; use one of: {', '.join(REGIONS)} (or leave it empty)")
    files = _conditions(Path(content_dir))
    if condition not in files:
        valid = ", ".join(files) or "(none)"
        raise ParameterError(f"condition {condition!r} is not in {content_dir}; valid conditions: {valid}")
    main = check_file(files[condition], warnings=False)
    if not main.ok or main.condition is None:
        raise ParameterError(f"condition {condition!r} has errors; run: healthkit check {files[condition]}")
    return Lesson(
        main.condition,
        edition=edition,
        quiz_size=quiz_size,
        seed=seed,
        others=neighbours(main.condition, files),
        region=region_for(main.condition, region or None),
    )


@dataclass
class Lesson:
    """One condition taught in a notebook. Methods display a part of the lesson.

    Every text names ``region``'s health services (by default the region the condition's
    language implies): the condition and ``others`` have their placeholders filled here.
    """

    condition: Condition
    edition: str = "learner"
    quiz_size: int = FINAL_QUIZ_SIZE
    seed: int = 0
    #: The other conditions generated questions may borrow wrong options from.
    others: tuple[Condition, ...] = ()
    region: Region | None = None
    quizzes: list["QuizWidget"] = field(default_factory=list)
    _board: "ScoreboardWidget | None" = None
    _questions: tuple[Question, ...] | None = field(default=None, repr=False)
    _where: Region = field(init=False, repr=False)

    #: Questions in each section quiz.
    SECTION_QUIZ_SIZE = SECTION_QUIZ_SIZE

    def __post_init__(self) -> None:
        if self.edition not in EDITIONS:
            raise ParameterError(f"edition {self.edition!r} is not valid; use one of: {', '.join(EDITIONS)}")
        self._where = self.region or region_for(self.condition)
        self.region = self._where
        self.condition = localise(self.condition, self._where)
        self.others = tuple(localise(o, self._where) for o in self.others)

    @property
    def shows_answers(self) -> bool:
        """Whether this edition shows answer keys (see :data:`healthkit.registry.EDITIONS_SPEC`)."""
        return EDITIONS_SPEC[self.edition].shows_answers

    # -- plain data (usable without a kernel) ---------------------------------------------
    def questions(self) -> tuple[Question, ...]:
        """Every question of the lesson, options in display order (the same in every output)."""
        if self._questions is None:
            self._questions = lesson_questions(
                self.condition, self.seed, self.others, self._where.code, self.SECTION_QUIZ_SIZE
            )
        return self._questions

    def section_quiz_model(self, name: str) -> Quiz:
        return section_quiz(self.condition, name, size=self.SECTION_QUIZ_SIZE, seed=self.seed, pool=self.questions())

    def final_quiz_model(self) -> Quiz:
        return final_quiz(
            self.condition, size=self.quiz_size, seed=self.seed, section_size=self.SECTION_QUIZ_SIZE, pool=self.questions()
        )

    def safety_quiz_model(self) -> Quiz:
        return safety_quiz(self.condition, self.seed, pool=self.questions())

    def all_quiz_models(self) -> list[Quiz]:
        """Every quiz the lesson shows, in order (the safety quiz only when it has a question)."""
        safety = [q for q in [self.safety_quiz_model()] if q.questions]
        return safety + [self.section_quiz_model(s) for s in SECTION_NAMES] + [self.final_quiz_model()]

    # -- display ----------------------------------------------------------------------------
    def _show(self, fragment: str) -> Fragment:
        return Fragment(fragment)

    def header(self) -> Fragment:
        style = f"<style>{_css()}</style>"
        jsonld = lesson_jsonld(self.condition)
        structured = {JSONLD_MIMETYPE: jsonld} if jsonld is not None else {}
        return Fragment(style + render.header(self.condition), structured)

    def safety(self) -> Fragment:
        """When to get help, by urgency, naming the region's services."""
        return self._show(render.safety(self.condition, self._where))

    #: Notebooks rendered before the safety tiers call this name.
    urgent_care = safety

    def objectives(self) -> Fragment:
        return self._show(render.objectives(self.condition, self.edition))

    def section(self, name: str) -> Fragment:
        if name not in SECTION_NAMES:
            raise ParameterError(f"unknown section {name!r}; use one of: {', '.join(SECTION_NAMES)}")
        return self._show(render.section(name, self.condition.sections.get(name), self.edition, self.condition))

    def _quiz(self, quiz: Quiz) -> "QuizWidget":
        from ..widget import QuizWidget

        widget = QuizWidget(quiz, edition=self.edition)
        earlier = next((w for w in self.quizzes if w.model.id == quiz.id), None)
        if earlier is not None:  # the cell was run again: its answers stay as given
            widget.carry_over(earlier)
        self.quizzes = [w for w in self.quizzes if w.model.id != quiz.id] + [widget]
        return widget

    def safety_quiz(self) -> "QuizWidget | None":
        """'Where should each person get help?', right after the safety box; None (nothing is
        shown) when the lesson has too few warning signs to sort."""
        quiz = self.safety_quiz_model()
        return self._quiz(quiz) if quiz.questions else None

    def section_quiz(self, name: str) -> "QuizWidget":
        return self._quiz(self.section_quiz_model(name))

    def final_quiz(self) -> "QuizWidget":
        return self._quiz(self.final_quiz_model())

    def flashcards(self) -> Fragment:
        return self._show(render.flashcards(flashcards(self.condition, self._where.code)))

    def score_summary(self) -> "ScoreboardWidget":
        from ..widget import ScoreboardWidget

        self._board = ScoreboardWidget(self.quizzes)
        return self._board

    def key_terms(self) -> Fragment:
        return self._show(render.key_terms(self.condition))

    def answer_sheet(self) -> Fragment | None:
        if not self.shows_answers:
            return None
        return self._show(render.answer_sheet(self.all_quiz_models()))

    def sources(self) -> Fragment:
        return self._show(render.sources(self.condition))

    # -- results ----------------------------------------------------------------------------
    @property
    def score(self) -> int:
        """Questions answered right on the first try, over every quiz of the lesson."""
        return sum(w.score for w in self.quizzes)

    @property
    def total(self) -> int:
        return sum(w.total for w in self.quizzes)

    def __repr__(self) -> str:
        return f"Lesson(condition={self.condition.id!r}, edition={self.edition!r}, score={self.score}/{self.total})"

