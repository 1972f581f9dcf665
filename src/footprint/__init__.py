"""footprint: PEF-style carbon footprint and circularity of products from their BOMs."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from footprint.api import Engine, assess
from footprint.bom import read_bom
from footprint.comparison import Comparison, compare
from footprint.errors import (
    BomError,
    DatasetError,
    FootprintError,
    InputTooLargeError,
    Problem,
    RuleError,
    UnitError,
)
from footprint.model import (
    Assessment,
    BomLine,
    Check,
    Circularity,
    ClimateChange,
    Dataset,
    LineResult,
    Product,
    ProductResult,
    Stage,
)

try:
    __version__ = version("footprint")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = [
    "Assessment",
    "BomError",
    "BomLine",
    "Check",
    "Circularity",
    "ClimateChange",
    "Comparison",
    "Dataset",
    "DatasetError",
    "Engine",
    "FootprintError",
    "InputTooLargeError",
    "LineResult",
    "Problem",
    "Product",
    "ProductResult",
    "RuleError",
    "Stage",
    "UnitError",
    "__version__",
    "assess",
    "compare",
    "read_bom",
]
