"""What the last build produced, so the next one can skip unchanged lessons.

The cache lives in the output folder (``.healthkit-cache.json``). A lesson's fingerprint
covers everything that feeds it: its content file, the template, healthkit's own code, the
parameters and edition, the neighbours named in its page navigation, and - only when the
lesson borrows quiz distractors from other conditions - the other content files. Each entry
is recorded after its files are written (atomically), so an interrupted build leaves at
worst a lesson that is rebuilt next time, never a stale or half-written one.

Each entry also keeps the fingerprint of what its *notebook* was made from (everything above
but the navigation and the page code). When only the page changed - a neighbour's title, the
page's CSS, script or template - the page is exported again from the stored notebook, which
is used only while it still holds exactly what was written; no lesson runs.

Outputs are recorded relative to the output folder, with the digest of what was written:
a later build (run from any folder) finds them inside its own output folder, and deletes a
file only while it still holds exactly what healthkit wrote (the rule of :mod:`.owned`, which
workshop packs and Lite sites follow too). A cache that cannot be read, or that names
anything outside the output folder's lesson folders, is ignored with a warning: everything is
rebuilt and nothing is deleted.

A lesson that shows "Review overdue" from a date on is rebuilt on that date: the cache keeps
each file's next review date, and a description made before the date passed is not reused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from .. import __version__
from ..io import write_text_atomic
from ..registry import EDITIONS_SPEC
from .owned import MAX_MANIFEST_BYTES, ManifestError, check_digest, check_name, digest_bytes, digest_file, holds, read_json, resolve

__all__ = ["BuildCache", "CacheError", "FileInfo", "code_digest", "content_digest", "digest_bytes", "digest_bytes_file", "read_cache", "today"]

CACHE_NAME = ".healthkit-cache.json"
#: 5: the review sentence says when a lesson is a draft, and check refuses more (placeholders
#: in titles, true/false options of their own), so files described by version 4 are checked again.
#: 6: each file's next review date, so a review that falls due rebuilds its lessons.
CACHE_VERSION = 6
#: A cache is a few KB per lesson; a much larger file is not one healthkit wrote.
MAX_CACHE_BYTES = MAX_MANIFEST_BYTES
#: The folders of the output folder that hold build outputs (and may be pruned): each
#: edition's notebooks and pages (:data:`healthkit.registry.EDITIONS_SPEC`).
OUTPUT_FOLDERS = frozenset(folder for spec in EDITIONS_SPEC.values() for folder in (spec.lesson_folder, spec.page_folder))
digest_bytes_file = digest_file


def today() -> dt.date:
    """The date the build works with (whether a review is overdue)."""
    return dt.date.today()


#: The part of healthkit that only turns a finished notebook into a page (the exporters,
#: their templates and the page's own CSS and script): a change there re-exports pages from
#: the stored notebooks, without running any lesson again.
PAGE_CODE = "exporters"
_CODE_SUFFIXES = frozenset({".py", ".js", ".css", ".j2", ".json"})


def _code_files(pages: bool) -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in _CODE_SUFFIXES and (p.relative_to(root).parts[0] == PAGE_CODE) == pages
    )


def _digest_code(files: list[Path]) -> str:
    root = Path(__file__).resolve().parent.parent
    return digest_bytes(__version__.encode(), *(str(p.relative_to(root)).encode() + p.read_bytes() for p in files))


@lru_cache(maxsize=1)
def notebook_code_digest() -> str:
    """Digest of the healthkit files that can change a lesson notebook: a change there runs
    every lesson again."""
    return _digest_code(_code_files(pages=False))


@lru_cache(maxsize=1)
def page_code_digest() -> str:
    """Digest of the files that turn a notebook into a page (see :data:`PAGE_CODE`)."""
    return _digest_code(_code_files(pages=True))


def code_digest() -> str:
    """Digest of all of healthkit's own files."""
    return digest_bytes(notebook_code_digest().encode(), page_code_digest().encode())


def forget_code_digests() -> None:
    """Read healthkit's files again next time (a long-running preview after an edit to them)."""
    notebook_code_digest.cache_clear()
    page_code_digest.cache_clear()


@dataclass(frozen=True)
class FileInfo:
    """What the index and navigation need from one content file, plus whether it is valid."""

    digest: str
    ok: bool
    error: str = ""
    id: str = ""
    title: str = ""
    tagline: str = ""
    minutes: int = 0
    grade: float = 0.0
    updated: str = ""
    #: One sentence on the clinical review, as every output shows it on the day it was made.
    review: str = ""
    #: The clinical review's next date (ISO), and whether it had passed when ``review`` was made.
    next_review: str = ""
    overdue: bool = False
    needs_others: bool = False
    language: str = "en"

    @property
    def updated_date(self) -> dt.date:
        return dt.date.fromisoformat(self.updated)

    def current(self, on: dt.date) -> bool:
        """Whether the review sentence is still the one to show ``on`` that day."""
        return not self.next_review or (dt.date.fromisoformat(self.next_review) < on) == self.overdue


CacheError = ManifestError


def _output_name(name: object) -> str:
    """A recorded output: a plain relative path inside one of :data:`OUTPUT_FOLDERS`."""
    checked = check_name(name)
    path = PurePosixPath(checked)
    if len(path.parts) < 2 or path.parts[0] not in OUTPUT_FOLDERS:
        raise CacheError(f"the output {checked!r} is not in one of the build's folders ({', '.join(sorted(OUTPUT_FOLDERS))})")
    return checked


def _lessons(value: object) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise CacheError("'lessons' is not a mapping")
    lessons: dict[str, dict[str, Any]] = {}
    for key, entry in value.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str) or not isinstance(entry.get("outputs"), dict):
            raise CacheError(f"the entry {str(key)[:60]!r} is not a fingerprint with outputs")
        outputs = {_output_name(name): digest for name, digest in entry["outputs"].items()}
        for digest in outputs.values():
            check_digest(digest)
        lessons[str(key)] = {"fingerprint": entry["fingerprint"], "outputs": outputs}
        if isinstance(entry.get("notebook"), str):  # optional: what the stored notebook was made from
            lessons[str(key)]["notebook"] = entry["notebook"]
    return lessons


_FILE_INFO_TYPES = {f.name: f.type for f in dataclasses.fields(FileInfo)}
_PLAIN: dict[str, type | tuple[type, ...]] = {"str": str, "bool": bool, "int": int, "float": (int, float)}


def _files(value: object) -> dict[str, FileInfo]:
    if not isinstance(value, dict):
        raise CacheError("'files' is not a mapping")
    files: dict[str, FileInfo] = {}
    for name, info in value.items():
        if not isinstance(info, dict) or set(info) - set(_FILE_INFO_TYPES) or not {"digest", "ok"} <= set(info):
            raise CacheError(f"the file entry {str(name)[:60]!r} is not one healthkit wrote")
        for key, item in info.items():
            expected = _PLAIN.get(str(_FILE_INFO_TYPES[key]))
            if expected is None or not isinstance(item, expected) or (expected is int and isinstance(item, bool)):
                raise CacheError(f"the file entry {str(name)[:60]!r} has a wrong {key!r}")
        files[str(name)] = FileInfo(**info)
        if files[str(name)].ok:
            try:
                files[str(name)].updated_date
                files[str(name)].current(dt.date.today())
            except ValueError:
                raise CacheError(f"the file entry {str(name)[:60]!r} has no valid date") from None
    return files


def read_cache(path: Path) -> tuple[dict[str, FileInfo], dict[str, dict[str, Any]]]:
    """The files and lessons a cache records; :class:`CacheError` says why it cannot be used."""
    data = read_json(path)
    if data.get("version") != CACHE_VERSION:
        raise CacheError(f"it has format {str(data.get('version'))[:20]!r}, not {CACHE_VERSION} (another version of healthkit wrote it)")
    return _files(data.get("files", {})), _lessons(data.get("lessons", {}))


class BuildCache:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / CACHE_NAME
        self.files: dict[str, FileInfo] = {}
        self.lessons: dict[str, dict[str, Any]] = {}
        #: What the build should tell the user about the cache (an ignored file, a kept output).
        self.warnings: list[str] = []
        if not os.path.lexists(self.path):
            return  # a first build
        try:
            self.files, self.lessons = read_cache(self.path)
        except CacheError as exc:
            self.warnings.append(f"ignoring {self.path}: {exc}; every lesson is rebuilt and no earlier output is deleted")

    def file_info(self, name: str, digest: str, on: dt.date | None = None) -> FileInfo | None:
        """The description of an unchanged file, unless its review has become overdue since."""
        info = self.files.get(name)
        if info is None or info.digest != digest or not info.current(on or today()):
            return None
        return info

    def _resolve(self, name: str) -> Path | None:
        """A recorded output as a path, only if it lies inside the output folder."""
        return resolve(self.out_dir, name)

    def _unchanged(self, name: str, digest: str) -> Path | None:
        """The output, if it is still a regular file holding what healthkit wrote."""
        return holds(self.out_dir, name, (digest,))

    def outputs(self, key: str) -> list[Path]:
        return [self.out_dir / name for name in self.lessons.get(key, {}).get("outputs", {})]

    def fresh(self, key: str, fingerprint: str) -> bool:
        """Whether ``key`` was built with ``fingerprint`` and its outputs are as written."""
        entry = self.lessons.get(key)
        if not entry or entry.get("fingerprint") != fingerprint:
            return False
        return all(self._unchanged(name, digest) is not None for name, digest in entry["outputs"].items())

    def stored_notebook(self, key: str, notebook_fingerprint: str, path: Path) -> bytes | None:
        """The notebook ``key`` recorded at ``path``, if it was made from ``notebook_fingerprint``
        and the file still holds exactly what was written (so a page can be exported from it)."""
        entry = self.lessons.get(key)
        if not entry or entry.get("notebook") != notebook_fingerprint:
            return None
        name = Path(os.path.relpath(path, self.out_dir)).as_posix()
        digest = entry["outputs"].get(name)
        if digest is None or self._unchanged(name, digest) is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if digest_bytes(data) == digest else None  # it may have changed since

    def record(self, key: str, fingerprint: str, outputs: Mapping[Path, str], notebook: str | None = None) -> None:
        """Remember what ``key`` wrote: each output path (inside the output folder) and its digest,
        and (``notebook``) the fingerprint of what its notebook was made from."""
        names = {Path(os.path.relpath(path, self.out_dir)).as_posix(): digest for path, digest in outputs.items()}
        entry: dict[str, Any] = {"fingerprint": fingerprint, "outputs": {_output_name(n): d for n, d in names.items()}}
        if notebook is not None:
            entry["notebook"] = notebook
        self.lessons[key] = entry
        self.save()

    def forget(self, key: str) -> None:
        if self.lessons.pop(key, None) is not None:
            self.save()

    def prune(self, key: str) -> None:
        """Delete the outputs of ``key`` that still hold what was written, then forget it."""
        for name, digest in self.lessons.get(key, {}).get("outputs", {}).items():
            path = self._unchanged(name, digest)
            if path is not None:
                path.unlink()
            elif (where := self._resolve(name)) is not None and os.path.lexists(where):
                self.warnings.append(f"kept {where}: it changed since healthkit wrote it, so it is yours now")
        self.forget(key)

    def save(self) -> None:
        data = {
            "version": CACHE_VERSION,
            "files": {k: asdict(v) for k, v in sorted(self.files.items())},
            "lessons": dict(sorted(self.lessons.items())),
        }
        write_text_atomic(self.path, json.dumps(data, indent=1))


def content_digest(path: Path) -> str:
    """Digest of a content file, reading no more than a content file may hold (a larger
    file is refused by ``check`` anyway; its size keeps the digest distinct). A symbolic link
    out of the content folder is never read: its digest is that of where it points."""
    from ..content.loader import leads_outside
    from ..content.yamlio import MAX_BYTES

    try:
        if leads_outside(path):
            return digest_bytes(b"a link out of the content folder", os.readlink(path).encode())
        with path.open("rb") as handle:
            head = handle.read(MAX_BYTES + 1)
        size = os.stat(path).st_size
    except OSError:
        return digest_bytes(b"unreadable")
    return digest_bytes(str(size).encode(), head)
