"""Reading-grade estimates for condition text.

Health-literacy guidance asks for material at about a US school grade 6-8. We report SMOG
(the measure health services prefer) and Flesch-Kincaid, and call the *higher* of the two
the reading grade, so a warning is never hidden by the more lenient formula. SMOG needs at
least three sentences; below that only Flesch-Kincaid counts.

The formulas, with syllables counted by the Pyphen hyphenation dictionary for ``en_US``
(syllables in a word = its hyphenation points + 1; offline, no downloads)::

    Flesch-Kincaid grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59
    SMOG grade           = 1.043 x sqrt(30 x polysyllables / sentences) + 3.1291

Counting follows textstat 0.7.4, which healthkit used before, so grades stay the same
(tests/test_readability.py checks them against textstat's on frozen texts): a word is a
run of letters or digits once punctuation is removed; a sentence is a run of text ending
in ``.``, ``!`` or ``?``, and sentences of one or two words are not counted; a
polysyllable is a word of three syllables or more; both averages in Flesch-Kincaid are
rounded to one decimal before use, and both grades to one decimal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from ..model import Condition, Section

_END = re.compile(r"[.!?:]\s*$")
_SENTENCE_END = re.compile(r"[.!?]+(\s|$)")
_PUNCTUATION = re.compile(r"[^\w\s]")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


@dataclass(frozen=True)
class ReadingLevel:
    smog: float | None
    flesch_kincaid: float
    words: int

    @property
    def grade(self) -> float:
        values = [self.flesch_kincaid] + ([self.smog] if self.smog is not None else [])
        return round(max(values), 1)


def _join(parts: Iterable[str]) -> str:
    """Join fragments into prose, adding full stops where a fragment has none."""
    return " ".join(p.strip() if _END.search(p) else p.strip() + "." for p in parts if p.strip())


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    import pyphen  # deferred: only `check`, the build and the index need it

    return pyphen.Pyphen(lang="en_US")


def _round1(value: float) -> float:
    """One decimal, halves away from zero (not Python's round-half-to-even)."""
    return math.floor(value * 10 + math.copysign(0.5, value)) / 10


def word_list(text: str) -> list[str]:
    return _PUNCTUATION.sub("", text).split()


def syllables(text: str) -> int:
    """Syllables in ``text``: for each word, its hyphenation points in en_US, plus one."""
    dictionary = _dictionary()
    return sum(len(dictionary.positions(word)) + 1 for word in word_list(text.lower()))


def sentence_count(text: str) -> int:
    """Sentences of three words or more (at least 1)."""
    found = _SENTENCE.findall(text)
    return max(1, sum(len(word_list(s)) > 2 for s in found))


def flesch_kincaid(text: str) -> float:
    words = len(word_list(text))
    if not words:
        return 0.0
    per_sentence = _round1(words / sentence_count(text))
    per_word = _round1(syllables(text) / words)
    return _round1(0.39 * per_sentence + 11.8 * per_word - 15.59)


def smog(text: str) -> float:
    polysyllables = sum(syllables(word) >= 3 for word in text.split())
    return _round1(1.043 * math.sqrt(30 * polysyllables / sentence_count(text)) + 3.1291)


def measure(text: str) -> ReadingLevel:
    words = len(word_list(text))
    sentences = len(_SENTENCE_END.findall(text))
    fk = flesch_kincaid(text) if words else 0.0
    return ReadingLevel(smog=smog(text) if sentences >= 3 else None, flesch_kincaid=max(fk, 0.0), words=words)


def section_text(section: Section) -> str:
    parts = [section.summary]
    for item in section.items:
        parts += [item.description] + ([item.caution] if item.caution else [])
    return _join(parts)


def condition_text(condition: Condition) -> str:
    parts = [condition.summary]
    parts += [section_text(section) for _, section in condition.sections.items()]
    parts += [entry.answer for entry in condition.faq]
    if condition.safety is not None:
        parts += [t for _, triggers in condition.safety.tiers() for t in triggers] + [condition.safety.disclaimer]
    return _join(parts)


def reading_levels(condition: Condition) -> tuple[ReadingLevel, dict[str, ReadingLevel]]:
    """Reading level of the whole condition and of each section."""
    per_section: dict[str, ReadingLevel] = {name: measure(section_text(section)) for name, section in condition.sections.items()}
    return measure(condition_text(condition)), per_section


def reading_minutes(condition: Condition, words_per_minute: int = 180) -> int:
    """Estimated reading time of the lesson; an author's override wins."""
    if condition.reading_time_minutes:
        return condition.reading_time_minutes
    text = condition_text(condition) + " " + " ".join(i.name for _, i in condition.all_items())
    words = len(text.split()) + sum(len(q.prompt.split()) + 30 for q in condition.quiz)
    return max(1, round(words / words_per_minute))
