"""``healthkit import``: turn a magazine article into a draft condition file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..content import check_text
from ..errors import HealthkitError
from ..io import refuse_overwrite, write_text_atomic
from .options import add_force


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="make a draft condition file from a magazine article",
        description="Read a condition article (plain text, Markdown or HTML) in the magazine's shape "
        "and write a draft condition file (status: draft) for an editor to review. The report, and "
        "any text that could not be placed, are kept as YAML comments in the draft.",
        epilog="Example: healthkit import article.html -o content/migraine.yaml",
    )
    p.add_argument("article", type=Path, metavar="ARTICLE", help="the article file (.txt, .md or .html)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write the draft (default: print it)")
    p.add_argument("--id", help="condition id (default: the output file name, or one made from the title)")
    add_force(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..importer import import_article

    if args.output:
        refuse_overwrite(args.output, args.force)
    condition_id = args.id or (args.output.name.split(".")[0] if args.output else None)
    condition, report, text = import_article(args.article, condition_id=condition_id)
    check = check_text(text, str(args.output or f"{condition.id}.yaml"))
    if not check.ok:  # the importer's own output must always load; say so if it does not
        raise HealthkitError("the draft did not validate:\n" + "\n".join(d.format() for d in check.diagnostics))
    if args.output:
        write_text_atomic(args.output, text)
        print(f"Wrote draft {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    for line in report.lines():
        print(f"  {line}", file=sys.stderr)
    return 0
