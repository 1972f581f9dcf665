"""Material Circularity Indicator (Ellen MacArthur Foundation & Granta Design, 2015).

    V   = M·(1 − FR − FU)                      virgin feedstock
    W0  = M·(1 − CR − CU)                      unrecoverable waste from the product
    WC  = M·(1 − EC)·CR                        waste of the end-of-life recycling process
    WF  = M·(1 − EF)·FR / EF                   waste of producing the recycled feedstock
    W   = W0 + (WF + WC)/2
    LFI = (V + W) / (2M + (WF − WC)/2)         linear flow index
    X   = (L/Lav)·(U/Uav),  F(X) = 0.9/X,  MCI = max(0, 1 − LFI·F(X))

A product of several materials sums V, W0, WC and WF over its materials (each with its own
efficiencies) before forming LFI.  The 0.9 of F(X) is the methodology's own constant: it makes a
fully linear product of average utility score 0.1.  The 2019 biological extension (FS, CC, CE)
is not implemented.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from footprint.model import MciResult

# F(X) = 0.9 / X: the constant of the EMF 2015 methodology, not a tunable parameter.
_UTILITY_CONSTANT = 0.9


@dataclass(frozen=True)
class MciFlow:
    """One material of a product, as the MCI sees it (all shares are fractions of its mass)."""

    mass_kg: float  # M
    recycled_share: float = 0.0  # FR, feedstock from recycled sources (the CFF's R1)
    reuse_share: float = 0.0  # FU, feedstock from reused sources
    recycling_rate: float = 0.0  # CR, collected for recycling at end of life (the CFF's R2)
    reuse_rate: float = 0.0  # CU, going to component reuse at end of life
    efficiency_eol: float = 1.0  # EC, efficiency of the end-of-life recycling process
    efficiency_feedstock: float = 1.0  # EF, efficiency of producing the recycled feedstock


def utility(
    lifetime: float | None = None,  # L
    lifetime_average: float | None = None,  # Lav
    intensity: float | None = None,  # U
    intensity_average: float | None = None,  # Uav
) -> tuple[float, list[str]]:
    """X = (L/Lav)·(U/Uav); a ratio whose figures are missing counts as 1, with a note."""
    x = 1.0
    missing = []
    for name, ratio, value, average in (
        ("lifetime", "L/Lav", lifetime, lifetime_average),
        ("use intensity", "U/Uav", intensity, intensity_average),
    ):
        if value is None or average is None:
            missing.append(ratio)
            continue
        if value <= 0 or average <= 0:
            raise ValueError(f"{name} and its industry average must be > 0")
        x *= value / average
    if not missing:
        return x, []
    taken = " and ".join(f"{r} = 1" for r in missing)
    return x, [f"MCI: no product-to-industry-average figures for {taken} (Products sheet)"]


def mci(flows: MciFlow | Iterable[MciFlow], x: float = 1.0) -> MciResult:
    """The MCI of one material or of a product made of several; ``x`` is the utility X."""
    flows = [flows] if isinstance(flows, MciFlow) else list(flows)
    return mci_of(
        [f.mass_kg for f in flows],
        [f.recycled_share for f in flows],
        [f.reuse_share for f in flows],
        [f.recycling_rate for f in flows],
        [f.reuse_rate for f in flows],
        [f.efficiency_eol for f in flows],
        [f.efficiency_feedstock for f in flows],
        x,
    )


def mci_of(
    mass_kg: Sequence[float] | np.ndarray,  # M
    recycled_share: Sequence[float] | np.ndarray,  # FR
    reuse_share: Sequence[float] | np.ndarray,  # FU
    recycling_rate: Sequence[float] | np.ndarray,  # CR
    reuse_rate: Sequence[float] | np.ndarray,  # CU
    efficiency_eol: Sequence[float] | np.ndarray,  # EC
    efficiency_feedstock: Sequence[float] | np.ndarray,  # EF
    x: float = 1.0,
) -> MciResult:
    """``mci`` of materials given field by field (one sequence per ``MciFlow`` field, one
    item per material): each sum over the materials computed column-wise."""
    if x <= 0:
        raise ValueError("the utility X must be > 0")
    m, fr, fu, cr, cu, ec, ef = (
        np.asarray(v, dtype=float)
        for v in (
            mass_kg,
            recycled_share,
            reuse_share,
            recycling_rate,
            reuse_rate,
            efficiency_eol,
            efficiency_feedstock,
        )
    )
    mass = sum(m.tolist())  # M
    if mass <= 0:
        raise ValueError("the MCI needs a product mass > 0")
    virgin, w0, wc, wf = (sum(t.tolist()) for t in flow_terms(m, fr, fu, cr, cu, ec, ef))
    waste, lfi = waste_and_lfi(mass, virgin, w0, wc, wf)
    factor = utility_factor(x)  # F(X)
    return MciResult(
        mci=max(0.0, 1 - lfi * factor),
        mass_kg=mass,
        virgin_kg=virgin,
        unrecoverable_waste_kg=waste,
        linear_flow_index=lfi,
        utility=x,
        utility_factor=factor,
    )


def flow_terms(
    m: np.ndarray,
    fr: np.ndarray,
    fu: np.ndarray,
    cr: np.ndarray,
    cu: np.ndarray,
    ec: np.ndarray,
    ef: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per material (elementwise, any broadcastable shape: one product, or iterations ×
    materials in the Monte Carlo): its parts of V, W0, WC and WF, to be summed over the
    materials."""
    with np.errstate(over="ignore", invalid="ignore"):  # overflow gives inf, as Python's floats
        return (
            m * (1 - fr - fu),  # V
            m * (1 - cr - cu),  # W0
            m * (1 - ec) * cr,  # WC
            _feedstock_waste(m, fr, ef),  # WF
        )


def waste_and_lfi(mass: Any, virgin: Any, w0: Any, wc: Any, wf: Any) -> tuple[Any, Any]:
    """W = W0 + (WF + WC)/2 and LFI = (V + W) / (2M + (WF − WC)/2), from the sums over the
    materials (floats, or arrays of them)."""
    waste = w0 + (wf + wc) / 2  # W
    return waste, (virgin + waste) / (2 * mass + (wf - wc) / 2)


def utility_factor(x: float) -> float:
    """F(X) = 0.9 / X."""
    return _UTILITY_CONSTANT / x


def _feedstock_waste(m: np.ndarray, fr: np.ndarray, ef: np.ndarray) -> np.ndarray:
    """WF = M·(1 − EF)·FR/EF per material; no recycled feedstock means no such waste,
    whatever EF is."""
    recycled = fr != 0
    if (np.broadcast_to(ef, recycled.shape)[recycled] <= 0).any():
        raise ValueError("EF must be > 0 when there is recycled feedstock")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(recycled, m * (1 - ef) * fr / ef, 0.0)
