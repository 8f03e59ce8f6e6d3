"""Live preview: serve the course site on this computer, rebuild on every save, reload pages.

``pages`` turns built pages into served ones (the reload script, its CSP allowance, the
preview's own progress store), ``server`` serves them with server-sent events, ``watch``
reports saved files. The app that ties them to the build is :mod:`healthkit.app.preview`.
"""

#: Port ``healthkit preview`` listens on unless told otherwise (127.0.0.1 only).
DEFAULT_PORT = 8400
