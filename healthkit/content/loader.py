"""Public loading API: text or file in, a validated frozen :class:`Condition` out."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..errors import ContentError, Diagnostic, ParameterError
from ..model import Condition
from .convert import INVALID, Converter
from .lint import lint
from .yamlio import MAX_BYTES, compose

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class CheckResult:
    """Everything ``check`` learns about one file."""

    path: str
    condition: Condition | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.condition is not None and not any(d.severity == "error" for d in self.diagnostics)


def check_text(
    text: str, source_name: str = "<string>", today: dt.date | None = None, warnings: bool = True
) -> CheckResult:
    """Parse, convert and lint; never raises for bad content, returns diagnostics instead."""
    try:
        node = compose(text, source_name)
    except ContentError as exc:
        return CheckResult(source_name, None, exc.diagnostics)
    converter = Converter(source_name)
    value = converter.convert(node, Condition, ())
    if value is INVALID:
        return CheckResult(source_name, None, tuple(sorted(converter.diagnostics)))
    found = lint(value, source_name, converter.positions, today, warnings=warnings)
    return CheckResult(source_name, value, tuple(sorted(found)))


def _read(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ContentError([Diagnostic(str(path), 0, 0, "error", f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit for a content file")])
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Diagnostic(str(path), 0, 0, "error", f"file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8")]) from None
    except OSError as exc:
        raise ContentError([Diagnostic(str(path), 0, 0, "error", f"cannot read file: {exc.strerror}")]) from None


def check_file(path: str | os.PathLike[str], today: dt.date | None = None, warnings: bool = True) -> CheckResult:
    p = Path(path)
    try:
        text = _read(p)
    except ContentError as exc:
        return CheckResult(str(p), None, exc.diagnostics)
    return check_text(text, str(p), today, warnings=warnings)


def _strict(result: CheckResult) -> Condition:
    if not result.ok or result.condition is None:
        raise ContentError([d for d in result.diagnostics if d.severity == "error"])
    return result.condition


def loads_condition(text: str, source_name: str = "<string>") -> Condition:
    """Load a condition from YAML text; ``source_name`` is used in error messages.

    Raises :class:`ContentError` listing every error (warnings do not stop loading).
    """
    return _strict(check_text(text, source_name, warnings=False))


def load_condition(path: str | os.PathLike[str]) -> Condition:
    """Load and validate ``content/<id>.yaml``."""
    return _strict(check_file(path, warnings=False))


def require_known(ids: Iterable[str], valid: Iterable[str]) -> None:
    """Raise :class:`ParameterError` naming unknown condition ids and listing the valid ones."""
    valid = list(valid)
    unknown = [i for i in ids if i not in valid]
    if unknown:
        raise ParameterError(f"unknown condition(s): {', '.join(unknown)}; valid conditions: {', '.join(valid) or '(none)'}")


def iter_content_files(directory: str | os.PathLike[str]) -> Iterator[Path]:
    """Condition files in ``directory``, sorted by name."""
    root = Path(directory)
    if not root.is_dir():
        raise ContentError([Diagnostic(str(root), 0, 0, "error", "content folder does not exist; pass --content DIR")])
    yield from sorted(p for p in root.iterdir() if p.suffix in SUFFIXES and p.is_file())


@dataclass(frozen=True)
class Catalog:
    """Every condition of a content folder, by id, in file-name order."""

    directory: Path
    conditions: Mapping[str, Condition]

    def __getitem__(self, condition_id: str) -> Condition:
        return self.conditions[condition_id]

    def __iter__(self) -> Iterator[Condition]:
        return iter(self.conditions.values())

    def __len__(self) -> int:
        return len(self.conditions)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.conditions)


def load_catalog(directory: str | os.PathLike[str]) -> Catalog:
    """Load every condition file in ``directory``; raises one error listing all problems."""
    conditions: dict[str, Condition] = {}
    problems: list[Diagnostic] = []
    for path in iter_content_files(directory):
        result = check_file(path, warnings=False)
        if result.ok and result.condition is not None:
            conditions[result.condition.id] = result.condition
        else:
            problems += [d for d in result.diagnostics if d.severity == "error"]
    if problems:
        raise ContentError(problems)
    return Catalog(Path(directory), conditions)
