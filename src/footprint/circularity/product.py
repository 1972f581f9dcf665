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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from footprint.circularity.cff import CffTerms, cff_terms
from footprint.circularity.defaults import (
    DATASET_TERMS,
    MaterialDefaults,
    load_material_defaults,
)
from footprint.circularity.mci import MciFlow, mci, utility
from footprint.circularity.parameters import (
    SYMBOLS,
    Findings,
    LineParameters,
    check_combinations,
    check_inputs,
)
from footprint.circularity.recycled_content import MaterialMass, recycled_content
from footprint.coded_warnings import MCI_NO_RECYCLING_EFFICIENCY, coded_warning
from footprint.composition import line_composition
from footprint.errors import BomError, DatasetError, Problem
from footprint.model import (
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
    Stage,
    Warning_,
)

_INDICATORS = ("total", "fossil", "biogenic", "luluc", "not_split")


class CatalogLike(Protocol):
    def get(self, dataset_id: str) -> Dataset: ...

    def __contains__(self, dataset_id: object) -> bool: ...


class EngineLike(Protocol):
    """What circularity needs of the engine: unit scores and the catalog."""

    @property
    def catalog(self) -> CatalogLike: ...

    def unit_score(self, dataset_id: str) -> ClimateChange: ...


@dataclass(frozen=True)
class LineChange:
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


def compute_circularity(
    product: Product,
    lines: Sequence[LineResult],
    engine: EngineLike,
    defaults: MaterialDefaults | None = None,
) -> CircularityOutcome:
    """CFF, recycled content and MCI of one product; raises ``BomError`` on invalid parameters."""
    lines = list(lines)  # read several times: built once (``LineColumns`` builds when read)
    defaults = defaults or load_material_defaults()
    findings = Findings()
    check_inputs(product.circularity, product.source, product.id, findings)
    bom_lines = {line.id: line for line in product.lines}
    for bom_line in product.lines:
        check_inputs(bom_line.circularity, bom_line.source, product.id, findings)

    mass_lines: list[tuple[LineResult, Dataset, LineParameters]] = []
    shared: dict[tuple[str, str | None, str], CffParameter | None] = {}
    for line in lines:
        dataset = _catalog_dataset(engine, line.dataset)
        if dataset is None or not line.mass_kg or line.is_waste_treatment():
            continue
        family = (dataset.material or line.material or "").lower() or None
        params = LineParameters(
            product, bom_lines.get(line.id), dataset, family, defaults, shared
        )
        check_combinations(params, findings)
        mass_lines.append((line, dataset, params))
    if findings.problems:
        raise BomError(findings.problems)

    terms = _Terms(engine, defaults, product.id, findings)
    cff = CffResult()
    changes: dict[Stage, ClimateChange] = {}
    line_changes: dict[str, LineChange] = {}
    for line, _dataset, params in mass_lines:
        if params.family is None:
            continue
        per_indicator = terms.line_terms(line, params)
        factor = (line.mass_kg or 0.0) * product.reference_flow
        total = per_indicator["total"].scaled(factor)
        figure = ClimateChange(
            **{k: per_indicator[k].scaled(factor).total for k in _INDICATORS},
            unit=line.climate_change.unit,
        )
        cff.lines.append(
            CffLine(
                line=line.id,
                path=line.path,
                material=params.family,
                mass_kg=line.mass_kg or 0.0,
                material_part=total.material,
                virgin=total.virgin,
                recycled_input=total.recycled_input,
                recycling_credit=total.recycling_credit,
                energy_part=total.energy,
                disposal_part=total.disposal,
                total=total.total,
                climate_change=figure,
                parameters=params.used,
                assumptions=list(params.assumptions),
            )
        )
        assumed = f"; {'; '.join(params.assumptions)}" if params.assumptions else ""
        line_changes[line.id] = LineChange(
            figure,
            f"CFF figure of {params.family}: its raw-material and end-of-life parts{assumed}",
        )
        _add(changes, line.stage, line.climate_change.scaled(-1))
        _add(changes, Stage.RAW_MATERIALS, _stage_figure(per_indicator, "raw_materials", factor))
        _add(changes, Stage.END_OF_LIFE, _stage_figure(per_indicator, "end_of_life", factor))

    families = {c.material for c in cff.lines}
    replaced = []
    for line in lines:
        dataset = _catalog_dataset(engine, line.dataset)
        family = ((dataset.material if dataset else None) or line.material or "").lower()
        if dataset is not None and line.is_waste_treatment() and family in families:
            replaced.append(line.id)
            _add(changes, line.stage, line.climate_change.scaled(-1))
            cff_lines = ", ".join(c.line for c in cff.lines if c.material == family)
            line_changes[line.id] = LineChange(
                ClimateChange(unit=line.climate_change.unit),
                f"0 under the CFF: the CFF of {family} (line {cff_lines}) models this end of life",
            )
            if product.eol_model == "cff":
                findings.warnings.append(
                    _line_warning(
                        product,
                        bom_lines.get(line.id),
                        line,
                        f"end-of-life line {line.id!r} ({line.dataset}) is left out of the CFF "
                        f"total: the CFF already models the end of life of {family}",
                    )
                )

    cut_off_total = sum((line.climate_change.total for line in lines), 0.0)
    cff.material_part = sum(c.material_part for c in cff.lines)
    cff.energy_part = sum(c.energy_part for c in cff.lines)
    cff.disposal_part = sum(c.disposal_part for c in cff.lines)
    cff.total = sum(c.total for c in cff.lines)
    cff.cut_off_total = cut_off_total
    cff.cff_total = cut_off_total + sum(c.total for c in changes.values())
    if cff.lines:  # the five stages under the CFF: cut-off sums plus each stage's change
        for stage in Stage:
            cut_off = sum(
                (x.climate_change for x in lines if x.stage == stage),
                ClimateChange(unit=lines[0].climate_change.unit),
            )
            cff.by_stage[stage] = cut_off + changes.get(stage, ClimateChange())

    content = recycled_content(
        MaterialMass(
            mass_kg=line.mass_kg or 0.0,
            recycled_share=params.value("recycled_content", 0.0, "no recycled content declared"),
            post_consumer_share=params.get("recycled_content_post_consumer"),
            recyclable_share=params.value("eol_recycling_rate", 0.0, "no R2 declared or default"),
            material=params.family,
            composition=_fractions(bom_lines.get(line.id), dataset),
        )
        for line, dataset, params in mass_lines
    )
    return CircularityOutcome(
        circularity=Circularity(
            cff=cff if cff.lines else None,
            recycled_content=content,
            mci=_product_mci(product, mass_lines, findings),
        ),
        warnings=findings.warnings,
        stage_changes=changes,
        replaced_lines=replaced,
        line_changes=line_changes,
    )


def _fractions(bom_line: BomLine | None, dataset: Dataset) -> dict[str, float]:
    """Element fractions of a line: BOM composition, else chemistry, else the dataset's."""
    found = line_composition(bom_line, dataset)
    return found.fractions if found is not None else {}


def _catalog_dataset(engine: EngineLike, dataset_id: str | None) -> Dataset | None:
    if dataset_id is None or dataset_id not in engine.catalog:
        return None
    return engine.catalog.get(dataset_id)


def _add(changes: dict[Stage, ClimateChange], stage: Stage, figure: ClimateChange) -> None:
    changes[stage] = changes.get(stage, ClimateChange()) + figure


def _stage_figure(per_indicator: Mapping[str, CffTerms], part: str, factor: float) -> ClimateChange:
    return ClimateChange(**{k: getattr(per_indicator[k], part) * factor for k in _INDICATORS})


def _line_warning(
    product: Product, bom_line: BomLine | None, line: LineResult, message: str
) -> Warning_:
    source = bom_line.source if bom_line is not None else None
    return Warning_(
        message=message,
        file=source.file if source else None,
        sheet=source.sheet if source else None,
        row=source.row if source else line.row,
        product=product.id,
    )


class _Terms:
    """Evaluates the CFF of a line on each indicator, from parameters and dataset scores."""

    def __init__(
        self, engine: EngineLike, defaults: MaterialDefaults, product: str, findings: Findings
    ) -> None:
        self.engine = engine
        self.defaults = defaults
        self.product = product
        self.findings = findings
        # the same dataset's score per kg (or MJ), and the parameter naming it, serve every
        # line of the product that uses it: computed once
        self._scores: dict[tuple[str, str], ClimateChange] = {}
        self._named: dict[tuple[str, str, str], CffParameter] = {}
        # lines of one product with the same dataset, family and own parameter values have the
        # same per-kg CFF terms, parameters and warnings (BOMs repeat parts): computed once
        self._done: dict[tuple[object, ...], _LineTerms] = {}
        self._heard: list[str] | None = None

    def line_terms(self, line: LineResult, params: LineParameters) -> dict[str, CffTerms]:
        """The per-kg CFF terms of each indicator for a line; ``params.used`` and
        ``params.assumptions`` say what was used, warnings name the line."""
        own = tuple(params.line.circularity.__dict__.values()) if params.line else None
        key = (params.dataset.id if params.dataset else None, params.family, own)
        done = self._done.get(key)
        if done is None:
            self._heard = []
            terms = self._line_terms(line, params)
            done = _LineTerms(terms, dict(params.used), list(params.assumptions), self._heard)
            self._heard = None
            self._done[key] = done
            return terms
        for symbol, parameter in done.used.items():
            if parameter.origin == "bom line":
                params.get(_NAME_OF[symbol])  # this line's own value, with its own row
            else:
                params.used[symbol] = parameter
        params.assumptions[:] = done.assumptions
        for message in done.warnings:
            self._warn(params, line, message)
        return done.terms

    def _line_terms(self, line: LineResult, params: LineParameters) -> dict[str, CffTerms]:
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
        scores = {term: self._score(line, params, term, needed) for term, needed in needs.items()}
        if scores["ev_star"] is None and scores["ev"] is not None:
            scores["ev_star"] = scores["ev"]  # E*v = Ev: the recyclate replaces the same material
            params.used["E*v"] = params.used["Ev"].model_copy(
                update={"source": f"= Ev ({params.used['Ev'].source})"}
            )
        self._conservative(line, params, needs, scores, qsout)

        energy = self._energy_credit(line, params, needed=(1 - b) * r3 > 0)
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
        line: LineResult,
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

    def _score(
        self, line: LineResult, params: LineParameters, term: str, needed: bool
    ) -> ClimateChange | None:
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
                self._warn(params, line, f"{symbol} of {params.family}: {missing}; {filled}")
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

    def _energy_credit(self, line: LineResult, params: LineParameters, needed: bool) -> _Energy:
        lhv = params.get("cff_lhv")  # LHV, MJ/kg
        xer_heat = params.get("cff_xer_heat")  # XER,heat
        xer_elec = params.get("cff_xer_elec")  # XER,elec
        if not needed:
            return _Energy()
        if lhv is None or (xer_heat is None and xer_elec is None):
            self._warn(
                params,
                line,
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
                    self._warn(params, line, f"{DATASET_TERMS[term]} has no dataset; counted as 0")
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

    def _warn(self, params: LineParameters, line: LineResult, message: str) -> None:
        if self._heard is not None:
            self._heard.append(message)
        self.findings.warnings.append(
            _line_warning(params.product, params.line, line, f"CFF, line {line.id!r}: {message}")
        )


@dataclass
class _LineTerms:
    terms: dict[str, CffTerms]
    used: dict[str, CffParameter]
    assumptions: list[str]
    warnings: list[str]


_NAME_OF = {symbol: name for name, symbol in SYMBOLS.items()}


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
    mass_lines: Sequence[tuple[LineResult, Dataset, LineParameters]],
    findings: Findings,
) -> MciResult | None:
    """The MCI over the product's mass lines; EC/EF missing where needed count as 1, warned."""
    if not mass_lines:
        return None
    flows = []
    assumed: set[str] = set()
    for line, _dataset, params in mass_lines:
        fr = params.value("recycled_content", 0.0, "no recycled content declared")  # FR
        cr = params.value("eol_recycling_rate", 0.0, "no R2 declared or default")  # CR
        ec = params.get("recycling_efficiency_eol")  # EC
        ef = params.get("recycling_efficiency_feedstock")  # EF
        if (ec is None and cr > 0) or (ef is None and fr > 0):
            assumed.add(params.family or "(no material family)")
        flows.append(
            MciFlow(
                mass_kg=line.mass_kg or 0.0,
                recycled_share=fr,
                reuse_share=params.value("reuse_share", 0.0, "no reuse declared"),  # FU
                recycling_rate=cr,
                reuse_rate=params.value("eol_reuse_rate", 0.0, "no reuse declared"),  # CU
                efficiency_eol=1.0 if ec is None else ec,
                efficiency_feedstock=1.0 if ef is None else ef,
            )
        )
    if any(f.recycled_share > 0 and f.efficiency_feedstock == 0 for f in flows):
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
    return mci(flows, x)
