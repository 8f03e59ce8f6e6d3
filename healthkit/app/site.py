"""Write the course index and lessons.zip; place lesson pages."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..io import write_bytes_atomic
from ..registry import EDITIONS_SPEC, SITE_EDITION
from .bundle import BundleFile, zip_bytes
from .cache import BuildCache, FileInfo, code_digest, digest_bytes
from .install import install_entries, install_steps
from .outputs import inside

if TYPE_CHECKING:
    from ..exporters.index import IndexEntry
    from .build import BuildOptions


def site_dir(out_dir: Path) -> Path:
    """The course site: the site edition's page folder, with the index and lessons.zip."""
    return out_dir / EDITIONS_SPEC[SITE_EDITION].page_folder


def page_path(out_dir: Path, condition: str, edition: str) -> Path:
    return out_dir / EDITIONS_SPEC[edition].page_folder / f"{condition}.html"


def _index_href(edition: str) -> str:
    """The course index, relative to a page of ``edition``."""
    folder, site = EDITIONS_SPEC[edition].page_folder, EDITIONS_SPEC[SITE_EDITION].page_folder
    return "index.html" if folder == site else f"../{site}/index.html"


def navigation(catalog: list[tuple[str, str]], condition: str, edition: str) -> dict[str, Any]:
    """Index, previous and next links for a page; ``catalog`` is (id, title) in order."""
    ids = [c for c, _ in catalog]
    nav: dict[str, Any] = {"index": _index_href(edition), "prev": None, "next": None}
    if condition in ids:
        i = ids.index(condition)
        if i > 0:
            nav["prev"] = {"href": f"{ids[i - 1]}.html", "title": catalog[i - 1][1]}
        if i + 1 < len(ids):
            nav["next"] = {"href": f"{ids[i + 1]}.html", "title": catalog[i + 1][1]}
    return nav


LESSONS_README = "Open these lessons in JupyterLab.\n\n" + install_steps("build/lessons")


def lessons_zip_files(lessons: list[tuple[Path, Path]]) -> list[BundleFile]:
    """What ``lessons.zip`` holds, laid out to run: for each published lesson, its learner
    notebook and the content file it was built from (``(notebook, content file)`` pairs),
    then what installs them (the healthkit wheel, requirements.txt, environment.yml; see
    :mod:`healthkit.app.install`) and a README. Nothing else is ever packed."""
    root = "healthkit-lessons"
    files: list[BundleFile] = []
    for notebook, content in lessons:
        files.append(BundleFile(f"{root}/build/lessons/{notebook.name}", notebook))
        # A content file may link to another file of its folder (checked before it is built).
        files.append(BundleFile(f"{root}/content/{content.name}", Path(os.path.realpath(content))))
    files += install_entries(root)
    files.append(BundleFile(f"{root}/README.txt", data=LESSONS_README.encode("utf-8")))
    return files


def published_lessons(options: "BuildOptions", infos: dict[str, FileInfo], files: dict[str, Path], cache: BuildCache) -> list[str]:
    """The lessons the site shows: valid content whose learner lesson this output folder holds,
    as the cache records it (never a page or notebook that merely lies in the folder)."""
    published = []
    for name, info in infos.items():
        outputs = cache.outputs(f"{SITE_EDITION}/{name}")
        notebook = options.lesson_dir(SITE_EDITION) / f"{name}.ipynb"
        page = page_path(options.out_dir, name, SITE_EDITION)
        paths = {os.path.normpath(p) for p in outputs}
        if info.ok and os.path.normpath(notebook) in paths and os.path.normpath(page) in paths and inside(files[name], options.content_dir):
            published.append(name)
    return published


def index_entry(info: FileInfo, href: str, quizzes: Mapping[str, Mapping[str, str]] | None = None) -> "IndexEntry":
    """A lesson's card on an index page (the course index, a SCORM package's overview)."""
    from ..exporters.index import IndexEntry

    return IndexEntry(
        info.id, info.title, info.tagline, href, info.minutes, info.grade, info.updated_date, info.review, info.language, quizzes or {}
    )


def _quiz_fits(notebook: Path) -> dict[str, dict[str, str]]:
    """What the index needs to count a lesson's saved answers (see :func:`~healthkit.exporters.index.quiz_fits`)."""
    from ..exporters.index import quiz_fits

    try:
        metadata = json.loads(notebook.read_bytes()).get("metadata", {})
        return quiz_fits(metadata) if isinstance(metadata, dict) else {}
    except (OSError, ValueError, AttributeError, KeyError, TypeError, RecursionError):
        return {}  # the index then counts no answers for it


def write_index(options: "BuildOptions", infos: dict[str, FileInfo], files: dict[str, Path], cache: BuildCache, changed: bool) -> list[Path]:
    """The course index and lessons.zip, rewritten only when a lesson or the catalogue changed."""
    site = site_dir(options.out_dir)
    names = published_lessons(options, infos, files, cache)
    notebooks = {n: options.lesson_dir(SITE_EDITION) / f"{n}.ipynb" for n in names}
    entries = [index_entry(infos[n], f"{infos[n].id}.html", _quiz_fits(notebooks[n])) for n in names]
    bundle = lessons_zip_files([(notebooks[n], files[n]) for n in names])
    index, archive = site / "index.html", site / "lessons.zip"
    fingerprint = digest_bytes(
        json.dumps([[e.id, e.title, e.tagline, e.grade, e.minutes, str(e.updated), e.review, e.language, e.quizzes] for e in entries]).encode(),
        code_digest().encode(),
        json.dumps({k: v.get("fingerprint") for k, v in cache.lessons.items() if k.startswith(f"{SITE_EDITION}/")}, sort_keys=True).encode(),
        json.dumps([f.name for f in bundle]).encode(),
        *(f.data for f in bundle if f.data is not None),  # the install files and README
    )
    if not changed and cache.fresh("site/index", fingerprint):
        return [index, archive]
    from ..exporters.index import render_index

    page, data = render_index(entries).encode("utf-8"), zip_bytes(bundle)
    write_bytes_atomic(index, page)
    write_bytes_atomic(archive, data)
    cache.record("site/index", fingerprint, {index: digest_bytes(page), archive: digest_bytes(data)})
    return [index, archive]
