"""The sourcing picture of a product (and of a portfolio), as pydantic models.

Scales, stated once: shares are fractions of the subject's mass (0–1); the
Herfindahl–Hirschman index is Σ sᵢ² on shares in percent, 0–10,000 (US DOJ/FTC Merger
Guidelines 2023, Guideline 1: 10,000 = one source).  Mass whose origin is not known is its own
bucket (``UNKNOWN``), never dropped: every share keeps it in the denominator, and the HHI and the
top-country share are given with their lowest and highest possible values over every way the
unknown mass could be split.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

UNKNOWN = "unknown"
HHI_SCALE = "HHI = Σ (share in %)², 0–10,000 (US DOJ/FTC Merger Guidelines 2023, Guideline 1)"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LineGap(_Model):
    """A BOM line whose sourcing data is incomplete, and what it lacks."""

    line: str
    path: str
    mass_kg: float = Field(description="kg of the subject (element or material) on the line")
    missing: list[str] = Field(description="country, facility, certification, supplier in register")


class SubjectLine(_Model):
    """One line's part of an element or material, and how it is attributed."""

    line: str
    path: str
    mass_kg: float = Field(description="kg of the subject on the line")
    country: str | None = None
    supplier: str = UNKNOWN
    smelter_id: str | None = None
    certified: bool | None = Field(None, description="None: cannot be judged")


class Bounded(_Model):
    """A share, and the range it could take if the unknown mass were known."""

    value: float | None = Field(
        None, description="share of the subject's mass shown to qualify (unknown counted as not)"
    )
    highest: float | None = Field(
        None, description="the share if every kg not known either way qualified"
    )
    unknown_share: float = Field(0.0, description="share of mass that cannot be judged")
    basis: str = ""


class SubjectSourcing(_Model):
    """Sourcing of one element (e.g. Co) or one material family (e.g. aluminium)."""

    subject: str = Field(description="element symbol or material family")
    kind: Literal["element", "material"]
    mass_kg: float = Field(description="kg in one product (or in the portfolio)")
    by_country: dict[str, float] = Field(
        description="kg by ISO country code; 'unknown' for lines without a known country"
    )
    by_supplier: dict[str, float] = Field(
        description="kg by supplier id; 'unknown' for lines that name no supplier"
    )
    top_country: str | None = None
    top_country_share: float | None = Field(
        None, description="the top known country's kg / all kg (unknown in the denominator)"
    )
    top_country_share_highest: float | None = Field(
        None, description="the same if every unknown kg came from that country"
    )
    hhi: float | None = Field(
        None, description="HHI of the known-origin mass, 0–10,000 (shares of known kg)"
    )
    hhi_lowest: float | None = Field(
        None, description="lowest HHI over every split of the unknown kg (spread thinly)"
    )
    hhi_highest: float | None = Field(
        None, description="highest HHI (all unknown kg from the top known country)"
    )
    certified: Bounded = Field(default_factory=Bounded)
    approved_smelters: Bounded | None = Field(
        None, description="None when no approved-smelter list was given"
    )
    high_risk: Bounded | None = Field(
        None,
        description="share from listed high-risk countries; None when no list was given",
    )
    traceability: float = Field(
        0.0,
        description="share of kg whose line or supplier gives country, facility and certification",
    )
    lacking: list[LineGap] = Field(default_factory=list)
    contributions: list[SubjectLine] = Field(
        default_factory=list, description="every line that carries it, largest first"
    )


class CertificateInfo(_Model):
    standard: str
    scope: str | None = None
    certificate_id: str | None = None
    valid_from: date | None = None
    valid_until: date
    status: str


class SupplierScorecard(_Model):
    """One supplier's part in a product: what the sourcing dashboards show."""

    supplier: str = Field(description="the id BOM lines name; 'unknown' for lines naming none")
    in_register: bool
    name: str | None = None
    country: str | None = None
    facility_type: str | None = None
    smelter_id: str | None = None
    lines: list[str] = Field(default_factory=list)
    mass_kg: float = 0.0
    mass_share: float | None = Field(None, description="of the product's material mass")
    climate_change: float = Field(0.0, description="kg CO2-eq per FU of its lines")
    footprint_share: float | None = Field(None, description="of the product's climate change")
    recycled_share: float | None = Field(
        None, description="Σ m·R1 / Σ m of its lines (R1 not declared counts as 0)"
    )
    energy_intensity: str | None = Field(None, description="declared, with its unit")
    indicators: dict[str, str] = Field(default_factory=dict, description="declared, with units")
    certificate_status: str = Field(
        description="valid, expiring (within the window), expired, not yet valid, none, or "
        "unknown (not in the register)"
    )
    certificates: list[CertificateInfo] = Field(default_factory=list)
    last_audit_date: date | None = None
    last_audit_result: str | None = None
    days_since_audit: int | None = None
    open_corrective_actions: int | None = None
    oldest_open_action_days: int | None = None
    open_action_ages_days: list[int] = Field(
        default_factory=list, description="days each open corrective action has been open"
    )
    single_source_of: list[str] = Field(
        default_factory=list, description="elements/materials this supplier alone supplies"
    )
    flags: list[str] = Field(default_factory=list)


class SourcingResult(_Model):
    """The sourcing picture of one product, or of a portfolio (``product`` None)."""

    assessed_on: date = Field(description="the day certificates and audits are judged on")
    expiring_within_days: int = 90
    hhi_scale: str = HHI_SCALE
    country_basis: str = (
        "country of origin from the BOM line; else the country of the supplier's facility "
        "in the register"
    )
    register_file: str | None = None
    approved_smelters_file: str | None = None
    high_risk_countries_file: str | None = None
    elements: list[SubjectSourcing] = Field(default_factory=list)
    materials: list[SubjectSourcing] = Field(default_factory=list)
    suppliers: list[SupplierScorecard] = Field(default_factory=list)
    lines_without_composition: list[str] = Field(
        default_factory=list,
        description="material lines whose elements are unknown: not in any element figure",
    )
    composition_unknown: dict[str, list[str]] = Field(
        default_factory=dict,
        description="lines of unknown composition that may hold elements (element_carriers.csv;"
        " '*': any): element figures leave their mass out, so element rules cannot pass",
    )
    lines_without_mass: list[str] = Field(
        default_factory=list, description="material lines without a mass: in no figure"
    )
    notes: list[str] = Field(default_factory=list)
