"""footprint: PEF-style carbon footprint and circularity of products from their BOMs."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from footprint.api import Engine, assess
from footprint.bom import read_bom
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

if TYPE_CHECKING:
    from footprint.comparison import Comparison, compare


def __getattr__(name: str) -> Any:
    """``compare`` and ``Comparison`` imported when first asked for: defining the comparison's
    models took ~35 ms of every command's start, comparing or not."""
    if name in ("compare", "Comparison"):
        from footprint import comparison

        return getattr(comparison, name)
    raise AttributeError(f"module 'footprint' has no attribute {name!r}")


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
