"""PEF "most relevant": categories, life-cycle stages, processes and elementary flows.

Recommendation (EU) 2021/2279, Annex I §6.3, as implemented here (``RULES``; the official text
could not be read, see shared spec §10.1 for the sources of each choice):

1. Categories: the 16 EF 3.1 categories ranked by their weighted result; kept from the largest
   down until the running share of the single score reaches the threshold (80 %,
   ``datasets/pef/relevance_threshold.csv``); the category that crosses it is kept.
2. For each most relevant category: its life-cycle stages, its processes and its elementary
   flows, each list cut the same way.  Processes are the supply chain's activities: for
   (stage, activity) the activity's direct characterised emissions × its supply for that
   stage's lines (a forward solve); the same activity in two stages counts twice, within one
   stage once.  Elementary flows: over the whole product, and for each most relevant process.
3. Basis: absolute — ranked by |x|, share = |x| / Σ|x|, so a large credit is relevant; the net
   list (share = x / Σx, positive items first) is reported beside it.
4. Ties: items whose |x| equals the crossing item's are kept with it (the list never depends on
   an arbitrary order); a running share within 1e-12 of the threshold counts as reached.
5. A category that is not covered (or a single score that is partial) makes the result
   ``partial``: only what is characterised can be ranked.
6. Use stage ([M] in the spec, ``datasets/pef/most_relevant_rules.csv``): when the use stage
   makes up more than 50 % of a most relevant category (|use| / Σ|stages|), the process
   ranking is run again without the use stage's processes; both runs are reported
   (``processes`` and ``processes_without_use``), with the flows of every process kept.
7. Toxicity ([M], off by default): with ``exclude_toxicity`` the three toxicity categories
   are left out of the category ranking (and of its total); they are named in
   ``excluded_from_ranking``.
8. Always include ([M], empty by default): categories the practitioner adds to the list
   whatever their share; appended after the cut, their share on the same total, marked in
   ``note``.  The rules may add categories, never remove them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import scipy.sparse as sp

from footprint.impacts.profile import coverage_matrix
from footprint.impacts.relevance_rules import HotspotRules, default_rules
from footprint.lca.indicators import Indicator
from footprint.lca.project import computing_method
from footprint.lca.solve import solve_transposed
from footprint.lca.unit_scores import MatrixParts, matrix_parts
from footprint.link import LinkedProduct
from footprint.model import (
    STAGES,
    CategoryHotspots,
    ImpactProfile,
    MostRelevant,
    RelevantItem,
    RelevantList,
    Stage,
)

if TYPE_CHECKING:
    from footprint.api import Engine

BASE_RULES = [
    "categories: ranked by weighted result (share of the single score), kept from the largest "
    "until the running share reaches the threshold; the crossing category is kept",
    "per most relevant category: stages, processes (stage, background activity: supply × "
    "direct characterised emissions) and elementary flows, each cut the same way",
    "basis: absolute (share = |x| / Σ|x|), the crossing item kept; the net list is given too",
    "ties with the crossing item are kept; a share within 1e-12 of the threshold counts",
    "the same process in two stages counts separately; within one stage once",
]
RULES = BASE_RULES  # the wording of the fixed rules (the configurable ones: rule_texts)


def rule_texts(rules: HotspotRules) -> list[str]:
    """Every rule applied, in words, the configurable ones with their values and tag [M]."""
    texts = [f"threshold: cumulatively ≥ {rules.threshold:.0%}", *BASE_RULES]
    if rules.use_stage_rerun:
        texts.append(
            f"use stage [M]: above {rules.use_stage_share:.0%} of a category (|use| / Σ|stages|) "
            "the process ranking is run again without the use stage; both runs reported"
        )
    else:
        texts.append("use stage [M]: no re-run without the use stage (switched off)")
    texts.append(
        "toxicity [M]: " + (", ".join(rules.toxicity) + " left out of the category ranking"
                            if rules.exclude_toxicity else "ranked like every category")
    )  # fmt: skip
    texts.append(
        "always include [M]: " + (", ".join(rules.always_include) or "none")
        + " (added whatever their share; rules may add, never remove)"
    )  # fmt: skip
    return texts


_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Contribution:
    key: str
    name: str
    value: float
    stage: Stage | None = None
    database: str | None = None
    location: str | None = None
    compartment: str | None = None


def cut(
    items: Sequence[Contribution],
    threshold: float,
    basis: Literal["absolute", "net"] = "absolute",
) -> RelevantList:
    """The items that together reach ``threshold`` of the total, ranked (rules 3 and 4)."""
    candidates = [item for item in items if item.value != 0]
    if basis == "absolute":
        ranked = sorted(candidates, key=lambda item: (-abs(item.value), item.key))
        total = sum(abs(item.value) for item in ranked)
        size = [abs(item.value) for item in ranked]
    else:
        ranked = sorted(candidates, key=lambda item: (-item.value, item.key))
        total = sum(item.value for item in ranked)
        size = [item.value for item in ranked]
    result = RelevantList(basis=basis, total=total, candidates=len(ranked))
    if not ranked or total <= 0:
        return result  # nothing to rank, or a net total that is not positive: no share exists
    running = 0.0
    crossing: float | None = None
    for item, magnitude in zip(ranked, size, strict=True):
        if crossing is not None and magnitude != crossing:
            break
        share = magnitude / total
        running += share
        result.items.append(
            RelevantItem(
                key=item.key,
                name=item.name,
                value=item.value,
                share=share,
                cumulative=running,
                stage=item.stage,
                database=item.database,
                location=item.location,
                compartment=item.compartment,
            )
        )
        if crossing is None and running >= threshold - _TOLERANCE:
            crossing = magnitude
    return result


def most_relevant_categories(
    profile: ImpactProfile, threshold: float, rules: HotspotRules | None = None
) -> RelevantList:
    """Rules 1, 7 and 8: the categories ranked and cut; toxicity left out when the rules say
    so; the always-included ones appended."""
    excluded = set(rules.toxicity) if rules is not None and rules.exclude_toxicity else set()
    weighted = [r for r in profile.indicators if r.weighted is not None]
    items = [
        Contribution(key=r.id, name=r.category or r.name, value=r.weighted)
        for r in weighted
        if r.weighted is not None and r.id not in excluded
    ]
    kept = cut(items, threshold)
    if rules is None or not rules.always_include or kept.total <= 0:
        return kept
    running = kept.items[-1].cumulative if kept.items else 0.0
    present = {item.key for item in kept.items}
    for r in weighted:
        if r.id in rules.always_include and r.id not in present and r.weighted is not None:
            share = abs(r.weighted) / kept.total
            running += share
            kept.items.append(
                RelevantItem(
                    key=r.id, name=r.category or r.name, value=r.weighted, share=share,
                    cumulative=running, note="always included (rules)",
                )
            )  # fmt: skip
    return kept


# -- supply-chain contributions ------------------------------------------------------------------


@dataclass
class SupplyChain:
    """Supply of every activity for each (product, stage, coverage) demand column."""

    parts: MatrixParts
    supply: np.ndarray  # activities × columns
    columns: dict[tuple[int, Stage, tuple[bool, ...]], int]
    methods: dict[tuple[str, ...], int]

    def activity_contributions(self, column: int, method: tuple[str, ...]) -> np.ndarray:
        """Per activity: supply × direct characterised emissions (its characterised inventory)."""
        k = self.methods[method]
        direct = self.parts.biosphere @ self.parts.factors[:, k]
        return self.supply[:, column] * direct

    def flow_contributions(
        self, column: int, method: tuple[str, ...], activity: int | None = None
    ) -> np.ndarray:
        """Per elementary flow: factor × amount emitted (by the whole chain or one activity)."""
        k = self.methods[method]
        if activity is None:
            inventory = self.parts.biosphere.T @ self.supply[:, column]
        else:
            row = self.parts.biosphere.getrow(activity).toarray().ravel()
            inventory = row * self.supply[activity, column]
        return inventory * self.parts.factors[:, k]


def forward_solve(technosphere: sp.spmatrix, demand: np.ndarray) -> np.ndarray:
    """A·s = f for every column of f, through the engine's solver (lca.solve)."""
    solution, _ = solve_transposed(sp.csr_matrix(technosphere), demand)
    return solution


def supply_chain(
    engine: Engine,
    linked: Sequence[LinkedProduct],
    indicators: Sequence[Indicator],
) -> SupplyChain:
    """One forward solve for every product, stage and coverage pattern of ``indicators``."""
    import bw2data as bd

    engine.lca.make_project_current()  # the engine may have started warm, bw2data elsewhere
    methods = list(dict.fromkeys(computing_method(i.method) for i in indicators))
    parts = matrix_parts(sorted(bd.databases), methods)
    position = {int(pid): row for row, pid in enumerate(parts.product_ids)}
    columns: dict[tuple[int, Stage, tuple[bool, ...]], int] = {}
    entries: list[tuple[int, int, float]] = []  # (row, column, amount)
    for p, item in enumerate(linked):
        lines = [line for line in item.lines if line.dataset is not None]
        covered = coverage_matrix(lines, indicators)
        patterns = {tuple(bool(x) for x in covered[:, k]) for k in range(len(indicators))}
        for pattern in patterns:
            for stage in STAGES:
                column = columns.setdefault((p, stage, pattern), len(columns))
                for line, keep in zip(lines, pattern, strict=True):
                    if keep and line.line.stage == stage:
                        activity = engine.lca.activity_id(engine._scored_reference(line))
                        amount = line.amount * item.product.reference_flow
                        entries.append((position[activity], column, amount))
    demand = np.zeros((len(parts.product_ids), len(columns)))
    for row, column, amount in entries:
        demand[row, column] += amount
    supply = (
        forward_solve(parts.technosphere_transposed.T, demand)
        if len(columns)
        else np.zeros_like(demand)
    )
    return SupplyChain(parts, supply, columns, {m: k for k, m in enumerate(methods)})


def add_most_relevant(
    engine: Engine,
    linked: Sequence[LinkedProduct],
    profiles: Sequence[ImpactProfile],
    indicators: Sequence[Indicator],
    rules: HotspotRules | None = None,
) -> None:
    """Set ``most_relevant`` on every profile (rules in the module docstring)."""
    rules = rules or default_rules()
    threshold = rules.threshold
    by_id = {i.id: i for i in indicators}
    chain = supply_chain(engine, linked, indicators)
    names = _Names()
    for p, (item, profile) in enumerate(zip(linked, profiles, strict=True)):
        lines = [line for line in item.lines if line.dataset is not None]
        covered = coverage_matrix(lines, indicators)
        categories = most_relevant_categories(profile, threshold, rules)
        score = profile.single_score
        status: Literal["complete", "partial", "not available"]
        if not categories.items:
            status = "not available"
        else:
            status = "complete" if score is not None and score.status == "complete" else "partial"
        per_category = []
        for chosen in categories.items:
            indicator = by_id[chosen.key]
            k = indicators.index(indicator)
            pattern = tuple(bool(x) for x in covered[:, k])
            result = profile.indicator(indicator.id)
            per_category.append(
                _category_hotspots(chain, names, p, pattern, indicator, result.value,
                                   result.by_stage, rules)
            )  # fmt: skip
        profile.most_relevant = MostRelevant(
            threshold=threshold,
            rules=rule_texts(rules),
            status=status,
            categories=categories,
            per_category=per_category,
            excluded_from_ranking=list(rules.toxicity) if rules.exclude_toxicity else [],
        )


def _category_hotspots(
    chain: SupplyChain,
    names: _Names,
    product: int,
    pattern: tuple[bool, ...],
    indicator: Indicator,
    value: float | None,
    by_stage: dict[Stage, float | None],
    rules: HotspotRules,
) -> CategoryHotspots:
    threshold = rules.threshold
    method = computing_method(indicator.method)
    stages = [
        Contribution(key=stage.value, name=stage.value, value=figure, stage=stage)
        for stage, figure in by_stage.items()
        if figure is not None
    ]
    processes: list[Contribution] = []
    flow_totals = np.zeros(len(chain.parts.flow_ids))
    for stage in STAGES:
        column = chain.columns[(product, stage, pattern)]
        contributions = chain.activity_contributions(column, method)
        flow_totals += chain.flow_contributions(column, method)
        rows = np.flatnonzero(contributions)
        names.lookup([int(chain.parts.product_ids[r]) for r in rows])
        for row in rows:
            processes.append(names.process(chain.parts, int(row), stage, contributions[row]))
    process_list = cut(processes, threshold)
    use_share = use_stage_share(stages)
    without_use = (
        cut([item for item in processes if item.stage != Stage.USE], threshold)
        if rules.use_stage_rerun and use_share is not None and use_share > rules.use_stage_share
        else None
    )
    flows_by_process: dict[str, RelevantList] = {}
    for kept in [*process_list.items, *(without_use.items if without_use else [])]:
        if kept.key in flows_by_process:
            continue
        assert kept.stage is not None
        activity_row = names.row(chain.parts, kept.key)
        column = chain.columns[(product, kept.stage, pattern)]
        per_flow = chain.flow_contributions(column, method, activity=activity_row)
        flows_by_process[kept.key] = cut(names.flows(chain.parts, per_flow), threshold)
    return CategoryHotspots(
        indicator=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        value=value,
        stages=cut(stages, threshold),
        stages_net=cut(stages, threshold, "net"),
        processes=process_list,
        processes_net=cut(processes, threshold, "net"),
        flows=cut(names.flows(chain.parts, flow_totals), threshold),
        flows_by_process=flows_by_process,
        use_stage_share=use_share,
        processes_without_use=without_use,
    )


def use_stage_share(stages: Sequence[Contribution]) -> float | None:
    """Rule 6: |use stage| / Σ|stages| (None when every stage is 0 or unknown)."""
    total = sum(abs(item.value) for item in stages)
    if total == 0:
        return None
    return sum(abs(item.value) for item in stages if item.stage == Stage.USE) / total


class _Names:
    """Names of activities and flows as their database has them, looked up once each."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[str, str, str, str | None, str | None]] = {}

    def lookup(self, ids: Sequence[int]) -> None:
        from bw2data.backends import ActivityDataset

        wanted = [int(i) for i in ids if int(i) not in self._known]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = ActivityDataset.select(
                ActivityDataset.id,
                ActivityDataset.name,
                ActivityDataset.database,
                ActivityDataset.code,
                ActivityDataset.location,
                ActivityDataset.data,
            ).where(ActivityDataset.id.in_(chunk))
            for row in query.tuples():
                id_, name, database, code, location, data = row
                categories = data.get("categories") if isinstance(data, dict) else None
                compartment = "/".join(categories) if categories else None
                self._known[id_] = (name or code, database, code, location, compartment)

    def process(self, parts: MatrixParts, row: int, stage: Stage, value: float) -> Contribution:
        activity_id = int(parts.product_ids[row])
        self.lookup([activity_id])
        name, database, code, location, _ = self._known.get(
            activity_id, (str(activity_id), "?", str(activity_id), None, None)
        )
        return Contribution(
            key=f"{stage.value} | {database}::{code}",
            name=name,
            value=float(value),
            stage=stage,
            database=database,
            location=location,
        )

    def row(self, parts: MatrixParts, key: str) -> int:
        reference = key.split(" | ", 1)[1]
        for activity_id, (_, database, code, _, _) in self._known.items():
            if f"{database}::{code}" == reference:
                return int(np.flatnonzero(parts.product_ids == activity_id)[0])
        raise KeyError(key)

    def flows(self, parts: MatrixParts, per_flow: np.ndarray) -> list[Contribution]:
        rows = np.flatnonzero(per_flow)
        self.lookup([int(parts.flow_ids[r]) for r in rows])
        items = []
        for r in rows:
            flow_id = int(parts.flow_ids[r])
            name, database, code, _, compartment = self._known.get(
                flow_id, (str(flow_id), "?", str(flow_id), None, None)
            )
            items.append(
                Contribution(
                    key=f"{database}::{code}",
                    name=name,
                    value=float(per_flow[r]),
                    database=database,
                    compartment=compartment,
                )
            )
        return items
