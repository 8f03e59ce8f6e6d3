"""Lesson parts as HTML fragments: pure functions of the content, no Jupyter needed.

Every piece of content passes through :func:`html.escape` here, once, so a title or answer
holding ``<script>`` shows as text in JupyterLab and in exported pages alike. Fragments use
semantic markup (headings, lists, ``aside``) so screen readers can navigate a lesson.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Iterable, Mapping

from ..content.citations import cited_claims, numbers
from ..content.readability import reading_minutes
from ..content.review import changed_since_review
from ..model import SECTION_TITLES, Condition, Section, Source
from ..quiz.model import Flashcard, Question, Quiz
from ..registry import EDITIONS_SPEC, Region

#: An edition's name (see :data:`healthkit.registry.EDITIONS_SPEC`).
Edition = str


def shows_answers(edition: Edition) -> bool:
    return EDITIONS_SPEC[edition].shows_answers


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _ul(items: Iterable[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def header(condition: Condition, today: dt.date | None = None) -> str:
    """Title, tagline, reading time, review status and summary: what comes before the safety box.

    The header is kept short, so that on a phone the safety box starts on the first screen.
    An edition's notice follows the safety box (see :func:`objectives`).
    """
    minutes = reading_minutes(condition)
    return (
        '<header class="hk-header">'
        f'<h1 id="lesson-title">{esc(condition.title)}</h1>'
        f'<p class="hk-tagline">{esc(condition.tagline)}</p>'
        f'<p class="hk-meta">About {minutes} minute{"s" if minutes != 1 else ""} to read · '
        f"Updated {esc(_date(condition.updated))}</p>"
        f"{review_notice(condition, today)}"
        f'<p class="hk-summary-text">{esc(condition.summary)}</p>'
        "</header>"
    )


#: The words every output uses while no clinician has reviewed a lesson.
PENDING_NOTICE = "This lesson has not yet been reviewed by a clinician."
#: The words every output of a draft (``status: draft``) starts its review sentence with.
DRAFT_NOTICE = "This lesson is a draft, still being written: it may be incomplete or wrong."


def review_overdue(condition: Condition, today: dt.date | None = None) -> bool:
    review = condition.clinical_review
    return review.approved and review.next_review is not None and review.next_review < (today or dt.date.today())


def review_state(condition: Condition, today: dt.date | None = None) -> str:
    """pending, approved, overdue, or changed (approved, then edited: the edit is unreviewed)."""
    if not condition.clinical_review.approved:
        return "pending"
    if changed_since_review(condition):
        return "changed"
    return "overdue" if review_overdue(condition, today) else "approved"


def review_status_text(condition: Condition, today: dt.date | None = None) -> str:
    """A few plain sentences on the clinical review, for pages, cards, READMEs and exports;
    a draft's start by saying it is a draft."""
    draft = f"{DRAFT_NOTICE} " if condition.status == "draft" else ""
    review = condition.clinical_review
    if not review.approved or review.date is None or review.next_review is None:
        return draft + (
            f"{PENDING_NOTICE} It was written from public health information (see the sources) "
            "by people who are not clinicians. Check with a health professional before you act on it."
        )
    text = f"{draft}Reviewed by {review.reviewer} ({review.credentials}) on {_date(review.date)}."
    if changed_since_review(condition):
        return text[:-1] + (
            ", and changed since: the changes have not been reviewed by a clinician. "
            "Check with a health professional before you act on it."
        )
    if review_overdue(condition, today):
        return text + f" Review overdue: the next review was due on {_date(review.next_review)}."
    return text + f" Next review due {_date(review.next_review)}."


def short_review_status(condition: Condition, today: dt.date | None = None) -> str:
    """The review sentence of a lesson's header: while no clinician has reviewed the lesson,
    only :data:`PENDING_NOTICE` (the sources at the end of the lesson say more)."""
    text = review_status_text(condition, today)
    end = text.find(PENDING_NOTICE)
    return text if end < 0 else text[: end + len(PENDING_NOTICE)]


def review_notice(condition: Condition, today: dt.date | None = None) -> str:
    review = condition.clinical_review
    state = review_state(condition, today)
    label = {"changed": "Changed since review", "overdue": "Review overdue", "approved": "Clinical review"}.get(state, "Review status")
    if condition.status == "draft":
        state, label = f"{state} hk-review-draft", "Draft"
    return (
        f'<p class="hk-review hk-review-{state}" role="note"><strong>{esc(label)}:</strong> '
        f"{esc(short_review_status(condition, today))}</p>"
    )


def edition_notice(edition: Edition) -> str:
    notice = EDITIONS_SPEC[edition].notice
    return f'<p class="hk-edition" role="note">{esc(notice)}</p>' if notice else ""


def objectives(condition: Condition, edition: Edition = "learner") -> str:
    """The edition's notice, if any, then what the lesson teaches: what follows the safety box."""
    if not condition.learning_objectives:
        return edition_notice(edition)
    return (
        f'{edition_notice(edition)}<section class="hk-objectives" aria-labelledby="objectives">'
        f'<h2 id="objectives">What you will learn</h2>{_ul(condition.learning_objectives)}</section>'
    )


DRAFT_DISCLAIMER = (
    "This lesson is a draft and has not been reviewed. It is not medical advice. "
    "If you are worried about your health, ask a health professional."
)


def safety(condition: Condition, region: Region) -> str:
    """The "when to get help" box: one block per urgency tier, most urgent first.

    Each tier has its own heading naming the region's service; the emergency tier is the
    most prominent. Text has already been localised (placeholders filled) by the lesson.
    """
    parts = [
        '<aside class="hk-safety" aria-labelledby="safety-title">',
        '<h2 id="safety-title">When to get help</h2>',
    ]
    tiers = condition.safety.tiers() if condition.safety is not None else ()
    if not tiers:
        parts.append(
            f'<p class="hk-tier hk-tier-emergency">This draft does not list warning signs yet. If you are worried, '
            f"get medical help. In an emergency, call {esc(region.emergency_number)}.</p>"
        )
    numbered = numbers(condition)
    cites = (condition.safety.cites or {}) if condition.safety is not None else {}
    for name, triggers in tiers:
        icon = '<span aria-hidden="true">⚠ </span>' if name == "emergency" else ""
        travel = f'<p class="hk-travel">{esc(region.travel)}</p>' if name == "emergency" else ""
        mark = cite(cites.get(name), numbered)
        signs = "".join(f"<li>{esc(t)}{mark}</li>" for t in triggers)
        parts.append(
            f'<section class="hk-tier hk-tier-{name}" aria-labelledby="tier-{name}">'
            f'<h3 id="tier-{name}">{icon}{esc(region.headings[name])}</h3><ul>{signs}</ul>{travel}</section>'
        )
    parts.append("</aside>")
    return "".join(parts)


def cite(ids: Iterable[str] | None, numbered: Mapping[str, int]) -> str:
    """Links from a claim to its sources in the list at the end ("1, 3"), or ""."""
    found = sorted({numbered[i] for i in ids or () if i in numbered})
    links = ",".join(f'<a href="#s{n}">{n}</a>' for n in found)
    return f'<sup class="hk-cite">{links}</sup>' if links else ""


def _lower(title: str) -> str:
    return title[0].lower() + title[1:] if len(title) > 1 and title[1].islower() else title


def section(name: str, body: Section, edition: Edition = "learner", condition: Condition | None = None) -> str:
    items = []
    numbered = numbers(condition) if condition is not None else {}
    for item in body.items:
        caution = (
            f'<p class="hk-caution"><strong>Take care:</strong> {esc(item.caution)}</p>' if item.caution else ""
        )
        items.append(f"<li><strong>{esc(item.name)}.</strong> {esc(item.description)}{cite(item.cites, numbered)}{caution}</li>")
    notes = ""
    if shows_answers(edition):
        notes = (
            '<aside class="hk-facilitator" aria-label="Facilitator notes"><h3>Facilitator notes</h3>'
            + _ul(facilitator_notes(name, body, condition))
            + "</aside>"
        )
    title = SECTION_TITLES[name]
    return (
        f'<section class="hk-section" id="section-{name}" aria-labelledby="section-{name}-title">'
        f'<h2 id="section-{name}-title">{esc(title)}</h2>'
        f"<p>{esc(body.summary)}</p>"
        f'<ul class="hk-items">{"".join(items)}</ul>{notes}</section>'
    )


def facilitator_notes(name: str, body: Section, condition: Condition | None = None) -> tuple[str, ...]:
    """Authored notes, or sensible defaults: timing, prompts, and a misconception to address.

    The misconception comes from the section's own quiz: a wrong option and the authored
    feedback that explains why it is wrong.
    """
    if body.facilitator_notes:
        return body.facilitator_notes
    minutes = 3 + 2 * len(body.items)
    first = body.items[0].name
    subject = _lower(condition.title) if condition else "this condition"
    notes = [
        f"Suggested time: about {minutes} minutes.",
        f"Ask learners to explain “{first}” in their own words, then compare answers in pairs.",
        f"Ask: which {SECTION_TITLES[name].lower()} of {subject} have you heard of before, and where?",
    ]
    wrong = [(q, o) for q in (condition.quiz if condition else ()) if q.section == name for o in q.options if not o.correct]
    if wrong:
        question, option = wrong[0]
        notes.append(f"Common misconception: “{option.text}” (for “{question.prompt}”). {option.feedback}")
    notes.append("Remind the group that the lesson is general information, not advice for one person.")
    return tuple(notes)


def quiz_fallback(quiz: Quiz, edition: Edition = "learner") -> str:
    """Readable quiz for untrusted notebooks and kernel-less viewers; answers only for teachers.

    Options are numbered in display order, as the widget, the pages and the answer sheet show them.
    """
    answers = shows_answers(edition)
    parts = [
        f'<div class="hk-fallback"><h3>{esc(quiz.title)}</h3>',
        '<p class="hk-run-hint"><em>Run this cell (or Run ▸ Run All Cells) to answer and get feedback.</em></p><ol>',
    ]
    for q in quiz.questions:
        key = f"<p><strong>Answer key:</strong> {esc(q.explanation)}</p>" if answers else ""
        parts.append(f"<li><p>{esc(q.prompt)}</p>{_fallback_choices(q, answers)}{key}</li>")
    parts.append("</ol></div>")
    return "".join(parts)


def flashcards(cards: Iterable[Flashcard]) -> str:
    """Question-and-answer cards that open on click, with no script at all."""
    body = "".join(
        f'<details class="hk-card"><summary>{esc(c.front)}</summary><p>{esc(c.back)}</p></details>' for c in cards
    )
    return (
        '<section class="hk-cards" aria-labelledby="cards-title"><h2 id="cards-title">Flashcards</h2>'
        "<p>Try to answer each question in your head, then open the card to check.</p>"
        f"{body}</section>"
    )


def key_terms(condition: Condition) -> str:
    rows = "".join(f"<dt>{esc(term)}</dt><dd>{esc(meaning)}</dd>" for term, meaning in condition.key_terms.items())
    return f'<section aria-labelledby="terms-title"><h2 id="terms-title">Key terms</h2><dl class="hk-terms">{rows}</dl></section>'


def _cited_in(condition: Condition) -> dict[str, list[tuple[str, str]]]:
    """Source id -> (anchor, name) of the parts of the page that cite it, in page order, once each."""
    names = {"safety-title": "When to get help", **{f"section-{n}": SECTION_TITLES[n] for n in SECTION_TITLES}}
    found: dict[str, dict[str, None]] = {}
    for _, anchor, cites in cited_claims(condition):
        for source in cites or () if anchor in names else ():
            found.setdefault(source, {})[anchor] = None
    return {source: [(a, names[a]) for a in anchors] for source, anchors in found.items()}


def _source(s: Source, number: int = 0, cited_in: Iterable[tuple[str, str]] = ()) -> str:
    back = ", ".join(f'<a href="#{a}">{esc(name)}</a>' for a, name in cited_in)
    back = f" Cited in: {back}." if back else ""
    title = esc(s.title)
    if s.url:
        title = f'<a href="{esc(s.url)}" rel="noopener noreferrer">{title}</a>'
    facts = []
    if s.published:
        facts.append(f"Published {_date(s.published)}.")
    if s.reviewed:
        facts.append(f"Page last reviewed {_date(s.reviewed)}, as shown on the page.")
    if s.accessed:
        facts.append(f"We read it on {_date(s.accessed)}.")
    anchor = f' id="s{number}"' if number else ""
    return f"<li{anchor}>{title}. {esc(s.publisher)}. {esc(' '.join(facts))}{back}</li>"


def sources(condition: Condition, today: dt.date | None = None) -> str:
    disclaimer = condition.safety.disclaimer if condition.safety else DRAFT_DISCLAIMER
    cited_in = _cited_in(condition)
    return (
        '<footer class="hk-footer"><h2 id="sources-title">Sources</h2>'
        f'<ol class="hk-sources">{"".join(_source(s, n, cited_in.get(s.id or "", ())) for n, s in enumerate(condition.sources, 1))}</ol>'
        f"<p>Text updated {esc(_date(condition.updated))}. {esc(review_status_text(condition, today))}</p>"
        f'<p class="hk-disclaimer"><strong>Please note:</strong> {esc(disclaimer)}</p></footer>'
    )


def _answer(question: Question) -> str:
    """'option 2, Muscle strain': positions as the learners see them (options in display order);
    for a triage question, each sign with its place ("Chest pain → Call 999 ...")."""
    if question.items:
        return "; ".join(question.choices[i].text for i in question.answer)
    return "; ".join(f"option {i + 1}, {question.choices[i].text}" for i in question.answer)


def _triage_fallback(q: Question, answers: bool) -> str:
    """A triage question read without its widget: the signs, then the places to choose from."""
    right = {q.choices[i].item: q.choices[i].target for i in q.answer}
    signs = "".join(
        f"<li>{esc(sign)}{f' <strong>({esc(right[sign])})</strong>' if answers else ''}</li>" for sign in q.items
    )
    places = "".join(f"<li>{esc(t)}</li>" for t in q.targets)
    return f'<p>Signs:</p><ol class="hk-fallback-choices">{signs}</ol><p>Places to get help:</p><ul>{places}</ul>'


def _fallback_choices(q: Question, answers: bool) -> str:
    if q.items:
        return _triage_fallback(q, answers)
    choices = "".join(
        f"<li>{esc(c.text)}{' <strong>(correct)</strong>' if answers and c.correct else ''}</li>"
        for c in q.choices
    )
    return f'<ol class="hk-fallback-choices">{choices}</ol>'


def answer_sheet(quizzes: Iterable[Quiz]) -> str:
    """Printable answer key for the teacher edition, numbered as the options are shown."""
    blocks = []
    for quiz in quizzes:
        rows = "".join(
            f"<li>{esc(q.prompt)} <strong>Answer:</strong> {esc(_answer(q))}</li>"
            for q in quiz.questions
        )
        blocks.append(f"<h3>{esc(quiz.title)}</h3><ol>{rows}</ol>")
    return f'<section class="hk-answer-sheet" aria-labelledby="answers-title"><h2 id="answers-title">Answer sheet</h2>{"".join(blocks)}</section>'


_TAG = re.compile(r"<[^>]+>")


def to_text(fragment: str) -> str:
    """A plain-text rendering of a fragment, for text/plain outputs."""
    spaced = re.sub(r"</(p|li|h\d|dt|dd|summary|header|section|aside|footer)>", "\n", fragment)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(_TAG.sub("", spaced))).strip()
