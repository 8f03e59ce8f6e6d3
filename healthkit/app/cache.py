"""What the last build produced, so the next one can skip unchanged lessons.

The cache lives in the output folder (``.healthkit-cache.json``). A lesson's fingerprint
covers everything that feeds it: its content file, the template, healthkit's own code, the
parameters and edition, the neighbours named in its page navigation, and - only when the
lesson borrows quiz distractors from other conditions - the other content files. Each entry
is recorded after its files are written (atomically), so an interrupted build leaves at
worst a lesson that is rebuilt next time, never a stale or half-written one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..io import write_text_atomic

CACHE_NAME = ".healthkit-cache.json"
CACHE_VERSION = 3


def digest_bytes(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of healthkit's own files: a code change rebuilds every lesson."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".js", ".css", ".j2", ".json"})
    return digest_bytes(__version__.encode(), *(str(p.relative_to(root)).encode() + p.read_bytes() for p in files))


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
    #: One sentence on the clinical review, as every output shows it.
    review: str = ""
    needs_others: bool = False
    language: str = "en"

    @property
    def updated_date(self) -> dt.date:
        return dt.date.fromisoformat(self.updated)


class BuildCache:
    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / CACHE_NAME
        self.files: dict[str, FileInfo] = {}
        self.lessons: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                self.files = {k: FileInfo(**v) for k, v in data.get("files", {}).items()}
                self.lessons = dict(data.get("lessons", {}))
        except (OSError, ValueError, TypeError):
            pass  # no cache, or an unreadable one: build everything

    def file_info(self, name: str, digest: str) -> FileInfo | None:
        info = self.files.get(name)
        return info if info is not None and info.digest == digest else None

    def fresh(self, key: str, fingerprint: str) -> bool:
        entry = self.lessons.get(key)
        return bool(entry and entry.get("fingerprint") == fingerprint and all(Path(p).is_file() for p in entry.get("outputs", [])))

    def record(self, key: str, fingerprint: str, outputs: list[Path]) -> None:
        self.lessons[key] = {"fingerprint": fingerprint, "outputs": [str(p) for p in outputs]}
        self.save()

    def forget(self, key: str) -> None:
        if self.lessons.pop(key, None) is not None:
            self.save()

    def save(self) -> None:
        data = {
            "version": CACHE_VERSION,
            "files": {k: asdict(v) for k, v in sorted(self.files.items())},
            "lessons": dict(sorted(self.lessons.items())),
        }
        write_text_atomic(self.path, json.dumps(data, indent=1))
