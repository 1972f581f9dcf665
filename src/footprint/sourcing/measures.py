"""Where each element and material of a product comes from: the sourcing measures.

For every material line (a line with a dataset and a mass that is not a waste treatment) the
mass of each element is mass × the element's fraction in the line's dataset composition, and
the line's material family carries its whole mass.  Each kg is then attributed:

- country: the BOM line's ``country``, else the register's country of the line's supplier;
  neither → the ``unknown`` bucket;
- supplier: the BOM line's ``supplier`` (joined to the register by id), else the register's
  facility with the line's ``smelter_id``; neither → ``unknown``;
- facility: a smelter id (line or register), or a register facility that is not a trader;
- certification on the assessment day: a certificate of the register supplier valid on that
  day (both end dates included).  A line whose supplier is not in the register cannot be
  judged: its kg is unknown, neither certified nor not.

The shares (certified, approved smelters, high-risk origin) count the kg shown to qualify over
all kg, and give the highest value the share could take if the kg that cannot be judged did
qualify; a rule passes or fails only when both agree (``compliance.sourcing_rules``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, Protocol

from footprint.composition import carrier, line_composition
from footprint.model import Dataset, LineResult, Product, ProductResult, Warning_
from footprint.sourcing.results import (
    UNKNOWN,
    Bounded,
    LineGap,
    SubjectLine,
    SubjectSourcing,
)
from footprint.suppliers import SMELTER_TYPES, SourcingInputs, Supplier

Kind = Literal["element", "material"]
Judgement = bool | None  # qualifies, does not, cannot be judged


class DatasetLookup(Protocol):
    def get(self, dataset_id: str) -> Dataset: ...

    def __contains__(self, dataset_id: object) -> bool: ...


@dataclass(frozen=True)
class SourcedLine:
    """One material line with everything the measures need, already joined to the register."""

    line: LineResult
    product: str
    mass_kg: float
    composition: dict[str, float] | None  # None: unknown (BOM, chemistry and dataset silent)
    may_carry: frozenset[str]  # with the composition unknown: elements it may hold ("*": any)
    material: str | None
    supplier_key: str  # id as the BOM names it, else the register id found by smelter id
    supplier: Supplier | None  # the register entry
    country: str | None
    smelter_id: str | None
    certified: Judgement
    has_certification_data: bool
    has_facility: bool
    recycled_share: float  # R1 as declared (0 when not declared)
    label: str  # the line id; "<product>/<line id>" in a portfolio


@dataclass
class Attributed:
    """kg of one subject on one line."""

    source: SourcedLine
    kg: float


@dataclass
class _Subjects:
    elements: dict[str, list[Attributed]] = field(default_factory=lambda: defaultdict(list))
    materials: dict[str, list[Attributed]] = field(default_factory=lambda: defaultdict(list))


def sourced_lines(
    result: ProductResult,
    product: Product | None,
    catalog: DatasetLookup | None,
    inputs: SourcingInputs,
    day: date,
    *,
    qualified: bool = False,
) -> tuple[list[SourcedLine], list[str], list[Warning_]]:
    """The product's material lines joined to the register; lines without a mass; warnings
    for suppliers the BOM names that the register does not hold."""
    register = inputs.register
    bom = {line.id: line for line in product.lines} if product is not None else {}
    by_id = register.by_id() if register else {}
    by_smelter = register.by_smelter_id() if register else {}
    out: list[SourcedLine] = []
    without_mass: list[str] = []
    warnings: list[Warning_] = []
    for line in result.lines:
        if line.dataset is None or line.is_waste_treatment():
            continue
        if not line.mass_kg:
            if line.mass_kg is None:
                without_mass.append(line.id)
            continue
        record = _dataset(catalog, line.dataset)
        composition = line_composition(bom.get(line.id), record)  # BOM, chemistry, dataset
        found = carrier((record.material if record else None) or line.material, line.dataset)
        if composition is not None:
            may_carry: frozenset[str] = frozenset()
        elif found is not None:
            may_carry = found.elements
        else:  # a Brightway activity's elements are unknown; a catalog dataset's are its own
            may_carry = frozenset({"*"}) if record is None else frozenset()
        supplier: Supplier | None = None
        key = (line.supplier or "").strip()
        if key:
            supplier = by_id.get(key)
            if supplier is None and register is not None:
                warnings.append(
                    Warning_(
                        message=f'supplier "{key}" of line {line.id} is not in the supplier '
                        f"register {Path(register.file or '').name}: its certificates, audits and "
                        "corrective actions are unknown, so its mass counts as unknown, not as "
                        "certified",
                        file=result.source_file,
                        row=line.row,
                        column="supplier",
                        product=result.id,
                    )
                )
        elif line.smelter_id and line.smelter_id in by_smelter:
            supplier = by_smelter[line.smelter_id]
            key = supplier.id
        country = line.country or (supplier.country if supplier else None)
        smelter = line.smelter_id or (supplier.smelter_id if supplier else None)
        certified: Judgement = None
        if supplier is not None:
            certified = any(
                c.status_on(day, inputs.expiring_within_days) in ("valid", "expiring")
                for c in supplier.certifications
            )
        recycled = line.recycled_content
        if recycled is None:
            recycled = 1.0 if record is not None and record.recycled else 0.0
        out.append(
            SourcedLine(
                line=line,
                product=result.id,
                mass_kg=line.mass_kg,
                composition=dict(composition.fractions) if composition is not None else None,
                may_carry=may_carry,
                material=(record.material if record else None) or line.material,
                supplier_key=key or UNKNOWN,
                supplier=supplier,
                country=country,
                smelter_id=smelter,
                certified=certified,
                has_certification_data=bool(line.certification)
                or bool(supplier and supplier.certifications),
                has_facility=bool(smelter)
                or bool(supplier and supplier.facility_type not in (None, "trader")),
                recycled_share=recycled,
                label=f"{result.id}/{line.id}" if qualified else line.id,
            )
        )
    return out, without_mass, warnings


def _dataset(catalog: DatasetLookup | None, dataset_id: str) -> Dataset | None:
    if catalog is None or dataset_id not in catalog:
        return None
    return catalog.get(dataset_id)


def subjects_of(lines: Iterable[SourcedLine]) -> _Subjects:
    found = _Subjects()
    for item in lines:
        for element, fraction in (item.composition or {}).items():
            if fraction > 0:
                found.elements[element].append(Attributed(item, item.mass_kg * fraction))
        if item.material:
            found.materials[item.material.lower()].append(Attributed(item, item.mass_kg))
    return found


def measure_subject(
    subject: str, kind: Kind, carried: Sequence[Attributed], inputs: SourcingInputs
) -> SubjectSourcing:
    """Every figure of one element or material from the kg each line carries."""
    total = sum(a.kg for a in carried)
    by_country: dict[str, float] = defaultdict(float)
    by_supplier: dict[str, float] = defaultdict(float)
    for a in carried:
        by_country[a.source.country or UNKNOWN] += a.kg
        by_supplier[a.source.supplier_key] += a.kg
    unknown = by_country.get(UNKNOWN, 0.0)
    known = {c: kg for c, kg in by_country.items() if c != UNKNOWN}
    figures = concentration(known, unknown)
    approved = high_risk = None
    listed_smelters, listed_countries = inputs.approved_smelters, inputs.high_risk_countries
    if listed_smelters is not None:
        approved = _bounded(
            carried,
            lambda s: None if not s.smelter_id else s.smelter_id in listed_smelters,
            f"smelter ids listed in {Path(inputs.approved_smelters_file or '').name}; lines "
            "without a smelter id cannot be judged",
        )
    if listed_countries is not None:
        high_risk = _bounded(
            carried,
            lambda s: None if not s.country else s.country in listed_countries,
            f"countries listed in {Path(inputs.high_risk_countries_file or '').name}; lines of "
            "unknown origin cannot be judged",
        )
    certified = _bounded(
        carried,
        lambda s: s.certified,
        "a certificate of the supplier in the register valid on the assessment day"
        if inputs.register is not None
        else "no supplier register given: no certificate can be judged",
    )
    lacking: list[LineGap] = []
    traced = 0.0
    for a in carried:
        missing = gaps(a.source)
        if missing:
            lacking.append(
                LineGap(line=a.source.label, path=a.source.line.path, mass_kg=a.kg, missing=missing)
            )
        else:
            traced += a.kg
    return SubjectSourcing(
        subject=subject,
        kind=kind,
        mass_kg=total,
        by_country=_sorted(by_country),
        by_supplier=_sorted(by_supplier),
        certified=certified,
        approved_smelters=approved,
        high_risk=high_risk,
        traceability=traced / total if total else 0.0,
        lacking=lacking,
        contributions=[
            SubjectLine(
                line=a.source.label,
                path=a.source.line.path,
                mass_kg=a.kg,
                country=a.source.country,
                supplier=a.source.supplier_key,
                smelter_id=a.source.smelter_id,
                certified=a.source.certified,
            )
            for a in sorted(carried, key=lambda a: -a.kg)
        ],
        **figures,
    )


def concentration(known: dict[str, float], unknown: float) -> dict[str, float | str | None]:
    """Top-country share and HHI (shares in %, 0–10,000), with their range over every way the
    ``unknown`` kg could be split among countries."""
    total = sum(known.values()) + unknown
    if not known or total <= 0:
        return {
            "top_country": None,
            "top_country_share": None,
            "top_country_share_highest": 1.0 if unknown > 0 else None,
            "hhi": None,
            "hhi_lowest": None,
            "hhi_highest": 10_000.0 if unknown > 0 else None,
        }
    top = max(known, key=lambda c: (known[c], c))
    known_total = sum(known.values())
    hhi = sum((100 * kg / known_total) ** 2 for kg in known.values())
    # unknown spread over infinitely many countries adds nothing; all of it in the largest
    # bucket gives the most concentrated split (HHI is convex in the shares)
    lowest = sum((100 * kg / total) ** 2 for kg in known.values())
    highest = lowest - (100 * known[top] / total) ** 2 + (100 * (known[top] + unknown) / total) ** 2
    return {
        "top_country": top,
        "top_country_share": known[top] / total,
        "top_country_share_highest": (known[top] + unknown) / total,
        "hhi": hhi,
        "hhi_lowest": lowest,
        "hhi_highest": highest,
    }


def gaps(item: SourcedLine) -> list[str]:
    """What the line and its supplier leave out of the traceability triple."""
    missing = []
    if not item.country:
        missing.append("country")
    if not item.has_facility:
        missing.append("facility (smelter id or a registered facility)")
    if not item.has_certification_data:
        missing.append("certification")
    return missing


def _bounded(
    carried: Sequence[Attributed], judge: Callable[[SourcedLine], Judgement], basis: str
) -> Bounded:
    total = sum(a.kg for a in carried)
    yes = sum(a.kg for a in carried if judge(a.source) is True)
    unknown = sum(a.kg for a in carried if judge(a.source) is None)
    if total <= 0:
        return Bounded(basis=basis)
    return Bounded(
        value=yes / total,
        highest=(yes + unknown) / total,
        unknown_share=unknown / total,
        basis=basis,
    )


def _sorted(kg: dict[str, float]) -> dict[str, float]:
    """Largest first, the unknown bucket last."""
    ordered = sorted((k for k in kg if k != UNKNOWN), key=lambda k: (-kg[k], k))
    if UNKNOWN in kg:
        ordered.append(UNKNOWN)
    return {k: kg[k] for k in ordered}


def measure_lines(
    lines: Sequence[SourcedLine], inputs: SourcingInputs
) -> tuple[list[SubjectSourcing], list[SubjectSourcing]]:
    subjects = subjects_of(lines)
    elements = [
        measure_subject(name, "element", carried, inputs)
        for name, carried in sorted(subjects.elements.items())
    ]
    materials = [
        measure_subject(name, "material", carried, inputs)
        for name, carried in sorted(subjects.materials.items())
    ]
    return elements, materials


def is_smelter(supplier: Supplier | None) -> bool:
    return supplier is not None and supplier.facility_type in SMELTER_TYPES
