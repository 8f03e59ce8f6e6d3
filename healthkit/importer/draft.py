"""Articles in, drafts out: :func:`import_article` (a file, ``-`` or an address) and its twin
:func:`imports_article` (bytes already read). Neither writes anything.

The draft is the YAML of a ``status: draft`` condition, opened by the import report and
closed by the article text it could not use, as comments for the author.
"""

from __future__ import annotations

import datetime as dt
import stat
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from ..content.serialize import comment_text, dumps_condition
from ..content.citations import cited_to
from ..model import SECTION_TITLES, Condition
from .article import ImportReport, read_article
from .errors import ArticleError
from .fetch import MAX_ARTICLE_BYTES, MEDIA_TYPES, fetch, is_address
from .formats import detect
from .outline import build_condition
from .text import normalise_text, paragraphs

#: The id a draft gives the article it was made from; every claim of the draft cites it.
ARTICLE_SOURCE = "article"
#: What a command line gives for "read the article from standard input".
STDIN = "-"


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
    for heading, paragraphs in report.kept.items():
        tail.append(_comment_block(f"Under “{heading}” (no section of the lesson)", paragraphs))
    if report.unplaced:
        tail.append(_comment_block("Not placed (could not tell which section this belongs to)", report.unplaced))
    return text + "".join(tail)


def _read_limited(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise ArticleError(f"{path} is {kind}; give the path of an article file (.html, .md, .txt or .docx), - for standard input, or an https:// address")
        if info.st_size > MAX_ARTICLE_BYTES:
            raise ArticleError(f"{path} is {info.st_size:,} bytes, over the {MAX_ARTICLE_BYTES:,}-byte limit for an article")
        with path.open("rb") as handle:
            return _limited(handle, str(path))
    except OSError as exc:
        missing = "no such file" if isinstance(exc, FileNotFoundError) else f"cannot read the article: {exc.strerror}"
        raise ArticleError(f"{path}: {missing}") from None


def _limited(handle: BinaryIO, name: str) -> bytes:
    raw = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"{name} is over the {MAX_ARTICLE_BYTES:,}-byte limit for an article")
    if not raw.strip():
        raise ArticleError(f"{name} is empty")
    return raw


def imports_article(
    data: bytes,
    name: str = "<article>",
    condition_id: str | None = None,
    today: dt.date | None = None,
    media_type: str | None = None,
    charset: str | None = None,
    url: str = "",
) -> tuple[Condition, ImportReport, str]:
    """Read an article from ``data`` (named ``name``, as the server said ``media_type``);
    returns the draft, the report and the YAML text."""
    today = today or dt.date.today()
    if not data.strip():
        raise ArticleError(f"{name} is empty")
    fmt = detect(name, data, MEDIA_TYPES.get(media_type or ""))
    text = normalise_text(fmt.decode(data, name, charset))
    if _is_magazine(text, fmt.magazine):
        condition, report = read_article(text, source=name, fmt=fmt.magazine, condition_id=condition_id, today=today)
        if url:
            condition = replace(condition, sources=(replace(condition.sources[0], url=url, accessed=today),))
    else:
        condition, report = build_condition(fmt.read(text), name, condition_id, today, url)
    condition = cited_to(condition, ARTICLE_SOURCE)
    return condition, report, render_draft(condition, report)


def _is_magazine(text: str, fmt: str) -> bool:
    """Whether the article is in the magazine's own layout (a title "X – types, causes, ...")."""
    from .article import _TITLE

    return any(_TITLE.match(block) for block in paragraphs(text, fmt)[:40])


def import_article(source: str | Path, condition_id: str | None = None, today: dt.date | None = None) -> tuple[Condition, ImportReport, str]:
    """Read an article from a file, from standard input (``-``) or from an http(s) address;
    returns the draft, the report and the YAML text (nothing is written)."""
    text = str(source)
    if isinstance(source, str) and is_address(source):
        page = fetch(source)
        return imports_article(page.data, page.url, condition_id, today, page.media_type, page.charset, url=page.url)
    if text == STDIN and not isinstance(source, Path):
        return imports_article(_limited(sys.stdin.buffer, "standard input"), "standard input", condition_id, today)
    path = Path(source)
    return imports_article(_read_limited(path), path.name, condition_id, today)
