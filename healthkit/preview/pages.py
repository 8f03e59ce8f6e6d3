"""Built pages as the preview serves them: never written to disk, never in built files.

A served page is the built page with three changes, and no others:

* the reload script (``reload.js``) and the data it reads, before ``</body>``;
* its Content-Security-Policy allows that one script (by hash) and one connection, to the
  preview's event stream on the preview's own origin;
* quiz answers are kept under the preview's own browser storage keys, so answers given in a
  preview never mix with those of the built site (even when both are served from one address).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any, Sequence

from ..errors import HealthkitError
from ..exporters.page import asset, content_security_policy, csp_hash, json_for_script
from ..lesson.render import esc
from ..registry import EDITIONS_SPEC

#: Where served pages listen for changes (server-sent events).
EVENTS_PATH = "/__healthkit__/events"
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
_DATA_BLOCK = '<script type="application/json" id="{id}">'


class PageError(HealthkitError):
    """A file in the site folder is not a page healthkit built (no CSP to extend)."""


def reload_script() -> str:
    return resources.files("healthkit.preview").joinpath("reload.js").read_text(encoding="utf-8")


def preview_store(store: str) -> str:
    """The preview's own browser storage key for an edition's saved answers."""
    return store.replace("healthkit.", "healthkit.preview.", 1)


def extend_csp(policy: str, script: str, events_url: str) -> str:
    """``policy`` plus the reload script (by hash) and a connection to ``events_url`` only."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0] for d in directives]
    if "script-src" not in names or "connect-src" in names:
        raise PageError("the page's Content-Security-Policy is not one healthkit writes")
    out = []
    for directive in directives:
        if directive.split()[0] == "script-src":
            directive += f" {csp_hash(script)}"
        out.append(directive)
    out.append(f"connect-src {events_url}")
    return "; ".join(out)


def _rewrite_block(page: str, block_id: str, change: Any) -> str:
    """Replace the JSON of ``<script type="application/json" id=block_id>`` by ``change(value)``."""
    start_tag = _DATA_BLOCK.format(id=block_id)
    start = page.find(start_tag)
    if start < 0:
        return page
    begin = start + len(start_tag)
    end = page.index("</script>", begin)
    value = change(json.loads(page[begin:end]))
    return page[:begin] + json_for_script(value) + page[end:]


def _own_stores(page: str) -> str:
    stores = {spec.progress_store for spec in EDITIONS_SPEC.values()}

    def data(value: Any) -> Any:
        if isinstance(value, dict) and value.get("store") in stores:
            value["store"] = preview_store(value["store"])
        return value

    def index(value: Any) -> Any:
        return [preview_store(s) if s in stores else s for s in value] if isinstance(value, list) else value

    return _rewrite_block(_rewrite_block(page, "hk-data", data), "hk-stores", index)


def serve_page(built: bytes, page: str, digest: str, origin: str) -> bytes:
    """The built page ``built`` as served at ``page`` (a URL path) from ``origin``."""
    text = built.decode("utf-8")
    found = list(_CSP.finditer(text))
    end = text.rfind("</body>")
    if len(found) != 1 or end < 0:
        raise PageError(f"{page} is not a page healthkit built (no single Content-Security-Policy)")
    script = reload_script()
    policy = extend_csp(found[0].group(1), script, origin + EVENTS_PATH)
    text = text[: found[0].start(1)] + policy + text[found[0].end(1) :]
    text = _own_stores(text)
    end = text.rfind("</body>")
    data = {"page": page, "digest": digest, "events": EVENTS_PATH, "has_page": bool(digest)}
    injected = f'{_DATA_BLOCK.format(id="hk-preview")}{json_for_script(data)}</script>\n<script>{script}</script>\n'
    return (text[:end] + injected + text[end:]).encode("utf-8")


def placeholder(title: str, message: str, links: Sequence[tuple[str, str]] = ()) -> bytes:
    """A small built-like page for an address with no page (yet): still a healthkit page with a
    CSP, so :func:`serve_page` can serve it and it reloads when its lesson appears."""
    css = asset("page.css")
    items = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in links)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy([], [css])}">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f'<main id="main">\n<h1>{esc(title)}</h1>\n<p>{esc(message)}</p>\n'
        f'{f"<ul>{items}</ul>" if items else ""}\n</main>\n</body>\n</html>\n'
    ).encode("utf-8")
