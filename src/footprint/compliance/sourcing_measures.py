"""The figures the sourcing rule kinds compare with their limits, from the sourcing result.

Each measure gives ``bounds`` besides its value: the lowest and highest value the figure could
take over every way the unknown data could turn out (kg of unknown origin, lines without a
smelter id, suppliers missing from the register).  The evaluation passes or fails a check only
when both bounds agree; otherwise the check is "insufficient data" and names what is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from footprint.compliance.measures import MAX_DRIVERS, SHARE_UNIT, Inputs, Measure
from footprint.compliance.rules import MaxSingleCountryShare
from footprint.compliance.sourcing_rules import (
    ApprovedSmelters,
    MaxHhi,
    MaxOpenCorrectiveActions,
    ValidCertification,
)
from footprint.model import Driver
from footprint.sourcing.results import UNKNOWN, Bounded, SourcingResult, SubjectSourcing

HHI_UNIT = "HHI (0–10,000)"
ACTIONS_UNIT = "open corrective actions"


def _sourcing(inputs: Inputs) -> SourcingResult | None:
    return inputs.result.sourcing


def _subject(rule: Any, sourcing: SourcingResult) -> SubjectSourcing | None:
    if rule.element:
        wanted = rule.element.lower()
        return next((s for s in sourcing.elements if s.subject.lower() == wanted), None)
    materials = {m.lower() for m in rule.materials}
    found = [s for s in sourcing.materials if s.subject.lower() in materials]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return _merged(found)


def _merged(parts: list[SubjectSourcing]) -> SubjectSourcing:
    """Several material families as one subject (kg added; shares recomputed from kg)."""
    from footprint.sourcing.measures import concentration

    total = sum(p.mass_kg for p in parts)
    by_country: dict[str, float] = {}
    by_supplier: dict[str, float] = {}
    for part in parts:
        for key, kg in part.by_country.items():
            by_country[key] = by_country.get(key, 0.0) + kg
        for key, kg in part.by_supplier.items():
            by_supplier[key] = by_supplier.get(key, 0.0) + kg
    known = {k: v for k, v in by_country.items() if k != UNKNOWN}

    def merged(get: Callable[[SubjectSourcing], Bounded | None]) -> Bounded | None:
        values = [(p.mass_kg, get(p)) for p in parts]
        if any(b is None for _, b in values):
            return None
        return Bounded(
            value=sum(kg * (b.value or 0.0) for kg, b in values if b) / total,
            highest=sum(kg * (b.highest or 0.0) for kg, b in values if b) / total,
            unknown_share=sum(kg * b.unknown_share for kg, b in values if b) / total,
            basis=next(b.basis for _, b in values if b),
        )

    certified = merged(lambda p: p.certified)
    return SubjectSourcing(
        subject=", ".join(p.subject for p in parts),
        kind="material",
        mass_kg=total,
        by_country=by_country,
        by_supplier=by_supplier,
        certified=certified or Bounded(),
        approved_smelters=merged(lambda p: p.approved_smelters),
        high_risk=merged(lambda p: p.high_risk),
        traceability=sum(p.mass_kg * p.traceability for p in parts) / total if total else 0.0,
        lacking=[gap for p in parts for gap in p.lacking],
        contributions=sorted((c for p in parts for c in p.contributions), key=lambda c: -c.mass_kg),
        **concentration(known, by_country.get(UNKNOWN, 0.0)),
    )


def _what(rule: Any) -> str:
    return rule.element or ", ".join(rule.materials)


def _gap_drivers(subject: SubjectSourcing, field: str, note: str) -> list[Driver]:
    lines = [g for g in subject.lacking if any(m.startswith(field) for m in g.missing)]
    lines.sort(key=lambda g: -g.mass_kg)
    return [
        Driver(line=g.line, path=g.path, value=g.mass_kg, unit="kg", note=note)
        for g in lines[:MAX_DRIVERS]
    ]


def _prelude(rule: Any, inputs: Inputs, subject_text: str) -> tuple[Measure | None, Any]:
    sourcing = _sourcing(inputs)
    if sourcing is None:
        return Measure(subject_text, missing="no sourcing figures were computed"), None
    if rule.element:
        hidden = [
            line
            for line, elements in sourcing.composition_unknown.items()
            if "*" in elements or rule.element in elements
        ]
        if hidden:  # their mass of the element is unknown: no range can be given
            return Measure(
                subject_text,
                missing=f"the composition of lines {', '.join(hidden[:5])} is unknown and may "
                f"include {rule.element}: add a composition column (element shares of the "
                'line, e.g. "Co 6.1 %") or, for a battery active material, a chemistry column',
            ), None
    subject = _subject(rule, sourcing)
    if subject is None or subject.mass_kg <= 0:
        where = "according to its datasets' composition" if rule.element else "among its lines"
        return Measure(subject_text, absent=f"the product has no {_what(rule)} {where}"), None
    return None, subject


def hhi(rule: MaxHhi, inputs: Inputs) -> Measure:
    text = f"HHI of {_what(rule)} by country of origin (Σ share in %², 0–10,000)"
    early, subject = _prelude(rule, inputs, text)
    if early is not None:
        return early
    unknown = subject.by_country.get(UNKNOWN, 0.0)
    if subject.hhi is None:
        return Measure(
            text,
            missing=f"no line of {_what(rule)} gives a country of origin",
            drivers=_gap_drivers(subject, "country", "no country of origin"),
        )
    measure = Measure(f"{text}, known-origin mass", subject.hhi, HHI_UNIT)
    if unknown > 0:
        measure.bounds = (subject.hhi_lowest or 0.0, subject.hhi_highest or 10_000.0)
        measure.unknown = f"{unknown:.4g} kg of {subject.mass_kg:.4g} kg has no country of origin"
    top = subject.top_country
    from_top = [c for c in subject.contributions if c.country == top]
    measure.drivers = _gap_drivers(subject, "country", "no country of origin") + [
        Driver(line=c.line, path=c.path, value=c.mass_kg, unit="kg",
               note=f"{_what(rule)} mass from {top}, the largest country")
        for c in from_top[:MAX_DRIVERS]
    ]  # fmt: skip
    return measure


def single_country_share(rule: MaxSingleCountryShare, inputs: Inputs) -> Measure:
    """``max_single_country_share`` from the sourcing figures (the register fills a line's
    country from its supplier): the largest counted country's kg over all kg."""
    text = f"largest single-country share of {_what(rule)}"
    early, subject = _prelude(rule, inputs, text)
    if early is not None:
        return early
    ignored = {c.upper() for c in rule.ignore_countries}
    counted = {c: kg for c, kg in subject.by_country.items() if c not in ignored | {UNKNOWN}}
    unknown = subject.by_country.get(UNKNOWN, 0.0)
    total = subject.mass_kg
    no_country = _gap_drivers(subject, "country", f"{_what(rule)} mass without a country")
    if not counted and not unknown:
        return Measure(text + " (all from ignored countries)", 0.0, SHARE_UNIT)
    country = max(counted, key=lambda c: (counted[c], c)) if counted else None
    top = counted.get(country, 0.0) if country else 0.0
    label = f"{text} ({country}, {top:.4g} of {total:.4g} kg)" if country else text
    measure = Measure(label, top / total, SHARE_UNIT)
    if unknown > 0:
        # the unknown kg could all come from the top country, or from ignored ones
        measure.bounds = (top / total, (top + unknown) / total)
        measure.unknown = f"{unknown:.4g} kg of {total:.4g} kg has no country of origin"
    measure.drivers = no_country + [
        Driver(line=c.line, path=c.path, value=c.mass_kg, unit="kg",
               note=f"{_what(rule)} mass from {country}")
        for c in subject.contributions
        if country and c.country == country
    ][:MAX_DRIVERS]  # fmt: skip
    return measure


def _share_measure(
    rule: Any, inputs: Inputs, text: str, pick: Callable[[SubjectSourcing], Bounded | None],
    no_list: str, unknown_field: str, unknown_note: str,
) -> Measure:  # fmt: skip
    early, subject = _prelude(rule, inputs, text)
    if early is not None:
        return early
    bounded = pick(subject)
    if bounded is None or bounded.value is None:
        return Measure(text, missing=no_list)
    measure = Measure(text, bounded.value, SHARE_UNIT)
    if bounded.unknown_share > 0:
        measure.bounds = (bounded.value, bounded.highest or bounded.value)
        measure.unknown = (
            f"{bounded.unknown_share:.1%} of the {_what(rule)} mass cannot be judged "
            f"({unknown_note})"
        )
    measure.drivers = _gap_drivers(subject, unknown_field, unknown_note)
    return measure


def approved_smelters(rule: ApprovedSmelters, inputs: Inputs) -> Measure:
    return _share_measure(
        rule,
        inputs,
        f"share of {_what(rule)} from approved smelters",
        lambda s: s.approved_smelters,
        "no approved-smelter list was given (--approved-smelters FILE, one smelter id a row)",
        "facility",
        "no smelter id",
    )


def valid_certification(rule: ValidCertification, inputs: Inputs) -> Measure:
    sourcing = _sourcing(inputs)
    day = sourcing.assessed_on.isoformat() if sourcing else "the assessment day"
    which = f" ({' or '.join(rule.standards)})" if rule.standards else ""
    measure = _share_measure(
        rule,
        inputs,
        f"share of {_what(rule)} from suppliers with a certificate{which} valid on {day}",
        lambda s: (
            (_by_standard(s, sourcing, rule.standards) if rule.standards else s.certified)
            if (sourcing and sourcing.register_file)
            else None
        ),
        "no supplier register was given (--suppliers FILE)",
        "certification",
        "supplier not in the register",
    )
    if sourcing is not None and measure.value is not None:
        early, subject = _prelude(rule, inputs, measure.subject)
        if subject is not None:
            measure.drivers = _uncertified_drivers(subject, sourcing)
    return measure


def _by_standard(
    subject: SubjectSourcing, sourcing: SourcingResult, standards: list[str]
) -> Bounded:
    """The certified share counting only certificates of the given standards."""
    wanted = {w.strip().casefold() for w in standards}
    cards = {card.supplier: card for card in sourcing.suppliers}
    yes = unknown = 0.0
    for c in subject.contributions:
        card = cards.get(c.supplier)
        if card is None or not card.in_register:
            unknown += c.mass_kg
        elif any(
            cert.standard.strip().casefold() in wanted and cert.status in ("valid", "expiring")
            for cert in card.certificates
        ):
            yes += c.mass_kg
    total = subject.mass_kg
    return Bounded(
        value=yes / total,
        highest=(yes + unknown) / total,
        unknown_share=unknown / total,
        basis=f"certificates of {', '.join(standards)} valid on the assessment day",
    )


def _uncertified_drivers(subject: SubjectSourcing, sourcing: SourcingResult) -> list[Driver]:
    """Lines of the subject whose supplier has no valid certificate, largest first."""
    status = {card.supplier: card.certificate_status for card in sourcing.suppliers}
    return [
        Driver(line=c.line, path=c.path, value=c.mass_kg, unit="kg",
               note=f"supplier {c.supplier}, certificate {status.get(c.supplier, 'unknown')}")
        for c in subject.contributions
        if c.certified is not True
    ][:MAX_DRIVERS]  # fmt: skip


def open_corrective_actions(rule: MaxOpenCorrectiveActions, inputs: Inputs) -> Measure:
    older = f" open more than {rule.older_than_days} days" if rule.older_than_days else ""
    text = f"largest number of corrective actions{older} open at one supplier"
    sourcing = _sourcing(inputs)
    if sourcing is None:
        return Measure(text, missing="no sourcing figures were computed")
    if sourcing.register_file is None:
        return Measure(text, missing="no supplier register was given (--suppliers FILE)")
    cards = sourcing.suppliers
    if not cards:
        return Measure(text, absent="the product has no material line")
    counts = {
        c.supplier: sum(1 for age in c.open_action_ages_days if age > rule.older_than_days)
        for c in cards
        if c.in_register
    }
    unknown = [c.supplier for c in cards if not c.in_register]
    value = float(max(counts.values(), default=0))
    measure = Measure(text, value, ACTIONS_UNIT)
    if unknown:
        measure.bounds = (value, math.inf)
        measure.unknown = f"not in the register: {', '.join(unknown)}"
    worst = max(counts, key=lambda k: counts[k], default=None)
    card = next((c for c in cards if c.supplier == worst), None)
    if card is not None and counts[card.supplier] > 0:
        measure.drivers = [
            Driver(line=line, path=line, value=float(counts[card.supplier]), unit=ACTIONS_UNIT,
                   note=f"supplied by {card.supplier}")
            for line in card.lines[:MAX_DRIVERS]
        ]  # fmt: skip
    return measure


SOURCING_MEASURES: dict[str, Callable[[Any, Inputs], Measure]] = {
    "max_hhi": hhi,
    "approved_smelters": approved_smelters,
    "valid_certification": valid_certification,
    "max_open_corrective_actions": open_corrective_actions,
}
