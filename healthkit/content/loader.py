"""Public loading API: text or file in, a validated frozen :class:`Condition` out."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from ..errors import ContentError, Diagnostic, ParameterError
from ..model import Condition
from .convert import INVALID, Converter
from .lint import lint
from .yamlio import MAX_BYTES, compose, position

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
    text: str, source_name: str = "<string>", today: dt.date | None = None, warnings: bool = True, region: str = ""
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
    found = lint(value, source_name, converter.positions, today, warnings=warnings, region=region)
    return CheckResult(source_name, value, tuple(sorted(found)))


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 text, or a positioned error that names the encoding the file seems to be in."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError([Diagnostic(str(path), 1, 1, "error", "file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, column = position(good + "?", len(good))
        raise ContentError(
            [Diagnostic(str(path), line, column, "error", f"file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8")]
        ) from None
    zeros = raw.count(b"\x00")
    if zeros and zeros * 4 >= len(raw):  # every other byte zero: UTF-16 without a byte order mark
        line, column = position(text, text.index("\x00"))
        raise ContentError([Diagnostic(str(path), line, column, "error", "file looks like UTF-16 text (every other byte is zero); save it as UTF-8")])
    return text


def _read_bytes(path: Path) -> bytes:
    """The file's bytes: only regular files, at most :data:`MAX_BYTES`."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ContentError([Diagnostic(str(path), 0, 0, "error", "not a regular file; a condition file is a plain .yaml file")])
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ContentError([Diagnostic(str(path), 0, 0, "error", f"cannot read file: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise ContentError([Diagnostic(str(path), 0, 0, "error", f"file is over the {MAX_BYTES:,}-byte limit for a content file")])
    return raw


def leads_outside(path: Path) -> bool:
    """Whether ``path`` is a symbolic link to a file outside its own folder (never read)."""
    if not path.is_symlink():
        return False
    return Path(os.path.realpath(path)).parent != Path(os.path.realpath(path.parent))


def _refuse_outside_link(path: Path) -> None:
    """A symbolic link may point to another file of its folder, never out of it: content is
    copied into lessons and bundles, so a link to ``/etc/passwd`` would publish that file."""
    if leads_outside(path):
        raise ContentError(
            [Diagnostic(str(path), 0, 0, "error", "this is a symbolic link to a file outside the content folder; copy the file into the folder instead")]
        )


def check_file(path: str | os.PathLike[str], today: dt.date | None = None, warnings: bool = True, region: str = "") -> CheckResult:
    """Check one content file (see :func:`check_text`); a symbolic link that leads out of
    the file's folder is refused and never read."""
    return read_and_check(path, today, warnings, region)[1]


def read_and_check(
    path: str | os.PathLike[str], today: dt.date | None = None, warnings: bool = True, region: str = ""
) -> tuple[bytes | None, CheckResult]:
    """:func:`check_file`, also returning the exact bytes that were checked (None when the
    file could not be read), so a caller can use the very content it checked."""
    p = Path(path)
    try:
        _refuse_outside_link(p)
        raw = _read_bytes(p)
        text = _decode(raw, p)
    except ContentError as exc:
        return None, CheckResult(str(p), None, exc.diagnostics)
    return raw, check_text(text, str(p), today, warnings=warnings, region=region)


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
    if root.exists() and not root.is_dir():
        raise ContentError([Diagnostic(str(root), 0, 0, "error", "this is a file, not a folder; pass the folder that holds the condition files as --content DIR")])
    if not root.is_dir():
        raise ContentError([Diagnostic(str(root), 0, 0, "error", "content folder does not exist; pass --content DIR")])
    yield from sorted(p for p in root.iterdir() if p.suffix in SUFFIXES and p.is_file())


def neighbours(
    condition: Condition, files: Mapping[str, Path], loaded: dict[str, Condition | None] | None = None
) -> tuple[Condition, ...]:
    """The conditions a lesson on ``condition`` borrows wrong options from: every other file
    of ``files`` (id -> path, the lesson's content folder) that is valid, in that order; files
    with errors are skipped. () when the condition's own sections supply enough (then no
    other file is read).

    The lesson (:func:`healthkit.lesson.open_lesson`), ``export-quiz`` and whatever else shows
    a lesson's questions take them from here, so they agree on every option. ``loaded``
    keeps files already checked, across calls.
    """
    from ..quiz.generate import needs_other_conditions  # the quiz layer imports this package

    if not needs_other_conditions(condition):
        return ()
    cache: dict[str, Condition | None] = {} if loaded is None else loaded
    out = []
    for name, path in files.items():
        if name == condition.id:
            continue
        if name not in cache:
            result = check_file(path, warnings=False)
            cache[name] = result.condition if result.ok else None
        other = cache[name]
        if other is not None:
            out.append(other)
    return tuple(out)


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


def load_catalog(directory: str | os.PathLike[str], ids: Sequence[str] = ()) -> Catalog:
    """Load the condition files in ``directory``; raises one error listing all problems.

    With ``ids``, only those conditions are read (an unknown id is a
    :class:`ParameterError`), so a broken file of another condition does not stop them.
    """
    files = list(iter_content_files(directory))
    if ids:
        require_known(ids, [p.stem for p in files])
        files = [p for p in files if p.stem in ids]
    conditions: dict[str, Condition] = {}
    problems: list[Diagnostic] = []
    for path in files:
        result = check_file(path, warnings=False)
        if result.ok and result.condition is not None:
            conditions[result.condition.id] = result.condition
        else:
            problems += [d for d in result.diagnostics if d.severity == "error"]
    if problems:
        raise ContentError(problems)
    return Catalog(Path(directory), conditions)
