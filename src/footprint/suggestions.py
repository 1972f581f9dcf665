"""Suggestions: like-for-like factor swaps ranked by the climate change they save, and the
sensitivity of the result and of each recycled-content check to ±10 points of recycled content.

A suggestion is a **factor swap**, not an engineering judgement: the same quantity of the same
line linked to another dataset of the library that stands for the same thing —

    material variant   the same material family and unit (recycled, low-carbon, other source)
    grid country       another country's grid, for a grid-electricity line
    transport mode     another freight dataset, for a freight line (t·km)

Whether the part can be made that way is the engineer's decision (``STATEMENT``).

How a swap is evaluated, exactly and quickly
    A change of one line changes only that line's own figures: its footprint, its CFF terms,
    its recycled content and composition, its MCI flows.  So the changed line is assessed
    alone (as a one-line product with the product's settings), before and after, and the
    product's sums are corrected by the difference: totals and stages per indicator, the
    recycled-content sums (per material family and per element), the MCI's sums.  The checks
    are then evaluated again on the corrected result.  A test compares the ranked list with a
    brute-force full assessment of every swap.

Which lines: the ``lines`` (default 10) with the largest climate change that have a catalog
dataset with alternatives; per line the ``per_line`` best swaps; ``limit`` suggestions in all.
Only swaps that lower the total are suggested.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from footprint import units
from footprint.comparison import CheckChange, ValueDelta, check_changes, value_delta
from footprint.lca.project import INDICATORS as ENGINE_INDICATORS
from footprint.model import (
    BomLine,
    CffResult,
    Circularity,
    ClimateChange,
    Dataset,
    LineResult,
    MciResult,
    MethodInfo,
    Product,
    ProductResult,
    RecycledContent,
)
from footprint.scenario import GRID_PREFIX

STATEMENT = (
    "Each suggestion is a like-for-like factor swap: the same quantity of the line linked to "
    "another dataset of the library for the same material family and unit, another grid "
    "country for an electricity line, or another transport mode for a freight line. It is not "
    "an engineering judgement: whether the part can be made of that material, supplied from "
    "that grid or shipped that way is for the engineer to decide."
)
FREIGHT_PREFIX = "freight-"
SENSITIVITY_POINTS = 0.10  # ±10 percentage points of recycled content
INDICATORS = ("total", "fossil", "biogenic", "luluc", "not_split")
_TOTAL = ENGINE_INDICATORS.index("total")

SwapKind = Literal["material variant", "grid country", "factory grid country", "transport mode"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Suggestion(_Model):
    rank: int
    line: str = Field(description="the line id (a factory's swap: its line ids, comma-separated)")
    lines: list[str] = Field(
        default_factory=list,
        description="every line the swap changes (a factory: all its grid lines)",
    )
    factory: str | None = Field(
        None, description="the supplier/factory whose electricity lines all take the other grid"
    )
    path: str
    name: str | None = None
    kind: SwapKind
    dataset_before: str
    dataset_after: str
    dataset_after_name: str
    total_before: float = Field(description="kg CO2-eq per FU")
    total_after: float
    saving: float = Field(description="total before − total after, kg CO2-eq per FU")
    saving_percent: float | None = None
    recycled_share: ValueDelta
    by_element: dict[str, ValueDelta] = Field(default_factory=dict)
    mci: ValueDelta
    checks: list[CheckChange] = Field(
        default_factory=list, description="checks whose status, value or margin change"
    )


class SensitivityCase(_Model):
    recycled_content: float
    total: float
    total_delta: float
    recycled_share: float | None = None
    checks: list[CheckChange] = Field(default_factory=list)


class RecycledContentSensitivity(_Model):
    """One line's recycled content moved by ±10 points (clamped to 0…1)."""

    line: str
    path: str
    material: str | None = None
    recycled_content: float = Field(description="R1 as used in the result")
    minus: SensitivityCase | None = None
    plus: SensitivityCase | None = None


class ProductSuggestions(_Model):
    product: str
    name: str | None = None
    functional_unit: str | None = None
    total: float
    unit: str = "kg CO2-eq"
    suggestions: list[Suggestion] = Field(default_factory=list)
    sensitivity: list[RecycledContentSensitivity] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Suggestions(_Model):
    kind: Literal["suggestions"] = "suggestions"
    tool_version: str
    created: datetime
    method: MethodInfo
    statement: str = STATEMENT
    products: list[ProductSuggestions]

    def to_json(self, path: Any = None, *, indent: int | None = 2) -> str:
        text = self.model_dump_json(indent=indent)
        if path is not None:
            from pathlib import Path

            from footprint.io import write_text_atomic

            write_text_atomic(Path(path), text)
        return text

    def to_excel(self, path: Any) -> Any:
        from pathlib import Path

        from footprint.report.comparison import write_suggestions_workbook

        return write_suggestions_workbook(self, Path(path))


def suggestions_schema() -> dict[str, Any]:
    """The JSON schema of a suggestions document (``footprint suggest --schema``)."""
    return Suggestions.model_json_schema()


# --------------------------------------------------------------------------------------------
# Alternatives in the library
# --------------------------------------------------------------------------------------------


def swap_kind(dataset: Dataset) -> tuple[SwapKind, str] | None:
    """The kind of like-for-like swap a dataset allows and the key its alternatives share."""
    if dataset.id.startswith(GRID_PREFIX):
        return "grid country", "grid"
    if dataset.id.startswith(FREIGHT_PREFIX):
        return "transport mode", f"freight/{units.dimension_name(dataset.unit)}"
    if dataset.material and not is_waste_treatment_dataset(dataset):
        return (
            "material variant",
            f"{dataset.material.casefold()}/{units.dimension_name(dataset.unit)}",
        )
    return None


def is_waste_treatment_dataset(dataset: Dataset) -> bool:
    return dataset.id.startswith("eol-")


class Alternatives:
    """The library's datasets grouped by swap key."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self.groups: dict[str, list[Dataset]] = defaultdict(list)
        for dataset in catalog:
            found = swap_kind(dataset)
            if found is not None:
                self.groups[found[1]].append(dataset)

    def of(self, dataset_id: str | None) -> tuple[SwapKind, list[Dataset]] | None:
        if not dataset_id or dataset_id not in self.catalog:
            return None
        record = self.catalog.get(dataset_id)
        found = swap_kind(record)
        if found is None:
            return None
        others = [d for d in self.groups[found[1]] if d.id != dataset_id]
        return (found[0], others) if others else None


# --------------------------------------------------------------------------------------------
# One line changed: the product's result corrected by the line's own difference
# --------------------------------------------------------------------------------------------


@dataclass
class Evaluated:
    product: Product
    result: ProductResult


class LineChanges:
    """Evaluates changes of single lines of one assessed product (see the module docstring)."""

    def __init__(
        self,
        engine: Any,
        product: Product,
        result: ProductResult,
        rule_sets: Sequence[Any] = (),
        as_of: Any = None,
    ) -> None:
        self.engine = engine
        self.product = product
        self.result = result
        self.rule_sets = rule_sets
        self.as_of = as_of
        self.bom = {line.id: line for line in product.lines}
        # the result's lines built once (a result holds them as columns: each access to
        # ``result.lines`` builds them all again); shared by the corrected results, unchanged
        self.lines = list(result.lines)
        self.index = {line.id: k for k, line in enumerate(self.lines)}
        self._alone: dict[str, ProductResult] = {}
        self._families = self._family_masses()

    def _family_masses(self) -> dict[str, float]:
        """Mass per material family of the lines recycled content counts (its denominators)."""
        masses: dict[str, float] = defaultdict(float)
        catalog = self.engine.catalog
        for line in self.lines:
            if line.dataset not in catalog or not line.mass_kg or line.is_waste_treatment():
                continue
            record = catalog.get(line.dataset)
            family = (record.material or line.material or "").lower()
            if family:
                masses[family] += line.mass_kg
        return masses

    def alone(self, line: LineResult, bom_line: BomLine) -> ProductResult:
        """The line assessed as the only line of the product (same product settings)."""
        single = BomLine(
            id=line.id,
            name=line.name,
            quantity=line.quantity,
            unit=line.unit,
            dataset=bom_line.dataset,
            stage=line.stage,
            circularity=bom_line.circularity,
            country=bom_line.country,
            supplier=bom_line.supplier,
            smelter_id=bom_line.smelter_id,
            certification=bom_line.certification,
            mass_per_piece_kg=bom_line.mass_per_piece_kg,
            source=bom_line.source,
        )
        mini = self.product.model_copy(update={"lines": [single], "mass_kg": None})
        return self.engine.assess_products([mini]).products[0]

    def base_alone(self, line: LineResult) -> ProductResult:
        if line.id not in self._alone:
            self._alone[line.id] = self.alone(line, self.bom[line.id])
        return self._alone[line.id]

    def changed(self, line_id: str, update: Mapping[str, Any]) -> Evaluated:
        """The product and its result with one BOM line's fields updated (dataset, circularity)."""
        line = self.lines[self.index[line_id]]
        new_bom = self.bom[line_id].model_copy(update=dict(update))
        old, new = self.base_alone(line), self.alone(line, new_bom)
        product = self.product.model_copy(
            update={"lines": [new_bom if b.id == line_id else b for b in self.product.lines]}
        )
        result = _corrected(self.result, self.lines, self.index[line_id], old, new, self._families)
        if self.rule_sets:
            from footprint.compliance import evaluate_checks

            checks = evaluate_checks(
                result, product, self.rule_sets, as_of=self.as_of, catalog=self.engine.catalog
            )
            result = result.model_copy(update={"checks": checks})
        return Evaluated(product, result)

    def changed_many(self, updates: Mapping[str, Mapping[str, Any]]) -> Evaluated:
        """Several lines changed at once: one line after the other, each corrected on the
        result of the previous one; the checks evaluated once on the final result."""
        step: LineChanges = self
        done: Evaluated | None = None
        ids = list(updates)
        for k, line_id in enumerate(ids):
            last = k == len(ids) - 1
            step = (
                step
                if done is None
                else LineChanges(self.engine, done.product, done.result, (), self.as_of)
            )
            if last:
                step.rule_sets = self.rule_sets
            done = step.changed(line_id, updates[line_id])
        assert done is not None, "changed_many needs at least one line"
        return done


def _plus(a: ClimateChange, old: ClimateChange, new: ClimateChange) -> ClimateChange:
    return ClimateChange(
        **{k: getattr(a, k) - getattr(old, k) + getattr(new, k) for k in INDICATORS}, unit=a.unit
    )


def _corrected(
    base: ProductResult,
    base_lines: Sequence[LineResult],
    position: int,
    old: ProductResult,
    new: ProductResult,
    families: Mapping[str, float],
) -> ProductResult:
    line = base_lines[position]  # ``base.lines``, built once
    new_line = new.lines[0].model_copy(
        update={"path": line.path, "depth": line.depth, "row": line.row}
    )
    lines = list(base_lines)
    lines[position] = new_line
    total = _plus(base.climate_change, old.climate_change, new.climate_change)
    by_stage = {
        stage: _plus(figure, old.by_stage[stage], new.by_stage[stage])
        for stage, figure in base.by_stage.items()
    }
    circularity = _circularity(base, old, new, families, line.id)
    return base.model_copy(
        update={
            "climate_change": total,
            "by_stage": by_stage,
            "lines": lines,
            "circularity": circularity,
        }
    )


def _line_mass(result: ProductResult) -> float:
    """The mass the line's recycled content counts (0 when it is not a mass line)."""
    circ = result.circularity
    if circ is None or circ.recycled_content.share is None:
        return 0.0
    line = result.lines[0]
    return line.mass_kg or 0.0


def _keyed(
    shares: Mapping[str, float],
    masses: Mapping[str, float],
    old: tuple[Mapping[str, float], Mapping[str, float]],
    new: tuple[Mapping[str, float], Mapping[str, float]],
) -> tuple[dict[str, float], dict[str, float]]:
    """Shares per key after taking one line's (share, mass) per key out and another's in."""
    recycled = {k: shares.get(k, 0.0) * m for k, m in masses.items()}
    mass = dict(masses)
    for sign, (line_shares, line_masses) in ((-1.0, old), (1.0, new)):
        for k, m in line_masses.items():
            mass[k] = mass.get(k, 0.0) + sign * m
            recycled[k] = recycled.get(k, 0.0) + sign * m * line_shares.get(k, 0.0)
    out_shares = {k: recycled[k] / m for k, m in sorted(mass.items()) if m > 1e-12}
    out_masses = {k: m for k, m in sorted(mass.items()) if m > 1e-12}
    return out_shares, out_masses


def _circularity(
    base: ProductResult,
    old: ProductResult,
    new: ProductResult,
    families: Mapping[str, float],
    line_id: str,
) -> Circularity | None:
    if base.circularity is None:
        return None
    rc = base.circularity.recycled_content
    o_rc = old.circularity.recycled_content if old.circularity else RecycledContent()
    n_rc = new.circularity.recycled_content if new.circularity else RecycledContent()
    m_o, m_n = _line_mass(old), _line_mass(new)
    total_mass = sum(families.values()) if families else 0.0
    denominator = _mass_denominator(base, rc, total_mass)

    def overall(value: float | None, o: float | None, n: float | None) -> float | None:
        if denominator is None:
            return None
        mass = denominator - m_o + m_n
        if mass <= 1e-12:
            return None
        if value is None and o is None and n is None:
            return None
        return ((value or 0.0) * denominator - (o or 0.0) * m_o + (n or 0.0) * m_n) / mass

    def by_family(field: str) -> dict[str, float]:
        shares, _ = _keyed(
            getattr(rc, field),
            families,
            (getattr(o_rc, field), {k: m_o for k in o_rc.by_material}),
            (getattr(n_rc, field), {k: m_n for k in n_rc.by_material}),
        )
        return shares

    by_element, element_mass = _keyed(
        rc.by_element, rc.element_mass_kg, (o_rc.by_element, o_rc.element_mass_kg),
        (n_rc.by_element, n_rc.element_mass_kg),
    )  # fmt: skip
    by_element_pc, _ = _keyed(
        rc.by_element_post_consumer, rc.element_mass_kg,
        (o_rc.by_element_post_consumer, o_rc.element_mass_kg),
        (n_rc.by_element_post_consumer, n_rc.element_mass_kg),
    )  # fmt: skip
    content = RecycledContent(
        share=overall(rc.share, o_rc.share, n_rc.share),
        post_consumer_share=overall(
            rc.post_consumer_share, o_rc.post_consumer_share, n_rc.post_consumer_share
        ),
        recyclable_share=overall(rc.recyclable_share, o_rc.recyclable_share, n_rc.recyclable_share),
        by_material=by_family("by_material"),
        by_material_post_consumer=by_family("by_material_post_consumer"),
        by_element=by_element,
        by_element_post_consumer=by_element_pc,
        element_mass_kg=element_mass,
    )
    return Circularity(
        cff=_cff(base.circularity.cff, old, new, line_id),
        recycled_content=content,
        mci=_mci(base.circularity.mci, old, new),
    )


def _mass_denominator(base: ProductResult, rc: RecycledContent, family_mass: float) -> float | None:
    """Σ m over the lines recycled content counts: from the share's own terms when a line
    without a family counts too (then it is not in ``families``)."""
    circ = base.circularity
    if rc.share is None or circ is None:
        return None
    if circ.mci is not None:
        return circ.mci.mass_kg  # the MCI sums the same mass lines
    return family_mass


def _cff(cff: CffResult | None, old: ProductResult, new: ProductResult, line_id: str) -> Any:
    if cff is None:
        return None
    new_cff = new.circularity.cff if new.circularity else None
    old_cff = old.circularity.cff if old.circularity else None
    lines = [c for c in cff.lines if c.line != line_id]
    if new_cff is not None:
        lines += [
            c.model_copy(
                update={"path": next((x.path for x in cff.lines if x.line == line_id), c.path)}
            )
            for c in new_cff.lines
        ]
    update: dict[str, Any] = {"lines": lines}
    if old_cff is not None and new_cff is not None:
        for name in (
            "material_part",
            "energy_part",
            "disposal_part",
            "total",
            "cut_off_total",
            "cff_total",
        ):
            update[name] = getattr(cff, name) - getattr(old_cff, name) + getattr(new_cff, name)
    return cff.model_copy(update=update)


def _mci(base: MciResult | None, old: ProductResult, new: ProductResult) -> MciResult | None:
    """LFI = (V + W) / D with D = 2M + (WF − WC)/2: every term is a sum over the mass lines."""
    o = old.circularity.mci if old.circularity else None
    n = new.circularity.mci if new.circularity else None
    if base is None or base.linear_flow_index <= 0:
        return None

    def parts(m: MciResult | None) -> tuple[float, float, float, float] | None:
        if m is None:
            return (0.0, 0.0, 0.0, 0.0)
        if m.linear_flow_index <= 0:
            return None
        d = (m.virgin_kg + m.unrecoverable_waste_kg) / m.linear_flow_index
        return m.virgin_kg, m.unrecoverable_waste_kg, m.mass_kg, d

    b, po, pn = parts(base), parts(o), parts(n)
    if b is None or po is None or pn is None:
        return None
    v, w, mass, d = (b[k] - po[k] + pn[k] for k in range(4))
    if d <= 0 or mass <= 0:
        return None
    lfi = (v + w) / d
    return base.model_copy(
        update={
            "mci": max(0.0, 1 - lfi * base.utility_factor),
            "mass_kg": mass,
            "virgin_kg": v,
            "unrecoverable_waste_kg": w,
            "linear_flow_index": lfi,
        }
    )


# --------------------------------------------------------------------------------------------
# Suggestions and sensitivity for one product
# --------------------------------------------------------------------------------------------


def _moved(changes: Sequence[CheckChange]) -> list[CheckChange]:
    return [
        c
        for c in changes
        if c.status_changed or (c.margin.delta or 0) != 0 or (c.value.delta or 0) != 0
    ]


def _effective_recycled_content(result: ProductResult, line: LineResult, catalog: Any) -> float:
    """R1 as the result used it: the CFF's parameter, else the BOM line's, else 1 for a
    recycled-variant dataset, else 0."""
    circ = result.circularity
    if circ is not None and circ.cff is not None:
        for cff_line in circ.cff.lines:
            if cff_line.line == line.id and "R1" in cff_line.parameters:
                return cff_line.parameters["R1"].value
    if line.recycled_content is not None:
        return line.recycled_content
    if line.dataset in catalog and catalog.get(line.dataset).recycled:
        return 1.0
    return 0.0


def product_suggestions(
    engine: Any,
    product: Product,
    result: ProductResult,
    *,
    rule_sets: Sequence[Any] = (),
    as_of: Any = None,
    lines: int = 10,
    per_line: int = 3,
    limit: int = 10,
    sensitivity_lines: int = 10,
    alternatives: Alternatives | None = None,
) -> ProductSuggestions:
    alternatives = alternatives or Alternatives(engine.catalog)
    changes = LineChanges(engine, product, result, rule_sets, as_of)
    total = result.climate_change.total
    notes: list[str] = []
    candidates = [
        (line, found)
        for line in changes.lines
        if line.id in changes.bom and (found := alternatives.of(line.dataset)) is not None
    ]
    factories = _factory_grid_lines(changes, candidates)
    in_factory = {line.id for lines_of in factories.values() for line in lines_of}
    candidates = [c for c in candidates if c[0].id not in in_factory]
    candidates.sort(key=lambda item: -abs(item[0].climate_change.total))
    chosen: list[tuple[float, Suggestion, int]] = []
    order = 0
    for factory, factory_lines in factories.items():
        for saving, suggestion in _factory_grid_swaps(
            engine, changes, result, factory, factory_lines, alternatives, per_line
        ):
            chosen.append((saving, suggestion, order))
            order += 1
    for line, (kind, others) in candidates[:lines]:
        options = others
        if not line.mass_kg:
            # no mass: no CFF, recycled content or MCI effect, so the saving is exactly the
            # amount times the difference of unit scores; only the best are assessed in full
            options = _best_by_unit_score(engine, line, others, product, per_line)
        evaluated = []
        for dataset in options:
            done = changes.changed(line.id, {"dataset": dataset.id})
            saving = total - done.result.climate_change.total
            if saving > 0:
                evaluated.append((saving, dataset, done))
        evaluated.sort(key=lambda item: -item[0])
        for saving, dataset, done in evaluated[:per_line]:
            chosen.append((saving, _suggestion(result, done.result, line, kind, dataset), order))
            order += 1
    chosen.sort(key=lambda item: (-item[0], item[2]))
    suggestions = []
    for rank, (_, suggestion, _) in enumerate(chosen[:limit], start=1):
        suggestions.append(suggestion.model_copy(update={"rank": rank}))
    if not candidates:
        notes.append("no line links a dataset with like-for-like alternatives in the library")
    return ProductSuggestions(
        product=result.id,
        name=result.name,
        functional_unit=result.functional_unit,
        total=total,
        unit=result.climate_change.unit,
        suggestions=suggestions,
        sensitivity=_sensitivity(changes, engine, sensitivity_lines),
        notes=notes,
    )


def _factory_grid_lines(
    changes: LineChanges, candidates: Sequence[tuple[LineResult, tuple[SwapKind, Any]]]
) -> dict[str, list[LineResult]]:
    """The grid-electricity lines of each named factory (the BOM's supplier column, case
    ignored; the first spelling names it): a factory draws its power from one grid, so its
    lines move together."""
    factories: dict[str, list[LineResult]] = {}
    names: dict[str, str] = {}
    for line, (kind, _) in candidates:
        supplier = changes.bom[line.id].supplier
        if kind != "grid country" or not supplier or not supplier.strip():
            continue
        key = supplier.strip().casefold()
        name = names.setdefault(key, supplier.strip())
        factories.setdefault(name, []).append(line)
    return factories


def _factory_grid_swaps(
    engine: Any,
    changes: LineChanges,
    result: ProductResult,
    factory: str,
    lines: Sequence[LineResult],
    alternatives: Alternatives,
    n: int,
) -> list[tuple[float, Suggestion]]:
    """Every other grid for all the factory's electricity lines together; the best ``n``
    (pre-ranked by amount × unit score: electricity lines have no mass, so no circularity
    effect) assessed in full."""
    found = alternatives.of(lines[0].dataset)
    if found is None:
        return []
    grids = list(alternatives.groups["grid"])
    scores = engine.lca.scores([engine.lca.catalog_reference(d.id) for d in grids])
    ranked = []
    for dataset, row in zip(grids, scores, strict=True):
        if all(line.dataset == dataset.id for line in lines):
            continue
        delta = 0.0
        for line in lines:
            try:
                amount = units.convert(line.quantity, line.unit, dataset.unit)
            except Exception:  # a unit that does not convert is no like-for-like swap
                delta = math.inf
                break
            delta += amount * float(row[_TOTAL]) - line.climate_change.total
        if math.isfinite(delta) and delta < 0:
            ranked.append((delta, dataset))
    ranked.sort(key=lambda item: item[0])
    out = []
    total = result.climate_change.total
    for _, dataset in ranked[: n + 2]:
        done = changes.changed_many({line.id: {"dataset": dataset.id} for line in lines})
        saving = total - done.result.climate_change.total
        if saving > 0:
            suggestion = _suggestion(result, done.result, lines[0], "factory grid country", dataset)
            before = sorted({line.dataset or "" for line in lines})
            suggestion = suggestion.model_copy(
                update={
                    "line": ", ".join(line.id for line in lines),
                    "lines": [line.id for line in lines],
                    "factory": factory,
                    "path": f"factory {factory}",
                    "name": f"electricity of {factory} ({len(lines)} lines)",
                    "dataset_before": ", ".join(before),
                }
            )
            out.append((saving, suggestion))
    out.sort(key=lambda item: -item[0])
    return out[:n]


def _best_by_unit_score(
    engine: Any, line: LineResult, others: Sequence[Dataset], product: Product, n: int
) -> list[Dataset]:
    scores = engine.lca.scores([engine.lca.catalog_reference(d.id) for d in others])
    current = engine.unit_score(line.dataset).total
    ranked = []
    for dataset, row in zip(others, scores, strict=True):
        try:
            amount = units.convert(line.quantity, line.unit, dataset.unit)
        except Exception:  # a unit that does not convert is no like-for-like swap
            continue
        before = line.quantity * current
        after = amount * float(row[_TOTAL])
        if math.isfinite(after) and after < before:
            ranked.append((after - before, dataset))
    ranked.sort(key=lambda item: item[0])
    return [dataset for _, dataset in ranked[: n + 2]]  # a margin for rounding ties


def _suggestion(
    base: ProductResult,
    after: ProductResult,
    line: LineResult,
    kind: SwapKind,
    dataset: Dataset,
) -> Suggestion:
    before_total, after_total = base.climate_change.total, after.climate_change.total
    saving = before_total - after_total
    b_rc = base.circularity.recycled_content if base.circularity else RecycledContent()
    a_rc = after.circularity.recycled_content if after.circularity else RecycledContent()
    elements = sorted(set(b_rc.by_element) | set(a_rc.by_element))
    b_mci = base.circularity.mci if base.circularity else None
    a_mci = after.circularity.mci if after.circularity else None
    return Suggestion(
        rank=0,
        line=line.id,
        lines=[line.id],
        path=line.path,
        name=line.name,
        kind=kind,
        dataset_before=line.dataset or "",
        dataset_after=dataset.id,
        dataset_after_name=dataset.name,
        total_before=before_total,
        total_after=after_total,
        saving=saving,
        saving_percent=100 * saving / before_total if before_total else None,
        recycled_share=value_delta(b_rc.share, a_rc.share),
        by_element={
            e: value_delta(b_rc.by_element.get(e), a_rc.by_element.get(e))
            for e in elements
            if b_rc.by_element.get(e) != a_rc.by_element.get(e)
        },
        mci=value_delta(b_mci.mci if b_mci else None, a_mci.mci if a_mci else None),
        checks=_moved(check_changes(base.checks, after.checks)),
    )


def _sensitivity(changes: LineChanges, engine: Any, n: int) -> list[RecycledContentSensitivity]:
    """±10 points of R1 for the heaviest material lines and every driver of a recycled-content
    check (a line of no mass or no material family has no recycled content to move)."""
    result = changes.result
    catalog = engine.catalog
    material = [
        line
        for line in changes.lines
        if line.id in changes.bom
        and line.mass_kg
        and line.dataset in catalog
        and not line.is_waste_treatment()
        and (catalog.get(line.dataset).material or line.material)
    ]
    drivers = {d.line for c in result.checks if c.kind == "min_recycled_content" for d in c.drivers}
    material.sort(key=lambda line: (line.id not in drivers, -(line.mass_kg or 0.0)))
    out = []
    for line in material[:n]:
        r1 = _effective_recycled_content(result, line, catalog)
        cases: dict[str, SensitivityCase | None] = {}
        for side, step in (("minus", -SENSITIVITY_POINTS), ("plus", SENSITIVITY_POINTS)):
            value = min(1.0, max(0.0, r1 + step))
            if value == r1:
                cases[side] = None
                continue
            bom = changes.bom[line.id]
            done = changes.changed(
                line.id,
                {"circularity": bom.circularity.model_copy(update={"recycled_content": value})},
            )
            after = done.result
            rc = after.circularity.recycled_content if after.circularity else None
            cases[side] = SensitivityCase(
                recycled_content=value,
                total=after.climate_change.total,
                total_delta=after.climate_change.total - result.climate_change.total,
                recycled_share=rc.share if rc else None,
                checks=[
                    c
                    for c in check_changes(result.checks, after.checks)
                    if c.kind == "min_recycled_content"
                ],
            )
        out.append(
            RecycledContentSensitivity(
                line=line.id,
                path=line.path,
                material=line.material,
                recycled_content=r1,
                minus=cases["minus"],
                plus=cases["plus"],
            )
        )
    return out


def suggest(
    bom: Any,
    *,
    rules: Sequence[Any] | None = None,
    as_of: Any = None,
    datasets: Sequence[Any] | None = None,
    engine: Any = None,
    lines: int = 10,
    per_line: int = 3,
    limit: int = 10,
) -> Suggestions:
    """Ranked like-for-like swaps and recycled-content sensitivity for every product of a BOM."""
    from footprint.api import Engine, _tool_version, load_rules, read_products

    products, warnings = read_products(bom)
    rule_sets = load_rules(rules)
    engine = engine or Engine(datasets)
    assessment = engine.assess_products(products, warnings, rule_sets=rule_sets, as_of=as_of)
    alternatives = Alternatives(engine.catalog)
    return Suggestions(
        tool_version=_tool_version(),
        created=datetime.now(UTC),
        method=assessment.method,
        products=[
            product_suggestions(
                engine,
                product,
                result,
                rule_sets=rule_sets,
                as_of=as_of,
                lines=lines,
                per_line=per_line,
                limit=limit,
                alternatives=alternatives,
            )  # fmt: skip
            for product, result in zip(products, assessment.products, strict=True)
        ],
    )
