"""Supplier PCFs in: PACT v2 and v3 documents, shaped as the specification's examples write
them (spec/v3/examples, spec/v2/examples of wbcsd/data-exchange-protocol; the values here are
our own), become datasets with their figures per declared unit; a BOM line names them by
footprint id or product id; bad documents are one line per problem."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from footprint.catalog import Catalog, read_dataset_file
from footprint.errors import DatasetError

V3: dict[str, Any] = {
    "id": "3f1d1e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6",
    "specVersion": "3.0.0",
    "created": "2025-04-30T00:00:00Z",
    "status": "Active",
    "validityPeriodStart": "2025-01-01T00:00:00Z",
    "validityPeriodEnd": "2027-12-31T00:00:00Z",
    "companyName": "Cell Supplier AG",
    "companyIds": ["urn:company:example:cellsupplier"],
    "productDescription": "Aluminium housing, anodised",
    "productIds": ["urn:gtin:4000000000017", "urn:pact:cellsupplier.example:product-id:H-7"],
    "productClassifications": ["urn:pact:productclassification:un-cpc:41532"],
    "productNameCompany": "Housing H-7",
    "pcf": {
        "declaredUnitOfMeasurement": "kilogram",
        "declaredUnitAmount": "4",
        "productMassPerDeclaredUnit": "4",
        "referencePeriodStart": "2024-01-01T00:00:00Z",
        "referencePeriodEnd": "2025-01-01T00:00:00Z",
        "geographyCountry": "DE",
        "pcfExcludingBiogenicUptake": "26",
        "pcfIncludingBiogenicUptake": "26",
        "fossilGhgEmissions": "24",
        "fossilCarbonContent": "0",
        "biogenicCarbonContent": "0",
        "landUseChangeGhgEmissions": "1.5",
        "biogenicNonCO2Emissions": "0.5",
        "ipccCharacterizationFactors": ["AR6"],
        "crossSectoralStandards": ["ISO14067", "PACT-3.0"],
        "exemptedEmissionsPercent": "0",
        "packagingEmissionsIncluded": False,
        "primaryDataShare": "62.5",
        "dqi": {"technologicalDQR": "1.6", "geographicalDQR": "1.8", "temporalDQR": "2.6"},
    },
}

V2_RESPONSE: dict[str, Any] = {
    "data": {
        "id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "specVersion": "2.0.0",
        "version": 1,
        "created": "2022-03-01T09:32:20Z",
        "status": "Active",
        "companyName": "Solvent Corp",
        "companyIds": ["urn:uuid:69585GB6-56T9-6958-E526-6FDGZJHU1326"],
        "productDescription": "Ethanol 98 %, bulk",
        "productIds": ["urn:gtin:5000000000019"],
        "productNameCompany": "Green Ethanol",
        "pcf": {
            "declaredUnit": "liter",
            "unitaryProductAmount": "2",
            "pCfExcludingBiogenic": "3.2",
            "pCfIncludingBiogenic": "1.1",
            "fossilGhgEmissions": "2.4",
            "fossilCarbonContent": "0",
            "biogenicCarbonContent": "0.41",
            "dLucGhgEmissions": "0.3",
            "characterizationFactors": "AR5",
            "referencePeriodStart": "2021-01-01T00:00:00Z",
            "referencePeriodEnd": "2022-01-01T00:00:00Z",
            "primaryDataShare": 12.9,
            "dqi": {"technologicalDQR": 1.6, "temporalDQR": 2.6, "geographicalDQR": 1.8},
        },
    }
}


def _write(folder: Path, name: str, body: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_v3_document_per_declared_unit(tmp_path: Path) -> None:
    (dataset,) = read_dataset_file(_write(tmp_path, "housing.json", V3))
    assert dataset.id == V3["id"]
    assert dataset.unit == "kg"
    # 26 kg CO2-eq per 4 kg: 6.5 per kg; fossil 24/4, land use 1.5/4, biogenic 0.5/4 add up
    assert dataset.climate_change == 6.5
    assert dataset.climate_change_fossil == 6.0
    assert dataset.climate_change_luluc == 0.375
    assert dataset.climate_change_biogenic == 0.125
    assert dataset.aliases == V3["productIds"]
    assert (dataset.dqr.ter, dataset.dqr.ger, dataset.dqr.tir) == (1.6, 1.8, 2.6)
    assert dataset.dqr.dqr is None  # PACT has no precision criterion
    assert dataset.extra["primary_data_share"] == 62.5
    assert dataset.extra["validity_end"] == "2027-12-31"
    assert dataset.gwp_basis == "AR6"


def test_v2_api_response_and_unsplit_total(tmp_path: Path) -> None:
    (dataset,) = read_dataset_file(_write(tmp_path, "ethanol.json", V2_RESPONSE))
    assert dataset.unit == "l"
    assert dataset.climate_change == 1.6  # 3.2 kg CO2-eq per 2 l
    # fossil 2.4 + dLUC 0.3 ≠ 3.2: only the total is kept, and the note says why
    assert dataset.climate_change_fossil is None
    assert "do not add up" in (dataset.notes or "")
    assert dataset.gwp_basis == "AR5"
    assert dataset.extra["primary_data_share"] == 12.9
    # no validity period: three years from the end of the reference period
    assert (dataset.extra["validity_start"], dataset.extra["validity_end"]) == (
        "2022-01-01",
        "2025-01-01",
    )


def test_a_list_of_footprints_and_product_id_aliases(tmp_path: Path) -> None:
    path = _write(tmp_path, "pcfs.json", [V3, V2_RESPONSE["data"]])
    catalog = Catalog(read_dataset_file(path))
    assert catalog.get("urn:gtin:4000000000017").id == V3["id"]
    assert catalog.get("urn:pact:cellsupplier.example:product-id:H-7").id == V3["id"]
    assert "urn:gtin:5000000000019" in catalog


def test_deprecated_footprint_has_no_product_id_alias(tmp_path: Path) -> None:
    old = {**V3, "id": "11111111-2222-4333-8444-555555555555", "status": "Deprecated"}
    catalog = Catalog(read_dataset_file(_write(tmp_path, "pcfs.json", [old, V3])))
    assert catalog.get("urn:gtin:4000000000017").id == V3["id"]
    assert old["id"] in catalog


def test_bad_documents_one_line_per_problem(tmp_path: Path) -> None:
    bad_unit = {**V3, "pcf": {**V3["pcf"], "declaredUnitOfMeasurement": "barrel"}}
    bad_number = {**V3, "id": "a" * 8, "pcf": {**V3["pcf"], "declaredUnitAmount": "four"}}
    missing = {k: v for k, v in V3.items() if k != "productIds"}
    missing["id"] = "b" * 8
    path = _write(tmp_path, "bad.json", [bad_unit, bad_number, missing])
    with pytest.raises(DatasetError) as caught:
        read_dataset_file(path)
    lines = str(caught.value).splitlines()
    assert lines == [
        "bad.json, column pcf.declaredUnitOfMeasurement: footprint 1 (3f1d1e2a-5b6c-4d7e-8f90-"
        "a1b2c3d4e5f6): pcf.declaredUnitOfMeasurement: 'barrel' is not a PACT declared unit "
        "('liter', 'kilogram', 'cubic meter', 'kilowatt hour', 'megajoule', 'ton kilometer', "
        "'square meter', 'piece', 'hour', 'megabit second')",
        "bad.json, column pcf.declaredUnitAmount: footprint 2 (aaaaaaaa): "
        "pcf.declaredUnitAmount: 'four' is not a decimal (e.g. \"1.25\")",
        "bad.json, column productIds: footprint 3 (bbbbbbbb): productIds: is missing; it is a "
        "non-empty list of URNs",
    ]


def test_wrong_spec_version_and_not_json(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"'1\.0\.0' is not a PACT version"):
        read_dataset_file(_write(tmp_path, "old.json", {**V3, "specVersion": "1.0.0"}))
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": ', encoding="utf-8")
    with pytest.raises(DatasetError, match="not a JSON document"):
        read_dataset_file(broken)
    nan = tmp_path / "nan.json"
    nan.write_text(json.dumps(V3).replace('"26"', "NaN", 1), encoding="utf-8")
    with pytest.raises(DatasetError, match="not a JSON document"):
        read_dataset_file(nan)


BOM = """id,parent,name,quantity,unit,dataset,stage
pack,,Pack,1,piece,,
housing,pack,Housing,8,kg,urn:gtin:4000000000017,raw materials
"""


def test_bom_line_names_a_supplier_pcf_by_product_id(tmp_path: Path) -> None:
    import footprint

    pcfs = _write(tmp_path, "pcfs.json", V3)
    bom = tmp_path / "pack.csv"
    bom.write_text(BOM, encoding="utf-8")
    on_time = footprint.assess(bom, datasets=[pcfs], as_of=date(2026, 6, 1))
    (product,) = on_time.products
    housing = next(line for line in product.lines if line.id == "housing")
    assert housing.dataset == V3["id"]
    assert housing.climate_change.total == pytest.approx(8 * 6.5, rel=1e-6)
    assert not [w for w in on_time.warnings if "expired" in w.message]
    info = next(d for d in on_time.datasets if d.id == V3["id"])
    assert info.primary_data_share == 62.5

    late = footprint.assess(bom, datasets=[pcfs], as_of=date(2027, 12, 31))
    expired = [w for w in late.warnings if "expired" in w.message]
    assert len(expired) == 1
    assert V3["id"] in expired[0].message and "2027-12-31" in expired[0].message
    assert expired[0].row == 3 and expired[0].column == "dataset"


def test_cli_bad_pact_file_exits_2(tmp_path: Path) -> None:
    pcfs = _write(tmp_path, "pcfs.json", {**V3, "pcf": {**V3["pcf"], "declaredUnitAmount": "0"}})
    bom = tmp_path / "pack.csv"
    bom.write_text(BOM, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "footprint", "assess", str(bom), "--datasets", str(pcfs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: pcfs.json, column pcf.declaredUnitAmount: footprint 1 (3f1d1e2a-5b6c-4d7e-8f90-"
        "a1b2c3d4e5f6): pcf.declaredUnitAmount: 0 must be > 0"
    ]
