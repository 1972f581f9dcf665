"""The circularity of one product: CFF per material line, recycled content, MCI.

``compute_circularity(product, lines, engine)`` reads the product's BOM lines (for overrides and
where they are), the engine's lines (mass, stage, cut-off footprint per functional unit) and
the engine's unit scores of the datasets the CFF terms stand for.  It returns a
``CircularityOutcome``: the ``Circularity`` model for the JSON, the warnings, and the change
each life-cycle stage and each changed line undergoes when the CFF replaces the cut-off model
(``apply_cff`` uses them).

Which lines count
- *Mass lines*: lines with a mass and a catalog dataset that are not waste treatments (end-of-life
  stage, or an ``eol-*`` dataset).  They make
  the recycled content and the MCI.
- *CFF lines*: mass lines whose dataset has a material family.  Lines without a family keep
  their cut-off figure under the CFF model (there is nothing to take A, R2, ED … from).
- *Replaced end-of-life lines*: explicit waste-treatment lines whose dataset
  has the family of a CFF line of the product.  The CFF's R2/R3/disposal terms model that same
  end of life, so the CFF total leaves them out rather than count the end of life twice; under
  ``eol_model = "cff"`` each one gets a warning.  Under the CFF its line figure is 0.

Under the CFF a material line's figure is its CFF figure (all five terms, on each
sub-indicator), so the lines of a product still add up to its total.

Every E term is a per-kg score: the engine's score per reference unit of the mapped dataset,
converted from the dataset's unit (e.g. per tonne).  ESE is converted to per MJ to match the LHV
in MJ/kg.  A term whose multiplier is not zero but whose dataset is missing counts as 0, with a
warning; so does the energy credit when LHV or XER is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple, Protocol, TypeVar

import numpy as np
from pydantic import BaseModel

from footprint.circularity.cff import CffTerms, cff_terms
from footprint.circularity.defaults import (
    DATASET_TERMS,
    MaterialDefaults,
    load_material_defaults,
)
from footprint.circularity.mci import mci_of, utility
from footprint.circularity.parameters import (
    Findings,
    LineParameters,
    check_combinations,
    check_inputs,
)
from footprint.circularity.recycled_content import recycled_content_of
from footprint.coded_warnings import MCI_NO_RECYCLING_EFFICIENCY, coded_warning
from footprint.composition import line_composition
from footprint.errors import BomError, DatasetError, Problem
from footprint.lines import LineColumns, constructed
from footprint.model import (
    CIRCULARITY_PARAMETER_NAMES,
    STAGES,
    BomLine,
    CffLine,
    CffParameter,
    CffResult,
    Circularity,
    ClimateChange,
    Dataset,
    LineResult,
    MciResult,
    Product,
    RecycledContent,
    Stage,
    Warning_,
    is_waste_treatment,
)

M = TypeVar("M", bound=BaseModel)
_INDICATORS = ("total", "fossil", "biogenic", "luluc", "not_split")


class CatalogLike(Protocol):
    def get(self, dataset_id: str) -> Dataset: ...

    def __contains__(self, dataset_id: object) -> bool: ...


class EngineLike(Protocol):
    """What circularity needs of the engine: unit scores and the catalog."""

    @property
    def catalog(self) -> CatalogLike: ...

    def unit_score(self, dataset_id: str) -> ClimateChange: ...


class LineChange(NamedTuple):
    """A line's figure under the CFF model (per functional unit) and why it changed."""

    climate_change: ClimateChange
    note: str


@dataclass
class CircularityOutcome:
    """What ``compute_circularity`` returns.

    ``stage_changes`` holds, per stage, the CFF figure minus the cut-off figure (per functional
    unit, all sub-indicators): adding it to the cut-off ``by_stage`` gives the CFF model.
    ``line_changes`` holds, per line id, the figure a line takes under the CFF model: its CFF
    figure for a CFF line, 0 for a replaced end-of-life line; lines not named keep theirs.
    """

    circularity: Circularity
    warnings: list[Warning_] = field(default_factory=list)
    stage_changes: dict[Stage, ClimateChange] = field(default_factory=dict)
    replaced_lines: list[str] = field(default_factory=list)
    line_changes: dict[str, LineChange] = field(default_factory=dict)


@np.errstate(over="ignore", invalid="ignore")  # overflow gives inf, as Python's floats do
def compute_circularity(
    product: Product,
    lines: Sequence[LineResult],
    engine: EngineLike,
    defaults: MaterialDefaults | None = None,
) -> CircularityOutcome:
    """CFF, recycled content and MCI of one product; raises ``BomError`` on invalid parameters.

    Lines of the product with the same dataset, material family and own parameter values
    (BOMs repeat parts) form a ``_Group``: their parameters are resolved and their per-kg CFF
    terms evaluated once; each line's figures are those terms times its mass, computed for
    all lines at once, and each line still gets its own row in its parameters, problems and
    warnings.  Figures overflow to inf (or NaN) as Python's own arithmetic does, silently:
    ``footprint.finite`` reports them, located."""
    columns = _Lines(lines)
    defaults = defaults or load_material_defaults()
    findings = Findings()
    check_inputs(product.circularity, product.source, product.id, findings)
    valid: set[tuple[float | None, ...]] = {_NO_VALUES}  # value tuples found valid
    for bom_line in product.lines:
        check_inputs(bom_line.circularity, bom_line.source, product.id, findings, valid)
    bom_lines = _BomLines(product)

    catalog = _CatalogDatasets(engine)
    mass_lines = _MassLines(product, defaults)
    for k, (dataset_id, mass_kg) in enumerate(zip(columns.datasets, columns.mass, strict=True)):
        if not mass_kg:
            continue
        dataset, eol_dataset = catalog.get(dataset_id)
        if dataset is None:
            continue
        if eol_dataset or columns.stages[k] == Stage.END_OF_LIFE:  # a waste treatment
            continue
        mass_lines.add(k, bom_lines.get(columns.ids[k]), dataset, columns.materials[k], findings)
    if findings.problems:
        raise BomError(findings.problems)

    terms = _Terms(engine, defaults)
    cff_lines = [j for j, g in enumerate(mass_lines.group) if mass_lines.groups[g].family]
    for j in cff_lines:
        group = mass_lines.groups[mass_lines.group[j]]
        if group.terms is None:
            terms.evaluate(group)
        k = mass_lines.index[j]
        for message in group.warnings:
            findings.warnings.append(
                _line_warning(
                    product,
                    mass_lines.bom_line[j],
                    columns.rows[k],
                    f"CFF, line {columns.ids[k]!r}: {message}",
                )
            )
    changes = _StageChanges()
    cff, line_changes = _cff_lines(product, columns, mass_lines, cff_lines, changes)

    families = {c.material for c in cff.lines}
    replaced = []
    family_lines: dict[str, str] = {}
    for k, dataset_id in enumerate(columns.datasets if families else ()):
        dataset, eol_dataset = catalog.get(dataset_id)
        if dataset is None or not (eol_dataset or columns.stages[k] == Stage.END_OF_LIFE):
            continue
        family = (dataset.material or columns.materials[k] or "").lower()
        if family not in families:
            continue
        line_id = columns.ids[k]
        replaced.append(line_id)
        changes.add(columns.stages[k], -columns.figures[k])
        if family not in family_lines:
            family_lines[family] = ", ".join(c.line for c in cff.lines if c.material == family)
        line_changes[line_id] = LineChange(
            ClimateChange(unit=columns.units[k]),
            f"0 under the CFF: the CFF of {family} (line {family_lines[family]}) models this "
            "end of life",
        )
        if product.eol_model == "cff":
            findings.warnings.append(
                _line_warning(
                    product,
                    bom_lines.get(line_id),
                    columns.rows[k],
                    f"end-of-life line {line_id!r} ({dataset_id}) is left out of the CFF "
                    f"total: the CFF already models the end of life of {family}",
                )
            )

    stage_changes = changes.figures()
    cut_off_total = sum(columns.totals, 0.0)
    cff.cut_off_total = cut_off_total
    cff.cff_total = cut_off_total + sum(c.total for c in stage_changes.values())
    if cff.lines:  # the five stages under the CFF: cut-off sums plus each stage's change
        unit = columns.units[0]
        stage_of = _stage_codes(columns.stages)
        for code, stage in enumerate(STAGES):
            cut_off = _running_sum(columns.figures[stage_of == code])
            change = _vector(stage_changes.get(stage, ClimateChange()))
            cff.by_stage[stage] = _figure(cut_off + change, unit)

    if mass_lines.index:
        content, mci = _recycled_content_and_mci(product, columns, mass_lines, findings)
    else:  # no mass line: nothing to take recycled content and an MCI of
        content, mci = RecycledContent(), None
    return CircularityOutcome(
        circularity=Circularity(cff=cff if cff.lines else None, recycled_content=content, mci=mci),
        warnings=findings.warnings,
        stage_changes=stage_changes,
        replaced_lines=replaced,
        line_changes=line_changes,
    )


def _recycled_content_and_mci(
    product: Product, columns: _Lines, mass_lines: _MassLines, findings: Findings
) -> tuple[RecycledContent, MciResult]:
    shares = mass_lines.shares()
    mass = np.array([columns.mass[k] or 0.0 for k in mass_lines.index], dtype=float)
    content = recycled_content_of(
        mass,
        shares["recycled"],
        [mass_lines.groups[g].shares().post_consumer for g in mass_lines.group],
        shares["recyclable"],
        [mass_lines.groups[g].family for g in mass_lines.group],
        mass_lines.compositions(),
    )
    return content, _product_mci(product, mass, mass_lines, shares, findings)


_NO_VALUES: tuple[None, ...] = (None,) * len(CIRCULARITY_PARAMETER_NAMES)
_TERMS = ("virgin", "recycled_input", "recycling_credit", "energy", "disposal")
_ALL_SET: dict[type[BaseModel], frozenset[str]] = {
    model: frozenset(model.model_fields) for model in (CffLine, ClimateChange, CffParameter)
}


class _Lines:
    """The engine's lines as circularity reads them: one list (or array) per field, each read
    when first needed (most lines of a big product are not mass lines)."""

    def __init__(self, lines: Sequence[LineResult]) -> None:
        self._columns = lines if isinstance(lines, LineColumns) else None
        self._items = None if isinstance(lines, LineColumns) else list(lines)

    def _values(self, name: str) -> list[Any]:
        if self._columns is not None:  # the engine's: read the column, build no line
            return self._columns.values(name)
        return [getattr(line, name) for line in self._items or ()]

    @cached_property
    def ids(self) -> list[str]:
        return self._values("id")

    @cached_property
    def paths(self) -> list[str]:
        return self._values("path")

    @cached_property
    def datasets(self) -> list[str | None]:
        return self._values("dataset")

    @cached_property
    def materials(self) -> list[str | None]:
        return self._values("material")

    @cached_property
    def stages(self) -> list[Stage]:
        return self._values("stage")

    @cached_property
    def mass(self) -> list[float | None]:
        return self._values("mass_kg")

    @cached_property
    def rows(self) -> list[int | None]:
        return self._values("row")

    @cached_property
    def units(self) -> list[str]:
        if self._columns is not None:
            return self._columns.values("climate_change.unit")
        return [line.climate_change.unit for line in self._items or ()]

    @cached_property
    def totals(self) -> list[float]:
        """Each line's climate-change total."""
        if self._columns is not None:
            return self._columns.values("climate_change.total")
        return [line.climate_change.total for line in self._items or ()]

    @cached_property
    def figures(self) -> np.ndarray:
        """(lines, 5): the climate-change parts, in ``_INDICATORS`` order."""
        if self._columns is not None:
            parts = [self._columns.array(f"climate_change.{name}") for name in _INDICATORS]
        else:
            items = self._items or []
            parts = [
                np.array([getattr(line.climate_change, name) for line in items], dtype=float)
                for name in _INDICATORS
            ]
        return np.column_stack(parts) if len(self.units) else np.zeros((0, len(_INDICATORS)))


class _BomLines:
    """The product's BOM line of a line id (indexed when first asked)."""

    def __init__(self, product: Product) -> None:
        self._product = product

    @cached_property
    def _by_id(self) -> dict[str, BomLine]:
        return {line.id: line for line in self._product.lines}

    def get(self, line_id: str) -> BomLine | None:
        return self._by_id.get(line_id)


class _CatalogDatasets:
    """The catalog's dataset of each dataset id (None: no catalog dataset), and whether the
    id names a waste treatment (``model.is_waste_treatment``), looked up once per id."""

    def __init__(self, engine: EngineLike) -> None:
        self._catalog = engine.catalog
        self._found: dict[str | None, tuple[Dataset | None, bool]] = {}

    def get(self, dataset_id: str | None) -> tuple[Dataset | None, bool]:
        try:
            return self._found[dataset_id]
        except KeyError:
            found = _catalog_dataset(self._catalog, dataset_id)
            eol = is_waste_treatment(Stage.RAW_MATERIALS, dataset_id)
            self._found[dataset_id] = (found, eol)
            return found, eol


@dataclass
class _Shares:
    """What the recycled content and the MCI take of a group's parameters."""

    recycled: float  # R1 (FR)
    post_consumer: float | None
    recyclable: float  # R2 (CR)
    reuse: float  # FU
    reuse_rate: float  # CU
    efficiency_eol: float | None  # EC
    efficiency_feedstock: float | None  # EF


@dataclass
class _Group:
    """Mass lines of a product with the same dataset, family and own parameter values.

    ``params`` are resolved on the group's first line.  Set by ``_Terms.evaluate`` (lines with
    a family): the per-kg CFF terms (indicator × term), the parameters used as the JSON shows
    them (``own``: those the line gives itself, shown with each line's row), the assumptions,
    the warnings (said of each line) and the note of a CFF line."""

    params: LineParameters
    family: str | None
    invalid: bool = False  # a combination of values is invalid (each line says where)
    terms: np.ndarray | None = None
    used: dict[str, CffParameter] = field(default_factory=dict)
    own: frozenset[str] = frozenset()
    assumptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    _shares: _Shares | None = None

    def parameters(self, bom_line: BomLine | None) -> dict[str, CffParameter]:
        """The parameters of one line of the group: its own values with its own row."""
        if not self.own:
            return dict(self.used)
        source = _row_note(bom_line)
        return {
            symbol: _constructed(
                CffParameter, {"value": parameter.value, "origin": "bom line", "source": source}
            )
            if symbol in self.own
            else parameter
            for symbol, parameter in self.used.items()
        }

    def shares(self) -> _Shares:
        """R1, R2 … for the recycled content and the MCI (after the CFF: they add to the
        ``used`` of ``params`` only what the CFF did not use)."""
        if self._shares is None:
            params = self.params
            self._shares = _Shares(
                recycled=params.value("recycled_content", 0.0, "no recycled content declared"),
                post_consumer=params.get("recycled_content_post_consumer"),
                recyclable=params.value("eol_recycling_rate", 0.0, "no R2 declared or default"),
                reuse=params.value("reuse_share", 0.0, "no reuse declared"),
                reuse_rate=params.value("eol_reuse_rate", 0.0, "no reuse declared"),
                efficiency_eol=params.get("recycling_efficiency_eol"),
                efficiency_feedstock=params.get("recycling_efficiency_feedstock"),
            )
        return self._shares


class _MassLines:
    """The product's mass lines, field by field (one list per field, one item per line), and
    the groups they fall in (``_Group``: same dataset, family and own parameter values)."""

    def __init__(self, product: Product, defaults: MaterialDefaults) -> None:
        self.product = product
        self.defaults = defaults
        self.index: list[int] = []  # position among the engine's lines
        self.bom_line: list[BomLine | None] = []
        self.dataset: list[Dataset] = []
        self.group: list[int] = []  # position in ``groups``
        self.groups: list[_Group] = []
        self._keys: dict[tuple[object, ...], int] = {}
        # values of the product, dataset and default levels, resolved once per product
        self._shared: dict[tuple[str, str | None, str], CffParameter | None] = {}

    def add(
        self,
        index: int,
        bom_line: BomLine | None,
        dataset: Dataset,
        material: str | None,
        findings: Findings,
    ) -> None:
        """One mass line; an invalid combination of its values is a problem at its row."""
        family = (dataset.material or material or "").lower() or None
        own = tuple(bom_line.circularity.__dict__.values()) if bom_line is not None else None
        key = (dataset.id, family, own)
        position = self._keys.get(key)
        if position is None:
            params = self._parameters(bom_line, dataset, family)
            checked = Findings()
            check_combinations(params, checked)
            position = self._keys[key] = len(self.groups)
            self.groups.append(_Group(params, family, invalid=bool(checked.problems)))
        if self.groups[position].invalid:  # each line's own problems, at its own row
            check_combinations(self._parameters(bom_line, dataset, family), findings)
        self.index.append(index)
        self.bom_line.append(bom_line)
        self.dataset.append(dataset)
        self.group.append(position)

    def _parameters(
        self, bom_line: BomLine | None, dataset: Dataset, family: str | None
    ) -> LineParameters:
        return LineParameters(self.product, bom_line, dataset, family, self.defaults, self._shared)

    def shares(self) -> dict[str, np.ndarray]:
        """Each line's R1, R2 … (its group's), one array per ``_Shares`` float field."""
        per_group = [g.shares() for g in self.groups]
        group = np.array(self.group, dtype=np.intp)
        out = {}
        for name in ("recycled", "recyclable", "reuse", "reuse_rate"):
            out[name] = np.array([getattr(s, name) for s in per_group], dtype=float)[group]
        for name in ("efficiency_eol", "efficiency_feedstock"):  # missing: 1, warned
            values = [1.0 if getattr(s, name) is None else getattr(s, name) for s in per_group]
            out[name] = np.array(values, dtype=float)[group]
        return out

    def compositions(self) -> list[dict[str, float]]:
        """Each line's element fractions: its BOM composition, else chemistry, else the
        dataset's (looked up once per dataset for the lines that give neither)."""
        of_dataset: dict[str, dict[str, float]] = {}
        out = []
        for bom_line, dataset in zip(self.bom_line, self.dataset, strict=True):
            if bom_line is not None and (bom_line.composition or bom_line.chemistry):
                out.append(_fractions(bom_line, dataset))
                continue
            if dataset.id not in of_dataset:
                of_dataset[dataset.id] = _fractions(None, dataset)
            out.append(of_dataset[dataset.id])
        return out


class _StageChanges:
    """What the CFF changes in each stage, summed in the order the changes come (one line
    after the other, as a running sum per stage)."""

    def __init__(self) -> None:
        self._stages: list[np.ndarray] = []  # stage codes (``_CODE``), one per row
        self._figures: list[np.ndarray] = []  # rows of changes

    def add(self, stage: Stage | np.ndarray, figures: np.ndarray) -> None:
        """One change (``stage``, a vector) or several (a stage code per row of ``figures``)."""
        if isinstance(stage, Stage):
            self._stages.append(np.array([_CODE[stage]], dtype=np.intp))
            self._figures.append(figures.reshape(1, -1))
        else:
            self._stages.append(stage)
            self._figures.append(figures)

    def figures(self) -> dict[Stage, ClimateChange]:
        """Each stage's change (stages in the order they were first changed)."""
        if not self._stages:
            return {}
        rows, stages = np.concatenate(self._figures), np.concatenate(self._stages)
        first = sorted(np.unique(stages, return_index=True)[1].tolist())
        return {STAGES[stages[n]]: _figure(_running_sum(rows[stages == stages[n]])) for n in first}


_CODE = {stage: code for code, stage in enumerate(STAGES)}


def _stage_codes(stages: Sequence[Stage]) -> np.ndarray:
    return np.array([_CODE[s] for s in stages], dtype=np.intp)


def _running_sum(rows: np.ndarray) -> np.ndarray:
    """0 + row 1 + row 2 + … one after the other, per column (as adding the figures in a loop
    would: not NumPy's pairwise sum)."""
    start = np.zeros((1, len(_INDICATORS)))
    return np.cumsum(np.concatenate([start, rows]), axis=0)[-1]


def _vector(figure: ClimateChange) -> np.ndarray:
    return np.array([getattr(figure, name) for name in _INDICATORS])


def _figure(vector: np.ndarray, unit: str | None = None) -> ClimateChange:
    parts = dict(zip(_INDICATORS, vector.tolist(), strict=True))
    return ClimateChange(**parts) if unit is None else ClimateChange(**parts, unit=unit)


def _cff_lines(
    product: Product,
    columns: _Lines,
    mass_lines: _MassLines,
    cff_lines: list[int],
    changes: _StageChanges,
) -> tuple[CffResult, dict[str, LineChange]]:
    """The CFF of each line with a family (its group's per-kg terms × its mass per FU), the
    product's CFF parts, and the stage changes: each line's cut-off figure leaves its stage,
    its virgin and recycled-input terms join raw materials, the rest end of life."""
    cff = CffResult()
    if not cff_lines:
        return cff, {}
    index = [mass_lines.index[j] for j in cff_lines]
    numbers = [mass_lines.group[j] for j in cff_lines]
    groups = [mass_lines.groups[g] for g in numbers]
    mass = [columns.mass[k] or 0.0 for k in index]
    factor = np.array(mass) * product.reference_flow
    blank = np.zeros((len(_INDICATORS), len(_TERMS)))  # groups without a family: no terms
    group_terms = np.stack([blank if g.terms is None else g.terms for g in mass_lines.groups])
    per_kg = group_terms[numbers]  # line × indicator × term
    scaled = per_kg * factor[:, None, None]
    material = scaled[:, :, 0] + scaled[:, :, 1] + scaled[:, :, 2]
    figures = material + scaled[:, :, 3] + scaled[:, :, 4]  # each indicator's CFF total
    raw = (per_kg[:, :, 0] + per_kg[:, :, 1]) * factor[:, None]
    end = (per_kg[:, :, 2] + per_kg[:, :, 3] + per_kg[:, :, 4]) * factor[:, None]
    steps = np.empty((3 * len(index), len(_INDICATORS)))
    steps[0::3], steps[1::3], steps[2::3] = -columns.figures[index], raw, end
    stages = np.empty(3 * len(index), dtype=np.intp)
    stages[0::3] = _stage_codes([columns.stages[k] for k in index])
    stages[1::3], stages[2::3] = _CODE[Stage.RAW_MATERIALS], _CODE[Stage.END_OF_LIFE]
    changes.add(stages, steps)

    terms = scaled[:, 0, :].tolist()  # the total indicator's five terms
    material_part = material[:, 0].tolist()
    total = figures[:, 0].tolist()
    bom_lines = [mass_lines.bom_line[j] for j in cff_lines]
    ids, paths, units = columns.ids, columns.paths, columns.units
    line_changes: dict[str, LineChange] = {}
    for j, (k, group, figure) in enumerate(zip(index, groups, figures.tolist(), strict=True)):
        climate_change = _constructed(
            ClimateChange,
            {
                "total": figure[0],
                "fossil": figure[1],
                "biogenic": figure[2],
                "luluc": figure[3],
                "not_split": figure[4],
                "unit": units[k],
            },
        )
        virgin, recycled_input, recycling_credit, energy, disposal = terms[j]
        cff.lines.append(
            _constructed(
                CffLine,
                {
                    "line": ids[k],
                    "path": paths[k],
                    "material": group.family,
                    "mass_kg": mass[j],
                    "material_part": material_part[j],
                    "virgin": virgin,
                    "recycled_input": recycled_input,
                    "recycling_credit": recycling_credit,
                    "energy_part": energy,
                    "disposal_part": disposal,
                    "total": total[j],
                    "climate_change": climate_change,
                    "parameters": group.parameters(bom_lines[j]),
                    "assumptions": list(group.assumptions),
                },
            )
        )
        line_changes[ids[k]] = LineChange(climate_change, group.note)
    cff.material_part = sum(material_part)
    cff.energy_part = sum(scaled[:, 0, 3].tolist())
    cff.disposal_part = sum(scaled[:, 0, 4].tolist())
    cff.total = sum(total)
    return cff, line_changes


def _constructed(cls: type[M], values: dict[str, object]) -> M:
    """A model of values that have their fields' types already, every field given."""
    return constructed(cls, values, _ALL_SET[cls])


def _row_note(bom_line: BomLine | None) -> str | None:
    if bom_line is None or bom_line.source.row is None:
        return None
    return f"row {bom_line.source.row}"


def _fractions(bom_line: BomLine | None, dataset: Dataset) -> dict[str, float]:
    """Element fractions of a line: BOM composition, else chemistry, else the dataset's."""
    found = line_composition(bom_line, dataset)
    return found.fractions if found is not None else {}


def _catalog_dataset(catalog: CatalogLike, dataset_id: str | None) -> Dataset | None:
    if dataset_id is None or dataset_id not in catalog:
        return None
    return catalog.get(dataset_id)


def _line_warning(
    product: Product, bom_line: BomLine | None, row: int | None, message: str
) -> Warning_:
    source = bom_line.source if bom_line is not None else None
    return Warning_(
        message=message,
        file=source.file if source else None,
        sheet=source.sheet if source else None,
        row=source.row if source else row,
        product=product.id,
    )


class _Terms:
    """Evaluates the CFF of a group of lines on each indicator, from parameters and dataset
    scores."""

    def __init__(self, engine: EngineLike, defaults: MaterialDefaults) -> None:
        self.engine = engine
        self.defaults = defaults
        # the same dataset's score per kg (or MJ), and the parameter naming it, serve every
        # line of the product that uses it: computed once
        self._scores: dict[tuple[str, str], ClimateChange] = {}
        self._named: dict[tuple[str, str, str], CffParameter] = {}
        self._heard: list[str] = []

    def evaluate(self, group: _Group) -> None:
        """The group's per-kg CFF terms (indicator × term), the parameters used, the
        assumptions and the warnings (in words, without the line)."""
        params = group.params
        self._heard = []
        per_indicator = self._line_terms(params)
        group.terms = np.array(
            [[getattr(per_indicator[k], term) for term in _TERMS] for k in _INDICATORS]
        )
        group.used = dict(params.used)
        group.own = frozenset(s for s, p in group.used.items() if p.origin == "bom line")
        group.assumptions = list(params.assumptions)
        group.warnings = self._heard
        assumed = f"; {'; '.join(params.assumptions)}" if params.assumptions else ""
        group.note = (
            f"CFF figure of {params.family}: its raw-material and end-of-life parts{assumed}"
        )

    def _line_terms(self, params: LineParameters) -> dict[str, CffTerms]:
        r1 = params.value("recycled_content", 0.0, "no recycled content declared")  # R1
        r2 = params.value("eol_recycling_rate", 0.0, "no R2 declared or default")  # R2
        r3 = params.value("eol_energy_recovery_rate", 0.0, "no R3 declared or default")  # R3
        a = params.value("cff_a", 0.5, "no A declared or default")  # A
        b = params.value("cff_b", 0.0, "no B declared or default")  # B
        qsin = params.value("cff_qsin_qp", 1.0, "no Qsin/Qp declared or default")  # Qsin/Qp
        qsout = params.value("cff_qsout_qp", 1.0, "no Qsout/Qp declared or default")  # Qsout/Qp

        needs = {
            "ev": (1 - r1) > 0 or r1 * (1 - a) * qsin > 0,
            "erecycled": r1 * a > 0,
            "erecycling_eol": (1 - a) * r2 > 0,
            "ev_star": (1 - a) * r2 * qsout > 0,
            "eer": (1 - b) * r3 > 0,
            "ed": (1 - r2 - r3) > 0,
        }
        scores = {term: self._score(params, term, needed) for term, needed in needs.items()}
        if scores["ev_star"] is None and scores["ev"] is not None:
            scores["ev_star"] = scores["ev"]  # E*v = Ev: the recyclate replaces the same material
            params.used["E*v"] = params.used["Ev"].model_copy(
                update={"source": f"= Ev ({params.used['Ev'].source})"}
            )
        self._conservative(params, needs, scores, qsout)

        energy = self._energy_credit(params, needed=(1 - b) * r3 > 0)
        result = {}
        for indicator in _INDICATORS:
            e = {k: getattr(v, indicator) if v is not None else 0.0 for k, v in scores.items()}
            result[indicator] = cff_terms(
                a=a, b=b, r1=r1, r2=r2, r3=r3, qsin_qp=qsin, qsout_qp=qsout,
                ev=e["ev"], erecycled=e["erecycled"], erecycling_eol=e["erecycling_eol"],
                ev_star=e["ev_star"], eer=e["eer"], ed=e["ed"],
                lhv=energy.lhv, xer_heat=energy.xer_heat, xer_elec=energy.xer_elec,
                ese_heat=getattr(energy.ese_heat, indicator),
                ese_elec=getattr(energy.ese_elec, indicator),
            )  # fmt: skip
        return result

    def _conservative(
        self,
        params: LineParameters,
        needs: dict[str, bool],
        scores: dict[str, ClimateChange | None],
        qsout: float,
    ) -> None:
        """Fill a missing E term so that it cannot flatter the figure, and say so.

        Erecycled → Ev (the recycled input carries the virgin burden); ErecyclingEoL →
        E*v·Qsout/Qp (no net recycling credit); EER → ED (incineration burdened like disposal).
        A term with nothing to fall back on stays 0, with a warning and an assumption."""
        fills = (
            ("erecycled", "ev", 1.0, "the recycled input carries the virgin burden"),
            ("erecycling_eol", "ev_star", qsout, "no net recycling credit is counted"),
            ("eer", "ed", 1.0, "energy recovery is burdened like disposal"),
        )
        for term, fallback, factor, why in fills:
            if not needs[term] or scores[term] is not None:
                continue
            symbol, other = DATASET_TERMS[term], DATASET_TERMS[fallback]
            base = scores[fallback]
            if base is None:
                params.assumptions.append(f"{symbol} missing, counted as 0 (no {other} either)")
                continue
            scores[term] = base.scaled(factor)
            source = params.used[other].source if other in params.used else None
            params.used[symbol] = CffParameter(
                value=scores[term].total,  # type: ignore[union-attr]
                origin="default",
                source=f"no {symbol} dataset for {params.family}: taken = {other}"
                + (" × Qsout/Qp" if factor != 1.0 else "")
                + f" ({source}), conservative: {why}",
            )
            params.assumptions.append(f"{symbol} = {other} (conservative: {why})")
        if needs["ed"] and scores["ed"] is None:
            params.assumptions.append("ED missing, counted as 0")

    def _score(self, params: LineParameters, term: str, needed: bool) -> ClimateChange | None:
        """Per-kg score of an E term: the line's own dataset for Ev/Erecycled (and for E*v when
        it supplies Ev: the recyclate replaces that same material), else the default."""
        symbol = DATASET_TERMS[term]
        own = params.dataset
        if own is not None and (
            (term in ("ev", "ev_star") and not own.recycled)
            or (term == "erecycled" and own.recycled)
        ):
            score = self._per_unit(own, "kg")
            key = ("own", own.id, term)
            if key not in self._named:
                source = f"{own.id} (the line's dataset)"
                if term == "ev_star":
                    source = f"= Ev: {source}, the recyclate replaces the same material"
                self._named[key] = CffParameter(value=score.total, origin="dataset", source=source)
            params.used[symbol] = self._named[key]
            return score
        default = self.defaults.get(params.family, term)
        if default is None or str(default.value) not in self.engine.catalog:
            if needed and term != "ev_star":
                missing = "no default dataset" if default is None else f"{default.value} missing"
                filled = {
                    "erecycled": "taken = Ev (conservative)",
                    "erecycling_eol": "taken = E*v·Qsout/Qp: no net credit (conservative)",
                    "eer": "taken = ED (conservative)",
                }.get(term, "counted as 0")
                self._warn(f"{symbol} of {params.family}: {missing}; {filled}")
            return None
        dataset = self.engine.catalog.get(str(default.value))
        score = self._per_unit(dataset, "kg")
        params.used[symbol] = self._default_parameter(dataset, score, default.citation)
        return score

    def _default_parameter(
        self, dataset: Dataset, score: ClimateChange, citation: str | None
    ) -> CffParameter:
        key = ("default", dataset.id, citation or "")
        if key not in self._named:
            self._named[key] = CffParameter(
                value=score.total, origin="default", source=f"{dataset.id}: {citation}"
            )
        return self._named[key]

    def _energy_credit(self, params: LineParameters, needed: bool) -> _Energy:
        lhv = params.get("cff_lhv")  # LHV, MJ/kg
        xer_heat = params.get("cff_xer_heat")  # XER,heat
        xer_elec = params.get("cff_xer_elec")  # XER,elec
        if not needed:
            return _Energy()
        if lhv is None or (xer_heat is None and xer_elec is None):
            self._warn(
                f"R3 > 0 but LHV or XER of {params.family} is not given: the energy-recovery "
                "credit is not counted (give cff_lhv, cff_xer_heat, cff_xer_elec)",
            )
            return _Energy()
        energy = _Energy(lhv=lhv, xer_heat=xer_heat or 0.0, xer_elec=xer_elec or 0.0)
        for term, attribute, xer in (
            ("ese_heat", "ese_heat", energy.xer_heat),
            ("ese_elec", "ese_elec", energy.xer_elec),
        ):
            default = self.defaults.get(params.family, term)
            if default is None or str(default.value) not in self.engine.catalog:
                if xer > 0:
                    self._warn(f"{DATASET_TERMS[term]} has no dataset; counted as 0")
                continue
            dataset = self.engine.catalog.get(str(default.value))
            score = self._per_unit(dataset, "MJ")
            setattr(energy, attribute, score)
            params.used[DATASET_TERMS[term]] = self._default_parameter(
                dataset, score, default.citation
            )
        return energy

    def _per_unit(self, dataset: Dataset, unit: str) -> ClimateChange:
        """The engine's score of ``dataset`` per ``unit`` (kg or MJ) instead of its own unit."""
        key = (dataset.id, unit)
        if key not in self._scores:
            self._scores[key] = self._score_per(dataset, unit)
        return self._scores[key]

    def _score_per(self, dataset: Dataset, unit: str) -> ClimateChange:
        try:
            amount = _amount_in(dataset.unit, unit)
        except ValueError as error:
            raise DatasetError(
                Problem(
                    f"dataset {dataset.id} is per {dataset.unit}; the CFF needs it per {unit} "
                    f"({error})",
                    file=dataset.origin.file,
                    row=dataset.origin.row,
                    column="unit",
                )
            ) from None
        return self.engine.unit_score(dataset.id).scaled(1 / amount)

    def _warn(self, message: str) -> None:
        self._heard.append(message)


@dataclass
class _Energy:
    lhv: float = 0.0  # LHV, MJ/kg
    xer_heat: float = 0.0  # XER,heat
    xer_elec: float = 0.0  # XER,elec
    ese_heat: ClimateChange = field(default_factory=ClimateChange)  # ESE,heat per MJ
    ese_elec: ClimateChange = field(default_factory=ClimateChange)  # ESE,elec per MJ


@lru_cache(maxsize=64)
def _amount_in(reference_unit: str, unit: str) -> float:
    """How many ``unit`` one ``reference_unit`` is (e.g. 1 t = 1000 kg, 1 kWh = 3.6 MJ)."""
    from footprint.units import amount_in  # the project's one registry (piece, t*km …)

    return amount_in(reference_unit, unit)


def _product_mci(
    product: Product,
    mass: np.ndarray,
    mass_lines: _MassLines,
    shares: dict[str, np.ndarray],
    findings: Findings,
) -> MciResult:
    """The MCI over the product's mass lines; EC/EF missing where needed count as 1, warned."""
    assumed: set[str] = set()
    for group in mass_lines.groups:
        values = group.shares()
        fr, cr = values.recycled, values.recyclable  # FR, CR
        if (values.efficiency_eol is None and cr > 0) or (
            values.efficiency_feedstock is None and fr > 0
        ):
            assumed.add(group.family or "(no material family)")
    recycled, feedstock = shares["recycled"], shares["efficiency_feedstock"]
    if ((recycled > 0) & (feedstock == 0)).any():
        raise BomError(
            product.source.problem(
                "EF (recycling_efficiency_feedstock) is 0 for a line with recycled content; "
                "it must be > 0",
                column="recycling_efficiency_feedstock",
            )
        )
    if assumed:  # one warning per product: the same advice for every family (coded, so a
        # batch counts it per family across products)
        findings.warnings.append(
            coded_warning(MCI_NO_RECYCLING_EFFICIENCY, assumed, product=product.id)
        )
    try:
        x, notes = utility(
            product.lifetime,
            product.lifetime_industry_average,
            product.use_intensity,
            product.use_intensity_industry_average,
        )
    except ValueError as error:
        raise BomError(
            product.source.problem(
                f"MCI utility: {error}",
                column="lifetime",
            )
        ) from None
    findings.warnings.extend(Warning_(message=n, product=product.id) for n in notes)
    return mci_of(
        mass,
        recycled,
        shares["reuse"],
        shares["recyclable"],
        shares["reuse_rate"],
        shares["efficiency_eol"],
        feedstock,
        x,
    )
