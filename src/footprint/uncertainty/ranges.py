"""Ranges of recycled content, its post-consumer part and end-of-life rates, sampled in the
Monte Carlo.

A BOM line or a Products row may give, beside its value, a range of it (read and checked by
``bom.monte_carlo``):

    recycled_content_range                  "15–25 %"   R1
    recycled_content_post_consumer_range    "5–10 %"    the post-consumer part of R1
    eol_recycling_rate_range                "0.6–0.8"   R2
    eol_energy_recovery_rate_range          "5-10%"     R3

Each range is a uniform distribution between its ends (what "somewhere from 15 to 25 %"
says and no more); the row's own value must lie inside it, as the deterministic figures use
that value.  Every iteration draws one value per range (a Products row's range: one draw for
every line that takes the product's value), from its own stream
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
  filled as the CFF fills it (Erecycled = Ev, ErecyclingEoL = E*v·Qsout/Qp, EER = ED);
- the **MCI** (``mci_sampling``): FR with R1, CR with R2.
Under the cut-off model the footprint does not depend on R1–R3: there a range moves the checks
and the MCI only, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from footprint.bom.monte_carlo import row_inputs, show_range
from footprint.circularity.cff import cff_terms
from footprint.circularity.parameters import SYMBOLS
from footprint.errors import Problem
from footprint.model import CffLine, Product

RANGE_STREAM = 2  # child of the block's stream the ranges draw from (1: the background)
PRODUCT_ROW = "Products row"


@dataclass(frozen=True)
class Slot:
    """One range: a uniform draw between ``low`` and ``high``, of one line's parameter or, when
    ``line`` is None, of the product's (Products row), which moves every line that takes the
    product's value."""

    line: str | None
    parameter: str  # recycled_content, …_post_consumer, eol_recycling_rate, eol_energy_…
    low: float
    high: float
    declared: float

    def describe(self) -> str:
        where = "" if self.line is not None else f" ({PRODUCT_ROW})"
        return f"{SYMBOLS[self.parameter]} {show_range(self.low, self.high)}{where}"


def product_slots(product: Product, problems: list[Problem]) -> list[Slot]:
    """The ranges of the product's lines and of its Products row; bad ones are added to
    ``problems`` (one line each; the reader has already refused them in a file it read)."""
    slots: list[Slot] = []
    rows: list[tuple[str | None, Any, Any, Any, str]] = [
        (None, product.extra, product.circularity, product.source, f"product {product.id}")
    ]
    rows += [(x.id, x.extra, x.circularity, x.source, f"line {x.id}") for x in product.lines]
    for line, extra, circularity, source, label in rows:
        if not extra:
            continue
        found = row_inputs(
            extra, circularity.__dict__, label, "product" if line is None else "line"
        )
        problems.extend(source.problem(text, column=header) for header, text in found.problems)
        if found.problems:
            continue
        slots.extend(
            Slot(line, r.parameter, r.low, r.high, r.declared) for r in found.ranges.values()
        )
    return slots


def uses_product_value(result: Any, product: Product | None) -> Callable[[str, str], bool]:
    """``test(line_id, parameter)``: whether the line's ``parameter`` is the product's (Products
    row) value, as the measures and the CFF resolve it: the CFF line's parameter origin, else
    no value of the BOM line's own and one of the product's."""
    if product is None:
        return lambda line_id, parameter: False
    circularity = getattr(result, "circularity", None)
    cff = getattr(circularity, "cff", None)
    cff_parameters = {c.line: c.parameters for c in (cff.lines if cff is not None else ())}
    bom = {line.id: line for line in product.lines}

    def test(line_id: str, parameter: str) -> bool:
        if getattr(product.circularity, parameter) is None:
            return False
        used = cff_parameters.get(line_id, {}).get(SYMBOLS[parameter])
        if used is not None:
            return bool(used.origin == "product")
        line = bom.get(line_id)
        return line is not None and getattr(line.circularity, parameter) is None

    return test


def slot_uses(
    slots: Sequence[Slot],
    lines: Sequence[str],
    moves: Callable[[str, str], bool],
    product_value: Callable[[str, str], bool],
) -> tuple[np.ndarray, np.ndarray]:
    """(slot, item) pairs: which item (index into ``lines``) each slot's draw moves.  A line's
    slot moves its own line where ``moves(line, parameter)``; a product slot every line that
    takes the product's value (``product_value(line, parameter)``) and has no range of its
    own for the parameter."""
    own = {(s.line, s.parameter) for s in slots if s.line is not None}
    index = {line: i for i, line in enumerate(lines)}
    pairs = []
    for s, slot in enumerate(slots):
        if slot.line is not None:
            i = index.get(slot.line)
            if i is not None and moves(slot.line, slot.parameter):
                pairs.append((s, i))
            continue
        pairs.extend(
            (s, i)
            for i, line in enumerate(lines)
            if (line, slot.parameter) not in own
            and moves(line, slot.parameter)
            and product_value(line, slot.parameter)
        )
    array = np.array(pairs, dtype=int).reshape(-1, 2)
    return array[:, 0], array[:, 1]


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
    use_slot: np.ndarray  # (uses,) the slot whose draw moves …
    use_term: np.ndarray  # (uses,) … this term's share
    limit: float
    minimum: bool = True  # the value must reach the limit


@dataclass(frozen=True)
class RangeInputs:
    """What a task needs of the ranges: plain arrays."""

    low: np.ndarray  # (slots,)
    high: np.ndarray  # (slots,)
    declared: np.ndarray  # (slots,)
    use_slot: np.ndarray  # (uses,) the slot whose draw moves …
    use_line: np.ndarray  # (uses,) … the CFF figure of this sampled line …
    use_coefficient: np.ndarray  # (uses,) … by this much per FU per unit share
    checks: tuple[ShareCheck, ...] = ()
    mci: Any | None = None  # ``circularity_sampling.MciInputs`` when the MCI is sampled

    def draw(self, seed: int, block: int, size: int) -> np.ndarray:
        """(size, slots) uniform draws of one block, from the block's range stream."""
        stream = np.random.SeedSequence(seed, spawn_key=(block, RANGE_STREAM))
        rng = np.random.default_rng(stream)
        return rng.uniform(self.low, self.high, (size, len(self.low)))

    def figure_change(self, draws: np.ndarray, lines: int) -> np.ndarray:
        """(size, lines) change of the lines' figures: coefficient × (draw − value)."""
        change = np.zeros((len(draws), lines))
        moved = (draws[:, self.use_slot] - self.declared[self.use_slot]) * self.use_coefficient
        np.add.at(change.T, self.use_line, moved.T)
        return change

    def check_values(self, draws: np.ndarray, quantity: np.ndarray) -> np.ndarray:
        """(size, checks) values of the share checks, then the MCI's when it is sampled (one
        more column); ``quantity``: (size, lines) draws."""
        size = len(quantity)
        out = np.empty((size, len(self.checks) + (self.mci is not None)))
        if self.mci is not None:
            out[:, -1] = self.mci.values(draws, quantity)
        change = draws - self.declared
        for i, check in enumerate(self.checks):
            shares = np.broadcast_to(check.shares, (size, len(check.shares))).copy()
            np.add.at(shares.T, check.use_term, change[:, check.use_slot].T)
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
        parameters = {term.line: term.parameters for term in terms}
        use_slot, use_term = slot_uses(
            slots,
            [term.line for term in terms],
            lambda line, parameter, named=parameters: parameter in named[line],  # type: ignore[misc]
            uses_product_value(result, product),
        )
        moved = {
            (terms[t].line, slots[s].parameter) for s, t in zip(use_slot, use_term, strict=True)
        }
        varied: list[str] = []
        for term in terms:
            varied.extend(
                f"{term.line}: {what}"
                for what in describe_line(term.line)
                if not what.startswith("dataset")  # a factor does not move a share
                and (
                    not what.startswith(RANGE_SYMBOLS)
                    or any((term.line, p) in moved for p in _parameters_of(what))
                )
            )
        plan.rules.append(check.rule)
        plan.varied.append(sorted(set(varied)))
        plan.checks.append(
            ShareCheck(
                weights=np.array([t.weight for t in terms], dtype=float),
                shares=np.array([t.share for t in terms], dtype=float),
                line_index=np.array([line_index.get(t.line, -1) for t in terms], dtype=int),
                use_slot=use_slot,
                use_term=use_term,
                limit=float(check.limit),
            )
        )
    return plan


RANGE_SYMBOLS = ("R1", "R2", "R3")  # how the descriptions of ranges start


def _parameters_of(description: str) -> list[str]:
    """The parameter a range's description names ("R1 post-consumer 5–10 %" → its name)."""
    return [
        name
        for name in ("recycled_content_post_consumer", "recycled_content", "eol_recycling_rate",
                     "eol_energy_recovery_rate")
        if description.startswith(SYMBOLS[name] + " ")
    ][:1]  # fmt: skip


def without_figures(check: Any) -> str | None:
    """Why a check has no failing probability for want of a value or a limit, or None."""
    if check.value is None:
        return f"{check.status}: no value to sample"
    if check.limit is None:
        return f"{check.status}: no limit to sample against"
    return None
