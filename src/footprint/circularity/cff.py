"""The PEF Circular Footprint Formula (Recommendation (EU) 2021/2279, Annex I), per kg of material.

    Material = (1 − R1)·Ev + R1·(A·Erecycled + (1 − A)·Ev·Qsin/Qp)
               + (1 − A)·R2·(ErecyclingEoL − E*v·Qsout/Qp)
    Energy   = (1 − B)·R3·(EER − LHV·XER,heat·ESE,heat − LHV·XER,elec·ESE,elec)
    Disposal = (1 − R2 − R3)·ED

The five terms are kept apart because the raw-material stage takes the first two and the
end-of-life stage the other three.  This module is arithmetic only: no defaults, no datasets,
no validation (see ``parameters.py``); it works on any indicator, one call per indicator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CffTerms:
    """The five CFF terms of one kg of material, in the unit of the E values given."""

    virgin: float  # (1 − R1)·Ev
    recycled_input: float  # R1·(A·Erecycled + (1 − A)·Ev·Qsin/Qp)
    recycling_credit: float  # (1 − A)·R2·(ErecyclingEoL − E*v·Qsout/Qp)
    energy: float  # (1 − B)·R3·(EER − LHV·XER,heat·ESE,heat − LHV·XER,elec·ESE,elec)
    disposal: float  # (1 − R2 − R3)·ED

    @property
    def material(self) -> float:
        """The Material part: virgin + recycled input + recycling credit."""
        return self.virgin + self.recycled_input + self.recycling_credit

    @property
    def raw_materials(self) -> float:
        """What the raw-material stage carries: virgin + recycled input."""
        return self.virgin + self.recycled_input

    @property
    def end_of_life(self) -> float:
        """What the end-of-life stage carries: recycling credit + energy + disposal."""
        return self.recycling_credit + self.energy + self.disposal

    @property
    def total(self) -> float:
        return self.material + self.energy + self.disposal

    def scaled(self, factor: float) -> CffTerms:
        return CffTerms(
            virgin=self.virgin * factor,
            recycled_input=self.recycled_input * factor,
            recycling_credit=self.recycling_credit * factor,
            energy=self.energy * factor,
            disposal=self.disposal * factor,
        )


def cff_terms(
    *,
    a: float,  # A, allocation factor of recycling burdens and credits
    r1: float,  # R1, recycled content
    r2: float,  # R2, share recycled at end of life
    r3: float,  # R3, share sent to energy recovery
    qsin_qp: float,  # Qsin/Qp, quality of recycled input relative to primary
    qsout_qp: float,  # Qsout/Qp, quality of recyclate relative to primary
    ev: float,  # Ev, virgin material
    erecycled: float,  # Erecycled, recycling process of the recycled input
    erecycling_eol: float,  # ErecyclingEoL, recycling process at end of life
    ev_star: float,  # E*v, virgin material substituted by the recyclate
    ed: float,  # ED, disposal
    b: float = 0.0,  # B, allocation factor of energy recovery
    eer: float = 0.0,  # EER, energy-recovery process
    lhv: float = 0.0,  # LHV, lower heating value, energy per kg
    xer_heat: float = 0.0,  # XER,heat, efficiency of recovery to heat
    xer_elec: float = 0.0,  # XER,elec, efficiency of recovery to electricity
    ese_heat: float = 0.0,  # ESE,heat, substituted heat, per unit of LHV's energy unit
    ese_elec: float = 0.0,  # ESE,elec, substituted electricity, per unit of LHV's energy unit
) -> CffTerms:
    """The five terms of the CFF for one kg of material (LHV and ESE in matching energy units)."""
    return CffTerms(
        virgin=(1 - r1) * ev,
        recycled_input=r1 * (a * erecycled + (1 - a) * ev * qsin_qp),
        recycling_credit=(1 - a) * r2 * (erecycling_eol - ev_star * qsout_qp),
        energy=(1 - b) * r3 * (eer - lhv * xer_heat * ese_heat - lhv * xer_elec * ese_elec),
        disposal=(1 - r2 - r3) * ed,
    )
