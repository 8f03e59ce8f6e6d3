"""One self-contained, offline HTML page per lesson.

Our own nbconvert template replaces the stock lab one (its CSS alone is ~257 KB), every
inline script and style is allowed by hash in a Content-Security-Policy that permits no
remote source, and quizzes run from the saved widget state with the widget's own ESM.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache
from typing import Any, Sequence

import mistune
from nbconvert.exporters import TemplateExporter
from nbconvert.filters import DataTypeFilter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets import Bool, Dict, Unicode

from ..registry import EDITIONS_SPEC, SITE_EDITION
from .page import TEMPLATES, asset, content_security_policy, json_for_script, lesson_css
from .widgets import WidgetStatePreprocessor

#: Structured data (schema.org JSON-LD) in an output; the page puts it in its <head>.
JSONLD_MIMETYPE = "application/ld+json"
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.S | re.I)
_SCRIPT_BLOCK = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_markdown = mistune.create_markdown(escape=True)

#: What a page says about where answers go, unless the caller says otherwise.
FOOTER = (
    "This page works offline and makes no network requests. Your quiz answers are kept only in this "
    "browser on this device; nothing is sent anywhere."
)


def safe_markdown(text: str) -> str:
    """Markdown to HTML with raw HTML escaped, so a literal <script> stays text."""
    return str(_markdown(text))


def strip_style(fragment: str) -> str:
    """Drop <style>/<script> blocks from outputs: the page ships its own CSS under CSP."""
    return _SCRIPT_BLOCK.sub("", _STYLE_BLOCK.sub("", fragment))


#: Navigation of a page exported on its own (``jupyter nbconvert --to healthkit``): no links.
STANDALONE_NAV: dict[str, Any] = {"index": None, "prev": None, "next": None}


class LessonHTMLExporter(TemplateExporter):
    """Exports an executed lesson notebook to one offline page; returns (html, resources).

    Registered as the nbconvert exporter ``healthkit``: ``jupyter nbconvert --to healthkit
    lesson.ipynb`` writes ``lesson.html``, and JupyterLab's File > Save and Export Notebook
    As menu lists it.
    """

    export_from_notebook = "healthkit lesson page"
    output_mimetype = "text/html"
    file_extension = Unicode(".html").tag(config=True)
    template_name = Unicode("healthkit").tag(config=True)
    hide_code = Bool(True, help="Hide code cells (learners never need to read Python).").tag(config=True)
    nav = Dict(help="Links: {'index': href | None, 'prev': {href, title} | None, 'next': ...}").tag(config=True)

    @property
    def default_config(self) -> Any:
        config = super().default_config
        config.merge({"NbConvertBase": {"display_data_priority": [
            "application/vnd.jupyter.widget-view+json", "text/html", "text/markdown", "image/png", "text/plain",
        ]}})
        return config

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(extra_template_basedirs=[str(TEMPLATES)], **kwargs)
        self.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags={"remove-cell", "injected-parameters"}), enabled=True
        )
        self.register_preprocessor(LessonPagePreprocessor(), enabled=True)
        self.register_filter("filter_data_type", DataTypeFilter(parent=self))
        self.register_filter("hk_markdown", safe_markdown)
        self.register_filter("hk_strip_style", strip_style)

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[Any, dict[str, Any]]:
        resources = dict(resources or {})
        resources.setdefault(
            "hk_options",
            {"nav": self.nav or STANDALONE_NAV, "hide_code": self.hide_code},
        )
        output, resources = super().from_notebook_node(nb, resources, **kw)
        return str(output), resources


class LessonPagePreprocessor(WidgetStatePreprocessor):
    """Gather what the page template needs: CSS, runtime, widget data and its CSP."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        nb, resources = super().preprocess(nb, resources)
        widgets = resources["widgets"]
        meta = nb.metadata.get("healthkit", {})
        css = "\n".join([asset("page.css"), lesson_css(), *widgets["css"].values()])
        runtime = asset("runtime.js")
        title = _title(nb)
        edition = meta.get("edition", SITE_EDITION)
        spec = EDITIONS_SPEC.get(edition, EDITIONS_SPEC[SITE_EDITION])
        data = {
            "lesson": meta.get("condition", ""),
            "title": title,
            "edition": spec.name,
            "store": spec.progress_store,
            "models": widgets["models"],
            "esm": widgets["esm"],
        }
        structured = _structured_data(nb)
        options = resources.get("hk_options", {})
        scripts = list(options.get("scripts", ()))
        resources["hk"] = {
            "title": title,
            "language": meta.get("language", "en"),
            "css": css,
            "runtime": runtime,
            "data": json_for_script(data),
            "blocks": [(name, json_for_script(value)) for name, value in options.get("blocks", ())],
            "scripts": scripts,
            "jsonld": [json_for_script(item) for item in structured],
            "csp": content_security_policy([*scripts, runtime], [css]),
            "nav": options.get("nav") or STANDALONE_NAV,
            "hide_code": options.get("hide_code", True),
            "footer": options.get("footer") or FOOTER,
        }
        return nb, resources


def _structured_data(nb: Any) -> list[Any]:
    """Every JSON-LD document the lesson's outputs carry (the header has one)."""
    return [
        output["data"][JSONLD_MIMETYPE]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if JSONLD_MIMETYPE in output.get("data", {})
    ]


def _title(nb: Any) -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
            if found:  # the heading's text, as a reader sees it (the template escapes it again)
                return html_lib.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()
    return str(nb.metadata.get("title", "Lesson"))


@lru_cache(maxsize=1)
def _shared_exporter() -> LessonHTMLExporter:
    """One exporter per process: its templates are compiled once, not for every page."""
    return LessonHTMLExporter()


def export_lesson(
    nb: Any,
    nav: dict[str, Any] | None = None,
    hide_code: bool = True,
    scripts: Sequence[str] = (),
    blocks: Sequence[tuple[str, Any]] = (),
    footer: str = "",
    exporter: LessonHTMLExporter | None = None,
) -> tuple[str, dict[str, Any]]:
    """Export one executed lesson notebook to (html, resources).

    ``scripts`` are classic inline scripts that run before the page runtime (each allowed by
    its hash in the page's Content-Security-Policy); ``blocks`` are ``(id, value)`` pairs
    embedded as JSON data elements they can read; ``footer`` replaces the privacy note;
    ``exporter`` is the one to use (default: one shared by this process).
    """
    options = {
        "nav": nav or {"index": "index.html", "prev": None, "next": None},
        "hide_code": hide_code,
        "scripts": tuple(scripts),
        "blocks": tuple(blocks),
        "footer": footer,
    }
    output, resources = (exporter or _shared_exporter()).from_notebook_node(nb, {"hk_options": options})
    return str(output), resources
