"""The build app: decide what to render, run it in parallel, and write the results.

This is the only place that writes lesson files. Each lesson renders independently, so a
broken one is reported (with its cell and error) while the others still build; every file
is written atomically; lessons whose inputs did not change are skipped (see :mod:`.cache`).

Work runs in worker processes, each with one warm kernel that is fully reset between
lessons (see :mod:`healthkit.render.kernels`), and each exports its own HTML pages.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, TypeVar

from ..content import check_file, iter_content_files
from ..content.loader import require_known
from ..content.readability import reading_levels, reading_minutes
from ..errors import BuildError, HealthkitError, ParameterError
from ..io import write_bytes_atomic
from ..lesson.render import review_overdue, review_status_text
from ..model import Condition
from ..registry import EDITIONS, EDITIONS_SPEC, REGIONS
from ..quiz.generate import needs_other_conditions
from ..render.execute import LessonJob, template_path
from ..render.kernels import WarmKernel
from ..render.lifeline import watch_parent
from .cache import BuildCache, FileInfo, code_digest, content_digest, digest_bytes, today
from .outputs import check_out_dir
from .site import navigation, page_path, write_index
from .startup import skip_unused_format_checker

Status = Literal["built", "failed", "skipped"]
T = TypeVar("T")


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
    """One lesson to render, with what its page needs and the fingerprint to record."""

    job: LessonJob
    nav: dict[str, Any]
    html: bool
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Rendered:
    notebook: str
    page: str | None
    seconds: float


Progress = Callable[[LessonResult], None]


# -- work done in worker processes ---------------------------------------------------------
_KERNEL: WarmKernel | None = None


#: What every lesson imports; the kernel loads it while the worker loads its own modules.
KERNEL_PRELOAD = "import healthkit.lesson, healthkit.widget"


def _preload_builder() -> None:
    import nbformat  # noqa: F401  (slow: its schema validator)
    import papermill  # noqa: F401

    from ..exporters import html  # noqa: F401


def _worker_init(build_pid: int = 0) -> None:
    """Start this worker's kernel early, and import in parallel with its boot.

    A worker (``build_pid``: the build that started it) exits, stopping its kernel, as soon as
    the build is gone, however it ended.
    """
    global _KERNEL
    skip_unused_format_checker()
    if build_pid:
        watch_parent(build_pid, _kill_kernel)
    _KERNEL = WarmKernel()
    _KERNEL.launch()
    _KERNEL.preload(KERNEL_PRELOAD)
    atexit.register(_KERNEL.close)
    threading.Thread(target=_preload_builder, daemon=True).start()


def _kill_kernel() -> None:
    if _KERNEL is not None:
        _KERNEL.kill()


def describe(path: Path) -> FileInfo:
    """Check one content file and keep what navigation, the index and the cache need."""
    digest = content_digest(path)
    result = check_file(path)
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


def render(task: Task) -> Rendered:
    """Execute one lesson (and export its page); returns text, never writes."""
    import nbformat  # slow to import (its schema validator): only where notebooks are made

    from ..exporters import export_lesson
    from ..render import execute_lesson

    started = time.perf_counter()
    nb, _ = execute_lesson(task.job, kernel=_KERNEL)
    nbformat.validate(nb)
    page = export_lesson(nb, nav=task.nav)[0] if task.html else None
    return Rendered(nbformat.writes(nb), page, time.perf_counter() - started)


class _Inline(Executor):
    """Runs tasks in this process, with one warm kernel, for ``-j 1`` or a single lesson."""

    def __init__(self) -> None:
        _worker_init()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # delivered through the future, as a pool would
            future.set_exception(exc)
        # Ctrl-C or SIGTERM (SystemExit) propagates at once, as it would from a pool.
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        global _KERNEL
        if _KERNEL is not None:
            _KERNEL.close()
            _KERNEL = None


def default_jobs() -> int:
    """One worker per core, plus one: a worker and its kernel take turns, so a core would
    otherwise sit idle while each waits for the other."""
    return (os.cpu_count() or 1) + 1


def worker_count(jobs: int, lessons: int) -> int:
    """Workers (each with a kernel) for ``lessons``: ``jobs`` (0: the default), but never
    more than :func:`default_jobs` or than there are lessons to render."""
    if jobs < 0:
        raise ParameterError(f"jobs must be 0 (one per core) or more, not {jobs}")
    return max(1, min(jobs or default_jobs(), default_jobs(), lessons))


def _executor(workers: int) -> Executor:
    if workers <= 1:
        return _Inline()
    # Fresh interpreters ("spawn"): forking a process that already talks to kernels over
    # ZeroMQ can kill the child.
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init, initargs=(os.getpid(),)
    )


# -- planning ------------------------------------------------------------------------------
def _fingerprint(options: BuildOptions, info: FileInfo, template: str, others: str, edition: str, nav: dict[str, Any]) -> str:
    parts = {
        "content": info.digest,
        "template": template,
        "code": code_digest(),
        "edition": edition,
        "quiz_size": options.quiz_size,
        "seed": options.seed,
        "region": options.region,
        "review": info.review,
        "html": options.html,
        "nav": nav if options.html else None,
        "others": others if info.needs_others else None,
        "content_dir": str(options.content_dir.resolve()),
    }
    return digest_bytes(json.dumps(parts, sort_keys=True).encode())


def _describe_all(files: dict[str, Path], known: dict[str, FileInfo], cache: BuildCache, executor: Executor) -> dict[str, FileInfo]:
    """Cached descriptions where the file is unchanged; the others checked (maybe in parallel)."""
    infos = dict(known)
    todo = {name: path for name, path in files.items() if name not in known}
    futures = {name: executor.submit(describe, path) for name, path in todo.items()}
    for name, future in futures.items():
        infos[name] = cache.files[files[name].name] = future.result()
    return {name: infos[name] for name in files}  # catalogue order, whatever was cached


def _plan(options: BuildOptions, infos: dict[str, FileInfo], cache: BuildCache) -> tuple[list[Task], list[LessonResult]]:
    template = template_path(options.template)
    template_digest = digest_bytes(template.read_bytes())
    others = digest_bytes(*(infos[n].digest.encode() for n in sorted(infos)))
    catalog = [(name, info.title) for name, info in infos.items() if info.ok]
    tasks: list[Task] = []
    done: list[LessonResult] = []
    for name in options.ids or tuple(infos):
        info = infos[name]
        for edition in options.editions:
            if not info.ok:
                done.append(LessonResult(name, edition, "failed", error=f"invalid content: {info.error}"))
                continue
            nav = navigation(catalog, name, edition)
            key = f"{edition}/{name}"
            fingerprint = _fingerprint(options, info, template_digest, others, edition, nav)
            if not options.force and cache.fresh(key, fingerprint):
                done.append(LessonResult(name, edition, "skipped", outputs=cache.outputs(key)))
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
            tasks.append(Task(job, nav, options.html, key, fingerprint))
    return tasks, done


# -- writing -------------------------------------------------------------------------------
def _write(task: Task, rendered: Rendered, options: BuildOptions) -> dict[Path, str]:
    """Write one lesson's files; returns each path with the digest of what was written."""
    job = task.job
    files = {job.lesson_dir / f"{job.condition}.ipynb": rendered.notebook.encode("utf-8")}
    if rendered.page is not None:
        files[page_path(options.out_dir, job.condition, job.edition)] = rendered.page.encode("utf-8")
    for path, data in files.items():
        write_bytes_atomic(path, data)
    return {path: digest_bytes(data) for path, data in files.items()}


def _finish(task: Task, future: Future[Rendered], options: BuildOptions, cache: BuildCache) -> LessonResult:
    job = task.job
    try:
        rendered = future.result()
        outputs = _write(task, rendered, options)
        cache.record(task.key, task.fingerprint, outputs)
        return LessonResult(job.condition, job.edition, "built", rendered.seconds, list(outputs))
    except BuildError as exc:
        cache.forget(task.key)
        return LessonResult(job.condition, job.edition, "failed", error=exc.message, cell=exc.cell)
    except HealthkitError as exc:
        cache.forget(task.key)
        return LessonResult(job.condition, job.edition, "failed", error=str(exc))
    except Exception as exc:  # a worker crash must not take the other lessons down
        cache.forget(task.key)
        return LessonResult(job.condition, job.edition, "failed", error=f"{type(exc).__name__}: {exc}")


def build(options: BuildOptions, progress: Progress | None = None, on_plan: Callable[[int], None] | None = None) -> BuildReport:
    """Render every requested lesson that changed; one result per lesson and edition."""
    started = time.perf_counter()
    for edition in options.editions:
        if edition not in EDITIONS:
            raise ParameterError(f"edition {edition!r} is not valid; use one of: {', '.join(EDITIONS)}")
    if options.region and options.region not in REGIONS:
        raise ParameterError(f"region {options.region!r} is not known; use one of: {', '.join(REGIONS)}")
    files = {p.stem: p for p in iter_content_files(options.content_dir)}
    require_known(options.ids, files)
    template_path(options.template)
    check_out_dir(options.out_dir, options.content_dir)
    cache = BuildCache(options.out_dir)
    wanted = len(options.ids or files) * len(options.editions)
    workers = worker_count(options.jobs, wanted)
    executor: Executor | None = None
    size = 0
    results: list[LessonResult] = []
    try:
        known = {n: i for n, p in files.items() if (i := cache.file_info(p.name, content_digest(p))) is not None}
        uncached = [p for n, p in files.items() if n not in known]
        if uncached:
            # Something will be rendered: start the kernels now, so they boot while files are
            # checked. With a cache, about one lesson per edition per changed file is expected.
            expected = wanted if not cache.lessons else len(uncached) * len(options.editions)
            size = min(workers, expected)
            executor = _executor(size)
        # Checking a file takes ~10 ms: spread over the workers only when many changed.
        describer: Executor = executor if executor is not None and size > 1 and len(uncached) > 8 else _Describer()
        infos = _describe_all(files, known, cache, describer)
        tasks, results = _plan(options, infos, cache)
        if on_plan:
            on_plan(len(tasks) + len(results))
        for r in results:
            if progress:
                progress(r)
        needed = min(workers, len(tasks))
        if executor is not None and size < needed:  # more to render than expected
            executor.shutdown(wait=False, cancel_futures=True)
            executor = None
        if tasks and executor is None:
            size = needed
            executor = _executor(size)
        futures = {executor.submit(render, task): task for task in tasks} if executor else {}
        for future in as_completed(futures):
            result = _finish(futures[future], future, options, cache)
            results.append(result)
            if progress:
                progress(result)
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): stop the lessons still running now
        if executor is not None:
            _stop_now(executor)
            executor = None
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    if not options.ids:  # a full build: drop what was built for conditions that are gone
        _prune(cache, set(files))
    if options.html:
        write_index(options, infos, files, cache, changed=any(r.status == "built" for r in results))
    order = {(name, edition): i for i, (name, edition) in enumerate((n, e) for n in (options.ids or files) for e in options.editions)}
    results.sort(key=lambda r: order.get((r.condition, r.edition), -1))
    return BuildReport(results, time.perf_counter() - started, cache.warnings)


def _prune(cache: BuildCache, present: set[str]) -> None:
    """Delete what was built for lessons whose content file was removed (it would go stale):
    only inside the output folder, and only files that still hold what the build wrote."""
    for key in [k for k in cache.lessons if "/" in k and not k.startswith("site/")]:
        if key.split("/", 1)[1] not in present:
            cache.prune(key)


def _stop_now(executor: Executor) -> None:
    """Stop ``executor`` without waiting for the lessons it is rendering: its workers are
    terminated, and their kernels follow them (see :mod:`healthkit.render.lifeline`)."""
    workers = getattr(executor, "_processes", None) or {}
    for worker in list(workers.values()):
        worker.terminate()
    executor.shutdown(wait=False, cancel_futures=True)


class _Describer(Executor):
    """Checks files in this process when nothing else needs a worker."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def describe_failure(result: LessonResult) -> str:
    where = f" (cell {result.cell})" if result.cell is not None else ""
    return f"{result.condition} [{result.edition}]{where}: {result.error}"
