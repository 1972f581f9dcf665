"""E_total, the functional unit of a battery's Art. 7 carbon footprint, and how it was found.

    E_total = usable capacity (kWh) × full equivalent cycles per year × years of service life

after the Commission's draft delegated act of April 2024 (not adopted, [S]).  The Products
sheet's ``energy_kwh`` wins; else its three factors, where a missing ``cycles_per_year`` takes
the default of the product's ``vehicle_category`` from
``datasets/compliance/art7_full_cycles_per_year.csv``.  The user's values always win.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from footprint.model import Product
from footprint.resources import datasets_dir

DRAFT_DA = "draft delegated act Ares(2024)3131389, not adopted [S]"


@dataclass(frozen=True)
class ServiceEnergy:
    kwh: float | None
    how: str  # the formula with its figures and where each came from, or what is missing


@lru_cache(maxsize=1)
def default_cycles() -> dict[str, float]:
    """Full equivalent cycles per year by vehicle category (M1, N1, L, M2 …)."""
    path = datasets_dir() / "compliance" / "art7_full_cycles_per_year.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["vehicle_category"].upper(): float(row["full_cycles_per_year"])
            for row in csv.DictReader(handle)
        }


def service_energy(product: Product, fallback_kwh: float | None = None) -> ServiceEnergy:
    if product.energy_kwh is not None:
        return ServiceEnergy(product.energy_kwh, f"{product.energy_kwh:,.0f} kWh (energy_kwh)")
    cycles, cycles_from = product.cycles_per_year, "cycles_per_year"
    category = (product.vehicle_category or "").strip().upper()
    if cycles is None and category in default_cycles():
        cycles = default_cycles()[category]
        cycles_from = f"default for vehicle category {category}, {DRAFT_DA}"
    capacity, years = product.usable_capacity_kwh, product.service_life_years
    if capacity is not None and cycles is not None and years is not None:
        kwh = capacity * cycles * years
        return ServiceEnergy(
            kwh,
            f"{capacity:g} kWh usable × {cycles:g} full cycles/yr ({cycles_from}) × {years:g} yr "
            f"= {kwh:,.0f} kWh (functional unit of the {DRAFT_DA})",
        )
    if fallback_kwh:
        return ServiceEnergy(fallback_kwh, f"{fallback_kwh:,.0f} kWh")
    lacking = [
        name
        for name, value in (
            ("usable_capacity_kwh", capacity),
            ("cycles_per_year (or a vehicle_category: M1, N1, L, M2, M3, N2, N3)", cycles),
            ("service_life_years (years of the battery warranty)", years),
        )
        if value is None
    ]
    return ServiceEnergy(
        None,
        "the energy delivered over the service life (E_total) is unknown; give energy_kwh, or "
        f"{', '.join(lacking)} on the Products sheet",
    )
