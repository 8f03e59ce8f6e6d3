"""Exporters: notebook in, ``(output, resources)`` out. They never write files."""

from .html import LessonHTMLExporter, export_lesson
from .index import IndexEntry, render_index

__all__ = ["IndexEntry", "LessonHTMLExporter", "export_lesson", "render_index"]
