"""Carry saved anywidget state from a notebook into an offline page.

papermill stores every widget's state in the notebook metadata, including each anywidget's
own ESM and CSS; a lesson built by healthkit keeps it under ``metadata.healthkit.widgets``
(see :func:`healthkit.render.execute._tidy`), any other executed notebook under
``metadata.widgets``. Both are read. This preprocessor keeps only anywidget models, stores each distinct ESM
and CSS once, and leaves the page runtime to render the *same* widget code against a small
in-page model.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor

from .page import WIDGET_STATE, collect_widgets

__all__ = ["WIDGET_STATE", "WIDGET_VIEW", "WidgetStatePreprocessor", "collect_widgets", "in_page_order"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def in_page_order(models: dict[str, Any], nb: Any) -> dict[str, Any]:
    """``models`` with the ones the notebook displays first, in the order it displays them.

    Saved notebooks sort their metadata keys, so the saved state lists widgets by their
    random ids; the page should list them as a reader meets them.
    """
    shown = [
        output["data"][WIDGET_VIEW].get("model_id")
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    ordered = {model_id: models[model_id] for model_id in shown if model_id in models}
    return {**ordered, **{k: v for k, v in models.items() if k not in ordered}}


class WidgetStatePreprocessor(Preprocessor):
    """Put the notebook's anywidget state into ``resources["widgets"]``, in page order."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        widgets = collect_widgets(nb.metadata)
        widgets["models"] = in_page_order(widgets["models"], nb)
        resources["widgets"] = widgets
        return nb, resources
