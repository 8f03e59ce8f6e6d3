"""A workshop folder: everything an educator hands out, built in one go.

Plan, run, publish:

- *plan*: check everything that could stop the command before anything is built: the content
  (each file where it is; see :mod:`.sources`), the folder, the zip's name, and every file the
  pack will write (only regular files are replaced, never through a link out of the folder);
- *run*: assemble the pack in a staging folder beside the target;
- *publish*, only when every lesson built: move the files in, by the rule of :mod:`.owned`
  (a file of the pack someone changed since is kept, with a warning, unless ``force``), delete
  what the last run made and this one did not, and write the zip.

So a failure leaves no half-made pack, and a rerun never loses a file someone edited. The pack
holds exactly the files :func:`pack_names` lists, and the zip exactly what this run made: a
file someone else put in the folder is left alone and never packed.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..content import iter_content_files
from ..content.loader import neighbours
from ..errors import OutputError
from ..exporters.lms import bank, export
from ..io import refuse_unless_regular, remove_stale_staging, staging_folder, write_bytes_atomic, write_text_atomic, zip_entries
from ..lesson.render import review_status_text
from ..model import Condition
from ..registry import EDITIONS_SPEC, QUIZ_FORMATS
from .build import BuildOptions, BuildReport, Progress, build
from .install import install_files, install_steps, write_install_files
from .outputs import check_pack_dir
from .owned import Owned, check_targets, digests, foreign, foreign_warning, manifest_text, place, read_owned
from .site import page_path, site_dir
from .sources import Sources, check_sources, copy_sources

#: Records, inside a pack folder, the files the last run put there (never packed itself).
PACK_MANIFEST = ".healthkit-workshop.json"


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
    #: Write into a folder that is not empty, replace files of the pack that were changed
    #: since the last run, and replace an existing zip.
    force: bool = False
    #: Health services named in the lessons and quiz exports; "" means each condition's language decides.
    region: str = ""


def zip_path(out_dir: Path) -> Path:
    """``DIR/pack.v2`` -> ``DIR/pack.v2.zip``: the zip is named after the whole folder name."""
    real = Path(os.path.realpath(out_dir))
    return real.parent / f"{real.name}.zip"


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


def pack_names(ids: tuple[str, ...], content_files: list[Path], install: list[str], lite: Path | None = None) -> list[str]:
    """What a pack holds, as names relative to the pack folder: the learner notebooks, the
    teacher edition (notebooks and pages), the offline site, the quiz exports, the content
    the notebooks read, the ``install`` files (the healthkit wheel, requirements.txt,
    environment.yml; see :mod:`healthkit.app.install`), the participant README and, given
    the ``lite`` folder this run built, every file of that Lite site."""
    names: list[str] = []
    for cid in ids:
        names.append(f"{EDITIONS_SPEC['learner'].lesson_folder}/{cid}.ipynb")
        names.append(f"{EDITIONS_SPEC['teacher'].lesson_folder}/{cid}.ipynb")
        names.append(page_path(Path(), cid, "teacher").as_posix())
    site = site_dir(Path()).as_posix()
    names += [f"{site}/index.html", *(page_path(Path(), cid, "learner").as_posix() for cid in ids), f"{site}/lessons.zip"]
    names += [f"quizzes/{spec.workshop_name}" for spec in QUIZ_FORMATS.values()]
    names += [f"content/{path.name}" for path in content_files]
    names += install
    names.append("README.md")
    if lite is not None:
        names += sorted(f"lite/{p.relative_to(lite).as_posix()}" for p in lite.rglob("*") if p.is_file() and not p.is_symlink())
    return names


# -- plan ----------------------------------------------------------------------------------
def _plan(options: WorkshopOptions, sources: Sources) -> Owned:
    """Refuse, before any work, every pack that could not be made safely; returns what the
    last run recorded in the folder."""
    out = options.out_dir
    check_pack_dir(out, options.content_dir)
    owned = read_owned(out / PACK_MANIFEST)
    if out.is_dir() and any(out.iterdir()) and not (out / PACK_MANIFEST).is_file() and not options.force:
        raise OutputError(f"-o {out} is not empty and is not a pack this command made; name a new folder, or pass --force to add the pack to it (other files are left alone and not packed)", str(out))
    if options.zip:
        archive = zip_path(out)
        if refuse_unless_regular(archive) and not options.force:
            raise OutputError(f"{archive} exists; pass --force to overwrite it", str(archive))
    if out.is_dir():
        check_targets(out, pack_names(sources.ids, list(sources.files.values()), list(install_files())), owned)
    return owned


# -- run -----------------------------------------------------------------------------------
def _assemble(root: Path, options: WorkshopOptions, sources: Sources, progress: Progress | None) -> tuple[BuildReport, list[str]]:
    content = root / "content"
    content.mkdir()
    copy_sources(sources, content)  # the notebooks read their content from ../content, inside the pack
    report = build(
        BuildOptions(
            content_dir=content, out_dir=root, ids=sources.ids, editions=("learner", "teacher"), template=options.template,
            jobs=options.jobs, region=options.region,
        ),
        progress,
    )
    conditions = list(sources.conditions)
    packed = {p.stem: p for p in iter_content_files(content)}  # what the pack's lessons read
    loaded: dict[str, Condition | None] = {c.id: c for c in conditions}
    banks = [bank(c, region=options.region, others=neighbours(c, packed, loaded)) for c in conditions]
    for fmt, spec in QUIZ_FORMATS.items():
        write_bytes_atomic(root / "quizzes" / spec.workshop_name, export(banks, fmt))
    install = [path.relative_to(root).as_posix() for path in write_install_files(root)]
    write_text_atomic(root / "README.md", participant_readme(options.title, conditions, options.lite))
    lite = None
    if options.lite and report.ok:
        from .lite import LiteOptions, make_lite

        lite = root / "lite"
        made = make_lite(
            LiteOptions(lite, options.content_dir, sources.ids, template=options.template, jobs=options.jobs, title=options.title, region=options.region)
        )
        report.results.extend(r for r in made.lessons.results if r.status == "failed")
    return report, pack_names(sources.ids, list(sources.files.values()), install, lite)


# -- publish -------------------------------------------------------------------------------
def _publish(staging: Path, names: list[str], options: WorkshopOptions, owned: Owned) -> list[str]:
    """Move the pack into place and write its zip; returns warnings (files kept or left alone)."""
    out = options.out_dir
    new = digests(staging, names)
    archive = None
    if options.zip:  # exactly what this run made, even where a changed file is kept
        top = Path(os.path.realpath(out)).name
        archive = zip_entries((f"{top}/{name}", staging / name) for name in names)
    placed = place(staging, new, out, owned, options.force, lambda files: write_text_atomic(out / PACK_MANIFEST, manifest_text(files)))
    if archive is not None:
        write_bytes_atomic(zip_path(out), archive)
    return placed.warnings + foreign_warning(out, foreign(out, new, skip={PACK_MANIFEST}))


def make_workshop(options: WorkshopOptions, progress: Progress | None = None) -> BuildReport:
    """Build the pack into ``out_dir`` (and ``out_dir``'s name + ``.zip`` if asked).

    Returns the build report; when a lesson failed, no pack is written (the report says why).
    """
    sources = check_sources(options.content_dir, options.ids)
    owned = _plan(options, sources)
    out = options.out_dir
    target = Path(os.path.realpath(out))
    remove_stale_staging(target)
    staging = staging_folder(target)
    try:
        report, names = _assemble(staging, options, sources, progress)
        if not report.ok:
            report.warnings.append(f"no pack was written to {out}, because a lesson failed")
            return report
        report.warnings += _publish(staging, names, options, owned)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
