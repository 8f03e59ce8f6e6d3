"""Rendering: run the template notebook for one condition and return the lesson notebook."""

from .execute import LessonJob, execute_lesson, template_path

__all__ = ["LessonJob", "execute_lesson", "template_path"]
