"""Lite sites: the lessons in JupyterLab running in the browser (JupyterLite and Pyodide).

``pins`` lists every input with its version and hash; ``inputs`` downloads, caches and
verifies them; ``wheel`` unpacks wheels and makes healthkit's own; ``lock`` writes Pyodide's
lock file for the wheels a site ships; ``welcome`` writes the site's first page; ``check``
reads a built site the way the browser will; ``serve`` serves one on 127.0.0.1. The build
itself is :func:`healthkit.app.lite.make_lite`.
"""
