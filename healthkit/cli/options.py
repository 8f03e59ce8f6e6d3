"""Options several commands share, with choices read from :mod:`healthkit.registry`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..registry import EDITIONS, EDITIONS_SPEC, REGIONS, language_defaults

BOTH = "both"


def add_template(parser: Any) -> None:
    parser.add_argument(
        "--template", type=Path, default=None, metavar="PATH", help="template notebook (default: the lesson template shipped with healthkit)"
    )


def add_edition(parser: Any, default: str = "learner", both: bool = True) -> None:
    """``--edition``; ``both=False`` for commands that make one edition at a time."""
    editions = ", ".join(f"{name}: {spec.doc}" for name, spec in EDITIONS_SPEC.items())
    parser.add_argument(
        "--edition",
        choices=(*EDITIONS, BOTH) if both else EDITIONS,
        default=default,
        help=f"which edition to render ({editions}{f'; or {BOTH}' if both else ''}; default: {default})",
    )


def editions(args: argparse.Namespace) -> tuple[str, ...]:
    return EDITIONS if args.edition == BOTH else (args.edition,)


def add_force(parser: Any, what: str = "the output file") -> None:
    parser.add_argument("--force", action="store_true", help=f"overwrite {what} if it exists (only a regular file is ever replaced)")


def jobs(value: str) -> int:
    """``-j N``: a whole number of 1 or more (a usage error otherwise)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of lessons to render at once; use a whole number of 1 or more")
    return number


def add_jobs(parser: Any) -> None:
    from ..app.build import default_jobs

    parser.add_argument(
        "-j", "--jobs", type=jobs, default=0, metavar="N",
        help=f"lessons rendered at once (default: number of cores + 1, here {default_jobs()}; "
        "never more than that, nor than there are lessons)",
    )


def add_region(parser: Any) -> None:
    regions = ", ".join(f"{code} ({r.name}: {r.emergency_number})" for code, r in REGIONS.items())
    parser.add_argument(
        "--region",
        choices=tuple(REGIONS),
        default="",
        metavar="REGION",
        help=f"health services named in the lessons: {regions}. Default: from each condition's language "
        f"({language_defaults()})",
    )


def add_content(parser: Any) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help="folder of condition files (default: content)"
    )
