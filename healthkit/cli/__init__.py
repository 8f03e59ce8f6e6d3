"""The ``healthkit`` command line: ``main(argv) -> int`` so tests call it in-process."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from contextlib import contextmanager
from types import FrameType
from typing import Iterator, Sequence

from .. import __version__
from ..errors import HealthkitError
from . import build, check, export_quiz, import_, lite, preview, review, schema, scorm, workshop

COMMANDS = (check, build, preview, import_, review, export_quiz, workshop, scorm, lite, schema)


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


class Terminated(SystemExit):
    """SIGTERM arrived: unwinds like Ctrl-C, so every ``finally`` runs (staging folders are
    removed, worker processes and child commands stopped)."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
    raise Terminated(128 + signum)


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while a command runs (Python's default action
    ends the process at once, skipping every ``finally``)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are only delivered to the main thread
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    # A command started in the background of a script inherits SIGINT ignored; kill -INT (and
    # Ctrl-C, once it is brought to the foreground) must still stop it, and clean up.
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        with _sigterm_unwinds():
            return int(args.run(args))
    except Terminated as exc:
        _quiet_exit()
        print("healthkit: stopped (SIGTERM)", file=sys.stderr)
        return int(exc.code or 143)
    except HealthkitError as exc:
        print(f"healthkit: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file error no command foresaw: still one line, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"healthkit: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _quiet_exit()
        print("healthkit: interrupted", file=sys.stderr)
        return 130


def _quiet_exit() -> None:
    """After an interruption, asyncio may report the kernel requests that were cut short when
    it cleans up (with a traceback); they were stopped on purpose, so say nothing."""
    import logging

    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
