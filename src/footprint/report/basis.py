"""What a product's figure rests on, in words for the terminal and the HTML report: how far
its climate change is split into fossil / biogenic / land use, and on which GWP bases its
factors were characterised.

Only reading: every figure comes from the ``ProductResult`` unchanged.
"""

from __future__ import annotations

from footprint.model import ClimateChange, ProductResult

PARTS: tuple[tuple[str, str], ...] = (
    ("fossil", "fossil"),
    ("biogenic", "biogenic"),
    ("luluc", "land use"),
    ("not_split", "not split"),
)
EF31 = "EF3.1"


def split_text(cc: ClimateChange, spec: str = ".4g") -> str:
    """'fossil 3.2 · not split 40.1' — only the parts the figure has; '' for a zero figure."""
    parts = [f"{label} {format(getattr(cc, name), spec)}" for name, label in PARTS
             if getattr(cc, name)]  # fmt: skip
    return " · ".join(parts)


def basis_text(product: ProductResult) -> str:
    """'AR5 78 % · AR4 20 % · EF3.1 2 %' by share, largest first; '' when none is known."""
    shares = sorted(product.gwp_basis_shares.items(), key=lambda item: -item[1])
    return " · ".join(f"{basis} {share:.0%}" for basis, share in shares if share)


def not_all_ef31(product: ProductResult) -> bool:
    return any(share for basis, share in product.gwp_basis_shares.items() if basis != EF31)
