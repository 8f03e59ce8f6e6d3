"""``healthkit review``: sign a lesson off for a named clinician, and see where each stands.

Signing rewrites only the ``clinical_review`` block of the condition file (comments, key
order and the rest of the file are kept byte for byte), and only after the new text passes
``check``: a file with errors is never signed, and a refused signature writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ..content import check_file, check_text, iter_content_files
from ..content.loader import read_and_check
from ..content.review import clinical_digest, latest_next_review
from ..content.yamlio import MappingNode, ScalarNode, compose
from ..errors import ContentError, HealthkitError
from ..io import write_text_atomic
from ..lesson.render import review_state
from ..model import Condition


class ReviewError(HealthkitError):
    """A sign-off that cannot be written: which file, and what to do."""


@dataclass(frozen=True)
class Signature:
    reviewer: str
    credentials: str
    date: dt.date
    next_review: dt.date | None = None


def condition_file(content: Path, condition_id: str) -> Path:
    """The content file of ``condition_id`` in ``content``."""
    for path in iter_content_files(content):
        if path.stem == condition_id:
            return path
    known = ", ".join(p.stem for p in iter_content_files(content)) or "none"
    raise ReviewError(f"{content}: no condition file for '{condition_id}' (conditions there: {known})")


def _block(signature: Signature, digest: str) -> str:
    next_review = signature.next_review or latest_next_review(signature.date)
    return (
        "clinical_review:\n"
        "  status: approved\n"
        f"  reviewer: {json.dumps(signature.reviewer, ensure_ascii=False)}\n"
        f"  credentials: {json.dumps(signature.credentials, ensure_ascii=False)}\n"
        f"  date: {signature.date.isoformat()}\n"
        f"  next_review: {next_review.isoformat()}\n"
        f"  digest: {digest}\n"
    )


def _review_lines(text: str, path: Path) -> tuple[int, int]:
    """The first line of the top-level ``clinical_review`` key and the line after its block."""
    root = compose(text, str(path))
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == "clinical_review":
                end = value.end_mark
                return key.start_mark.line, end.line if end.column == 0 else end.line + 1
    raise ReviewError(f"{path}: no top-level 'clinical_review:' block to sign; add 'clinical_review: {{status: pending}}' first")


def signed_text(text: str, path: Path, condition: Condition, signature: Signature) -> str:
    """``text`` with its clinical_review block replaced by an approved, digested one."""
    first, after = _review_lines(text, path)
    lines = text.splitlines(keepends=True)
    return "".join(lines[:first]) + _block(signature, clinical_digest(condition)) + "".join(lines[after:])


def sign(path: Path, signature: Signature, today: dt.date | None = None) -> Condition:
    """Sign the condition in ``path`` off; returns it as signed. Nothing is written unless
    the file checks clean before and after."""
    raw, before = read_and_check(path, today)  # the very bytes it checked are the ones signed
    if raw is None or not before.ok or before.condition is None:
        raise ContentError([d for d in before.diagnostics if d.severity == "error"])
    new = signed_text(raw.decode("utf-8"), path, before.condition, signature)
    after = check_text(new, str(path), today)
    if not after.ok or after.condition is None:
        problems = "; ".join(d.message for d in after.diagnostics if d.severity == "error")
        raise ReviewError(f"{path}: not signed, the sign-off would not pass check: {problems}")
    write_text_atomic(path, new)
    return after.condition


@dataclass(frozen=True)
class ReviewRow:
    id: str
    state: str
    reviewer: str
    date: str
    next_review: str
    path: str


def status(content: Path, today: dt.date | None = None) -> list[ReviewRow]:
    """Each condition file's review state: pending, approved, changed (since its review),
    overdue, or invalid (the file does not pass check)."""
    rows = []
    for path in iter_content_files(content):
        result = check_file(path, today, warnings=False)
        c = result.condition
        if not result.ok or c is None:
            rows.append(ReviewRow(path.stem, "invalid", "", "", "", str(path)))
            continue
        review = c.clinical_review
        rows.append(ReviewRow(
            c.id, review_state(c, today), review.reviewer or "", review.date.isoformat() if review.date else "",
            review.next_review.isoformat() if review.next_review else "", str(path),
        ))
    return rows
