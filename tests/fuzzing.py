"""How property-based (fuzz) tests run.

Each property runs a bounded number of examples so the suite stays fast in CI. Set
``HEALTHKIT_FUZZ_EXAMPLES`` to run more, e.g. ``HEALTHKIT_FUZZ_EXAMPLES=5000
scripts/run-tests -k fuzz`` for a long run; every property scales with it.

The examples are derandomized (the same on every run, Hypothesis's ``derandomize``), so a
failure in CI happens again on any machine and no example database is written into the
checkout. ``HEALTHKIT_FUZZ_RANDOM=1`` draws new examples on each run instead, to explore.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("healthkit", derandomize=True, database=None, print_blob=True)
settings.register_profile("healthkit-random", derandomize=False, database=None, print_blob=True)
settings.load_profile("healthkit-random" if os.environ.get("HEALTHKIT_FUZZ_RANDOM") == "1" else "healthkit")


def fuzz_examples(default: int) -> int:
    """``default`` examples, or the count set in ``HEALTHKIT_FUZZ_EXAMPLES``."""
    value = os.environ.get("HEALTHKIT_FUZZ_EXAMPLES", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else default
