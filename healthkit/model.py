"""The condition content model: frozen, typed, plain data.

These dataclasses *are* the content format. The loader converts YAML into them by reading
their type hints and field metadata, and the shipped JSON Schema is generated from the same
hints (see :mod:`healthkit.content.schema`), so the format has exactly one definition.

Field metadata understood by the loader and the schema generator:

``doc``        description shown in the schema and in error hints
``min_items``  minimum length of a list or mapping
``min_length`` minimum length of a string (after stripping white space)
``pattern``    regular expression a string must match in full
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal, Mapping, Optional

SectionName = Literal[
    "types", "causes", "symptoms", "diagnosis", "prevention", "treatments", "home_remedies"
]

#: The seven sections every condition article has, in reading order.
SECTION_NAMES: tuple[SectionName, ...] = (
    "types",
    "causes",
    "symptoms",
    "diagnosis",
    "prevention",
    "treatments",
    "home_remedies",
)

#: Human headings for the sections.
SECTION_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "types": "Types",
        "causes": "Causes",
        "symptoms": "Symptoms",
        "diagnosis": "Diagnosis",
        "prevention": "Prevention",
        "treatments": "Treatments",
        "home_remedies": "Home remedies",
    }
)

QuestionType = Literal["single", "multiple", "true_false"]
Status = Literal["draft", "published"]

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def _text(doc: str, min_length: int = 1) -> dict[str, Any]:
    return {"doc": doc, "min_length": min_length}


def _items(doc: str, min_items: int = 1) -> dict[str, Any]:
    return {"doc": doc, "min_items": min_items}


@dataclass(frozen=True)
class Source:
    """A publication the content is based on."""

    title: str = field(metadata=_text("Title of the article or page."))
    publisher: str = field(metadata=_text("Who published it, e.g. 'NHS'."))
    date: _dt.date = field(
        metadata={"doc": "Publication date (YYYY-MM-DD); for a web page that changes, the date it was consulted."}
    )
    url: Optional[str] = field(
        default=None, metadata={"doc": "Web address, if any.", "pattern": r"https?://\S+"}
    )


@dataclass(frozen=True)
class Safety:
    """What a reader must know before trying anything at home."""

    seek_urgent_care: tuple[str, ...] = field(metadata=_items("Red-flag signs that need urgent medical help."))
    disclaimer: str = field(metadata=_text("Reminder that the lesson is education, not medical advice."))


@dataclass(frozen=True)
class Item:
    """One entry of a section list, e.g. a cause or a home remedy."""

    name: str = field(metadata=_text("Short name, e.g. 'Muscle strain'."))
    description: str = field(metadata=_text("One or two plain-language sentences."))
    caution: Optional[str] = field(
        default=None, metadata={"doc": "A safety note specific to this item.", "min_length": 1}
    )


@dataclass(frozen=True)
class Section:
    """One of the seven article sections."""

    summary: str = field(metadata=_text("A short plain-language introduction to the section."))
    items: tuple[Item, ...] = field(metadata=_items("The entries of the section."))
    facilitator_notes: Optional[tuple[str, ...]] = field(
        default=None,
        metadata={"doc": "Discussion prompts and tips for workshop leaders.", "min_items": 1},
    )


@dataclass(frozen=True)
class Sections:
    """The seven sections, all required."""

    types: Section
    causes: Section
    symptoms: Section
    diagnosis: Section
    prevention: Section
    treatments: Section
    home_remedies: Section

    def get(self, name: str) -> Section:
        return getattr(self, name)  # type: ignore[no-any-return]

    def items(self) -> tuple[tuple[SectionName, Section], ...]:
        return tuple((name, self.get(name)) for name in SECTION_NAMES)


@dataclass(frozen=True)
class FaqEntry:
    """A question and answer from the article's Q&A."""

    question: str = field(metadata=_text("The question, as a reader would ask it."))
    answer: str = field(metadata=_text("A short answer in plain language."))
    section: SectionName = field(metadata={"doc": "The section that covers this question."})


@dataclass(frozen=True)
class Option:
    """One answer option of a quiz question."""

    text: str = field(metadata=_text("The option as shown to the learner."))
    correct: bool = field(metadata={"doc": "Whether choosing this option is right."})
    feedback: str = field(metadata=_text("Shown after checking: why this option is right or wrong."))


@dataclass(frozen=True)
class QuizQuestion:
    """An authored quiz question."""

    id: str = field(metadata={"doc": "Unique within the condition.", "pattern": SLUG})
    type: QuestionType = field(
        metadata={"doc": "single: one right option; multiple: one or more; true_false."}
    )
    prompt: str = field(metadata=_text("The question."))
    options: tuple[Option, ...] = field(metadata=_items("Answer options.", min_items=2))
    explanation: str = field(metadata=_text("Shown after checking, whatever was chosen."))
    section: SectionName = field(metadata={"doc": "The section the question checks."})


@dataclass(frozen=True)
class Condition:
    """One health condition, ready to teach."""

    id: str = field(metadata={"doc": "Slug; must equal the file name.", "pattern": SLUG})
    title: str = field(metadata=_text("Name of the condition."))
    tagline: str = field(metadata=_text("One inviting sentence."))
    summary: str = field(metadata=_text("Two or three plain-language sentences."))
    audience: str = field(metadata=_text("Who the lesson is for."))
    language: str = field(
        metadata={"doc": "BCP 47 language tag, e.g. en-GB.", "pattern": r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"}
    )
    last_reviewed: _dt.date = field(metadata={"doc": "Date of the last content review (YYYY-MM-DD)."})
    status: Status = field(metadata={"doc": "draft (needs review) or published."})
    sources: tuple[Source, ...] = field(metadata=_items("Where the facts come from."))
    sections: Sections = field(metadata={"doc": "The seven article sections."})
    faq: tuple[FaqEntry, ...] = field(metadata=_items("The article's questions and answers.", min_items=0))
    quiz: tuple[QuizQuestion, ...] = field(metadata=_items("Authored quiz questions.", min_items=0))
    safety: Optional[Safety] = field(
        default=None, metadata={"doc": "Red flags and disclaimer (required once published)."}
    )
    learning_objectives: tuple[str, ...] = field(
        default=(), metadata=_items("What a learner can do after the lesson (required once published).", 0)
    )
    key_terms: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}),
        metadata=_items("Term to plain-language definition (required once published).", 0),
    )
    reviewed_by: Optional[str] = field(
        default=None, metadata={"doc": "Who reviewed the content.", "min_length": 1}
    )
    reading_time_minutes: Optional[int] = field(
        default=None, metadata={"doc": "Override of the estimated reading time."}
    )

    def all_items(self) -> tuple[tuple[SectionName, Item], ...]:
        return tuple((name, item) for name, section in self.sections.items() for item in section.items)


def field_names(cls: type) -> tuple[str, ...]:
    """Names of a model dataclass's fields, in declaration order."""
    return tuple(f.name for f in fields(cls))
