"""schema.org structured data (JSON-LD) for a lesson: a MedicalWebPage and an FAQPage.

Search engines and health-information services read it; so can a reviewer checking what a
page claims. It says only what the content says: ``lastReviewed`` and ``reviewedBy`` appear
only when a named clinician approved the content. A draft (``status: draft``) carries none:
it is not yet health information to offer to search engines. Plain data in, plain data out.
"""

from __future__ import annotations

from typing import Any

from ..content.lint import advises_against
from ..content.review import changed_since_review
from ..model import Condition, Item, Source

CONTEXT = "https://schema.org"
MIMETYPE = "application/ld+json"

#: Section -> (MedicalCondition property, type of each entry).
CONDITION_PROPERTIES = (
    ("symptoms", "signOrSymptom", "MedicalSignOrSymptom"),
    ("causes", "cause", "MedicalCause"),
    ("diagnosis", "typicalTest", "MedicalTest"),
    ("treatments", "possibleTreatment", "MedicalTherapy"),
    ("prevention", "primaryPrevention", "MedicalTherapy"),
)


def _entry(kind: str, item: Item) -> dict[str, Any]:
    """An entry as schema.org reads it; its caution stays with it."""
    text = f"{item.description} Take care: {item.caution}" if item.caution else item.description
    return {"@type": kind, "name": item.name, "description": text}


def _citation(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "CreativeWork", "name": source.title, "publisher": {"@type": "Organization", "name": source.publisher}}
    if source.url:
        out["url"] = source.url
    if source.published:
        out["datePublished"] = source.published.isoformat()
    return out


def medical_condition(condition: Condition) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "MedicalCondition", "name": condition.title, "description": condition.summary}
    for section, prop, kind in CONDITION_PROPERTIES:
        # An entry the lesson advises against ("Herbal remedies ... are not advised") is never
        # offered as a treatment or a way to prevent it.
        items = [i for i in condition.sections.get(section).items if not (kind == "MedicalTherapy" and advises_against(i.description))]
        out[prop] = [_entry(kind, item) for item in items]
    return out


def web_page(condition: Condition) -> dict[str, Any]:
    page: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "name": condition.title,
        "description": condition.summary,
        "inLanguage": condition.language,
        "audience": {"@type": "Audience", "audienceType": condition.audience},
        "dateModified": condition.updated.isoformat(),
        "citation": [_citation(s) for s in condition.sources],
        "about": medical_condition(condition),
    }
    review = condition.clinical_review
    if review.approved and review.date is not None and not changed_since_review(condition):
        page["lastReviewed"] = review.date.isoformat()
        page["reviewedBy"] = {"@type": "Person", "name": review.reviewer, "jobTitle": review.credentials}
    return page


def faq_page(condition: Condition) -> dict[str, Any]:
    return {
        "@type": "FAQPage",
        "name": f"{condition.title}: questions and answers",
        "inLanguage": condition.language,
        "mainEntity": [
            {"@type": "Question", "name": e.question, "acceptedAnswer": {"@type": "Answer", "text": e.answer}}
            for e in condition.faq
        ],
    }


def lesson_jsonld(condition: Condition) -> dict[str, Any] | None:
    """The page's JSON-LD: the MedicalWebPage and, when there is a Q&A, an FAQPage; None
    for a draft."""
    if condition.status == "draft":
        return None
    graph = [web_page(condition)] + ([faq_page(condition)] if condition.faq else [])
    return {"@context": CONTEXT, "@graph": graph}
