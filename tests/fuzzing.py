"""How long property-based (fuzz) tests run.

Each property runs a bounded number of examples so the suite stays fast in CI. Set
``HEALTHKIT_FUZZ_EXAMPLES`` to run more, e.g. ``HEALTHKIT_FUZZ_EXAMPLES=5000
scripts/run-tests -k fuzz`` for a long run; every property scales with it.
"""

from __future__ import annotations

import os


def fuzz_examples(default: int) -> int:
    """``default`` examples, or the count set in ``HEALTHKIT_FUZZ_EXAMPLES``."""
    value = os.environ.get("HEALTHKIT_FUZZ_EXAMPLES", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else default
