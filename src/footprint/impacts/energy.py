"""Cumulative energy demand of shipped datasets, from ``datasets/energy/`` (see its README)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache

from footprint.model import Dataset
from footprint.resources import datasets_dir


@cache
def energy_demand() -> dict[str, float]:
    """Dataset id → CED in MJ per reference unit."""
    path = datasets_dir() / "energy" / "cumulative_energy_demand.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["dataset"]: float(row["cumulative_energy_demand_mj"])
            for row in csv.DictReader(handle)
        }


def with_energy_demand(datasets: Sequence[Dataset]) -> list[Dataset]:
    """The datasets, those with a known CED carrying it (``cumulative_energy_demand``)."""
    known = energy_demand()
    return [
        ds.model_copy(update={"cumulative_energy_demand": known[ds.id]})
        if ds.id in known and ds.cumulative_energy_demand is None
        else ds
        for ds in datasets
    ]
