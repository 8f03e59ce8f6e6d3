"""A printable review sheet for a clinician: every claim of one lesson with a box to tick.

The sheet lists the summary, key terms, each section's entries (with their cautions), the
safety advice tier by tier, the Q&A, and the authored quiz questions with their keys and
feedback, then the lesson's sources and the open questions its fact-check left for a
clinician. It is one self-contained HTML page (no scripts, no fetches) that prints on A4.
Like every exporter it returns ``(output, resources)`` and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Mapping, Sequence

from ..content.citations import numbers
from ..content.review import clinical_digest
from ..lesson.render import esc, review_status_text
from ..model import SECTION_NAMES, SECTION_TITLES, Condition, Source
from ..registry import SAFETY_TIERS

_CSS = """
body { font: 11pt/1.45 system-ui, sans-serif; color: #111; max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 1.4rem; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #999; padding: 0.3rem 0.4rem; vertical-align: top; text-align: left; }
td.tick { width: 2.2rem; text-align: center; font-size: 1.2rem; } td.note { width: 22%; } td.cites { width: 14%; font-size: 0.9em; }
.meta { color: #333; } pre { white-space: pre-wrap; font: inherit; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""

#: What the reviewer is asked to confirm for each claim.
CONFIRM = "Tick each claim that is correct, safe and placed in the right tier; write what to change beside any other."


Claim = tuple[str, str, Sequence[str]]


def _rows(claims: Iterable[Claim], numbered: Mapping[str, int]) -> str:
    def cited(ids: Sequence[str]) -> str:
        return ", ".join(f"{numbered[i]} ({i})" if i in numbered else f"unknown: {i}" for i in ids) or "none"

    body = "".join(
        f'<tr><td class="tick" aria-label="correct">☐</td><th scope="row">{esc(label)}</th><td>{esc(text)}</td>'
        f'<td class="cites">{esc(cited(ids))}</td><td class="note"></td></tr>'
        for label, text, ids in claims
    )
    head = '<tr><th scope="col">OK</th><th scope="col">Claim</th><th scope="col">What the lesson says</th><th scope="col">Sources</th><th scope="col">Change</th></tr>'
    return f"<table>{head}{body}</table>" if body else "<p>None.</p>"


def _part(title: str, claims: Iterable[Claim], numbered: Mapping[str, int]) -> str:
    return f"<section><h2>{esc(title)}</h2>{_rows(claims, numbered)}</section>"


def _source(source: Source) -> str:
    bits = [f"id {source.id}" if source.id else "", source.publisher, source.url or ""]
    if source.published:
        bits.append(f"published {source.published.isoformat()}")
    if source.reviewed:
        bits.append(f"page last reviewed {source.reviewed.isoformat()}")
    if source.accessed:
        bits.append(f"read on {source.accessed.isoformat()}")
    return f"<li>{esc(source.title)} — {esc('; '.join(b for b in bits if b))}</li>"


def open_questions(fact_check: str) -> str:
    """The parts of a fact-check (Markdown) that are left for a clinician: every section
    whose heading says "clinician" or "open question", with the lines under it."""
    kept: list[str] = []
    taking = 0
    for line in fact_check.splitlines():
        heading = re.match(r"^(#+)\s+(.*)", line)
        if heading:
            level = len(heading.group(1))
            if taking and level <= taking:
                taking = 0
            if not taking and re.search(r"clinician|open question", heading.group(2), re.I):
                taking = level
        if taking:
            kept.append(line)
    return "\n".join(kept).strip()


def _claims(condition: Condition) -> list[str]:
    numbered = numbers(condition)
    parts = [_part("Summary", [("Summary", condition.summary, ())], numbered)]
    if condition.key_terms:
        parts.append(_part("Key terms", [(t, m, ()) for t, m in condition.key_terms.items()], numbered))
    for name in SECTION_NAMES:
        section = condition.sections.get(name)
        claims: list[Claim] = [("Introduction", section.summary, ())]
        for item in section.items:
            claims.append((item.name, item.description + (f" Caution: {item.caution}" if item.caution else ""), item.cites or ()))
        parts.append(_part(SECTION_TITLES[name], claims, numbered))
    if condition.safety is not None:
        cites = condition.safety.cites or {}
        tiers: list[Claim] = [(SAFETY_TIERS[tier].doc, sign, cites.get(tier, ())) for tier, signs in condition.safety.tiers() for sign in signs]
        parts.append(_part("When to get help (by tier)", tiers + [("Disclaimer", condition.safety.disclaimer, ())], numbered))
    parts.append(_part("Questions and answers", [(e.question, e.answer, e.cites or ()) for e in condition.faq], numbered))
    quiz: list[Claim] = []
    for q in condition.quiz:
        keys = "; ".join(f"{'RIGHT' if o.correct else 'wrong'}: {o.text} — {o.feedback}" for o in q.options)
        quiz.append((q.prompt, f"{keys}. Explanation: {q.explanation}", q.cites or ()))
    parts.append(_part("Quiz questions and their keys", quiz, numbered))
    return parts


def export_review_pack(condition: Condition, fact_check: str = "", today: dt.date | None = None) -> tuple[str, dict[str, Any]]:
    """The review sheet's HTML and its resources (the digest the sheet describes)."""
    digest = clinical_digest(condition)
    questions = open_questions(fact_check)
    notes = f"<pre>{esc(questions)}</pre>" if questions else "<p>The fact-check leaves no open questions.</p>"
    html = (
        f'<!DOCTYPE html><html lang="{esc(condition.language)}"><head><meta charset="utf-8">'
        f"<title>Review sheet: {esc(condition.title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>Review sheet: {esc(condition.title)}</h1>"
        f'<p class="meta">Condition <code>{esc(condition.id)}</code>, text digest <code>{esc(digest)}</code>. '
        f"{esc(review_status_text(condition, today))}</p>"
        f"<p>{esc(CONFIRM)} Each claim names the sources it rests on, numbered as in the list at the end. "
        f"When every claim is right, record the sign-off with <code>healthkit review sign {esc(condition.id)} --reviewer NAME "
        "--credentials TEXT</code>; any later change to the text shows in every lesson output as changed since the review.</p>"
        + "".join(_claims(condition))
        + f"<section><h2>Sources</h2><ol>{''.join(_source(s) for s in condition.sources)}</ol></section>"
        f"<section><h2>Open questions for a clinician</h2>{notes}</section>"
        '<p class="meta">Reviewer name, credentials, date and signature: ______________________________________</p>'
        "</body></html>"
    )
    return html, {"digest": digest, "claims": html.count('class="tick"')}
