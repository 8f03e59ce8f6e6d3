"""Errors and diagnostics.

Every error healthkit raises on purpose derives from :class:`HealthkitError`, so an
application can catch one type. Content problems carry :class:`Diagnostic` records that
say *where* (file, line, column, key path) and *what to do*, because an educator fixing a
YAML file needs the place, not a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a content file.

    ``line`` and ``column`` are 1-based, as editors count them; 0 means "the whole file".
    """

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    key: str = ""

    def format(self) -> str:
        """Render as ``PATH:LINE:COL: severity: message (key.path)``; ``PATH: ...`` for a whole file."""
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        suffix = f" ({self.key})" if self.key else ""
        return f"{where}: {self.severity}: {self.message}{suffix}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "key": self.key,
        }


class HealthkitError(Exception):
    """Root of every error healthkit raises on purpose."""


class ContentError(HealthkitError):
    """A content file is not valid. Carries every problem found, not just the first."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self) -> tuple[type, tuple[tuple[Diagnostic, ...]]]:
        # Errors cross process boundaries in parallel builds; keep them picklable.
        return (type(self), (self.diagnostics,))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


class ParameterError(HealthkitError):
    """A lesson was asked for with parameters that cannot work (unknown condition, edition...)."""


class BuildError(HealthkitError):
    """Rendering one lesson failed. Names the lesson and, where known, the failing cell."""

    def __init__(self, lesson: str, message: str, cell: int | None = None):
        self.lesson = lesson
        self.cell = cell
        self.message = message
        where = f"{lesson}" + (f", cell {cell}" if cell is not None else "")
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None]]:
        return (type(self), (self.lesson, self.message, self.cell))


class OutputError(HealthkitError, OSError):
    """A file or folder could not be written, or healthkit refused to write it.

    Also an :class:`OSError`, so code that handles file errors keeps working.
    """

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (str(self), self.path))


class OutputExistsError(OutputError):
    """The output file exists and the command was not told to replace it."""


class MissingDependencyError(HealthkitError):
    """An optional dependency is needed for this feature."""

    def __init__(self, package: str, feature: str, install: str = ""):
        self.package = package
        super().__init__(
            f"{feature} needs the optional dependency '{package}', which is missing; "
            f"run: {install or 'pip install ' + package}"
        )


class LiteError(HealthkitError):
    """Building or checking a Lite site failed. ``step`` names what was being done."""

    def __init__(self, step: str, message: str):
        self.step = step
        self.message = message
        super().__init__(f"lite: {step}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.step, self.message))
