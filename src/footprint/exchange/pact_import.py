"""Supplier PCFs in: PACT v2 and v3 ProductFootprint documents as datasets (``--datasets
pcfs.json``).

A file holds one ProductFootprint, a list of them, or an API response (``{"data": …}``).
Each becomes a dataset whose id is the footprint's ``id``; a BOM line may also name it by any
of its ``productIds`` (an alias), so ``dataset = urn:gtin:4712345060507`` works.  Per declared
unit (the amount ``declaredUnitAmount`` of ``declaredUnitOfMeasurement``), the dataset's climate
change is ``pcfExcludingBiogenicUptake`` (v2: ``pCfExcludingBiogenic``): under the PEF
simplified approach the biogenic uptake is not counted.  Its fossil, land-use and biogenic
parts are given only when the published parts add up to that total; otherwise only the total
is kept and the note says which parts were published.  The data-quality criteria TeR, GeR and
TiR come from ``dqi`` (PACT has no precision criterion, so no DQR is computed), the primary
data share from ``primaryDataShare``, and the validity period from ``validityPeriodStart/End``
(default: three years from the end of the reference period).  Deprecated footprints can be
named by their id only, never through a product id.

Every problem of a file is reported together, one line each, naming the document (its index
and id) and the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from footprint.errors import DatasetError, Problem
from footprint.exchange.decimals import parse_decimal
from footprint.exchange.pact_store import three_years_after
from footprint.model import DataQuality, Dataset, SourceRef, Warning_
from footprint.units import parse_unit

MAX_FILE_BYTES = 50 * 2**20
# PACT's declared units (v3 openapi.yaml, declaredUnitOfMeasurement; v2: declaredUnit) and
# the units footprint computes in
PACT_UNITS = {
    "liter": "l",
    "kilogram": "kg",
    "cubic meter": "m**3",
    "kilowatt hour": "kWh",
    "megajoule": "MJ",
    "ton kilometer": "t*km",
    "square meter": "m**2",
    "piece": "piece",
    "hour": "hour",
    "megabit second": "Mbit*s",
}
_TOTAL = {"3": "pcfExcludingBiogenicUptake", "2": "pCfExcludingBiogenic"}
_UNIT = {"3": "declaredUnitOfMeasurement", "2": "declaredUnit"}
_AMOUNT = {"3": "declaredUnitAmount", "2": "unitaryProductAmount"}
_LULUC = {"3": "landUseChangeGhgEmissions", "2": "dLucGhgEmissions"}
_BIOGENIC = {
    "3": (
        "biogenicNonCO2Emissions",
        "landManagementBiogenicCO2Emissions",
        "landManagementBiogenicCO2Removals",
    ),
    "2": ("otherBiogenicGhgEmissions", "landManagementGhgEmissions"),
}
_SPLIT_TOLERANCE = 1e-9


def is_pact_file(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def read_pact_file(path: Path) -> list[Dataset]:
    """The datasets of a PACT JSON file; raise ``DatasetError`` listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(Problem("PACT file not found", file=str(path)))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DatasetError(
            Problem(f"file is larger than {MAX_FILE_BYTES // 2**20} MB", file=str(path))
        )
    try:
        body = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise DatasetError(
            Problem(f"not a JSON document ({_first_line(error)})", file=str(path))
        ) from None
    if isinstance(body, dict) and "data" in body and "pcf" not in body:
        body = body["data"]  # a PACT API response
    documents = body if isinstance(body, list) else [body]
    problems: list[Problem] = []
    datasets: list[Dataset] = []
    for index, document in enumerate(documents, start=1):
        reader = _DocumentReader(path, index, document)
        dataset = reader.dataset()
        problems.extend(reader.problems)
        if dataset is not None:
            datasets.append(dataset)
    seen: dict[str, int] = {}
    for index, dataset in enumerate(datasets, start=1):
        if dataset.id in seen:
            problems.append(
                Problem(f"footprint id {dataset.id} appears twice", file=str(path), column="id")
            )
        seen[dataset.id] = index
    if problems:
        raise DatasetError(problems)
    return datasets


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


class _DocumentReader:
    def __init__(self, path: Path, index: int, document: Any) -> None:
        self.path = path
        self.index = index
        self.document = document
        self.problems: list[Problem] = []
        self.label = f"footprint {index}"

    def problem(self, field: str, message: str) -> None:
        self.problems.append(
            Problem(f"{self.label}: {field}: {message}", file=str(self.path), column=field)
        )

    def dataset(self) -> Dataset | None:
        doc = self.document
        if not isinstance(doc, dict):
            self.problem("(document)", "is not a JSON object (a PACT ProductFootprint)")
            return None
        identifier = doc.get("id")
        if isinstance(identifier, str) and identifier.strip():
            self.label = f"footprint {self.index} ({identifier})"
        else:
            self.problem("id", "is missing; every ProductFootprint has an id")
        version = self._spec_major(doc.get("specVersion"))
        pcf = doc.get("pcf")
        if not isinstance(pcf, dict):
            self.problem("pcf", "is missing or not an object")
            return None
        if version is None:
            return None
        name = self._text(doc, "productNameCompany")
        product_ids = self._urns(doc, "productIds")
        status = doc.get("status", "Active")
        if status not in ("Active", "Deprecated"):
            self.problem("status", f"{status!r} is not Active or Deprecated")

        unit_name = pcf.get(_UNIT[version])
        unit: str | None = None
        if unit_name not in PACT_UNITS:
            known = ", ".join(repr(u) for u in PACT_UNITS if version == "3" or u in _V2_UNITS)
            self.problem(
                f"pcf.{_UNIT[version]}", f"{unit_name!r} is not a PACT declared unit ({known})"
            )
        else:
            unit = parse_unit(PACT_UNITS[unit_name])
        amount = self._number(pcf, _AMOUNT[version], required=True)
        if amount is not None and amount <= 0:
            self.problem(f"pcf.{_AMOUNT[version]}", f"{amount:g} must be > 0")
            amount = None
        total = self._number(pcf, _TOTAL[version], required=True)
        fossil = self._number(pcf, "fossilGhgEmissions", required=True)
        luluc = self._number(pcf, _LULUC[version])
        biogenic_parts = [self._number(pcf, name) for name in _BIOGENIC[version]]
        quality = self._quality(pcf)
        primary = self._number(pcf, "primaryDataShare")
        if primary is not None and not 0 <= primary <= 100:
            self.problem("pcf.primaryDataShare", f"{primary:g} is not a percentage (0–100)")
        start, end = self._validity(doc, pcf)
        bases = pcf.get("ipccCharacterizationFactors")
        if bases is None:  # v2 and early v3 names
            bases = pcf.get("ipccCharacterizationFactorsSources") or (
                [pcf["characterizationFactors"]] if "characterizationFactors" in pcf else None
            )
        if self.problems or unit is None or amount is None or total is None or fossil is None:
            return None
        per_unit = 1.0 / amount
        fields: dict[str, Any] = {"climate_change": total * per_unit}
        biogenic = sum(p for p in biogenic_parts if p is not None)
        published = {"fossil": fossil, "land use": luluc}
        if any(p is not None for p in biogenic_parts):
            published["biogenic"] = biogenic
        split = fossil + (luluc or 0.0) + biogenic
        if math.isclose(split, total, rel_tol=_SPLIT_TOLERANCE, abs_tol=1e-12):
            fields |= {
                "climate_change_fossil": fossil * per_unit,
                "climate_change_luluc": (luluc or 0.0) * per_unit,
                "climate_change_biogenic": biogenic * per_unit,
            }
            split_note = "fossil, biogenic and land-use parts as published"
        else:
            shown = ", ".join(f"{k} {v:g}" for k, v in published.items() if v is not None)
            split_note = (
                f"published parts ({shown} per {amount:g} {unit_name}) do not add up to the "
                f"total {total:g}: only the total is used, not split"
            )
        company = doc.get("companyName") or "unknown company"
        notes = [
            f"Supplier PCF (PACT v{doc.get('specVersion')}, status {status}) of {company}",
            f"declared unit {amount:g} {unit_name}",
            split_note,
            f"valid {start} to {end}",
        ]
        if quality is not None:
            notes.append("PACT gives no precision (P) criterion: no DQR is computed")
        extra: dict[str, str | float | int | bool | None] = {
            "pact_id": identifier,
            "pact_status": status,
            "validity_start": start.isoformat(),
            "validity_end": end.isoformat(),
            "primary_data_share": primary,
        }
        reference_end = self._date(pcf, _REFERENCE_END)
        return Dataset(
            id=str(identifier),
            name=name or str(identifier),
            unit=unit,
            aliases=product_ids if status == "Active" else [],
            geography=pcf.get("geographyCountry") or pcf.get("geographyRegionOrSubregion"),
            year=reference_end.year if reference_end else None,
            source=f"PACT ProductFootprint {identifier} of {company}",
            gwp_basis="+".join(bases) if isinstance(bases, list) and bases else None,
            dqr=quality or DataQuality(),
            notes="; ".join(notes),
            extra=extra,
            origin=SourceRef(file=str(self.path)),
            **fields,
        )

    def _spec_major(self, value: Any) -> str | None:
        if not isinstance(value, str) or not value:
            self.problem("specVersion", "is missing; PACT documents state their version (3.0.0)")
            return None
        major = value.split(".")[0]
        if major not in ("2", "3"):
            self.problem(
                "specVersion", f"{value!r} is not a PACT version footprint reads (2.x, 3.x)"
            )
            return None
        return major

    def _text(self, doc: Mapping[str, Any], name: str) -> str | None:
        value = doc.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(name, "is missing or empty")
            return None
        return value.strip()

    def _urns(self, doc: Mapping[str, Any], name: str) -> list[str]:
        value = doc.get(name)
        if not isinstance(value, list) or not value:
            self.problem(name, "is missing; it is a non-empty list of URNs")
            return []
        bad = [v for v in value if not isinstance(v, str) or not v.lower().startswith("urn:")]
        if bad:
            self.problem(name, f"{bad[0]!r} is not a URN (urn:…)")
        return [v for v in value if isinstance(v, str)]

    def _number(self, pcf: Mapping[str, Any], name: str, *, required: bool = False) -> float | None:
        if name not in pcf or pcf[name] is None:
            if required:
                self.problem(f"pcf.{name}", "is missing")
            return None
        try:
            return parse_decimal(pcf[name])
        except (ValueError, ArithmeticError):
            self.problem(f"pcf.{name}", f'{pcf[name]!r} is not a decimal (e.g. "1.25")')
            return None

    def _quality(self, pcf: Mapping[str, Any]) -> DataQuality | None:
        dqi = pcf.get("dqi")
        if dqi is None:
            return None
        if not isinstance(dqi, dict):
            self.problem("pcf.dqi", "is not an object")
            return None
        scores: dict[str, float | None] = {}
        for field, criterion in (
            ("technologicalDQR", "ter"),
            ("geographicalDQR", "ger"),
            ("temporalDQR", "tir"),
        ):
            value = self._number(dqi, field)
            if value is not None and not 1 <= value <= 5:
                self.problem(f"pcf.dqi.{field}", f"{value:g} is not between 1 and 5")
                value = None
            scores[criterion] = value
        return DataQuality(**scores)

    def _date(self, where: Mapping[str, Any], name: str) -> date | None:
        value = where.get(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            self.problem(name, f"{value!r} is not a date-time (2025-01-31T00:00:00Z)")
            return None

    def _validity(self, doc: Mapping[str, Any], pcf: Mapping[str, Any]) -> tuple[date, date]:
        start = self._date(doc, "validityPeriodStart")
        end = self._date(doc, "validityPeriodEnd")
        reference_end = self._date(pcf, _REFERENCE_END)
        if reference_end is None and (start is None or end is None):
            self.problem(f"pcf.{_REFERENCE_END}", "is missing (it sets the validity period)")
            return date.min, date.min
        if start is None:
            start = reference_end or date.min
        if end is None:
            end = three_years_after(reference_end or start)
        if end <= start:
            self.problem("validityPeriodEnd", f"{end} is not after validityPeriodStart {start}")
        return start, end


_REFERENCE_END = "referencePeriodEnd"
_V2_UNITS = {
    "liter",
    "kilogram",
    "cubic meter",
    "kilowatt hour",
    "megajoule",
    "ton kilometer",
    "square meter",
}


def _imported(record: Dataset) -> bool:
    return "pact_id" in record.extra


def expiry_warnings(linked: Iterable[Any], on: date) -> list[Warning_]:
    """A warning for each imported PACT footprint a product uses whose validity period has
    ended by ``on`` (the end is exclusive), or whose status is Deprecated."""
    warnings: list[Warning_] = []
    seen: set[tuple[str, str]] = set()
    for item in linked:
        for line in item.lines_linking(_imported):
            record = line.record
            assert record is not None
            key = (item.product.id, record.id)
            if key in seen:
                continue
            seen.add(key)
            end = date.fromisoformat(str(record.extra["validity_end"]))
            where = {
                "file": line.line.source.file,
                "sheet": line.line.source.sheet,
                "row": line.line.source.row,
                "column": "dataset",
            }
            if end <= on:
                warnings.append(
                    Warning_(
                        message=f"supplier PCF {record.id} ({record.name}) expired on {end} "
                        f"(assessment date {on}); ask the supplier for a current one",
                        product=item.product.id,
                        **where,
                    )
                )
            if record.extra.get("pact_status") == "Deprecated":
                warnings.append(
                    Warning_(
                        message=f"supplier PCF {record.id} ({record.name}) is Deprecated: a newer "
                        "footprint replaces it",
                        product=item.product.id,
                        **where,
                    )
                )
    return warnings
