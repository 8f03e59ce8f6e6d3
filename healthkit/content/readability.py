"""Reading-grade estimates for condition text.

Health-literacy guidance asks for material at about a US school grade 6-8. We report SMOG
(the measure health services prefer) and Flesch-Kincaid, and call the *higher* of the two
the reading grade, so a warning is never hidden by the more lenient formula. SMOG needs at
least three sentences; below that only Flesch-Kincaid counts.

``textstat`` 0.7.4 is pinned because later releases download NLTK data on first use, and a
library must never reach the network at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..model import Condition, Section

_END = re.compile(r"[.!?:]\s*$")
_SENTENCE_END = re.compile(r"[.!?]+(\s|$)")


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


def measure(text: str) -> ReadingLevel:
    import textstat  # deferred: only `check` and the index need it

    words = int(textstat.lexicon_count(text))
    sentences = len(_SENTENCE_END.findall(text))
    fk = float(textstat.flesch_kincaid_grade(text)) if words else 0.0
    smog = float(textstat.smog_index(text)) if sentences >= 3 else None
    return ReadingLevel(smog=smog, flesch_kincaid=max(fk, 0.0), words=words)


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
