"""The data the product passes from room to room, as pydantic models.

Inputs (what the readers produce):  ``Product`` with its ``BomLine`` tree, and ``Dataset``
records from the catalog.  Results (what the engine, circularity and compliance produce and
the reports read): ``Assessment`` → ``ProductResult`` → ``LineResult``, ``Circularity``,
``Check``.  The JSON schema users rely on (``footprint schema``) is ``Assessment``'s.

Conventions
- Masses are kilograms, energies kWh, unless a field says otherwise.
- Shares are fractions in [0, 1] (a BOM may write "35 %"; the reader converts).
- ``row`` is the row number as the spreadsheet shows it, header = row 1.
- Climate-change results are kg CO2-eq.  A product's ``climate_change`` and every line's
  ``climate_change`` are per functional unit (product footprint × reference flow), so the
  lines of a product add up to its total, for the total and for each sub-indicator, under
  either end-of-life model.
- End-of-life model ``cff`` (PEF Circular Footprint Formula): a material line's
  ``climate_change`` is its CFF figure (material + energy + disposal parts); an explicit
  end-of-life line whose end of life the CFF already models counts 0; other lines keep their
  figure.  A changed line keeps its cut-off figure in ``climate_change_cut_off`` and says why
  in ``note``.  A CFF line's figure spans two stages: ``by_stage`` puts its virgin and
  recycled-input terms under raw materials and its recycling credit, energy and disposal
  terms under end of life, while the line's ``stage`` names the stage of its BOM row.  So
  summing lines by ``stage`` differs from ``by_stage`` exactly by that split (for lines in
  the raw-material stage: by the end-of-life parts); the product total is the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from footprint.errors import Problem
from footprint.sourcing.results import SourcingResult

if TYPE_CHECKING:  # reports are imported lazily: the model must not depend on them
    import pandas as pd
    import plotly.graph_objects as go

SCHEMA_VERSION = "1.0"

Scalar = str | float | int | bool | None


class Stage(StrEnum):
    """The five PEF life-cycle stages (Recommendation (EU) 2021/2279, Annex I)."""

    RAW_MATERIALS = "raw materials"
    MANUFACTURING = "manufacturing"
    DISTRIBUTION = "distribution"
    USE = "use"
    END_OF_LIFE = "end of life"


STAGES: tuple[Stage, ...] = tuple(Stage)


def is_waste_treatment(stage: Stage, dataset: str | None) -> bool:
    """A line that treats waste rather than supplies material: it is in the end-of-life stage,
    or links an ``eol-*`` dataset (the shipped library's naming of waste treatments, which
    catches a line whose stage was left at its default).  Such lines are not product mass."""
    return stage == Stage.END_OF_LIFE or (dataset or "").startswith("eol-")


EolModel = Literal["cut-off", "cff"]


class _Model(BaseModel):
    # NaN/inf are written as the JSON-invalid NaN/Infinity, not null, so that to_json can
    # refuse them (a null total would read as "no figure")
    model_config = ConfigDict(
        extra="forbid", validate_assignment=False, ser_json_inf_nan="constants"
    )


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


class _Record(_Model):
    """An input record held by the million (a BOM line and its parts).  The records of one
    product that set the same fields share one fields-set (pydantic's set of the fields
    given, most of a small record's memory; ``share_fields_sets``); an assignment copies it
    first, so each record's ``model_fields_set`` stays its own."""

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        super().__delattr__(name)


def share_fields_sets(records: Sequence[_Record]) -> None:
    """Records with equal fields-sets share the first one's (see ``_Record``)."""
    last: Any = None
    seen: dict[frozenset[str], set[str]] = {}
    for record in records:
        given = record.__pydantic_fields_set__
        if given != last:  # most lines set the fields their neighbour sets
            last = seen.setdefault(frozenset(given), given)
        if given is not last:
            object.__setattr__(record, "__pydantic_fields_set__", last)


class SourceRef(_Record):
    """Where an input record came from, for error messages that name file, sheet and row."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None

    def problem(self, message: str, column: str | None = None) -> Problem:
        """A problem located at this record (and, when given, one of its columns)."""
        return Problem(message, file=self.file, sheet=self.sheet, row=self.row, column=column)


class CircularityParameters(_Record):
    """Circular Footprint Formula / MCI parameters a BOM line or product may override.

    Every field is optional: ``None`` means "use the next level" (line → product → the
    material family's default in ``datasets/circularity/material_defaults.csv``).
    The BOM column of each field is its name.
    """

    recycled_content: float | None = Field(None, description="R1, share of recycled input")
    recycled_content_post_consumer: float | None = Field(
        None, description="the post-consumer part of R1 (a share of the line's mass, ≤ R1)"
    )
    eol_recycling_rate: float | None = Field(None, description="R2, share recycled at end of life")
    eol_energy_recovery_rate: float | None = Field(
        None, description="R3, share sent to energy recovery at end of life"
    )
    cff_a: float | None = Field(None, description="A, allocation factor of recycling (0.2–0.8)")
    cff_b: float | None = Field(None, description="B, allocation factor of energy recovery")
    cff_qsin_qp: float | None = Field(None, description="Qsin/Qp, quality ratio of recycled input")
    cff_qsout_qp: float | None = Field(None, description="Qsout/Qp, quality ratio of recyclate")
    cff_lhv: float | None = Field(None, description="LHV, lower heating value, MJ/kg")
    cff_xer_heat: float | None = Field(None, description="XER,heat, energy recovery efficiency")
    cff_xer_elec: float | None = Field(None, description="XER,elec, energy recovery efficiency")
    reuse_share: float | None = Field(None, description="FU (MCI), share of input from reuse")
    eol_reuse_rate: float | None = Field(None, description="CU (MCI), share reused at end of life")
    recycling_efficiency_eol: float | None = Field(
        None, description="EC (MCI), efficiency of the end-of-life recycling process"
    )
    recycling_efficiency_feedstock: float | None = Field(
        None, description="EF (MCI), efficiency of the process producing recycled feedstock"
    )


CIRCULARITY_PARAMETER_NAMES: tuple[str, ...] = tuple(CircularityParameters.model_fields)


class BomLine(_Record):
    """One row of the BOM sheet, validated; quantities still in the unit the user wrote."""

    id: str
    parent: str | None = None
    name: str | None = None
    quantity: float = Field(description="amount per one parent assembly (or per product)")
    unit: str = Field(description="canonical pint unit string, e.g. 'kg', 'kWh', 't*km', 'piece'")
    dataset: str | None = Field(None, description="catalog id or '<database>::<activity code>'")
    stage: Stage = Stage.RAW_MATERIALS
    mass_per_piece_kg: float | None = Field(None, description="for pieces of a per-mass dataset")
    circularity: CircularityParameters = Field(default_factory=CircularityParameters)
    country: str | None = None
    supplier: str | None = None
    smelter_id: str | None = None
    certification: str | None = None
    composition: dict[str, float] = Field(
        default_factory=dict, description="element → mass fraction of the line, as declared"
    )
    chemistry: str | None = Field(
        None, description="active material (NMC811, LFP, graphite …); element shares computed"
    )
    active_material: bool | None = Field(
        None, description="battery active material (Art. 8); None: decided by material family"
    )
    extra: dict[str, Scalar] = Field(
        default_factory=dict, description="unknown columns, passed through to the outputs"
    )
    source: SourceRef = Field(default_factory=SourceRef)


class Product(_Model):
    """A product: its BOM lines (a tree through ``parent``) and the ``Products`` sheet row."""

    id: str
    name: str | None = None
    functional_unit: str | None = None
    reference_flow: float = Field(1.0, description="products per functional unit")
    category: str | None = None
    placed_on_market: date | None = None
    lifetime: float | None = Field(None, description="L, service life in years")
    lifetime_industry_average: float | None = Field(None, description="Lav (MCI)")
    use_intensity: float | None = Field(None, description="U, functional units of use (MCI)")
    use_intensity_industry_average: float | None = Field(None, description="Uav (MCI)")
    energy_kwh: float | None = Field(None, description="total energy delivered over service life")
    usable_capacity_kwh: float | None = None
    cycles_per_year: float | None = None
    service_life_years: float | None = None
    vehicle_category: str | None = Field(
        None, description="EV category (M1, N1, L, M2 …): picks the default full cycles per year"
    )
    mass_kg: float | None = Field(None, description="declared mass, cross-checked with the BOM")
    eol_model: EolModel = "cut-off"
    circularity: CircularityParameters = Field(default_factory=CircularityParameters)
    lines: list[BomLine] = Field(default_factory=list)
    extra: dict[str, Scalar] = Field(default_factory=dict)
    source: SourceRef = Field(default_factory=SourceRef)

    @model_validator(mode="after")
    def _lines_share_fields_sets(self) -> Product:
        """A million lines in 1.5 KiB each instead of 2.6 KiB (``_Record``)."""
        share_fields_sets(self.lines)
        share_fields_sets([line.source for line in self.lines])
        share_fields_sets([line.circularity for line in self.lines])
        return self

    def total_energy_kwh(self) -> float | None:
        """E_total: the declared energy, else capacity × full cycles per year × years."""
        if self.energy_kwh is not None:
            return self.energy_kwh
        parts = (self.usable_capacity_kwh, self.cycles_per_year, self.service_life_years)
        if all(p is not None for p in parts):
            return parts[0] * parts[1] * parts[2]  # type: ignore[operator]
        return None


class DataQuality(_Model):
    """PEF data-quality scores, 1 (best) … 5 (worst); DQR = (TeR + GeR + TiR + P) / 4."""

    ter: float | None = None
    ger: float | None = None
    tir: float | None = None
    p: float | None = None

    @property
    def dqr(self) -> float | None:
        scores = (self.ter, self.ger, self.tir, self.p)
        if any(s is None for s in scores):
            return None
        return sum(scores) / 4  # type: ignore[arg-type]


class Dataset(_Model):
    """One row of a dataset file (``datasets/*.csv`` or a user's file)."""

    id: str
    name: str
    unit: str = Field(description="reference unit, canonical pint string")
    aliases: list[str] = Field(
        default_factory=list, description="other ids a BOM line may name it by (PACT productIds)"
    )
    climate_change: float | None = Field(None, description="kg CO2-eq per reference unit")
    climate_change_fossil: float | None = None
    climate_change_biogenic: float | None = None
    climate_change_luluc: float | None = None
    gases: dict[str, float] = Field(
        default_factory=dict, description="kg of each gas per reference unit, e.g. co2_fossil"
    )
    cumulative_energy_demand: float | None = Field(
        None, description="CED, MJ per reference unit (datasets/energy/), when a source gives it"
    )
    inputs: dict[str, float] = Field(
        default_factory=dict, description="upstream dataset id → amount per reference unit"
    )
    material: str | None = None
    recycled: bool = False
    composition: dict[str, float] = Field(default_factory=dict, description="element → fraction")
    geography: str | None = None
    year: int | None = None
    source: str | None = None
    source_row: str | None = Field(
        None,
        description="where the figure is in the source: its table and row (a DESNZ row id, "
        "an OWID country and year, a paper's table)",
    )
    license: str | None = None
    url: str | None = None
    gwp_basis: str | None = Field(None, description="AR4, AR5 or AR6")
    dqr: DataQuality = Field(default_factory=DataQuality)
    notes: str | None = None
    extra: dict[str, Scalar] = Field(default_factory=dict)
    origin: SourceRef = Field(default_factory=SourceRef)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


class ClimateChange(_Model):
    """EF 3.1 climate change, total and sub-indicators.

    total = fossil + biogenic + luluc + not_split: the sub-indicators hold only what the data
    split; ``not_split`` is the part whose source publishes no fossil / biogenic / land-use
    split (0 when everything is split).  A sub-indicator of 0 with a large ``not_split`` means
    "unknown", not "none".
    """

    total: float = 0.0
    fossil: float = 0.0
    biogenic: float = 0.0
    luluc: float = 0.0
    not_split: float = Field(
        0.0, description="part of the total whose data give no fossil/biogenic/land-use split"
    )
    unit: str = "kg CO2-eq"

    def __add__(self, other: ClimateChange) -> ClimateChange:
        return ClimateChange(
            total=self.total + other.total,
            fossil=self.fossil + other.fossil,
            biogenic=self.biogenic + other.biogenic,
            luluc=self.luluc + other.luluc,
            not_split=self.not_split + other.not_split,
            unit=self.unit,
        )

    def scaled(self, factor: float) -> ClimateChange:
        return ClimateChange(
            total=self.total * factor,
            fossil=self.fossil * factor,
            biogenic=self.biogenic * factor,
            luluc=self.luluc * factor,
            not_split=self.not_split * factor,
            unit=self.unit,
        )


class LineResult(_Model):
    """One BOM line after linking: its amount in the dataset's unit and its footprint."""

    id: str
    path: str = Field(description="ids from the top of the product down, joined by ' / '")
    depth: int = 0
    name: str | None = None
    dataset: str | None = Field(None, description="dataset reference; None for assembly lines")
    dataset_name: str | None = None
    quantity: float = Field(
        description="amount in one product (assembly multipliers applied), in `unit`"
    )
    unit: str = Field(description="the dataset's reference unit")
    unit_score: ClimateChange | None = Field(
        None,
        description="the factor used: climate change of one reference unit (`unit`) of the "
        "dataset, every part (its `unit` reads e.g. 'kg CO2-eq per kg'); quantity × the product's "
        "reference_flow × unit_score = the cut-off figure (`climate_change_cut_off` when the CFF "
        "changed the line, else `climate_change`).  None for assembly lines",
    )
    bom_quantity: float | None = Field(None, description="quantity as written on the BOM row")
    bom_unit: str | None = None
    mass_kg: float | None = Field(None, description="mass in one product, when it is a mass")
    stage: Stage
    climate_change: ClimateChange = Field(
        description="contribution per functional unit, under the product's end-of-life model"
    )
    climate_change_cut_off: ClimateChange | None = Field(
        None,
        description="the cut-off figure, when the CFF model changed the line's figure "
        "(None otherwise)",
    )
    note: str | None = Field(
        None, description="why `climate_change` differs from the cut-off figure, in words"
    )
    share: float = Field(0.0, description="share of the product's total climate change")
    material: str | None = None
    recycled_content: float | None = None
    country: str | None = None
    supplier: str | None = None
    smelter_id: str | None = None
    certification: str | None = None
    extra: dict[str, Scalar] = Field(default_factory=dict)
    row: int | None = Field(None, description="row of the BOM sheet (header = row 1)")

    def is_waste_treatment(self) -> bool:
        """See the module-level ``is_waste_treatment``."""
        return is_waste_treatment(self.stage, self.dataset)


class LineView(Sequence[LineResult]):
    """Lines held otherwise than as a list of objects (``footprint.lines.LineColumns``):
    ``ProductResult.lines`` keeps such a sequence as it is, as it keeps a list."""

    __slots__ = ()


LINES_CONTEXT = "footprint.lines"  # serialisation context key: see ``footprint.json_writer``


def _kept_lines(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    return value if isinstance(value, LineView) else handler(value)


def _lines_out(lines: Sequence[LineResult], info: SerializationInfo) -> list[LineResult] | str:
    """The lines as a list (a ``LineView`` built line by line); the streamed writer's context
    asks for a placeholder instead, where it writes the lines itself."""
    context = info.context
    if isinstance(context, dict) and LINES_CONTEXT in context:
        placeholder: str = context[LINES_CONTEXT](lines)
        return placeholder
    return lines if isinstance(lines, list) else list(lines)


# a list of ``LineResult`` or a ``LineView``; the JSON (and its schema) is a list either way
Lines = Annotated[
    Sequence[LineResult],
    WrapValidator(_kept_lines),
    PlainSerializer(_lines_out, return_type=list[LineResult] | str),
]


class CffParameter(_Model):
    """A CFF/MCI parameter value as used, and where it came from."""

    value: float
    origin: Literal["bom line", "product", "default", "dataset"]
    source: str | None = Field(None, description="citation of a default, with its tag [V]/[S]/[M]")


class CffLine(_Model):
    """The Circular Footprint Formula for one material line, kg CO2-eq per functional unit."""

    line: str = Field(description="line id")
    path: str
    material: str
    mass_kg: float
    material_part: float = Field(description="Material term (virgin + recycled input + credit)")
    virgin: float = Field(description="(1 − R1)·Ev")
    recycled_input: float = Field(description="R1·(A·Erecycled + (1 − A)·Ev·Qsin/Qp)")
    recycling_credit: float = Field(description="(1 − A)·R2·(ErecyclingEoL − E*v·Qsout/Qp)")
    energy_part: float = Field(description="(1 − B)·R3·(EER − LHV·XER,heat·ESE,heat − …)")
    disposal_part: float = Field(description="(1 − R2 − R3)·ED")
    total: float
    climate_change: ClimateChange = Field(
        default_factory=ClimateChange,
        description="the line's CFF figure on each sub-indicator (its `total` is `total`); "
        "the line's `climate_change` under the CFF model",
    )
    parameters: dict[str, CffParameter] = Field(default_factory=dict)
    assumptions: list[str] = Field(
        default_factory=list,
        description="missing E terms filled conservatively (e.g. Erecycled = Ev), in words",
    )


class CffResult(_Model):
    """CFF parts per product (per functional unit) and the side-by-side comparison."""

    lines: list[CffLine] = Field(default_factory=list)
    material_part: float = 0.0
    energy_part: float = 0.0
    disposal_part: float = 0.0
    total: float = 0.0
    cut_off_total: float = Field(0.0, description="product total under the cut-off model")
    cff_total: float = Field(0.0, description="product total under the CFF model")
    by_stage: dict[Stage, ClimateChange] = Field(
        default_factory=dict, description="the five stages under the CFF model, per FU"
    )


class RecycledContent(_Model):
    """Mass-weighted recycled-content shares."""

    share: float | None = Field(None, description="recycled share of the product's mass")
    post_consumer_share: float | None = None
    recyclable_share: float | None = Field(None, description="Σ mass·R2 / Σ mass")
    by_material: dict[str, float] = Field(default_factory=dict)
    by_material_post_consumer: dict[str, float] = Field(default_factory=dict)
    by_element: dict[str, float] = Field(default_factory=dict)
    by_element_post_consumer: dict[str, float] = Field(default_factory=dict)
    element_mass_kg: dict[str, float] = Field(default_factory=dict)


class MciResult(_Model):
    """Material Circularity Indicator (Ellen MacArthur Foundation 2015) and its terms."""

    mci: float
    mass_kg: float
    virgin_kg: float = Field(description="V")
    unrecoverable_waste_kg: float = Field(description="W")
    linear_flow_index: float = Field(description="LFI")
    utility: float = Field(description="X = (L/Lav)·(U/Uav)")
    utility_factor: float = Field(description="F(X) = 0.9/X")


class Circularity(_Model):
    cff: CffResult | None = None
    recycled_content: RecycledContent = Field(default_factory=RecycledContent)
    mci: MciResult | None = None


CheckStatus = Literal[
    "pass", "fail", "insufficient data", "declared", "indicator", "not applicable"
]


class RuleSource(_Model):
    regulation: str
    article: str | None = None
    url: str | None = None


class Driver(_Model):
    """A BOM line that drives a check's result."""

    line: str
    path: str
    value: float
    unit: str
    note: str | None = None


class Check(_Model):
    """One rule evaluated for one product."""

    rule: str
    rule_set: str
    title: str
    kind: str
    status: CheckStatus
    value: float | None = None
    limit: float | None = None
    unit: str | None = None
    margin: float | None = Field(
        None, description="headroom: limit − value (maximum) or value − limit (minimum)"
    )
    margin_percent: float | None = None
    source: RuleSource
    explanation: str
    drivers: list[Driver] = Field(default_factory=list)
    by_stage: dict[str, float] = Field(
        default_factory=dict,
        description="a declared value split by the stages the rule names (its stage labels), "
        "in the check's unit; the parts add up to `value`",
    )


class DataQualityResult(_Model):
    """Contribution-weighted PEF DQR of a product's result."""

    dqr: float | None = None
    level: str | None = None
    ter: float | None = None
    ger: float | None = None
    tir: float | None = None
    p: float | None = None
    coverage: float = Field(0.0, description="share of climate change covered by scored data")


CoverageStatus = Literal["complete", "partial", "not covered"]


class IndicatorResult(_Model):
    """One indicator of a product's impact profile, per functional unit, cut-off basis.

    ``value`` sums the lines whose dataset characterises the indicator; the coverage fields say
    how much of the product that is.  A line whose dataset does not characterise it is left
    out (never counted as 0); with no such line at all the value is None, "not covered".
    """

    id: str = Field(description="footprint's indicator id, e.g. 'acidification'")
    name: str
    method: list[str] = Field(description="the Brightway (bw2io) method tuple")
    unit: str
    value: float | None = Field(None, description="None: not covered by any line's dataset")
    status: CoverageStatus
    lines_with_dataset: int
    lines_covered: int
    line_share: float | None = Field(None, description="share of the lines with a dataset")
    climate_share: float | None = Field(
        None, description="share of the product's |climate change| (cut-off) on covered lines"
    )
    by_stage: dict[Stage, float | None] = Field(default_factory=dict)
    category: str | None = Field(None, description="the EF 3.1 impact category (of the 16)")
    normalised: float | None = Field(None, description="value / global NF per person")
    weighted: float | None = Field(None, description="normalised × weight: Pt")


class SingleScore(_Model):
    """EF 3.1 single score: Σ over the 16 categories of value / NF × WF, in Pt."""

    value: float | None = Field(None, description="Pt (1 Pt = one person's yearly impact)")
    micropoints: float | None = Field(None, description="µPt")
    status: Literal["complete", "partial", "not available"]
    included: list[str] = Field(default_factory=list, description="categories summed")
    missing: dict[str, str] = Field(
        default_factory=dict, description="category → why it is not (fully) in the score"
    )
    factors: str = Field(description="normalisation and weighting set used, with its source")


class RelevantItem(_Model):
    """One item kept by a most-relevant cut, with its share on the list's basis."""

    key: str
    name: str
    value: float
    share: float = Field(description="|value| / Σ|values| (absolute) or value / net total")
    cumulative: float
    stage: Stage | None = None
    database: str | None = None
    location: str | None = None
    compartment: str | None = None
    note: str | None = Field(None, description="why an item is on the list besides its share")


class RelevantList(_Model):
    """The items that together reach the threshold, ranked (the crossing item kept)."""

    basis: Literal["absolute", "net"]
    total: float = Field(description="the reference: Σ|values| (absolute) or Σ values (net)")
    items: list[RelevantItem] = Field(default_factory=list)
    candidates: int = Field(0, description="items ranked (non-zero contributions)")


class CategoryHotspots(_Model):
    """The most relevant stages, processes and elementary flows of one impact category."""

    indicator: str
    name: str
    unit: str
    value: float | None
    stages: RelevantList
    stages_net: RelevantList
    processes: RelevantList | None = Field(
        None, description="(stage, background activity) pairs: supply × direct emissions"
    )
    processes_net: RelevantList | None = None
    flows: RelevantList | None = Field(None, description="elementary flows over the product")
    flows_by_process: dict[str, RelevantList] = Field(
        default_factory=dict, description="most relevant process key → its relevant flows"
    )
    use_stage_share: float | None = Field(
        None, description="|use stage| / Σ|stages| of this category (None: nothing to share)"
    )
    processes_without_use: RelevantList | None = Field(
        None,
        description="the process ranking run again without the use stage, when the use stage "
        "makes up more than the rule's share of the category (both runs are reported)",
    )


class MostRelevant(_Model):
    """PEF hotspots (Rec. (EU) 2021/2279 Annex I §6.3, as implemented: see ``rules``)."""

    threshold: float
    rules: list[str]
    status: Literal["complete", "partial", "not available"]
    categories: RelevantList | None = None
    per_category: list[CategoryHotspots] = Field(default_factory=list)
    excluded_from_ranking: list[str] = Field(
        default_factory=list, description="categories the rules leave out of the ranking"
    )


class ImpactProfile(_Model):
    """Every chosen indicator of a product, its single score and, on demand, its hotspots."""

    basis: str = Field(
        "cut-off: the CFF is applied to climate change only (see climate_change)",
        description="end-of-life basis of the figures",
    )
    indicators: list[IndicatorResult] = Field(default_factory=list)
    single_score: SingleScore | None = None
    most_relevant: MostRelevant | None = None

    def indicator(self, indicator_id: str) -> IndicatorResult:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)


class ProductResult(_Model):
    id: str
    name: str | None = None
    functional_unit: str | None = None
    reference_flow: float = 1.0
    category: str | None = None
    placed_on_market: date | None = None
    eol_model: EolModel = "cut-off"
    mass_kg: float | None = Field(None, description="mass of one product from the BOM")
    declared_mass_kg: float | None = None
    energy_kwh: float | None = None
    climate_change: ClimateChange = Field(description="per functional unit")
    by_stage: dict[Stage, ClimateChange] = Field(description="all five PEF stages, per FU")
    lines: Lines = Field(default_factory=list)
    circularity: Circularity | None = None
    checks: list[Check] = Field(default_factory=list)
    data_quality: DataQualityResult | None = None
    sourcing: SourcingResult | None = Field(
        None, description="origin, concentration, traceability and supplier scorecards"
    )
    gwp_basis_shares: dict[str, float] = Field(
        default_factory=dict,
        description="share of the cut-off result (Σ |line figure|) resting on each GWP basis "
        "of the factors behind the lines: AR4, AR5, AR6 (published CO2e), EF3.1 (gases or "
        "Brightway flows characterised with the EF 3.1 factors), 'not stated'",
    )
    source_file: str | None = None
    extra: dict[str, Scalar] = Field(default_factory=dict)
    impacts: ImpactProfile | None = Field(
        None, description="the chosen indicators beyond climate change (--indicators)"
    )


class MethodInfo(_Model):
    name: str = "EF v3.1 climate change"
    indicators: dict[str, list[str]] = Field(
        default_factory=dict, description="indicator → Brightway method tuple"
    )
    unit: str = "kg CO2-eq"
    solver: str | None = Field(
        None,
        description="how the unit scores were solved (block-triangular SuperLU; per large loop: "
        "Jacobi sweeps or an ordered LU, with its fill)",
    )


class DatasetInfo(_Model):
    id: str
    name: str
    unit: str
    source: str | None = None
    source_row: str | None = Field(
        None,
        description="where the figure is in the source: its table and row (a DESNZ row id, "
        "an OWID country and year, a paper's table)",
    )
    license: str | None = None
    url: str | None = None
    year: int | None = None
    geography: str | None = None
    dqr: float | None = None
    gwp_basis: str | None = None
    notes: str | None = None
    unit_score: ClimateChange | None = Field(
        None,
        description="the factor the lines use: climate change of one reference unit, with its "
        "upstream inputs, every part (as LineResult.unit_score)",
    )
    primary_data_share: float | None = Field(
        None, description="percent of the dataset's figure from primary data (supplier PCFs)"
    )
    input_of: list[str] = Field(
        default_factory=list,
        description="datasets that use this one as an upstream input (empty: linked by a line)",
    )


class Warning_(_Model):
    """A warning: a figure is computed, but something deserves a look."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    product: str | None = None
    code: str | None = Field(
        None,
        description="what kind of warning, the same for every product it is met in (e.g. "
        "mci-no-recycling-efficiency); none for a warning that is said only in words",
    )
    subjects: list[str] = Field(
        default_factory=list,
        description="what a coded warning is about (e.g. the material families), so that the "
        "same warning can be counted per subject across products",
    )

    def __str__(self) -> str:
        """One line, located like an error: "bom.xlsx, sheet BOM, row 4: …"."""
        located = Problem(self.message, self.file, self.sheet, self.row, self.column)
        if located.location() or not self.product:
            return str(located)
        return f"product {self.product}: {self.message}"


class ScenarioInfo(_Model):
    """What-if changes applied to the BOM before it was assessed (the BOM file is unchanged)."""

    name: str
    file: str | None = None
    changes: list[str] = Field(default_factory=list, description="each change applied, in words")


class UncertaintyStatistics(_Model):
    """Monte Carlo statistics of one figure (kg CO2-eq per functional unit)."""

    mean: float
    median: float
    sd: float = Field(description="standard deviation (n − 1)")
    p2_5: float = Field(description="2.5th percentile")
    p25: float = Field(description="25th percentile")
    p75: float = Field(description="75th percentile")
    p97_5: float = Field(description="97.5th percentile")


class CheckUncertainty(_Model):
    rule: str
    limit: float
    probability_fail: float
    probability_pass: float
    kind: Literal["footprint", "share"] = Field(
        "footprint",
        description="footprint: a max_footprint check (fails above its limit); share: a "
        "recycled-content or end-of-life-rate check (fails below its limit)",
    )
    unit: str | None = Field(None, description="the check's unit (as the check states it)")
    value: UncertaintyStatistics | None = Field(
        None, description="statistics of the check's value over the iterations, in `unit`"
    )
    varied: list[str] = Field(
        default_factory=list,
        description="the inputs of the check's value that were sampled ('line: what'); empty: "
        "none varied, the probability is 0 or 1",
    )


class MciUncertainty(_Model):
    """Monte Carlo of the product's Material Circularity Indicator (EMF 2015, 0–1)."""

    value: UncertaintyStatistics | None = Field(
        None, description="statistics of the MCI over the iterations (None: not sampled)"
    )
    varied: list[str] = Field(
        default_factory=list,
        description="the MCI's inputs that were sampled ('line: what': ranges of R1 and R2, "
        "quantity tolerances); empty: none varied, the MCI is fixed",
    )
    not_sampled: str | None = Field(None, description="why the MCI is not sampled, if it is not")


class ProductUncertainty(_Model):
    product: str
    total: UncertaintyStatistics
    by_stage: dict[str, UncertaintyStatistics]
    checks: list[CheckUncertainty] = Field(default_factory=list)
    drivers: dict[str, float] = Field(
        default_factory=dict,
        description="line id → squared Spearman rank correlation of its figure with the total",
    )
    fixed_lines: list[str] = Field(
        default_factory=list, description="lines whose dataset has no distribution (not sampled)"
    )
    ranges: dict[str, str] = Field(
        default_factory=dict,
        description="line id → the ranges of recycled content / end-of-life rates sampled on it",
    )
    not_sampled: dict[str, str] = Field(
        default_factory=dict, description="rule id → why the check has no failing probability"
    )
    mci: MciUncertainty | None = Field(
        None, description="the MCI over the iterations, when the product has one"
    )


class Uncertainty(_Model):
    iterations: int
    seed: int
    indicator: str = Field(
        "EF v3.1 climate change, total (kg CO2-eq per functional unit)",
        description="the one indicator sampled: every statistic, check probability and driver "
        "here is of it (or of a check's own value)",
    )
    not_sampled_indicators: list[str] = Field(
        default_factory=list,
        description="the assessment's other indicators (--indicators, and the climate change "
        "sub-indicators among them): reported without uncertainty, not sampled",
    )
    products: list[ProductUncertainty]
    distributions: dict[str, str] = Field(
        default_factory=dict, description="dataset id → where its distribution came from"
    )


class Assessment(_Model):
    """The result of assessing one or more products.  Reports and JSON read only this."""

    schema_version: str = SCHEMA_VERSION
    tool_version: str
    created: datetime
    method: MethodInfo
    brightway_project: str | None = None
    as_of: date | None = None
    rule_sets: list[str] = Field(default_factory=list)
    products: list[ProductResult]
    datasets: list[DatasetInfo] = Field(default_factory=list)
    warnings: list[Warning_] = Field(default_factory=list)
    uncertainty: Uncertainty | None = Field(
        None, description="Monte Carlo results (--iterations), when asked for"
    )
    scenario: ScenarioInfo | None = Field(
        None, description="the what-if scenario these results are of (None: the BOM as it is)"
    )
    sourcing: SourcingResult | None = Field(
        None, description="the portfolio's sourcing picture (several products assessed)"
    )

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """The JSON document (``model_dump_json``'s bytes), also written to ``path`` when
        given.  Built piece by piece (``footprint.json_writer``): the lines are serialised a
        chunk at a time, never all as objects; ``write_json`` does not hold the text."""
        if path is None:
            from footprint.json_writer import document

            return document(self, indent)
        from footprint.json_writer import write_json

        pieces: list[str] = []
        write_json(self, path, indent, kept=pieces)
        return "".join(pieces)

    def write_json(self, path: str | Path, *, indent: int | None = 2) -> Path:
        """Stream the JSON document into ``path`` (whole or not at all), holding neither every
        line as an object nor the text: for large assessments."""
        from footprint.json_writer import write_json

        return write_json(self, path, indent)

    def to_dataframe(self) -> pd.DataFrame:
        from footprint.report.tables import assessment_dataframe

        return assessment_dataframe(self)

    def to_excel(self, path: str | Path) -> Path:
        from footprint.report.excel import write_workbook

        return write_workbook(self, Path(path))

    def to_html(self, path: str | Path) -> Path:
        from footprint.report.html import write_html

        return write_html(self, Path(path))

    def to_pact(self, **options: Any) -> list[dict[str, Any]]:
        """PACT v3 ProductFootprints, one per product (``footprint.exchange.pact``); the
        keyword arguments are those of ``PactOptions`` (company_name, company_ids, …)."""
        from footprint.exchange.pact import PactOptions, product_footprints

        return product_footprints(self, PactOptions(**options))

    def to_battery_passport(self, carbon_footprint_study: str | None = None) -> dict[str, Any]:
        """BatteryPass carbon-footprint and recycled-content blocks of the battery products."""
        from footprint.exchange.battery_passport import PassportOptions, battery_passports

        return battery_passports(self, PassportOptions(carbon_footprint_study))

    def figures(self) -> dict[str, go.Figure]:
        from footprint.report.figures import assessment_figures

        return assessment_figures(self)

    def product(self, product_id: str) -> ProductResult:
        for p in self.products:
            if p.id == product_id:
                return p
        raise KeyError(product_id)


def strict_json(text: str) -> str:
    """``text`` when it is strict JSON; ``ValueError`` naming the field when a NaN or infinity
    reached it (``json.dumps(allow_nan=False)`` for pydantic's output).  The readers and the
    assessment refuse non-finite numbers as input errors, so this only stops a defect."""
    if "NaN" in text or "Infinity" in text:  # cheap: nearly every document has neither
        import json

        def refuse(constant: str) -> None:
            raise ValueError(f"the assessment holds {constant}: it is not written as JSON")

        json.loads(text, parse_constant=refuse)
    return text


def json_schema() -> dict[str, Any]:
    """The JSON schema of an assessment document (printed by ``footprint schema``)."""
    return Assessment.model_json_schema()
