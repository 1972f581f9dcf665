"""One scorecard per supplier of a product: the dashboard a procurement team works from.

Per supplier: its lines, the mass it supplies and its share of the product's material mass,
its share of the product's climate change, the recycled share of what it supplies, declared
energy intensity, certificate status on the assessment day, days since the last audit, open
corrective actions and the age of the oldest, and flags.  Lines that name no supplier form
their own card (``unknown``), never dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from footprint.model import ProductResult
from footprint.sourcing.measures import SourcedLine, is_smelter
from footprint.sourcing.results import (
    UNKNOWN,
    CertificateInfo,
    SubjectSourcing,
    SupplierScorecard,
)
from footprint.suppliers import SourcingInputs, Supplier

# the order of certificate states from best to worst, to report a supplier's best certificate
_RANK = {"valid": 0, "expiring": 1, "not yet valid": 2, "expired": 3}
ENERGY_INTENSITY = "energy_intensity"


def scorecards(
    result: ProductResult,
    lines: Sequence[SourcedLine],
    subjects: Sequence[SubjectSourcing],
    inputs: SourcingInputs,
    day: date,
) -> list[SupplierScorecard]:
    grouped: dict[str, list[SourcedLine]] = defaultdict(list)
    for item in lines:
        grouped[item.supplier_key].append(item)
    material_mass = sum(item.mass_kg for item in lines)
    product_total = result.climate_change.total
    footprint_by_supplier: dict[str, float] = defaultdict(float)
    for line in result.lines:
        if line.dataset is not None and line.supplier:
            footprint_by_supplier[line.supplier.strip()] += line.climate_change.total
    cards = []
    for key, items in grouped.items():
        supplier = items[0].supplier
        mass = sum(item.mass_kg for item in items)
        climate = (
            sum(item.line.climate_change.total for item in items)
            if key == UNKNOWN or key not in footprint_by_supplier
            else footprint_by_supplier[key]
        )
        card = SupplierScorecard(
            supplier=key,
            in_register=supplier is not None,
            lines=[item.line.id for item in items],
            mass_kg=mass,
            mass_share=mass / material_mass if material_mass else None,
            climate_change=climate,
            footprint_share=climate / product_total if product_total else None,
            recycled_share=sum(i.mass_kg * i.recycled_share for i in items) / mass
            if mass
            else None,
            certificate_status="unknown",
        )
        if supplier is not None:
            _from_register(card, supplier, inputs, day)
        card.single_source_of = [
            s.subject for s in subjects if list(s.by_supplier) == [key] and key != UNKNOWN
        ]
        card.flags = _flags(card, items, supplier, inputs, key)
        cards.append(card)
    cards.sort(key=lambda c: (c.supplier == UNKNOWN, -c.mass_kg, c.supplier))
    return cards


def _from_register(
    card: SupplierScorecard, supplier: Supplier, inputs: SourcingInputs, day: date
) -> None:
    card.name = supplier.name
    card.country = supplier.country
    card.facility_type = supplier.facility_type
    card.smelter_id = supplier.smelter_id
    card.certificates = [
        CertificateInfo(
            standard=c.standard,
            scope=c.scope,
            certificate_id=c.certificate_id,
            valid_from=c.valid_from,
            valid_until=c.valid_until,
            status=c.status_on(day, inputs.expiring_within_days),
        )
        for c in supplier.certifications
    ]
    card.certificate_status = (
        min((c.status for c in card.certificates), key=lambda s: _RANK[s])
        if card.certificates
        else "none"
    )
    card.last_audit_date = supplier.last_audit_date
    card.last_audit_result = supplier.last_audit_result
    if supplier.last_audit_date is not None:
        card.days_since_audit = (day - supplier.last_audit_date).days
    open_actions = [a for a in supplier.corrective_actions if a.is_open_on(day)]
    card.open_corrective_actions = len(open_actions)
    card.open_action_ages_days = sorted(((day - a.opened).days for a in open_actions), reverse=True)
    if open_actions:
        card.oldest_open_action_days = card.open_action_ages_days[0]
    indicators = {k: f"{v.value:g} {v.unit}" for k, v in supplier.indicators.items()}
    card.energy_intensity = indicators.get(ENERGY_INTENSITY)
    card.indicators = indicators


def _flags(
    card: SupplierScorecard,
    items: Sequence[SourcedLine],
    supplier: Supplier | None,
    inputs: SourcingInputs,
    key: str,
) -> list[str]:
    flags = []
    if key == UNKNOWN:
        flags.append("no supplier named on these lines")
    elif supplier is None:
        flags.append(
            "not in the supplier register" if inputs.register is not None else "no register given"
        )
    flags.extend(f"single source of {subject}" for subject in card.single_source_of)
    if inputs.high_risk_countries is not None:
        risky = sorted({i.country for i in items if i.country in inputs.high_risk_countries})
        if risky:
            flags.append(f"high-risk origin ({', '.join(c for c in risky if c)})")
    if card.certificate_status == "expired":
        flags.append("certificate expired")
    elif card.certificate_status == "expiring":
        flags.append(f"certificate expires within {inputs.expiring_within_days} days")
    elif card.certificate_status in ("none", "not yet valid"):
        flags.append("no valid certificate")
    if is_smelter(supplier) and not (
        (supplier and supplier.smelter_id) or any(i.line.smelter_id for i in items)
    ):
        flags.append("missing smelter id")
    if card.open_corrective_actions:
        flags.append(f"{card.open_corrective_actions} open corrective action(s)")
    return flags
