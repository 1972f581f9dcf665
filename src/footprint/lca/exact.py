"""Unit scores of the catalog's datasets in exact double precision.

Brightway stores every matrix value as float32 (bw_processing), so a factor of 0.4 written in
a dataset file comes back from a Brightway solve as 0.4000000059604645.  The catalog's
datasets need no solve: their ``inputs`` form no loop (the catalog refuses loops), so the
score of one reference unit is

    λ(dataset) = its own burden + Σ amount × λ(input)

evaluated in float64 from the values as written.  Its own burden is the aggregated figure
on each sub-indicator (``datasets_db.own_exchange_amounts``), or its gases times the
characterisation factors of footprint's methods (read from the project as stored, not from
the float32 processed arrays).  An input that is a Brightway activity (``<database>::<code>``)
contributes its Brightway score, which keeps Brightway's single precision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from footprint.lca.datasets_db import gas_flow_codes, own_exchange_amounts
from footprint.lca.project import NOT_SPLIT, SCORE_COLUMNS, SUB_INDICATORS
from footprint.model import Dataset

_COLUMN = {name: i for i, name in enumerate(SCORE_COLUMNS)}
_TOTAL = _COLUMN["total"]
_PARTS = [_COLUMN[name] for name in SUB_INDICATORS]
# |total − parts| below this share of the figure is rounding, not an unsplit part
_ROUNDING = 1e-9


def with_not_split(scores: np.ndarray) -> np.ndarray:
    """Indicator columns (``INDICATORS`` order) + the not-split column: total − fossil −
    biogenic − luluc, set to 0 where that is only rounding."""
    rest = scores[:, _TOTAL] - scores[:, _PARTS].sum(axis=1)
    scale = np.abs(scores[:, _TOTAL]) + np.abs(scores[:, _PARTS]).sum(axis=1)
    rest[np.abs(rest) <= _ROUNDING * scale] = 0.0
    return np.column_stack([scores, rest])


def own_burden(ds: Dataset, gas_factors: dict[str, dict[str, float]]) -> np.ndarray:
    """One reference unit's own burden (no inputs), in ``SCORE_COLUMNS`` order."""
    row = np.zeros(len(SCORE_COLUMNS))
    if ds.gases:
        for indicator, factors in gas_factors.items():
            row[_COLUMN[indicator]] = sum(
                amount * factors.get(gas, 0.0) for gas, amount in ds.gases.items()
            )
        return row
    amounts = own_exchange_amounts(ds)
    for name, amount in amounts.items():
        row[_COLUMN[name]] = amount
    if amounts:
        # the figure as written: 0.4 stays 0.4, not a sum that rounds differently
        written = ds.climate_change if amounts[NOT_SPLIT] else None
        row[_TOTAL] = written if written is not None else sum(amounts.values())
    return row


#: Basis of a Brightway activity's score (its flows characterised by the project's EF 3.1
#: method) and of a dataset given as gases.
BRIGHTWAY_BASIS = "EF3.1"
UNSTATED_BASIS = "not stated"

Bases = dict[str, float]  # GWP basis → kg CO2-eq (total) per reference unit


def catalog_scores(
    datasets: Iterable[Dataset],
    gas_factors: dict[str, dict[str, float]],
    external: Callable[[Sequence[str]], np.ndarray],
) -> tuple[dict[str, np.ndarray], dict[str, Bases]]:
    """λ of every dataset in ``SCORE_COLUMNS`` order, and its total split by the GWP basis of
    the factors behind it (its own figure under its ``gwp_basis``, each input's under the
    input's bases, a Brightway activity's under EF 3.1).  ``external`` gives the score rows
    of ``<database>::<code>`` inputs (Brightway's, with their not-split column)."""
    records = {ds.id: ds for ds in datasets}
    references = sorted({i for ds in records.values() for i in ds.inputs if i not in records})
    outside = dict(zip(references, external(references), strict=True)) if references else {}
    done: dict[str, np.ndarray] = {}
    bases: dict[str, Bases] = {}
    for start in records:
        stack = [start]
        while stack:  # depth first, without recursion: input chains may be long
            current = stack[-1]
            if current in done:
                stack.pop()
                continue
            pending = [i for i in records[current].inputs if i in records and i not in done]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            ds = records[current]
            score = own_burden(ds, gas_factors)
            mine: Bases = {}
            if score[_TOTAL]:
                # gases are characterised with the method's own factors, whatever a row says
                basis = BRIGHTWAY_BASIS if ds.gases else ds.gwp_basis or UNSTATED_BASIS
                mine[basis] = float(score[_TOTAL])
            for upstream, amount in ds.inputs.items():
                if upstream in records:
                    score = score + amount * done[upstream]
                    for basis, value in bases[upstream].items():
                        mine[basis] = mine.get(basis, 0.0) + amount * value
                else:
                    score = score + amount * outside[upstream]
                    value = amount * float(outside[upstream][_TOTAL])
                    mine[BRIGHTWAY_BASIS] = mine.get(BRIGHTWAY_BASIS, 0.0) + value
            done[current] = score
            bases[current] = mine
    return done, bases


def gas_factors(methods: dict[str, tuple[str, ...]]) -> dict[str, dict[str, float]]:
    """Indicator → {gas column: characterisation factor} of footprint's methods in the current
    Brightway project, as stored (float64), for the gas columns of ``gas_flows.csv``."""
    import bw2data as bd
    from bw2data.backends import ActivityDataset

    from footprint.lca.project import BIOSPHERE, _method_cfs

    codes = gas_flow_codes()
    by_code = {code: gas for gas, code in codes.items()}
    query = ActivityDataset.select(ActivityDataset.id, ActivityDataset.code).where(
        (ActivityDataset.database == BIOSPHERE) & (ActivityDataset.code.in_(list(by_code)))
    )
    by_id = {row.id: by_code[row.code] for row in query}
    factors: dict[str, dict[str, float]] = {}
    for indicator, method in methods.items():
        found: dict[str, float] = {}
        for flow, amount in _method_cfs(bd.Method(method)):
            gas = by_id.get(flow) if isinstance(flow, int) else None
            if isinstance(flow, tuple) and flow[0] == BIOSPHERE:
                gas = by_code.get(flow[1])
            if gas is not None:
                found[gas] = found.get(gas, 0.0) + amount
        factors[indicator] = found
    return factors
