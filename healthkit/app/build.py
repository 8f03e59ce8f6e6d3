"""The build engine: plan what to render, run it in parallel, publish the results.

This is the only place that writes lesson files, for ``healthkit build`` and ``healthkit
preview`` alike. Each lesson renders independently, so a broken one is reported (with its
cell and error) while the others still build; every file is written atomically; lessons
whose inputs did not change are skipped, and lessons whose page alone changed (a neighbour's
title in the navigation, the page's CSS, script or template) are exported again from their
stored notebook without running them (see :mod:`.cache`).

Work runs in worker processes, each with one warm kernel that is fully reset between
lessons (see :mod:`.workers`), and each exports its own HTML pages. A :class:`Builder` keeps
its workers between builds when asked (the preview); :func:`build` uses them for one build.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from ..content import CheckResult, check_file, iter_content_files
from ..content.loader import require_known
from ..content.readability import reading_levels, reading_minutes
from ..errors import BuildError, HealthkitError, ParameterError
from ..io import write_bytes_atomic
from ..lesson.render import review_overdue, review_status_text
from ..model import Condition
from ..registry import EDITIONS, EDITIONS_SPEC, REGIONS
from ..quiz.generate import needs_other_conditions
from ..render.execute import LessonJob, template_path
from .cache import BuildCache, FileInfo, content_digest, digest_bytes, notebook_code_digest, page_code_digest, today
from .outputs import check_out_dir
from .site import navigation, page_path, write_index
from .workers import InThisProcess, Rendered, Workers, default_jobs, export_page, render, worker_count

#: built: the lesson ran; exported: only its page was made again, from the stored notebook;
#: skipped: nothing changed; failed: invalid content or an error while it ran.
Status = Literal["built", "exported", "failed", "skipped"]

__all__ = [
    "BuildOptions", "BuildReport", "Builder", "LessonResult", "Progress", "build", "default_jobs", "describe",
    "describe_failure", "file_info", "worker_count",
]


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    ids: tuple[str, ...] = ()
    editions: tuple[str, ...] = ("learner",)
    template: Path | None = None
    jobs: int = 0
    html: bool = True
    force: bool = False
    quiz_size: int = 8
    seed: int = 0
    #: Health services named in the lessons; "" means each condition's language decides.
    region: str = ""

    def lesson_dir(self, edition: str) -> Path:
        return self.out_dir / EDITIONS_SPEC[edition].lesson_folder


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
    #: Things the user should know that did not stop the build (an ignored cache, a kept file).
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results)

    def count(self, status: Status) -> int:
        return sum(r.status == status for r in self.results)


@dataclass(frozen=True)
class Task:
    """One lesson to run, with what its page needs and the fingerprints to record."""

    job: LessonJob
    nav: dict[str, Any]
    html: bool
    key: str
    fingerprint: str
    notebook_fingerprint: str


@dataclass(frozen=True)
class PageTask:
    """One page to export again from its stored notebook (the lesson itself is unchanged)."""

    condition: str
    edition: str
    key: str
    nav: dict[str, Any]
    notebook_path: Path
    notebook: bytes
    fingerprint: str
    notebook_fingerprint: str


@dataclass
class Plan:
    """What a build will do: lessons to run, pages to export again, and the rest."""

    files: dict[str, Path]
    infos: dict[str, FileInfo]
    renders: list[Task]
    pages: list[PageTask]
    #: Results known without any work: unchanged (skipped) and invalid (failed) lessons.
    done: list[LessonResult]

    @property
    def total(self) -> int:
        return len(self.renders) + len(self.pages) + len(self.done)


Progress = Callable[[LessonResult], None]


def info_from_check(result: CheckResult, digest: str) -> FileInfo:
    """What navigation, the index and the cache keep of one checked content file."""
    if not result.ok or result.condition is None:
        first = next(d for d in result.diagnostics if d.severity == "error")
        return FileInfo(digest=digest, ok=False, error=first.format())
    return file_info(result.condition, digest)


def file_info(c: Condition, digest: str = "") -> FileInfo:
    """What the index, navigation and the cache keep of a valid condition."""
    whole, _ = reading_levels(c)
    on = today()
    next_review = c.clinical_review.next_review
    return FileInfo(
        digest=digest,
        ok=True,
        id=c.id,
        title=c.title,
        tagline=c.tagline,
        minutes=reading_minutes(c),
        grade=whole.grade,
        updated=c.updated.isoformat(),
        review=review_status_text(c, on),
        next_review=next_review.isoformat() if next_review else "",
        overdue=review_overdue(c, on),
        needs_others=needs_other_conditions(c),
        language=c.language,
    )


def describe(path: Path) -> FileInfo:
    """Check one content file and keep what navigation, the index and the cache need."""
    return info_from_check(check_file(path), content_digest(path))


# -- planning ------------------------------------------------------------------------------
def _notebook_fingerprint(options: BuildOptions, info: FileInfo, template: str, others: str, edition: str) -> str:
    """Everything that can change the lesson notebook (not its page)."""
    parts = {
        "content": info.digest,
        "template": template,
        "code": notebook_code_digest(),
        "edition": edition,
        "quiz_size": options.quiz_size,
        "seed": options.seed,
        "region": options.region,
        "review": info.review,
        "others": others if info.needs_others else None,
        "content_dir": str(options.content_dir.resolve()),
    }
    return digest_bytes(json.dumps(parts, sort_keys=True).encode())


def _fingerprint(options: BuildOptions, notebook: str, nav: dict[str, Any]) -> str:
    """The notebook's fingerprint, plus what only the page depends on."""
    parts = {
        "notebook": notebook,
        "html": options.html,
        "nav": nav if options.html else None,
        "pages": page_code_digest() if options.html else None,
    }
    return digest_bytes(json.dumps(parts, sort_keys=True).encode())


def _describe_all(files: dict[str, Path], known: dict[str, FileInfo], cache: BuildCache, executor: Executor) -> dict[str, FileInfo]:
    """Cached descriptions where the file is unchanged; the others checked (maybe in parallel)."""
    infos = dict(known)
    for name, info in known.items():
        cache.files[files[name].name] = info
    todo = {name: path for name, path in files.items() if name not in known}
    futures = {name: executor.submit(describe, path) for name, path in todo.items()}
    for name, future in futures.items():
        infos[name] = cache.files[files[name].name] = future.result()
    return {name: infos[name] for name in files}  # catalogue order, whatever was cached


def plan(options: BuildOptions, files: dict[str, Path], infos: dict[str, FileInfo], cache: BuildCache) -> Plan:
    """Decide, for every requested lesson and edition, to skip it, export its page, or run it."""
    template = template_path(options.template)
    template_digest = digest_bytes(template.read_bytes())
    others = digest_bytes(*(infos[n].digest.encode() for n in sorted(infos)))
    catalog = [(name, info.title) for name, info in infos.items() if info.ok]
    result = Plan(files, infos, [], [], [])
    for name in options.ids or tuple(infos):
        info = infos[name]
        for edition in options.editions:
            if not info.ok:
                result.done.append(LessonResult(name, edition, "failed", error=f"invalid content: {info.error}"))
                continue
            nav = navigation(catalog, name, edition)
            key = f"{edition}/{name}"
            notebook_fingerprint = _notebook_fingerprint(options, info, template_digest, others, edition)
            fingerprint = _fingerprint(options, notebook_fingerprint, nav)
            if not options.force and cache.fresh(key, fingerprint):
                result.done.append(LessonResult(name, edition, "skipped", outputs=cache.outputs(key)))
                continue
            notebook_path = options.lesson_dir(edition) / f"{name}.ipynb"
            stored = None if options.force or not options.html else cache.stored_notebook(key, notebook_fingerprint, notebook_path)
            if stored is not None:
                result.pages.append(PageTask(name, edition, key, nav, notebook_path, stored, fingerprint, notebook_fingerprint))
                continue
            job = LessonJob(
                condition=name,
                edition=edition,
                content_dir=options.content_dir,
                template=template,
                lesson_dir=options.lesson_dir(edition),
                quiz_size=options.quiz_size,
                seed=options.seed,
                region=options.region,
                language=info.language,
            )
            result.renders.append(Task(job, nav, options.html, key, fingerprint, notebook_fingerprint))
    return result


# -- writing -------------------------------------------------------------------------------
def _write(files: dict[Path, bytes]) -> dict[Path, str]:
    """Write files atomically; returns each path with the digest of what was written."""
    for path, data in files.items():
        write_bytes_atomic(path, data)
    return {path: digest_bytes(data) for path, data in files.items()}


def _failure(condition: str, edition: str, exc: Exception) -> LessonResult:
    if isinstance(exc, BuildError):
        return LessonResult(condition, edition, "failed", error=exc.message, cell=exc.cell)
    if isinstance(exc, HealthkitError):
        return LessonResult(condition, edition, "failed", error=str(exc))
    return LessonResult(condition, edition, "failed", error=f"{type(exc).__name__}: {exc}")


def _finish(task: Task, future: Future[Rendered], options: BuildOptions, cache: BuildCache) -> LessonResult:
    job = task.job
    try:
        rendered = future.result()
        files = {job.lesson_dir / f"{job.condition}.ipynb": rendered.notebook.encode("utf-8")}
        if rendered.page is not None:
            files[page_path(options.out_dir, job.condition, job.edition)] = rendered.page.encode("utf-8")
        outputs = _write(files)
        cache.record(task.key, task.fingerprint, outputs, notebook=task.notebook_fingerprint)
        return LessonResult(job.condition, job.edition, "built", rendered.seconds, list(outputs))
    except Exception as exc:  # a worker crash must not take the other lessons down
        cache.forget(task.key)
        return _failure(job.condition, job.edition, exc)


def _finish_page(task: PageTask, future: Future[str], options: BuildOptions, cache: BuildCache) -> LessonResult:
    started = time.perf_counter()
    try:
        page = future.result().encode("utf-8")
        outputs = {task.notebook_path: digest_bytes(task.notebook), **_write({page_path(options.out_dir, task.condition, task.edition): page})}
        cache.record(task.key, task.fingerprint, outputs, notebook=task.notebook_fingerprint)
        return LessonResult(task.condition, task.edition, "exported", time.perf_counter() - started, list(outputs))
    except Exception as exc:  # one page must not take the others down
        cache.forget(task.key)
        return _failure(task.condition, task.edition, exc)


# -- the engine ----------------------------------------------------------------------------
def check_options(options: BuildOptions) -> None:
    """Refuse options no build can use, before anything is read or started."""
    for edition in options.editions:
        if edition not in EDITIONS:
            raise ParameterError(f"edition {edition!r} is not valid; use one of: {', '.join(EDITIONS)}")
    if options.region and options.region not in REGIONS:
        raise ParameterError(f"region {options.region!r} is not known; use one of: {', '.join(REGIONS)}")


class Builder:
    """Builds ``options`` (plan -> run -> publish), as often as asked.

    With ``workers``, the builder uses (and leaves running) those warm workers, as the preview
    does between edits; without, each build starts workers sized to its work and stops them.
    ``known`` holds descriptions of content files the caller already checked, by file name.
    """

    def __init__(self, options: BuildOptions, workers: Workers | None = None) -> None:
        check_options(options)
        self.options = options
        self.workers = workers
        self.known: dict[str, FileInfo] = {}

    def build(self, progress: Progress | None = None, on_plan: Callable[[int], None] | None = None) -> BuildReport:
        """Render every requested lesson that changed; one result per lesson and edition."""
        started = time.perf_counter()
        options = self.options
        files = {p.stem: p for p in iter_content_files(options.content_dir)}
        require_known(options.ids, files)
        template_path(options.template)
        check_out_dir(options.out_dir, options.content_dir)
        cache = BuildCache(options.out_dir)
        own = self.workers is None
        workers = self.workers or Workers(worker_count(options.jobs, len(options.ids or files) * len(options.editions)))
        try:
            the_plan = self._plan(files, cache, workers, warm=own)
            if on_plan:
                on_plan(the_plan.total)
            results = self._run(the_plan, cache, workers, progress)
        except BaseException:
            if own:
                workers.stop()
            raise
        if own:
            workers.close()
        self._publish(the_plan, cache, results)
        order = {(n, e): i for i, (n, e) in enumerate((n, e) for n in (options.ids or files) for e in options.editions)}
        results.sort(key=lambda r: order.get((r.condition, r.edition), -1))
        return BuildReport(results, time.perf_counter() - started, cache.warnings)

    def _plan(self, files: dict[str, Path], cache: BuildCache, workers: Workers, warm: bool) -> Plan:
        options = self.options
        digests = {n: content_digest(p) for n, p in files.items()}
        known = {}
        for name, path in files.items():
            info = self.known.get(path.name)
            if info is None or info.digest != digests[name] or not info.current(today()):
                info = cache.file_info(path.name, digests[name])
            if info is not None:
                known[name] = info
        uncached = [n for n in files if n not in known]
        if uncached and warm:
            # Something will be rendered: start the kernels now, so they boot while files are
            # checked. With a cache, about one lesson per edition per changed file is expected.
            wanted = len(options.ids or files) * len(options.editions)
            workers.warm(wanted if not cache.lessons else len(uncached) * len(options.editions))
        # Checking a file takes ~10 ms: spread over the workers only when many changed.
        describer: Executor = workers.pool if workers.pool is not None and len(uncached) > 8 else InThisProcess()
        infos = _describe_all(files, known, cache, describer)
        return plan(options, files, infos, cache)

    def _run(self, the_plan: Plan, cache: BuildCache, workers: Workers, progress: Progress | None) -> list[LessonResult]:
        results = list(the_plan.done)
        for r in results:
            if progress:
                progress(r)
        futures: dict[Future[Any], Task | PageTask] = {}
        if the_plan.renders:
            executor = workers.executor(len(the_plan.renders))
            futures.update({executor.submit(render, task): task for task in the_plan.renders})
        # A page needs no kernel: worker processes export pages once their lessons are done (they
        # have the exporter loaded); without any, this process exports them.
        pages: Executor = workers.pool or InThisProcess()
        futures.update({pages.submit(export_page, page.notebook, page.nav): page for page in the_plan.pages})
        for future in as_completed(futures):
            task = futures[future]
            if isinstance(task, Task):
                result = _finish(task, future, self.options, cache)
            else:
                result = _finish_page(task, future, self.options, cache)
            results.append(result)
            if progress:
                progress(result)
        return results

    def _publish(self, the_plan: Plan, cache: BuildCache, results: list[LessonResult]) -> None:
        """Drop what was built for conditions that are gone, then write the index."""
        options = self.options
        if not options.ids:  # a full build: drop what was built for conditions that are gone
            _prune(cache, set(the_plan.files))
        if options.html:
            changed = any(r.status in ("built", "exported") for r in results)
            write_index(options, the_plan.infos, the_plan.files, cache, changed=changed)


def build(options: BuildOptions, progress: Progress | None = None, on_plan: Callable[[int], None] | None = None) -> BuildReport:
    """Render every requested lesson that changed; one result per lesson and edition."""
    return Builder(options).build(progress, on_plan)


def _prune(cache: BuildCache, present: set[str]) -> None:
    """Delete what was built for lessons whose content file was removed (it would go stale):
    only inside the output folder, and only files that still hold what the build wrote."""
    for key in [k for k in cache.lessons if "/" in k and not k.startswith("site/")]:
        if key.split("/", 1)[1] not in present:
            cache.prune(key)


def describe_failure(result: LessonResult) -> str:
    where = f" (cell {result.cell})" if result.cell is not None else ""
    return f"{result.condition} [{result.edition}]{where}: {result.error}"
