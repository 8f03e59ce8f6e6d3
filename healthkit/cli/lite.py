"""``healthkit lite``: the lessons in JupyterLab running in the browser, as a static folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..registry import DEFAULT_COURSE_TITLE
from .options import add_content, add_edition, add_force, add_ids, add_jobs, add_port, add_region, add_template, add_title, editions
from .table import plural


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lite",
        help="build a static JupyterLite site: the lessons run in the browser, offline",
        description="Build a folder that runs the lessons in JupyterLab inside the web browser "
        "(JupyterLite with Pyodide): no Python, no server, no network for learners. Put it on any "
        "static web host or a USB stick and serve it over HTTP (browsers do not run it from "
        "file://): 'healthkit lite --serve' or 'python -m http.server -d DIR --bind 127.0.0.1'. "
        "Building downloads pinned, hash-checked inputs once into the user's cache folder.",
        epilog="Examples: 'healthkit lite -o build/lite --zip', 'healthkit lite back-spasms -o build/lite --serve'",
    )
    add_ids(p)
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="site folder to create or replace (default: build/lite)", default=Path("build/lite"))
    add_content(p)
    add_edition(p)
    add_region(p)
    add_title(p, DEFAULT_COURSE_TITLE, "title of the site and its welcome page")
    p.add_argument("--zip", action="store_true", help="also write DIR.zip (an existing one is replaced only with --force)")
    add_force(p, help="build into a folder that is not empty (its other files are left alone), replace files of the "
              "site that were changed since, and replace an existing DIR.zip")
    p.add_argument("--pyodide", type=Path, metavar="PATH", help="local copy of Pyodide's npm tarball (pyodide-VERSION.tgz) or its unpacked folder, instead of downloading it")
    p.add_argument("--offline", action="store_true", help="never download: fail unless every input is already in the cache")
    p.add_argument("--download-only", action="store_true", help="only download and verify the inputs into the cache, then stop")
    p.add_argument("--serve", action="store_true", help="after building, serve the site on 127.0.0.1 until Ctrl+C")
    add_port(p)
    p.add_argument("--no-build", action="store_true", help="with --serve: serve DIR as it is, without building it again")
    add_template(p)
    add_jobs(p)
    p.set_defaults(run=run)


def _say(text: str) -> None:
    print(f"healthkit: {text}", file=sys.stderr)


def _download_only(args: argparse.Namespace) -> int:
    from ..lite.inputs import downloads_dir, ensure_inputs

    ensure_inputs(args.pyodide, args.offline, _say)
    print(f"Every input of a Lite site is in {downloads_dir()} and matches its pinned hash.")
    return 0


def _serve(site: Path, port: int) -> int:
    from ..lite.serve import make_server, start_url

    server = make_server(site, port)
    print(f"Serving {site} on this computer only. Open {start_url(server)}  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def run(args: argparse.Namespace) -> int:
    if args.download_only:
        return _download_only(args)
    if args.no_build:
        if not args.serve:
            _say("--no-build only goes with --serve")
            return 2
        return _serve(args.output, args.port)

    from ..app.build import describe_failure
    from ..app.lite import SIZE_BUDGET, LiteOptions, make_lite
    from ..app.startup import skip_unused_format_checker
    from ..distribution import require

    require("build", "healthkit lite")
    skip_unused_format_checker()
    options = LiteOptions(
        out_dir=args.output, content_dir=args.content, ids=tuple(args.ids), editions=editions(args), region=args.region,
        template=args.template, jobs=args.jobs, title=args.title, pyodide=args.pyodide, offline=args.offline, zip=args.zip,
        force=args.force,
    )
    report = make_lite(options, log=_say)
    for failed in (r for r in report.lessons.results if r.status == "failed"):
        _say(f"lesson failed: {describe_failure(failed)}")
    for warning in report.warnings:
        _say(f"warning: {warning}")
    if not report.published:
        _say(f"no site was written to {args.output}, because a lesson failed")
        return 1
    built = len({r.condition for r in report.lessons.results if r.status == "built"})
    print(
        f"Lite site: {report.out_dir} ({plural(built, 'lesson')}, {report.files} files, {report.size / 1e6:.1f} MB"
        + (f"; {report.archive}: {report.archive.stat().st_size / 1e6:.1f} MB" if report.archive else "")
        + f") in {report.seconds:.1f}s"
    )
    if report.size > SIZE_BUDGET:
        _say(f"the site is larger than the {SIZE_BUDGET / 1e6:.0f} MB budget")
    if args.serve:
        _serve(report.out_dir, args.port)
    else:
        print(f"Serve it with: healthkit lite --serve --no-build -o {report.out_dir}   (or: python -m http.server -d {report.out_dir} --bind 127.0.0.1)")
    return 0 if report.ok else 1
