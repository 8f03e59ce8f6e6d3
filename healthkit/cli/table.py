"""Plain text for summaries: tables (no dependency, reads well in CI logs) and counts."""

from __future__ import annotations

from typing import Sequence


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join([line, rule, *body])


def plural(count: int, noun: str) -> str:
    """``plural(1, "lesson")`` is ``1 lesson``; any other count takes an ``s``: ``2 lessons``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
