"""``healthkit preview``: serve the course site, and rebuild and reload it on every save."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from .options import add_content, add_edition, add_ids, add_jobs, add_port, add_region, add_template, editions


def register(sub: Any) -> None:
    from ..preview import DEFAULT_PORT

    p = sub.add_parser(
        "preview",
        help="serve the lessons on this computer and update them as you edit",
        description="Build the lessons, serve the course site on 127.0.0.1 (the layout of build/site: / is "
        "the index, /ID.html each lesson), then watch the content folder, the template and healthkit's own "
        "files, and rebuild only what each save changed, with workers and kernels that stay warm. Open "
        "pages reload by themselves; a content error is shown over the page as PATH:LINE:COL: message, and "
        "the next good save brings the lesson back. Ctrl+C stops everything.",
        epilog="Examples: 'healthkit preview', 'healthkit preview back-spasms --open', 'healthkit preview --port 0'",
    )
    add_ids(p, "conditions to preview")
    add_content(p)
    p.add_argument("--out", type=Path, default=Path("build/preview"), metavar="DIR", help="the preview's own output folder (default: build/preview)")
    add_port(p, DEFAULT_PORT, "the preview on 127.0.0.1")
    p.add_argument("--open", action="store_true", help="open the course index in the web browser")
    add_edition(p)
    add_region(p)
    add_template(p)
    add_jobs(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..app.preview import PreviewOptions, preview
    from ..app.startup import skip_unused_format_checker
    from ..distribution import require

    require("build", "healthkit preview")
    skip_unused_format_checker()
    options = PreviewOptions(
        content_dir=args.content, out_dir=args.out, ids=tuple(args.ids), editions=editions(args),
        region=args.region, template=args.template, jobs=args.jobs, port=args.port,
    )

    def say(text: str) -> None:
        print(f"healthkit: {text}", file=sys.stderr, flush=True)

    def ready(url: str) -> None:
        print(f"Previewing {options.content_dir}/ at {url}  (on this computer only; Ctrl+C stops)", flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(url)

    # Ctrl+C is how a preview ends, even when started from a shell that ignores it in
    # background jobs (which Python would otherwise inherit).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        preview(options, say, ready)
    except KeyboardInterrupt:
        say("preview stopped")
    return 0
