"""Numbers as PACT writes them: decimal strings, never exponents, never NaN.

PACT v3 types every quantity as a ``Decimal`` string matching ``^[+-]?\\d+(\\.\\d+)?$``
(openapi.yaml, components.schemas.Decimal).  A float is written from its shortest
round-tripping repr, so 0.1 stays "0.1" and 1e-7 becomes "0.0000001".
"""

from __future__ import annotations

import math
from decimal import Decimal


def decimal_text(value: float) -> str:
    """``value`` as a PACT decimal string (plain notation, no trailing zeros)."""
    if not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be written as a PACT decimal")
    number = Decimal(repr(float(value)))
    if number == 0:
        return "0"
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def parse_decimal(value: object) -> float:
    """A PACT decimal (v3: a string; v2: a string or a JSON number) as a float."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a decimal")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        number = float(Decimal(value.strip()))
    else:
        raise ValueError("not a decimal")
    if not math.isfinite(number):
        raise ValueError("not a finite decimal")
    return number
