"""Writing conditions back to YAML (used by the importer and round-trip tests)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from ruamel.yaml import YAML

from ..model import Condition
from .convert import to_data
from .yamlio import FORBIDDEN


def comment_text(text: str) -> str:
    """``text`` as one comment line: characters a YAML reader could take for a line break
    (or refuse) become spaces, so nothing after ``#`` ever turns into YAML."""
    return " ".join(FORBIDDEN.sub(" ", text).split())


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 88
    return yaml


def dumps_condition(condition: Condition, header: str = "") -> str:
    """YAML text for ``condition``; ``header`` lines are written as leading comments."""
    buffer = io.StringIO()
    _yaml().dump(to_data(condition), buffer)
    comments = "".join(f"# {comment_text(line)}\n" if line.strip() else "#\n" for line in header.splitlines())
    return comments + buffer.getvalue()


def dump_condition(condition: Condition, path: str | os.PathLike[str], header: str = "") -> None:
    from ..io import write_text_atomic

    write_text_atomic(Path(path), dumps_condition(condition, header))
