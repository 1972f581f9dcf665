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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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
    lines = [line for line in lines if line.mass_kg > 0]
    if not lines:
        return RecycledContent()
    mass = sum(line.mass_kg for line in lines)

    by_material = _Shares()
    by_element = _Shares()
    for line in lines:
        post_consumer = line.post_consumer_share or 0.0
        if line.material:
            by_material.add(line.material, line.mass_kg, line.recycled_share, post_consumer)
        for element, fraction in line.composition.items():
            by_element.add(element, line.mass_kg * fraction, line.recycled_share, post_consumer)

    return RecycledContent(
        share=sum(line.mass_kg * line.recycled_share for line in lines) / mass,
        post_consumer_share=(
            sum(line.mass_kg * (line.post_consumer_share or 0.0) for line in lines) / mass
            if any(line.post_consumer_share is not None for line in lines)
            else None
        ),
        recyclable_share=sum(line.mass_kg * line.recyclable_share for line in lines) / mass,
        by_material=by_material.recycled(),
        by_material_post_consumer=by_material.post_consumer(),
        by_element=by_element.recycled(),
        by_element_post_consumer=by_element.post_consumer(),
        element_mass_kg={k: v for k, v in sorted(by_element.mass.items()) if v > 0},
    )


class _Shares:
    """Running sums of mass, recycled mass and post-consumer mass per key."""

    def __init__(self) -> None:
        self.mass: dict[str, float] = defaultdict(float)
        self._recycled: dict[str, float] = defaultdict(float)
        self._post_consumer: dict[str, float] = defaultdict(float)

    def add(self, key: str, mass: float, recycled: float, post_consumer: float) -> None:
        self.mass[key] += mass
        self._recycled[key] += mass * recycled
        self._post_consumer[key] += mass * post_consumer

    def recycled(self) -> dict[str, float]:
        return self._ratio(self._recycled)

    def post_consumer(self) -> dict[str, float]:
        return self._ratio(self._post_consumer)

    def _ratio(self, numerator: Mapping[str, float]) -> dict[str, float]:
        return {k: numerator[k] / m for k, m in sorted(self.mass.items()) if m > 0}
