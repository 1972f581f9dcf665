"""Monte Carlo of a Brightway background: the uncertainty stored in its datapackages.

Brightway stores each exchange's distribution in the processed datapackage of its database
(the ``distributions`` resource of every matrix group: stats_arrays parameters, one row per
exchange) and bw2calc's Monte Carlo (``LCA(..., use_distributions=True)``, then ``next(lca)``)
samples them with matrix_utils: per resource group, stats_arrays' ``MCRandomNumberGenerator``
draws a value for every exchange (an exchange without uncertainty gives its ``loc``), the flip
array negates the inputs, duplicates are summed, and the matrices are solved again.  A group
without a ``distributions`` resource keeps its static values.

This module does the same draws and solves each iteration with footprint's own adjoint solver
(``footprint.lca.solve``): per iteration Aᵀ·λ = h with h = (C·B)ᵀ·1 of the climate-change
total, one solve giving the unit score λ of every activity.  The matrices' structure is the
same in every iteration (only the values change), so the sparse pattern, the slot of every
exchange in it and the solver's block-triangular order are computed once
(``BackgroundProblem``, ``solve.Plan``); an iteration is a gather of values into that pattern
and one LU in the stored order (SuperLU's factorisation itself, numeric, runs every time).

Reproducible: iteration ``i`` of block ``b`` of seed ``s`` draws from ``SeedSequence(s,
spawn_key=(b, 1, i))`` (the montecarlo module's block stream is ``spawn_key=(b,)``), one child
stream per matrix, so the same seed gives the same bits whatever the workers, blocks per task
or pieces of a block.

A task gets only a ``BackgroundProblem``: the pattern, the parameters and the static values of
the entries, and the positions of the activities the BOM lines use; never the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from footprint.errors import FootprintError, Problem
from footprint.lca.solve import Plan, solve_planned

BACKGROUND_STREAM = 1  # the background's child of each block's seed sequence


@dataclass(frozen=True)
class SampledEntries:
    """The entries of one matrix over all its resource groups, in datapackage order.

    ``static``: each entry's value as Brightway builds the deterministic matrix (flip applied);
    ``drawn``: the entries of groups with a ``distributions`` resource, whose values are drawn
    from ``params`` (stats_arrays rows) in every iteration and negated where ``flip``.
    """

    static: np.ndarray  # (entries,) float64
    drawn: np.ndarray  # (drawn,) int64 positions into the entries
    params: np.ndarray  # (drawn,) stats_arrays parameter rows
    flip: np.ndarray  # (drawn,) bool

    def values(self, generator: Any | None) -> np.ndarray:
        """One iteration's values (the static ones when ``generator`` is None)."""
        values = self.static.copy()
        if generator is not None and len(self.drawn):
            draws = np.array(next(generator), dtype=np.float64)
            draws[self.flip] *= -1
            values[self.drawn] = draws
        return values

    def subset(self, mask: np.ndarray) -> SampledEntries:
        """The entries where ``mask``, the drawn ones renumbered."""
        position = np.full(len(mask), -1, dtype=np.int64)
        position[mask] = np.arange(int(mask.sum()))
        kept = mask[self.drawn]
        return SampledEntries(
            self.static[mask], position[self.drawn[kept]], self.params[kept], self.flip[kept]
        )

    @property
    def uncertain(self) -> int:
        """Entries with a distribution that varies (stats_arrays types other than 0 and 1)."""
        return int(np.count_nonzero(self.params["uncertainty_type"] > 1))


@dataclass(frozen=True)
class BackgroundProblem:
    """Everything one iteration needs, as plain arrays (what a Dask task gets).

    Aᵀ in CSR has the pattern ``indptr``/``indices``; technosphere entry k adds to data slot
    ``technosphere_slot[k]``; biosphere entry k is flow ``biosphere_flow[k]`` of activity
    ``biosphere_activity[k]``; characterisation entry k is the factor of flow
    ``characterisation_flow[k]``.  ``wanted``: the activity positions whose unit scores are
    returned, in the order of ``references``.
    """

    size: int
    flows: int
    plan: Plan  # the block-triangular order of Aᵀ's pattern, computed once
    technosphere: SampledEntries
    technosphere_slot: np.ndarray
    biosphere: SampledEntries
    biosphere_activity: np.ndarray
    biosphere_flow: np.ndarray
    characterisation: SampledEntries
    characterisation_flow: np.ndarray
    wanted: np.ndarray
    references: tuple[str, ...]

    @property
    def uncertain_entries(self) -> int:
        return (
            self.technosphere.uncertain + self.biosphere.uncertain + self.characterisation.uncertain
        )

    def scores(self, generators: Sequence[Any | None] = (None, None, None)) -> np.ndarray:
        """Unit scores λ of the wanted activities for one iteration (static: no generators)."""
        technosphere = np.bincount(
            self.technosphere_slot,
            weights=self.technosphere.values(generators[0]),
            minlength=len(self.plan.csr_indices),
        )
        factors = np.bincount(
            self.characterisation_flow,
            weights=self.characterisation.values(generators[2]),
            minlength=self.flows,
        )
        biosphere = self.biosphere.values(generators[1])
        characterised = np.bincount(
            self.biosphere_activity,
            weights=biosphere * factors[self.biosphere_flow],
            minlength=self.size,
        )
        solution = solve_planned(self.plan, technosphere, characterised).solution
        return solution[self.wanted, 0]

    def static_scores(self) -> np.ndarray:
        """λ of the wanted activities from the datapackages' static values (what the
        assessment's figures used, to rounding: duplicates are summed here in float64)."""
        return self.scores()


def block_scores(
    problem: BackgroundProblem, seed: int, block: int, size: int, start: int = 0
) -> np.ndarray:
    """λ of the wanted activities in iterations ``start`` … ``start + size − 1`` of block
    ``block``: (size, wanted).  Each iteration draws from its own streams, so a block cut into
    pieces (tasks) gives the same bits as the whole block."""
    from stats_arrays import MCRandomNumberGenerator

    matrices = (problem.technosphere, problem.biosphere, problem.characterisation)
    generators = [
        MCRandomNumberGenerator(entries.params) if len(entries.drawn) else None
        for entries in matrices
    ]
    out = np.empty((size, len(problem.wanted)))
    for row, iteration in enumerate(range(start, start + size)):
        streams = np.random.SeedSequence(
            seed, spawn_key=(block, BACKGROUND_STREAM, iteration)
        ).spawn(len(matrices))
        for generator, stream in zip(generators, streams, strict=True):
            if generator is not None:
                # stats_arrays draws from its ``random`` (a RandomState, which takes an array
                # seed: 128 bits of the iteration's stream)
                generator.random.seed(stream.generate_state(4))
        out[row] = problem.scores(generators)
    return out


# --------------------------------------------------------------------------------------------
# Building the problem from a Brightway project
# --------------------------------------------------------------------------------------------


def background_problem(
    references: Sequence[str],
    *,
    project: str | None = None,
    method: tuple[str, ...] | None = None,
) -> BackgroundProblem:
    """The sampling problem of the current (or named) project's databases, for the unit scores
    of ``references`` (``<database>::<code>``) under ``method`` (default: footprint's EF 3.1
    climate change total).  Raises FootprintError naming a database whose stored distributions
    stats_arrays refuses."""
    import bw2data as bd

    from footprint.lca.project import footprint_method
    from footprint.lca.unit_scores import _global_index, _lookup, _package, _positions

    if project is not None:
        bd.projects.set_current(project)
    method = method or footprint_method("total")
    databases = sorted(bd.databases)
    packages = [(name, _package(bd.Database(name))) for name in databases]
    t_rows, t_cols, technosphere = _entries(packages, "technosphere_matrix")
    product_ids, t_products = _positions(t_rows)
    size = len(product_ids)
    t_activities = _lookup(product_ids, t_cols)
    if size and np.any(t_activities < 0):
        raise FootprintError(
            Problem("the Brightway project's technosphere is not square: multi-output activities")
        )
    # the pattern of Aᵀ (row: activity, column: product), sorted like CSR, and each entry's slot
    keys = t_activities * size + t_products
    pattern, slot = np.unique(keys, return_inverse=True)
    rows = pattern // size
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=size), out=indptr[1:])
    b_rows, b_cols, biosphere = _entries(packages, "biosphere_matrix")
    b_activities = _lookup(product_ids, b_cols)
    known = b_activities >= 0
    flow_ids, b_flows = _positions(b_rows[known])
    biosphere = biosphere.subset(known)
    method_package = _package(bd.Method(method))
    c_rows, c_cols, characterisation = _entries(
        [(str(method), method_package)], "characterization_matrix"
    )
    global_index = _global_index(method_package)
    keep = np.ones(len(c_rows), dtype=bool) if global_index is None else c_cols == global_index
    c_flows = _lookup(flow_ids, c_rows)
    keep &= c_flows >= 0
    characterisation = characterisation.subset(keep)
    wanted_ids = _activity_ids(references)
    wanted = _lookup(product_ids, np.array(wanted_ids, dtype=np.int64))
    return BackgroundProblem(
        size=size,
        flows=len(flow_ids),
        plan=Plan.of(indptr, (pattern % size).astype(np.int64), size),
        technosphere=technosphere,
        technosphere_slot=slot.reshape(-1).astype(np.int64),
        biosphere=biosphere,
        biosphere_activity=b_activities[known],
        biosphere_flow=b_flows,
        characterisation=characterisation,
        characterisation_flow=c_flows[keep],
        wanted=wanted,
        references=tuple(references),
    )


def _activity_ids(references: Sequence[str]) -> np.ndarray:
    """Brightway ids of ``<database>::<code>`` references (one query per database); FootprintError
    naming a reference that is not in the project."""
    from bw2data.backends import ActivityDataset

    from footprint.link import BRIGHTWAY_SEPARATOR

    split = [reference.partition(BRIGHTWAY_SEPARATOR) for reference in references]
    ids: dict[tuple[str, str], int] = {}
    for database in sorted({database for database, _, _ in split}):
        query = (
            ActivityDataset.select(ActivityDataset.id, ActivityDataset.code)
            .where(ActivityDataset.database == database)
            .tuples()
        )
        ids.update(((database, code), id_) for id_, code in query)
    missing = [r for r, (d, _, c) in zip(references, split, strict=True) if (d, c) not in ids]
    if missing:
        raise FootprintError(
            Problem(f"Brightway activity {missing[0]!r} is not in the project", column="dataset")
        )
    return np.array([ids[(d, c)] for d, _, c in split], dtype=np.int64)


def _entries(
    packages: Sequence[tuple[str, Any]], matrix: str
) -> tuple[np.ndarray, np.ndarray, SampledEntries]:
    """Row ids, column ids and the sampled entries of one matrix over all packages."""
    from stats_arrays import MCRandomNumberGenerator

    rows, cols, static, drawn, params, flips = [], [], [], [], [], []
    start = 0
    for name, package in packages:
        resources = [r for r in package.resources if r.get("matrix") == matrix]
        for group in sorted({r["group"] for r in resources}):
            kinds = {r["kind"]: r for r in resources if r["group"] == group}
            if any(r.get("category") != "vector" for r in kinds.values()) or "data" not in kinds:
                raise FootprintError(
                    Problem(
                        f"Brightway database {name!r}: {group} holds scenario arrays or "
                        "interfaces; footprint's Monte Carlo samples vector distributions only"
                    )
                )
            indices = package.get_resource(kinds["indices"]["name"])[0]
            data = np.asarray(package.get_resource(kinds["data"]["name"])[0], dtype=np.float32)
            if "flip" in kinds:
                flip = np.asarray(package.get_resource(kinds["flip"]["name"])[0], dtype=bool)
            else:
                flip = np.zeros(len(data), dtype=bool)
            rows.append(np.asarray(indices["row"], dtype=np.int64))
            cols.append(np.asarray(indices["col"], dtype=np.int64))
            static.append(np.where(flip, -data, data))
            if "distributions" in kinds:
                distributions = np.array(package.get_resource(kinds["distributions"]["name"])[0])
                try:
                    MCRandomNumberGenerator(distributions)  # stats_arrays' own validation
                except Exception as error:  # stats_arrays raises several kinds
                    raise FootprintError(
                        Problem(
                            f"Brightway database {name!r}: the stored distributions of {group} "
                            f"are not valid for stats_arrays: {error}"
                        )
                    ) from None
                drawn.append(np.arange(start, start + len(data), dtype=np.int64))
                params.append(distributions)
                flips.append(flip)
            start += len(data)
    values = np.concatenate(static).astype(np.float64) if static else np.zeros(0)
    if params:
        entries = SampledEntries(
            values,
            np.concatenate(drawn),
            np.concatenate(params),
            np.concatenate(flips),
        )
    else:
        from bw_processing import UNCERTAINTY_DTYPE

        entries = SampledEntries(
            values,
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=UNCERTAINTY_DTYPE),
            np.zeros(0, dtype=bool),
        )
    empty = np.zeros(0, dtype=np.int64)
    return (
        np.concatenate(rows) if rows else empty,
        np.concatenate(cols) if cols else empty,
        entries,
    )
