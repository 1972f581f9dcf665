"""Catalog datasets whose ``inputs`` reach Brightway activities: their unit score moves with the
sampled background.

A catalog dataset's unit score is λ(d) = its own burden + Σ amount × λ(input) (``lca.exact``);
followed through every level of catalog inputs, it is

    λ(d) = c(d) + Σ_k w(d, k)·λ(k),   k the Brightway activities reached, w the products of
                                       the amounts along every path (summed over paths)

c(d) being the part of catalog figures only.  Per iteration a line on d is scaled by

    (m·c(d) + Σ_k w(d, k)·λ_iteration(k)) / λ(d)

m being the draw / value of d's own distribution (1 when it has none): the dataset's own
distribution moves its catalog part, the background its Brightway part.  c(d) is taken as
λ(d) − Σ w·λ_static(k), λ(d) the assessed unit score and λ_static the background's unit
scores solved with the static values, so the factor is exactly 1 at the static values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from footprint.model import Dataset


def brightway_weights(
    dataset_id: str, datasets: Mapping[str, Dataset], memo: dict[str, dict[str, float]]
) -> dict[str, float]:
    """w(d, k): Brightway activity (``<database>::<code>``) → amount per reference unit of d,
    through every level of catalog inputs (the catalog refuses loops)."""
    if dataset_id in memo:
        return memo[dataset_id]
    found: dict[str, float] = {}
    record = datasets.get(dataset_id)
    for upstream, amount in (record.inputs if record is not None else {}).items():
        if upstream in datasets:
            for activity, weight in brightway_weights(upstream, datasets, memo).items():
                found[activity] = found.get(activity, 0.0) + amount * weight
        else:
            found[upstream] = found.get(upstream, 0.0) + amount
    memo[dataset_id] = found
    return found


@dataclass(frozen=True)
class UpstreamInputs:
    """Lines on catalog datasets with Brightway inputs, as arrays for a task."""

    lines: np.ndarray  # (n,) indices of the lines among the sampled lines
    own_share: np.ndarray  # (n,) c(d)/λ(d): the part the dataset's own draw scales
    use_row: np.ndarray  # (uses,) index into ``lines`` …
    use_column: np.ndarray  # (uses,) … the background column of activity k …
    use_weight: np.ndarray  # (uses,) … w(d, k)/λ(d)

    def apply(self, per_line: np.ndarray, background: np.ndarray) -> None:
        """Scale the lines' factors in ``per_line`` (size, lines) in place: the dataset's own
        multiplier on its catalog part, the background's unit scores on the rest."""
        moved = per_line[:, self.lines] * self.own_share
        np.add.at(moved.T, self.use_row, (background[:, self.use_column] * self.use_weight).T)
        per_line[:, self.lines] = moved


def upstream_inputs(
    line_datasets: Sequence[str | None],
    weights: Mapping[str, dict[str, float]],
    unit_scores: Mapping[str, float],
    columns: Mapping[str, tuple[int, float]],
) -> UpstreamInputs | None:
    """The arrays for the lines (``line_datasets``: each sampled line's dataset) whose dataset
    reaches the background (``weights``); ``unit_scores``: λ(d) as assessed; ``columns``:
    activity → (background column, static λ)."""
    lines: list[int] = []
    rows: list[int] = []
    cols: list[int] = []
    own: list[float] = []
    values: list[float] = []
    for j, dataset in enumerate(line_datasets):
        reached = weights.get(dataset or "")
        score = unit_scores.get(dataset or "")
        if not reached or not score:
            continue
        row = len(lines)
        lines.append(j)
        brightway = 0.0
        for activity, weight in reached.items():
            column, static = columns[activity]
            rows.append(row)
            cols.append(column)
            values.append(weight / score)
            brightway += weight * static
        own.append((score - brightway) / score)
    if not lines:
        return None
    return UpstreamInputs(
        np.array(lines, dtype=int),
        np.array(own, dtype=float),
        np.array(rows, dtype=int),
        np.array(cols, dtype=int),
        np.array(values, dtype=float),
    )
