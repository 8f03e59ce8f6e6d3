"""A clinician's sign-off, bound to the text they read.

``healthkit review sign`` writes a digest of the condition's clinical text beside the
reviewer's name. While the text still has that digest, the lesson says who reviewed it and
when; after any change to it (a new symptom, a reworded quiz key, another source), every
output says the lesson has changed since its review, until it is signed again. Layout,
comments and fields that are not clinical text (title, tagline, audience, status) can
change without undoing a review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from ..model import Condition
from .convert import to_data

#: The parts of a condition a clinical review covers.
CLINICAL_FIELDS = ("summary", "key_terms", "sections", "safety", "faq", "quiz", "sources")
#: How long a review holds when no next review date is given (as NHS pages: three years).
REVIEW_YEARS = 3


def clinical_digest(condition: Condition) -> str:
    """``sha256:<hex>`` of the clinical text, independent of YAML layout and comments."""
    data = to_data(condition)
    clinical = {name: data.get(name) for name in CLINICAL_FIELDS}
    text = json.dumps(clinical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_since_review(condition: Condition) -> bool:
    """Whether an approved review's digest no longer matches the text (False when pending,
    or when an approved review carries no digest: :mod:`.lint` warns about that)."""
    review = condition.clinical_review
    return review.approved and review.digest is not None and review.digest != clinical_digest(condition)


def latest_next_review(date: dt.date) -> dt.date:
    """:data:`REVIEW_YEARS` after ``date`` (28 February when ``date`` is 29 February)."""
    try:
        return date.replace(year=date.year + REVIEW_YEARS)
    except ValueError:
        return date.replace(year=date.year + REVIEW_YEARS, day=28)
