"""Build quizzes from a condition: its authored questions plus generated ones.

Generated questions follow three rules, which the tests check for any condition and seed:
exactly one right answer; no two options alike (ignoring case and punctuation); and no
distractor that is also an entry of the section being asked about, so a "wrong" option is
never secretly right. Everything is deterministic for a given seed.

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
from typing import Sequence

from ..content.lint import normalise
from ..content.localise import localise, region_for
from ..errors import ParameterError
from ..model import SECTION_NAMES, SECTION_TITLES, Condition, Item, QuizQuestion
from ..registry import SECTIONS
from .model import Choice, Flashcard, Question, Quiz
from .order import arrange_lesson

MAX_CHOICES = 4
#: Questions in each section quiz of a lesson.
SECTION_QUIZ_SIZE = 2

#: Sections whose entries can be true answers for each other ("Which is a treatment?" -
#: a home remedy arguably is one). Distractors never come from the same family.
FAMILIES = ({"prevention", "treatments", "home_remedies"}, {"causes", "symptoms"})


def _kin(section: str) -> set[str]:
    for family in FAMILIES:
        if section in family:
            return family
    return {section}


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(":".join([str(seed), *parts]))


def _lower_title(title: str) -> str:
    """'Back spasms' -> 'back spasms', but keep 'PCOS' or 'UTI' as written."""
    if len(title) > 1 and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _related(condition: Condition, section: str) -> set[str]:
    """Normalised names of the entries that count as right for ``section``."""
    return {normalise(item.name) for name in _kin(section) for item in condition.sections.get(name).items}


def needs_other_conditions(condition: Condition) -> bool:
    """Whether some generated question would lack distractors from this condition alone."""
    for section in SECTION_NAMES:
        own = _related(condition, section)
        candidates = {
            normalise(item.name) for name, item in condition.all_items() if name not in _kin(section)
        } - own
        if len(candidates) < MAX_CHOICES - 1:
            return True
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


def _names(condition: Condition, section: str) -> set[str]:
    return {normalise(item.name) for item in condition.sections.get(section).items}


def which_is(condition: Condition, section: str, rng: random.Random, others: Sequence[Condition] = ()) -> Question | None:
    """'Which of these is a home remedy for back spasms?' with distractors from elsewhere."""
    own = _names(condition, section)
    elsewhere = {
        normalise(item.name)
        for name in SECTION_NAMES
        if name != section
        for item in condition.sections.get(name).items
    }
    answers = [item for item in condition.sections.get(section).items if normalise(item.name) not in elsewhere]
    if not answers:
        return None
    right = rng.choice(answers)
    own |= _related(condition, section)
    used = {normalise(right.name)}
    distractors: list[tuple[str, Item, Condition]] = []
    # Distractors come from this condition's other sections; other conditions only fill a gap.
    for source in (condition, *others):
        pool = [(name, item, source) for name, item in source.all_items() if name not in _kin(section)]
        rng.shuffle(pool)
        for kind, item, origin in pool:
            key = normalise(item.name)
            if key in own or key in used or len(distractors) == MAX_CHOICES - 1:
                continue
            used.add(key)
            distractors.append((kind, item, origin))
        if len(distractors) == MAX_CHOICES - 1:
            break
    if len(distractors) < 2:
        return None
    choices = [Choice(right.name, True, f"Yes. {right.description}")]
    for home, item, origin in distractors:
        where = SECTION_TITLES[home].lower()
        if origin is not condition:
            where += f" in the lesson on {_lower_title(origin.title)}"
        choices.append(Choice(item.name, False, f"Not this one. {item.name} comes under {where}."))
    # The right answer is written first; the display order is chosen by .order.
    title = _lower_title(condition.title)
    return Question(
        id=f"gen-{section.replace('_', '-')}-{normalise(right.name).replace(' ', '-')}",
        kind="single",
        prompt=f"Which of these is {SECTIONS[section].phrase} {title}?",
        choices=tuple(choices),
        explanation=f"{right.name} is listed under {SECTION_TITLES[section].lower()}: {right.description}",
        section=section,
        origin="generated",
    )


def true_or_false_type(condition: Condition, rng: random.Random) -> Question | None:
    """A true/false statement about one of the condition's types (needs two types)."""
    types = list(condition.sections.types.items)
    if len(types) < 2:
        return None
    subject = rng.choice(types)
    truthful = rng.random() < 0.5
    described = subject if truthful else rng.choice([t for t in types if t is not subject])
    if not truthful and normalise(described.description) == normalise(subject.description):
        truthful, described = True, subject
    statement = f"True or false: this describes {subject.name.lower()}. “{described.description}”"
    if truthful:
        right, wrong = "Yes, this describes it.", "It does describe it."
    else:
        right, wrong = f"Right. That describes {described.name.lower()}.", f"Look again: that describes {described.name.lower()}."
    choices = (
        Choice("True", truthful, right if truthful else wrong),
        Choice("False", not truthful, wrong if truthful else right),
    )
    return Question(
        id=f"gen-types-{normalise(subject.name).replace(' ', '-')}-{'t' if truthful else 'f'}",
        kind="true_false",
        prompt=statement,
        choices=choices,
        explanation=f"{subject.name}: {subject.description}",
        section="types",
        origin="generated",
    )


def generated(condition: Condition, seed: int = 0, others: Sequence[Condition] = ()) -> tuple[Question, ...]:
    """One generated question per section where possible, plus a true/false on types."""
    out: list[Question] = []
    for section in SECTION_NAMES:
        q = which_is(condition, section, _rng(seed, condition.id, section), others)
        if q is not None:
            out.append(q)
    tf = true_or_false_type(condition, _rng(seed, condition.id, "tf"))
    if tf is not None:
        out.append(tf)
    return tuple(out)


def _localised(condition: Condition, others: Sequence[Condition], region: str) -> tuple[Condition, tuple[Condition, ...]]:
    """``condition`` and ``others`` with placeholders filled for ``region`` (default: the
    condition's language's)."""
    where = region_for(condition, region or None)
    return localise(condition, where), tuple(localise(o, where) for o in others)


def _pool(condition: Condition, seed: int, others: Sequence[Condition]) -> list[Question]:
    """Every question in lesson order (section by section, authored ones as written, then the
    generated ones), options as written. A generated question whose id an authored one
    already uses is left out."""
    mine = authored(condition)
    taken = {q.id for q in mine}
    extra = [q for q in generated(condition, seed, others) if q.id not in taken]
    return [q for section in SECTION_NAMES for q in (*mine, *extra) if q.section == section]


def _section_pick(condition: Condition, section: str, size: int, seed: int, questions: Sequence[Question]) -> list[Question]:
    """The questions of a section quiz: authored ones first (in an order from the seed)."""
    mine = [q for q in questions if q.section == section and q.origin == "authored"]
    _rng(seed, condition.id, section, "pick").shuffle(mine)
    extra = [q for q in questions if q.section == section and q.origin != "authored"]
    return (mine + extra)[: max(size, 1)]


def _final_order(condition: Condition, seed: int, section_size: int, questions: Sequence[Question]) -> list[Question]:
    """Every question the final quiz may show, in its order; the quiz shows the first ``size``."""
    shown = [q for s in SECTION_NAMES for q in _section_pick(condition, s, section_size, seed, questions)]
    shown_ids = {q.id for q in shown}
    shown_prompts = {normalise(q.prompt) for q in shown}
    rest = [q for q in questions if q.id not in shown_ids and normalise(q.prompt) not in shown_prompts]
    rng = _rng(seed, condition.id, "final")
    rng.shuffle(rest)
    by_section = {s: [q for q in rest if q.section == s] for s in SECTION_NAMES}
    ordered: list[Question] = []
    while any(by_section.values()):
        for s in SECTION_NAMES:
            if by_section[s]:
                ordered.append(by_section[s].pop(0))
    return ordered


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
    pool = _pool(condition, seed, others)
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
