"""``healthkit check``: validate and lint condition files, reporting every problem."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterable

from ..content import CheckResult, check_file
from ..content.loader import SUFFIXES
from ..content.readability import reading_levels
from ..errors import Diagnostic
from .options import add_region
from .table import render_table


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="validate and lint condition files",
        description="Validate and lint condition files. Prints every problem as "
        "PATH:LINE:COL: error|warning: message (key.path), then a summary table. "
        "Exit status is 1 if any file has an error, 0 otherwise.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: content/)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only, no summary table")
    p.add_argument(
        "--quiz-report", action="store_true",
        help="also report how far knowledge-free strategies (always first, always last, longest, shortest, most "
        "words shared with the prompt, absolute word means False, all but one) get against chance, per condition "
        "and overall, for authored and generated questions, as shown in lessons and in the whole export bank",
    )
    add_region(p, "also warn on words of other regions' services (NHS, A&E, 911 ...) that lessons built for this region would show")
    p.set_defaults(run=run)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    files: list[Path] = []
    missing: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
        elif path.exists():
            files.append(path)
        else:
            missing.append(Diagnostic(str(path), 0, 0, "error", "no such file or folder"))
    return files, missing


def _row(result: CheckResult) -> dict[str, Any]:
    errors = sum(d.severity == "error" for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    row: dict[str, Any] = {"file": result.path, "ok": result.ok, "errors": errors, "warnings": warnings}
    c = result.condition
    if c is not None:
        whole, _ = reading_levels(c)
        row.update(
            id=c.id,
            status=c.status,
            items=sum(len(s.items) for _, s in c.sections.items()),
            faq=len(c.faq),
            quiz=len(c.quiz),
            grade=whole.grade,
            smog=whole.smog,
            flesch_kincaid=round(whole.flesch_kincaid, 1),
        )
    return row


def _quiz_report(results: list[CheckResult]) -> Any:
    from ..quiz.cues import quiz_report

    return quiz_report([r.condition for r in results if r.condition is not None])


def run(args: argparse.Namespace) -> int:
    files, missing = expand(args.paths or [Path("content")])
    results = [check_file(f, region=args.region) for f in files]
    if missing:
        results.append(CheckResult("<arguments>", None, tuple(missing)))
    rows = [_row(r) for r in results if r.path != "<arguments>"]
    failed = any(not r.ok for r in results)
    if args.format == "json":
        payload: dict[str, Any] = {
            "ok": not failed,
            "files": rows,
            "diagnostics": [d.to_dict() for r in results for d in r.diagnostics],
        }
        if args.quiz_report:
            per, overall = _quiz_report(results)
            payload["quiz_report"] = [r.to_dict() for r in (*per, overall)]
        print(json.dumps(payload, indent=2, default=str))
        return 1 if failed else 0
    for r in results:
        for d in r.diagnostics:
            print(d.format())
    if not files and not missing:
        print("healthkit check: no condition files found", file=sys.stderr)
    if not args.quiet and rows:
        headers = ["file", "status", "items", "faq", "quiz", "grade", "errors", "warnings"]
        table = [[str(row.get(h, "-")) for h in headers] for row in rows]
        print()
        print(render_table(headers, table))
    if args.quiz_report:
        from ..quiz.cues import report_lines

        print("\nKnowledge-free strategies against chance (first try):")
        print("\n".join(report_lines(*_quiz_report(results))))
    errors = sum(row["errors"] for row in rows) + len(missing)
    print(f"\n{len(rows)} file(s) checked: {errors} error(s), {sum(r['warnings'] for r in rows)} warning(s)")
    return 1 if failed else 0
