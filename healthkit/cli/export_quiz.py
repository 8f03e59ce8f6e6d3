"""``healthkit export-quiz``: quiz questions for Moodle (GIFT, Moodle XML) or Canvas (QTI)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..content import iter_content_files, load_catalog
from ..content.loader import neighbours
from ..model import Condition
from ..io import refuse_overwrite, write_bytes_atomic
from ..registry import QUIZ_FORMATS
from .options import add_content, add_force, add_ids, add_region


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export-quiz",
        help="export quiz questions for Moodle or Canvas",
        description="Export every question of the given conditions (all by default): authored ones and "
        "generated ones, with per-option feedback and explanations, options in the order the lessons "
        "show them (for the same --seed). gift: Moodle's GIFT text; "
        "moodle-xml: Moodle XML; qti: an IMS QTI 1.2 zip with imsmanifest.xml, which Canvas imports.",
        epilog="Example: healthkit export-quiz back-spasms --format gift -o back-spasms.gift",
    )
    add_ids(p, "conditions to export")
    formats = "; ".join(f"{name}: {spec.doc}" for name, spec in QUIZ_FORMATS.items())
    p.add_argument("--format", required=True, choices=tuple(QUIZ_FORMATS), help=f"output format ({formats})")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="file to write")
    add_content(p)
    p.add_argument("--authored-only", action="store_true", help="leave out generated questions")
    p.add_argument("--seed", type=int, default=0, help="seed for generated questions and the order of options, as in the lessons (default: 0)")
    add_region(p)
    add_force(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..exporters.lms import bank, export

    refuse_overwrite(args.output, args.force)
    catalog = load_catalog(args.content, args.ids)
    ids = args.ids or catalog.ids
    files = {p.stem: p for p in iter_content_files(args.content)}
    loaded: dict[str, Condition | None] = dict(catalog.conditions)
    banks = [
        bank(
            catalog[i], seed=args.seed, include_generated=not args.authored_only, region=args.region,
            others=neighbours(catalog[i], files, loaded),  # as the lesson borrows them
        )
        for i in dict.fromkeys(ids)
    ]
    write_bytes_atomic(args.output, export(banks, args.format))
    total = sum(len(b.questions) for b in banks)
    print(f"Wrote {total} questions from {len(banks)} condition(s) to {args.output} ({args.format})", file=sys.stderr)
    return 0
