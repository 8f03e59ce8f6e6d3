"""Run the parameterised template with papermill for one condition.

Returns the executed notebook and never writes it: the build app decides where it goes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import BuildError
from .engine import register as register_engine
from .kernels import WarmKernel


def default_template() -> Path:
    """The lesson template shipped inside the package.

    In a checkout it is a link to ``notebooks/lesson.ipynb``, the one editable source; wheels
    carry a copy of it.
    """
    return Path(str(resources.files("healthkit.render").joinpath("lesson.ipynb")))


def template_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path`` if given, else the packaged template; a missing file is a :class:`BuildError`."""
    candidate = Path(path) if path else default_template()
    if not candidate.is_file():
        raise BuildError("template", f"template notebook {str(candidate)!r} not found; pass --template PATH")
    return candidate


@dataclass(frozen=True)
class LessonJob:
    """Everything that determines one rendered lesson."""

    condition: str
    edition: str
    content_dir: Path
    template: Path
    lesson_dir: Path
    quiz_size: int = 8
    seed: int = 0
    region: str = ""
    timeout: int = 120
    language: str = "en"

    def parameters(self) -> dict[str, Any]:
        # Relative to the lesson's folder, so the lesson still runs when a learner opens it.
        content = os.path.relpath(self.content_dir.resolve(), self.lesson_dir.resolve())
        return {
            "condition": self.condition,
            "content_dir": Path(content).as_posix(),
            "edition": self.edition,
            "quiz_size": self.quiz_size,
            "seed": self.seed,
            "region": self.region,
        }


#: Where a lesson keeps its saved widget state (the standard place is ``metadata.widgets``).
WIDGETS_KEY = "widgets"


def _tidy(nb: Any, job: LessonJob) -> Any:
    """Hide parameter cells, drop machine-specific paths, and keep widget state as our own.

    The saved widget state moves from ``metadata.widgets`` into ``metadata.healthkit.widgets``.
    Jupyter's stock HTML export renders a widget whose state is saved through a widget
    manager loaded from a CDN (an empty box offline, and anywidget's code is not on it);
    without saved state it shows the output's ``text/html``, which for every quiz is its
    readable fallback. healthkit's own exporter reads both places.
    """
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags or "parameters" in tags:
            cell.metadata["tags"] = sorted(set(tags) | {"remove-cell", "hide-input"})
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
            cell.metadata["collapsed"] = True
    meta = nb.metadata.setdefault("papermill", {})
    meta["input_path"] = job.template.name
    meta["output_path"] = f"{job.condition}.ipynb"
    meta.pop("environment_variables", None)
    widgets = nb.metadata.pop("widgets", None)
    nb.metadata["healthkit"] = {
        "condition": job.condition,
        "edition": job.edition,
        "version": __version__,
        "language": job.language,
        "parameters": job.parameters(),
        **({WIDGETS_KEY: widgets} if widgets else {}),
    }
    nb.metadata["title"] = job.condition
    return nb


def _renumber(nb: Any) -> None:
    """Execution counts from 1 in cell order, whatever kernel ran the lesson."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count


def execute_lesson(
    job: LessonJob, kernel: WarmKernel | None = None, kernel_name: str = "python3"
) -> tuple[Any, dict[str, Any]]:
    """Parameterise and execute the template; raise :class:`BuildError` naming the cell.

    With ``kernel``, the lesson runs in that warm kernel after a full reset; without, papermill
    starts and stops a kernel of its own.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    template = nbformat.read(job.template, as_version=4)
    job.lesson_dir.mkdir(parents=True, exist_ok=True)
    extra: dict[str, Any] = {}
    if kernel is not None:
        extra = {"engine_name": register_engine(), **kernel.prepare(job.lesson_dir)}
    try:
        nb = papermill.execute_notebook(
            template,
            None,
            parameters=job.parameters(),
            kernel_name=kernel_name,
            cwd=str(job.lesson_dir),
            progress_bar=False,
            log_output=False,
            execution_timeout=job.timeout,
            **extra,
        )
    except PapermillExecutionError as exc:
        if kernel is not None:
            kernel.replace()  # a failed lesson may leave anything behind: never reuse it
        raise BuildError(job.condition, f"{exc.ename}: {exc.evalue}", cell=exc.cell_index + 1) from None
    except Exception as exc:  # kernel died, timeout, ...: name the lesson, keep the build going
        if kernel is not None:
            kernel.replace()
        raise BuildError(job.condition, f"{type(exc).__name__}: {exc}") from None
    _renumber(nb)
    return _tidy(nb, job), {"condition": job.condition, "edition": job.edition}
