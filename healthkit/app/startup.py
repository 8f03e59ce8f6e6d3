"""Start-up trimming for healthkit's own build processes (never applied on library import)."""

from __future__ import annotations

import sys


def skip_unused_format_checker() -> None:
    """Do not load the "iri" format checker that jsonschema pulls in for nbformat.

    jsonschema imports ``rfc3987_syntax`` when it is installed, which compiles a grammar on
    import (about 0.9 s on a small machine) only to check "iri" string formats. Notebook
    schemas use no such format, so a process that only builds lessons can skip it. This is
    called by the ``healthkit`` command and its worker processes, never by ``import healthkit``,
    so an application that uses jsonschema itself keeps every checker.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
