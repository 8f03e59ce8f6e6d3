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
from .cache import CACHE_NAME
from .site import environment_file



@dataclass(frozen=True)
class WorkshopOptions:
    ids: tuple[str, ...]
    out_dir: Path
    content_dir: Path = Path("content")
    template: Path | None = None
    jobs: int = 0
    title: str = "Health workshop"
    zip: bool = False


def participant_readme(title: str, conditions: list[Condition]) -> str:
    lessons = "\n".join(f"- {c.title}: {review_status_text(c)}" for c in conditions)
    return f"""# {title}

Lessons in this pack:

{lessons}

## Read the lessons in a web browser (no installation)

Open `site/index.html`. Each lesson works offline; quiz answers stay in your browser.

## Use the lessons in JupyterLab

1. Install the environment, with conda: `conda env create -f environment.yml`,
   then `conda activate healthkit`; or with pip: `pip install healthkit jupyterlab`.
2. Start JupyterLab in this folder: `jupyter lab`.
3. Open a notebook in `lessons/` and choose **Run > Run All Cells**. Then answer the quizzes.

## On Binder or a JupyterHub

Upload this folder (or its zip) to your JupyterHub, or put it in a Git repository and open
it on Binder: `environment.yml` tells Binder what to install. Then follow step 3 above.

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
    banks = [bank(catalog[cid]) for cid in ids]
    for fmt, spec in QUIZ_FORMATS.items():
        write_bytes_atomic(out / "quizzes" / spec.workshop_name, export(banks, fmt))
    environment = environment_file()
    if environment is not None:
        shutil.copy2(environment, out / "environment.yml")
    write_text_atomic(out / "README.md", participant_readme(options.title, [catalog[c] for c in ids]))
    (out / CACHE_NAME).unlink(missing_ok=True)
    if options.zip:
        archive = out.with_suffix(".zip")
        tmp = archive.with_name(archive.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    z.write(path, Path(out.name) / path.relative_to(out))
        tmp.replace(archive)
    return report
