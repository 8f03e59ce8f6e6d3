"""How long `healthkit import` takes on a large saved web page (the goal: a 1 MB page in at
most 2 s), against trafilatura's own extraction of the same page in the same run.

The page is one of the test articles grown to the size asked for with what makes real pages
large: inline scripts, styles, menus and related-article lists around the article.

    .venv/bin/python benchmarks/bench_import.py [--size-mb 1] [--runs 5] [--write-doc]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "fixtures" / "publishers" / "tonsillitis.html"


def big_page(size: int) -> bytes:
    page = ARTICLE.read_text(encoding="utf-8")
    filler = (
        "<script>window.dataLayer=window.dataLayer||[];" + "track('view',{a:1,b:2,c:3});" * 40 + "</script>"
        "<style>" + ".menu li a{color:#005eb8;padding:4px}" * 40 + "</style>"
        "<nav class='menu'><ul>" + "".join(f"<li><a href='/c/{i}'>Condition {i}</a></li>" for i in range(60)) + "</ul></nav>"
        "<aside class='related'><h2>Related articles</h2><ul>" + "".join(f"<li><a href='/r/{i}'>Story {i}</a></li>" for i in range(30)) + "</ul></aside>"
    )
    head, tail = page.split("</body>", 1)
    parts = [head]
    while sum(len(p) for p in parts) < size:
        parts.append(filler)
    return ("".join(parts) + "</body>" + tail).encode("utf-8")


def _time(run: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-doc", action="store_true", help="update the import section of docs/benchmarks.md")
    args = parser.parse_args()

    import trafilatura

    from healthkit.importer import imports_article

    data = big_page(int(args.size_mb * 1024 * 1024))
    html = data.decode("utf-8")
    ours = _time(lambda: imports_article(data, "page.html", today=dt.date.today()), args.runs)
    plain = _time(lambda: trafilatura.extract(html, output_format="html", include_formatting=True), args.runs)
    lines = [
        "## Import",
        "",
        f"A {len(data) / 1024 / 1024:.2f} MB saved web page (`benchmarks/bench_import.py`, median of {args.runs} runs, one process):",
        "",
        "| what | seconds |",
        "|---|---|",
        f"| `healthkit import` (extraction, metadata, sections, draft YAML) | {ours:.2f} |",
        f"| trafilatura's extraction alone, same page | {plain:.2f} |",
        "",
        "The goal is at most 2 s for a 1 MB page.",
    ]
    print("\n".join(lines))
    if args.write_doc:
        from bench_doc import replace_section

        replace_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
