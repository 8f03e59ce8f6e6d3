"""A draft condition file: the YAML, with the import report and leftovers as comments."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from ..content.serialize import dumps_condition
from ..model import SECTION_TITLES, Condition
from .article import ImportReport, read_article
from .text import detect_format


def _comment_block(title: str, paragraphs: list[str]) -> str:
    lines = [f"# {title}"]
    for paragraph in paragraphs:
        lines += ["#   " + line for line in textwrap.wrap(paragraph, 84)] + ["#"]
    return "\n".join(lines) + "\n"


def render_draft(condition: Condition, report: ImportReport) -> str:
    """YAML for the draft, opened by the report and closed by the article text to rework."""
    text = dumps_condition(condition, header="\n".join(report.lines()))
    tail = ["\n# ---- For the editor: article text, by section, to rewrite in our own words ----\n"]
    for section, paragraphs in report.prose.items():
        tail.append(_comment_block(f"sections.{section} ({SECTION_TITLES[section]})", paragraphs))
    if report.unplaced:
        tail.append(_comment_block("Not placed (could not tell which section this belongs to)", report.unplaced))
    return text + "".join(tail)


def import_article(path: Path, condition_id: str | None = None, today: dt.date | None = None) -> tuple[Condition, ImportReport, str]:
    """Read an article file; returns the draft, the report and the YAML text (not written)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    fmt = detect_format(path.name, text)
    condition, report = read_article(text, source=path.name, fmt=fmt, condition_id=condition_id, today=today)
    return condition, report, render_draft(condition, report)
