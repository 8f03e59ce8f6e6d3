"""A workshop folder: everything an educator hands out, built in one go.

The pack is assembled in a hidden folder beside the target and moved into place only when
every lesson built, so a failure leaves no half-made pack. It holds exactly the files
:func:`pack_files` lists (the zip too): a file someone else put in the folder is left alone
and never packed. Everything that could stop the command (the folder, the zip's name, a
file in the way) is checked before anything is built.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..content import iter_content_files, load_catalog
from ..content.loader import neighbours
from ..errors import OutputError
from ..exporters.lms import bank, export
from ..io import refuse_unless_regular, write_bytes_atomic, write_text_atomic
from ..lesson.render import review_status_text
from ..model import Condition
from ..registry import EDITIONS_SPEC, QUIZ_FORMATS
from .build import BuildOptions, BuildReport, Progress, build
from .bundle import BundleFile, write_zip
from .cache import digest_bytes_file
from .install import install_steps, write_install_files
from .outputs import check_out_dir, inside
from .site import page_path, site_dir

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
    #: Write into a folder that is not empty, and replace an existing zip.
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


def pack_files(root: Path, ids: list[str], content_files: list[Path], install: list[str], with_lite: bool = False) -> list[BundleFile]:
    """What a pack holds, as entries relative to the pack folder ``root``: the learner
    notebooks, the teacher edition (notebooks and pages), the offline site, the quiz exports,
    the content the notebooks read, the ``install`` files (the healthkit wheel,
    requirements.txt, environment.yml; see :mod:`healthkit.app.install`), the participant
    README and, with ``with_lite``, every file of the Lite site this run built in ``root/lite``."""
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
    if with_lite:
        names += sorted(p.relative_to(root).as_posix() for p in (root / "lite").rglob("*") if p.is_file() and not p.is_symlink())
    return [BundleFile(name, root / name) for name in names]


def _check(options: WorkshopOptions) -> None:
    """Refuse, before any work, every pack that could not be made safely."""
    out, content = options.out_dir, options.content_dir
    if inside(Path.cwd(), out):
        raise OutputError(f"-o {out} is the current folder (or holds it); name a new folder for the pack, e.g. -o workshop", str(out))
    if inside(content, out):
        raise OutputError(f"-o {out} is or holds the content folder {content}; name a new folder for the pack", str(out))
    if out.exists() and not out.is_dir():
        raise OutputError(f"-o {out} is not a folder; name a new folder for the pack", str(out))
    if out.is_dir() and any(out.iterdir()) and not (out / PACK_MANIFEST).is_file() and not options.force:
        raise OutputError(f"-o {out} is not empty and is not a pack this command made; name a new folder, or pass --force to add the pack to it (other files are left alone and not packed)", str(out))
    if options.zip:
        archive = zip_path(out)
        if refuse_unless_regular(archive) and not options.force:
            raise OutputError(f"{archive} exists; pass --force to overwrite it", str(archive))
    check_out_dir(Path(os.path.realpath(out)).parent, option="the folder of -o")


def _assemble(root: Path, options: WorkshopOptions, catalog_ids: list[str], files: dict[str, Path], conditions: list[Condition], progress: Progress | None) -> tuple[BuildReport, list[BundleFile]]:
    content = root / "content"
    content.mkdir()
    for cid in catalog_ids:  # the notebooks read their content from ../content, inside the pack
        shutil.copyfile(files[cid], content / files[cid].name)
    report = build(
        BuildOptions(content_dir=content, out_dir=root, ids=tuple(catalog_ids), editions=("learner", "teacher"), template=options.template, jobs=options.jobs, region=options.region),
        progress,
    )
    packed = {p.stem: p for p in iter_content_files(content)}  # what the pack's lessons read
    loaded: dict[str, Condition | None] = {c.id: c for c in conditions}
    banks = [bank(c, region=options.region, others=neighbours(c, packed, loaded)) for c in conditions]
    for fmt, spec in QUIZ_FORMATS.items():
        write_bytes_atomic(root / "quizzes" / spec.workshop_name, export(banks, fmt))
    install = [path.relative_to(root).as_posix() for path in write_install_files(root)]
    write_text_atomic(root / "README.md", participant_readme(options.title, conditions, options.lite))
    if options.lite:
        from .lite import LiteOptions, make_lite

        lite = make_lite(LiteOptions(root / "lite", tuple(catalog_ids), options.content_dir, template=options.template, jobs=options.jobs, title=options.title, region=options.region))
        report.results.extend(r for r in lite.lessons.results if r.status == "failed")
    return report, pack_files(root, catalog_ids, [files[cid] for cid in catalog_ids], install, options.lite)


def _previous(out: Path) -> dict[str, str]:
    """The files (and their digests) the last run put in ``out``; {} if unknown."""
    try:
        data = json.loads((out / PACK_MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        if isinstance(files, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            return files
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        pass
    return {}


def _publish(entries: list[BundleFile], out: Path) -> list[BundleFile]:
    """Move the assembled files into ``out``; remove what the last run put there and this one
    did not (while unchanged); returns the entries at their new place."""
    out.mkdir(parents=True, exist_ok=True)
    old = _previous(out)
    placed: dict[str, str] = {}
    published = []
    for entry in entries:
        assert entry.source is not None
        target = out / entry.name
        target.parent.mkdir(parents=True, exist_ok=True)
        refuse_unless_regular(target)
        os.replace(entry.source, target)
        placed[entry.name] = digest_bytes_file(target)
        published.append(BundleFile(entry.name, target))
    for name, digest in old.items():
        stale = out / name
        parts = PurePosixPath(name).parts
        if name not in placed and ".." not in parts and not PurePosixPath(name).is_absolute() and inside(stale, out):
            if stale.is_file() and not stale.is_symlink() and digest_bytes_file(stale) == digest:
                stale.unlink()
    write_text_atomic(out / PACK_MANIFEST, json.dumps({"files": placed}, indent=1))
    return published


def make_workshop(options: WorkshopOptions, progress: Progress | None = None) -> BuildReport:
    """Build the pack into ``out_dir`` (and ``out_dir``'s name + ``.zip`` if asked).

    Returns the build report; when a lesson failed, no pack is written (the report says why).
    """
    catalog = load_catalog(options.content_dir, options.ids)
    ids = list(options.ids or catalog.ids)
    files = {p.stem: p for p in iter_content_files(options.content_dir)}
    _check(options)
    out = options.out_dir
    parent = Path(os.path.realpath(out)).parent
    staging = Path(tempfile.mkdtemp(prefix=f".{Path(os.path.realpath(out)).name}.", suffix=".tmp", dir=parent))
    try:
        report, entries = _assemble(staging, options, ids, files, [catalog[c] for c in ids], progress)
        if not report.ok:
            report.warnings.append(f"no pack was written to {out}, because a lesson failed")
            return report
        published = _publish(entries, out)
        if options.zip:
            top = Path(os.path.realpath(out)).name
            write_zip(zip_path(out), [BundleFile(f"{top}/{e.name}", e.source) for e in published])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
