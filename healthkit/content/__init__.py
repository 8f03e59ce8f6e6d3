"""Reading, validating and describing condition content files."""

from .loader import (
    Catalog,
    CheckResult,
    check_file,
    check_text,
    iter_content_files,
    load_catalog,
    load_condition,
    loads_condition,
)
from .serialize import dump_condition, dumps_condition

__all__ = [
    "Catalog",
    "CheckResult",
    "check_file",
    "check_text",
    "dump_condition",
    "dumps_condition",
    "iter_content_files",
    "load_catalog",
    "load_condition",
    "loads_condition",
]
