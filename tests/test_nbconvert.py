"""Jupyter's own export path: `jupyter nbconvert`, and JupyterLab's export menu.

healthkit's offline page is the nbconvert exporter ``healthkit`` (an entry point), so the
command line and JupyterLab's File > Save and Export Notebook As offer it. The stock HTML
export, which knows nothing of healthkit, shows every quiz's readable fallback.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Iterator

import nbformat
import pytest

from healthkit.app.build import BuildOptions, build
from healthkit.lesson import open_lesson

from .browser import chromium, jupyter_lab
from .conftest import SEED

pytestmark = pytest.mark.slow
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CDN = re.compile(r"unpkg\.com|jsdelivr|cdnjs|require\.min\.js|html-manager", re.I)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one built lesson, rendered from the packaged template (the default)."""
    root = tmp_path_factory.mktemp("course")
    (root / "content").mkdir()
    shutil.copy2(SEED, root / "content" / SEED.name)
    report = build(BuildOptions(content_dir=root / "content", out_dir=root / "build", html=False, jobs=1))
    assert report.ok, report.results
    return root


def _nbconvert(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", *args], cwd=course, capture_output=True, text=True, timeout=300, check=True
    )


def _quiz_prompts(course: Path) -> list[str]:
    lesson = open_lesson("back-spasms", content_dir=course / "content")
    return [q.prompt for quiz in lesson.all_quiz_models() for q in quiz.questions]


def test_nbconvert_to_healthkit_writes_the_offline_page(course: Path) -> None:
    _nbconvert(course, "--to", "healthkit", "build/lessons/back-spasms.ipynb", "--output-dir", "pages")
    page = (course / "pages" / "back-spasms.html").read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not CDN.search(page)
    data = json.loads(re.search(r'<script type="application/json" id="hk-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    nb = nbformat.read(course / "build" / "lessons" / "back-spasms.ipynb", as_version=4)
    views = [o["data"][WIDGET_VIEW]["model_id"] for c in nb.cells for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 10 and list(data["models"])[:10] == views  # every quiz runs in the page, in page order
    assert "All lessons" not in page  # a page exported on its own links to no course index


def test_stock_html_export_shows_each_quiz_readable_fallback(course: Path) -> None:
    _nbconvert(course, "--to", "html", "build/lessons/back-spasms.ipynb", "--output-dir", "stock")
    page = html.unescape((course / "stock" / "back-spasms.html").read_text())
    assert page.count('class="hk-fallback"') == 10  # the triage check, seven section checks, the final quiz, the score summary
    for prompt in _quiz_prompts(course):
        assert prompt in page, prompt
    assert f'type="{WIDGET_VIEW}"' not in page  # no empty widget boxes waiting for a CDN
    assert "html-manager" not in page and "unpkg" not in page


@pytest.fixture(scope="module")
def lab(course: Path) -> Iterator[str]:
    with jupyter_lab(course, course / "jupyter.log") as url:
        yield url


@pytest.mark.browser
def test_jupyterlab_export_menu_offers_healthkit(course: Path, lab: str) -> None:
    with urllib.request.urlopen(f"{lab}/api/nbconvert", timeout=30) as response:
        formats = json.load(response)
    assert formats["healthkit"]["output_mimetype"] == "text/html"
    # What the menu item opens: the server runs the exporter and offers the page to download.
    with urllib.request.urlopen(f"{lab}/nbconvert/healthkit/build/lessons/back-spasms.ipynb?download=true", timeout=120) as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["Content-Disposition"].endswith("back-spasms.html")
        page = response.read().decode()
    assert "default-src 'none'" in page and not CDN.search(page)

    with chromium() as browser:
        page_ = browser.new_page(viewport={"width": 1280, "height": 900})
        # JupyterLab fills the export submenu from /api/nbconvert once it has loaded.
        with page_.expect_response(lambda r: "/api/nbconvert" in r.url and r.ok, timeout=90_000):
            page_.goto(f"{lab}/lab/tree/build/lessons/back-spasms.ipynb")
        page_.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page_.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
        page_.locator(".lm-Menu-itemLabel", has_text="Save and Export Notebook As").first.hover()
        item = page_.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^healthkit$", re.I))
        item.first.wait_for(timeout=30_000)
        assert item.count() == 1
