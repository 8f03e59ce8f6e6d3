"""Write the offline site: one page per lesson, the course index and lessons.zip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content import check_file, iter_content_files
from ..content.readability import reading_levels, reading_minutes
from ..io import write_bytes_atomic, write_text_atomic
from ..model import Condition

if TYPE_CHECKING:
    from ..render import LessonJob
    from .build import BuildOptions, LessonResult


def site_dir(out_dir: Path) -> Path:
    return out_dir / "site"


def _catalog(content_dir: Path) -> list[Condition]:
    found = []
    for path in iter_content_files(content_dir):
        result = check_file(path)
        if result.ok and result.condition is not None:
            found.append(result.condition)
    return found


def page_path(out_dir: Path, condition: str, edition: str) -> Path:
    if edition == "learner":
        return site_dir(out_dir) / f"{condition}.html"
    return out_dir / "teacher" / f"{condition}.html"


def navigation(conditions: list[Condition], condition: str, edition: str) -> dict[str, Any]:
    ids = [c.id for c in conditions]
    nav: dict[str, Any] = {"index": "index.html" if edition == "learner" else "../site/index.html", "prev": None, "next": None}
    if condition in ids:
        i = ids.index(condition)
        if i > 0:
            nav["prev"] = {"href": f"{ids[i - 1]}.html", "title": conditions[i - 1].title}
        if i + 1 < len(ids):
            nav["next"] = {"href": f"{ids[i + 1]}.html", "title": conditions[i + 1].title}
    return nav


def write_lesson_page(nb: Any, job: "LessonJob", out_dir: Path) -> Path:
    from ..exporters import export_lesson

    nav = navigation(_catalog(job.content_dir), job.condition, job.edition)
    html, _ = export_lesson(nb, nav=nav)
    path = page_path(out_dir, job.condition, job.edition)
    write_text_atomic(path, html)
    return path


def lessons_zip(out_dir: Path, content_dir: Path, environment: Path | None) -> bytes:
    """Learner notebooks, the content they read, and environment.yml, laid out to run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for nb in sorted((out_dir / "lessons").glob("*.ipynb")):
            archive.write(nb, f"healthkit-lessons/build/lessons/{nb.name}")
        for path in iter_content_files(content_dir):
            archive.write(path, f"healthkit-lessons/content/{path.name}")
        if environment and environment.is_file():
            archive.write(environment, "healthkit-lessons/environment.yml")
        archive.writestr(
            "healthkit-lessons/README.txt",
            "Open these lessons in JupyterLab:\n\n"
            "1. Create the environment: conda env create -f environment.yml\n"
            "   (or: pip install healthkit jupyterlab)\n"
            "2. Start JupyterLab in this folder: jupyter lab\n"
            "3. Open build/lessons/<lesson>.ipynb and choose Run > Run All Cells.\n",
        )
    return buffer.getvalue()


def write_index(options: "BuildOptions", results: list["LessonResult"]) -> list[Path]:
    from ..exporters import IndexEntry, render_index

    site = site_dir(options.out_dir)
    entries = []
    for condition in _catalog(options.content_dir):
        if not (site / f"{condition.id}.html").is_file():
            continue
        whole, _ = reading_levels(condition)
        entries.append(
            IndexEntry(
                id=condition.id,
                title=condition.title,
                tagline=condition.tagline,
                href=f"{condition.id}.html",
                minutes=reading_minutes(condition),
                grade=whole.grade,
                last_reviewed=condition.last_reviewed,
            )
        )
    index = site / "index.html"
    write_text_atomic(index, render_index(entries))
    archive = site / "lessons.zip"
    environment = Path("environment.yml")
    write_bytes_atomic(archive, lessons_zip(options.out_dir, options.content_dir, environment))
    return [index, archive]
