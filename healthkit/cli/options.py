"""Options several commands share, with choices read from :mod:`healthkit.registry`."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from ..registry import EDITIONS, EDITIONS_SPEC, REGIONS, language_defaults

BOTH = "both"


class _Unique(argparse.Action):
    """Stores a list with repeats removed (first place kept): ``a b a`` is ``a b``."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, list(dict.fromkeys(values or [])))


def add_ids(parser: Any, what: str = "conditions to include") -> None:
    """``ID ...``: condition ids, each taken once however often it is given."""
    parser.add_argument("ids", nargs="*", metavar="ID", action=_Unique, default=[], help=f"{what} (default: all in --content)")


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


def add_force(parser: Any, what: str = "the output file", help: str = "") -> None:
    """``--force``; ``help`` replaces the whole help text for commands where it does more."""
    parser.add_argument("--force", action="store_true", help=help or f"overwrite {what} if it exists (only a regular file is ever replaced)")


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


def add_region(parser: Any, help: str = "") -> None:
    regions = ", ".join(f"{code} ({r.name}: {r.emergency_number})" for code, r in REGIONS.items())
    parser.add_argument(
        "--region",
        choices=tuple(REGIONS),
        default="",
        metavar="REGION",
        help=f"{help}: {regions}" if help else f"health services named in the lessons: {regions}. Default: from each condition's language "
        f"({language_defaults()})",
    )


def port(value: str) -> int:
    """``--port N``: a TCP port, 0 to 65535 (0 picks a free one); a usage error otherwise."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port; use a whole number from 0 to 65535 (0 picks a free one)")
    return number


def add_port(parser: Any, default: int = 8000, what: str = "--serve") -> None:
    parser.add_argument("--port", type=port, default=default, metavar="N", help=f"port for {what} (default: {default}; 0 picks a free one)")


#: The longest title a command takes (a page's heading, a package's name).
MAX_TITLE_OPTION = 200


def text_option(value: str) -> str:
    """A text given on the command line, held to the rules of content text: characters no
    text may hold (controls, bytes that are not UTF-8, U+FFFE, U+2028 ...) are refused with the
    option's name, never met later as a traceback."""
    from ..content.yamlio import FORBIDDEN, describe_char

    found = FORBIDDEN.search(value) or re.search(r"[\ud800-\udfff]", value)
    if found:
        raise argparse.ArgumentTypeError(f"holds {describe_char(found.group())}; use plain text")
    clean = " ".join(value.split())
    if not clean:
        raise argparse.ArgumentTypeError("is empty")
    if len(clean) > MAX_TITLE_OPTION:
        raise argparse.ArgumentTypeError(f"is {len(clean)} characters long; at most {MAX_TITLE_OPTION}")
    return clean


def add_title(parser: Any, default: str, what: str) -> None:
    parser.add_argument("--title", type=text_option, default=default, help=f"{what} (default: {default})")


def add_content(parser: Any) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help="folder of condition files (default: content)"
    )
