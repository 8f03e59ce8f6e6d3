"""Build quizzes from a condition: its authored questions, and the triage questions made
from its safety tiers.

The one kind healthkit writes by itself is triage (see :func:`triage`): it sorts warning
signs from the lesson's own tiers, so it is answered by reading the safety box. Questions
built from an entry's words ("which of these does the lesson describe here? ...") were
answerable from everyday words, so they are no longer made (see :func:`generated`).
Everything is deterministic for a given seed.

:func:`lesson_questions` is every question of a lesson with its options in display order
(see :mod:`.order`); the quizzes, the widget, the pages and the exports all take questions
from it, so a question shows its options in the same order everywhere. Section quizzes show
authored questions first; the final quiz never repeats a question a section quiz showed.

The display order is chosen in the order a learner meets the questions: the section quizzes,
then the final quiz's questions (in its order, whatever its size), then the questions no
quiz shows (they appear only in exports). So the balance :mod:`.order` keeps holds for what
a learner is shown, with any ``quiz_size``, and for the whole bank alike.

Every entry point fills the condition's ``{placeholders}`` for ``region`` (by default the
one its language implies; see :mod:`healthkit.content.localise`), so no question shows
``{emergency_number}``. Text already filled is left as it is.
"""

from __future__ import annotations

import random
import re
from typing import Sequence

from ..content.lint import normalise
from ..content.localise import localise, region_for
from ..errors import ParameterError
from ..content.quizcheck import word_families
from ..model import SECTION_NAMES, SECTION_TITLES, Condition, QuizQuestion
from ..registry import SAFETY_TIERS, Region
from .model import PAIRING, Choice, Flashcard, Question, Quiz
from .order import arrange_lesson

#: Questions in each section quiz of a lesson.
SECTION_QUIZ_SIZE = 2
#: Questions in a lesson's final quiz, unless the lesson says otherwise (``quiz_size``).
FINAL_QUIZ_SIZE = 8
#: Signs a triage question asks to sort, at most.
TRIAGE_SIGNS = 4
#: The triage questions: right after the safety box, and in the final quiz (other signs).
TRIAGE_IDS = ("gen-triage", "gen-triage-final")
#: The ``section`` of a triage question (it checks the safety box, not one of the seven sections).
SAFETY = "safety"

def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(":".join([str(seed), *parts]))


def needs_other_conditions(condition: Condition) -> bool:
    """Whether some generated question takes its wrong options from other conditions: never
    now. Options borrowed from another lesson were either plainly from another condition or,
    under another name, secretly right for this one (educators' reviews found both), so a
    section too small to quote gets no generated question. ``others`` parameters stay, and
    are not read."""
    return False


def authored(condition: Condition) -> tuple[Question, ...]:
    return tuple(_from_authored(q) for q in condition.quiz)


def _from_authored(q: QuizQuestion) -> Question:
    return Question(
        id=q.id,
        kind=q.type,
        prompt=q.prompt,
        choices=tuple(Choice(o.text, o.correct, o.feedback) for o in q.options),
        explanation=q.explanation,
        section=q.section,
        fixed_order=q.fixed_order,
    )


def generated(condition: Condition, seed: int = 0, others: Sequence[Condition] = ()) -> tuple[Question, ...]:
    """The questions healthkit writes by itself beyond triage: none. Quoting an entry's
    description and asking which entry it describes was answerable from everyday words (an
    educator's cold read of every such question found all 20 guessable: "an ice pack or a
    bag of frozen peas" is plainly "Cold"), so lessons ask what authors wrote, and triage."""
    return ()


def _place(region: Region, tier: str) -> str:
    """Where a tier sends people, in the region's words: "Call 999 or go to A&E now"."""
    return region.headings[tier].removesuffix(" if:").removesuffix(":").rstrip(" ,")


#: Words by which a sign says when to act: a sign below the emergency tier that says "now"
#: would contradict its own place, so it is never asked about.
_WHEN_WORDS = re.compile(r"\b(now|immediately|straight away|right away)\b", re.I)
#: Distinct places a triage question's signs go to, at most: two signs at least share a place,
#: so ranking the signs by how serious they sound does not answer it.
TRIAGE_PLACES = 3


#: Words that make a sign below the emergency tier sound like an emergency ("severe pain that
#: started suddenly"): a careful reader could fairly send it sooner, so it is never asked.
_ALARMING = re.compile(r"\b(severe|severely|sudden|suddenly|quickly|seriously|worst|very unwell|collaps\w*)\b", re.I)
#: Signs about who the person is rather than what they notice ("a child has symptoms", "after
#: surgery", "the first time"): where such a person goes is a rule to learn, not a sign to
#: weigh, and services differ on it; below the emergency tier they are never asked.
_WHO = re.compile(r"\b(child|children|baby|babies|toddler|pregnan\w*|after (an? )?(surgery|operation)|first time|older|elderly|a man|men)\b", re.I)
#: Words by which a sign tells how urgent it is ("even if it is not very bad"): never asked.
_TELLS = re.compile(r"\b(even if|this can be a sign|you can also call|do not wait|straight away|as soon as)\b", re.I)
#: Kinds of symptom that signs in two tiers may share (blurred vision today, double vision
#: now): a sign below a more urgent sign of the same kind is never asked about, since a
#: careful reader could fairly send it sooner.
_SYMPTOM_KINDS = tuple(re.compile(p, re.I) for p in (
    r"\b(vision|sight|blurr\w*|double|see)\b", r"\b(numb\w*|tingl\w*|pins and needles|weak\w*)\b",
    r"\b(bleed\w*|blood)\b", r"\b(breath\w*)\b", r"\bchest\b", r"\b(pregnan\w*)\b", r"\b(confus\w*)\b",
    r"\b(faint\w*|collaps\w*|pass(ed)? out)\b", r"\b(speech|speak\w*|talk\w*)\b", r"\b(aura)\b",
))


#: How a sentence of a sign opens when it explains or advises rather than describes the sign:
#: a triage question leaves it and what follows out ("This can be a sign of sepsis.").
_ADVICE_OPENERS = re.compile(r"^(this (can|may|could) be|these (can|may) be|you can also|do not|don't|go even|ask (about|for)|"
                             r"tell|it is|that is|if you|call|see|get)\b", re.I)


def shown_sign(sign: str) -> str:
    """The sign as a triage question shows it: its sentences up to the first that explains or
    advises; sentences that describe it ("For example, it is hard to pee ...") stay."""
    sentences = re.split(r"(?<=[.!?])\s+", sign.strip())
    kept = [sentences[0]]
    for sentence in sentences[1:]:
        if _ADVICE_OPENERS.match(sentence):
            break
        kept.append(sentence)
    return " ".join(kept)


def _sortable(shown: str, tier: str, places: Sequence[str], sooner: Sequence[str] = ()) -> bool:
    """Whether a sign (as :func:`shown_sign` shows it) can be asked about: it names no place
    ("a pharmacist can ..."), does not say how urgent it is ("now" outside the emergency tier,
    "even if ..."), and shares no kind of symptom with a sign of a more urgent tier (``sooner``)."""
    if any(word_families(shown) & word_families(place) for place in places) or _TELLS.search(shown):
        return False
    if any(kind.search(shown) and kind.search(other) for kind in _SYMPTOM_KINDS for other in sooner):
        return False
    return tier == "emergency" or not (_WHEN_WORDS.search(shown) or _ALARMING.search(shown) or _WHO.search(shown))


def triage(condition: Condition, region: Region, rng: random.Random, qid: str = TRIAGE_IDS[0], avoid: Sequence[str] = ()) -> Question | None:
    """'Where should each person get help?': signs taken from the lesson's own tiers, from
    at most :data:`TRIAGE_PLACES` tiers (so two signs share a place), each to be matched to
    one of the region's places to get help (every tier the lesson's safety box has is offered,
    so a cautious guess is not the answer). None when the lesson has fewer than two tiers or three signs it can
    ask about (``avoid``: signs another question asks)."""
    tiers = condition.safety.tiers() if condition.safety is not None else ()
    offered = [name for name, _ in tiers]  # the places the lesson's own safety box names
    places = [_place(region, name) for name in offered]
    above = {name: [s for other, signs in tiers[:i] for s in signs] for i, (name, _) in enumerate(tiers)}
    shown = {name: [shown_sign(s) for s in signs] for name, signs in tiers}
    pools = {name: [s for s in shown[name] if s not in avoid and _sortable(s, name, places, above[name])] for name, _ in tiers}
    usable = [name for name, _ in tiers if pools[name]]
    rng.shuffle(usable)
    # the tier just below the emergency one is where guessing by how serious a sign sounds
    # fails: a question asks about it whenever the lesson has one
    if "urgent" in usable:
        usable.remove("urgent")
        usable.insert(0, "urgent")
    chosen = sorted(usable[:TRIAGE_PLACES], key=list(SAFETY_TIERS).index)
    for name in chosen:
        rng.shuffle(pools[name])
    picked: list[tuple[str, str]] = []
    while len(picked) < TRIAGE_SIGNS and any(pools[name] for name in chosen):
        for name in chosen:
            if pools[name] and len(picked) < TRIAGE_SIGNS:
                picked.append((pools[name].pop(), name))
    if len(picked) < 3 or len({tier for _, tier in picked}) < 2:
        return None
    rng.shuffle(picked)
    rank = {name: i for i, name in enumerate(SAFETY_TIERS)}
    choices = []
    for sign, right in picked:
        for name in offered:
            if name == right:
                feedback = "Yes. This is where the lesson puts this sign."
            elif rank[name] > rank[right]:
                feedback = "Not quite: this sign needs help sooner than that."
            else:
                feedback = "Safe, but sooner than the lesson asks: it puts this sign with less urgent help."
            place = _place(region, name)
            choices.append(Choice(f"{sign}{PAIRING}{place}", name == right, feedback, item=sign, target=place))
    sorted_signs = "; ".join(f"{sign} – {_place(region, right)}" for sign, right in picked)
    return Question(
        id=qid,
        kind="triage",
        prompt="Where should each person get help? Match each sign to the help the lesson says it needs.",
        choices=tuple(choices),
        explanation=f"The lesson sorts these signs: {sorted_signs}. If you are ever unsure, getting help sooner is always safe.",
        section=SAFETY,
        origin="generated",
        fixed_order=True,
    )


def _triage_pair(condition: Condition, seed: int, region: str) -> list[Question]:
    """The lesson's two triage questions, with no sign in common (the second may be missing)."""
    where = region_for(condition, region or None)
    first = triage(condition, where, _rng(seed, condition.id, "triage"))
    if first is None:
        return []
    second = triage(condition, where, _rng(seed, condition.id, "triage-final"), TRIAGE_IDS[1], first.items)
    return [first] if second is None else [first, second]


def _localised(condition: Condition, others: Sequence[Condition], region: str) -> tuple[Condition, tuple[Condition, ...]]:
    """``condition`` and ``others`` with placeholders filled for ``region`` (default: the
    condition's language's)."""
    where = region_for(condition, region or None)
    return localise(condition, where), tuple(localise(o, where) for o in others)


def _pool(condition: Condition) -> list[Question]:
    """The authored questions in lesson order (section by section, as written)."""
    mine = authored(condition)
    return [q for section in SECTION_NAMES for q in mine if q.section == section]


def _section_pick(condition: Condition, section: str, size: int, seed: int, questions: Sequence[Question]) -> list[Question]:
    """The questions of a section quiz: authored ones first (in an order from the seed)."""
    mine = [q for q in questions if q.section == section and q.origin == "authored"]
    _rng(seed, condition.id, section, "pick").shuffle(mine)
    extra = [q for q in questions if q.section == section and q.origin != "authored"]
    return (mine + extra)[: max(size, 1)]


def _answer_texts(q: Question) -> list[str]:
    """The right options of a question, as a learner reads them (not True/False)."""
    return [c.text for c in q.choices if c.correct and normalise(c.text) not in ("true", "false")]


def _gives_away(q: Question, other: Question) -> bool:
    """Whether a feedback of ``q`` names a right option of ``other``."""
    answers = [f" {normalise(a)} " for a in _answer_texts(other) if len(normalise(a)) >= 4]
    return any(a in f" {normalise(c.feedback)} " for c in q.choices for a in answers)


def _clashes(q: Question, kept: Sequence[Question]) -> bool:
    """Whether ``q`` re-tests an entry a kept question tests, or it and a kept question give
    each other's answer away in their feedback."""
    mine = {normalise(a) for a in _answer_texts(q)}
    for other in kept:
        if q.origin == "generated" and mine & {normalise(a) for a in _answer_texts(other)}:
            return True
        if _gives_away(q, other) or _gives_away(other, q):
            return True
    return False


def _final_order(condition: Condition, seed: int, section_size: int, questions: Sequence[Question]) -> list[Question]:
    """Every question the final quiz may show, in its order; the quiz shows the first ``size``.

    It never repeats a section quiz's question, never asks again, in a generated question, about
    an entry another question it shows or a section quiz showed has tested, and leaves out a
    question whose option feedback gives away the answer to one it shows (or the other way round).
    """
    shown = [q for s in SECTION_NAMES for q in _section_pick(condition, s, section_size, seed, questions)]
    shown_ids = {q.id for q in shown}
    shown_prompts = {normalise(q.prompt) for q in shown}
    rest = [q for q in questions if q.id not in shown_ids and normalise(q.prompt) not in shown_prompts]
    rng = _rng(seed, condition.id, "final")
    rng.shuffle(rest)
    rest.sort(key=lambda q: q.origin != "authored")  # what authors wrote comes first, in each section
    by_section = {s: [q for q in rest if q.section == s] for s in SECTION_NAMES}
    ordered: list[Question] = []
    while any(by_section.values()):
        for s in SECTION_NAMES:
            if by_section[s]:
                ordered.append(by_section[s].pop(0))
    kept: list[Question] = [q for q in questions if q.id == TRIAGE_IDS[1]]  # the final quiz opens with its triage question
    for q in ordered:
        if not _clashes(q, [*shown, *kept]):
            kept.append(q)
    return kept


def lesson_questions(
    condition: Condition,
    seed: int = 0,
    others: Sequence[Condition] = (),
    region: str = "",
    section_size: int = SECTION_QUIZ_SIZE,
) -> tuple[Question, ...]:
    """Every question of a lesson, in lesson order, with its options in display order.

    Lesson order: section by section, the authored questions as written, then the generated
    ones. Options are arranged (see :mod:`.order`) in the order a learner meets the
    questions: the section quizzes (``section_size`` questions each), then the final quiz.
    """
    condition, others = _localised(condition, others, region)
    pool = _pool(condition) + _triage_pair(condition, seed, region)
    met = [q for s in SECTION_NAMES for q in _section_pick(condition, s, section_size, seed, pool)]
    met += _final_order(condition, seed, section_size, pool)
    met += pool
    by_id = {q.id: q for q in pool}
    sequence = [by_id[qid] for qid in dict.fromkeys(q.id for q in met)]  # each where first met
    arranged = {q.id: q for q in arrange_lesson(sequence, condition.id, seed)}
    return tuple(arranged[q.id] for q in pool)


def section_quiz(
    condition: Condition,
    section: str,
    size: int = SECTION_QUIZ_SIZE,
    seed: int = 0,
    others: Sequence[Condition] = (),
    pool: Sequence[Question] | None = None,
    region: str = "",
) -> Quiz:
    """The check-your-understanding quiz that closes a section: authored questions first.

    ``pool`` is the lesson's questions (:func:`lesson_questions`), when the caller has them.
    """
    if section not in SECTION_NAMES:
        raise ParameterError(f"unknown section {section!r}; use one of {', '.join(SECTION_NAMES)}")
    questions = lesson_questions(condition, seed, others, region, size) if pool is None else pool
    return Quiz(
        id=f"{condition.id}-{section.replace('_', '-')}",
        title=f"Check your understanding: {SECTION_TITLES[section].lower()}",
        questions=tuple(_section_pick(condition, section, size, seed, questions)),
        section=section,
    )


def safety_quiz(
    condition: Condition,
    seed: int = 0,
    others: Sequence[Condition] = (),
    pool: Sequence[Question] | None = None,
    region: str = "",
    section_size: int = SECTION_QUIZ_SIZE,
) -> Quiz:
    """The check right after the safety box: a triage question (none when the lesson has
    too few warning signs to sort)."""
    questions = lesson_questions(condition, seed, others, region, section_size) if pool is None else pool
    return Quiz(
        id=f"{condition.id}-{SAFETY}",
        title="Check your understanding: where to get help",
        questions=tuple(q for q in questions if q.id == TRIAGE_IDS[0]),
        section=SAFETY,
    )


def final_quiz(
    condition: Condition,
    size: int = 8,
    seed: int = 0,
    others: Sequence[Condition] = (),
    section_size: int = SECTION_QUIZ_SIZE,
    pool: Sequence[Question] | None = None,
    region: str = "",
) -> Quiz:
    """A mixed quiz over every section, of questions the section quizzes did not show.

    It never repeats a section quiz's question, nor one with the same prompt: it takes the
    generated questions and the authored ones left over, round-robin over the sections so a
    short quiz still covers the whole lesson. It may have fewer than ``size`` questions.
    """
    questions = lesson_questions(condition, seed, others, region, section_size) if pool is None else tuple(pool)
    ordered = _final_order(condition, seed, section_size, questions)
    return Quiz(id=f"{condition.id}-final", title="Final quiz", questions=tuple(ordered[: max(size, 1)]))


def flashcards(condition: Condition, region: str = "") -> tuple[Flashcard, ...]:
    """One card per FAQ entry, then one per key term (placeholders filled for ``region``)."""
    condition, _ = _localised(condition, (), region)
    cards = [Flashcard(e.question, e.answer, e.section) for e in condition.faq]
    cards += [Flashcard(f"What does “{term}” mean?", meaning, "key_terms") for term, meaning in condition.key_terms.items()]
    return tuple(cards)


def shown_questions(
    condition: Condition,
    seed: int = 0,
    others: Sequence[Condition] = (),
    region: str = "",
    section_size: int = SECTION_QUIZ_SIZE,
    final_size: int = FINAL_QUIZ_SIZE,
) -> tuple[Question, ...]:
    """The questions a learner is shown, in the order met: every section quiz, then the
    final quiz (options in display order)."""
    pool = lesson_questions(condition, seed, others, region, section_size)
    shown = [*safety_quiz(condition, seed, others, pool).questions]
    shown += [q for s in SECTION_NAMES for q in section_quiz(condition, s, section_size, seed, others, pool).questions]
    return (*shown, *final_quiz(condition, final_size, seed, others, section_size, pool).questions)
