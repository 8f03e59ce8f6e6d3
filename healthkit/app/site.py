"""Write the course index and lessons.zip; place lesson pages."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content import iter_content_files
from ..io import write_bytes_atomic, write_text_atomic
from .bundle import install_files, install_steps
from .cache import BuildCache, FileInfo, code_digest, digest_bytes

if TYPE_CHECKING:
    from .build import BuildOptions


def site_dir(out_dir: Path) -> Path:
    return out_dir / "site"


def page_path(out_dir: Path, condition: str, edition: str) -> Path:
    if edition == "learner":
        return site_dir(out_dir) / f"{condition}.html"
    return out_dir / "teacher" / f"{condition}.html"


def navigation(catalog: list[tuple[str, str]], condition: str, edition: str) -> dict[str, Any]:
    """Index, previous and next links for a page; ``catalog`` is (id, title) in order."""
    ids = [c for c, _ in catalog]
    nav: dict[str, Any] = {"index": "index.html" if edition == "learner" else "../site/index.html", "prev": None, "next": None}
    if condition in ids:
        i = ids.index(condition)
        if i > 0:
            nav["prev"] = {"href": f"{ids[i - 1]}.html", "title": catalog[i - 1][1]}
        if i + 1 < len(ids):
            nav["next"] = {"href": f"{ids[i + 1]}.html", "title": catalog[i + 1][1]}
    return nav


def lessons_zip(out_dir: Path, content_dir: Path) -> bytes:
    """Learner notebooks, the content they read, and what installs them, laid out to run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for nb in sorted((out_dir / "lessons").glob("*.ipynb")):
            archive.write(nb, f"healthkit-lessons/build/lessons/{nb.name}")
        for path in iter_content_files(content_dir):
            archive.write(path, f"healthkit-lessons/content/{path.name}")
        add_install_files(archive, "healthkit-lessons")
    return buffer.getvalue()


def add_install_files(archive: zipfile.ZipFile, folder: str) -> None:
    """The healthkit wheel, requirements.txt, environment.yml and README.txt into ``folder``."""
    for name, data in install_files().items():
        archive.writestr(f"{folder}/{name}", data)
    archive.writestr(f"{folder}/README.txt", "Open these lessons in JupyterLab.\n\n" + install_steps("build/lessons"))


def write_index(options: "BuildOptions", infos: dict[str, FileInfo], cache: BuildCache, changed: bool) -> list[Path]:
    """The course index and lessons.zip, rewritten only when a lesson or the catalogue changed."""
    from ..exporters.index import IndexEntry

    site = site_dir(options.out_dir)
    entries = [
        IndexEntry(i.id, i.title, i.tagline, f"{i.id}.html", i.minutes, i.grade, i.updated_date, i.review)
        for name, i in infos.items()
        if i.ok and (site / f"{name}.html").is_file()
    ]
    index, archive = site / "index.html", site / "lessons.zip"
    fingerprint = digest_bytes(
        json.dumps([e.id + e.title + e.tagline + str(e.grade) + str(e.minutes) + str(e.updated) + e.review for e in entries]).encode(),
        code_digest().encode(),
        json.dumps({k: v.get("fingerprint") for k, v in cache.lessons.items() if k.startswith("learner/")}, sort_keys=True).encode(),
    )
    if not changed and cache.fresh("site/index", fingerprint):
        return [index, archive]
    from ..exporters.index import render_index

    write_text_atomic(index, render_index(entries))
    write_bytes_atomic(archive, lessons_zip(options.out_dir, options.content_dir))
    cache.record("site/index", fingerprint, [index, archive])
    return [index, archive]
