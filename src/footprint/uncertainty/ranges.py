"""Ranges of a BOM line's recycled content and end-of-life rates, sampled in the Monte Carlo.

A BOM line may give, beside its value, a range of it:

    recycled_content_range          "15–25 %"   R1
    eol_recycling_rate_range        "0.6–0.8"   R2
    eol_energy_recovery_rate_range  "5-10%"     R3

Each range is a uniform distribution between its ends (what "somewhere from 15 to 25 %"
says and no more); the line's own value must lie inside it, as the deterministic figures use
that value.  Every iteration draws one value per range, from its own stream
(``SeedSequence(seed, spawn_key=(block, RANGE_STREAM))``: reproducible whatever the workers
or chunks, and independent of the dataset and quantity draws).

What a range moves:
- the **recycled-content and end-of-life-rate checks** (``min_recycled_content``,
  ``min_eol_recycling_rate``): their value is a weighted mean of line parameters,
  Σ w·share / Σ w (``compliance.measures.ShareTerm``), recomputed per iteration with the drawn
  shares (and the weights scaled by the lines' quantity draws);
- the **CFF figure** of a line, when the product is assessed under the CFF: the CFF per kg is
  affine in R1, R2 and R3 (``circularity.cff``), so the line's figure changes by
  coefficient × (draw − value), the coefficients computed from the E terms the CFF used
  (``CffLine.parameters``).  A term the declared value did not need but the range does is
  filled as the CFF fills it (Erecycled = Ev, ErecyclingEoL = E*v·Qsout/Qp, EER = ED).
Under the cut-off model the footprint does not depend on R1–R3: there a range moves the checks
only, and the result says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from footprint.bom.columns import RANGE_COLUMNS, normalise_key
from footprint.circularity.cff import cff_terms
from footprint.circularity.parameters import SYMBOLS
from footprint.errors import Problem
from footprint.model import CffLine, Product

RANGE_STREAM = 2  # child of the block's stream the ranges draw from (1: the background)
_KEYS = {normalise_key(name): name for name in RANGE_COLUMNS}
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^\s*{_NUMBER}\s*(%?)\s*(?:–|—|-|\.\.|to)\s*{_NUMBER}\s*(%?)\s*$", re.I)


def parse_range(text: object) -> tuple[float, float]:
    """A share range as fractions: "15–25 %", "15 % – 25 %", "0.15-0.25" → (0.15, 0.25)."""
    match = _RANGE.match(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a range; write it as 15–25 % or 0.15–0.25")
    low, high = (float(match.group(i).replace(",", ".")) for i in (1, 3))
    if match.group(2) or match.group(4):
        low, high = low / 100, high / 100
    elif high > 1:
        raise ValueError(f"{text!r}: shares are fractions (0.15–0.25) or percentages (15–25 %)")
    if high > 1:
        raise ValueError(f"{text!r}: a share cannot exceed 100 %")
    if not low < high:
        raise ValueError(f"{text!r}: the low end must be below the high end")
    return low, high


def show_range(low: float, high: float) -> str:
    return f"{low * 100:.4g}–{high * 100:.4g} %"


@dataclass(frozen=True)
class Slot:
    """One range of one line: a uniform draw between ``low`` and ``high``."""

    line: str
    parameter: str  # recycled_content, eol_recycling_rate or eol_energy_recovery_rate
    low: float
    high: float
    declared: float

    def describe(self) -> str:
        return f"{SYMBOLS[self.parameter]} {show_range(self.low, self.high)}"


def product_slots(product: Product, problems: list[Problem]) -> list[Slot]:
    """The ranges of the product's lines; bad ones are added to ``problems`` (one line each)."""
    slots: list[Slot] = []
    for line in product.lines:
        given = {
            _KEYS[normalise_key(header)]: (header, value)
            for header, value in line.extra.items()
            if normalise_key(header) in _KEYS and value not in (None, "")
        }
        found: dict[str, Slot] = {}
        for column, (header, text) in given.items():
            parameter = RANGE_COLUMNS[column]
            try:
                low, high = parse_range(text)
            except ValueError as error:
                problems.append(line.source.problem(f"line {line.id}: {error}", column=header))
                continue
            declared = getattr(line.circularity, parameter)
            if declared is None:
                problems.append(
                    line.source.problem(
                        f"line {line.id}: {header} {text!r} needs the line's own {parameter} "
                        "(the value the footprint and the checks use), inside the range",
                        column=header,
                    )
                )
                continue
            if not low - 1e-12 <= declared <= high + 1e-12:
                problems.append(
                    line.source.problem(
                        f"line {line.id}: {parameter} {declared * 100:.4g} % lies outside its "
                        f"range {show_range(low, high)}",
                        column=header,
                    )
                )
                continue
            found[parameter] = Slot(line.id, parameter, low, high, float(declared))
        r2, r3 = found.get("eol_recycling_rate"), found.get("eol_energy_recovery_rate")
        if r2 is not None or r3 is not None:
            high2 = r2.high if r2 else (line.circularity.eol_recycling_rate or 0.0)
            high3 = r3.high if r3 else (line.circularity.eol_energy_recovery_rate or 0.0)
            if high2 + high3 > 1 + 1e-12:
                header = (r3 or r2).parameter + "_range"  # type: ignore[union-attr]
                problems.append(
                    line.source.problem(
                        f"line {line.id}: R2 and R3 could add up to {(high2 + high3) * 100:.4g} "
                        "% at the high ends of their ranges; R2 + R3 must stay ≤ 100 %",
                        column=header,
                    )
                )
                continue
        slots.extend(found.values())
    return slots


# --------------------------------------------------------------------------------------------
# What the ranges move: CFF figures and share checks
# --------------------------------------------------------------------------------------------

_CFF_INPUTS = {
    "a": ("A", 0.5), "b": ("B", 0.0), "qsin_qp": ("Qsin/Qp", 1.0), "qsout_qp": ("Qsout/Qp", 1.0),
    "lhv": ("LHV", 0.0), "xer_heat": ("XER,heat", 0.0), "xer_elec": ("XER,elec", 0.0),
    "ev": ("Ev", None), "erecycled": ("Erecycled", None), "erecycling_eol": ("ErecyclingEoL", None),
    "ev_star": ("E*v", None), "eer": ("EER", None), "ed": ("ED", None),
    "ese_heat": ("ESE,heat", 0.0), "ese_elec": ("ESE,elec", 0.0),
}  # fmt: skip
_R = {"recycled_content": "r1", "eol_recycling_rate": "r2", "eol_energy_recovery_rate": "r3"}


def cff_coefficients(cff_line: CffLine, factor: float) -> tuple[dict[str, float], list[str]]:
    """Change of the line's CFF figure (per functional unit, climate change total) per unit of
    R1, R2 and R3, and the E terms filled as the CFF fills them (the CFF is affine in each R).
    ``factor``: the line's kg per functional unit."""
    used = cff_line.parameters
    values: dict[str, float] = {}
    for name, (symbol, default) in _CFF_INPUTS.items():
        if symbol in used:
            values[name] = used[symbol].value
        elif default is not None:
            values[name] = default
    filled = []
    for term, fallback, scale, symbol in (
        ("ev_star", "ev", 1.0, "E*v = Ev"),
        ("erecycled", "ev", 1.0, "Erecycled = Ev"),
        ("erecycling_eol", "ev_star", values["qsout_qp"], "ErecyclingEoL = E*v·Qsout/Qp"),
        ("eer", "ed", 1.0, "EER = ED"),
    ):
        if term not in values:
            values[term] = values.get(fallback, 0.0) * scale
            filled.append(symbol)
    for name in ("ev", "ed"):
        values.setdefault(name, 0.0)
    rates = {r: used[SYMBOLS[p]].value if SYMBOLS[p] in used else 0.0 for p, r in _R.items()}
    coefficients = {}
    for parameter, r in _R.items():
        one = cff_terms(**values, **{**rates, r: 1.0}).total
        zero = cff_terms(**values, **{**rates, r: 0.0}).total
        coefficients[parameter] = (one - zero) * factor
    return coefficients, filled


@dataclass(frozen=True)
class ShareCheck:
    """A recycled-content or end-of-life-rate check as arrays: value = Σ w·q·s / Σ w·q."""

    weights: np.ndarray  # (terms,)
    shares: np.ndarray  # (terms,) as used
    line_index: np.ndarray  # (terms,) index of the term's line among the sampled lines, −1
    slot_term: np.ndarray  # (slots,) the term whose share the slot's draw moves, −1: none
    limit: float
    minimum: bool = True  # the value must reach the limit


@dataclass(frozen=True)
class RangeInputs:
    """What a task needs of the ranges: plain arrays."""

    low: np.ndarray  # (slots,)
    high: np.ndarray  # (slots,)
    declared: np.ndarray  # (slots,)
    slot_line: np.ndarray  # (slots,) the sampled line whose CFF figure the slot moves, −1
    slot_coefficient: np.ndarray  # (slots,) per-FU change of that figure per unit share
    checks: tuple[ShareCheck, ...] = ()

    def draw(self, seed: int, block: int, size: int) -> np.ndarray:
        """(size, slots) uniform draws of one block, from the block's range stream."""
        stream = np.random.SeedSequence(seed, spawn_key=(block, RANGE_STREAM))
        rng = np.random.default_rng(stream)
        return rng.uniform(self.low, self.high, (size, len(self.low)))

    def figure_change(self, draws: np.ndarray, lines: int) -> np.ndarray:
        """(size, lines) change of the lines' figures: coefficient × (draw − value)."""
        change = np.zeros((len(draws), lines))
        moving = self.slot_line >= 0
        np.add.at(
            change.T,
            self.slot_line[moving],
            ((draws[:, moving] - self.declared[moving]) * self.slot_coefficient[moving]).T,
        )
        return change

    def check_values(self, draws: np.ndarray, quantity: np.ndarray) -> np.ndarray:
        """(size, checks) values of the share checks; ``quantity``: (size, lines) draws."""
        size = len(quantity)
        out = np.empty((size, len(self.checks)))
        change = draws - self.declared
        for i, check in enumerate(self.checks):
            shares = np.broadcast_to(check.shares, (size, len(check.shares))).copy()
            moving = check.slot_term >= 0
            np.add.at(shares.T, check.slot_term[moving], change[:, moving].T)
            weights = np.broadcast_to(check.weights, (size, len(check.weights))).copy()
            linked = check.line_index >= 0
            weights[:, linked] *= quantity[:, check.line_index[linked]]
            out[:, i] = (weights * shares).sum(axis=1) / weights.sum(axis=1)
        return out


@dataclass
class ShareCheckPlan:
    """The share checks of a product that can be sampled, and why others cannot."""

    rules: list[str] = field(default_factory=list)
    checks: list[ShareCheck] = field(default_factory=list)
    varied: list[list[str]] = field(default_factory=list)
    not_sampled: dict[str, str] = field(default_factory=dict)


SHARE_KINDS = ("min_recycled_content", "min_eol_recycling_rate")


def share_checks(
    result: object,
    product: Product | None,
    rules: dict[str, object],
    catalog: object,
    slots: Sequence[Slot],
    line_index: dict[str, int],
    describe_line: Callable[[str], list[str]],
) -> ShareCheckPlan:
    """The product's recycled-content and end-of-life-rate checks with a value and a limit, as
    ``ShareCheck`` arrays: the measure is re-run on the product to get its terms line by line."""
    from footprint.compliance.measures import MEASURES, Inputs

    plan = ShareCheckPlan()
    for check in getattr(result, "checks", []):
        if check.kind not in SHARE_KINDS:
            continue
        why = without_figures(check)
        if why is not None:
            plan.not_sampled[check.rule] = why
            continue
        rule = rules.get(check.rule)
        if product is None or rule is None:
            plan.not_sampled[check.rule] = "not sampled: the BOM products were not given"
            continue
        measure = MEASURES[check.kind](rule, Inputs(result, product, catalog))  # type: ignore[arg-type]
        terms = measure.shares
        weight = sum(t.weight for t in terms)
        rebuilt = sum(t.weight * t.share for t in terms) / weight if weight else None
        if rebuilt is None or abs(rebuilt - check.value) > 1e-9 * max(abs(check.value), 1e-12):
            plan.not_sampled[check.rule] = (
                "not sampled: its value could not be rebuilt line by line from the BOM"
            )
            continue
        term_of = {term.line: t for t, term in enumerate(terms)}
        slot_term = np.full(len(slots), -1, dtype=int)
        for s, slot in enumerate(slots):
            t = term_of.get(slot.line)
            if t is not None and slot.parameter in terms[t].parameters:
                slot_term[s] = t
        varied: list[str] = []
        for term in terms:
            varied.extend(
                f"{term.line}: {what}"
                for what in describe_line(term.line)
                if not what.startswith("dataset")  # a factor does not move a share
                and (not what.startswith(("R1", "R2", "R3")) or _moves(what, term.parameters))
            )
        plan.rules.append(check.rule)
        plan.varied.append(sorted(set(varied)))
        plan.checks.append(
            ShareCheck(
                weights=np.array([t.weight for t in terms], dtype=float),
                shares=np.array([t.share for t in terms], dtype=float),
                line_index=np.array([line_index.get(t.line, -1) for t in terms], dtype=int),
                slot_term=slot_term,
                limit=float(check.limit),
            )
        )
    return plan


def without_figures(check: Any) -> str | None:
    """Why a check has no failing probability for want of a value or a limit, or None."""
    if check.value is None:
        return f"{check.status}: no value to sample"
    if check.limit is None:
        return f"{check.status}: no limit to sample against"
    return None


def _moves(description: str, parameters: tuple[str, ...]) -> bool:
    return any(description.startswith(SYMBOLS[p]) for p in parameters)
