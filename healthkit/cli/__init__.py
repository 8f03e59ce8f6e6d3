"""The ``healthkit`` command line: ``main(argv) -> int`` so tests call it in-process."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .. import __version__
from ..errors import HealthkitError
from . import build, check, export_quiz, import_, lite, preview, schema, scorm, workshop

COMMANDS = (check, build, preview, import_, export_quiz, workshop, scorm, lite, schema)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healthkit",
        description="Turn structured health-condition articles into interactive Jupyter lessons.",
        epilog="Run 'healthkit COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"healthkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except HealthkitError as exc:
        print(f"healthkit: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file error no command foresaw: still one line, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"healthkit: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("healthkit: interrupted", file=sys.stderr)
        return 130
