"""Probability distributions of factors and quantities, in the conventions of stats_arrays
(the library Brightway samples with): ``lognormal`` (loc = ln of the median, scale = σ of the
natural log), ``normal`` (loc = mean, scale = standard deviation), ``triangular`` (minimum,
loc = mode, maximum) and ``uniform`` (minimum, maximum).

Where each dataset's distribution comes from (``dataset_distribution``):
1. the user's dataset file: columns ``uncertainty_type``, ``uncertainty_loc``,
   ``uncertainty_scale``, ``uncertainty_minimum``, ``uncertainty_maximum`` (values of the
   dataset's climate change per reference unit);
2. a published interval: Nuss & Eckelman (2014) give the 2.5th and 97.5th percentiles of most
   metals' GWP; a lognormal through both has median √(p2.5·p97.5) and
   σ = ln(p97.5/p2.5) / (2 × 1.959964);
3. otherwise a default spread from the dataset's PEF DQR (``datasets/uncertainty/
   dqr_default_spread.csv``, footprint's own choice, tagged [M]): a lognormal around the
   dataset's value whose 95 % interval is ×/÷ the listed factor.
A dataset with neither (no DQR) is returned as None, and the simulation says which.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from footprint.errors import Problem
from footprint.finite import parse_number
from footprint.resources import datasets_dir

Z975 = 1.959963984540054  # the standard normal's 97.5th percentile
KINDS = ("lognormal", "normal", "triangular", "uniform")
FIXED_KINDS = ("none", "fixed")  # uncertainty_type of a value kept fixed (no uncertainty)


@dataclass(frozen=True)
class Distribution:
    kind: str
    loc: float | None = None
    scale: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    origin: str = ""  # where it came from, in words

    def problems(self, where: Problem) -> list[Problem]:
        """What is wrong with the parameters, located like ``where`` (empty: valid)."""

        def problem(text: str) -> Problem:
            return Problem(
                f"{where.message}{text}", where.file, where.sheet, where.row, where.column
            )

        if self.kind not in KINDS:
            return [problem(f"uncertainty type {self.kind!r}; use one of {', '.join(KINDS)}")]
        found = []
        if self.kind in ("lognormal", "normal"):
            if self.loc is None or self.scale is None:
                found.append(problem(f"a {self.kind} needs uncertainty_loc and uncertainty_scale"))
            elif not self.scale > 0:
                found.append(problem(f"uncertainty_scale {self.scale:g} must be > 0 (σ)"))
        if self.kind in ("triangular", "uniform"):
            if self.minimum is None or self.maximum is None:
                found.append(problem(f"a {self.kind} needs uncertainty_minimum and _maximum"))
            elif not self.minimum < self.maximum:
                found.append(
                    problem(
                        f"uncertainty_minimum {self.minimum:g} is not below the maximum "
                        f"{self.maximum:g}"
                    )
                )
            elif self.kind == "triangular" and not (
                self.loc is not None and self.minimum <= self.loc <= self.maximum
            ):
                found.append(
                    problem(
                        "a triangular needs its mode (uncertainty_loc) between minimum and maximum"
                    )
                )
        return found

    @property
    def median(self) -> float:
        if self.kind == "lognormal":
            return math.exp(self.loc or 0.0)
        if self.kind == "normal":
            return float(self.loc or 0.0)
        if self.kind == "uniform":
            return ((self.minimum or 0.0) + (self.maximum or 0.0)) / 2
        # triangular: the median has a closed form on the side of the mode
        a, c, b = self.minimum or 0.0, self.loc or 0.0, self.maximum or 0.0
        if c >= (a + b) / 2:
            return a + math.sqrt((b - a) * (c - a) / 2)
        return b - math.sqrt((b - a) * (b - c) / 2)


PARAMETERS = ("loc", "scale", "minimum", "maximum")  # the uncertainty_<name> columns


@dataclass(frozen=True)
class FileDistribution:
    """What a dataset file's ``uncertainty_*`` columns say about one dataset."""

    distribution: Distribution | None = None  # None: no distribution (see the other fields)
    fixed: bool = False  # uncertainty_type says the value is exact (``none``, ``fixed``)
    bad: tuple[tuple[str, object], ...] = ()  # (header, value) of parameters not numbers
    # headers of parameters given while uncertainty_type is empty (they would be ignored)
    without_type: tuple[str, ...] = ()

    def problems(self, where: Problem) -> list[Problem]:
        """One problem per thing wrong, located like ``where`` (its column is replaced by the
        offending column's header)."""

        def at(header: str, text: str) -> Problem:
            return Problem(f"{where.message}{text}", where.file, where.sheet, where.row, header)

        found = [at(header, f"{value!r} is not a finite number") for header, value in self.bad]
        if self.without_type:
            named = ", ".join(self.without_type)
            found.append(
                at(
                    self.without_type[0],
                    f"{named} given without an uncertainty_type; give uncertainty_type "
                    f"({', '.join(KINDS)}, or none for a fixed value) or leave "
                    f"{'it' if len(self.without_type) == 1 else 'them'} empty",
                )
            )
        if self.distribution is not None:
            found.extend(self.distribution.problems(where))
        return found


def file_distribution(extra: Mapping[str, object]) -> FileDistribution:
    """The distribution a dataset file's ``uncertainty_*`` columns give (``extra``: the row's
    other columns by header, any case).  Its ``distribution`` is None without an
    ``uncertainty_type``, for a fixed kind, or when a parameter is not a number; whether the
    parameters fit the kind is ``Distribution.problems`` (all of it: ``problems``)."""
    given = {str(header).strip().lower(): (header, value) for header, value in extra.items()}
    type_header, kind_value = given.get("uncertainty_type", ("uncertainty_type", None))
    kind = "" if _blank(kind_value) else str(kind_value).strip().lower()
    parameters = {
        name: given[f"uncertainty_{name}"]
        for name in PARAMETERS
        if f"uncertainty_{name}" in given and not _blank(given[f"uncertainty_{name}"][1])
    }
    if not kind:
        return FileDistribution(without_type=tuple(str(h) for h, _v in parameters.values()))
    if kind in FIXED_KINDS:
        return FileDistribution(fixed=True)
    numbers: dict[str, float | None] = dict.fromkeys(PARAMETERS)
    bad: list[tuple[str, object]] = []
    for name, (header, value) in parameters.items():
        try:
            numbers[name] = parse_number(value)
        except ValueError:
            bad.append((str(header), value))
    if bad:
        return FileDistribution(bad=tuple(bad))
    distribution = Distribution(
        kind,
        loc=numbers["loc"],
        scale=numbers["scale"],
        minimum=numbers["minimum"],
        maximum=numbers["maximum"],
        origin="the dataset file's distribution",
    )
    return FileDistribution(distribution=distribution)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def lognormal_from_interval(low: float, high: float, origin: str) -> Distribution:
    """The lognormal whose 2.5th and 97.5th percentiles are ``low`` and ``high``."""
    return Distribution(
        "lognormal",
        loc=(math.log(low) + math.log(high)) / 2,
        scale=(math.log(high) - math.log(low)) / (2 * Z975),
        origin=origin,
    )


@cache
def _dqr_spread() -> tuple[tuple[float, float, str], ...]:
    path = datasets_dir() / "uncertainty" / "dqr_default_spread.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [(float(r["max_dqr"]), float(r["factor_95"]), r["note"]) for r in csv.DictReader(f)]
    return tuple(sorted(rows))


def dqr_default(value: float, dqr: float) -> Distribution:
    """A lognormal around ``value`` whose 95 % interval is ×/÷ the factor of the DQR level."""
    levels = _dqr_spread()
    factor = next((f for upper, f, _note in levels if dqr <= upper), levels[-1][1])
    sigma = math.log(factor) / Z975
    return Distribution(
        "lognormal",
        loc=math.log(abs(value)) if value else 0.0,
        scale=sigma,
        origin=f"default spread for DQR {dqr:.2f}: 95 % within ×/÷ {factor:g} [M]",
    )
