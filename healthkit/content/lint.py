"""Content rules that go beyond the shape of the data.

The model enforces structure (keys, types, non-empty text). These rules need to look at
several values at once: quiz answer keys, dates against today, the id against the file name,
and reading level. Errors block loading; warnings are for the author.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import Diagnostic, Severity
from ..model import SECTION_NAMES, Condition
from ..registry import LANGUAGE_REGIONS, PLACEHOLDERS, QUIZ_KINDS, RESERVED_IDS, SAFETY_TIERS, foreign_terms, language_region
from .citations import cited_claims, unknown_tiers
from .convert import format_key
from .localise import PLACEHOLDER, iter_texts, unknown_placeholders
from .readability import reading_levels
from .review import changed_since_review, latest_next_review

#: The longest id: it names files (ID.ipynb, ID.html, ID-teacher.ipynb, the staging copies of
#: each), and file names have at most 255 bytes.
MAX_ID_LENGTH = 100
#: Reading-grade ceilings: whole condition, any one section.
MAX_GRADE = 8.0
MAX_SECTION_GRADE = 8.0
#: Dates may be this far past today: an author west of UTC writing today's UTC date (or a
#: build machine whose clock is a day behind) is not writing in the future.
DATE_SLACK = dt.timedelta(days=1)
#: Texts shown where no region is chosen (the course index, Lite's welcome page, pack
#: READMEs, quiz export categories): placeholders are not filled there, so none may appear.
UNLOCALISED_TEXTS = ("title", "tagline")


#: How a text an author must still write starts: the importer writes it where an article
#: gave nothing ("To write: ..."); ``check`` lists each, and refuses them once published.
TO_WRITE = "To write"


def is_unwritten(text: str) -> bool:
    """Whether ``text`` is a placeholder for text still to be written."""
    return text.lstrip().lower().startswith(TO_WRITE.lower())


#: Words by which a description advises against its entry ("Herbal remedies ... are not
#: advised"): structured data never offers such an entry as a treatment.
ADVISED_AGAINST = ("not advised", "not recommended", "no good evidence", "not enough evidence", "does not work", "do not work")


def advises_against(description: str) -> bool:
    """Whether an entry's description advises against it."""
    text = normalise(description)
    return any(words in text for words in ADVISED_AGAINST)


def normalise(text: str) -> str:
    """Case- and punctuation-insensitive form used to compare options and item names."""
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())


@dataclass
class _Report:
    path: str
    positions: dict[str, tuple[int, int]]
    out: list[Diagnostic]

    def add(self, severity: Severity, key: str, message: str) -> None:
        line, col = self._locate(key)
        self.out.append(Diagnostic(self.path, line, col, severity, message, key))

    def _locate(self, key: str) -> tuple[int, int]:
        probe = key
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe.rsplit(".", 1)[0] if "." in probe else ""
        return self.positions.get("", (1, 1))


def lint(
    condition: Condition,
    path: str,
    positions: dict[str, tuple[int, int]],
    today: dt.date | None = None,
    warnings: bool = True,
    region: str = "",
) -> list[Diagnostic]:
    """Every rule violation in ``condition``; positions map key paths to (line, column).
    ``region``: also warn on words of other regions' services a lesson built for it would show.

    ``warnings=False`` skips the rules that can only warn (reading level, coverage), which
    loading does not need.
    """
    today = today or dt.date.today()
    report = _Report(path, positions, [])
    stem = PurePath(path).name.split(".")[0]
    if path not in ("", "<string>") and condition.id != stem:
        report.add("error", "id", f"id {condition.id!r} does not match the file name; rename the file to {condition.id}.yaml or change the id to {stem!r}")
    if len(condition.id) > MAX_ID_LENGTH:
        report.add("error", "id", f"id is {len(condition.id)} characters long; at most {MAX_ID_LENGTH}, since it names the lesson's files "
                   f"({condition.id[:20]}....ipynb, .html); shorten it (and the file name)")
    if condition.id in RESERVED_IDS:
        report.add("error", "id", f"id {condition.id!r} is the name of the course index page; choose another id (and file name), e.g. {condition.id}-lesson")
    _dates(condition, today + DATE_SLACK, report)
    _review(condition, today, report)
    _safety(condition, report)
    _placeholders(condition, report)
    _unwritten(condition, report)
    _quiz(condition, report)
    _citations(condition, report)
    _completeness(condition, report)
    if not warnings:
        return [d for d in report.out if d.severity == "error"]
    _coverage(condition, report)
    _quiz_quality(condition, report)
    _reading(condition, report)
    _language(condition, report)
    if region:
        _region_terms(condition, region, report)
    if condition.status == "draft":
        report.add("warning", "status", "this condition is a draft: review every section, add quiz questions and when to get help (safety), then set status: published")
    return report.out


def _dates(condition: Condition, latest: dt.date, report: _Report) -> None:
    """``latest``: the last date that is not in the future."""
    today = latest
    if condition.updated > today:
        report.add("error", "updated", f"date {condition.updated} is in the future; use the date the text was last edited")
    for i, source in enumerate(condition.sources):
        key = f"sources[{i}]"
        for name in ("published", "accessed", "reviewed"):
            value = getattr(source, name)
            if value is not None and value > today:
                report.add("error", f"{key}.{name}", f"source date {value} is in the future")
        if source.url and source.accessed is None:
            report.add("error", f"{key}.url", "a web source needs 'accessed': the date you read the page (YYYY-MM-DD)")
        if source.copy and not source.url:
            report.add("error", f"{key}.copy", "'copy' is the address of a copy of the page at 'url'; add the page's own url")
        if not source.url and source.published is None:
            severity: Severity = "error" if condition.status == "published" else "warning"
            report.add(severity, key, "a source without a url needs 'published': the date printed on it (YYYY-MM-DD)")
        if source.reviewed and source.accessed and source.reviewed > source.accessed:
            report.add("error", f"{key}.reviewed", "the page's review date is after the date you read it; 'reviewed' is the date shown on the page")


def _review(condition: Condition, today: dt.date, report: _Report) -> None:
    review = condition.clinical_review
    named = [f for f in ("reviewer", "credentials", "date", "next_review", "digest") if getattr(review, f) is not None]
    if not review.approved:
        for name in named:
            report.add("error", f"clinical_review.{name}", f"a pending review names no {name.replace('_', ' ')}; "
                       "fill these in only when a clinician has signed the content off, with status: approved")
        return
    for name in ("reviewer", "credentials", "date", "next_review"):
        if name not in named:
            report.add("error", "clinical_review.status", f"an approved review needs '{name}'; approve only what a named clinician signed off")
    if review.date is not None:
        if review.date > today + DATE_SLACK:
            report.add("error", "clinical_review.date", f"review date {review.date} is in the future")
        if review.next_review is not None:
            if review.next_review <= review.date:
                report.add("error", "clinical_review.next_review", "next_review must be after the review date")
            elif review.next_review > latest_next_review(review.date):
                report.add("error", "clinical_review.next_review", "next_review is at most three years after the review date")
    if review.next_review is not None and review.next_review < today:
        report.add("warning", "clinical_review.next_review", f"the clinical review was due on {review.next_review}: the lesson shows 'review overdue' until it is reviewed again")
    if review.digest is None:
        report.add("warning", "clinical_review.digest", "the review is bound to no text: nothing shows a later change as unreviewed; "
                   f"have it signed with 'healthkit review sign {condition.id} --reviewer NAME --credentials TEXT'")
    elif changed_since_review(condition):
        report.add("warning", "clinical_review.digest", f"the clinical text has changed since its review on {review.date}: every output "
                   f"says so until the reviewer signs it again with 'healthkit review sign {condition.id}'")


def _region_terms(condition: Condition, region: str, report: _Report) -> None:
    """Words that name another region's services ("NHS", "A&E", "911") in a text a lesson
    built for ``region`` shows; sources name their publishers as they are, so they are not read."""
    terms = foreign_terms(region)
    found = re.compile(r"(?<![\w&])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w&])")
    for key, text in iter_texts(condition):
        if not key or key[0] in ("sources", "id", "language", "clinical_review") or (key[0] == "safety" and "cites" in key):
            continue
        words = sorted(set(found.findall(PLACEHOLDER.sub(" ", text))))  # "{paracetamol}" is each region's word
        if words:
            report.add("warning", format_key(key), f"names {', '.join(repr(w) for w in words)}, which a lesson built for "
                       f"'{region}' would show as written: use a placeholder ({', '.join('{' + p + '}' for p in PLACEHOLDERS)}) or words every region shares")


def _citations(condition: Condition, report: _Report) -> None:
    """Source ids are unique and every cited id is one of them; in a published file, every
    entry, safety tier, Q&A answer and authored question cites its sources."""
    ids = [s.id for s in condition.sources if s.id]
    for i, source in enumerate(condition.sources):
        if source.id and ids.count(source.id) > 1:
            report.add("error", f"sources[{i}].id", f"source id {source.id!r} is used by two sources; give each its own id")
    known = ", ".join(ids) or "none: give each source an 'id'"
    for tier in unknown_tiers(condition):
        report.add("error", f"safety.cites.{tier}", f"'{tier}' is not a tier with signs here; cite sources under {', '.join(t for t, _ in condition.safety.tiers()) if condition.safety else 'a tier'}")
    uncited = []
    for key, _, cites in cited_claims(condition):
        where = key if not key.startswith("safety.") else f"safety.cites.{key.split('.', 1)[1]}"
        for cited in cites or ():
            if cited not in ids:
                report.add("error", f"{where}.cites" if not key.startswith("safety.") else where,
                           f"cites {cited!r}, which no source has as its id (the sources' ids: {known})")
        if not cites:
            uncited.append(key)
    if condition.status == "published":
        for key in uncited:
            report.add("warning", key, "cites no source: add 'cites: [id]' naming the source(s) it rests on"
                       if not key.startswith("safety.") else f"this tier cites no source: add it under safety.cites.{key.split('.', 1)[1]}")


def _safety(condition: Condition, report: _Report) -> None:
    safety = condition.safety
    if safety is None:
        return
    required = [name for name, tier in SAFETY_TIERS.items() if tier.required]
    if not any(getattr(safety, name) for name in required):
        report.add("error" if condition.status == "published" else "warning", "safety", f"safety needs triggers in {' or '.join(required)}: say when to get emergency or urgent help")
    seen: dict[str, str] = {}
    for tier in SAFETY_TIERS:
        for i, trigger in enumerate(getattr(safety, tier)):
            norm = normalise(trigger)
            if norm in seen:
                where = "earlier in this tier" if seen[norm] == tier else f"in the {seen[norm]!r} tier"
                report.add("error", f"safety.{tier}[{i}]", f"this trigger is also {where}; keep it once, in the most urgent tier that fits")
            seen.setdefault(norm, tier)


def _placeholders(condition: Condition, report: _Report) -> None:
    for path, text in iter_texts(condition):
        for name in unknown_placeholders(text):
            report.add("error", format_key(path), f"unknown placeholder {{{name}}}; use one of " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))
    for key in UNLOCALISED_TEXTS:
        names = PLACEHOLDER.findall(getattr(condition, key))
        if any(name in PLACEHOLDERS for name in names):
            report.add("error", key, f"the {key} may not use placeholders: it is shown where no region is chosen "
                       "(the course index, pack READMEs); write it without naming a service, and name services in the text")


def _unwritten(condition: Condition, report: _Report) -> None:
    """Texts still to write: errors in a published condition, a to-do list in a draft."""
    for path, text in iter_texts(condition):
        if is_unwritten(text):
            if condition.status == "published":
                report.add("error", format_key(path), f"this is still a placeholder ({text[:60]!r}); write it before publishing, or set status: draft")
            else:
                report.add("warning", format_key(path), f"still to write: {text[:80]!r}")


def _language(condition: Condition, report: _Report) -> None:
    if language_region(condition.language) is None:
        known = ", ".join(LANGUAGE_REGIONS)
        report.add("warning", "language", f"language {condition.language!r} implies no region, so lessons name generic "
                   f"services (112) unless built with --region; use a tag healthkit knows ({known}) or pass --region")


def _quiz(condition: Condition, report: _Report) -> None:
    seen_ids: set[str] = set()
    for i, q in enumerate(condition.quiz):
        key = f"quiz[{i}]"
        if q.id in seen_ids:
            report.add("error", f"{key}.id", f"quiz id {q.id!r} is used twice; ids must be unique")
        seen_ids.add(q.id)
        _answer_key(q.type, [(o.text, o.correct) for o in q.options], key, report)
        texts: dict[str, int] = {}
        for j, option in enumerate(q.options):
            norm = normalise(option.text)
            if norm in texts:
                report.add("error", f"{key}.options[{j}].text", f"option {option.text!r} repeats option {texts[norm] + 1}; options must differ")
            texts.setdefault(norm, j)


def _answer_key(kind_name: str, options: list[tuple[str, bool]], key: str, report: _Report) -> None:
    """The rules of the question's kind (:data:`healthkit.registry.QUIZ_KINDS`): how many
    options are right, and the fixed option texts of kinds that have them."""
    kind = QUIZ_KINDS[kind_name]
    n_correct = sum(correct for _, correct in options)
    if kind.correct == "one" and n_correct != 1:
        report.add("error", f"{key}.options", f"a {kind.name!r} question needs exactly one correct option, this one has {n_correct}")
    if kind.correct == "some" and n_correct < 1:
        report.add("error", f"{key}.options", f"a {kind.name!r} question needs at least one correct option")
    if kind.fixed_texts:
        texts = sorted(normalise(text) for text, _ in options)
        if texts != sorted(normalise(text) for text in kind.fixed_texts):
            fixed = " and ".join(repr(t) for t in kind.fixed_texts)
            report.add("error", f"{key}.options", f"a {kind.name!r} question has exactly the options {fixed}, "
                       f"this one has {', '.join(repr(t) for t, _ in options)}; put the statement in the prompt, "
                       "or use type: single for options of your own")


def _completeness(condition: Condition, report: _Report) -> None:
    """What an importer cannot invent: required to publish, reported for drafts."""
    missing = [
        (key, what)
        for key, what, present in (
            ("safety", "when to get help, by urgency, and a disclaimer (safety)", condition.safety is not None),
            ("learning_objectives", "learning objectives", bool(condition.learning_objectives)),
            ("key_terms", "key terms", bool(condition.key_terms)),
            ("quiz", "quiz questions", bool(condition.quiz)),
        )
        if not present
    ]
    for key, what in missing:
        if condition.status == "published":
            report.add("error", key or "status", f"a published condition needs {what}; add them or set status: draft")
        else:
            report.add("warning", key or "status", f"draft has no {what} yet; write them before publishing")


def _coverage(condition: Condition, report: _Report) -> None:
    if condition.status != "published":
        return
    if not condition.faq:
        report.add("warning", "faq", "no questions and answers; add the article's Q&A")
    covered = {q.section for q in condition.quiz}
    missing = [s for s in SECTION_NAMES if s not in covered]
    if missing:
        report.add("warning", "quiz", "no authored quiz question for: " + ", ".join(missing))


def _quiz_quality(condition: Condition, report: _Report) -> None:
    """Items a learner can answer without learning (see :mod:`.quizcheck`)."""
    from .quizcheck import quiz_findings  # it uses normalise() from here

    for key, message in quiz_findings(condition):
        report.add("warning", key, message)


def _reading(condition: Condition, report: _Report) -> None:
    whole, sections = reading_levels(condition)
    if whole.grade > MAX_GRADE:
        report.add("warning", "summary", f"reading grade {whole.grade} is above {MAX_GRADE:g} for the whole text; use shorter sentences and everyday words")
    for name, level in sections.items():
        if level.grade > MAX_SECTION_GRADE:
            report.add("warning", f"sections.{name}", f"reading grade {level.grade} in section {name!r} is above {MAX_SECTION_GRADE:g}; simplify it")
