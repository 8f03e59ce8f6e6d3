"""The build app: decide what to render, run it (in parallel), and write the results.

This is the only place that writes lesson files. Each lesson is rendered independently, so a
broken one is reported (with its cell and error) while the others still build, and every
file is written atomically.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal

import nbformat

from ..content import check_file, iter_content_files
from ..errors import BuildError, HealthkitError, ParameterError
from ..io import write_text_atomic
from ..lesson.render import EDITIONS
from ..render import LessonJob, execute_lesson, template_path

Status = Literal["built", "failed", "skipped"]


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("build")
    ids: tuple[str, ...] = ()
    editions: tuple[str, ...] = ("learner",)
    template: Path | None = None
    jobs: int = 0
    html: bool = True
    force: bool = False
    quiz_size: int = 8
    seed: int = 0

    def lesson_dir(self, edition: str) -> Path:
        return self.out_dir / ("lessons" if edition == "learner" else "teacher")


@dataclass
class LessonResult:
    condition: str
    edition: str
    status: Status
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    error: str = ""
    cell: int | None = None


@dataclass
class BuildReport:
    results: list[LessonResult]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results)

    def count(self, status: Status) -> int:
        return sum(r.status == status for r in self.results)


Progress = Callable[[LessonResult], None]


def plan(options: BuildOptions) -> tuple[list[LessonJob], list[LessonResult]]:
    """Jobs to run, and results for lessons that cannot run (bad content, unknown id)."""
    for edition in options.editions:
        if edition not in EDITIONS:
            raise ParameterError(f"edition {edition!r} is not valid; use one of: {', '.join(EDITIONS)}")
    template = template_path(options.template)
    files = {p.stem: p for p in iter_content_files(options.content_dir)}
    unknown = [i for i in options.ids if i not in files]
    if unknown:
        raise ParameterError(f"unknown condition(s): {', '.join(unknown)}; valid conditions: {', '.join(files) or '(none)'}")
    jobs: list[LessonJob] = []
    failed: list[LessonResult] = []
    for condition_id in options.ids or tuple(files):
        result = check_file(files[condition_id])
        if not result.ok:
            first = next(d for d in result.diagnostics if d.severity == "error")
            for edition in options.editions:
                failed.append(LessonResult(condition_id, edition, "failed", error=f"invalid content: {first.format()}"))
            continue
        for edition in options.editions:
            jobs.append(
                LessonJob(
                    condition=condition_id,
                    edition=edition,
                    content_dir=options.content_dir,
                    template=template,
                    lesson_dir=options.lesson_dir(edition),
                    quiz_size=options.quiz_size,
                    seed=options.seed,
                )
            )
    return jobs, failed


def render_one(job: LessonJob) -> tuple[str, float]:
    """Worker: execute one lesson and return it as notebook JSON text (never writes)."""
    started = time.perf_counter()
    nb, _ = execute_lesson(job)
    nbformat.validate(nb)
    return nbformat.writes(nb), time.perf_counter() - started


def _write(job: LessonJob, text: str, options: BuildOptions) -> list[Path]:
    path = job.lesson_dir / f"{job.condition}.ipynb"
    write_text_atomic(path, text)
    outputs = [path]
    if options.html:
        from .site import write_lesson_page

        outputs.append(write_lesson_page(nbformat.reads(text, as_version=4), job, options.out_dir))
    return outputs


def _finish(job: LessonJob, future: Future[tuple[str, float]], options: BuildOptions) -> LessonResult:
    try:
        text, seconds = future.result()
        return LessonResult(job.condition, job.edition, "built", seconds, _write(job, text, options))
    except BuildError as exc:
        return LessonResult(job.condition, job.edition, "failed", error=exc.message, cell=exc.cell)
    except HealthkitError as exc:
        return LessonResult(job.condition, job.edition, "failed", error=str(exc))
    except Exception as exc:  # a worker crash must not take the other lessons down
        return LessonResult(job.condition, job.edition, "failed", error=f"{type(exc).__name__}: {exc}")


class _Inline:
    """Executor stand-in for a single lesson: no worker process to start."""

    def submit(self, fn: Callable[[LessonJob], tuple[str, float]], job: LessonJob) -> Future[tuple[str, float]]:
        future: Future[tuple[str, float]] = Future()
        try:
            future.set_result(fn(job))
        except BaseException as exc:  # delivered through the future, like a pool would
            future.set_exception(exc)
        return future

    def __enter__(self) -> "_Inline":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Render every requested lesson; returns one result per lesson and edition."""
    started = time.perf_counter()
    jobs, results = plan(options)
    for r in results:
        if progress:
            progress(r)
    workers = options.jobs or os.cpu_count() or 1
    workers = max(1, min(workers, len(jobs)))
    # Fresh interpreters ("spawn"): forking a process that already talks to kernels over
    # ZeroMQ can kill the child.
    pool = _Inline() if workers == 1 else ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    with pool as executor:
        futures = {executor.submit(render_one, job): job for job in jobs}
        for future in as_completed(futures):
            result = _finish(futures[future], future, options)
            results.append(result)
            if progress:
                progress(result)
    if options.html:
        from .site import write_index

        write_index(options, results)
    order = {(j.condition, j.edition): i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order.get((r.condition, r.edition), -1))
    return BuildReport(results, time.perf_counter() - started)


def describe_failure(result: LessonResult) -> str:
    where = f" (cell {result.cell})" if result.cell is not None else ""
    return f"{result.condition} [{result.edition}]{where}: {result.error}"
