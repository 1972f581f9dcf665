"""Comparing assessed products side by side: revisions of a BOM, alternatives, scenarios.

``compare_assessments(base, alternatives)`` pairs the products of a base assessment with those
of each alternative and, per pair, gives the difference of every climate-change indicator, per
stage and per BOM line, the change of every check, the circularity deltas and the lines that
explain most of the difference.  It only reads ``Assessment`` objects: computing them is the
engine's job (``footprint.compare`` in ``api``-style, below, does both).

Pairing products
    by id; ``pairs`` (``{"old-id": "new-id"}``) names pairs explicitly; when each side holds
    exactly one product and their ids differ, those two are paired (and the pair says so).

Matching lines of a pair, in this order (each line is matched at most once)
    1. the same line id;
    2. the same path by name: the names of the line and its assemblies from the top (a part
       renumbered between revisions keeps its place and its name);
    3. the same dataset, in BOM order among the lines still unmatched.
    Lines left over are *removed* (base only) or *added* (alternative only).

Functional units
    Figures are per functional unit, so a pair whose functional units differ is refused
    (``FootprintError``), unless the caller gives ``fu_ratio``: the number of the alternative's
    functional units in one of the base's; the alternative's climate-change figures (total,
    stages, lines) are multiplied by it.  Checks and shares are not scaled: they are each
    product's own.

Missing is never zero: a figure one side does not have gives a delta of ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from footprint.api import _constructed
from footprint.errors import FootprintError, Problem
from footprint.lines import LineColumns
from footprint.memory import cyclic_gc_paused
from footprint.model import (
    SCHEMA_VERSION,
    STAGES,
    Assessment,
    Check,
    CheckStatus,
    ClimateChange,
    LineResult,
    MethodInfo,
    ProductResult,
    Stage,
    Warning_,
)

#: The climate-change indicators compared (the numeric fields of ``ClimateChange``).
INDICATORS: tuple[str, ...] = ("total", "fossil", "biogenic", "luluc", "not_split")
#: BOM facts of a line whose change is reported, in this order.
LINE_FIELDS: tuple[str, ...] = (
    "dataset",
    "quantity",
    "unit",
    "recycled_content",
    "country",
    "stage",
    "supplier",
)
M = TypeVar("M", bound=BaseModel)


class _Line(Protocol):
    """What matching reads of a line (a ``LineResult`` or a ``LineSide``)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str | None: ...

    @property
    def path(self) -> str: ...

    @property
    def dataset(self) -> str | None: ...


_L = TypeVar("_L", bound=_Line)
_SAME = 1e-12  # relative tolerance under which two figures count as equal (float noise)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ValueDelta(_Model):
    """A figure before and after; ``delta`` is None when either side has no figure."""

    before: float | None = None
    after: float | None = None
    delta: float | None = None
    percent: float | None = Field(
        None, description="delta as a percentage of `before` (None when before is 0 or missing)"
    )


class ClimateDelta(_Model):
    """Climate change before and after, per indicator, kg CO2-eq per (base) functional unit."""

    before: ClimateChange | None = None
    after: ClimateChange | None = None
    delta: ClimateChange = Field(default_factory=ClimateChange)
    percent: float | None = Field(None, description="delta of the total, % of the base total")


class LineSide(_Model):
    """A line's BOM facts on one side of a pair."""

    id: str
    path: str
    name: str | None = None
    dataset: str | None = None
    quantity: float
    unit: str
    recycled_content: float | None = None
    country: str | None = None
    stage: Stage
    supplier: str | None = None
    row: int | None = None


LineStatus = Literal["added", "removed", "changed", "unchanged"]


class LineDelta(_Model):
    """One line of the pair: matched (changed or not), added or removed."""

    status: LineStatus
    matched_by: Literal["id", "path", "dataset"] | None = None
    before: LineSide | None = None
    after: LineSide | None = None
    changed_fields: list[str] = Field(
        default_factory=list, description=f"which of {', '.join(LINE_FIELDS)} differ"
    )
    climate_change: ClimateDelta
    share_of_difference: float | None = Field(
        None, description="this line's delta of the total / the product's delta of the total"
    )
    rank: int | None = Field(
        None, description="1 = the line whose change moves the total most (None: no change)"
    )


class IndicatorDelta(_Model):
    """One indicator of the impact profiles (``--indicators``), before and after (cut-off)."""

    id: str
    name: str
    unit: str
    status_before: str | None = Field(None, description="coverage status on the base side")
    status_after: str | None = None
    value: ValueDelta


class CheckChange(_Model):
    """One rule's check before and after."""

    rule_set: str
    rule: str
    title: str
    kind: str
    unit: str | None = None
    status_before: CheckStatus | None = None
    status_after: CheckStatus | None = None
    status_changed: bool
    value: ValueDelta
    limit: ValueDelta
    margin: ValueDelta


class CircularityDelta(_Model):
    recycled_share: ValueDelta
    post_consumer_share: ValueDelta
    by_material: dict[str, ValueDelta] = Field(default_factory=dict)
    by_element: dict[str, ValueDelta] = Field(default_factory=dict)
    mci: ValueDelta
    cff_total: ValueDelta = Field(description="the CFF total of each side (per FU, scaled)")


class ProductSide(_Model):
    label: str = Field(description="the file, scenario or assessment the product comes from")
    id: str
    name: str | None = None
    functional_unit: str | None = None
    eol_model: str
    source_file: str | None = None


class ProductComparison(_Model):
    """A base product and an alternative to it."""

    base: ProductSide
    alternative: ProductSide
    paired_by: Literal["id", "given pair", "only products"]
    fu_ratio: float = Field(
        1.0, description="alternative functional units per base functional unit (scales B)"
    )
    climate_change: ClimateDelta
    by_stage: dict[Stage, ClimateDelta]
    lines: list[LineDelta]
    checks: list[CheckChange] = Field(default_factory=list)
    circularity: CircularityDelta
    mass_kg: ValueDelta
    impacts: list[IndicatorDelta] = Field(
        default_factory=list, description="the indicators beyond climate change, when assessed"
    )
    single_score: ValueDelta | None = Field(None, description="EF 3.1 single score, Pt")
    notes: list[str] = Field(default_factory=list)

    def ranked_lines(self, n: int | None = None) -> list[LineDelta]:
        """The lines that explain most of the difference, largest change of the total first."""
        ranked = sorted((x for x in self.lines if x.rank is not None), key=lambda x: x.rank or 0)
        return ranked[:n] if n is not None else ranked

    def changed_checks(self) -> list[CheckChange]:
        return [c for c in self.checks if c.status_changed]


class UnmatchedProduct(_Model):
    label: str
    id: str
    side: Literal["base", "alternative"]


class Comparison(_Model):
    """Products of a base compared with their alternatives.  JSON: ``comparison_schema()``."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["comparison"] = "comparison"
    tool_version: str
    created: datetime
    method: MethodInfo
    as_of: Any = None
    rule_sets: list[str] = Field(default_factory=list)
    base: str = Field(description="label of the base")
    alternatives: list[str] = Field(description="labels of the alternatives, in order")
    pairs: list[ProductComparison]
    unmatched: list[UnmatchedProduct] = Field(default_factory=list)
    warnings: list[Warning_] = Field(default_factory=list)

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        text = self.model_dump_json(indent=indent)
        if path is not None:
            from footprint.io import write_text_atomic

            write_text_atomic(Path(path), text)
        return text

    def to_excel(self, path: str | Path) -> Path:
        from footprint.report.comparison import write_comparison_workbook

        return write_comparison_workbook(self, Path(path))

    def to_html(self, path: str | Path) -> Path:
        from footprint.report.comparison import write_comparison_html

        return write_comparison_html(self, Path(path))


def comparison_schema() -> dict[str, Any]:
    """The JSON schema of a comparison document (``footprint compare --schema``)."""
    return Comparison.model_json_schema()


# --------------------------------------------------------------------------------------------
# Pairing
# --------------------------------------------------------------------------------------------


def functional_unit_key(product: ProductResult) -> str:
    """The functional unit as compared: case and spacing ignored; none given = one product."""
    return " ".join((product.functional_unit or "1 product").casefold().split())


def compare_assessments(
    base: Assessment,
    alternatives: Sequence[Assessment],
    *,
    labels: Sequence[str] | None = None,
    pairs: Mapping[str, str] | None = None,
    fu_ratio: Mapping[str, float] | float | None = None,
    tool_version: str | None = None,
) -> Comparison:
    """Compare the products of ``base`` with those of every alternative.

    ``labels``: names of the base and each alternative (default "A", "B", …); ``pairs``:
    base product id → alternative product id; ``fu_ratio``: one number for every pair whose
    functional units differ, or per alternative product id.  Raises ``FootprintError`` for a
    pair whose functional units differ without a ratio, or for a ``pairs`` id that no side has.
    """
    names = list(labels) if labels else [chr(ord("A") + i) for i in range(len(alternatives) + 1)]
    if len(names) != len(alternatives) + 1:
        raise ValueError("give one label for the base and one per alternative")
    with cyclic_gc_paused():
        return _compare_assessments(base, alternatives, names, pairs, fu_ratio, tool_version)


def _compare_assessments(
    base: Assessment,
    alternatives: Sequence[Assessment],
    names: list[str],
    pairs: Mapping[str, str] | None,
    fu_ratio: Mapping[str, float] | float | None,
    tool_version: str | None,
) -> Comparison:
    problems: list[Problem] = []
    compared: list[ProductComparison] = []
    unmatched: list[UnmatchedProduct] = []
    for label, alternative in zip(names[1:], alternatives, strict=True):
        matched = _pair_products(base, alternative, pairs or {}, label, problems)
        used_base = {b.id for b, _, _ in matched}
        used_alt = {a.id for _, a, _ in matched}
        unmatched.extend(
            UnmatchedProduct(label=names[0], id=p.id, side="base")
            for p in base.products
            if p.id not in used_base and alternative is not base
        )
        unmatched.extend(
            UnmatchedProduct(label=label, id=p.id, side="alternative")
            for p in alternative.products
            if p.id not in used_alt and alternative is not base
        )
        for before, after, how in matched:
            ratio = _ratio(fu_ratio, after.id)
            if functional_unit_key(before) != functional_unit_key(after) and ratio is None:
                problems.append(
                    Problem(
                        f"product {before.id} ({names[0]}, functional unit "
                        f"{before.functional_unit or '1 product'!r}) and {after.id} ({label}, "
                        f"{after.functional_unit or '1 product'!r}) have different functional "
                        "units; footprints per functional unit compare only per the same one. "
                        "Give the ratio (--fu-ratio, the number of the alternative's functional "
                        "units in one of the base's) to normalise",
                        column="functional_unit",
                    )
                )
                continue
            compared.append(
                compare_products(before, after, names[0], label, fu_ratio=ratio or 1.0, how=how)
            )
    if problems:
        raise FootprintError(problems)
    return Comparison(
        tool_version=tool_version or base.tool_version,
        created=datetime.now(UTC),
        method=base.method,
        as_of=base.as_of,
        rule_sets=list(base.rule_sets),
        base=names[0],
        alternatives=names[1:],
        pairs=compared,
        unmatched=unmatched,
        warnings=[*base.warnings, *(w for a in alternatives if a is not base for w in a.warnings)],
    )


def _ratio(fu_ratio: Mapping[str, float] | float | None, product_id: str) -> float | None:
    if fu_ratio is None:
        return None
    if isinstance(fu_ratio, int | float):
        return float(fu_ratio)
    return fu_ratio.get(product_id)


def _pair_products(
    base: Assessment,
    alternative: Assessment,
    pairs: Mapping[str, str],
    label: str,
    problems: list[Problem],
) -> list[tuple[ProductResult, ProductResult, Literal["id", "given pair", "only products"]]]:
    before = {p.id: p for p in base.products}
    after = {p.id: p for p in alternative.products}
    matched: list[
        tuple[ProductResult, ProductResult, Literal["id", "given pair", "only products"]]
    ] = []
    for old, new in pairs.items():
        if old not in before:
            problems.append(
                Problem(f"--pair {old}={new}: no base product has the id {old!r}", column="pair")
            )
        elif new not in after:
            problems.append(
                Problem(f"--pair {old}={new}: {label} has no product {new!r}", column="pair")
            )
        else:
            matched.append((before[old], after[new], "given pair"))
    if alternative is base:  # products of one file: only the given pairs
        return matched
    taken_old = set(pairs)
    taken_new = set(pairs.values())
    for product in base.products:
        if product.id in after and product.id not in taken_old and product.id not in taken_new:
            matched.append((product, after[product.id], "id"))
    if not matched and len(base.products) == 1 and len(alternative.products) == 1:
        matched.append((base.products[0], alternative.products[0], "only products"))
    return matched


# --------------------------------------------------------------------------------------------
# One pair
# --------------------------------------------------------------------------------------------


def compare_products(
    before: ProductResult,
    after: ProductResult,
    base_label: str = "A",
    label: str = "B",
    *,
    fu_ratio: float = 1.0,
    how: Literal["id", "given pair", "only products"] = "id",
) -> ProductComparison:
    """The differences between two assessed products (``after`` scaled by ``fu_ratio``)."""
    notes: list[str] = []
    if fu_ratio != 1.0:
        notes.append(
            f"{label}'s climate-change figures are multiplied by {fu_ratio:g} ({label}'s "
            f"functional units per functional unit of {base_label}) to compare per "
            f"{before.functional_unit or '1 product'!r}"
        )
    if before.eol_model != after.eol_model:
        notes.append(
            f"end-of-life models differ ({before.eol_model} → {after.eol_model}): part of the "
            "difference is the model, not the design"
        )
    if how == "only products":
        notes.append(
            f"paired as the only product on each side ({before.id} → {after.id}); "
            "give --pair to pair others"
        )
    total = climate_delta(before.climate_change, after.climate_change.scaled(fu_ratio))
    stages = {
        stage: climate_delta(
            before.by_stage.get(stage), _scaled(after.by_stage.get(stage), fu_ratio)
        )
        for stage in STAGES
    }
    lines = _line_deltas(before, after, fu_ratio, total.delta.total)
    return ProductComparison(
        base=_side(before, base_label),
        alternative=_side(after, label),
        paired_by=how,
        fu_ratio=fu_ratio,
        climate_change=total,
        by_stage=stages,
        lines=lines,
        checks=check_changes(before.checks, after.checks),
        circularity=_circularity_delta(before, after, fu_ratio),
        mass_kg=value_delta(before.mass_kg, after.mass_kg),
        impacts=_impact_deltas(before, after, fu_ratio),
        single_score=_single_score(before, after, fu_ratio),
        notes=notes,
    )


def _impact_deltas(
    before: ProductResult, after: ProductResult, fu_ratio: float
) -> list[IndicatorDelta]:
    """Per indicator id; a figure not covered on one side gives no delta (never 0)."""
    old = {i.id: i for i in before.impacts.indicators} if before.impacts else {}
    new = {i.id: i for i in after.impacts.indicators} if after.impacts else {}
    out = []
    for key in [*old, *(k for k in new if k not in old)]:
        b, a = old.get(key), new.get(key)
        either = b or a
        assert either is not None
        a_value = a.value * fu_ratio if a is not None and a.value is not None else None
        out.append(
            IndicatorDelta(
                id=key,
                name=either.name,
                unit=either.unit,
                status_before=b.status if b else None,
                status_after=a.status if a else None,
                value=value_delta(b.value if b else None, a_value),
            )
        )
    return out


def _single_score(
    before: ProductResult, after: ProductResult, fu_ratio: float
) -> ValueDelta | None:
    b = before.impacts.single_score if before.impacts else None
    a = after.impacts.single_score if after.impacts else None
    if b is None and a is None:
        return None
    a_value = a.value * fu_ratio if a is not None and a.value is not None else None
    return value_delta(b.value if b else None, a_value)


def _side(product: ProductResult, label: str) -> ProductSide:
    return ProductSide(
        label=label,
        id=product.id,
        name=product.name,
        functional_unit=product.functional_unit,
        eol_model=product.eol_model,
        source_file=product.source_file,
    )


def _scaled(figure: ClimateChange | None, factor: float) -> ClimateChange | None:
    return None if figure is None else figure.scaled(factor)


def value_delta(before: float | None, after: float | None) -> ValueDelta:
    if before is None or after is None:
        return ValueDelta(before=before, after=after)
    delta = after - before
    return ValueDelta(
        before=before,
        after=after,
        delta=delta,
        percent=100 * delta / before + 0.0 if before else None,  # + 0.0: no '-0.0 %'
    )


def climate_delta(before: ClimateChange | None, after: ClimateChange | None) -> ClimateDelta:
    """After − before per indicator; a side without the figure counts as absent (added or
    removed line), so the delta is the other side's figure, signed."""
    # model_construct: every value here is already a float or a validated model
    b, a = before or _ZERO, after or _ZERO
    delta = _fast(
        ClimateChange,
        {
            "total": a.total - b.total,
            "fossil": a.fossil - b.fossil,
            "biogenic": a.biogenic - b.biogenic,
            "luluc": a.luluc - b.luluc,
            "not_split": a.not_split - b.not_split,
            "unit": (after or before or _ZERO).unit,
        },
    )
    percent = (
        100 * delta.total / before.total + 0.0 if before is not None and before.total else None
    )
    return _fast(
        ClimateDelta, {"before": before, "after": after, "delta": delta, "percent": percent}
    )


def _fast(cls: type[M], values: dict[str, Any]) -> M:
    """A result model from values that already have their fields' types (every field, in
    order), without validating them again: ten thousand lines make ~70,000 of these."""
    given = _ALL_FIELDS.get(cls)
    if given is None:
        given = _ALL_FIELDS[cls] = frozenset(cls.model_fields)
    return _constructed(cls, values, given)


#: Each model's field names, as ``_fast`` records them set (it is given every field).
_ALL_FIELDS: dict[type, frozenset[str]] = {}


_ZERO = ClimateChange()


class _NamePaths(Mapping[str, str]):
    """Line id → the path by name (name, else id, of every assembly from the top down), for
    the lines that have a name; each made when asked for (matching asks only for the lines
    not matched by id)."""

    def __init__(self, lines: Sequence[_Line]) -> None:
        self._names = {line.id: line.name or line.id for line in lines}
        self._paths = {line.id: line.path for line in lines if line.name}

    def __getitem__(self, line_id: str) -> str:
        names = self._names
        return " / ".join(names.get(part, part) for part in self._paths[line_id].split(" / "))

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def match_lines(
    before: Sequence[_L],
    after: Sequence[_L],
    name_paths: tuple[Mapping[str, str], Mapping[str, str]] = ({}, {}),
) -> list[tuple[_L | None, _L | None, str | None]]:
    """Pairs (before, after, matched_by): base lines in order, then the added ones."""
    return [
        (before[i] if i is not None else None, after[j] if j is not None else None, how)
        for i, j, how in _matched(before, after, name_paths)
    ]


def _matched(
    before: Sequence[_Line],
    after: Sequence[_Line],
    name_paths: tuple[Mapping[str, str], Mapping[str, str]] = ({}, {}),
) -> list[tuple[int | None, int | None, str | None]]:
    """``match_lines`` as positions in ``before`` and ``after``."""
    matched: dict[int, tuple[int, str]] = {}  # index in before → (index in after, how)
    free_after = set(range(len(after)))
    by_id = {line.id: j for j, line in enumerate(after)}
    for i, line in enumerate(before):
        j = by_id.get(line.id)
        if j is not None and j in free_after:
            matched[i] = (j, "id")
            free_after.discard(j)
    before_paths, after_paths = name_paths
    by_path: dict[str, list[int]] = {}
    for j in sorted(free_after):
        key = after_paths.get(after[j].id)
        if key is not None:
            by_path.setdefault(key, []).append(j)
    for i, line in enumerate(before):
        key = before_paths.get(line.id)
        if i in matched or key is None or len(by_path.get(key, ())) != 1:
            continue
        j = by_path.pop(key)[0]
        matched[i] = (j, "path")
        free_after.discard(j)
    by_dataset: dict[str, list[int]] = {}
    for j in sorted(free_after):
        if after[j].dataset is not None:
            by_dataset.setdefault(after[j].dataset or "", []).append(j)
    for i, line in enumerate(before):
        if i in matched or line.dataset is None or not by_dataset.get(line.dataset):
            continue
        j = by_dataset[line.dataset].pop(0)
        matched[i] = (j, "dataset")
        free_after.discard(j)
    out: list[tuple[int | None, int | None, str | None]] = []
    for i in range(len(before)):
        if i in matched:
            j, how = matched[i]
            out.append((i, j, how))
        else:
            out.append((i, None, None))
    out.extend((None, j, None) for j in sorted(free_after))
    return out


class _Sides:
    """A product's lines as the comparison shows them: a ``LineSide`` and the climate-change
    figure (parts as an array, one row per line) of each, read from the result's columns."""

    def __init__(self, lines: Sequence[LineResult]) -> None:
        fields = tuple(LineSide.model_fields)
        if isinstance(lines, LineColumns):  # the engine's: no LineResult built
            values = [lines.values(name) for name in fields]
            self.units = lines.values("climate_change.unit")
            parts = [lines.array(f"climate_change.{k}") for k in INDICATORS]
        else:
            items = list(lines)
            values = [[getattr(line, name) for line in items] for name in fields]
            self.units = [line.climate_change.unit for line in items]
            parts = [
                np.array([getattr(line.climate_change, k) for line in items]) for k in INDICATORS
            ]
        self.columns = dict(zip(fields, values, strict=True))
        self.sides = [
            _fast(LineSide, dict(zip(fields, row, strict=True)))
            for row in zip(*values, strict=True)
        ]
        self.figures = (
            np.column_stack(parts).astype(float) if self.units else np.zeros((0, len(INDICATORS)))
        )

    def figure(self, k: int, parts: list[float]) -> ClimateChange:
        return _fast(ClimateChange, dict(zip(_FIGURE_FIELDS, (*parts, self.units[k]), strict=True)))


_FIGURE_FIELDS = (*INDICATORS, "unit")  # ClimateChange's fields, in order


def _differs(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return not math.isclose(a, b, rel_tol=_SAME, abs_tol=0.0)
    return a != b


def _changed_fields(
    old: _Sides, new: _Sides, pairs: Sequence[tuple[int | None, int | None, str | None]]
) -> dict[int, list[str]]:
    """Position in ``pairs`` → which of ``LINE_FIELDS`` differ (in that order), for the
    matched pairs whose BOM facts differ; compared a column at a time."""
    matched = [(k, i, j) for k, (i, j, _) in enumerate(pairs) if i is not None and j is not None]
    changed: dict[int, list[str]] = {}
    for name in LINE_FIELDS:
        before, after = old.columns[name], new.columns[name]
        for k, i, j in matched:
            a, b = before[i], after[j]
            if a != b and _differs(a, b):  # equal values never differ (inf, "", None)
                changed.setdefault(k, []).append(name)
    return changed


def _line_deltas(
    before: ProductResult, after: ProductResult, fu_ratio: float, total_delta: float
) -> list[LineDelta]:
    # the lines are read once, column by column (a result holds them as columns)
    old, new = _Sides(before.lines), _Sides(after.lines)
    pairs = _matched(old.sides, new.sides, (_NamePaths(old.sides), _NamePaths(new.sides)))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # as Python's floats
        new_figures = new.figures if fu_ratio == 1.0 else new.figures * fu_ratio
        b = np.zeros((len(pairs), len(INDICATORS)))  # a missing side counts as 0
        a = np.zeros((len(pairs), len(INDICATORS)))
        has_b = np.array([i is not None for i, _, _ in pairs], dtype=bool)
        has_a = np.array([j is not None for _, j, _ in pairs], dtype=bool)
        b[has_b] = old.figures[[i for i, _, _ in pairs if i is not None]]
        a[has_a] = new_figures[[j for _, j, _ in pairs if j is not None]]
        deltas_of = a - b
        percents = np.where(has_b & (b[:, 0] != 0), 100 * deltas_of[:, 0] / b[:, 0] + 0.0, 0.0)
        moved = (deltas_of != 0.0).any(axis=1).tolist()
        shares = (deltas_of[:, 0] / total_delta).tolist() if total_delta else None
    old_rows, new_rows = old.figures.tolist(), new_figures.tolist()
    changed_of = _changed_fields(old, new, pairs)
    deltas: list[LineDelta] = []
    for k, ((i, j, how), delta_row) in enumerate(zip(pairs, deltas_of.tolist(), strict=True)):
        old_side = old.sides[i] if i is not None else None
        new_side = new.sides[j] if j is not None else None
        unit = new.units[j] if j is not None else old.units[i] if i is not None else _ZERO.unit
        figure = _fast(
            ClimateDelta,
            {
                "before": old.figure(i, old_rows[i]) if i is not None else None,
                "after": new.figure(j, new_rows[j]) if j is not None else None,
                "delta": _fast(
                    ClimateChange, dict(zip(_FIGURE_FIELDS, (*delta_row, unit), strict=True))
                ),
                "percent": float(percents[k]) if has_b[k] and old_rows[i][0] else None,
            },
        )
        changed = changed_of.get(k, [])
        status: LineStatus
        if old_side is None:
            status = "added"
        elif new_side is None:
            status = "removed"
        else:
            status = "changed" if changed or moved[k] else "unchanged"
        deltas.append(
            _fast(
                LineDelta,
                {
                    "status": status,
                    "matched_by": how,
                    "before": old_side,
                    "after": new_side,
                    "changed_fields": changed,
                    "climate_change": figure,
                    "share_of_difference": shares[k] if shares is not None else None,
                    "rank": None,
                },
            )
        )
    order = sorted(
        (k for k, d in enumerate(deltas) if d.climate_change.delta.total != 0.0),
        key=lambda k: -abs(deltas[k].climate_change.delta.total),
    )
    for rank, k in enumerate(order, start=1):
        deltas[k].rank = rank
    return deltas


def check_changes(before: Sequence[Check], after: Sequence[Check]) -> list[CheckChange]:
    old = {(c.rule_set, c.rule): c for c in before}
    new = {(c.rule_set, c.rule): c for c in after}
    keys = list(old) + [k for k in new if k not in old]
    changes = []
    for key in keys:
        b, a = old.get(key), new.get(key)
        either = b or a
        assert either is not None
        changes.append(
            CheckChange(
                rule_set=key[0],
                rule=key[1],
                title=either.title,
                kind=either.kind,
                unit=either.unit,
                status_before=b.status if b else None,
                status_after=a.status if a else None,
                status_changed=(b.status if b else None) != (a.status if a else None),
                value=value_delta(b.value if b else None, a.value if a else None),
                limit=value_delta(b.limit if b else None, a.limit if a else None),
                margin=value_delta(b.margin if b else None, a.margin if a else None),
            )
        )
    return changes


def _circularity_delta(
    before: ProductResult, after: ProductResult, fu_ratio: float
) -> CircularityDelta:
    bc, ac = before.circularity, after.circularity
    brc = bc.recycled_content if bc else None
    arc = ac.recycled_content if ac else None

    def keyed(field: str) -> dict[str, ValueDelta]:
        b: dict[str, float] = getattr(brc, field) if brc else {}
        a: dict[str, float] = getattr(arc, field) if arc else {}
        return {k: value_delta(b.get(k), a.get(k)) for k in sorted(set(b) | set(a))}

    b_cff = bc.cff.cff_total if bc and bc.cff else None
    a_cff = ac.cff.cff_total * fu_ratio if ac and ac.cff else None
    return CircularityDelta(
        recycled_share=value_delta(brc.share if brc else None, arc.share if arc else None),
        post_consumer_share=value_delta(
            brc.post_consumer_share if brc else None, arc.post_consumer_share if arc else None
        ),
        by_material=keyed("by_material"),
        by_element=keyed("by_element"),
        mci=value_delta(
            bc.mci.mci if bc and bc.mci else None, ac.mci.mci if ac and ac.mci else None
        ),
        cff_total=value_delta(b_cff, a_cff),
    )


# --------------------------------------------------------------------------------------------
# Assess and compare
# --------------------------------------------------------------------------------------------


def compare(
    base: Any,
    *alternatives: Any,
    scenarios: Sequence[Any] = (),
    pairs: Mapping[str, str] | None = None,
    fu_ratio: Mapping[str, float] | float | None = None,
    rules: Sequence[str | Path] | None = None,
    as_of: Any = None,
    datasets: Sequence[str | Path] | None = None,
    engine: Any = None,
    indicators: Any = None,
) -> Comparison:
    """Assess a base and its alternatives with one engine and compare them.

    ``base`` and each alternative: a BOM file (or folder, or ``Product`` objects, or an
    ``Assessment`` already made).  ``scenarios``: scenario files (or ``Scenario`` objects)
    applied to the base, each one more alternative.  With one base and only ``pairs``, the
    products of the base are compared with each other.
    """
    from footprint.api import Engine, _tool_version, load_rules, read_products
    from footprint.scenario import assess_with_scenarios, load_scenario

    rule_sets = load_rules(rules)
    read: list[Any] = []
    labels: list[str] = []
    problems: list[Problem] = []
    for item in (base, *alternatives):
        labels.append(_label(item, labels))
        if isinstance(item, Assessment):
            read.append(item)
            continue
        try:
            read.append(read_products(item))
        except FootprintError as error:
            problems.extend(error.problems)
    loaded = []
    for scenario in scenarios:
        try:
            loaded.append(load_scenario(scenario))
        except FootprintError as error:
            problems.extend(error.problems)
    if problems:
        raise FootprintError(problems)
    if engine is None:
        engine = Engine(datasets, indicators=indicators)
    options: dict[str, Any] = {"rule_sets": rule_sets, "as_of": as_of}
    if indicators is not None:
        options["indicators"] = indicators
    assessments: list[Assessment] = []
    for item in read:
        if isinstance(item, Assessment):
            assessments.append(item)
        else:
            products, warnings = item
            assessments.append(engine.assess_products(products, warnings, **options))
    if loaded and isinstance(read[0], tuple):
        products, warnings = read[0]
        for scenario in loaded:
            assessments.append(
                assess_with_scenarios(engine, products, warnings, [scenario], **options)
            )
            labels.append(_unique(scenario.name, labels))
    elif loaded:
        raise ValueError("scenarios apply to a base given as BOM files or products")
    alternatives_ = assessments[1:] or ([assessments[0]] if pairs else [])
    if not alternatives_:
        raise FootprintError(
            Problem(
                "nothing to compare: give a second BOM file, a --scenario, or --pair "
                "old-id=new-id for two products of one file"
            )
        )
    names = labels if assessments[1:] else [labels[0], labels[0]]
    return compare_assessments(
        assessments[0],
        alternatives_,
        labels=names,
        pairs=pairs,
        fu_ratio=fu_ratio,
        tool_version=_tool_version(),
    )


def _label(item: Any, taken: Sequence[str]) -> str:
    if isinstance(item, str | Path):
        return _unique(Path(item).name, taken)
    if isinstance(item, Assessment):
        files = sorted({p.source_file for p in item.products if p.source_file})
        return _unique(Path(files[0]).name if len(files) == 1 else "assessment", taken)
    return _unique(chr(ord("A") + len(taken)), taken)


def _unique(name: str, taken: Sequence[str]) -> str:
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"
