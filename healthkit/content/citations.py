"""Every claim cited: which source each entry, sign, answer and quiz key rests on.

A source gets an ``id``; an entry (``sections.*.items[*]``), a Q&A answer (``faq[*]``) and an
authored quiz question (``quiz[*]``) name the sources they rest on in ``cites``, and the safety
box names them per tier (``safety.cites.emergency`` ...: NHS pages give a tier's signs as one
list, from one page). Lessons number the sources in the order they are listed and link each
cited claim to its source, and each source back to the sections that cite it.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Iterator, Mapping

from ..model import SECTION_NAMES, Condition
from ..registry import SAFETY_TIERS


def numbers(condition: Condition) -> Mapping[str, int]:
    """Source id -> its number in the lesson's source list (1-based)."""
    return {s.id: n for n, s in enumerate(condition.sources, 1) if s.id}


def cited_claims(condition: Condition) -> Iterator[tuple[str, str, tuple[str, ...] | None]]:
    """(key path, where a reader finds it, the source ids it cites or None) for every claim
    that should cite its sources: each entry, each safety tier with signs, each Q&A answer
    and each authored quiz question."""
    for name in SECTION_NAMES:
        for i, item in enumerate(condition.sections.get(name).items):
            yield f"sections.{name}.items[{i}]", f"section-{name}", item.cites
    if condition.safety is not None:
        cites = condition.safety.cites or {}
        for tier, _ in condition.safety.tiers():
            yield f"safety.{tier}", "safety-title", cites.get(tier)
    for i, entry in enumerate(condition.faq):
        yield f"faq[{i}]", "faq-title", entry.cites
    for i, question in enumerate(condition.quiz):
        yield f"quiz[{i}]", "", question.cites


def signs_cited(condition: Condition) -> int:
    """How many safety signs link to a source (each sign of a cited tier)."""
    if condition.safety is None:
        return 0
    cites = condition.safety.cites or {}
    return sum(len(signs) for tier, signs in condition.safety.tiers() if cites.get(tier))


def coverage(condition: Condition) -> tuple[int, int]:
    """(cited, all) over the entries and safety signs a page shows."""
    items = [item for _, item in condition.all_items()]
    signs = sum(len(s) for _, s in condition.safety.tiers()) if condition.safety else 0
    return sum(bool(i.cites) for i in items) + signs_cited(condition), len(items) + signs


def unknown_tiers(condition: Condition) -> list[str]:
    """Keys of ``safety.cites`` that are no tier with signs."""
    if condition.safety is None or not condition.safety.cites:
        return []
    with_signs = {tier for tier, _ in condition.safety.tiers()}
    return [key for key in condition.safety.cites if key not in SAFETY_TIERS or key not in with_signs]


def cited_to(condition: Condition, source_id: str) -> Condition:
    """``condition`` with its first source named ``source_id`` and every entry, safety tier and
    Q&A answer citing it: a draft made from one article rests on that article alone, until
    an author checks each claim against other sources and cites those."""
    first, *rest = condition.sources
    sections = {
        name: replace(part, items=tuple(replace(i, cites=(source_id,)) for i in part.items))
        for name, part in ((n, condition.sections.get(n)) for n in SECTION_NAMES)
    }
    safety = condition.safety
    if safety is not None:
        safety = replace(safety, cites=MappingProxyType({tier: (source_id,) for tier, _ in safety.tiers()}))
    return replace(
        condition,
        sources=(replace(first, id=source_id), *rest),
        sections=replace(condition.sections, **sections),
        safety=safety,
        faq=tuple(replace(e, cites=(source_id,)) for e in condition.faq),
    )
