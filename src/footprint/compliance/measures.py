"""The figure each kind of rule compares with its limit, and the BOM lines that drive it.

A measure either has a value, or says why the rule does not concern the product (``absent``,
e.g. a lithium-ion battery has no lead), or why the figure cannot be computed (``missing``,
e.g. no country on a cobalt line).  Nothing here knows about limits or statuses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from footprint.circularity.parameters import SYMBOLS
from footprint.compliance.energy import service_energy
from footprint.compliance.rules import (
    MaxDqr,
    MaxFootprint,
    MaxSingleCountryShare,
    MinEolRecyclingRate,
    MinRecycledContent,
    RequiredFields,
)
from footprint.composition import Carrier, carrier, line_composition
from footprint.model import BomLine, Dataset, Driver, LineResult, Product, ProductResult

MAX_DRIVERS = 5
SHARE_UNIT = "fraction"


class DatasetLookup(Protocol):
    """Anything that returns a ``Dataset`` by id (a ``footprint.catalog.Catalog``)."""

    def get(self, dataset_id: str) -> Dataset: ...


@dataclass(frozen=True)
class ShareTerm:
    """One line of a value that is a weighted mean of line parameters:
    value = Σ weight · share / Σ weight, the share being the sum of ``parameters`` as used."""

    line: str
    weight: float  # kg of the line (or of its element)
    parameters: tuple[str, ...]  # e.g. ("eol_recycling_rate", "eol_energy_recovery_rate")
    share: float  # their sum as used for the line


@dataclass
class Measure:
    subject: str  # what the value is, for the explanation
    value: float | None = None
    unit: str = ""
    drivers: list[Driver] = field(default_factory=list)
    absent: str | None = None
    missing: str | None = None
    by_stage: dict[str, float] = field(default_factory=dict)  # label → part of value
    # the lowest and highest the value could be, where part of the data is unknown, and what
    bounds: tuple[float, float] | None = None
    unknown: str | None = None
    # the value as a weighted mean of line parameters, line by line (recycled content, end-of-
    # life rates), so that the Monte Carlo can recompute it from sampled parameters
    shares: list[ShareTerm] = field(default_factory=list)


@dataclass
class Inputs:
    """What a product offers the rules, with the BOM line behind each result line."""

    result: ProductResult
    product: Product
    catalog: DatasetLookup | None = None
    _compositions: dict[str, dict[str, float] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bom: dict[str, BomLine] = {line.id: line for line in self.product.lines}

    def leaves(self) -> list[LineResult]:
        """Lines that carry a dataset: the ones whose mass and footprint are counted."""
        return [line for line in self.result.lines if line.dataset is not None]

    def material_lines(self) -> list[LineResult]:
        """Lines that supply material: leaves that are not waste treatments."""
        return [line for line in self.leaves() if not line.is_waste_treatment()]

    def dataset(self, line: LineResult) -> Dataset | None:
        if self.catalog is None or line.dataset is None:
            return None
        try:
            return self.catalog.get(line.dataset)
        except LookupError:  # a Brightway activity, not a catalog dataset
            return None

    def composition(self, line: LineResult) -> dict[str, float] | None:
        """Element fractions of the line (lower-case symbols): its BOM composition, else its
        chemistry, else its dataset's; None when none of them says anything."""
        if line.id not in self._compositions:
            found = line_composition(self.bom.get(line.id), self.dataset(line))
            self._compositions[line.id] = (
                None if found is None else {k.lower(): v for k, v in found.fractions.items()}
            )
        return self._compositions[line.id]

    def carrier(self, line: LineResult) -> Carrier | None:
        """What element_carriers.csv says of the line's family or dataset."""
        dataset = self.dataset(line)
        family = (dataset.material if dataset is not None else None) or line.material
        return carrier(family, line.dataset)

    def may_carry(self, line: LineResult, element: str) -> bool:
        """Whether an unknown composition of the line could hide ``element``."""
        found = self.carrier(line)
        if found is not None:
            return found.may_carry(element)
        return line.dataset is not None and self.dataset(line) is None  # a Brightway activity

    def active_material(self, line: LineResult) -> str:
        """yes (battery active material), no, or contains (a whole cell/battery)."""
        bom = self.bom.get(line.id)
        if bom is not None and bom.active_material is not None:
            return "yes" if bom.active_material else "no"
        if bom is not None and bom.chemistry:
            return "yes"
        found = self.carrier(line)
        return found.active_material if found is not None else "no"

    def is_recycled_dataset(self, line: LineResult) -> bool:
        if self.catalog is None or line.dataset is None:
            return False
        try:
            return self.catalog.get(line.dataset).recycled
        except LookupError:
            return False

    def default_parameter(self, line: LineResult, name: str) -> str | None:
        """The citation of a CFF parameter the line took from a material default, if it did."""
        circularity = self.result.circularity
        if circularity is None or circularity.cff is None:
            return None
        symbol = SYMBOLS.get(name, name)
        for cff_line in circularity.cff.lines:
            if cff_line.line == line.id and symbol in cff_line.parameters:
                used = cff_line.parameters[symbol]
                return (used.source or "a material default") if used.origin == "default" else None
        return None

    def parameter(self, line: LineResult, name: str) -> float | None:
        """A circularity parameter as used for the line: CFF result, BOM line, product."""
        circularity = self.result.circularity
        if circularity is not None and circularity.cff is not None:
            symbol = SYMBOLS.get(name, name)  # CffLine.parameters is keyed by PEF symbol
            for cff_line in circularity.cff.lines:
                if cff_line.line == line.id and symbol in cff_line.parameters:
                    return cff_line.parameters[symbol].value
        bom = self.bom.get(line.id)
        if bom is not None and getattr(bom.circularity, name) is not None:
            return float(getattr(bom.circularity, name))
        value = getattr(self.product.circularity, name)
        return None if value is None else float(value)


def _driver(line: LineResult, value: float, unit: str, note: str | None = None) -> Driver:
    return Driver(line=line.id, path=line.path, value=value, unit=unit, note=note)


def _top(items: Iterable[tuple[LineResult, float]], unit: str, note: str) -> list[Driver]:
    ranked = sorted((item for item in items if item[1] > 0), key=lambda item: -item[1])
    return [_driver(line, value, unit, note) for line, value in ranked[:MAX_DRIVERS]]


def _mass(line: LineResult) -> float:
    return line.mass_kg or 0.0


def _country(line: LineResult) -> str:
    return (line.country or "").strip().upper()


def _in(material: str | None, materials: list[str]) -> bool:
    return material is not None and material.lower() in {m.lower() for m in materials}


def _names(items: Iterable[str]) -> str:
    items = list(items)
    shown = ", ".join(items[:5])
    return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")


# --------------------------------------------------------------------------------------------


def footprint(rule: MaxFootprint, inputs: Inputs) -> Measure:
    result, product = inputs.result, inputs.product
    indicator = rule.indicator
    if rule.stages:
        total = sum(
            getattr(result.by_stage[s], indicator) for s in rule.stages if s in result.by_stage
        )
        stages = ", ".join(s.value for s in rule.stages)
    else:
        total = getattr(result.climate_change, indicator)
        stages = "all stages"
    subject = f"climate change ({indicator}, {stages}) {rule.basis}"
    flow = result.reference_flow or 1.0
    if rule.basis == "per functional unit":
        divisor, unit = 1.0, "kg CO2-eq per functional unit"
    elif rule.basis == "per kg":
        mass = result.mass_kg
        if not mass:
            return Measure(subject, missing="the product's mass is unknown")
        divisor, unit = flow * mass, "kg CO2-eq/kg"
        subject += f" of {mass:g} kg"
    else:
        energy = service_energy(product, result.energy_kwh)
        if not energy.kwh:
            return Measure(subject, missing=energy.how)
        divisor, unit = flow * energy.kwh, "kg CO2-eq/kWh"
        subject += f" of E_total = {energy.how}"
    value = total / divisor
    split = {
        rule.stage_labels.get(stage, stage.value): getattr(result.by_stage[stage], indicator)
        / divisor
        for stage in rule.stages
        if stage in result.by_stage
    }
    contributions = [
        (line, getattr(line.climate_change, indicator) / divisor)
        for line in inputs.leaves()
        if not rule.stages or line.stage in rule.stages
    ]
    note = "contribution to the value"
    return Measure(subject, value, unit, _top(contributions, unit, note), by_stage=split)


def recycled_content(rule: MinRecycledContent, inputs: Inputs) -> Measure:
    post_consumer = rule.basis == "post-consumer"
    what = rule.element or _names(rule.materials)
    subject = f"{'post-consumer ' if post_consumer else ''}recycled share of {what}"
    if rule.element is not None:
        return _element_recycled(rule, post_consumer, subject, inputs)
    circularity = inputs.result.circularity
    if circularity is None:
        return Measure(subject, missing="no recycled-content results for the product")
    content = circularity.recycled_content
    shares = content.by_material_post_consumer if post_consumer else content.by_material
    shares = {k.lower(): v for k, v in shares.items()}
    masses: dict[str, float] = defaultdict(float)
    lines = [
        line
        for line in inputs.material_lines()
        if _in(line.material, rule.materials) and line.mass_kg
    ]
    if not lines:
        return Measure(subject, absent=f"the product has no line of {what}")
    small: list[LineResult] = []
    if rule.exclude_parts_below is not None:
        weight = sum(_mass(line) for line in inputs.material_lines())
        small = [line for line in lines if _mass(line) < rule.exclude_parts_below * weight]
        lines = [line for line in lines if line not in small]
        if not lines:
            return Measure(
                subject,
                absent=f"every part of {what} ({_names(x.id for x in small)}) is under "
                f"{rule.exclude_parts_below:.0%} of the product's weight ({weight:.4g} kg), "
                "and such parts are excluded",
            )
    if small:  # the shares over the parts that count, line by line
        kept = sum(_mass(line) for line in lines)
        value = sum(_mass(x) * _recycled(x, post_consumer, inputs) for x in lines) / kept
        virgin = [(x, _mass(x) * (1 - _recycled(x, post_consumer, inputs))) for x in lines]
        return Measure(
            f"{subject} (parts under {rule.exclude_parts_below:.0%} of the product's weight "
            f"excluded: {_names(x.id for x in small)})",
            value,
            SHARE_UNIT,
            _top(virgin, "kg", "virgin mass"),
            shares=_recycled_terms([(x, _mass(x)) for x in lines], post_consumer, inputs),
        )
    for line in lines:
        masses[(line.material or "").lower()] += _mass(line)
    unknown = [m for m in masses if m not in shares]
    if unknown:
        return Measure(subject, missing=f"no recycled share computed for {_names(unknown)}")
    value = sum(shares[m] * masses[m] for m in masses) / sum(masses.values())
    virgin = [(line, _mass(line) * (1 - _recycled(line, post_consumer, inputs))) for line in lines]
    measure = Measure(subject, value, SHARE_UNIT)
    measure.drivers = _top(virgin, "kg", "virgin mass")
    measure.shares = _recycled_terms([(x, _mass(x)) for x in lines], post_consumer, inputs)
    return measure


def _recycled_terms(
    weighted: Iterable[tuple[LineResult, float]], post_consumer: bool, inputs: Inputs
) -> list[ShareTerm]:
    name = "recycled_content_post_consumer" if post_consumer else "recycled_content"
    return [
        ShareTerm(line.id, weight, (name,), _recycled(line, post_consumer, inputs))
        for line, weight in weighted
    ]


def _recycled(line: LineResult, post_consumer: bool, inputs: Inputs) -> float:
    """R1 (or its post-consumer part) of one line; a recycled dataset counts as R1 = 1."""
    name = "recycled_content_post_consumer" if post_consumer else "recycled_content"
    value = inputs.parameter(line, name)
    if value is None and not post_consumer:
        value = line.recycled_content
    if value is None:
        value = 1.0 if inputs.is_recycled_dataset(line) and not post_consumer else 0.0
    return value


def _element_recycled(
    rule: MinRecycledContent, post_consumer: bool, subject: str, inputs: Inputs
) -> Measure:
    """Recycled share of one element's mass, over every material line or the active materials.

    Σ m·x·R1 / Σ m·x, x the element's mass fraction of the line (BOM composition, chemistry or
    dataset).  A line that may carry the element but whose composition is unknown, or a whole
    battery whose active-material share is unknown, makes the figure insufficient data."""
    element = rule.element or ""
    key = element.lower()
    active_only = rule.within == "active materials"
    counted: list[tuple[LineResult, float]] = []
    unknown: list[LineResult] = []
    whole: list[LineResult] = []
    undecided: list[LineResult] = []
    for line in inputs.material_lines():
        if not line.mass_kg:
            continue
        role = inputs.active_material(line) if active_only else "yes"
        if role == "no":
            continue
        fractions = inputs.composition(line)
        if fractions is None:
            if inputs.may_carry(line, element):
                (whole if role == "contains" else unknown).append(line)
            continue
        if not fractions.get(key):
            continue
        if role in ("contains", "ask"):
            (whole if role == "contains" else undecided).append(line)
            continue
        counted.append((line, line.mass_kg * fractions[key]))
    where = "active materials" if active_only else "product"
    if unknown or whole or undecided:
        missing = _composition_missing(element, unknown, whole)
        if undecided:
            missing = "; ".join(
                part
                for part in (
                    missing,
                    f"lines {_names(x.id for x in undecided)} contain {element} but may or may "
                    "not be active material: set their active_material column to yes or no",
                )
                if part
            )
        return Measure(subject, missing=missing)
    if not counted:
        return Measure(
            subject,
            absent=f"no line of the {where} contains {element}, by the composition of every "
            f"line (BOM composition, chemistry or dataset)",
        )
    element_kg = sum(kg for _, kg in counted)
    recycled = [(line, kg * _recycled(line, post_consumer, inputs)) for line, kg in counted]
    value = sum(kg for _, kg in recycled) / element_kg
    virgin = [(line, kg - r) for (line, kg), (_, r) in zip(counted, recycled, strict=True)]
    return Measure(
        f"{subject} in the {where} ({element_kg:.4g} kg {element})",
        value,
        SHARE_UNIT,
        _top(virgin, "kg", f"virgin {element} mass"),
        shares=_recycled_terms(counted, post_consumer, inputs),
    )


def _composition_missing(element: str, unknown: list[LineResult], whole: list[LineResult]) -> str:
    """What to add so that the element's mass is known, line by line."""
    parts = []
    if unknown:
        parts.append(
            f"the composition of lines {_names(x.id for x in unknown)} is unknown and may "
            f"include {element}: add a composition column (element shares of the line, e.g. "
            '"Co 6.1 %, Ni 48.6 %, Li 7.2 %") or, for a battery active material, a chemistry '
            "column (NMC811, LFP …)"
        )
    if whole:
        parts.append(
            f"lines {_names(x.id for x in whole)} are whole batteries or cells whose active "
            "materials are not given: describe the cell by its cathode and anode active "
            "materials as lines of their own (mass, chemistry, active_material yes), or mark "
            "the line active_material yes with its composition"
        )
    return "; ".join(parts)


def eol_recycling_rate(rule: MinEolRecyclingRate, inputs: Inputs) -> Measure:
    what = _names(rule.materials) if rule.materials else "the product"
    route = "recycled (R2)" if rule.basis == "recycling" else "recovered (R2 + R3)"
    subject = f"share of {what} {route} at end of life"
    lines = [
        line
        for line in inputs.material_lines()
        if line.mass_kg and (not rule.materials or _in(line.material, rule.materials))
    ]
    if not lines:
        return Measure(subject, absent=f"the product has no line of {what} with a mass")
    rates: list[tuple[LineResult, float]] = []
    lacking: list[LineResult] = []
    borrowed: list[tuple[LineResult, str]] = []
    for line in lines:
        r2 = inputs.parameter(line, "eol_recycling_rate")  # R2
        if r2 is None:
            lacking.append(line)
            continue
        default = inputs.default_parameter(line, "eol_recycling_rate")
        if default is not None:
            borrowed.append((line, default))
            continue
        r3 = inputs.parameter(line, "eol_energy_recovery_rate") or 0.0  # R3
        rates.append((line, r2 + (r3 if rule.basis == "recovery" else 0.0)))
    if lacking:
        return Measure(
            subject,
            missing=f"no end-of-life recycling rate (R2) for lines {_names(x.id for x in lacking)}",
            drivers=[_driver(x, x.mass_kg or 0.0, "kg", "no R2") for x in lacking][:MAX_DRIVERS],
        )
    if borrowed:
        sources = sorted({source for _, source in borrowed})
        return Measure(
            subject,
            missing=f"the R2 of lines {_names(x.id for x, _ in borrowed)} is a material default "
            f"({'; '.join(sources)}), a figure from another context (PEF Annex C gives "
            "packaging end-of-life rates), not this product's treatment: declare "
            "eol_recycling_rate (and eol_energy_recovery_rate) on these lines or the product",
            drivers=[_driver(x, _mass(x), "kg", "R2 from a default") for x, _ in borrowed][
                :MAX_DRIVERS
            ],
        )
    total = sum(_mass(line) for line, _ in rates)
    value = sum(_mass(line) * rate for line, rate in rates) / total
    lost = [(line, _mass(line) * (1 - rate)) for line, rate in rates]
    names: tuple[str, ...] = ("eol_recycling_rate",)
    if rule.basis == "recovery":
        names += ("eol_energy_recovery_rate",)
    return Measure(
        subject,
        value,
        SHARE_UNIT,
        _top(lost, "kg", "mass not " + route.split()[0]),
        shares=[ShareTerm(line.id, _mass(line), names, rate) for line, rate in rates],
    )


def single_country_share(rule: MaxSingleCountryShare, inputs: Inputs) -> Measure:
    if inputs.result.sourcing is not None:  # countries joined to the supplier register
        from footprint.compliance.sourcing_measures import single_country_share as joined

        return joined(rule, inputs)
    what = rule.element or _names(rule.materials)
    subject = f"largest single-country share of {what}"
    carrying, unknown = _carrying(rule.element, rule.materials, inputs)
    if unknown:
        return Measure(subject, missing=_composition_missing(what, unknown, []))
    if not carrying:
        return Measure(subject, absent=f"the product contains no {what}")
    no_country = [line for line, _ in carrying if not line.country]
    if no_country:
        return Measure(
            subject,
            missing=f"no country of origin on lines {_names(x.id for x in no_country)}",
            drivers=[
                _driver(line, kg, "kg", f"{what} mass without a country")
                for line, kg in carrying
                if not line.country
            ][:MAX_DRIVERS],
        )
    by_country: dict[str, float] = defaultdict(float)
    for line, kg in carrying:
        by_country[_country(line)] += kg
    total = sum(by_country.values())
    ignored = {c.upper() for c in rule.ignore_countries}
    counted = {c: kg for c, kg in by_country.items() if c not in ignored}
    if not counted:
        return Measure(subject + " (all from ignored countries)", 0.0, SHARE_UNIT)
    country = max(counted, key=lambda c: counted[c])
    top = [(line, kg) for line, kg in carrying if _country(line) == country]
    return Measure(
        f"{subject} ({country}, {counted[country]:.4g} of {total:.4g} kg)",
        counted[country] / total,
        SHARE_UNIT,
        _top(top, "kg", f"{what} mass from {country}"),
    )


def _carrying(
    element: str | None, materials: list[str], inputs: Inputs
) -> tuple[list[tuple[LineResult, float]], list[LineResult]]:
    """(line, kg of the element or material) for every line that carries some, and the lines
    whose unknown composition may hide the element."""
    out: list[tuple[LineResult, float]] = []
    unknown: list[LineResult] = []
    for line in inputs.material_lines():
        if not line.mass_kg:
            continue
        if element is None:
            if _in(line.material, materials):
                out.append((line, line.mass_kg))
            continue
        fractions = inputs.composition(line)
        if fractions is None:
            if inputs.may_carry(line, element):
                unknown.append(line)
            continue
        if fractions.get(element.lower()):
            out.append((line, line.mass_kg * fractions[element.lower()]))
    return out, unknown


def data_quality(rule: MaxDqr, inputs: Inputs) -> Measure:
    subject = "data-quality rating (DQR)"
    quality = inputs.result.data_quality
    if quality is None or quality.dqr is None:
        return Measure(subject, missing="no data-quality rating for the product")
    return Measure(subject, quality.dqr, "DQR (1 best … 5 worst)")


def required_fields(rule: RequiredFields, inputs: Inputs) -> Measure:
    wanted = _names(rule.fields)
    selection = _names([*rule.elements, *rule.materials])
    subject = f"lines containing {selection} without {wanted}"
    selected = []
    unknown = []
    for line in inputs.leaves():
        fractions = inputs.composition(line)
        if _in(line.material, rule.materials) or any(
            (fractions or {}).get(e.lower()) for e in rule.elements
        ):
            selected.append(line)
        elif (
            fractions is None
            and not line.is_waste_treatment()
            and any(inputs.may_carry(line, e) for e in rule.elements)
        ):
            unknown.append(line)
    if unknown:
        return Measure(subject, missing=_composition_missing(_names(rule.elements), unknown, []))
    if not selected:
        return Measure(subject, absent=f"no line contains {selection}")
    offending = []
    for line in selected:
        empty = [name for name in rule.fields if _blank(_field(line, name))]
        if empty:
            note = "missing " + ", ".join(empty)
            if line.mass_kg is not None:
                offending.append(_driver(line, line.mass_kg, "kg", note))
            else:
                offending.append(_driver(line, line.quantity, line.unit, note))
    return Measure(f"{subject} (of {len(selected)})", float(len(offending)), "lines", offending)


def _field(line: LineResult, name: str) -> object:
    if name in LineResult.model_fields:
        return getattr(line, name)
    return line.extra.get(name)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


MEASURES: dict[str, Callable[[Any, Inputs], Measure]] = {
    "max_footprint": footprint,
    "min_recycled_content": recycled_content,
    "min_eol_recycling_rate": eol_recycling_rate,
    "max_single_country_share": single_country_share,
    "max_dqr": data_quality,
    "required_fields": required_fields,
}
