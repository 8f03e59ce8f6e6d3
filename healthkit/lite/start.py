"""The site's own address, ``index.html``: it opens the welcome page, or says how to serve the site.

JupyterLite's ``index.html`` opens JupyterLab with only the Launcher. The site's build replaces
it with this page, which

- over HTTP sends the browser on to :data:`START` (``lab/index.html?path=README.md``), a
  relative address, so the site works under any sub-path (a GitHub Pages project site, a
  folder of a school's web server);
- opened from a ``file://`` address, where JupyterLite cannot run, says so in plain words and
  gives the one command that serves the folder.

It carries a ``#jupyter-config-data`` script, empty: JupyterLab's pages look for one in the
root ``index.html`` while they load (and fail without it), and take the site's settings from
``jupyter-lite.json``, which the build writes (the browser test opens a lesson through this page). The site sends no Content-Security-Policy (JupyterLite's
own pages run inline scripts too), so the page's one inline script needs no hash.
"""

from __future__ import annotations

from html import escape

from .welcome import WELCOME

#: Where the site opens: JupyterLab, showing the welcome page (relative to the site's folder).
START = f"lab/index.html?path={WELCOME}"

#: Serves the folder it is run in, on this computer only; :data:`SERVED_AT` then opens the site.
SERVE_COMMAND = "python -m http.server --bind 127.0.0.1"
SERVED_AT = "http://127.0.0.1:8000/"


def start_page(title: str) -> str:
    """The site's ``index.html``, titled ``title``."""
    title = escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">
  {{}}
</script>
<style>
  body {{ font: 1.125rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }}
  pre {{ background: #f3f3f3; padding: 0.75rem; overflow-x: auto; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p id="open"><a href="{START}">Open the lessons</a></p>
<div id="from-file" hidden>
<p>These lessons run in your web browser, but not straight from a folder: the site must be
served over HTTP, by a web server. One on this computer will do.</p>
<p>Open a terminal (command prompt) in this folder and run:</p>
<pre><code>{SERVE_COMMAND}</code></pre>
<p>(On some computers the command starts with <code>python3</code>.) Then open
<a href="{SERVED_AT}">{SERVED_AT}</a> in your browser, and keep the terminal open while you
use the lessons.</p>
</div>
</main>
<script>
  if (location.protocol === "file:") {{
    document.getElementById("open").hidden = true;
    document.getElementById("from-file").hidden = false;
  }} else {{
    location.replace("{START}");
  }}
</script>
</body>
</html>
"""
