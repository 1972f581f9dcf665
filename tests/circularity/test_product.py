"""compute_circularity / apply_cff on a small product with a fake engine of hand-chosen scores.

The defaults file is written by the test, so every figure below is computed by hand from
numbers visible here (the CFF line is case H3 of pef-and-regulations.md §7).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from footprint.circularity import apply_cff, compute_circularity, load_material_defaults
from footprint.errors import BomError
from footprint.model import (
    STAGES,
    BomLine,
    CircularityParameters,
    ClimateChange,
    Dataset,
    LineResult,
    Product,
    ProductResult,
    SourceRef,
    Stage,
)

DEFAULTS = """material,parameter,value,unit,source,tag,note
*,cff_b,0,,test,M,
pet,cff_a,0.5,,test,S,
pet,cff_qsin_qp,0.9,,test,S,
pet,cff_qsout_qp,0.9,,test,S,
pet,eol_recycling_rate,0.4,,test,S,
pet,cff_lhv,22,MJ/kg,test,M,
pet,cff_xer_heat,0.2,,test,M,
pet,cff_xer_elec,0.1,,test,M,
pet,ev,pet-virgin,kg,test,V,
pet,erecycled,pet-recycled,kg,test,M,
pet,erecycling_eol,pet-recycling,kg,test,M,
pet,eer,pet-incineration,kg,test,M,
pet,ed,pet-landfill,kg,test,M,
pet,ese_heat,heat,kWh,test,M,
pet,ese_elec,grid,kWh,test,M,
"""


class FakeCatalog:
    def __init__(self, datasets: list[Dataset]) -> None:
        self.datasets = {d.id: d for d in datasets}

    def get(self, dataset_id: str) -> Dataset:
        return self.datasets[dataset_id]

    def __contains__(self, dataset_id: object) -> bool:
        return dataset_id in self.datasets


class FakeEngine:
    """unit_score per reference unit, chosen by hand."""

    def __init__(self) -> None:
        def ds(id_: str, unit: str = "kg", material: str | None = "pet", recycled: bool = False):
            return Dataset(id=id_, name=id_, unit=unit, material=material, recycled=recycled)

        self.catalog = FakeCatalog(
            [
                ds("pet-virgin"),
                ds("pet-recycled", unit="t", recycled=True),  # per tonne: 1000 → 1.0 per kg
                ds("pet-recycling"),
                ds("pet-incineration"),
                ds("pet-landfill"),
                ds("eol-pet-landfill"),
                ds("heat", unit="kWh", material=None),  # 0.288 per kWh = 0.08 per MJ
                ds("grid", unit="kWh", material=None),  # 0.432 per kWh = 0.12 per MJ
            ]
        )
        self.scores = {
            "pet-virgin": ClimateChange(total=2.5, fossil=2.0, biogenic=0.5),
            "pet-recycled": ClimateChange(total=1000.0, fossil=1000.0),
            "pet-recycling": ClimateChange(total=0.6, fossil=0.6),
            "pet-incineration": ClimateChange(total=2.2, fossil=2.2),
            "pet-landfill": ClimateChange(total=0.1, fossil=0.1),
            "heat": ClimateChange(total=0.288, fossil=0.288),
            "grid": ClimateChange(total=0.432, fossil=0.432),
        }

    def unit_score(self, dataset_id: str) -> ClimateChange:
        return self.scores[dataset_id]


@pytest.fixture
def defaults(tmp_path: Path):
    path = tmp_path / "material_defaults.csv"
    path.write_text(DEFAULTS, encoding="utf-8")
    return load_material_defaults(path)


def _line(id_: str, dataset: str, stage: Stage, cc: ClimateChange, mass: float | None):
    return LineResult(id=id_, path=id_, dataset=dataset, quantity=mass or 1.0, unit="kg",
                      mass_kg=mass, stage=stage, climate_change=cc)  # fmt: skip


def _bottle_product(eol_model: str = "cff", **bottle: float) -> tuple[Product, list[LineResult]]:
    source = SourceRef(file="bom.xlsx", sheet="BOM", row=7)
    bom_lines = [
        BomLine(id="bottle", quantity=0.5, unit="kg", dataset="pet-virgin", source=source,
                circularity=CircularityParameters(**bottle)),  # fmt: skip
        BomLine(id="disposal", quantity=0.5, unit="kg", dataset="eol-pet-landfill",
                stage=Stage.END_OF_LIFE, source=SourceRef(file="bom.xlsx", sheet="BOM", row=8)),
        BomLine(id="power", quantity=2, unit="kWh", dataset="grid", stage=Stage.MANUFACTURING),
    ]  # fmt: skip
    product = Product(id="p1", reference_flow=2.0, eol_model=eol_model, lifetime=3,
                      lifetime_industry_average=2, lines=bom_lines)  # fmt: skip
    # Cut-off lines per functional unit (× reference flow 2): bottle 0.5 kg × 2.5 × 2.
    lines = [
        _line("bottle", "pet-virgin", Stage.RAW_MATERIALS,
              ClimateChange(total=2.5, fossil=2.0, biogenic=0.5), 0.5),
        _line("disposal", "eol-pet-landfill", Stage.END_OF_LIFE,
              ClimateChange(total=0.1, fossil=0.1), 0.5),
        _line("power", "grid", Stage.MANUFACTURING, ClimateChange(total=1.0, fossil=1.0), None),
    ]  # fmt: skip
    return product, lines


def _result(product: Product, lines: list[LineResult]) -> ProductResult:
    by_stage = {s: ClimateChange() for s in STAGES}
    for line in lines:
        by_stage[line.stage] = by_stage[line.stage] + line.climate_change
    total = sum(by_stage.values(), ClimateChange())
    return ProductResult(id=product.id, eol_model=product.eol_model, climate_change=total,
                         by_stage=by_stage, lines=lines)  # fmt: skip


def test_product_cff_matches_hand_computation(defaults) -> None:
    product, lines = _bottle_product(recycled_content=0.3, eol_energy_recovery_rate=0.35)
    outcome = compute_circularity(product, lines, FakeEngine(), defaults)
    cff = outcome.circularity.cff
    assert cff is not None and [c.line for c in cff.lines] == ["bottle"]
    line = cff.lines[0]
    # H3 per kg (2.4869) × 0.5 kg × reference flow 2.
    assert line.total == pytest.approx(2.4869)
    assert line.virgin == pytest.approx(1.75)
    assert line.recycled_input == pytest.approx(0.4875)
    assert line.recycling_credit == pytest.approx(-0.33)
    assert line.energy_part == pytest.approx(0.5544)
    assert line.disposal_part == pytest.approx(0.025)
    assert line.parameters["R1"].origin == "bom line"
    assert line.parameters["R2"].origin == "default"
    assert line.parameters["Ev"].origin == "dataset"
    assert line.parameters["Erecycled"].value == pytest.approx(1.0)  # per t → per kg
    assert line.parameters["ESE,heat"].value == pytest.approx(0.08)  # per kWh → per MJ
    # The explicit landfill line is replaced by the CFF: 3.6 − 2.5 − 0.1 + 2.4869.
    assert cff.cut_off_total == pytest.approx(3.6)
    assert cff.cff_total == pytest.approx(3.4869)
    assert outcome.replaced_lines == ["disposal"]
    assert any("left out of the CFF total" in w.message for w in outcome.warnings)
    # Recycled content: one mass line (the landfill line is a waste treatment).
    assert outcome.circularity.recycled_content.share == pytest.approx(0.3)
    assert outcome.circularity.recycled_content.recyclable_share == pytest.approx(0.4)
    # MCI: M 0.5, V 0.35, W0 0.5·0.6 = 0.3, EC = EF = 1 assumed (warned); X = 3/2.
    mci = outcome.circularity.mci
    assert mci is not None
    assert mci.mci == pytest.approx(1 - (0.35 + 0.3) / 1.0 * 0.9 / 1.5)
    assert any("EC/EF" in w.message for w in outcome.warnings)


def test_apply_cff_moves_stages_and_keeps_sub_indicators(defaults) -> None:
    product, lines = _bottle_product(recycled_content=0.3, eol_energy_recovery_rate=0.35)
    outcome = compute_circularity(product, lines, FakeEngine(), defaults)
    applied = apply_cff(_result(product, lines), outcome)
    raw = applied.by_stage[Stage.RAW_MATERIALS]
    eol = applied.by_stage[Stage.END_OF_LIFE]
    assert raw.total == pytest.approx(1.75 + 0.4875)
    # Biogenic: only Ev has it (0.5/kg): 0.7·0.5 + 0.3·0.5·0.5·0.9, per kg × 0.5 kg × 2.
    assert raw.biogenic == pytest.approx(0.35 + 0.0675)
    assert eol.total == pytest.approx(-0.33 + 0.5544 + 0.025)
    assert eol.biogenic == pytest.approx(0.5 * 0.4 * (0 - 0.5 * 0.9))
    assert applied.by_stage[Stage.MANUFACTURING].total == pytest.approx(1.0)
    assert applied.climate_change.total == pytest.approx(3.4869)
    for stage in STAGES:
        cc = applied.by_stage[stage]
        assert cc.total == pytest.approx(cc.fossil + cc.biogenic + cc.luluc)


def test_cut_off_product_is_unchanged_but_shows_both_totals(defaults) -> None:
    product, lines = _bottle_product(eol_model="cut-off", recycled_content=0.3)
    outcome = compute_circularity(product, lines, FakeEngine(), defaults)
    applied = apply_cff(_result(product, lines), outcome)
    assert applied.climate_change.total == pytest.approx(3.6)
    assert outcome.circularity.cff is not None
    assert outcome.circularity.cff.cut_off_total == pytest.approx(3.6)
    assert not any("left out" in w.message for w in outcome.warnings)


def test_recycled_variant_dataset_means_r1_is_1(defaults) -> None:
    product = Product(id="cap", lines=[BomLine(id="cap", quantity=0.1, unit="kg",
                                               dataset="pet-recycled")])  # fmt: skip
    lines = [_line("cap", "pet-recycled", Stage.RAW_MATERIALS, ClimateChange(total=0.1), 0.1)]
    outcome = compute_circularity(product, lines, FakeEngine(), defaults)
    cff_line = outcome.circularity.cff.lines[0]  # type: ignore[union-attr]
    assert cff_line.parameters["R1"].origin == "dataset"
    # per kg: 1·(0.5·1.0 + 0.5·2.5·0.9) + 0.5·0.4·(0.6 − 2.25) + 0.6·0.1 = 1.355
    assert cff_line.total == pytest.approx(1.355 * 0.1)
    assert outcome.circularity.recycled_content.share == pytest.approx(1.0)


def test_r2_plus_r3_above_one_is_rejected_naming_the_row(defaults) -> None:
    product, lines = _bottle_product(eol_recycling_rate=0.7, eol_energy_recovery_rate=0.35)
    with pytest.raises(BomError) as caught:
        compute_circularity(product, lines, FakeEngine(), defaults)
    (problem,) = caught.value.problems
    assert (problem.file, problem.sheet, problem.row) == ("bom.xlsx", "BOM", 7)
    assert problem.column in ("eol_recycling_rate", "eol_energy_recovery_rate")
    assert "R2 + R3" in problem.message and "≤ 1" in problem.message


def test_share_outside_0_1_is_rejected(defaults) -> None:
    product, lines = _bottle_product(recycled_content=1.2, cff_qsin_qp=0)
    with pytest.raises(BomError) as caught:
        compute_circularity(product, lines, FakeEngine(), defaults)
    columns = {p.column for p in caught.value.problems}
    assert {"recycled_content", "cff_qsin_qp"} <= columns
    assert all(p.row == 7 for p in caught.value.problems)


def test_a_outside_range_warns(defaults) -> None:
    product, lines = _bottle_product(cff_a=0.9)
    outcome = compute_circularity(product, lines, FakeEngine(), defaults)
    warning = next(w for w in outcome.warnings if "0.2–0.8" in w.message)
    assert (warning.row, warning.column) == (7, "cff_a")
    # A = 0.9 is still used: credit (1 − 0.9)·0.4·(0.6 − 2.25) per kg × 1.
    assert outcome.circularity.cff.lines[0].recycling_credit == pytest.approx(0.1 * 0.4 * -1.65)  # type: ignore[union-attr]


class LulucEngine(FakeEngine):
    """The same scores, with virgin PET split over all three sub-indicators."""

    def __init__(self) -> None:
        super().__init__()
        self.scores["pet-virgin"] = ClimateChange(total=2.5, fossil=1.9, biogenic=0.5, luluc=0.1)


def _indicators(cc: ClimateChange) -> tuple[float, float, float, float]:
    return (cc.total, cc.fossil, cc.biogenic, cc.luluc)


def test_cff_lines_add_up_to_the_product_total_on_every_indicator(defaults) -> None:
    product, lines = _bottle_product(recycled_content=0.3, eol_energy_recovery_rate=0.35)
    lines[0] = lines[0].model_copy(
        update={"climate_change": ClimateChange(total=2.5, fossil=1.9, biogenic=0.5, luluc=0.1)}
    )
    outcome = compute_circularity(product, lines, LulucEngine(), defaults)
    applied = apply_cff(_result(product, lines), outcome)
    bottle, disposal, power = applied.lines
    # Bottle, 0.5 kg × reference flow 2 = 1 kg; R1 0.3, R2 0.4, R3 0.35, A 0.5, B 0,
    # Qsin/Qp = Qsout/Qp = 0.9, E*v = Ev, LHV 22 MJ/kg, XER 0.2 heat / 0.1 elec.
    # total:    0.7·2.5 + 0.3·(0.5·1 + 0.5·2.5·0.9) + 0.5·0.4·(0.6 − 2.5·0.9)
    #           + 0.35·(2.2 − 22·0.2·0.08 − 22·0.1·0.12) + 0.25·0.1
    #         = 1.75 + 0.4875 − 0.33 + 0.5544 + 0.025 = 2.4869
    # fossil:   0.7·1.9 + 0.3·(0.5·1 + 0.5·1.9·0.9) + 0.2·(0.6 − 1.9·0.9) + 0.5544 + 0.025
    #         = 1.33 + 0.4065 − 0.222 + 0.5544 + 0.025 = 2.0939
    # biogenic: 0.7·0.5 + 0.3·0.5·0.5·0.9 + 0.2·(0 − 0.5·0.9) = 0.35 + 0.0675 − 0.09 = 0.3275
    # luluc:    0.7·0.1 + 0.3·0.5·0.1·0.9 + 0.2·(0 − 0.1·0.9) = 0.07 + 0.0135 − 0.018 = 0.0655
    hand_bottle = (2.4869, 2.0939, 0.3275, 0.0655)
    assert _indicators(bottle.climate_change) == pytest.approx(hand_bottle)
    assert _indicators(bottle.climate_change_cut_off) == pytest.approx((2.5, 1.9, 0.5, 0.1))  # type: ignore[arg-type]
    assert bottle.note is not None and "CFF" in bottle.note
    cff_line = outcome.circularity.cff.lines[0]  # type: ignore[union-attr]
    assert _indicators(cff_line.climate_change) == pytest.approx(hand_bottle)
    assert cff_line.climate_change.total == cff_line.total
    # The landfill line: its end of life is the CFF's disposal term; 0 here, cut-off kept.
    assert _indicators(disposal.climate_change) == (0.0, 0.0, 0.0, 0.0)
    assert _indicators(disposal.climate_change_cut_off) == pytest.approx((0.1, 0.1, 0, 0))  # type: ignore[arg-type]
    assert disposal.note is not None and "bottle" in disposal.note
    # The electricity line is not touched by the CFF.
    assert _indicators(power.climate_change) == pytest.approx((1.0, 1.0, 0.0, 0.0))
    assert power.climate_change_cut_off is None and power.note is None
    # Product: 2.4869 + 0 + 1.0 on the total, each sub-indicator likewise.
    hand_product = (3.4869, 3.0939, 0.3275, 0.0655)
    assert _indicators(applied.climate_change) == pytest.approx(hand_product)
    for k, indicator in enumerate(("total", "fossil", "biogenic", "luluc")):
        lines_sum = sum(getattr(line.climate_change, indicator) for line in applied.lines)
        assert lines_sum == pytest.approx(hand_product[k], rel=1e-12, abs=1e-15)
        assert lines_sum == pytest.approx(getattr(applied.climate_change, indicator), rel=1e-12)
    assert [line.share for line in applied.lines] == pytest.approx(
        [2.4869 / 3.4869, 0.0, 1.0 / 3.4869]
    )
    # by_stage splits the bottle's figure: virgin + recycled input 1.75 + 0.4875 under raw
    # materials, credit + energy + disposal −0.33 + 0.5544 + 0.025 under end of life.  Lines
    # summed by their stage column differ from by_stage exactly by those end-of-life parts.
    raw = applied.by_stage[Stage.RAW_MATERIALS].total
    eol = applied.by_stage[Stage.END_OF_LIFE].total
    assert raw == pytest.approx(2.2375) and eol == pytest.approx(0.2494)
    raw_lines = sum(ln.climate_change.total for ln in applied.lines if ln.stage == "raw materials")
    assert raw_lines - raw == pytest.approx(0.2494)


def test_cut_off_product_lines_keep_their_figures(defaults) -> None:
    product, lines = _bottle_product(eol_model="cut-off", recycled_content=0.3)
    outcome = compute_circularity(product, lines, FakeEngine(), defaults)
    applied = apply_cff(_result(product, lines), outcome)
    assert [ln.climate_change.total for ln in applied.lines] == [2.5, 0.1, 1.0]
    assert all(ln.climate_change_cut_off is None and ln.note is None for ln in applied.lines)


def test_one_mci_efficiency_warning_per_product_naming_every_family(defaults) -> None:
    product, lines = _bottle_product(recycled_content=0.3)
    engine = FakeEngine()
    engine.catalog.datasets["steel"] = Dataset(
        id="steel", name="steel", unit="kg", material="steel"
    )
    engine.scores["steel"] = ClimateChange(total=2.0, fossil=2.0)
    cap = BomLine(id="cap", quantity=0.2, unit="kg", dataset="steel",
                  circularity=CircularityParameters(recycled_content=0.2))  # fmt: skip
    product = product.model_copy(update={"lines": [*product.lines, cap]})
    lines.append(_line("cap", "steel", Stage.RAW_MATERIALS, ClimateChange(total=0.8), 0.2))
    outcome = compute_circularity(product, lines, engine, defaults)
    (warning,) = [w for w in outcome.warnings if "EC/EF" in w.message]
    assert "pet, steel" in warning.message
    assert warning.product == "p1"


def test_example_ev_battery_lines_add_up_to_the_cff_total(examples_dir) -> None:
    from footprint.api import assess

    assessment = assess([examples_dir / "ev-battery-module.xlsx"])
    (product,) = assessment.products
    assert product.eol_model == "cff"
    changed = [ln for ln in product.lines if ln.climate_change_cut_off is not None]
    assert changed and all(ln.note for ln in changed)
    for indicator in ("total", "fossil", "biogenic", "luluc"):
        lines_sum = math.fsum(getattr(ln.climate_change, indicator) for ln in product.lines)
        total = getattr(product.climate_change, indicator)
        assert math.isclose(lines_sum, total, rel_tol=1e-9, abs_tol=1e-12), indicator
    assert math.isclose(math.fsum(ln.share for ln in product.lines), 1.0, rel_tol=1e-9)
    # The cut-off figures, changed or not, still add up to the cut-off total.
    cff = product.circularity.cff  # type: ignore[union-attr]
    assert cff is not None
    cut_off = math.fsum(
        (ln.climate_change_cut_off or ln.climate_change).total for ln in product.lines
    )
    assert math.isclose(cut_off, cff.cut_off_total, rel_tol=1e-9)
    # Each changed material line carries the figure of its CFF line.
    by_line = {c.line: c for c in cff.lines}
    for line in changed:
        if line.id in by_line:
            assert line.climate_change == by_line[line.id].climate_change
    assert len([w for w in assessment.warnings if "EC/EF" in w.message]) == 1


def test_missing_e_terms_are_filled_conservatively_and_said_next_to_the_figure(
    tmp_path: Path,
) -> None:
    """No Erecycled, ErecyclingEoL or EER dataset: none of them may count as 0.

    Bottle, per kg: R1 0.3, R2 0.4, R3 0.35, A 0.5, Qsin/Qp = Qsout/Qp = 0.9, Ev 2.5 (its own
    dataset), ED 0.1, LHV 22, XER heat 0.2 / elec 0.1, ESE heat 0.08 / elec 0.12 per MJ.
        Erecycled     = Ev = 2.5                  (the recycled input carries the virgin burden)
        ErecyclingEoL = E*v·Qsout/Qp = 2.25       (no net credit)
        EER           = ED = 0.1
        virgin 0.7·2.5 = 1.75; recycled input 0.3·(0.5·2.5 + 0.5·2.5·0.9) = 0.7125;
        credit 0.5·0.4·(2.25 − 2.25) = 0; energy 0.35·(0.1 − 22·0.2·0.08 − 22·0.1·0.12)
        = −0.1806; disposal 0.25·0.1 = 0.025; total 2.3069 per kg, × 0.5 kg × flow 2.
    """
    lacking = "\n".join(
        row
        for row in DEFAULTS.splitlines()
        if not row.startswith(("pet,erecycled", "pet,erecycling_eol", "pet,eer"))
    )
    path = tmp_path / "material_defaults.csv"
    path.write_text(lacking + "\n", encoding="utf-8")
    product, lines = _bottle_product(recycled_content=0.3, eol_energy_recovery_rate=0.35)
    outcome = compute_circularity(product, lines, FakeEngine(), load_material_defaults(path))
    cff = outcome.circularity.cff
    assert cff is not None
    (line,) = cff.lines
    assert line.recycled_input == pytest.approx(0.7125)
    assert line.recycling_credit == pytest.approx(0.0)
    assert line.energy_part == pytest.approx(-0.1806)
    assert line.total == pytest.approx(2.3069)
    assert line.parameters["Erecycled"].value == pytest.approx(2.5)
    assert "conservative" in (line.parameters["Erecycled"].source or "")
    assert len(line.assumptions) == 3 and "Erecycled = Ev" in line.assumptions[0]
    # said next to the figure: the line's note under the CFF model
    change = outcome.line_changes["bottle"]
    assert "Erecycled = Ev (conservative" in change.note
    # E*v is the line's own dataset (it supplies Ev), and its provenance says so
    assert line.parameters["E*v"].origin == "dataset"
    assert "pet-virgin" in (line.parameters["E*v"].source or "")
    # cff.by_stage, the five stages under the CFF (cut-off raw 2.5, manufacturing 1.0,
    # end of life 0.1 (replaced); CFF raw 1.75 + 0.7125, end of life 0 − 0.1806 + 0.025)
    assert set(cff.by_stage) == set(STAGES)
    assert cff.by_stage[Stage.RAW_MATERIALS].total == pytest.approx(2.4625)
    assert cff.by_stage[Stage.MANUFACTURING].total == pytest.approx(1.0)
    assert cff.by_stage[Stage.END_OF_LIFE].total == pytest.approx(-0.1556)
    assert cff.by_stage[Stage.USE].total == 0 and cff.by_stage[Stage.DISTRIBUTION].total == 0
    assert math.fsum(s.total for s in cff.by_stage.values()) == pytest.approx(cff.cff_total)
    assert cff.cff_total == pytest.approx(3.3069)
