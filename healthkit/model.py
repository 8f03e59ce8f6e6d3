"""The condition content model: frozen, typed, plain data.

These dataclasses *are* the content format. The loader converts YAML into them by reading
their type hints and field metadata, and the shipped JSON Schema is generated from the same
hints (see :mod:`healthkit.content.schema`), so the format has exactly one definition.

Field metadata understood by the loader and the schema generator:

``doc``        description shown in the schema and in error hints
``min_items``  minimum length of a list or mapping
``min_length`` minimum length of a string (after stripping white space)
``pattern``    regular expression a string must match in full
``minimum``, ``maximum``  bounds of a whole number
"""

from __future__ import annotations

import datetime as _dt
import typing
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal, Mapping, Optional

from .registry import DEFAULT_PASSING_SCORE, QUIZ_KINDS, SAFETY_TIERS, SECTIONS, QuestionType, SectionName

#: The seven sections every condition article has, in reading order.
SECTION_NAMES: tuple[SectionName, ...] = typing.cast("tuple[SectionName, ...]", tuple(SECTIONS))

#: Human headings for the sections.
SECTION_TITLES: Mapping[str, str] = MappingProxyType({name: spec.title for name, spec in SECTIONS.items()})

Status = Literal["draft", "published"]
ReviewStatus = Literal["pending", "approved"]

#: (model class, key) of the previous format, with what replaced it (the loader says so).
RENAMED_KEYS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("Condition", "last_reviewed"): "'last_reviewed' was replaced: write the date the text was last edited as 'updated', "
        "and the clinical review under 'clinical_review' (status: pending until a named clinician signs it off)",
        ("Condition", "reviewed_by"): "'reviewed_by' was removed: a clinician's sign-off goes under 'clinical_review' "
        "(status: approved, reviewer, credentials, date, next_review)",
        ("Safety", "seek_urgent_care"): "'seek_urgent_care' was replaced by tiers: emergency, urgent, see_doctor and pharmacist",
        ("Source", "date"): "a source's 'date' was split: 'published' (printed on the source), 'accessed' (when you "
        "read a web page) and 'reviewed' (the page's own review date, only as read on the page)",
    }
)

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def _text(doc: str, min_length: int = 1) -> dict[str, Any]:
    return {"doc": doc, "min_length": min_length}


def _items(doc: str, min_items: int = 1) -> dict[str, Any]:
    return {"doc": doc, "min_items": min_items}


def _tier_doc(name: str) -> str:
    return f"Signs for this tier: {SAFETY_TIERS[name].doc}"


def _kinds_doc() -> str:
    return "; ".join(f"{name}: {kind.doc}" for name, kind in QUIZ_KINDS.items() if kind.authored) + "."


@dataclass(frozen=True)
class Source:
    """A publication the content is based on.

    Three dates, never confused: ``published`` is printed on the source itself; ``accessed``
    is when we read a web page; ``reviewed`` is the page's own "last reviewed" date, written
    only when it was read on the page.
    """

    title: str = field(metadata=_text("Title of the article or page."))
    publisher: str = field(metadata=_text("Who published it, e.g. 'NHS'."))
    url: Optional[str] = field(
        default=None, metadata={"doc": "The source's own web address, if any.", "pattern": r"https?://\S+"}
    )
    published: Optional[_dt.date] = field(
        default=None, metadata={"doc": "Publication date printed on the source (YYYY-MM-DD)."}
    )
    accessed: Optional[_dt.date] = field(
        default=None, metadata={"doc": "Date the web page was read (YYYY-MM-DD); required with a url."}
    )
    reviewed: Optional[_dt.date] = field(
        default=None,
        metadata={"doc": "The page's own 'last reviewed' date, only when it was read on the page (YYYY-MM-DD)."},
    )
    copy: Optional[str] = field(
        default=None,
        metadata={"doc": "Address of the stored copy that was read, when it was not the page itself.", "pattern": r"https?://\S+"},
    )
    id: Optional[str] = field(
        default=None,
        metadata={"doc": "A short name that entries, signs, answers and quiz questions cite the source by ('nhs-migraine').", "pattern": SLUG},
    )


@dataclass(frozen=True, kw_only=True)
class Safety:
    """When to get help, tiered by urgency as NHS condition pages are.

    Triggers are region-neutral; the lesson heads each tier with the reader's region's
    services ("Call 999 or go to A&E now if:"). See :data:`healthkit.registry.SAFETY_TIERS`.
    """

    emergency: tuple[str, ...] = field(default=(), metadata=_items(_tier_doc("emergency"), 0))
    urgent: tuple[str, ...] = field(default=(), metadata=_items(_tier_doc("urgent"), 0))
    see_doctor: tuple[str, ...] = field(default=(), metadata=_items(_tier_doc("see_doctor"), 0))
    pharmacist: tuple[str, ...] = field(default=(), metadata=_items(_tier_doc("pharmacist"), 0))
    disclaimer: str = field(metadata=_text("Reminder that the lesson is education, not medical advice."))
    cites: Optional[Mapping[str, tuple[str, ...]]] = field(
        default=None,
        metadata={"doc": "For each tier (emergency, urgent, see_doctor, pharmacist), the ids of the sources its signs rest on.", "min_items": 1},
    )

    def tiers(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(tier name, triggers) for every tier that has triggers, most urgent first."""
        return tuple((name, getattr(self, name)) for name in SAFETY_TIERS if getattr(self, name))


@dataclass(frozen=True)
class ClinicalReview:
    """Whether a named clinician has reviewed the content. Pending until someone signs it off."""

    status: ReviewStatus = field(metadata={"doc": "pending (not yet reviewed by a clinician) or approved."})
    reviewer: Optional[str] = field(default=None, metadata={"doc": "Name of the clinician (required when approved).", "min_length": 1})
    credentials: Optional[str] = field(
        default=None, metadata={"doc": "The reviewer's role and qualifications, e.g. 'GP, MRCGP' (required when approved).", "min_length": 1}
    )
    date: Optional[_dt.date] = field(default=None, metadata={"doc": "Date of the review (required when approved)."})
    next_review: Optional[_dt.date] = field(
        default=None, metadata={"doc": "When the content is due another review: at most three years after date (required when approved)."}
    )
    digest: Optional[str] = field(
        default=None,
        metadata={
            "doc": "What the reviewer signed: a digest of the clinical text (summary, key terms, sections, safety, FAQ, "
            "quiz, sources), written by 'healthkit review sign'. Any later change to that text shows as 'changed since its review'.",
            "pattern": r"^sha256:[0-9a-f]{64}$",
        },
    )

    @property
    def approved(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True)
class Item:
    """One entry of a section list, e.g. a cause or a home remedy."""

    name: str = field(metadata=_text("Short name, e.g. 'Muscle strain'."))
    description: str = field(metadata=_text("One or two plain-language sentences."))
    caution: Optional[str] = field(
        default=None, metadata={"doc": "A safety note specific to this item.", "min_length": 1}
    )
    cites: Optional[tuple[str, ...]] = field(
        default=None, metadata=_items("The ids of the sources this entry rests on (see Source.id).", 1)
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
    """The seven sections, all required: one field per entry of
    :data:`healthkit.registry.SECTIONS`, in the same order (a test checks they agree)."""

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
    cites: Optional[tuple[str, ...]] = field(
        default=None, metadata=_items("The ids of the sources the answer rests on (see Source.id).", 1)
    )


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
        metadata={"doc": _kinds_doc()}
    )
    prompt: str = field(metadata=_text("The question."))
    options: tuple[Option, ...] = field(metadata=_items("Answer options.", min_items=2))
    explanation: str = field(metadata=_text("Shown after a right answer or 'Show answer': the point to learn."))
    section: SectionName = field(metadata={"doc": "The section the question checks."})
    fixed_order: bool = field(
        default=False,
        metadata={"doc": "Show the options in the written order (for scales such as mild / moderate / severe) instead of shuffling them."},
    )
    cites: Optional[tuple[str, ...]] = field(
        default=None, metadata=_items("The ids of the sources the question's key and explanation rests on (see Source.id).", 1)
    )


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
    updated: _dt.date = field(metadata={"doc": "Date the text was last edited (YYYY-MM-DD). Not a clinical review."})
    status: Status = field(metadata={"doc": "draft (still being written) or published (complete)."})
    clinical_review: ClinicalReview = field(metadata={"doc": "Clinical review status: pending until a named clinician signs the content off."})
    sources: tuple[Source, ...] = field(metadata=_items("Where the facts come from."))
    sections: Sections = field(metadata={"doc": "The seven article sections."})
    faq: tuple[FaqEntry, ...] = field(metadata=_items("The article's questions and answers.", min_items=0))
    quiz: tuple[QuizQuestion, ...] = field(metadata=_items("Authored quiz questions.", min_items=0))
    safety: Optional[Safety] = field(
        default=None, metadata={"doc": "When to get help, by urgency, and a disclaimer (required once published)."}
    )
    learning_objectives: tuple[str, ...] = field(
        default=(), metadata=_items("What a learner can do after the lesson (required once published).", 0)
    )
    key_terms: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}),
        metadata=_items("Term to plain-language definition (required once published).", 0),
    )
    reading_time_minutes: Optional[int] = field(
        default=None,
        metadata={"doc": "Override of the estimated reading time, in minutes (1 to 600).", "minimum": 1, "maximum": 600},
    )
    passing_score: Optional[int] = field(
        default=None,
        metadata={
            "doc": f"Percent of the lesson's questions right on the first try that passes it in a learning "
            f"platform (SCORM packages). Default: {DEFAULT_PASSING_SCORE}.",
            "minimum": 1,
            "maximum": 100,
        },
    )

    def all_items(self) -> tuple[tuple[SectionName, Item], ...]:
        return tuple((name, item) for name, section in self.sections.items() for item in section.items)


def field_names(cls: type) -> tuple[str, ...]:
    """Names of a model dataclass's fields, in declaration order."""
    return tuple(f.name for f in fields(cls))
