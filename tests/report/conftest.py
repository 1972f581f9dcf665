"""Fixtures of the report tests: a realistic two-product assessment built directly as models.

Reports only read an ``Assessment``, so the fixture does not need the engine.  Its figures are
chosen so that many of them need all 17 significant digits (sums like 0.1 + 0.2), which is
what catches a writer that rounds.  User-supplied strings include spreadsheet formulas and
HTML so that the injection tests have something to bite on.

External programs (LibreOffice, Chromium): a test needing one is skipped when the program is
missing, unless ``FOOTPRINT_REQUIRE_EXTERNAL_TOOLS`` is set (CI sets it); then it fails.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from footprint.model import (
    Assessment,
    CffLine,
    CffParameter,
    CffResult,
    Check,
    Circularity,
    ClimateChange,
    DataQualityResult,
    DatasetInfo,
    Driver,
    LineResult,
    MciResult,
    MethodInfo,
    ProductResult,
    RecycledContent,
    RuleSource,
    Stage,
    Warning_,
)

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1", "-cmd", "@SUM(A1)"]
HTML_HOSTILE = "<script>alert('x')</script>"


def _cc(fossil: float, biogenic: float = 0.0, luluc: float = 0.0) -> ClimateChange:
    return ClimateChange(
        total=fossil + biogenic + luluc, fossil=fossil, biogenic=biogenic, luluc=luluc
    )


def _product_from_lines(base: dict, lines: list[LineResult]) -> dict:
    """Totals, stages and shares computed from the lines, as the engine does."""
    total = ClimateChange()
    by_stage = {stage: ClimateChange() for stage in Stage}
    for line in lines:
        total = total + line.climate_change
        by_stage[line.stage] = by_stage[line.stage] + line.climate_change
    for line in lines:
        line.share = line.climate_change.total / total.total
    return {**base, "climate_change": total, "by_stage": by_stage, "lines": lines}


# The battery is under the CFF.  Its material lines carry their CFF figure (as
# ``footprint.circularity.apply_cff`` makes them), the end-of-life line the CFF replaces counts
# 0, and each keeps its cut-off figure.  Stages split a CFF line: its recycling credit, energy
# and disposal parts (kept fossil in this fixture) go to end of life, the rest stays in its stage.
NMC_CFF = _cc(0.1 + 0.2 + 54.45, 0.0, 0.7)
HOUSING_CFF = _cc(18.99, 0.0, 0.03)
NMC_CUT_OFF = _cc(0.1 + 0.2 + 61.3, 0.0, 0.7)
HOUSING_CUT_OFF = _cc(27.94 * 1.1, 0.0, 0.0300000000000001)
EOL_CUT_OFF = _cc(-2.9000000000000004, 0.1)
NMC_EOL_PARTS = -0.7 + 0.0 + 0.05  # recycling credit + energy + disposal
HOUSING_EOL_PARTS = 4.6 + 0.0 + 0.12


def _cff_product_from_lines(base: dict, lines: list[LineResult], eol_parts: dict) -> dict:
    """As ``_product_from_lines``, with each CFF line's end-of-life parts moved to end of life."""
    product = _product_from_lines(base, lines)
    by_stage = product["by_stage"]
    for line in lines:
        if line.id in eol_parts:
            moved = _cc(eol_parts[line.id])
            by_stage[line.stage] = by_stage[line.stage] + moved.scaled(-1)
            by_stage[Stage.END_OF_LIFE] = by_stage[Stage.END_OF_LIFE] + moved
    return product


def _battery() -> ProductResult:
    lines = [
        LineResult(
            id="cells",
            path="cells",
            depth=0,
            name="Cell module",
            quantity=1.0,
            unit="piece",
            stage=Stage.RAW_MATERIALS,
            climate_change=_cc(0.0),
            row=2,
        ),
        LineResult(
            id="nmc",
            path="cells / nmc",
            depth=1,
            name="NMC811 cathode active material",
            dataset="nmc811_cam",
            dataset_name="NMC811 cathode, at plant",
            quantity=4.1,
            unit="kg",
            bom_quantity=4100.0,
            bom_unit="g",
            mass_kg=4.1,
            stage=Stage.RAW_MATERIALS,
            climate_change=NMC_CFF,
            climate_change_cut_off=NMC_CUT_OFF,
            note="CFF figure of nmc811: its raw-material and end-of-life parts",
            material="nmc811",
            recycled_content=0.12,
            country="CN",
            supplier=HOSTILE[0],
            smelter_id="CID002516",
            certification="IRMA",
            extra={"batch": HOSTILE[3], "weight_check": 1 / 3},
            row=3,
        ),
        LineResult(
            id="graphite",
            path="cells / graphite",
            depth=1,
            name=HOSTILE[1],
            dataset="graphite_synthetic",
            dataset_name="Graphite, synthetic",
            quantity=2.3,
            unit="kg",
            mass_kg=2.3,
            stage=Stage.RAW_MATERIALS,
            climate_change=_cc(2 / 3 * 14.2, 0.0, 0.0),
            material="graphite",
            recycled_content=0.0,
            country="CN",
            supplier=HOSTILE[2],
            extra={"batch": "B-2026-17"},
            row=4,
        ),
        LineResult(
            id="housing",
            path="housing",
            depth=0,
            name="Aluminium housing " + HTML_HOSTILE,
            dataset="aluminium_ingot_eu",
            dataset_name="Aluminium, primary, ingot",
            quantity=3.4000000000000004,
            unit="kg",
            mass_kg=3.4000000000000004,
            stage=Stage.RAW_MATERIALS,
            climate_change=HOUSING_CFF,
            climate_change_cut_off=HOUSING_CUT_OFF,
            note="CFF figure of aluminium: its raw-material and end-of-life parts",
            material="aluminium",
            recycled_content=0.6,
            country="NO",
            supplier="Hydro",
            row=5,
        ),
        LineResult(
            id="assembly_energy",
            path="assembly_energy",
            depth=0,
            name="Pack assembly",
            dataset="electricity_pl",
            dataset_name="Electricity, medium voltage, PL",
            quantity=12.5,
            unit="kWh",
            stage=Stage.MANUFACTURING,
            climate_change=_cc(12.5 * 0.7123456789012345),
            country="PL",
            row=6,
        ),
        LineResult(
            id="transport",
            path="transport",
            depth=0,
            name="Truck to EU warehouse",
            dataset="lorry_euro6",
            dataset_name="Transport, lorry >32 t, EURO6",
            quantity=0.01234,
            unit="t*km",
            stage=Stage.DISTRIBUTION,
            climate_change=_cc(0.01234 * 0.0891),
            row=7,
        ),
        LineResult(
            id="eol",
            path="eol",
            depth=0,
            name="Recycling at end of life",
            dataset="battery_recycling",
            dataset_name="Battery recycling, hydrometallurgical",
            quantity=9.8,
            unit="kg",
            stage=Stage.END_OF_LIFE,
            climate_change=ClimateChange(),
            climate_change_cut_off=EOL_CUT_OFF,
            note="0 under the CFF: " + HTML_HOSTILE,
            row=8,
        ),
    ]
    base = {
        "id": "BP-48V",
        "name": "48 V pack " + HOSTILE[0],
        "functional_unit": "1 pack, 8 years",
        "reference_flow": 1.0,
        "category": "ev-battery",
        "placed_on_market": date(2027, 3, 1),
        "eol_model": "cff",
        "mass_kg": 9.8,
        "declared_mass_kg": 10.0,
        "energy_kwh": 2190.0,
        "source_file": "bp48.xlsx",
        "extra": {"owner": HOSTILE[1]},
    }
    product = _cff_product_from_lines(
        base, lines, {"nmc": NMC_EOL_PARTS, "housing": HOUSING_EOL_PARTS}
    )
    cff_total = product["climate_change"].total
    cut_off_total = sum(
        (line.climate_change_cut_off or line.climate_change).total for line in lines
    )
    params = {
        "r1": CffParameter(value=0.12, origin="bom line"),
        "a": CffParameter(value=0.2, origin="default", source="PEF Annex C v2.1 [S]"),
        "qsin_qp": CffParameter(value=1.0, origin="default", source="PEF Annex C v2.1 [S]"),
    }
    cff_lines = [
        CffLine(
            line="nmc",
            path="cells / nmc",
            material="nmc811",
            mass_kg=4.1,
            material_part=55.1 + 0.30000000000000004,
            virgin=54.0,
            recycled_input=2.1,
            recycling_credit=-0.6999999999999997,
            energy_part=0.0,
            disposal_part=0.05,
            total=NMC_CFF.total,
            climate_change=NMC_CFF,
            parameters=params,
        ),
        CffLine(
            line="housing",
            path="housing",
            material="aluminium",
            mass_kg=3.4000000000000004,
            material_part=18.9,
            virgin=10.1,
            recycled_input=4.2,
            recycling_credit=4.6,
            energy_part=0.0,
            disposal_part=0.12,
            total=HOUSING_CFF.total,
            climate_change=HOUSING_CFF,
            parameters={"r1": CffParameter(value=0.6, origin="bom line")},
        ),
    ]
    circularity = Circularity(
        cff=CffResult(
            lines=cff_lines,
            material_part=74.30000000000001,
            energy_part=0.0,
            disposal_part=0.17,
            total=NMC_CFF.total + HOUSING_CFF.total,
            cut_off_total=cut_off_total,
            cff_total=cff_total,
        ),
        recycled_content=RecycledContent(
            share=0.27020408163265306,
            post_consumer_share=0.1,
            recyclable_share=0.85,
            by_material={"nmc811": 0.12, "aluminium": 0.6, "graphite": 0.0},
            by_material_post_consumer={"aluminium": 0.25},
            by_element={"Co": 0.16, "Li": 0.06, "Ni": 0.06000000000000001},
            by_element_post_consumer={"Co": 0.1},
            element_mass_kg={"Co": 0.246, "Li": 0.29, "Ni": 1.968},
        ),
        mci=MciResult(
            mci=0.4233333333333333,
            mass_kg=9.8,
            virgin_kg=7.154,
            unrecoverable_waste_kg=1.47,
            linear_flow_index=0.6412244897959184,
            utility=1.0,
            utility_factor=0.9,
        ),
    )
    battery_regulation = RuleSource(
        regulation="Regulation (EU) 2023/1542",
        article="Art. 8(2)",
        url="https://eur-lex.europa.eu/eli/reg/2023/1542/oj",
    )
    checks = [
        Check(
            rule="recycled-cobalt-2031",
            rule_set="eu-battery-2023",
            title="Recycled cobalt",
            kind="min_recycled_content",
            status="pass",
            value=0.16,
            limit=0.16,
            unit="share",
            margin=0.0,
            margin_percent=0.0,
            source=battery_regulation,
            explanation="16 % recycled cobalt from 18 Aug 2031.",
            drivers=[
                Driver(line="nmc", path="cells / nmc", value=0.246, unit="kg", note=HOSTILE[3])
            ],
        ),
        Check(
            rule="recycled-lithium-2031",
            rule_set="eu-battery-2023",
            title="Recycled lithium",
            kind="min_recycled_content",
            status="fail",
            value=0.06,
            limit=0.07,
            unit="share",
            margin=-0.010000000000000009,
            margin_percent=-14.285714285714299,
            source=battery_regulation,
            explanation="6 % recycled lithium from 18 Aug 2031.",
        ),
        Check(
            rule="recycled-nickel-2031",
            rule_set="eu-battery-2023",
            title="Recycled nickel",
            kind="min_recycled_content",
            status="insufficient data",
            value=None,
            limit=0.06,
            unit="share",
            source=battery_regulation,
            explanation="Nickel content unknown for line " + HOSTILE[0],
        ),
        Check(
            rule="cfb-class",
            rule_set="eu-battery-2023",
            title="Carbon footprint per kWh",
            kind="max_climate_change_per_kwh",
            status="not applicable",
            limit=None,
            unit="kg CO2-eq/kWh",
            source=RuleSource(regulation="Regulation (EU) 2023/1542", article="Art. 7"),
            explanation="No class limits adopted yet.",
        ),
    ]
    result = ProductResult(
        **product,
        circularity=circularity,
        checks=checks,
        data_quality=DataQualityResult(
            dqr=2.125,
            level="very good",
            ter=2.0,
            ger=2.5,
            tir=2.0,
            p=2.0,
            coverage=0.9123456789012345,
        ),
    )
    return result


def _charger() -> ProductResult:
    lines = [
        LineResult(
            id="pcb",
            path="pcb",
            depth=0,
            name="Printed circuit board",
            dataset="pcb_6layer",
            dataset_name="PCB, 6 layers",
            quantity=0.0123,
            unit="m^2",
            stage=Stage.RAW_MATERIALS,
            climate_change=_cc(0.0123 * 1234.5678901234567),
            country="TW",
            supplier="@supplier",
            row=2,
        ),
        LineResult(
            id="case",
            path="case",
            depth=0,
            name="PC/ABS case",
            dataset="pc_abs",
            dataset_name="PC/ABS granulate",
            quantity=0.085,
            unit="kg",
            mass_kg=0.085,
            stage=Stage.RAW_MATERIALS,
            climate_change=_cc(0.085 * 5.1, 0.001),
            material="pc-abs",
            recycled_content=0.3,
            country="CN",
            row=3,
        ),
        LineResult(
            id="use_power",
            path="use_power",
            depth=0,
            name="Standby losses",
            dataset="electricity_eu",
            dataset_name="Electricity, low voltage, EU27",
            quantity=43.8,
            unit="kWh",
            stage=Stage.USE,
            climate_change=_cc(43.8 * 0.3123456789012345),
            row=4,
        ),
    ]
    base = {
        "id": "CH-65W",
        "name": "65 W USB-C charger",
        "functional_unit": "1 charger",
        "reference_flow": 2.0,
        "mass_kg": 0.16,
        "source_file": "charger.csv",
    }
    return ProductResult(
        **_product_from_lines(base, lines),
        circularity=Circularity(
            recycled_content=RecycledContent(share=0.159375, by_material={"pc-abs": 0.3})
        ),
        checks=[
            Check(
                rule="ppwr-contact-sensitive",
                rule_set="ppwr-2025",
                title="Recycled plastic",
                kind="min_recycled_content",
                status="pass",
                value=0.3,
                limit=0.1,
                unit="share",
                margin=0.19999999999999998,
                margin_percent=199.99999999999997,
                source=RuleSource(regulation="Regulation (EU) 2025/40", article="Art. 7"),
                explanation="Plastic part: 10 % recycled content.",
            )
        ],
    )


def make_assessment() -> Assessment:
    return Assessment(
        tool_version="0.1.0",
        created=datetime(2026, 11, 23, 15, 5, 7, tzinfo=timezone(timedelta(hours=1))),
        method=MethodInfo(
            indicators={"climate change": ["EF v3.1", "climate change", "global warming potential"]}
        ),
        brightway_project="footprint",
        as_of=date(2031, 9, 1),
        rule_sets=["eu-battery-2023", "ppwr-2025"],
        products=[_battery(), _charger()],
        datasets=[
            DatasetInfo(
                id="nmc811_cam",
                name="NMC811 cathode, at plant",
                unit="kg",
                source="Istrate et al. 2024",
                license="CC-BY-4.0",
                year=2024,
                geography="CN",
                dqr=2.5,
                gwp_basis="AR6",
            ),
            DatasetInfo(
                id="graphite_synthetic",
                name=HOSTILE[0],
                unit="kg",
                source=HOSTILE[2],
                license="CC-BY-4.0",
                year=2023,
                geography="GLO",
                dqr=3.25,
                notes=HTML_HOSTILE,
            ),
            DatasetInfo(
                id="electricity_pl",
                name="Electricity, medium voltage, PL",
                unit="kWh",
                source="OWID 2024",
                license="CC-BY-4.0",
                url="https://ourworldindata.org/grapher/carbon-intensity-electricity",
                year=2023,
                geography="PL",
            ),
        ],
        warnings=[
            Warning_(
                message="declared mass 10 kg differs from the BOM's 9.8 kg by 2 %",
                file="bp48.xlsx",
                sheet="Products",
                row=2,
                column="mass",
                product="BP-48V",
            ),
            Warning_(
                message=HOSTILE[3] + " column is not used",
                file="charger.csv",
                row=1,
                column=HOSTILE[1],
            ),
        ],
    )


@pytest.fixture
def assessment() -> Assessment:
    return make_assessment()


@pytest.fixture
def one_product() -> Assessment:
    full = make_assessment()
    return full.model_copy(update={"products": full.products[:1]})


@pytest.fixture(scope="session")
def examples_assessment(examples_dir) -> Assessment:  # type: ignore[no-untyped-def]
    """Every shipped example BOM, assessed by the engine against two rule sets."""
    from footprint.api import assess

    boms = sorted(p for p in examples_dir.iterdir() if p.suffix in (".xlsx", ".csv"))
    boms = [p for p in boms if not p.name.endswith(".products.csv")]
    return assess(boms, rules=["eu-battery-regulation", "example-company"])


def watch_page(page) -> tuple[list[str], list[str]]:
    """Record a Chromium page's console errors, page errors and dialogs (an ``alert()`` a BOM
    string managed to run), and every request that is not a local file."""
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    return errors, requests
