"""Exporters: notebook in, ``(output, resources)`` out. They never write files.

Submodules are imported on use: the page exporter needs nbconvert, the index does not.
"""

from __future__ import annotations

from typing import Any

__all__ = ["IndexEntry", "LessonHTMLExporter", "export_lesson", "render_index"]


def __getattr__(name: str) -> Any:
    if name in ("LessonHTMLExporter", "export_lesson"):
        from . import html

        return getattr(html, name)
    if name in ("IndexEntry", "render_index"):
        from . import index

        return getattr(index, name)
    raise AttributeError(name)
