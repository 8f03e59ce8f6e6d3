"""``healthkit preview``: build once, then rebuild what each save changes, and serve the site.

The preview uses the build engine (:class:`healthkit.app.build.Builder`) with workers and
warm kernels that stay alive between edits. Each round:

1. *sync*: every content file of the author's folder is read once its writes have settled and
   checked; a valid one is copied into the preview's own content folder (``OUT/.preview-content``),
   which is all the build ever reads. A file with errors keeps its last good copy there, so
   the lesson stays up with the errors shown over it; a file that is still being written is
   left for the next round. The lessons render from exactly the bytes that were checked.
2. *build*: the engine skips what did not change, exports the pages whose navigation alone
   changed, and runs the lessons that did.
3. *publish*: the pages, their digests and the errors go to the server as one state; open
   pages whose digest changed reload, the others show or clear their errors.
"""

from __future__ import annotations

import os
import stat
import time
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..content import CheckResult, iter_content_files
from ..content.loader import SUFFIXES, read_and_check, require_known
from ..errors import ContentError, HealthkitError, OutputError
from ..io import write_bytes_atomic
from ..preview import DEFAULT_PORT
from ..preview.server import EVERY_PAGE, INDEX, Hub, PreviewServer, SiteState
from ..preview.watch import Watcher
from ..registry import EDITIONS_SPEC, SITE_EDITION
from ..render.execute import template_path
from .build import BuildOptions, BuildReport, Builder, LessonResult, check_options, info_from_check
from .cache import FileInfo, content_digest, digest_bytes, forget_code_digests
from .outputs import check_out_dir, inside
from .site import page_path, site_dir
from .workers import Workers, worker_count

#: The preview's copy of the content it checked, inside its output folder; the mark file in
#: it says the preview made it, so the preview never writes into, or deletes from, a folder
#: of someone else's (``--out .`` beside a ``content`` folder, for one).
SNAPSHOT = ".preview-content"
SNAPSHOT_MARK = ".healthkit-preview"
_CODE_SUFFIXES = frozenset({".py", ".js", ".css", ".j2", ".json"})
PACKAGE = Path(__file__).resolve().parent.parent

Say = Callable[[str], None]


@dataclass(frozen=True)
class PreviewOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("build/preview")
    ids: tuple[str, ...] = ()
    editions: tuple[str, ...] = ("learner",)
    region: str = ""
    template: Path | None = None
    jobs: int = 0
    port: int = DEFAULT_PORT

    @property
    def snapshot_dir(self) -> Path:
        return self.out_dir / SNAPSHOT

    def build_options(self, ids: tuple[str, ...]) -> BuildOptions:
        return BuildOptions(
            content_dir=self.snapshot_dir, out_dir=self.out_dir, ids=ids, editions=self.editions,
            template=self.template, jobs=self.jobs, region=self.region,
        )


@dataclass(frozen=True)
class Checked:
    """The last settled version of one of the author's content files."""

    digest: str
    path: Path
    errors: tuple[str, ...]
    #: Size and modification time when it was read: an unchanged file is not read again.
    stamp: tuple[int, int] | None = None


def url_path(name: str, edition: str) -> str:
    """Where the preview serves a lesson's page (the layout of the build's page folders)."""
    folder = EDITIONS_SPEC[edition].page_folder
    return f"/{name}.html" if folder == EDITIONS_SPEC[SITE_EDITION].page_folder else f"/{folder}/{name}.html"


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


@dataclass(frozen=True)
class Settled:
    """A content file as read once its writes settled: its bytes and what ``check`` found."""

    raw: bytes | None
    result: CheckResult
    stamp: tuple[int, int] | None = None

    @property
    def errors(self) -> list[str]:
        return [d.format() for d in self.result.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.result.ok and self.raw is not None


def read_settled(path: Path) -> Settled | None:
    """A content file and its check, or None while it is being written (it changed while it
    was read: the change that finishes it starts another round)."""
    before = _stamp(path)
    raw, result = read_and_check(path, warnings=False)
    after = _stamp(path)
    if before != after or (raw is not None and before is not None and len(raw) != before[0]):
        return None
    return Settled(raw, result, after)


def claim_snapshot(snapshot: Path, content_dir: Path) -> None:
    """Make (or take back) the preview's own copy folder; raise :class:`OutputError` when
    ``snapshot`` is or holds the author's content folder, lies inside it, or is a folder the
    preview did not make that holds anything."""
    if inside(snapshot, content_dir) or inside(content_dir, snapshot):
        raise OutputError(f"{snapshot} would be the preview's copy of the content, but it is or holds {content_dir}; choose another --out", str(snapshot))
    if os.path.islink(snapshot) or (snapshot.exists() and not snapshot.is_dir()):
        raise OutputError(f"{snapshot} is not a folder of the preview's; move it away or choose another --out", str(snapshot))
    mark = snapshot / SNAPSHOT_MARK
    if snapshot.is_dir() and not mark.is_file() and any(snapshot.iterdir()):
        raise OutputError(f"{snapshot} holds files the preview did not make; move them away or choose another --out", str(snapshot))
    snapshot.mkdir(exist_ok=True)
    if not mark.is_file():
        write_bytes_atomic(mark, b"healthkit preview: its copy of the checked content files\n")


class Preview:
    """One preview: its checked content, warm workers, and the state the server shows."""

    def __init__(self, options: PreviewOptions, say: Say = lambda _: None) -> None:
        check_options(options.build_options(()))
        files = {p.stem: p for p in iter_content_files(options.content_dir)}
        require_known(options.ids, files)
        template_path(options.template)
        check_out_dir(options.out_dir, options.content_dir)
        claim_snapshot(options.snapshot_dir, options.content_dir)
        self.options = options
        self.say = say
        self.hub = Hub()
        self.checked: dict[str, Checked] = {}
        self.known: dict[str, FileInfo] = {}
        self.global_errors: tuple[str, ...] = ()
        self.rounds = 0
        self.workers = self._new_workers(len(options.ids or files))
        self._forget_stale_copies({p.name for p in files.values()})

    # -- workers -------------------------------------------------------------------------
    def _new_workers(self, lessons: int) -> Workers:
        return Workers(worker_count(self.options.jobs, max(1, lessons) * len(self.options.editions)))

    def restart_workers(self) -> None:
        """New workers and kernels, which load healthkit's files again."""
        size = self.workers.size
        self.workers.stop()
        self.workers = Workers(size)
        self.workers.warm()

    def stop(self) -> None:
        self.workers.stop()

    # -- sync ----------------------------------------------------------------------------
    def _forget_stale_copies(self, present: set[str]) -> None:
        """Remove copies of content files the author removed while no preview ran."""
        for copy in self.options.snapshot_dir.iterdir():
            if copy.suffix in SUFFIXES and copy.name not in present and stat.S_ISREG(os.lstat(copy).st_mode):
                copy.unlink()

    def sync(self) -> set[str]:
        """Bring the preview's content up to date with the author's; the names of the files
        that changed (or were removed)."""
        snapshot = self.options.snapshot_dir
        author = {p.name: p for p in iter_content_files(self.options.content_dir)}
        changed: set[str] = set()
        for name, path in author.items():
            previous = self.checked.get(name)
            if previous is not None and previous.stamp is not None and previous.stamp == _stamp(path):
                continue
            settled = read_settled(path)
            if settled is None:
                continue
            raw, errors = settled.raw, settled.errors
            digest = digest_bytes(raw) if raw is not None else "unreadable:" + "\n".join(errors)
            if previous is not None and previous.digest == digest:
                self.checked[name] = Checked(digest, path, previous.errors, settled.stamp)
                continue
            if settled.ok and raw is not None:
                copy = snapshot / name
                write_bytes_atomic(copy, raw)
                self.known[name] = info_from_check(settled.result, content_digest(copy))
            self.checked[name] = Checked(digest, path, tuple(errors), settled.stamp if raw is not None else None)
            changed.add(name)
        for name in set(self.checked) - set(author):  # the author removed it
            del self.checked[name]
            self.known.pop(name, None)
            copy = snapshot / name
            if os.path.lexists(copy) and stat.S_ISREG(os.lstat(copy).st_mode):
                copy.unlink()
            changed.add(name)
        return changed

    # -- build ---------------------------------------------------------------------------
    def _ids(self) -> tuple[str, ...] | None:
        """The lessons to build now; None when none of the requested ones is valid yet."""
        if not self.options.ids:
            return ()
        present = {p.stem for p in iter_content_files(self.options.snapshot_dir)}
        ids = tuple(i for i in self.options.ids if i in present)
        return ids or None

    def rebuild(self, changed: set[Path] | None = None) -> BuildReport | None:
        """One round (sync, build, publish); ``changed`` None for the first round."""
        changed = changed or set()
        code = [p for p in changed if PACKAGE in p.parents and p.suffix in _CODE_SUFFIXES]
        template = [p for p in changed if p not in code and p.suffix not in SUFFIXES]
        if code:
            forget_code_digests()
            self.restart_workers()
            if any(p.suffix == ".py" for p in code):
                self.say("healthkit's own code changed: the lessons are rebuilt with it (restart the preview to check content with it too)")
        try:
            content_changed = self.sync()
        except ContentError:
            if self.options.content_dir.is_dir():
                raise
            self.content_gone()  # it went away during this round
            return None
        if self.rounds and not (code or template or content_changed):
            return None
        started = time.perf_counter()
        self.rounds += 1
        report = None
        ids = self._ids()
        self.global_errors = ()
        if ids is not None:
            builder = Builder(self.options.build_options(ids), self.workers)
            builder.known = self.known
            done: list[LessonResult] = []

            def progress(result: LessonResult) -> None:
                done.append(result)  # a page is shown as soon as it is written, before the index
                if result.status in ("built", "exported"):
                    self._publish(done)

            try:
                try:
                    report = builder.build(progress)
                except BrokenExecutor:  # a worker died (out of memory, killed): start new ones
                    self.restart_workers()
                    done.clear()
                    builder.workers = self.workers
                    report = builder.build(progress)
            except HealthkitError as exc:
                self.global_errors = (f"healthkit: error: {exc}",)
        self._publish(report.results if report else [])
        self._tell(report, content_changed, time.perf_counter() - started)
        return report

    # -- publish -------------------------------------------------------------------------
    def _failures(self, results: list[LessonResult]) -> dict[tuple[str, str], str]:
        failed: dict[tuple[str, str], str] = {}
        for r in results:
            if r.status == "failed":
                cell = f" in cell {r.cell}" if r.cell is not None else ""
                source = self.checked.get(next((n for n in self.checked if Path(n).stem == r.condition), ""))
                where = f"{source.path}: " if source else ""
                failed[(r.condition, r.edition)] = f"{where}the lesson failed{cell}: {r.error}"
        return failed

    def _publish(self, results: list[LessonResult]) -> None:
        """Show the pages as they are on disk now, with the errors of ``results`` and the files."""
        out = self.options.out_dir
        wanted = set(self.options.ids) if self.options.ids else None
        failures = self._failures(results)
        pages: dict[str, bytes] = {}
        errors: dict[str, tuple[str, ...]] = {EVERY_PAGE: self.global_errors}
        everything: list[str] = []
        links: list[tuple[str, str]] = []
        for name, checked in sorted(self.checked.items()):
            stem = Path(name).stem
            if wanted is not None and stem not in wanted:
                continue
            info = self.known.get(name)
            for edition in self.options.editions:
                key = url_path(stem, edition)
                lines = checked.errors + ((failures[(stem, edition)],) if (stem, edition) in failures else ())
                errors[key] = lines
                everything.extend(line for line in lines if line not in everything)
                page = page_path(out, stem, edition)
                if info is not None and page.is_file():
                    pages[key] = page.read_bytes()
                links.append((key, f"{info.title if info else stem} ({edition})" if len(self.options.editions) > 1 else (info.title if info else stem)))
        index = site_dir(out) / "index.html"
        if index.is_file():
            pages[INDEX] = index.read_bytes()
        errors[INDEX] = tuple(everything)
        digests = {key: digest_bytes(data) for key, data in pages.items()}
        self.hub.publish(SiteState(pages=pages, digests=digests, errors=errors, building=False, links=tuple(links)))

    def _tell(self, report: BuildReport | None, changed: set[str], seconds: float) -> None:
        for line in self.global_errors:
            self.say(line)
        for name in sorted(changed & set(self.checked)):
            for line in self.checked[name].errors:
                self.say(line)
        if report is None:
            return
        done = {status: [r.condition for r in report.results if r.status == status] for status in ("built", "exported", "failed")}
        for r in report.results:
            if r.status == "failed":
                self.say(f"lesson failed: {r.condition} [{r.edition}]{f' (cell {r.cell})' if r.cell else ''}: {r.error}")
        parts = [f"{what} {', '.join(sorted(set(names)))}" for what, names in (("built", done["built"]), ("pages updated:", done["exported"])) if names]
        if parts:
            self.say(f"{'; '.join(parts)} in {seconds:.1f}s")

    # -- the loop ------------------------------------------------------------------------
    def watcher(self) -> Watcher:
        content = self.options.content_dir.resolve()
        template = template_path(self.options.template).resolve()
        groups: list[tuple[Path, bool, Callable[[Path], bool]]] = [
            (content, False, lambda p: p.suffix in SUFFIXES and p.parent == content),
            (PACKAGE, True, lambda p: p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts),
        ]
        if template.parent == content:
            groups[0] = (content, False, lambda p: p == template or (p.suffix in SUFFIXES and p.parent == content))
        else:
            groups.append((template.parent, False, lambda p: p == template))
        return Watcher(groups)

    def serve(self, ready: Callable[[str], None] = lambda _: None) -> None:
        """Serve, build, and rebuild on every save until interrupted (Ctrl-C)."""
        server = PreviewServer(self.hub, self.options.out_dir, self.options.port)
        watcher = self.watcher()
        try:
            server.start()
            watcher.start()  # before the first build: a save made while it runs is not lost
            self.workers.warm()
            ready(server.url)
            self.rebuild()
            gone = False
            while True:
                batch = watcher.next(timeout=0.5)
                if not self.options.content_dir.is_dir():
                    if not gone:  # renamed away (an editor's save, a git checkout): wait for it
                        gone = True
                        self.content_gone()
                    continue
                if gone:  # back: watch it again, and catch up with whatever changed meanwhile
                    gone = False
                    watcher.stop()
                    watcher = self.watcher()
                    watcher.start()
                    self.content_back()
                    continue
                if batch:
                    self.rebuild(batch)
        finally:
            self.stop()
            watcher.stop()
            server.stop()

    def content_gone(self) -> None:
        """The content folder is not there: the pages keep the last lessons and say why."""
        self.global_errors = (f"healthkit: error: {self.options.content_dir}: the content folder is not there (renamed or moved away?); "
                              "the pages show the last lessons, and the preview goes on when the folder is back",)
        self._publish([])
        self._tell(None, set(), 0.0)

    def content_back(self) -> None:
        """The content folder is back: clear its error and build what changed meanwhile."""
        self.global_errors = ()
        self._publish([])
        self.say(f"the content folder {self.options.content_dir} is back")
        self.rebuild(set())


def preview(options: PreviewOptions, say: Say = lambda _: None, ready: Callable[[str], None] = lambda _: None) -> None:
    """Run ``healthkit preview`` until interrupted; workers and kernels stop with it."""
    Preview(options, say).serve(ready)


__all__ = ["DEFAULT_PORT", "Preview", "PreviewOptions", "preview", "url_path"]
