"""Thin anywidget adapters around the plain quiz model.

The browser code (``quiz.js``, ``scoreboard.js``, ``quiz.css``) ships inside the package:
no CDN. Each widget also offers a readable ``text/html`` fallback and a stable repr, because
a freshly opened (untrusted) notebook cannot show widgets until its cells are run.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import anywidget
import traitlets

from ..lesson.render import quiz_fallback
from ..quiz.model import Quiz
from ..registry import EDITIONS_SPEC, QUIZ_KINDS


def asset(name: str) -> str:
    """Text of a file shipped in this folder."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


class _Fallback:
    """Mixin: add a static ``text/html`` rendering next to the widget view."""

    def _fallback_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        if bundle is None:
            return None
        data, metadata = bundle
        data["text/html"] = self._fallback_html()
        return data, metadata


def kinds_data() -> dict[str, dict[str, object]]:
    """The quiz-kind table the browser widget draws and grades with (from the registry)."""
    return {name: kind.to_data() for name, kind in QUIZ_KINDS.items()}


class QuizWidget(_Fallback, anywidget.AnyWidget):
    """One quiz. Answers are checked in the browser; ``score`` and ``responses`` sync back.

    ``score`` counts the questions answered right on the first try. ``responses`` maps a
    question id to ``{selected, correct, attempts, first_try, revealed, fit}``, where
    ``selected`` holds option indexes in display order (the order of ``quiz``'s choices) and
    ``fit`` is the question's :attr:`~healthkit.quiz.model.Question.fit` when it was answered:
    the browser restores a record only while its question still has that fit, and grades it
    again. ``shows_answers`` comes from the edition (:data:`healthkit.registry.EDITIONS_SPEC`).
    """

    _esm = asset("quiz.js")
    _css = asset("quiz.css")
    quiz = traitlets.Dict().tag(sync=True)
    kinds = traitlets.Dict().tag(sync=True)
    edition = traitlets.Unicode("learner").tag(sync=True)
    shows_answers = traitlets.Bool(False).tag(sync=True)
    responses = traitlets.Dict().tag(sync=True)
    score = traitlets.Int(0).tag(sync=True)

    def __init__(self, quiz: Quiz, edition: str = "learner", **kwargs: Any) -> None:
        self.model = quiz
        super().__init__(
            quiz=quiz.to_data(), kinds=kinds_data(), edition=edition, shows_answers=EDITIONS_SPEC[edition].shows_answers, **kwargs
        )

    @staticmethod
    def first_try_score(responses: dict[str, Any]) -> int:
        """Questions answered right on the first try, as the browser counts them."""
        return sum(1 for r in responses.values() if isinstance(r, dict) and r.get("first_try") is True)

    @traitlets.validate("score")
    def _score_from_responses(self, proposal: dict[str, Any]) -> int:
        """The score is counted from ``responses``: a value that does not match is refused
        (setting it from Python would claim answers nobody gave)."""
        value = int(proposal["value"])
        counted = self.first_try_score(self.responses)
        if value != counted:
            raise traitlets.TraitError(
                f"score is the number of questions answered right on the first try ({counted} in responses), "
                f"not {value}; it follows the answers and cannot be set"
            )
        return value

    def carry_over(self, earlier: "QuizWidget") -> None:
        """Keep ``earlier``'s answers (the same quiz, shown again when its cell is run again):
        a first try stays the first try, so running a cell again cannot raise the score."""
        with self.hold_trait_notifications():
            self.responses = dict(earlier.responses)
            self.score = self.first_try_score(self.responses)

    @property
    def total(self) -> int:
        return len(self.model.questions)

    def __repr__(self) -> str:
        return f"QuizWidget(quiz={self.model.id!r}, questions={self.total}, edition={self.edition!r})"

    def _fallback_html(self) -> str:
        return quiz_fallback(self.model, self.edition)


class ScoreboardWidget(_Fallback, anywidget.AnyWidget):
    """The lesson total: listens to every quiz on the page."""

    _esm = asset("scoreboard.js")
    _css = asset("quiz.css")
    quizzes: Any = traitlets.List().tag(sync=True)
    scores = traitlets.Dict().tag(sync=True)

    def __init__(self, quizzes: list[QuizWidget], **kwargs: Any) -> None:
        super().__init__(quizzes=[{"id": q.model.id, "total": q.total} for q in quizzes], **kwargs)
        self._watched = quizzes
        for widget in quizzes:
            widget.observe(self._on_score, names="score")

    def _on_score(self, change: dict[str, Any]) -> None:
        widget = change["owner"]
        self.scores = {**self.scores, widget.model.id: change["new"]}

    @property
    def score(self) -> int:
        return sum(w.score for w in self._watched)

    @property
    def total(self) -> int:
        return sum(w.total for w in self._watched)

    def __repr__(self) -> str:
        return f"ScoreboardWidget(quizzes={len(self._watched)}, total={self.total})"

    def _fallback_html(self) -> str:
        return (
            '<div class="hk-fallback"><h2>Your score for this lesson</h2>'
            f"<p><em>Run the lesson's cells to answer the {self.total} questions and see your score here.</em></p></div>"
        )
