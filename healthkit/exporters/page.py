"""Building blocks every offline page shares: assets, CSP, safe embedded JSON.

Kept apart from the nbconvert exporter so the course index can be written without
importing nbconvert.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources as files
from pathlib import Path
from typing import Any

TEMPLATES = Path(str(files.files("healthkit").joinpath("exporters").joinpath("templates")))

def asset(name: str) -> str:
    return (TEMPLATES / "healthkit" / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: list[str], styles: list[str], modules: bool = True) -> str:
    """No remote sources at all; inline code allowed only by hash; with ``modules``, widget
    modules from blob: (a page without widgets leaves it out)."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join([csp_hash(s) for s in scripts] + (["blob:"] if modules else [])),
            "style-src " + " ".join(csp_hash(s) for s in styles),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def json_for_script(value: Any) -> str:
    """JSON that cannot end its <script> element early, whatever the content holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def collect_widgets(metadata: dict[str, Any]) -> dict[str, Any]:
    """A notebook's saved anywidget state: ``{"models": {id: state}, "esm": {key: source},
    "css": {key: text}}``, read from ``metadata.healthkit.widgets`` (where a lesson built by
    healthkit keeps it) and ``metadata.widgets`` (any other executed notebook)."""
    saved = {
        **metadata.get("healthkit", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}),
        **metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}),
    }
    models: dict[str, Any] = {}
    esm: dict[str, str] = {}
    css: dict[str, str] = {}
    for model_id, model in saved.items():
        if model.get("model_module") != "anywidget":
            continue
        state = dict(model.get("state", {}))
        source = state.pop("_esm", "")
        style = state.pop("_css", "")
        if not source:
            continue
        esm_key = _key(source)
        esm[esm_key] = source
        if style:
            css[_key(style)] = style
        keep = {k: v for k, v in state.items() if not k.startswith("_") and k not in ("layout", "tabbable", "tooltip")}
        models[model_id] = {"esm": esm_key, "state": keep}
    return {"models": models, "esm": esm, "css": css}


def lesson_css() -> str:
    return files.files("healthkit").joinpath("lesson").joinpath("lesson.css").read_text(encoding="utf-8")
