"""``healthkit workshop``: one folder with everything for a workshop."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .options import add_content, add_force, add_ids, add_jobs, add_region, add_template, add_title
from .table import plural


def register(sub: Any) -> None:
    p = sub.add_parser(
        "workshop",
        help="build a workshop folder: lessons, teacher edition, offline site, quiz exports",
        description="Build learner notebooks, the teacher edition, the offline HTML site, quiz exports "
        "(GIFT, Moodle XML, QTI), environment.yml and a participant README into one folder.",
        epilog="Example: healthkit workshop back-spasms migraine -o build/workshop --zip",
    )
    add_ids(p)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder to create, or a pack this command made to update")
    add_content(p)
    add_title(p, "Health workshop", "title for the participant README")
    p.add_argument("--zip", action="store_true", help="also write a zip of the pack beside it, named after the folder (DIR.zip)")
    add_force(p, help="write into a folder that is not empty (its other files are left alone and never packed), "
              "replace files of the pack that were changed since, and replace an existing zip")
    add_template(p)
    p.add_argument("--lite", action="store_true", help="also add lite/: the lessons running in the browser (see 'healthkit lite')")
    add_jobs(p)
    add_region(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..app.build import describe_failure
    from ..app.startup import skip_unused_format_checker
    from ..app.workshop import WorkshopOptions, make_workshop, zip_path
    from ..distribution import require

    require("build", "healthkit workshop")
    skip_unused_format_checker()
    options = WorkshopOptions(
        tuple(args.ids), args.output, args.content, args.template, args.jobs, args.title, zip=args.zip, lite=args.lite, force=args.force,
        region=args.region,
    )
    report = make_workshop(options)
    for failed in (r for r in report.results if r.status == "failed"):
        print(f"healthkit: lesson failed: {describe_failure(failed)}", file=sys.stderr)
    for warning in report.warnings:
        print(f"healthkit: warning: {warning}", file=sys.stderr)
    if not report.ok:
        return 1
    lessons = len({r.condition for r in report.results if r.status == "built"})
    print(f"Workshop folder: {args.output} ({plural(lessons, 'lesson')}, learner and teacher editions)" + (f", and {zip_path(args.output)}" if args.zip else ""))
    return 0
