"""Any model value survives a trip through YAML unchanged."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from healthkit import loads_condition
from healthkit.content import dumps_condition
from healthkit.model import (
    SECTION_NAMES,
    Condition,
    FaqEntry,
    Item,
    Option,
    QuizQuestion,
    ClinicalReview,
    Safety,
    Section,
    Sections,
    Source,
)

# Text as an author might type it: letters, digits, punctuation, YAML-significant words.
words = st.sampled_from(["no", "yes", "on", "true", "null", "~", "12", "3.5", "2024-01-01", "#x", "a: b", "- x", "'q'", '"d"', "Back", "pain", "Ŝ", "%", "@", "&", "*", "!"])
text = st.lists(st.one_of(words, st.text(st.characters(codec="utf-8", categories=("L", "N", "P"), exclude_characters="{}"), min_size=1, max_size=8)), min_size=1, max_size=6).map(" ".join).map(str.strip).filter(bool)
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2025, 12, 31))
section_names = st.sampled_from(SECTION_NAMES)

items = st.builds(Item, name=text, description=text, caution=st.none() | text)
sections = st.builds(Section, summary=text, items=st.lists(items, min_size=1, max_size=3).map(tuple), facilitator_notes=st.none() | st.lists(text, min_size=1, max_size=2).map(tuple))
options = st.builds(Option, text=text, correct=st.booleans(), feedback=text)
web_sources = st.builds(Source, title=text, publisher=text, url=st.just("https://example.org/a?b=1"), accessed=dates, reviewed=st.none() | st.just(dt.date(1989, 12, 31)))
print_sources = st.builds(Source, title=text, publisher=text, published=dates)
sources = web_sources | print_sources


def _norm(t: str) -> str:
    return " ".join("".join(c for c in t.lower() if c.isalnum() or c.isspace()).split())


@st.composite
def questions(draw: st.DrawFn, qid: str) -> QuizQuestion:
    texts = draw(st.lists(text, min_size=2, max_size=4, unique_by=lambda t: "".join(c for c in t.lower() if c.isalnum() or c.isspace()).split().__str__()))
    right = draw(st.integers(0, len(texts) - 1))
    opts = tuple(Option(t, i == right, draw(text)) for i, t in enumerate(texts))
    return QuizQuestion(id=qid, type=draw(st.sampled_from(["single", "multiple"])), prompt=draw(text), options=opts, explanation=draw(text), section=draw(section_names), fixed_order=draw(st.booleans()))


@st.composite
def conditions(draw: st.DrawFn) -> Condition:
    ids = draw(st.lists(slug, min_size=1, max_size=3, unique=True))
    return Condition(
        id=draw(slug),
        title=draw(text),
        tagline=draw(text),
        summary=draw(text),
        audience=draw(text),
        language=draw(st.sampled_from(["en", "en-GB", "cy", "fr-CA"])),
        updated=draw(dates),
        status=draw(st.sampled_from(["draft", "published"])),
        clinical_review=ClinicalReview(status="pending"),
        sources=tuple(draw(st.lists(sources, min_size=1, max_size=2))),
        safety=draw(st.builds(
            Safety,
            emergency=st.lists(text, min_size=1, max_size=3, unique_by=_norm).map(tuple),
            see_doctor=st.lists(text.map(lambda t: "See: " + t), max_size=2, unique_by=_norm).map(tuple),
            disclaimer=text,
        )),
        learning_objectives=tuple(draw(st.lists(text, min_size=1, max_size=3))),
        key_terms=MappingProxyType(draw(st.dictionaries(text, text, min_size=1, max_size=3))),
        sections=Sections(**{name: draw(sections) for name in SECTION_NAMES}),
        faq=tuple(draw(st.lists(st.builds(FaqEntry, question=text, answer=text, section=section_names), max_size=2))),
        quiz=tuple(draw(questions(qid)) for qid in ids),
        reading_time_minutes=draw(st.none() | st.integers(1, 60)),
    )


@settings(max_examples=60, deadline=None)
@given(conditions())
def test_model_round_trips_through_yaml(condition: Condition) -> None:
    again = loads_condition(dumps_condition(condition, header="generated for a test"))
    assert again == condition
