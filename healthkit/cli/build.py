"""``healthkit build``: render lessons (notebooks and offline HTML) from condition files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..app.build import BuildOptions, LessonResult, build, describe_failure
from .options import add_content, add_edition, add_force, add_ids, add_jobs, add_region, add_template, editions
from .table import render_table


def register(sub: Any) -> None:
    p = sub.add_parser(
        "build",
        help="render lessons from condition files",
        description="Render one lesson notebook per condition with papermill, then an offline HTML "
        "page per lesson and a course index. A lesson that fails is reported with its cell and "
        "error; the others still build. Files are written atomically. Progress goes to standard "
        "error: a bar on a terminal, one plain line per lesson otherwise (logs, pipes, CI).",
        epilog="Examples: 'healthkit build' (everything), 'healthkit build back-spasms --edition both'",
    )
    add_ids(p, "conditions to build")
    add_content(p)
    p.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: build)")
    add_edition(p)
    add_region(p)
    add_template(p)
    add_jobs(p)
    p.add_argument("--html", dest="html", action="store_true", default=True, help="also write offline HTML pages and the course index (default)")
    p.add_argument("--no-html", dest="html", action="store_false", help="write notebooks only")
    add_force(p, help="rebuild even when nothing changed")
    p.add_argument("--quiz-size", type=int, default=8, metavar="N", help="questions in each final quiz (default: 8)")
    p.add_argument("--seed", type=int, default=0, help="seed for generated questions and the order of options (default: 0)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or table, only failures")
    p.set_defaults(run=run)


class LogLines:
    """Progress for logs and pipes: one plain line per lesson on stderr (failures even if quiet)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.done = 0
        self.total = 0

    def planned(self, total: int) -> None:
        self.total = total

    def progress(self, result: LessonResult) -> None:
        self.done += 1
        if result.status == "failed":
            print(f"healthkit: lesson failed: {describe_failure(result)}", file=sys.stderr, flush=True)
        elif not self.quiet:
            took = f" in {result.seconds:.1f}s" if result.seconds else ""
            status = "unchanged" if result.status == "skipped" else result.status
            print(f"[{self.done}/{self.total}] {result.condition} [{result.edition}]: {status}{took}", file=sys.stderr, flush=True)

    def close(self) -> None:
        pass


class ProgressBar:
    """Progress for a terminal: one bar, redrawn in place."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(desc="Building lessons", unit="lesson", file=sys.stderr, leave=False)

    def planned(self, total: int) -> None:
        self.bar.reset(total=total)

    def progress(self, result: LessonResult) -> None:
        self.bar.update(1)
        self.bar.set_postfix_str(f"{result.condition}: {result.status}")
        if result.status == "failed":
            self.bar.write(f"healthkit: lesson failed: {describe_failure(result)}", file=sys.stderr)

    def close(self) -> None:
        self.bar.close()


def reporter(quiet: bool) -> LogLines | ProgressBar:
    """A bar when standard error is a terminal, plain lines otherwise (and when quiet)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return ProgressBar() if not quiet and isatty is not None and isatty() else LogLines(quiet=quiet)


def run(args: argparse.Namespace) -> int:
    from ..app.startup import skip_unused_format_checker
    from ..distribution import require

    require("build", "healthkit build")
    skip_unused_format_checker()

    options = BuildOptions(
        content_dir=args.content,
        out_dir=args.out,
        ids=tuple(args.ids),
        editions=editions(args),
        region=args.region,
        template=args.template,
        jobs=args.jobs,
        html=args.html,
        force=args.force,
        quiz_size=args.quiz_size,
        seed=args.seed,
    )
    shown = reporter(args.quiet)
    try:
        report = build(options, shown.progress, on_plan=shown.planned)
    finally:
        shown.close()
    for warning in report.warnings:
        print(f"healthkit: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        rows = [
            [r.condition, r.edition, r.status, f"{r.seconds:.1f}s" if r.seconds else "-", str(r.outputs[0]) if r.outputs else (r.error[:60])]
            for r in report.results
        ]
        print(render_table(["lesson", "edition", "result", "time", "output"], rows))
        print(
            f"\n{report.count('built')} built, {report.count('exported')} pages updated, {report.count('skipped')} unchanged, "
            f"{report.count('failed')} failed in {report.seconds:.1f}s -> {options.out_dir}/"
        )
        if options.html and report.count("built") + report.count("exported") + report.count("skipped"):
            print(f"Open {options.out_dir / 'site' / 'index.html'} in a browser, or the notebooks in JupyterLab.")
    return 0 if report.ok else 1
