"""Quiz model, grading and generation: pure Python, usable without Jupyter."""

from .generate import authored, final_quiz, flashcards, generated, section_quiz
from .model import Choice, Flashcard, Grade, Question, Quiz

__all__ = [
    "Choice",
    "Flashcard",
    "Grade",
    "Question",
    "Quiz",
    "authored",
    "final_quiz",
    "flashcards",
    "generated",
    "section_quiz",
]
