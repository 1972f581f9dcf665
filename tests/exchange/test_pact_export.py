"""PACT v3 export: every document passes a validator written here from the specification,
its figures equal a hand computation, it round-trips through the importer, and missing company
or product data is one line per problem with nothing written."""

from __future__ import annotations

import hashlib
import json

# A validator of PACT v3 ProductFootprint documents, written here from the specification
# (WBCSD PACT Technical Specification v3, ``spec/v3/openapi.yaml`` 3.0.3 of the public
# repository wbcsd/data-exchange-protocol), independently of footprint's exporter: the required
# lists of ``ProductFootprint``, ``CarbonFootprint`` and ``DataQualityIndicators``, the string
# patterns of ``Decimal``, ``PositiveOrZeroDecimal``, ``NegativeOrZeroDecimal``,
# ``PositiveNonZeroDecimal`` and ``Urn``, the enums, the geography ``oneOf``, and the x-rule
# SHALL fields.  It returns every violation as text (empty: valid).
import re
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from footprint.catalog import read_dataset_file
from footprint.errors import FootprintError
from footprint.exchange.pact import CO2_PER_C, PactOptions, product_footprints, to_json

DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
POSITIVE_OR_ZERO = re.compile(r"^[+]?\d+(\.\d+)?$")
NEGATIVE_OR_ZERO = re.compile(r"^(-\d+(\.\d+)?)$|^0+(\.0+)?$")
POSITIVE_NON_ZERO = re.compile(r"^[+]?((\d*[1-9]\d*)(\.\d+)?|(0+\.\d*[1-9]\d*))$")
URN = re.compile(r"^([uU][rR][nN]):")
SPEC_VERSION = re.compile(r"^\d+\.\d+\.\d+(-\d{8})?$")

PF_REQUIRED = (
    "id", "specVersion", "created", "status", "companyName", "companyIds",
    "productDescription", "productIds", "productNameCompany", "pcf",
)  # fmt: skip
CF_REQUIRED = (
    "declaredUnitOfMeasurement", "declaredUnitAmount", "productMassPerDeclaredUnit",
    "referencePeriodStart", "referencePeriodEnd", "pcfExcludingBiogenicUptake",
    "pcfIncludingBiogenicUptake", "fossilGhgEmissions", "fossilCarbonContent",
    "ipccCharacterizationFactors", "crossSectoralStandards", "exemptedEmissionsPercent",
)  # fmt: skip
CF_SHALL = ("packagingEmissionsIncluded", "ccsTechnologicalCO2CaptureIncluded", "primaryDataShare")
DECLARED_UNITS = {
    "liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer",
    "square meter", "piece", "hour", "megabit second",
}  # fmt: skip
POSITIVE_OR_ZERO_FIELDS = (
    "fossilCarbonContent", "biogenicCarbonContent", "recycledCarbonContent", "fossilGhgEmissions",
    "landUseChangeGhgEmissions", "landManagementFossilGhgEmissions",
    "landManagementBiogenicCO2Emissions", "biogenicNonCO2Emissions", "landAreaOccupation",
    "aircraftGhgEmissions", "packagingGhgEmissions", "outboundLogisticsGhgEmissions",
)  # fmt: skip
NEGATIVE_OR_ZERO_FIELDS = ("biogenicCO2Uptake", "landManagementBiogenicCO2Removals")
DECIMAL_FIELDS = (
    "productMassPerDeclaredUnit", "pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake",
    "exemptedEmissionsPercent", "primaryDataShare",
)  # fmt: skip
GEOGRAPHY = ("geographyRegionOrSubregion", "geographyCountry", "geographyCountrySubdivision")


def _datetime(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in text


def violations(document: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for name in PF_REQUIRED:
        if name not in document:
            found.append(f"ProductFootprint.{name} is required")
    try:
        uuid.UUID(str(document.get("id")))
    except ValueError:
        found.append("id is not a UUID")
    if not SPEC_VERSION.match(str(document.get("specVersion", ""))):
        found.append("specVersion does not match major.minor.patch")
    if not _datetime(document.get("created")):
        found.append("created is not a date-time")
    if document.get("status") not in ("Active", "Deprecated"):
        found.append("status is not Active or Deprecated")
    for name in ("companyName", "productNameCompany"):
        if not isinstance(document.get(name), str) or not document.get(name):
            found.append(f"{name} is not a non-empty string")
    for name in ("companyIds", "productIds"):
        values = document.get(name)
        if not isinstance(values, list) or not values or len(set(values)) != len(values):
            found.append(f"{name} is not a non-empty set")
        elif not all(isinstance(v, str) and URN.match(v) for v in values):
            found.append(f"{name} holds a value that is not a URN")
    preceding = document.get("precedingPfIds")
    if preceding is not None:
        if not preceding or len(set(preceding)) != len(preceding):
            found.append("precedingPfIds must be a non-empty set")
        for value in preceding:
            try:
                uuid.UUID(value)
            except ValueError:
                found.append("precedingPfIds holds a non-UUID")
    pcf = document.get("pcf")
    if not isinstance(pcf, dict):
        return [*found, "pcf is not an object"]
    for name in CF_REQUIRED + CF_SHALL:
        if name not in pcf:
            found.append(f"CarbonFootprint.{name} is required")
    if pcf.get("declaredUnitOfMeasurement") not in DECLARED_UNITS:
        found.append("declaredUnitOfMeasurement is not one of the declared units")
    if not POSITIVE_NON_ZERO.match(str(pcf.get("declaredUnitAmount", ""))):
        found.append("declaredUnitAmount is not a decimal > 0")
    for name in DECIMAL_FIELDS:
        if name in pcf and not (isinstance(pcf[name], str) and DECIMAL.match(pcf[name])):
            found.append(f"{name} is not a Decimal string")
    for name in POSITIVE_OR_ZERO_FIELDS:
        if name in pcf and not (isinstance(pcf[name], str) and POSITIVE_OR_ZERO.match(pcf[name])):
            found.append(f"{name} is not a decimal ≥ 0")
    for name in NEGATIVE_OR_ZERO_FIELDS:
        if name in pcf and not (isinstance(pcf[name], str) and NEGATIVE_OR_ZERO.match(pcf[name])):
            found.append(f"{name} is not a decimal ≤ 0")
    for name in ("referencePeriodStart", "referencePeriodEnd"):
        if not _datetime(pcf.get(name)):
            found.append(f"{name} is not a date-time")
    if sum(name in pcf for name in GEOGRAPHY) > 1:
        found.append("at most one of the geography properties may be defined")
    if "geographyCountry" in pcf and not re.fullmatch(r"[A-Z]{2}", pcf["geographyCountry"]):
        found.append("geographyCountry is not ISO 3166-1 alpha-2")
    bases = pcf.get("ipccCharacterizationFactors")
    if not isinstance(bases, list) or not bases or len(set(bases)) != len(bases):
        found.append("ipccCharacterizationFactors is not a non-empty set")
    elif not all(re.fullmatch(r"AR\d+", b) for b in bases):
        found.append("ipccCharacterizationFactors holds a value that is not AR<n>")
    standards = pcf.get("crossSectoralStandards")
    if not isinstance(standards, list) or not standards:
        found.append("crossSectoralStandards is not a non-empty array")
    for name in ("packagingEmissionsIncluded", "ccsTechnologicalCO2CaptureIncluded"):
        if name in pcf and not isinstance(pcf[name], bool):
            found.append(f"{name} is not a boolean")
    if pcf.get("packagingEmissionsIncluded") is False and "packagingGhgEmissions" in pcf:
        found.append("packagingGhgEmissions must be undefined when packaging is not included")
    sources = pcf.get("secondaryEmissionFactorSources")
    if sources is not None and (
        not sources or not all(s.get("name") and s.get("version") for s in sources)
    ):
        found.append("secondaryEmissionFactorSources entries need a name and a version")
    dqi = pcf.get("dqi")
    if dqi is not None:
        for name in ("technologicalDQR", "geographicalDQR", "temporalDQR"):
            value = dqi.get(name)
            if not (isinstance(value, str) and DECIMAL.match(value) and 1 <= float(value) <= 5):
                found.append(f"dqi.{name} is not a decimal between 1 and 5")
    return found


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------

REL = 1e-6  # Brightway keeps factors in single precision (README, "Honest limits")


def test_the_validator_catches_what_the_spec_forbids() -> None:
    """The validator itself: a broken document is not passed."""
    broken = {"id": "not-a-uuid", "specVersion": "3", "pcf": {"fossilGhgEmissions": "-1"}}
    found = violations(broken)
    assert "id is not a UUID" in found
    assert "ProductFootprint.companyName is required" in found
    assert "fossilGhgEmissions is not a decimal ≥ 0" in found


def test_document_passes_the_spec_validator(box_assessment) -> None:
    (document,) = product_footprints(box_assessment)
    assert violations(document) == []
    assert document["specVersion"] == "3.0.0"
    assert document["companyIds"] == ["urn:company:example:acme"]
    assert document["productIds"] == ["urn:pact:example.com:product-id:box-1"]
    assert document["pcf"]["geographyCountry"] == "DE"
    assert document["pcf"]["referencePeriodStart"] == "2025-01-01T00:00:00Z"


def test_figures_by_hand(box_assessment) -> None:
    """Cradle to gate: paper 2 kg × 1.0 + resin 0.5 kg × 2.0 + press 1 kWh × 0.3 = 3.3 kg;
    the lorry (distribution) is outside.  Fossil 2 × 0.7 + 1.0 + 0.3 = 2.7; land use
    2 × 0.1 = 0.2; biogenic (methane, PEF simplified approach) 2 × 0.2 = 0.4.  Carbon: fossil
    2 × 0.00414 + 0.5 × 0.85628 = 0.43642 kg C; biogenic 2 × 0.40986 = 0.81972 kg C, whose CO2
    uptake is −0.81972 × 44.009 / 12.011 = −3.00350 kg; including uptake 3.3 − 3.00350."""
    (document,) = product_footprints(box_assessment)
    pcf = {k: v for k, v in document["pcf"].items() if isinstance(v, str)}
    number = {k: float(v) for k, v in pcf.items() if DECIMAL.match(v)}
    assert number["pcfExcludingBiogenicUptake"] == pytest.approx(3.3, rel=REL)
    assert number["fossilGhgEmissions"] == pytest.approx(2.7, rel=REL)
    assert number["landUseChangeGhgEmissions"] == pytest.approx(0.2, rel=REL)
    assert number["biogenicNonCO2Emissions"] == pytest.approx(0.4, rel=REL)
    assert number["fossilCarbonContent"] == pytest.approx(0.43642, rel=1e-12)
    assert number["biogenicCarbonContent"] == pytest.approx(0.81972, rel=1e-12)
    uptake = -0.81972 * 44.009 / 12.011
    assert number["biogenicCO2Uptake"] == pytest.approx(uptake, rel=1e-12)
    assert number["pcfIncludingBiogenicUptake"] == pytest.approx(3.3 + uptake, rel=REL)
    assert number["productMassPerDeclaredUnit"] == pytest.approx(2.5, rel=1e-12)
    assert pytest.approx(3.664, rel=1e-3) == CO2_PER_C
    assert document["pcf"]["ipccCharacterizationFactors"] == ["AR5", "AR6"]
    assert document["pcf"]["primaryDataShare"] == "0"


def test_decimals_are_plain_strings() -> None:
    from footprint.exchange.decimals import decimal_text

    assert decimal_text(0.4) == "0.4"
    assert decimal_text(1e-7) == "0.0000001"
    assert decimal_text(-0.0) == "0"
    assert decimal_text(12345678901234.5) == "12345678901234.5"
    with pytest.raises(ValueError):
        decimal_text(float("nan"))


def test_ids_follow_content(box_assessment) -> None:
    first = product_footprints(box_assessment)[0]
    again = product_footprints(box_assessment)[0]
    assert first["id"] == again["id"]  # same content, same id
    other = product_footprints(box_assessment, PactOptions(cross_sectoral_standards=("PEF",)))[0]
    assert other["id"] != first["id"]


def test_round_trip_through_the_importer(box_assessment, tmp_path: Path) -> None:
    (document,) = product_footprints(box_assessment)
    path = tmp_path / "pcfs.json"
    path.write_text(to_json([document]), encoding="utf-8")
    (dataset,) = read_dataset_file(path)
    assert dataset.id == document["id"]
    assert dataset.unit == "piece"
    assert dataset.aliases == document["productIds"]
    assert dataset.climate_change == float(document["pcf"]["pcfExcludingBiogenicUptake"])
    assert dataset.climate_change_fossil == float(document["pcf"]["fossilGhgEmissions"])
    assert dataset.climate_change_luluc == float(document["pcf"]["landUseChangeGhgEmissions"])
    assert dataset.climate_change_biogenic == float(document["pcf"]["biogenicNonCO2Emissions"])


def test_missing_company_and_product_data_one_line_each(box_assessment) -> None:
    product = box_assessment.products[0]
    bare = product.model_copy(update={"extra": {}})
    assessment = box_assessment.model_copy(update={"products": [bare]})
    with pytest.raises(FootprintError) as caught:
        product_footprints(assessment)
    lines = str(caught.value).splitlines()
    assert [line.split(": product")[0] for line in lines] == [
        "box-1.products.csv, sheet Products, column company_name",
        "box-1.products.csv, sheet Products, column company_ids",
        "box-1.products.csv, sheet Products, column product_ids",
        "box-1.products.csv, sheet Products, column reference_period_start",
    ]
    options = PactOptions(
        company_name="Acme",
        company_ids=("urn:company:example:acme",),
        product_id_prefix="urn:pact:example.com:product-id:",
    )
    with pytest.raises(FootprintError, match="reference period is missing"):
        product_footprints(assessment, options)


def test_unknown_carbon_content_is_an_error_not_zero(box_assessment) -> None:
    product = box_assessment.products[0]
    lines = [
        line.model_copy(update={"material": "steel"}) if line.id == "resin" else line
        for line in product.lines
    ]
    assessment = box_assessment.model_copy(
        update={"products": [product.model_copy(update={"lines": lines})]}
    )
    with pytest.raises(FootprintError, match=r"carbon content of lines resin \(steel\)"):
        product_footprints(assessment)
    given = {**product.extra, "fossil_carbon_content_kg": 0.5, "biogenic_carbon_content_kg": 0}
    declared = assessment.products[0].model_copy(update={"extra": given})
    (document,) = product_footprints(assessment.model_copy(update={"products": [declared]}))
    assert document["pcf"]["fossilCarbonContent"] == "0.5"
    assert document["pcf"]["biogenicCO2Uptake"] == "0"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "footprint", *args], capture_output=True, text=True, check=False
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_missing_data_writes_nothing(box_files, tmp_path: Path) -> None:
    products = tmp_path / "plain.products.csv"
    products.write_text("product,name\nplain,Plain box\n", encoding="utf-8")
    bom = tmp_path / "plain.csv"
    bom.write_text(box_files["bom"].read_text(encoding="utf-8"), encoding="utf-8")
    existing = tmp_path / "out.json"
    existing.write_text("{}", encoding="utf-8")
    before = _digest(existing)
    result = _cli(
        "assess",
        str(bom),
        "--datasets",
        str(box_files["datasets"]),
        "--json",
        str(existing),
        "--pact",
        str(tmp_path / "pact.json"),
    )
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    assert "Traceback" not in result.stderr
    assert _digest(existing) == before
    assert not (tmp_path / "pact.json").exists()


def test_cli_writes_pact_and_store_keeps_ids(box_files, tmp_path: Path) -> None:
    store = tmp_path / "footprints.db"
    out = tmp_path / "pact.json"
    args = ("assess", str(box_files["bom"]), "--datasets", str(box_files["datasets"]),
            "--pact", str(out), "--pact-store", str(store), "--quiet")  # fmt: skip
    first = _cli(*args)
    assert first.returncode == 0, first.stderr
    (document,) = json.loads(out.read_text(encoding="utf-8"))
    assert violations(document) == []
    second = _cli(*args)
    assert second.returncode == 0, second.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == [document]  # same id, same created


def test_packaging_flag_from_the_products_sheet(box_assessment) -> None:
    product = box_assessment.products[0]
    flagged = product.model_copy(
        update={"extra": {**product.extra, "Packaging emissions included": "yes"}}
    )
    assessment = box_assessment.model_copy(update={"products": [flagged]})
    (document,) = product_footprints(assessment)
    assert document["pcf"]["packagingEmissionsIncluded"] is True
    assert "packagingEmissionsIncluded is false" not in document["comment"]
    (plain,) = product_footprints(box_assessment)
    assert "packagingEmissionsIncluded is false" in plain["comment"]


def test_upstream_datasets_through_every_level() -> None:
    """A lorry whose fuel has its own well-to-tank: both rest under the lorry line."""
    from footprint.exchange.pact import _upstream_map
    from footprint.model import DatasetInfo

    infos = {
        "lorry": DatasetInfo(id="lorry", name="lorry", unit="t*km"),
        "diesel": DatasetInfo(id="diesel", name="diesel", unit="l", input_of=["lorry"]),
        "wtt": DatasetInfo(id="wtt", name="well to tank", unit="l", input_of=["diesel"]),
    }
    assert _upstream_map(infos) == {"lorry": {"diesel", "wtt"}, "diesel": {"wtt"}}
