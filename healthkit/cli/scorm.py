"""``healthkit scorm``: lessons as a SCORM package that reports scores to a learning platform."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import HealthkitError
from ..io import refuse_overwrite, write_bytes_atomic
from ..registry import DEFAULT_COURSE_TITLE, DEFAULT_PASSING_SCORE, DEFAULT_SCORM_STANDARD, SCORM_STANDARDS
from .options import add_content, add_edition, add_force, add_ids, add_jobs, add_region, add_template, text_option
from .table import plural

NO_PASS = "none"


def pass_mark(text: str) -> int | None:
    """``--pass``: a whole percentage from 1 to 100, or "none"."""
    if text.strip().lower() == NO_PASS:
        return None
    try:
        value = int(text.strip().rstrip("%"), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage from 1 to 100 or '{NO_PASS}', found {text!r}") from None
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage from 1 to 100 or '{NO_PASS}', found {value}")
    return value


def register(sub: Any) -> None:
    standards = "; ".join(f"{name}: {spec.doc}" for name, spec in SCORM_STANDARDS.items())
    p = sub.add_parser(
        "scorm",
        help="package lessons for a learning platform (SCORM), with score, completion and resume",
        description="Package lessons as a SCORM zip to upload to Moodle, Canvas, Blackboard, Brightspace or "
        "another learning platform. Each lesson is its offline page with a small adapter that reports the "
        "score (questions right on the first try), the status, the time spent and each answer, and keeps the "
        "answers so a learner who comes back sees them. Several lessons make one package with a lesson each "
        "and a course overview, or one package per lesson with --split.",
        epilog="Examples: 'healthkit scorm back-spasms -o back-spasms.zip', "
        "'healthkit scorm back-spasms migraine --standard 2004 --pass 70 -o course.zip'",
    )
    add_ids(p, "conditions to package")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the zip to write (with --split: a folder for ID.zip files)")
    p.add_argument(
        "--standard", choices=tuple(SCORM_STANDARDS), default=DEFAULT_SCORM_STANDARD,
        help=f"SCORM version ({standards}; default: {DEFAULT_SCORM_STANDARD})",
    )
    p.add_argument(
        "--pass", dest="passing", type=pass_mark, default=-1, metavar="PERCENT",
        help=f"percent of questions right on the first try that passes, or '{NO_PASS}' to report completion only "
        f"(default: the condition's passing_score, else {DEFAULT_PASSING_SCORE})",
    )
    p.add_argument("--split", action="store_true", help="one package per lesson, written to the folder -o names")
    p.add_argument("--title", type=text_option, default=None, help=f"title of the package (default: the lesson's title; for several lessons, {DEFAULT_COURSE_TITLE})")
    add_content(p)
    add_edition(p, both=False)
    add_region(p)
    p.add_argument("--no-schemas", dest="schemas", action="store_false", help="leave the standard's XML Schema files out of the package")
    add_template(p)
    add_jobs(p)
    add_force(p, "each package")
    p.set_defaults(run=run)


def _targets(args: argparse.Namespace, ids: tuple[str, ...]) -> dict[str, Path]:
    if args.split:
        return {i: args.output / f"{i}.zip" for i in ids}
    return {"": args.output}


def run(args: argparse.Namespace) -> int:
    from ..app.build import describe_failure
    from ..app.scorm import ScormOptions, make_scorm, plan
    from ..app.startup import skip_unused_format_checker
    from ..distribution import require

    require("build", "healthkit scorm")
    skip_unused_format_checker()
    options = ScormOptions(
        content_dir=args.content,
        ids=tuple(args.ids),
        standard=args.standard,
        passing=args.passing if isinstance(args.passing, int) and args.passing > 0 else None,
        completion_only=args.passing is None,
        edition=args.edition,
        region=args.region,
        split=args.split,
        title=args.title or "",
        template=args.template,
        jobs=args.jobs,
        schemas=args.schemas,
    )
    planned = plan(options)  # unknown ids and bad options fail here, before any work
    targets = _targets(args, tuple(c.id for c in planned.conditions))
    if args.split and args.output.exists() and not args.output.is_dir():
        raise HealthkitError(f"{args.output} is a file; with --split, -o names a folder for the packages")
    for target in targets.values():
        refuse_overwrite(target, args.force)
    report = make_scorm(options, planned=planned)
    for failed in report.failed:
        print(f"healthkit: lesson failed: {describe_failure(failed)}", file=sys.stderr)
    for package in report.packages:
        target = targets.get(package.name, args.output / f"{package.name}.zip" if args.split else args.output)
        write_bytes_atomic(target, package.data)
        print(f"Wrote {target} (SCORM {args.standard}, {plural(len(package.lessons), 'lesson')}: {', '.join(package.lessons)})", file=sys.stderr)
    if report.failed and not args.split:
        print("healthkit: no package written: every lesson must build (or use --split)", file=sys.stderr)
    return 0 if report.ok else 1
