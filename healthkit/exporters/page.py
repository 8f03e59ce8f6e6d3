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


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """No remote sources at all; inline code allowed only by hash; widget modules from blob:."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join([csp_hash(s) for s in scripts] + ["blob:"]),
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


def lesson_css() -> str:
    return files.files("healthkit").joinpath("lesson").joinpath("lesson.css").read_text(encoding="utf-8")
