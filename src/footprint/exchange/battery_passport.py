"""Battery-passport blocks (``--battery-passport``): carbon footprint and recycled content,
following the BatteryPass data model v1.2.0 (public repository
batterypass/BatteryPassDataModel, aligned with DIN DKE SPEC 99100):

- ``urn:samm:io.BatteryPass.CarbonFootprint:1.2.0#CarbonFootprintForBatteries`` — the whole
  aspect: ``batteryCarbonFootprint`` in kg CO2-eq per kWh of the total energy the battery
  provides over its service life (EU Battery Regulation Art. 7; the energy is the product's
  ``energy_kwh``, or usable capacity × full equivalent cycles per year × years), the four
  declared stages per kWh (``RawMaterialExtraction`` ← PEF raw materials, ``MainProduction``
  ← manufacturing, ``Distribution``, ``Recycling`` ← end of life; the use stage is not a
  declared stage and is left out, so the stages add up to ``batteryCarbonFootprint``),
  ``absoluteCarbonFootprint`` in kg CO2-eq per battery, ``carbonFootprintStudy`` (a link the
  user gives) and ``carbonFootprintPerformanceClass`` left empty: no classes are adopted yet.
- ``urn:samm:io.BatteryPass.Circularity:1.2.0#Circularity`` — only its ``recycledContent``
  list (pre- and post-consumer shares, in percent, of cobalt, nickel, lithium and lead).  The
  aspect's other required properties (dismantling and removal documents, spare-part sources,
  safety measures, end-of-life information, renewable content) are not data a BOM carries:
  the passport issuer adds them, and the block's ``missing`` note says so.

An element enters ``recycledContent`` only when the assessment knows both its recycled share
and the post-consumer part of it; otherwise it is named in the product's notes with what to
add, never written as 0.  Figures are per battery (footprint's per-functional-unit figures
divided by the reference flow) and use the product's end-of-life model (Art. 7 asks for the
Circular Footprint Formula: ``eol_model = cff``; a cut-off product is flagged in the notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from footprint.errors import FootprintError, Problem
from footprint.exchange.pact import ProductSheet
from footprint.model import Assessment, ProductResult, Stage

CARBON_FOOTPRINT_ASPECT = (
    "urn:samm:io.BatteryPass.CarbonFootprint:1.2.0#CarbonFootprintForBatteries"
)
CIRCULARITY_ASPECT = "urn:samm:io.BatteryPass.Circularity:1.2.0#Circularity"
# the declared life-cycle stages (LifecycleStage enum of the aspect) and footprint's stages
DECLARED_STAGES: tuple[tuple[str, Stage], ...] = (
    ("RawMaterialExtraction", Stage.RAW_MATERIALS),
    ("MainProduction", Stage.MANUFACTURING),
    ("Distribution", Stage.DISTRIBUTION),
    ("Recycling", Stage.END_OF_LIFE),
)
# RecycledMaterial enum of the aspect → element symbol
RECYCLED_MATERIALS = (("Cobalt", "Co"), ("Nickel", "Ni"), ("Lithium", "Li"), ("Lead", "Pb"))
CIRCULARITY_NOT_FROM_BOM = (
    "dismantlingAndRemovalInformation",
    "sparePartSources",
    "safetyMeasures",
    "endOfLifeInformation",
    "renewableContent",
)


@dataclass(frozen=True)
class PassportOptions:
    carbon_footprint_study: str | None = None  # a link to the public CF study


def is_battery(product: ProductResult) -> bool:
    return (product.category or "").strip().lower().endswith("battery")


def battery_passports(
    assessment: Assessment, options: PassportOptions | None = None
) -> dict[str, Any]:
    """The passport blocks of every battery product; raise ``FootprintError`` naming every
    battery whose energy or study link is missing, or when no product is a battery."""
    options = options or PassportOptions()
    batteries = [p for p in assessment.products if is_battery(p)]
    if not batteries:
        raise FootprintError(
            Problem(
                "--battery-passport: no product is a battery (Products sheet category "
                "ev-battery, industrial-battery, lmt-battery, sli-battery…)",
                column="category",
            )
        )
    problems: list[Problem] = []
    blocks = []
    for product in batteries:
        block = _passport(product, options, problems)
        if block is not None:
            blocks.append(block)
    if problems:
        raise FootprintError(problems)
    skipped = [p.id for p in assessment.products if not is_battery(p)]
    return {
        "generator": f"footprint {assessment.tool_version}",
        "dataModel": "BatteryPass data model v1.2.0",
        "batteries": blocks,
        **({"notBatteries": skipped} if skipped else {}),
    }


def _passport(
    product: ProductResult, options: PassportOptions, problems: list[Problem]
) -> dict[str, Any] | None:
    def problem(message: str, column: str) -> Problem:
        text = f"product {product.id}: {message}"
        return Problem(text, file=product.source_file, sheet="Products", column=column)

    study = options.carbon_footprint_study or ProductSheet(product).text("carbon_footprint_study")
    if not study:
        problems.append(
            problem(
                "no carbon-footprint study link; give --battery-study URL or a "
                "carbon_footprint_study column",
                "carbon_footprint_study",
            )
        )
    energy = product.energy_kwh
    if energy is None or energy <= 0:
        problems.append(
            problem(
                "the energy over the service life is unknown; give energy_kwh, or "
                "usable_capacity_kwh, cycles_per_year and service_life_years",
                "energy_kwh",
            )
        )
    if not study or energy is None or energy <= 0:
        return None
    per_battery = 1.0 / product.reference_flow if product.reference_flow else 1.0
    stages = []
    absolute = 0.0
    for name, stage in DECLARED_STAGES:
        figure = product.by_stage[stage].total * per_battery
        absolute += figure
        stages.append({"lifecycleStage": name, "carbonFootprint": figure / energy})
    notes: list[str] = [
        f"kg CO2-eq per kWh over {energy:g} kWh delivered in the service life; the use stage "
        f"({product.by_stage[Stage.USE].total * per_battery:g} kg CO2-eq) is not a declared "
        "stage and is left out",
    ]
    if product.eol_model != "cff":
        notes.append(
            "end of life under the cut-off model; Art. 7 asks for the Circular Footprint "
            "Formula (set eol_model = cff)"
        )
    recycled, missing = _recycled_content(product)
    notes.extend(missing)
    return {
        "productId": product.id,
        "name": product.name,
        "category": product.category,
        CARBON_FOOTPRINT_ASPECT: {
            "batteryCarbonFootprint": absolute / energy,
            "carbonFootprintPerLifecycleStage": stages,
            "carbonFootprintPerformanceClass": "",
            "carbonFootprintStudy": study,
            "absoluteCarbonFootprint": absolute,
        },
        CIRCULARITY_ASPECT: {"recycledContent": recycled},
        "missing": [
            f"{CIRCULARITY_ASPECT}: {', '.join(CIRCULARITY_NOT_FROM_BOM)} are not BOM data; "
            "the passport issuer adds them",
            "carbonFootprintPerformanceClass: no performance classes are adopted yet",
        ],
        "notes": notes,
    }


def _recycled_content(product: ProductResult) -> tuple[list[dict[str, Any]], list[str]]:
    content = product.circularity.recycled_content if product.circularity else None
    entries: list[dict[str, Any]] = []
    missing: list[str] = []
    for material, element in RECYCLED_MATERIALS:
        if content is None:
            missing.append(f"{material}: no recycled-content figures")
            continue
        share = content.by_element.get(element)
        post = content.by_element_post_consumer.get(element)
        mass = content.element_mass_kg.get(element)
        if share is None:
            if mass:  # present, but its share is not known
                missing.append(f"{material}: recycled share not known")
            continue
        if post is None:
            missing.append(
                f"{material}: recycled share {100 * share:g} % known, its post-consumer part "
                "is not (give recycled_content_post_consumer on its lines)"
            )
            continue
        entries.append(
            {
                "preConsumerShare": 100 * (share - post),
                "recycledMaterial": material,
                "postConsumerShare": 100 * post,
            }
        )
    return entries, missing
