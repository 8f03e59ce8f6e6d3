"""Which tier of help a line names ("Call 999 if:", "Ask for an urgent GP appointment"), read
from the cues each tier lists in :data:`healthkit.registry.SAFETY_TIERS`. Shared by the readers
(a table row's "What to do" cell) and :mod:`.outline`."""

from __future__ import annotations

import re

from ..registry import SAFETY_TIERS


def tier_of(text: str) -> str | None:
    """The most urgent tier of help a line names, or None."""
    lowered = text.lower()
    for name, tier in SAFETY_TIERS.items():
        if any(re.search(p, lowered) for p in tier.cues):
            return name
    return None
