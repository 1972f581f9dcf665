"""Battery-passport blocks against the assessment's own stage figures, by hand: per kWh of the
energy over the service life, the four declared stages add up to the total, the use stage is
left out, and an element without a known post-consumer part is named, never written as 0."""

from __future__ import annotations

import pytest

from footprint.errors import FootprintError
from footprint.exchange.battery_passport import (
    CARBON_FOOTPRINT_ASPECT,
    CIRCULARITY_ASPECT,
    battery_passports,
)
from footprint.model import RecycledContent, Stage


@pytest.fixture(scope="module")
def module_assessment():
    import footprint

    return footprint.assess("examples/ev-battery-module.xlsx")


def test_carbon_footprint_per_kwh_by_hand(module_assessment) -> None:
    (product,) = [p for p in module_assessment.products if p.category == "ev-battery"]
    document = battery_passports(module_assessment, _study())
    (block,) = [b for b in document["batteries"] if b["productId"] == product.id]
    carbon = block[CARBON_FOOTPRINT_ASPECT]
    energy = product.energy_kwh
    per_battery = 1 / product.reference_flow
    stages = {
        s["lifecycleStage"]: s["carbonFootprint"]
        for s in carbon["carbonFootprintPerLifecycleStage"]
    }
    assert stages == pytest.approx(
        {
            "RawMaterialExtraction": product.by_stage[Stage.RAW_MATERIALS].total
            * per_battery
            / energy,
            "MainProduction": product.by_stage[Stage.MANUFACTURING].total * per_battery / energy,
            "Distribution": product.by_stage[Stage.DISTRIBUTION].total * per_battery / energy,
            "Recycling": product.by_stage[Stage.END_OF_LIFE].total * per_battery / energy,
        },
        rel=1e-12,
    )
    assert sum(stages.values()) == pytest.approx(carbon["batteryCarbonFootprint"], rel=1e-12)
    use = product.by_stage[Stage.USE].total * per_battery
    assert carbon["absoluteCarbonFootprint"] == pytest.approx(
        product.climate_change.total * per_battery - use, rel=1e-12
    )
    assert carbon["carbonFootprintPerformanceClass"] == ""
    assert carbon["carbonFootprintStudy"] == "https://example.com/study.pdf"


def test_recycled_content_pre_and_post_consumer(module_assessment) -> None:
    product = next(p for p in module_assessment.products if p.category == "ev-battery")
    content = RecycledContent(
        by_element={"Co": 0.16, "Ni": 0.06, "Li": 0.06},
        by_element_post_consumer={"Co": 0.10, "Ni": 0.06},
        element_mass_kg={"Co": 1.0, "Ni": 3.0, "Li": 0.5, "Pb": 0.2},
    )
    changed = product.model_copy(
        update={"circularity": product.circularity.model_copy(update={"recycled_content": content})}
    )
    document = battery_passports(
        module_assessment.model_copy(update={"products": [changed]}), _study()
    )
    (block,) = document["batteries"]
    entries = {e["recycledMaterial"]: e for e in block[CIRCULARITY_ASPECT]["recycledContent"]}
    assert entries["Cobalt"]["preConsumerShare"] == pytest.approx(6.0)
    assert entries["Cobalt"]["postConsumerShare"] == pytest.approx(10.0)
    assert entries["Nickel"]["preConsumerShare"] == pytest.approx(0.0)
    assert set(entries) == {"Cobalt", "Nickel"}  # Li: no post-consumer part; Pb: no share
    notes = " ".join(block["notes"])
    assert "Lithium: recycled share 6 % known, its post-consumer part is not" in notes
    assert "Lead: recycled share not known" in notes


def test_missing_study_and_energy_are_errors(module_assessment) -> None:
    product = next(p for p in module_assessment.products if p.category == "ev-battery")
    no_energy = product.model_copy(update={"energy_kwh": None})
    with pytest.raises(FootprintError) as caught:
        battery_passports(module_assessment.model_copy(update={"products": [no_energy]}))
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert "column carbon_footprint_study" in lines[0]
    assert "column energy_kwh" in lines[1]


def test_no_battery_is_an_error() -> None:
    import footprint

    chair = footprint.assess("examples/office-chair.csv")
    with pytest.raises(FootprintError, match="no product is a battery"):
        battery_passports(chair, _study())


def _study():
    from footprint.exchange.battery_passport import PassportOptions

    return PassportOptions("https://example.com/study.pdf")
