"""Quiz model, grading and generation: pure Python, usable without Jupyter."""

from .generate import authored, final_quiz, flashcards, generated, lesson_questions, safety_quiz, section_quiz, shown_questions
from .model import Choice, Flashcard, Grade, Question, Quiz
from .order import arrange_lesson

__all__ = [
    "Choice",
    "Flashcard",
    "Grade",
    "Question",
    "Quiz",
    "arrange_lesson",
    "authored",
    "final_quiz",
    "flashcards",
    "generated",
    "lesson_questions",
    "safety_quiz",
    "section_quiz",
    "shown_questions",
]
