"""The Material Circularity Indicator per Monte Carlo iteration, when its inputs vary.

The MCI of a product (``circularity.mci``, EMF 2015) is rebuilt here from the same flows the
circularity step used — every mass line with a catalog dataset that is not a waste treatment,
its FR (R1), FU, CR (R2), CU, EC and EF resolved line → dataset → product → default by
``circularity.parameters.LineParameters`` — and checked against the assessed value (else it is
"not sampled", said).  Per iteration the flows' masses move with the lines' quantity draws,
FR with the ranges of R1 (the line's own or the Products row's) and CR with those of R2;
utility X stays as assessed (lifetime and use intensity have no ranges):

    V = Σ M(1 − FR − FU), W0 = Σ M(1 − CR − CU), WC = Σ M(1 − EC)·CR, WF = Σ M(1 − EF)·FR/EF
    LFI = (V + W0 + (WF + WC)/2) / (2ΣM + (WF − WC)/2),  MCI = max(0, 1 − LFI·0.9/X)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from footprint.uncertainty.ranges import Slot, slot_uses

_SHARE_NOTES = {
    "recycled_content": "no recycled content declared",
    "reuse_share": "no reuse declared",
    "eol_recycling_rate": "no R2 declared or default",
    "eol_reuse_rate": "no reuse declared",
}


@dataclass(frozen=True)
class MciInputs:
    """The product's MCI flows as arrays (one entry per flow) and what moves them."""

    mass: np.ndarray  # M, kg
    line_index: np.ndarray  # index of the flow's line among the sampled lines (quantity), −1
    fr: np.ndarray
    fu: np.ndarray
    cr: np.ndarray
    cu: np.ndarray
    ec: np.ndarray
    ef: np.ndarray
    fr_slot: np.ndarray  # (uses,) the range slot whose draw …
    fr_flow: np.ndarray  # (uses,) … is this flow's FR
    cr_slot: np.ndarray
    cr_flow: np.ndarray
    utility_factor: float  # F(X) = 0.9/X as assessed

    def values(self, draws: np.ndarray, quantity: np.ndarray) -> np.ndarray:
        """(size,) the MCI of each iteration; ``draws``: (size, slots) range draws,
        ``quantity``: (size, lines) the lines' quantity factors."""
        size = len(quantity)
        mass = np.broadcast_to(self.mass, (size, len(self.mass))).copy()
        linked = self.line_index >= 0
        mass[:, linked] *= quantity[:, self.line_index[linked]]
        fr = np.broadcast_to(self.fr, mass.shape).copy()
        fr[:, self.fr_flow] = draws[:, self.fr_slot]
        cr = np.broadcast_to(self.cr, mass.shape).copy()
        cr[:, self.cr_flow] = draws[:, self.cr_slot]
        from footprint.circularity.mci import flow_terms, waste_and_lfi

        terms = flow_terms(mass, fr, self.fu, cr, self.cu, self.ec, self.ef)
        virgin, w0, wc, wf = (t.sum(axis=1) for t in terms)
        _, lfi = waste_and_lfi(mass.sum(axis=1), virgin, w0, wc, wf)
        return np.maximum(0.0, 1 - lfi * self.utility_factor)


@dataclass
class MciPlan:
    inputs: MciInputs | None = None  # sampled per iteration
    varied: list[str] | None = None
    not_sampled: str | None = None
    fixed: float | None = None  # none of its inputs varies: the assessed MCI, not sampled


def mci_plan(
    result: Any,
    product: Any,
    datasets: dict[str, Any],
    slots: Sequence[Slot],
    line_index: dict[str, int],
    describe_line: Callable[[str], list[str]],
) -> MciPlan:
    """The product's MCI as ``MciInputs``, or why it cannot be sampled; an empty plan when the
    product has no MCI."""
    from footprint.circularity.defaults import load_material_defaults
    from footprint.circularity.mci import MciFlow, mci
    from footprint.circularity.parameters import LineParameters

    assessed = getattr(getattr(result, "circularity", None), "mci", None)
    if assessed is None:
        return MciPlan()
    if product is None:
        return MciPlan(not_sampled="not sampled: the BOM products were not given")
    defaults = load_material_defaults()
    bom_lines = {line.id: line for line in product.lines}
    shared: dict[Any, Any] = {}
    ids: list[str] = []
    flows: list[MciFlow] = []
    origins: list[dict[str, str | None]] = []
    for line in result.lines:
        dataset = datasets.get(line.dataset) if line.dataset else None
        if dataset is None or not line.mass_kg or line.is_waste_treatment():
            continue
        family = (dataset.material or line.material or "").lower() or None
        params = LineParameters(product, bom_lines.get(line.id), dataset, family, defaults, shared)
        shares = {name: params.value(name, 0.0, note) for name, note in _SHARE_NOTES.items()}
        ec = params.get("recycling_efficiency_eol")
        ef = params.get("recycling_efficiency_feedstock")
        flows.append(
            MciFlow(
                mass_kg=line.mass_kg,
                recycled_share=shares["recycled_content"],
                reuse_share=shares["reuse_share"],
                recycling_rate=shares["eol_recycling_rate"],
                reuse_rate=shares["eol_reuse_rate"],
                efficiency_eol=1.0 if ec is None else ec,
                efficiency_feedstock=1.0 if ef is None else ef,
            )
        )
        ids.append(line.id)
        origins.append({name: params.origin_of(name) for name in _SHARE_NOTES})
    try:
        rebuilt = mci(flows, assessed.utility).mci if flows else None
    except ValueError:
        rebuilt = None
    if rebuilt is None or abs(rebuilt - assessed.mci) > 1e-9 * max(abs(assessed.mci), 1e-12):
        return MciPlan(not_sampled="not sampled: its value could not be rebuilt from the lines")
    where = {line: i for i, line in enumerate(ids)}

    def product_value(line: str, parameter: str) -> bool:
        return origins[where[line]].get(parameter) == "product"

    def own_value(line: str, parameter: str) -> bool:
        return origins[where[line]].get(parameter) in ("bom line", "product")

    fr_slot, fr_flow = slot_uses(
        slots, ids, lambda x, p: p == "recycled_content" and own_value(x, p), product_value
    )
    cr_slot, cr_flow = slot_uses(
        slots, ids, lambda x, p: p == "eol_recycling_rate" and own_value(x, p), product_value
    )
    if any(flows[i].efficiency_feedstock <= 0 for i in fr_flow):
        return MciPlan(
            not_sampled="not sampled: EF = 0 on a line whose recycled content varies (the MCI "
            "needs EF > 0 wherever there is recycled feedstock, EMF 2015)"
        )
    moved = {(ids[i], slots[s].parameter) for s, i in zip(fr_slot, fr_flow, strict=True)}
    moved |= {(ids[i], slots[s].parameter) for s, i in zip(cr_slot, cr_flow, strict=True)}
    varied = sorted(
        {
            f"{line}: {what}"
            for line in ids
            for what in describe_line(line)
            if what.startswith("quantity")
            or ((line, "recycled_content") in moved and what.startswith("R1 ")
                and not what.startswith("R1 post-consumer"))
            or ((line, "eol_recycling_rate") in moved and what.startswith("R2 "))
        }
    )  # fmt: skip
    if not varied:
        return MciPlan(varied=[], fixed=float(assessed.mci))
    inputs = MciInputs(
        mass=np.array([f.mass_kg for f in flows], dtype=float),
        line_index=np.array([line_index.get(line, -1) for line in ids], dtype=int),
        fr=np.array([f.recycled_share for f in flows], dtype=float),
        fu=np.array([f.reuse_share for f in flows], dtype=float),
        cr=np.array([f.recycling_rate for f in flows], dtype=float),
        cu=np.array([f.reuse_rate for f in flows], dtype=float),
        ec=np.array([f.efficiency_eol for f in flows], dtype=float),
        ef=np.array([f.efficiency_feedstock for f in flows], dtype=float),
        fr_slot=fr_slot,
        fr_flow=fr_flow,
        cr_slot=cr_slot,
        cr_flow=cr_flow,
        utility_factor=float(assessed.utility_factor),
    )
    return MciPlan(inputs=inputs, varied=varied)
