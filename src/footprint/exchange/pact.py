"""PACT v3 ProductFootprint documents from an assessment (``--pact``, ``Assessment.to_pact``).

Written from the WBCSD PACT Technical Specification v3 (``spec/v3/openapi.yaml`` 3.0.3 of the
public repository wbcsd/data-exchange-protocol: ``ProductFootprint``, ``CarbonFootprint``,
``DataQualityIndicators``, ``Decimal``).  What footprint puts in each field, and why:

- **Boundary: cradle to gate.**  PACT exchanges a product's footprint at the factory gate, so
  only the lines of the PEF stages *raw materials* and *manufacturing* count; distribution,
  use and end of life are left out and the document's ``comment`` says so.  Lines count with
  their **cut-off** figure even when the product is assessed under the CFF: PACT accounts for
  recycled inputs by the recycled-content (cut-off) approach and gives no end-of-life credit.
- **Declared unit: one product** (``piece``, amount 1, ``productMassPerDeclaredUnit`` the BOM
  mass of one product).  footprint's figures are per functional unit; they are divided by the
  reference flow (products per functional unit).
- **Biogenic carbon.**  footprint's ``biogenic`` sub-indicator under the PEF simplified
  approach holds biogenic methane (no uptake), so it is reported as ``biogenicNonCO2Emissions``
  and belongs to ``pcfExcludingBiogenicUptake``; ``biogenicCO2Uptake`` is the CO2 held by the
  product's biogenic carbon at the gate (−44/12 kg CO2 per kg C), and
  ``pcfIncludingBiogenicUptake`` = excluding + uptake.
- **Carbon content** (``fossilCarbonContent``, required) comes from the Products sheet
  (``fossil_carbon_content_kg``, ``biogenic_carbon_content_kg``, per product) or else from the
  carbon fractions of the lines' material families in ``datasets/pact/carbon_content.csv``;
  when neither covers every material line it is an error naming the lines (never 0).
- **Unsplit figures.**  A dataset that publishes only a CO2e total has no fossil part of its
  own; PACT requires ``fossilGhgEmissions``, so that part is counted as fossil and the
  ``comment`` states the share; land-use and biogenic fields are then left undefined
  ("blank if unknown", PACT x-rule BIO).
- **Characterisation** (``ipccCharacterizationFactors``): the GWP bases of the datasets the
  boundary lines rest on; EF 3.1 characterisation (gas columns, Brightway activities) is AR6.
- **Ids are immutable**: the id is a UUID derived from the document's content, so the same
  footprint keeps its id; a changed footprint gets a new id, and with a store
  (``--pact-store``) the product's previous footprint is deprecated there and named in
  ``precedingPfIds``.
- **Required company and product data** (company name and ids, product ids, reference
  period) come from the Products sheet or the options; anything missing is one problem per
  product and field, raised before any output is written.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from footprint.errors import FootprintError, Problem
from footprint.exchange.decimals import decimal_text
from footprint.model import Assessment, DatasetInfo, LineResult, ProductResult, Stage
from footprint.resources import datasets_dir

if TYPE_CHECKING:
    from footprint.exchange.pact_store import PactStore

SPEC_VERSION = "3.0.0"
GATE_STAGES = (Stage.RAW_MATERIALS, Stage.MANUFACTURING)
CO2_PER_C = 44.009 / 12.011  # molar masses of CO2 and C (IUPAC 2021 abridged weights)
# the namespace of footprint's content-derived footprint ids (uuid5 of the canonical content)
ID_NAMESPACE = uuid.UUID("6f1c2f0e-9a55-5c4e-b0b8-2f6a4d1e7c3a")
DEFAULT_STANDARDS = ("PACT-3.0",)
# PACT's UN regions and sub-regions (openapi.yaml, geographyRegionOrSubregion)
REGIONS = frozenset(
    {
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
        "Australia and New Zealand",
        "Central Asia",
        "Eastern Asia",
        "Eastern Europe",
        "Latin America and the Caribbean",
        "Melanesia",
        "Micronesia",
        "Northern Africa",
        "Northern America",
        "Northern Europe",
        "Polynesia",
        "South-eastern Asia",
        "Southern Asia",
        "Southern Europe",
        "Sub-Saharan Africa",
        "Western Asia",
        "Western Europe",
    }
)
URN = re.compile(r"^[uU][rR][nN]:\S+$")
_EF31_BASES = {"AR6", "EF 3.1", "EF3.1", "EF V3.1", "IPCC 2021"}


@dataclass(frozen=True)
class PactOptions:
    """What the Products sheet may not say: the data owner and the reference period.

    A value on a product's Products-sheet row (columns ``company_name``, ``company_ids``,
    ``product_ids``, ``product_description``, ``product_classifications``,
    ``reference_period_start``, ``reference_period_end``, ``geography``) wins over these.
    ``product_id_prefix`` makes a product id URN from footprint's product id when the sheet
    gives none (``urn:pact:example.com:product-id:`` + ``pack-1``).
    """

    company_name: str | None = None
    company_ids: tuple[str, ...] = ()
    product_id_prefix: str | None = None
    reference_period_start: date | None = None
    reference_period_end: date | None = None
    cross_sectoral_standards: tuple[str, ...] = DEFAULT_STANDARDS
    created: datetime | None = None


@dataclass
class _Parts:
    """A product's cradle-to-gate climate change per declared unit, and where it rests."""

    total: float = 0.0
    fossil: float = 0.0
    biogenic: float = 0.0
    luluc: float = 0.0
    not_split: float = 0.0
    primary: float = 0.0  # the part of |total| that rests on primary data
    datasets: set[str] = field(default_factory=set)
    lines: int = 0


# --------------------------------------------------------------------------------------------
# Carbon content of materials
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CarbonContent:
    fossil: float  # kg fossil C per kg material
    biogenic: float  # kg biogenic C per kg material
    source: str


@cache
def carbon_contents() -> dict[str, CarbonContent]:
    """Material family → carbon fractions, from ``datasets/pact/carbon_content.csv``."""
    path = datasets_dir() / "pact" / "carbon_content.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {
            row["material"]: CarbonContent(
                float(row["fossil_carbon_fraction"]),
                float(row["biogenic_carbon_fraction"]),
                row["source"],
            )
            for row in csv.DictReader(f)
        }


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------


def product_footprints(
    assessment: Assessment,
    options: PactOptions | None = None,
    *,
    store: PactStore | None = None,
) -> list[dict[str, Any]]:
    """One PACT v3 ProductFootprint per product; raise ``FootprintError`` listing every
    missing or invalid piece of company and product data (nothing is returned then).

    With a ``store``, a document whose content is already stored is returned as stored (same
    id, same ``created``), and a changed footprint deprecates the product's previous one there
    and names it in ``precedingPfIds``; the new documents are saved."""
    options = options or PactOptions()
    created = (options.created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    infos = {info.id: info for info in assessment.datasets}
    problems: list[Problem] = []
    documents: list[dict[str, Any]] = []
    for product in assessment.products:
        found = _product_problems_and_document(product, options, infos, created)
        if isinstance(found, list):
            problems.extend(found)
        else:
            documents.append(found)
    if problems:
        raise FootprintError(problems)
    if store is not None:
        documents = [store.publish(document) for document in documents]
    return documents


def _product_problems_and_document(
    product: ProductResult,
    options: PactOptions,
    infos: Mapping[str, DatasetInfo],
    created: datetime,
) -> dict[str, Any] | list[Problem]:
    sheet = ProductSheet(product)
    problems: list[Problem] = []

    company_name = sheet.text("company_name") or options.company_name
    if not company_name:
        problems.append(
            sheet.problem(
                "company_name",
                "the data owner's company name is "
                "missing; give --pact-company-name or a company_name "
                "column on the Products sheet",
            )
        )
    company_ids = sheet.urns("company_ids", problems) or list(options.company_ids)
    if not company_ids:
        problems.append(
            sheet.problem(
                "company_ids",
                "no company id; give --pact-company-id "
                "URN (e.g. urn:company:example:acme) or a company_ids "
                "column",
            )
        )
    product_ids = sheet.urns("product_ids", problems)
    if not product_ids and options.product_id_prefix:
        product_ids = [options.product_id_prefix + product.id]
    if not product_ids:
        problems.append(
            sheet.problem(
                "product_ids",
                "no product id URN; give a product_ids "
                "column (e.g. urn:pact:example.com:product-id:PX-1) or "
                "--pact-product-id-prefix",
            )
        )
    for urn in [*company_ids, *product_ids]:
        if not URN.match(urn):
            problems.append(
                sheet.problem(
                    "product_ids" if urn in product_ids else "company_ids",
                    f"{urn!r} is not a URN (urn:…)",
                )
            )
    classifications = sheet.urns("product_classifications", problems)
    start = sheet.date("reference_period_start", problems) or options.reference_period_start
    end = sheet.date("reference_period_end", problems) or options.reference_period_end
    if start is None or end is None:
        problems.append(
            sheet.problem(
                "reference_period_start",
                "the reference period is "
                "missing; give --pact-reference-period START:END or "
                "reference_period_start/_end columns (YYYY-MM-DD)",
            )
        )
    elif end <= start:
        problems.append(
            sheet.problem(
                "reference_period_end",
                f"the reference period ends ({end}) before it starts ({start})",
            )
        )
    geography = _geography(sheet, problems)

    mass = product.mass_kg if product.mass_kg is not None else product.declared_mass_kg
    if mass is None or mass <= 0:
        problems.append(
            sheet.problem(
                "mass_kg",
                "the product's mass is unknown (no line in "
                "kg); PACT needs productMassPerDeclaredUnit",
            )
        )
    parts = _gate_parts(product, infos, _upstream_map(infos))
    carbon = _carbon_content(product, sheet, problems)
    packaging = sheet.flag("packaging_emissions_included", problems)
    bases, unknown_basis = _gwp_bases(parts.datasets, infos)
    if unknown_basis:
        problems.append(
            sheet.problem(
                "dataset",
                "the GWP basis of "
                f"{', '.join(sorted(unknown_basis))} is not known; add "
                "gwp_basis (AR4, AR5 or AR6) to its dataset file",
            )
        )
    if problems:
        return problems
    assert start is not None and end is not None and mass is not None and carbon is not None

    fossil_carbon, biogenic_carbon = carbon
    uptake = -biogenic_carbon * CO2_PER_C
    pcf: dict[str, Any] = {
        "declaredUnitOfMeasurement": "piece",
        "declaredUnitAmount": "1",
        "productMassPerDeclaredUnit": decimal_text(mass),
        "referencePeriodStart": _instant(start),
        "referencePeriodEnd": _instant(end),
        **geography,
        "boundaryProcessesDescription": _boundary_text(product, parts),
        "pcfExcludingBiogenicUptake": decimal_text(parts.total),
        "pcfIncludingBiogenicUptake": decimal_text(parts.total + uptake),
        "fossilGhgEmissions": decimal_text(max(parts.fossil + parts.not_split, 0.0)),
        "fossilCarbonContent": decimal_text(fossil_carbon),
        "biogenicCarbonContent": decimal_text(biogenic_carbon),
        "biogenicCO2Uptake": decimal_text(uptake),
    }
    if parts.not_split == 0:  # the split is complete: the land and biogenic fields are known
        pcf["landUseChangeGhgEmissions"] = decimal_text(max(parts.luluc, 0.0))
        pcf["biogenicNonCO2Emissions"] = decimal_text(max(parts.biogenic, 0.0))
    pcf |= {
        "packagingEmissionsIncluded": packaging,
        "ccsTechnologicalCO2CaptureIncluded": False,
        "ipccCharacterizationFactors": bases,
        "crossSectoralStandards": list(options.cross_sectoral_standards),
        "exemptedEmissionsPercent": "0",
        "exemptedEmissionsDescription": "",
        "allocationRulesDescription": (
            "No allocation in the product system: each BOM line is scored with a dataset per "
            "reference unit; allocation inside secondary datasets is their sources'."
        ),
    }
    sources = _secondary_sources(parts.datasets, infos)
    if sources:
        pcf["secondaryEmissionFactorSources"] = sources
    share = 100 * parts.primary / abs(parts.total) if parts.total else 0.0
    pcf["primaryDataShare"] = decimal_text(round(share, 4))
    quality = product.data_quality
    if quality is not None and None not in (quality.ter, quality.ger, quality.tir):
        pcf["dqi"] = {  # PEF DQR criteria, contribution-weighted, rounded to 2 decimals
            "technologicalDQR": decimal_text(round(quality.ter or 0.0, 2)),
            "geographicalDQR": decimal_text(round(quality.ger or 0.0, 2)),
            "temporalDQR": decimal_text(round(quality.tir or 0.0, 2)),
        }
    document: dict[str, Any] = {
        "id": "",
        "specVersion": SPEC_VERSION,
        "created": _instant(created),
        "status": "Active",
        "companyName": company_name,
        "companyIds": company_ids,
        "productDescription": sheet.text("product_description")
        or product.functional_unit
        or product.name
        or product.id,
        "productIds": product_ids,
        **({"productClassifications": classifications} if classifications else {}),
        "productNameCompany": product.name or product.id,
        "comment": _comment(product, parts, sheet),
        "pcf": pcf,
    }
    document["id"] = content_id(document)
    return document


def content_id(document: Mapping[str, Any]) -> str:
    """The footprint id footprint gives a document: a UUID (v5) of its content, leaving out
    the fields that describe its history (id, created, status, precedingPfIds)."""
    content = {
        k: v for k, v in document.items() if k not in ("id", "created", "status", "precedingPfIds")
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(uuid.uuid5(ID_NAMESPACE, canonical))


def _gate_parts(
    product: ProductResult,
    infos: Mapping[str, DatasetInfo],
    upstream: Mapping[str, set[str]],
) -> _Parts:
    parts = _Parts()
    per_unit = 1.0 / product.reference_flow if product.reference_flow else 1.0
    for line in product.lines:
        if line.stage not in GATE_STAGES or line.dataset is None:
            continue
        figure = line.climate_change_cut_off or line.climate_change
        total = figure.total * per_unit
        parts.total += total
        parts.fossil += figure.fossil * per_unit
        parts.biogenic += figure.biogenic * per_unit
        parts.luluc += figure.luluc * per_unit
        parts.not_split += figure.not_split * per_unit
        parts.lines += 1
        parts.datasets.add(line.dataset)
        parts.datasets.update(upstream.get(line.dataset, ()))
        info = infos.get(line.dataset)
        primary = info.primary_data_share if info is not None else None
        if primary:
            parts.primary += abs(total) * primary / 100
    # rounding noise of a split that is complete is not an unsplit part
    if abs(parts.not_split) <= 1e-12 * max(abs(parts.total), 1.0):
        parts.not_split = 0.0
    return parts


def _upstream_map(infos: Mapping[str, DatasetInfo]) -> dict[str, set[str]]:
    """Dataset id → every dataset its figure rests on upstream, through every level of
    ``inputs`` (``DatasetInfo.input_of`` names only the direct user)."""
    direct: dict[str, set[str]] = {}
    for info in infos.values():
        for user in info.input_of:
            direct.setdefault(user, set()).add(info.id)
    closed: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        stack = list(direct[start])
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(direct.get(name, ()))
        closed[start] = seen
    return closed


def _carbon_content(
    product: ProductResult, sheet: ProductSheet, problems: list[Problem]
) -> tuple[float, float] | None:
    """(fossil, biogenic) kg C in one product: from the Products sheet, else from the lines'
    material families; None (with a problem) when a material line's family is not known."""
    fossil = sheet.number("fossil_carbon_content_kg", problems)
    biogenic = sheet.number("biogenic_carbon_content_kg", problems)
    if fossil is not None and biogenic is not None:
        return fossil, biogenic
    table = carbon_contents()
    computed = [0.0, 0.0]
    unknown: list[LineResult] = []
    for line in _material_lines(product):
        content = table.get(line.material or "")
        if content is None:
            unknown.append(line)
            continue
        computed[0] += (line.mass_kg or 0.0) * content.fossil
        computed[1] += (line.mass_kg or 0.0) * content.biogenic
    if unknown:
        named = ", ".join(
            f"{line.id} ({line.material or 'no material family'})" for line in unknown[:5]
        )
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        problems.append(
            sheet.problem(
                "fossil_carbon_content_kg",
                "the carbon content of "
                f"lines {named}{more} is not known; give "
                "fossil_carbon_content_kg and biogenic_carbon_content_kg "
                "(kg C per product) on the Products sheet",
            )
        )
        return None
    return (
        fossil if fossil is not None else computed[0],
        biogenic if biogenic is not None else computed[1],
    )


def _material_lines(product: ProductResult) -> Iterable[LineResult]:
    """Lines that are product mass: they have a mass, a dataset, and do not treat waste."""
    for line in product.lines:
        if line.dataset is not None and line.mass_kg and not line.is_waste_treatment():
            yield line


def _gwp_bases(
    datasets: Iterable[str], infos: Mapping[str, DatasetInfo]
) -> tuple[list[str], set[str]]:
    bases: set[str] = set()
    unknown: set[str] = set()
    for dataset in datasets:
        info = infos.get(dataset)
        if info is None:
            continue
        if "::" in dataset:  # a Brightway activity, characterised by the EF 3.1 method
            bases.add("AR6")
            continue
        basis = (info.gwp_basis or "").strip().upper()
        if basis in _EF31_BASES:
            bases.add("AR6")
        elif re.fullmatch(r"AR\d+", basis):
            bases.add(basis)
        else:
            unknown.add(dataset)
    return sorted(bases, key=lambda b: int(b[2:])), unknown


def _secondary_sources(
    datasets: Iterable[str], infos: Mapping[str, DatasetInfo]
) -> list[dict[str, str]]:
    """Each secondary source once: its publication (first two parts of the citation) and
    year, or a Brightway database with its project."""
    found: dict[tuple[str, str], None] = {}
    for dataset in sorted(datasets):
        info = infos.get(dataset)
        if info is None or not info.source or info.primary_data_share:
            continue
        name = ", ".join(part.strip() for part in info.source.split(",")[:2])
        version = str(info.year) if info.year is not None else "not stated"
        found[(name, version)] = None
    return [{"name": name, "version": version} for name, version in found]


def _boundary_text(product: ProductResult, parts: _Parts) -> str:
    return (
        f"Cradle to gate of one {product.name or product.id}: raw material acquisition and "
        f"pre-processing, and main production ({parts.lines} BOM lines, each scored with its "
        "dataset, cut-off for recycled inputs). Distribution, use and end of life are outside "
        "the PACT boundary and left out."
    )


def _comment(product: ProductResult, parts: _Parts, sheet: ProductSheet) -> str:
    notes = [
        "Computed by footprint from a bill of materials with the EF 3.1 climate change "
        "indicator where the datasets allow it (see ipccCharacterizationFactors).",
    ]
    if product.reference_flow != 1:
        notes.append(
            f"footprint's figures are per functional unit ({product.reference_flow:g} products); "
            "this document is per product."
        )
    if parts.not_split:
        share = 100 * parts.not_split / parts.total if parts.total else 0.0
        notes.append(
            f"{share:.1f} % of pcfExcludingBiogenicUptake rests on datasets that publish no "
            "fossil/biogenic/land-use split; it is counted in fossilGhgEmissions, and the "
            "land-use and biogenic fields are left undefined (unknown)."
        )
    if _key("packaging_emissions_included") not in sheet.keys:
        notes.append(
            "packagingEmissionsIncluded is false because the BOM does not say which lines are "
            "packaging (Products sheet column packaging_emissions_included)."
        )
    return " ".join(notes)


def _geography(sheet: ProductSheet, problems: list[Problem]) -> dict[str, str]:
    value = sheet.text("geography")
    if not value:
        return {}
    if re.fullmatch(r"[A-Z]{2}", value):
        return {"geographyCountry": value}
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", value):
        return {"geographyCountrySubdivision": value}
    if value in REGIONS:
        return {"geographyRegionOrSubregion": value}
    problems.append(
        sheet.problem(
            "geography",
            f"{value!r} is not an ISO 3166-1 alpha-2 "
            "country (DE), an ISO 3166-2 subdivision (DE-BW) or a UN "
            "region (Western Europe)",
        )
    )
    return {}


def _instant(moment: date | datetime) -> str:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{moment.isoformat()}T00:00:00Z"


class ProductSheet:
    """A product's Products-sheet extra columns, looked up by name whatever their spelling."""

    def __init__(self, product: ProductResult) -> None:
        self.product = product
        self.values = {_key(k): v for k, v in product.extra.items() if v not in (None, "")}
        self.keys = set(self.values)

    def problem(self, column: str, message: str) -> Problem:
        return Problem(
            f"product {self.product.id}: {message}",
            file=self.product.source_file,
            sheet="Products",
            column=column,
        )

    def text(self, name: str) -> str | None:
        value = self.values.get(_key(name))
        return str(value).strip() if value is not None else None

    def urns(self, name: str, problems: list[Problem]) -> list[str]:
        text = self.text(name)
        if not text:
            return []
        values = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
        if len(set(values)) != len(values):
            problems.append(self.problem(name, f"{name} repeats an id; ids are unique"))
        return list(dict.fromkeys(values))

    def date(self, name: str, problems: list[Problem]) -> date | None:
        value = self.values.get(_key(name))
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            problems.append(self.problem(name, f"{value!r} is not a date (YYYY-MM-DD)"))
            return None

    def number(self, name: str, problems: list[Problem]) -> float | None:
        value = self.values.get(_key(name))
        if value is None:
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if not number >= 0:
            problems.append(self.problem(name, f"{value!r} is not a number ≥ 0 (kg C)"))
            return None
        return number

    def flag(self, name: str, problems: list[Problem]) -> bool:
        value = self.values.get(_key(name))
        if value is None:
            return False
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "y"):
            return True
        if text in ("false", "no", "0", "n"):
            return False
        problems.append(self.problem(name, f"{value!r} is not yes or no"))
        return False


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name.strip().lower())


def to_json(documents: Sequence[Mapping[str, Any]]) -> str:
    """The documents as a PACT JSON file: a list of ProductFootprints, one per product."""
    return json.dumps(list(documents), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
