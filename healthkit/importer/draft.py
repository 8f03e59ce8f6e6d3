"""A draft condition file: the YAML, with the import report and leftovers as comments."""

from __future__ import annotations

import datetime as dt
import stat
import textwrap
from pathlib import Path

from ..content.serialize import comment_text, dumps_condition
from ..model import SECTION_TITLES, Condition
from .article import ArticleError, ImportReport, read_article
from .text import detect_format


def _comment_block(title: str, paragraphs: list[str]) -> str:
    lines = [f"# {comment_text(title)}"]
    for paragraph in paragraphs:
        lines += ["#   " + line for line in textwrap.wrap(comment_text(paragraph), 84)] + ["#"]
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


#: Articles larger than this are refused before they are read (a saved web page with its
#: scripts and inline images is rarely over 2 MB).
MAX_ARTICLE_BYTES = 10 * 1024 * 1024


def _read_limited(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise ArticleError(f"{path} is {kind}; give the path of an article file (.txt, .md or .html)")
        if info.st_size > MAX_ARTICLE_BYTES:
            raise ArticleError(f"{path} is {info.st_size:,} bytes, over the {MAX_ARTICLE_BYTES:,}-byte limit for an article")
        with path.open("rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        missing = "no such file" if isinstance(exc, FileNotFoundError) else f"cannot read the article: {exc.strerror}"
        raise ArticleError(f"{path}: {missing}") from None
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"{path} is over the {MAX_ARTICLE_BYTES:,}-byte limit for an article")
    return raw


def import_article(path: Path, condition_id: str | None = None, today: dt.date | None = None) -> tuple[Condition, ImportReport, str]:
    """Read an article file; returns the draft, the report and the YAML text (not written)."""
    raw = _read_limited(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    fmt = detect_format(path.name, text)
    condition, report = read_article(text, source=path.name, fmt=fmt, condition_id=condition_id, today=today)
    return condition, report, render_draft(condition, report)
