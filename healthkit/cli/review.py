"""``healthkit review``: sign a lesson off for a named clinician (bound to its text), list
each lesson's review state, and print a review sheet."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from .options import add_content, add_force
from .table import render_table


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-12-08") from None


def register(sub: Any) -> None:
    p = sub.add_parser(
        "review",
        help="sign a lesson off for a clinician, list review states, print a review sheet",
        description="Clinical review of the lessons. 'sign' records that a named clinician approved a lesson, "
        "bound to a digest of its clinical text: any later change makes every output say the lesson changed "
        "since its review. 'status' lists each lesson's state; 'pack' writes a printable review sheet. "
        "Sign only what the named clinician has actually reviewed.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = actions.add_parser("sign", help="record a clinician's sign-off of one lesson", description="Record that the named "
                           "clinician reviewed and approved the lesson as it is now. Writes only the clinical_review block of its file.")
    s.add_argument("id", metavar="ID", help="the condition to sign off")
    s.add_argument("--reviewer", required=True, help="the clinician's name")
    s.add_argument("--credentials", required=True, help="their role and qualifications, e.g. 'GP, MRCGP'")
    s.add_argument("--date", type=_date, help="the day of the review (default: today)")
    s.add_argument("--next-review", type=_date, help="when the lesson is due another review (default and most: three years on)")
    add_content(s)
    s.set_defaults(run=run_sign)
    st = actions.add_parser("status", help="list each lesson's review state", description="List each lesson's review "
                            "state: pending, approved, changed (edited since its review), overdue, or invalid.")
    add_content(st)
    st.set_defaults(run=run_status)
    pk = actions.add_parser("pack", help="write a printable review sheet for one lesson", description="Write a printable "
                            "HTML review sheet: every claim of the lesson with a box to tick, its sources, and the open "
                            "questions of its fact-check (docs/fact-checks/ID.md beside the content folder, if there is one).")
    pk.add_argument("id", metavar="ID", help="the condition")
    pk.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the HTML file to write")
    pk.add_argument("--fact-checks", type=Path, metavar="DIR", help="folder of fact-check notes (default: docs/fact-checks beside the content folder)")
    add_content(pk)
    add_force(pk)
    pk.set_defaults(run=run_pack)


def run_sign(args: argparse.Namespace) -> int:
    from ..app.review import Signature, condition_file, sign

    path = condition_file(args.content.resolve(), args.id)
    signed = sign(path, Signature(args.reviewer, args.credentials, args.date or dt.date.today(), args.next_review))
    review = signed.clinical_review
    print(f"Signed {path}: reviewed by {review.reviewer} ({review.credentials}) on {review.date}, next review {review.next_review}.", file=sys.stderr)
    return 0


def run_status(args: argparse.Namespace) -> int:
    from ..app.review import status

    rows = status(args.content.resolve())
    print(render_table(("id", "review", "reviewer", "date", "next review"), [(r.id, r.state, r.reviewer, r.date, r.next_review) for r in rows]))
    return 0


def run_pack(args: argparse.Namespace) -> int:
    from ..app.review import condition_file
    from ..content import load_condition
    from ..exporters.review_pack import export_review_pack
    from ..io import refuse_overwrite, write_text_atomic

    content = args.content.resolve()
    refuse_overwrite(args.output, args.force)
    condition = load_condition(condition_file(content, args.id))
    notes = (args.fact_checks or content.parent / "docs" / "fact-checks") / f"{args.id}.md"
    html, resources = export_review_pack(condition, notes.read_text(encoding="utf-8") if notes.is_file() else "")
    write_text_atomic(args.output, html)
    print(f"Wrote {args.output}: {resources['claims']} claims to check.", file=sys.stderr)
    return 0
