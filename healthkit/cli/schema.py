"""``healthkit schema``: print or write the JSON Schema of the content format."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..content.schema import dumps_schema
from ..io import refuse_overwrite, write_text_atomic
from .options import add_force


def register(sub: Any) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of condition files",
        description="Print (or write with -o) the JSON Schema of condition files, for editors with a "
        "YAML language server. It is generated from the same model the loader uses.",
    )
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    add_force(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = dumps_schema()
    if args.output:
        refuse_overwrite(args.output, args.force)
        write_text_atomic(args.output, text)
    else:
        print(text, end="")
    return 0
