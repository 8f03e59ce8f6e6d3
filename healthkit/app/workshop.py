"""A workshop folder: everything an educator hands out, built in one go."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..content import load_catalog
from ..content.loader import require_known
from ..exporters.lms import bank, export
from ..lesson.render import review_status_text
from ..model import Condition
from ..registry import QUIZ_FORMATS
from ..io import write_bytes_atomic, write_text_atomic
from .build import BuildOptions, BuildReport, Progress, build
from .bundle import install_steps, write_install_files
from .cache import CACHE_NAME


@dataclass(frozen=True)
class WorkshopOptions:
    ids: tuple[str, ...]
    out_dir: Path
    content_dir: Path
    template: Path | None = None
    jobs: int = 0
    title: str = "Health workshop"
    zip: bool = False
    #: Also put a Lite site (the lessons running in the browser) in ``lite/``.
    lite: bool = False


LITE_README = """
## Run the lessons in a web browser, with nothing to install

`lite/` is the lessons in JupyterLab running inside the browser. Serve the folder over HTTP
(browsers do not run it from `file://`), for example with `python -m http.server -d lite
--bind 127.0.0.1`, and open the address it prints. It needs no internet connection. Put
`lite/` on any static web host to share it.
"""


def participant_readme(title: str, conditions: list[Condition], lite: bool = False) -> str:
    lessons = "\n".join(f"- {c.title}: {review_status_text(c)}" for c in conditions)
    return f"""# {title}

Lessons in this pack:

{lessons}

## Read the lessons in a web browser (no installation)

Open `site/index.html`. Each lesson works offline; quiz answers stay in your browser.
{LITE_README if lite else ""}
## Use the lessons in JupyterLab

{install_steps("lessons")}
Then answer the quizzes.

## On Binder or a JupyterHub

Upload this folder (or its zip) to your JupyterHub and run the pip commands above there, or
put the folder in a Git repository and open it on Binder: Binder reads `environment.yml`
and installs the wheel from the folder. Then open a notebook in `lessons/` and choose
**Run > Run All Cells**.

## For the facilitator

- `teacher/` holds the teacher edition: answer keys, facilitator notes, an answer sheet.
- `quizzes/` holds the questions for Moodle (GIFT, Moodle XML) and Canvas (QTI zip).

This material is for learning only. It is not medical advice.
"""


def make_workshop(options: WorkshopOptions, progress: Progress | None = None) -> BuildReport:
    """Build the pack into ``out_dir`` (and ``out_dir.zip`` if asked); returns the build report."""
    catalog = load_catalog(options.content_dir)
    require_known(options.ids, catalog.ids)
    ids = options.ids or catalog.ids
    out = options.out_dir
    content = out / "content"
    content.mkdir(parents=True, exist_ok=True)
    for cid in ids:  # the notebooks read their content from ../content, inside the pack
        shutil.copy2(options.content_dir / f"{cid}.yaml", content / f"{cid}.yaml")
    report = build(
        BuildOptions(content_dir=content, out_dir=out, ids=tuple(ids), editions=("learner", "teacher"), template=options.template, jobs=options.jobs),
        progress,
    )
    banks = [bank(catalog[cid], others=[catalog[c] for c in ids]) for cid in ids]  # as the pack's lessons see them
    for fmt, spec in QUIZ_FORMATS.items():
        write_bytes_atomic(out / "quizzes" / spec.workshop_name, export(banks, fmt))
    write_install_files(out)
    write_text_atomic(out / "README.md", participant_readme(options.title, [catalog[c] for c in ids], options.lite))
    (out / CACHE_NAME).unlink(missing_ok=True)
    if options.lite:
        from .lite import LiteOptions, make_lite

        lite = make_lite(LiteOptions(out / "lite", tuple(ids), options.content_dir, template=options.template, jobs=options.jobs, title=options.title))
        report.results.extend(r for r in lite.lessons.results if r.status == "failed")
    if options.zip:
        archive = out.with_suffix(".zip")
        tmp = archive.with_name(archive.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    z.write(path, Path(out.name) / path.relative_to(out))
        tmp.replace(archive)
    return report
