"""Mass-weighted recycled-content shares of a product: overall, per material family, per element.

    share                 = Σ m·R1 / Σ m
    recyclable share      = Σ m·R2 / Σ m
    element e share       = Σ m·x_e·R1 / Σ m·x_e          (x_e: mass fraction of e in the line)

e.g. the cobalt recycled share of a battery.  A line without a post-consumer figure counts as
0 post-consumer: content that is not declared post-consumer is not claimed as such (PPWR Art. 7
counts post-consumer content only).  The shares do not share a denominator across elements
(Battery Regulation Art. 8), so they are never averaged together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from footprint.model import RecycledContent


@dataclass(frozen=True)
class MaterialMass:
    """The mass of one BOM line and what is known of its recycled content."""

    mass_kg: float  # in one product
    recycled_share: float  # R1
    post_consumer_share: float | None = None  # the post-consumer part of R1 (≤ R1)
    recyclable_share: float = 0.0  # R2
    material: str | None = None
    composition: Mapping[str, float] = field(default_factory=dict)  # element → mass fraction


def recycled_content(lines: Iterable[MaterialMass]) -> RecycledContent:
    """The recycled-content shares of the given lines (lines of no mass are ignored)."""
    lines = list(lines)
    return recycled_content_of(
        [line.mass_kg for line in lines],
        [line.recycled_share for line in lines],
        [line.post_consumer_share for line in lines],
        [line.recyclable_share for line in lines],
        [line.material for line in lines],
        [line.composition for line in lines],
    )


@np.errstate(over="ignore", invalid="ignore")  # overflow gives inf, as Python's floats do
def recycled_content_of(
    mass_kg: Sequence[float] | np.ndarray,
    recycled_share: Sequence[float] | np.ndarray,
    post_consumer_share: Sequence[float | None],
    recyclable_share: Sequence[float] | np.ndarray,
    material: Sequence[str | None],
    composition: Sequence[Mapping[str, float]],
) -> RecycledContent:
    """``recycled_content`` of lines given field by field (one sequence per ``MaterialMass``
    field, one item per line): the sums of each share over the lines, computed column-wise
    (a product's mass lines, without an object per line)."""
    mass_all = np.asarray(mass_kg, dtype=float)
    kept = np.flatnonzero(mass_all > 0)  # lines of no mass are ignored
    if not len(kept):
        return RecycledContent()
    m = mass_all[kept]
    r1 = np.asarray(recycled_share, dtype=float)[kept]
    given = [post_consumer_share[k] for k in kept.tolist()]
    post = np.array([p or 0.0 for p in given], dtype=float)  # none declared: 0
    r2 = np.asarray(recyclable_share, dtype=float)[kept]
    mass = sum(m.tolist())
    recycled, post_consumer = m * r1, m * post

    by_material = _Shares()
    families = [material[k] for k in kept.tolist()]
    for family in dict.fromkeys(f for f in families if f):
        rows = np.flatnonzero([f == family for f in families])
        by_material.put(family, m[rows], recycled[rows], post_consumer[rows])
    by_element = _Shares()
    element_rows: dict[str, list[int]] = {}
    fractions: dict[str, list[float]] = {}
    for j, k in enumerate(kept.tolist()):
        for element, fraction in composition[k].items():
            element_rows.setdefault(element, []).append(j)
            fractions.setdefault(element, []).append(fraction)
    for element, positions in element_rows.items():
        rows = np.array(positions, dtype=np.intp)
        part = m[rows] * np.array(fractions[element], dtype=float)  # m·x_e
        by_element.put(element, part, part * r1[rows], part * post[rows])

    return RecycledContent(
        share=sum(recycled.tolist()) / mass,
        post_consumer_share=(
            sum(post_consumer.tolist()) / mass if any(p is not None for p in given) else None
        ),
        recyclable_share=sum((m * r2).tolist()) / mass,
        by_material=by_material.recycled(),
        by_material_post_consumer=by_material.post_consumer(),
        by_element=by_element.recycled(),
        by_element_post_consumer=by_element.post_consumer(),
        element_mass_kg={k: v for k, v in sorted(by_element.mass.items()) if v > 0},
    )


class _Shares:
    """Running sums of mass, recycled mass and post-consumer mass per key."""

    def __init__(self) -> None:
        self.mass: dict[str, float] = {}
        self._recycled: dict[str, float] = {}
        self._post_consumer: dict[str, float] = {}

    def put(
        self, key: str, mass: np.ndarray, recycled: np.ndarray, post_consumer: np.ndarray
    ) -> None:
        """The sums of one key: its lines' masses, recycled and post-consumer masses (summed
        one line after the other, in the lines' order)."""
        self.mass[key] = _running_sum(mass)
        self._recycled[key] = _running_sum(recycled)
        self._post_consumer[key] = _running_sum(post_consumer)

    def recycled(self) -> dict[str, float]:
        return self._ratio(self._recycled)

    def post_consumer(self) -> dict[str, float]:
        return self._ratio(self._post_consumer)

    def _ratio(self, numerator: Mapping[str, float]) -> dict[str, float]:
        return {k: numerator[k] / m for k, m in sorted(self.mass.items()) if m > 0}


def _running_sum(values: np.ndarray) -> float:
    """0 + v1 + v2 + … one after the other (NumPy's ``sum`` adds pairwise: other last bits)."""
    return float(np.cumsum(np.concatenate([[0.0], values]))[-1])
