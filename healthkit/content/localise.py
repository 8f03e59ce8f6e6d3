"""Region-specific wording: fill ``{placeholders}`` with the reader's health services.

Content is written once, region-neutral: a trigger says "You cannot control when you pee",
and quiz feedback may say "call {emergency_number} or go to {emergency_department}". A
lesson built for the UK reads "999" and "A&E"; built with ``--region us``, "911" and "the
emergency room". The names come from :data:`healthkit.registry.REGIONS`.
"""

from __future__ import annotations

import dataclasses
import re
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from ..errors import ParameterError
from ..model import Condition
from ..registry import PLACEHOLDERS, REGIONS, Region, default_region
from .convert import KeyPath
from .review import changed_since_review, clinical_digest

#: ``{name}``: a placeholder, known or not (unknown ones are errors in ``check``).
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def region_for(condition: Condition, region: str | None = None) -> Region:
    """The named region, or the one the condition's language implies."""
    code = region or default_region(condition.language)
    if code not in REGIONS:
        raise ParameterError(f"region {code!r} is not known; use one of: {', '.join(REGIONS)}")
    return REGIONS[code]


def iter_texts(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every text in a model object, with its key path (mapping keys included)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from iter_texts(getattr(value, f.name), path + (f.name,))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield path + (str(key),), str(key)
            yield from iter_texts(item, path + (str(key),))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from iter_texts(item, path + (i,))
    elif isinstance(value, str):
        yield path, value


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]


def fill(text: str, region: Region) -> str:
    """``text`` with every known placeholder replaced by the region's wording."""
    return PLACEHOLDER.sub(lambda m: str(getattr(region, m.group(1))) if m.group(1) in PLACEHOLDERS else m.group(0), text)


def _replace(value: Any, region: Region) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _replace(getattr(value, f.name), region) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    if isinstance(value, Mapping):
        return MappingProxyType({fill(k, region): _replace(v, region) for k, v in value.items()})
    if isinstance(value, tuple):
        return tuple(_replace(v, region) for v in value)
    if isinstance(value, str):
        return fill(value, region) if "{" in value else value
    return value


def localise(condition: Condition, region: Region) -> Condition:
    """A copy of ``condition`` whose texts name ``region``'s services. A review that still
    fits the authored text fits the localised one: naming a region's services is not an edit."""
    localised: Condition = _replace(condition, region)
    review = condition.clinical_review
    if review.digest is not None and not changed_since_review(condition):
        localised = dataclasses.replace(localised, clinical_review=dataclasses.replace(review, digest=clinical_digest(localised)))
    return localised
