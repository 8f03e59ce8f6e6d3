"""``healthkit import``: turn a health article (a file, standard input or an address) into a
draft condition file."""

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
        help="make a draft condition file from a health article (file, - or https:// address)",
        description="Read a health-condition article from any publisher (a web page, Markdown, plain text or "
        "a Word .docx file; a file, - for standard input, or an http(s):// address) and write a draft "
        "condition file (status: draft) for an author to review. Sections are found by what their headings "
        "mean, warning signs are sorted into tiers of help, and the page's title, publisher, address and "
        "dates become the source. The report, and any text that could not be placed, are kept as YAML "
        "comments in the draft; 'healthkit check' lists what is still to write.",
        epilog="Examples: healthkit import page.html -o content/gout.yaml; "
        "healthkit import https://example.org/conditions/gout/ -o content/gout.yaml; "
        "pbpaste | healthkit import - --id gout",
    )
    p.add_argument("article", metavar="ARTICLE", help="the article: a file (.html, .md, .txt or .docx), - for standard input, or an http(s):// address")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write the draft (default: print it)")
    p.add_argument("--id", help="condition id (default: the output file name, or one made from the title)")
    add_force(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..importer import import_article
    from ..importer.fetch import is_address

    if args.output:
        refuse_overwrite(args.output, args.force)
    condition_id = args.id or (args.output.name.split(".")[0] if args.output else None)
    article = args.article if args.article == "-" or is_address(args.article) else Path(args.article)
    condition, report, text = import_article(article, condition_id=condition_id)
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
