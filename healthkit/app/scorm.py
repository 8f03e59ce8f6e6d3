"""SCORM packages for learning platforms: plan, render the lessons, package their pages.

The lessons are rendered by the build (in a temporary folder this module owns and removes);
their pages are then exported for a package (no links to other pages, the SCORM adapter
inline) and zipped by :mod:`healthkit.exporters.scorm`. Nothing here writes an output file:
the caller gets the packages as bytes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import check_file, iter_content_files
from ..content.loader import require_known
from ..errors import ParameterError
from ..io import remove_stale_staging, staging_folder
from ..model import Condition
from ..registry import DEFAULT_COURSE_TITLE, DEFAULT_PASSING_SCORE, DEFAULT_SCORM_STANDARD, SCORM_STANDARDS
from .build import BuildOptions, LessonResult, Progress, build, check_options, file_info
from .site import index_entry


@dataclass(frozen=True)
class ScormOptions:
    #: The folder of condition files (the command line's ``--content``, default ``content``).
    content_dir: Path
    ids: tuple[str, ...] = ()
    standard: str = DEFAULT_SCORM_STANDARD
    #: Pass mark in percent for every lesson; None: each lesson's ``passing_score``, else 80.
    passing: int | None = None
    #: Report completion only: no pass mark (SCORM 1.2 "completed", 2004 success "unknown").
    completion_only: bool = False
    edition: str = "learner"
    region: str = ""
    #: One package per lesson instead of one package with a lesson (SCO) each.
    split: bool = False
    #: Title of the package (default: the lesson's, or :data:`DEFAULT_COURSE_TITLE` for several).
    title: str = ""
    template: Path | None = None
    jobs: int = 0
    #: Put the standard's XML Schema files beside the manifest.
    schemas: bool = True


@dataclass(frozen=True)
class Package:
    """One zip to write: ``name`` is the lesson id (with --split) or "" for the one package."""

    name: str
    data: bytes
    lessons: tuple[str, ...]


@dataclass(frozen=True)
class ScormPlan:
    """The conditions to package, and those whose content is invalid (reported, not packaged)."""

    conditions: list[Condition]
    failed: list[LessonResult]


@dataclass
class ScormReport:
    packages: list[Package] = field(default_factory=list)
    #: Lessons that could not be rendered, with their errors.
    failed: list[LessonResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


# -- plan -----------------------------------------------------------------------------------
def _build_options(options: ScormOptions, out_dir: Path, ids: tuple[str, ...] = ()) -> BuildOptions:
    """How the lessons of a package are rendered: notebooks only, from scratch."""
    return BuildOptions(
        content_dir=options.content_dir, out_dir=out_dir, ids=ids, editions=(options.edition,), template=options.template,
        jobs=options.jobs, html=False, force=True, region=options.region,
    )


def _validate(options: ScormOptions) -> None:
    """The build's own check of the edition and region, and what only SCORM asks for."""
    check_options(_build_options(options, options.content_dir))
    if options.standard not in SCORM_STANDARDS:
        raise ParameterError(f"SCORM standard {options.standard!r} is not known; use one of: {', '.join(SCORM_STANDARDS)}")
    if options.passing is not None and not 1 <= options.passing <= 100:
        raise ParameterError(f"pass mark {options.passing} is not a percentage from 1 to 100")


def plan(options: ScormOptions) -> ScormPlan:
    """The conditions to package, and those whose content is invalid (reported, not packaged)."""
    _validate(options)
    files = {p.stem: p for p in iter_content_files(options.content_dir)}
    require_known(options.ids, files)
    ids = options.ids or tuple(files)
    if not ids:
        raise ParameterError(f"no condition files in {options.content_dir}; pass --content DIR")
    conditions: list[Condition] = []
    failed: list[LessonResult] = []
    for condition_id in dict.fromkeys(ids):
        result = check_file(files[condition_id], warnings=False)
        if result.ok and result.condition is not None:
            conditions.append(result.condition)
        else:
            first = next(d for d in result.diagnostics if d.severity == "error")
            failed.append(LessonResult(condition_id, options.edition, "failed", error=f"invalid content: {first.format()}"))
    return ScormPlan(conditions, failed)


def passing_score(options: ScormOptions, condition: Condition) -> int | None:
    if options.completion_only:
        return None
    if options.passing is not None:
        return options.passing
    return condition.passing_score or DEFAULT_PASSING_SCORE


#: The name the temporary folders lessons are rendered in for a package are made after
#: (``.healthkit-scorm.PID-XXXX.tmp`` in the system's temporary folder).
SCRATCH = "healthkit-scorm"


# -- run ------------------------------------------------------------------------------------
def render_notebooks(options: ScormOptions, conditions: list[Condition], progress: Progress | None = None) -> tuple[dict[str, Any], list[LessonResult]]:
    """Render the lessons in a temporary folder; returns their notebooks and the failures."""
    import nbformat

    if not conditions:
        return {}, []
    # a marked folder of this process: one a killed run left behind is removed by the next
    scratch = Path(tempfile.gettempdir()) / SCRATCH
    remove_stale_staging(scratch)
    tmp = staging_folder(scratch)
    try:
        report = build(_build_options(options, tmp, tuple(c.id for c in conditions)), progress)
        notebooks = {r.condition: nbformat.read(r.outputs[0], as_version=4) for r in report.results if r.status == "built"}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return notebooks, [r for r in report.results if r.status == "failed"]


# -- publish --------------------------------------------------------------------------------
def publish(options: ScormOptions, conditions: list[Condition], notebooks: dict[str, Any]) -> list[Package]:
    """Export each rendered lesson's page for a package and zip them."""
    from ..exporters.scorm import Sco, ScormPackage, identifier, package_index, package_page, package_zip

    suffix = "" if options.edition == "learner" else options.edition
    packaged = [c for c in conditions if c.id in notebooks]
    scos = []
    for condition in packaged:
        passing = passing_score(options, condition)
        page, resources = package_page(notebooks[condition.id], options.standard, passing)
        scos.append(Sco(condition.id, resources["hk"]["title"] or condition.title, page, passing))
    if options.split:
        return [
            Package(sco.id, package_zip(ScormPackage(identifier("healthkit", sco.id, suffix), sco.title, options.standard, (sco,), schemas=options.schemas)), (sco.id,))
            for sco in scos
        ]
    if not scos:
        return []
    ids = tuple(s.id for s in scos)
    if len(scos) == 1:
        package = ScormPackage(identifier("healthkit", ids[0], suffix), options.title or scos[0].title, options.standard, tuple(scos), schemas=options.schemas)
    else:
        title = options.title or DEFAULT_COURSE_TITLE
        package = ScormPackage(
            identifier("healthkit", *ids, suffix), title, options.standard, tuple(scos),
            index=package_index(title, [index_entry(file_info(c), "") for c in packaged]), schemas=options.schemas,
        )
    return [Package("", package_zip(package), ids)]


def make_scorm(options: ScormOptions, progress: Progress | None = None, planned: ScormPlan | None = None) -> ScormReport:
    """Plan (unless given the :func:`plan` of these options), render and package. With several
    lessons and no ``split``, a lesson that fails means no package (one with a lesson missing
    would mislead); with ``split`` the others are still packaged."""
    planned = planned or plan(options)
    notebooks, render_failed = render_notebooks(options, planned.conditions, progress)
    report = ScormReport(failed=planned.failed + render_failed)
    if report.failed and not options.split:
        return report
    report.packages = publish(options, planned.conditions, notebooks)
    return report
