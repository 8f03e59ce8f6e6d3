"""healthkit: turn structured health-condition articles into interactive Jupyter lessons.

The public API is small: load and validate content (:func:`load_condition`,
:func:`loads_condition`, :func:`load_catalog`), and the model types in
:mod:`healthkit.model`. Lessons, quizzes and exporters live in subpackages and are imported
only when used, so ``import healthkit`` stays cheap.
"""

from .content import load_catalog, load_condition, loads_condition
from .errors import ContentError, Diagnostic, HealthkitError
from .model import SECTION_NAMES, Condition

__version__ = "0.1.0"

__all__ = [
    "SECTION_NAMES",
    "Condition",
    "ContentError",
    "Diagnostic",
    "HealthkitError",
    "__version__",
    "load_catalog",
    "load_condition",
    "loads_condition",
]
