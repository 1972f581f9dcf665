"""A small product whose PACT figures are computed by hand in the tests.

Four lines, with user datasets whose climate change is split by sub-indicator:

    paper   2 kg   paper-carton: 1.0 kg CO2-eq/kg = fossil 0.7 + biogenic 0.2 + luluc 0.1
    resin   0.5 kg pp-granulate:  2.0 kg CO2-eq/kg, all fossil
    press   1 kWh  press-power:   0.3 kg CO2-eq/kWh, all fossil    (manufacturing)
    truck   10 t*km lorry-x:      0.1 kg CO2-eq/t*km, all fossil   (distribution: outside PACT)

Carbon content from datasets/pact/carbon_content.csv: paper 0.00414 fossil + 0.40986 biogenic
kg C/kg (IPCC 2006 defaults), PP 0.85628 fossil (C3H6 stoichiometry).
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATASETS_HEADER = (
    "id,name,unit,climate_change,climate_change_fossil,climate_change_biogenic,"
    "climate_change_luluc,material,gwp_basis,source,year"
)
DATASETS_CSV = (
    DATASETS_HEADER
    + """
paper-carton,carton board,kg,1.0,0.7,0.2,0.1,paper,AR6,Test supplier survey,2025
pp-granulate,PP granulate,kg,2.0,2.0,0,0,pp,AR6,Test supplier survey,2025
press-power,press electricity,kWh,0.3,0.3,0,0,,AR5,Test grid study,2024
lorry-x,lorry,t*km,0.1,0.1,0,0,,AR5,Test grid study,2024
"""
)

BOM_CSV = """id,parent,name,quantity,unit,dataset,stage
box,,Box,1,piece,,
paper,box,Carton,2,kg,paper-carton,raw materials
resin,box,Resin insert,0.5,kg,pp-granulate,raw materials
press,box,Pressing,1,kWh,press-power,manufacturing
truck,,Delivery,10,t*km,lorry-x,distribution
"""

PRODUCTS_CSV = "\n".join(
    (
        "product,name,functional_unit,company_name,company_ids,product_ids,geography,"
        "reference_period_start,reference_period_end",
        "box-1,Gift box,1 gift box,Acme Boxes,urn:company:example:acme,"
        "urn:pact:example.com:product-id:box-1,DE,2025-01-01,2026-01-01",
        "",
    )
)


@pytest.fixture(scope="session")
def box_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pact-box")
    files = {
        "datasets": folder / "box-datasets.csv",
        "bom": folder / "box-1.csv",
        "products": folder / "box-1.products.csv",
    }
    files["datasets"].write_text(DATASETS_CSV, encoding="utf-8")
    files["bom"].write_text(BOM_CSV, encoding="utf-8")
    files["products"].write_text(PRODUCTS_CSV, encoding="utf-8")
    return files


@pytest.fixture(scope="session")
def box_assessment(box_files: dict[str, Path]):
    import footprint

    return footprint.assess(box_files["bom"], datasets=[box_files["datasets"]])
