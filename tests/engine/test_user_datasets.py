"""User dataset files → footprints, against figures computed by hand in the tests.

Expected figures use the EF v3.1 factors bw2io ships (CH4 fossil 29.8, N2O 273, CH4 non-fossil
27 kg CO2-eq/kg).  Brightway stores matrix values as float32 (29.8 would come back as
29.799999237…), but user datasets are scored in double precision from the values as written,
so hand figures are compared to 1e-12 relative.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.api import Engine
from footprint.catalog import Catalog, read_dataset_file
from footprint.errors import BomError
from footprint.model import BomLine, Product, SourceRef, Stage

REL = 1e-12

GASES_CSV = """id,name,unit,co2_fossil,ch4_fossil,n2o,ch4_biogenic,co2_biogenic
resin,resin with gases,kg,2,1,0.01,0,0
compost,composting,kg,0,0,0,0.1,3
"""

AGGREGATED_CSV = """id,name,unit,climate_change,climate_change_biogenic,climate_change_luluc,inputs
alu,aluminium ingot,kg,10,1,0.5,
grid,electricity,kWh,0.4,,,
part,part made of aluminium with electricity,kg,0,,,alu=1.05; grid=2
"""


def _line(line_id: str, quantity: float, unit: str, dataset: str | None = None, **kw) -> BomLine:
    row = kw.pop("row", None)
    return BomLine(
        id=line_id,
        quantity=quantity,
        unit=unit,
        dataset=dataset,
        source=SourceRef(file="bom.xlsx", sheet="BOM", row=row),
        **kw,
    )


@pytest.fixture
def engine(bw_project: str, tmp_path: Path) -> Engine:
    gases = tmp_path / "gases.csv"
    gases.write_text(GASES_CSV, encoding="utf-8")
    aggregated = tmp_path / "aggregated.csv"
    aggregated.write_text(AGGREGATED_CSV, encoding="utf-8")
    datasets = read_dataset_file(gases) + read_dataset_file(aggregated)
    return Engine(catalog=Catalog(datasets), brightway_project=bw_project)


def test_gas_columns_are_characterised_by_ef31(engine: Engine) -> None:
    resin = engine.unit_score("resin")
    # 2 kg CO2 fossil + 1 kg CH4 fossil × 29.8 + 0.01 kg N2O × 273
    assert resin.total == pytest.approx(2 + 29.8 + 2.73, rel=REL)
    assert resin.fossil == pytest.approx(2 + 29.8 + 2.73, rel=REL)
    assert resin.biogenic == 0
    compost = engine.unit_score("compost")
    # biogenic CO2 counts zero in EF 3.1; 0.1 kg CH4 non-fossil × 27
    assert compost.total == pytest.approx(2.7, rel=REL)
    assert compost.biogenic == pytest.approx(2.7, rel=REL)
    assert compost.fossil == 0


def test_aggregated_climate_change_with_sub_indicators(engine: Engine) -> None:
    alu = engine.unit_score("alu")
    assert alu.total == pytest.approx(10, rel=REL)
    assert alu.fossil == 0.0  # not given: not invented
    assert alu.not_split == pytest.approx(8.5, rel=REL)  # 10 − 1 biogenic − 0.5 LULUC
    assert alu.biogenic == pytest.approx(1, rel=REL)
    assert alu.luluc == pytest.approx(0.5, rel=REL)
    grid = engine.unit_score("grid")  # no sub-indicators: all of it is not split
    assert (grid.total, grid.not_split, grid.fossil) == (0.4, 0.4, 0.0)  # exactly as written
    assert engine.unit_of("grid") == "kWh"


def test_inputs_add_upstream_datasets(engine: Engine) -> None:
    part = engine.unit_score("part")
    # 1.05 kg × 10 + 2 kWh × 0.4
    assert part.total == pytest.approx(11.3, rel=REL)
    assert part.fossil == 0.0
    assert part.not_split == pytest.approx(1.05 * 8.5 + 0.8, rel=REL)
    assert part.biogenic == pytest.approx(1.05, rel=REL)
    assert part.luluc == pytest.approx(0.525, rel=REL)


def test_multi_level_bom_by_line_and_stage(engine: Engine) -> None:
    product = Product(
        id="box",
        reference_flow=2.0,
        lines=[
            _line("body", 2000, "g", "part", row=2),
            _line("housing", 2, "piece", row=3, stage=Stage.MANUFACTURING),
            _line("panel", 0.5, "kg", "part", parent="housing", row=4),
            _line("press", 3, "kWh", "grid", parent="housing", row=5, stage=Stage.MANUFACTURING),
            _line("seal", 100, "g", "resin", row=6, stage=Stage.DISTRIBUTION),
        ],
    )
    result = engine.assess([product]).products[0]
    body = 2 * 11.3
    panel = 2 * 0.5 * 11.3
    press = 2 * 3 * 0.4
    seal = 0.1 * 34.53
    per_product = body + panel + press + seal
    assert result.climate_change.total == pytest.approx(2 * per_product, rel=REL)
    by_line = {ln.id: ln for ln in result.lines}
    assert by_line["panel"].quantity == pytest.approx(1.0)  # 2 housings × 0.5 kg
    assert by_line["panel"].climate_change.total == pytest.approx(2 * panel, rel=REL)
    assert by_line["housing"].climate_change.total == 0
    assert result.by_stage[Stage.RAW_MATERIALS].total == pytest.approx(2 * (body + panel), rel=REL)
    assert result.by_stage[Stage.MANUFACTURING].total == pytest.approx(2 * press, rel=REL)
    assert result.by_stage[Stage.DISTRIBUTION].total == pytest.approx(2 * seal, rel=REL)
    assert result.by_stage[Stage.USE].total == 0
    assert result.mass_kg == pytest.approx(2 + 1 + 0.1)
    assert sum(ln.share for ln in result.lines) == pytest.approx(1.0)


def test_all_linking_problems_are_reported_together(engine: Engine) -> None:
    product = Product(
        id="bad",
        lines=[
            _line("a", 1, "kg", "aluu", row=2),
            _line("b", 1, "kWh", "alu", row=3),
            _line("c", 1, "kg", None, row=4),
            _line("d", 1, "kg", "nodb::x", row=5),
        ],
    )
    with pytest.raises(BomError) as caught:
        engine.assess([product])
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "dataset"),
        (3, "unit"),
        (4, "dataset"),
        (5, "dataset"),
    ]
    assert "did you mean 'alu'" in problems[0].message
    assert all(p.file == "bom.xlsx" and p.sheet == "BOM" for p in problems)
