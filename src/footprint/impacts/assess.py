"""Adds the impact profile (and, on demand, the hotspots) to an assessment's products."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from footprint.impacts.profile import impact_profiles
from footprint.impacts.relevance_rules import HotspotRules
from footprint.lca.indicators import Indicator, indicator
from footprint.model import Assessment, Product

if TYPE_CHECKING:
    from footprint.api import Engine


def add_impacts(
    engine: Engine,
    assessment: Assessment,
    products: Sequence[Product],
    indicators: Sequence[Indicator],
    *,
    hotspots: bool | HotspotRules = False,
) -> None:
    """Set ``impacts`` on every product of ``assessment`` (built from ``products``, in order)."""
    if not indicators:  # hotspots alone: the profile they rank is climate change
        indicators = (indicator("climate-change"),)
    linked = engine.link(products)
    profiles = impact_profiles(linked, engine.lca, indicators, engine._scored_reference)
    if hotspots:
        from footprint.impacts.most_relevant import add_most_relevant

        rules = hotspots if isinstance(hotspots, HotspotRules) else None
        add_most_relevant(engine, linked, profiles, indicators, rules)
    for result, profile in zip(assessment.products, profiles, strict=True):
        result.impacts = profile
