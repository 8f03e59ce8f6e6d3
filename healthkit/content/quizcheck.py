"""Warnings about quiz items that let a learner score without learning.

Each rule returns ``(key path, message)`` pairs; :func:`healthkit.content.lint.lint` turns
them into positioned warnings (``PATH:LINE:COL: warning: ... (quiz[3].options)``). The
messages say what to change. Thresholds are stated in docs/content-format.md:

* the right option written in the same place in every single-answer item (3 or more items);
* the right option the longest in more than half of the single-answer items (3 or more);
* a single-answer item with only two options;
* true/false answers outside 30-70% True (2 or more true/false items);
* option feedback of fewer than five words, or that only gives a verdict;
* a wrong option that is advice the lesson gives (prevention, treatments, home remedies),
  except in questions that ask for what is *not* right ("not", "never", "except", "avoid");
* the feedback of a wrong option that names a right option (shown after a first wrong try,
  it would give the answer away);
* the same prompt twice;
* true/false statements with an absolute word ("always", "never", "only", "cure") all keyed
  False (3 or more such statements), which learners learn to spot;
* a "choose all that apply" question with a single wrong option ("tick all but one" wins);
* a right option that alone repeats the prompt's words;
* option feedback that names the right answer of another question of the condition.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Condition, QuizQuestion
from ..registry import QUIZ_KINDS, SECTIONS
from .lint import normalise
from .localise import PLACEHOLDER

Finding = tuple[str, str]

MIN_ITEMS_FOR_PATTERN = 3
MIN_TRUE_FALSE = 2
TRUE_SHARE = (0.3, 0.7)
MIN_FEEDBACK_WORDS = 5

#: Words that only say right or wrong. Feedback made of these alone explains nothing.
VERDICT_WORDS = frozenset(
    """yes no nope correct incorrect right wrong not quite true false that thats this is its it
    the a an answer option choice one well done great good job try again sorry exactly indeed
    afraid im i am was isnt wasnt here so very oops best nice that's isn't wasn't it's i'm""".split()
)
#: Questions that ask for what is *not* right: their wrong options may well be the lesson's
#: advice. Only the question itself counts, not a scenario before it ("You do not want to get
#: pregnant. How long should you keep using contraception?" asks for what is right).
NEGATIVE_PROMPT = re.compile(r"\b(not|never|except|avoid|least|false)\b|n't\b", re.I)
#: Right options too plain to be "named" by a feedback that uses the word: answers that are
#: made only of these and small words are not looked for ("True", "None of these", ...).
GENERIC_ANSWERS = frozenset(
    """true false yes no none all both neither either never always sometimes nothing everything
    other others more less same different maybe them these those this that""".split()
)
#: A one-word right option is looked for only when it has at least this many letters.
MIN_ANSWER_LETTERS = 5
_STOP = frozenset("a an the to of for and or from in on with your you at by it is be as up into".split())


#: Words that make a statement absolute; learners guess such statements are False.
ABSOLUTE = re.compile(
    r"\b(all|always|never|every|everyone|everybody|everything|only|must|cure[sd]?|completely|nothing|no one|nobody|none|"
    r"guaranteed?|impossible|certainly|totally|entirely)\b",
    re.I,
)
MIN_ABSOLUTE_STATEMENTS = 3
_SMALL = frozenset(
    "a an the and or of to for in on at by with from your you it its is are be as can may this that these those "
    "which what who how when do does did not no yes true false lesson according here choose all apply one".split()
)


def _word_stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` that carry meaning, roughly stemmed ("cramps" is "cramp");
    a hyphen parts words ("hands-on" is "hands" and "on")."""
    return frozenset(_word_stem(w) for w in normalise(text.replace("-", " ")).split() if w not in _SMALL and len(w) > 2)


#: Words are of one family when they start with the same this many letters ("pregnant" and
#: "pregnancy", "therapist" and "therapy"), or are the same shorter word.
FAMILY_LETTERS = 5


def word_families(text: str) -> frozenset[str]:
    """The families of the content words of ``text``: what a reader matching words between a
    question and its options would see as the same word. Each word counts under its first
    :data:`FAMILY_LETTERS` letters as written, and under its stem when that has three letters
    or more ("UTIs" meets "UTI"), so "lift" meets "lifting", "tired" meets "tiredness" and "pregnant" meets
    "pregnancy"; two texts share a family when their sets meet."""
    keys: set[str] = set()
    for w in normalise(text.replace("-", " ")).split():
        if w in _SMALL or len(w) <= 2:
            continue
        stem = _word_stem(w)
        keys.add(w[:FAMILY_LETTERS] if len(w) >= FAMILY_LETTERS else w)
        if len(stem) >= 3:
            keys.add(stem[:FAMILY_LETTERS])
    return frozenset(keys)


def _words(text: str) -> list[str]:
    return normalise(text).split()


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _content(text: str) -> tuple[str, ...]:
    """The content words of a text, roughly stemmed, in order."""
    return tuple(_stem(w) for w in _words(text) if w not in _STOP)


def _holds(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def same_meaning(option: str, advice: str) -> bool:
    """Whether an option names the same advice: the same content words in the same order, or
    one holds the other's run of two or more content words ("from back to front" is not
    "wiping front to back")."""
    o, a = _content(option), _content(advice)
    if not o or not a:
        return False
    return o == a or (len(a) >= 2 and _holds(o, a)) or (len(o) >= 2 and _holds(a, o))


def _single(quiz: tuple[QuizQuestion, ...]) -> list[tuple[int, QuizQuestion]]:
    return [(i, q) for i, q in enumerate(quiz) if q.type == "single" and sum(o.correct for o in q.options) == 1]


def same_position(condition: Condition) -> Iterator[Finding]:
    items = _single(condition.quiz)
    places = {next(j for j, o in enumerate(q.options) if o.correct) for _, q in items}
    if len(items) >= MIN_ITEMS_FOR_PATTERN and len(places) == 1:
        (place,) = places
        yield "quiz", (
            f"the right option is written as option {place + 1} in all {len(items)} single-answer questions; "
            "vary where you write it (lessons shuffle options, but items with fixed_order: true and anyone "
            "reading this file see the written order)"
        )


def longest_right(condition: Condition) -> Iterator[Finding]:
    items = _single(condition.quiz)
    longest = []
    for _, q in items:
        right = next(o for o in q.options if o.correct)
        if all(len(right.text.strip()) > len(o.text.strip()) for o in q.options if o is not right):
            longest.append(q.id)
    if len(items) >= MIN_ITEMS_FOR_PATTERN and len(longest) * 2 > len(items):
        yield "quiz", (
            f"the right option is the longest in {len(longest)} of {len(items)} single-answer questions "
            f"({', '.join(longest)}); learners learn to pick the longest option: make the wrong options as "
            "specific as the right one, or the right one shorter"
        )


def two_options(condition: Condition) -> Iterator[Finding]:
    for i, q in _single(condition.quiz):
        if len(q.options) == 2:
            yield f"quiz[{i}].options", (
                f"single-answer question {q.id!r} has only two options, so a guess is right half the time; "
                "add a plausible wrong option (a common misconception), or make it a true_false statement"
            )


def _true_false(condition: Condition) -> list[tuple[QuizQuestion, bool]]:
    """Each true/false question with one right option, and whether its answer is True."""
    true_text = QUIZ_KINDS["true_false"].fixed_texts[0].casefold()
    return [
        (q, next(o for o in q.options if o.correct).text.strip().casefold() == true_text)
        for q in condition.quiz
        if q.type == "true_false" and sum(o.correct for o in q.options) == 1
    ]


def true_false_balance(condition: Condition) -> Iterator[Finding]:
    keys = [true for _, true in _true_false(condition)]
    if len(keys) < MIN_TRUE_FALSE:
        return
    share = sum(keys) / len(keys)
    low, high = TRUE_SHARE
    if not low <= share <= high:
        more = "False" if share > high else "True"
        yield "quiz", (
            f"{sum(keys)} of {len(keys)} true/false questions have the answer True ({share:.0%}); keep it between "
            f"{low:.0%} and {high:.0%} by rewriting some statements so that {more} is right"
        )


#: Where a sentence ends and the next begins: a full stop, "!" or "?" and a capital letter
#: ("... pregnant. How long ...?"), not an abbreviation inside one ("a U.S. patient", "e.g. a child").
_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[A-Z])")


def asks_for_what_is_not_right(prompt: str) -> bool:
    """Whether the question asks for what is not right: the sentence that ends with the
    prompt's last question mark (the whole prompt if it has none), not a scenario before it."""
    text = prompt.strip()
    end = text.rfind("?")
    if end >= 0:
        text = text[: end + 1]
        starts = [m.end() for m in _SENTENCE_BREAK.finditer(text) if m.end() <= end]
        text = text[starts[-1] :] if starts else text
    return NEGATIVE_PROMPT.search(text) is not None


def explains_nothing(feedback: str) -> bool:
    """Whether ``feedback`` is too short to explain, or only gives a verdict."""
    words = _words(feedback)
    return len(words) < MIN_FEEDBACK_WORDS or all(w in VERDICT_WORDS for w in words)


def thin_feedback(condition: Condition) -> Iterator[Finding]:
    for i, q in enumerate(condition.quiz):
        for j, option in enumerate(q.options):
            words = _words(option.feedback)
            key = f"quiz[{i}].options[{j}].feedback"
            if len(words) < MIN_FEEDBACK_WORDS:
                yield key, (
                    f"feedback {option.feedback!r} has {len(words)} word{'s' if len(words) != 1 else ''}; "
                    f"say in at least {MIN_FEEDBACK_WORDS} words why {option.text!r} is {'right' if option.correct else 'wrong'}"
                )
            elif all(w in VERDICT_WORDS for w in words):
                yield key, (
                    f"feedback {option.feedback!r} only says whether {option.text!r} is right; "
                    "say why, in terms of what the lesson teaches"
                )


def wrong_advice(condition: Condition) -> Iterator[Finding]:
    advice = [
        (name, item.name)
        for name, section in condition.sections.items()
        if SECTIONS[name].advice
        for item in section.items
    ]
    for i, q in enumerate(condition.quiz):
        if asks_for_what_is_not_right(q.prompt):
            continue
        for j, option in enumerate(q.options):
            if option.correct:
                continue
            for section, name in advice:
                if same_meaning(option.text, name):
                    yield f"quiz[{i}].options[{j}].text", (
                        f"wrong option {option.text!r} is advice this lesson gives ({SECTIONS[section].title.lower()}: "
                        f"{name!r}), so a learner who follows the lesson is marked wrong; choose a wrong option "
                        "that is not the lesson's advice, or mark this one correct"
                    )
                    break


def _phrase(text: str) -> tuple[str, ...]:
    """The normalised words of ``text`` without its placeholders, which each region fills in."""
    return tuple(_words(PLACEHOLDER.sub(" ", text)))


def nameable(answer: tuple[str, ...]) -> bool:
    """Whether a right option's words say enough that a feedback using them names it: two
    words or more (not all of them small or generic words), or one word of at least
    :data:`MIN_ANSWER_LETTERS` letters that is not a generic answer ("True", "Never")."""
    if len(answer) == 1:
        (word,) = answer
        return len(word) >= MIN_ANSWER_LETTERS and word not in GENERIC_ANSWERS
    return any(w not in _STOP and w not in GENERIC_ANSWERS for w in answer)


def names_answer(feedback: str, answer: str) -> bool:
    """Whether ``feedback`` holds the right option ``answer`` as a phrase: its normalised
    words, placeholders left out, in a row."""
    words = _phrase(answer)
    return nameable(words) and _holds(_phrase(feedback), words)


def feedback_gives_answer(condition: Condition) -> Iterator[Finding]:
    for i, q in enumerate(condition.quiz):
        rights = [o for o in q.options if o.correct]
        for j, option in enumerate(q.options):
            if option.correct:
                continue
            named = next((r for r in rights if names_answer(option.feedback, r.text)), None)
            if named is not None:
                yield f"quiz[{i}].options[{j}].feedback", (
                    f"the feedback of wrong option {option.text!r} names the right option {named.text!r}, and a "
                    "learner reads it after a first wrong try; say why the chosen option is wrong, with a hint "
                    "back to the lesson, without naming the answer"
                )


def repeated_prompts(condition: Condition) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, q in enumerate(condition.quiz):
        key = normalise(q.prompt)
        if key in seen:
            first = seen[key]
            yield f"quiz[{i}].prompt", (
                f"this prompt repeats quiz[{first}] ({condition.quiz[first].id!r}); ask each thing once, "
                "or reword one of them"
            )
        seen.setdefault(key, i)


def absolute_always_false(condition: Condition) -> Iterator[Finding]:
    keyed = [(q.id, not true) for q, true in _true_false(condition) if ABSOLUTE.search(q.prompt)]
    if len(keyed) >= MIN_ABSOLUTE_STATEMENTS and all(false for _, false in keyed):
        yield "quiz", (
            f"all {len(keyed)} true/false statements with an absolute word (always, never, only, cure ...) are False "
            f"({', '.join(i for i, _ in keyed)}); learners learn that rule: write some true ones with such words, "
            "or take the word out of some false ones"
        )


def one_wrong_of_many(condition: Condition) -> Iterator[Finding]:
    for i, q in enumerate(condition.quiz):
        if q.type == "multiple" and sum(not o.correct for o in q.options) == 1 and len(q.options) >= 3:
            yield f"quiz[{i}].options", (
                f"'choose all that apply' question {q.id!r} has one wrong option, so ticking all but one wins; "
                "add a second wrong option (a real misconception)"
            )


def right_repeats_prompt(condition: Condition) -> Iterator[Finding]:
    for i, q in _single(condition.quiz):
        said = content_words(q.prompt)
        shared = [(o, content_words(o.text) & said) for o in q.options]
        right = next(words for o, words in shared if o.correct)
        if right and not any(words for o, words in shared if not o.correct):
            yield f"quiz[{i}].options", (
                f"only the right option of {q.id!r} repeats words of the prompt ({', '.join(sorted(right))}); a learner "
                "can match words instead of reading: reword the prompt or the option, or use the word in a wrong option too"
            )


def feedback_gives_other_answer(condition: Condition) -> Iterator[Finding]:
    answers = [(k, next(o.text for o in q.options if o.correct)) for k, q in enumerate(condition.quiz)
               if q.type == "single" and sum(o.correct for o in q.options) == 1]
    for i, q in enumerate(condition.quiz):
        for j, option in enumerate(q.options):
            for k, answer in answers:
                if k != i and len(_phrase(answer)) >= 2 and names_answer(option.feedback, answer):
                    yield f"quiz[{i}].options[{j}].feedback", (
                        f"this feedback names {answer!r}, the answer to {condition.quiz[k].id!r}; a learner who reads it "
                        "first is given that answer: say it another way"
                    )
                    break


RULES = (
    same_position,
    longest_right,
    two_options,
    true_false_balance,
    thin_feedback,
    wrong_advice,
    feedback_gives_answer,
    repeated_prompts,
    absolute_always_false,
    one_wrong_of_many,
    right_repeats_prompt,
    feedback_gives_other_answer,
)


def quiz_findings(condition: Condition) -> list[Finding]:
    """Every quiz-quality warning for ``condition``, as (key path, message)."""
    return [finding for rule in RULES for finding in rule(condition)]
