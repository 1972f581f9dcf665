"""Incineration counts the burnt material's own carbon (EPA WARM Table 9, IPCC 2006 where EPA has
no row), checked against the source rows by hand; DESNZ's transport-only factor keeps a name
that says so; landfill methane of paper is biogenic."""

from __future__ import annotations

import pytest

from footprint.api import Engine, assess
from footprint.model import BomLine, CircularityParameters, Product, SourceRef, Stage

SHORT_TON = 0.90718474  # t per short ton: 2000 lb × 0.45359237 kg/lb
# EPA GHG Emission Factors Hub 2024, Table 9, column "Combusted", metric t CO2e per short ton
EPA_MIXED_PLASTICS = 2.34
EPA_PP = 2.8
# DESNZ 2025 Waste disposal, every material: incineration with energy recovery, kg CO2e/t
DESNZ_TRANSPORT_ONLY = 4.68568
# catalog factors are scored in double precision as written; the EPA conversion keeps 12
# significant figures of published ÷ 0.90718474
EXACT = 1e-11


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _line(assessment, product: str, line: str):
    return next(x for x in assessment.product(product).lines if x.id == line)


def test_office_chair_burns_its_plastics_at_the_epa_mixed_plastics_factor(examples_dir, engine):
    result = assess(examples_dir / "office-chair.csv", engine=engine)
    line = _line(result, "office-chair", "eol-plastics")
    expected = 3.475 * EPA_MIXED_PLASTICS / SHORT_TON  # 8.963 kg CO2e
    assert line.climate_change.total == pytest.approx(expected, rel=EXACT)
    assert line.climate_change.fossil == pytest.approx(expected, rel=EXACT)
    # the same magnitude as the fossil carbon burnt: IPCC 2006 plastics, 75 % C, all fossil
    assert line.climate_change.total == pytest.approx(3.475 * 0.75 * 44 / 12, rel=0.07)
    # ~550 times the DESNZ transport-only figure (0.016 kg) the line used to count
    assert line.climate_change.total > 500 * 3.475 * DESNZ_TRANSPORT_ONLY / 1000


def test_pet_multipack_rest_to_incineration(examples_dir, engine):
    result = assess(examples_dir / "pet-multipack.xlsx", engine=engine)
    # 6 × (31 g preform × 40 % + 2.7 g cap and label) + 16 g film = 106.6 g
    line = _line(result, "pet-6x1.5l", "eol-rest")
    assert line.quantity == pytest.approx(0.1066)
    expected = 0.1066 * EPA_MIXED_PLASTICS / SHORT_TON
    assert line.climate_change.total == pytest.approx(expected, rel=EXACT)


def test_transport_only_rows_say_so(engine):
    ds = engine.catalog.get("eol-plastics-average-combustion-transport-only")
    assert ds.climate_change == pytest.approx(DESNZ_TRANSPORT_ONLY / 1000)
    assert "transport" in ds.name and "combustion not included" in ds.name
    burnt = engine.catalog.get("eol-plastics-average-combustion")
    assert "combustion emissions included" in burnt.name
    assert burnt.gwp_basis == "AR4" and "0.90718474" in (burnt.notes or "")


def test_cff_energy_term_of_a_plastic_is_a_burden_net_of_its_credit(engine):
    # 1 kg PP, R3 = 0.5 (R2 0, B 0 by default), LHV 40 MJ/kg and XER,heat 0.3 given on the line.
    # EER = eol-pp-combustion = 2.8 / 0.90718474 kg CO2e/kg (EPA Table 9 PP, combusted);
    # ESE,heat = natural gas per kWh net CV, DESNZ 2024 Fuels row 41 per gas (kg CO2e of CO2
    # 0.20223, CH4 0.00031, N2O 0.0001; AR5 28, 265) characterised with EF 3.1 (29.8, 273)
    # + WTT 0.03347, per MJ ÷ 3.6.  Energy = (1 − B)·R3·(EER − LHV·XER,heat·ESE,heat).
    eer = EPA_PP / SHORT_TON
    ese_heat = (0.20223 + 0.00031 / 28 * 29.8 + 0.0001 / 265 * 273 + 0.03347) / 3.6
    expected = 0.5 * (eer - 40 * 0.3 * ese_heat)
    product = Product(
        id="pp-part",
        eol_model="cff",
        lines=[
            BomLine(
                id="shell",
                quantity=1,
                unit="kg",
                dataset="material-pp-primary",
                stage=Stage.RAW_MATERIALS,
                circularity=CircularityParameters(
                    eol_recycling_rate=0, eol_energy_recovery_rate=0.5, cff_lhv=40, cff_xer_heat=0.3
                ),
                source=SourceRef(file="bom.xlsx", sheet="BOM", row=2),
            )
        ],
    )
    result = engine.assess([product]).products[0]
    assert result.circularity is not None and result.circularity.cff is not None
    cff_line = result.circularity.cff.lines[0]
    assert cff_line.parameters["EER"].value == pytest.approx(eer, rel=EXACT)
    assert cff_line.energy_part == pytest.approx(expected, rel=EXACT)
    assert cff_line.energy_part > 1.0  # a burden: burning 0.5 kg of PP emits ~1.5 kg CO2


@pytest.mark.parametrize(
    ("dataset_id", "material"),
    [
        ("eol-plastics-average-combustion", "Mixed Plastics"),
        ("eol-hdpe-combustion", "HDPE"),
        ("eol-pet-combustion", "PET"),
        ("eol-ps-combustion", "PS"),
        ("eol-pvc-combustion", "PVC"),
        ("eol-paper-board-combustion", "Corrugated Containers"),
        ("eol-electrical-small-combustion", "Portable Electronic Devices"),
    ],
)
def test_epa_rows_re_read_from_the_workbook(repo, dataset_id, material):
    """Independent of the build: openpyxl reads Table 9 (materials in column C, 'Combusted' in
    column F, sheet rows 427-487)."""
    import openpyxl

    from footprint.catalog import load_catalog

    path = repo / "datasets" / "sources" / "epa_ghg_emission_factors_hub_2024.xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True)["Emission Factors Hub"]
    rows = {r[2]: (n, r) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)}
    assert rows["Material"][1][5].startswith("Combusted")
    sheet_row, cells = rows[material]
    published = cells[5]
    ds = load_catalog().get(dataset_id)
    assert ds.climate_change == pytest.approx(published / SHORT_TON, rel=1e-9)
    assert ds.climate_change_fossil == ds.climate_change
    assert f"published {published:g} metric t CO2e per short ton" in (ds.notes or "")
    assert f"row '{material}' (sheet row {sheet_row}), column Combusted" == ds.source_row
