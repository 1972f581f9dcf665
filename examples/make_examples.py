"""Write the example BOMs of this folder.

    python examples/make_examples.py            # rewrites the files beside this script
    python examples/make_examples.py OUT_DIR    # writes them elsewhere

The quantities are plausible engineering estimates for demonstration, not measured data.
Every ``dataset`` is an id of footprint's shipped datasets (datasets/*.csv).  A test checks
that the committed files hold what this script writes.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path
from typing import Any

from footprint.bom.template import INSTRUCTIONS, bom_workbook, save_workbook

HERE = Path(__file__).resolve().parent

Row = dict[str, Any]


def _lines(product: str, rows: list[Row]) -> list[Row]:
    return [{"product": product, **row} for row in rows]


SMARTPHONE_LINES = _lines("phone-x1", [
    {"id": "phone", "name": "Smartphone X1", "quantity": 1, "unit": "pcs"},
    {"id": "housing", "parent": "phone", "name": "Housing", "quantity": 1, "unit": "piece"},
    {"id": "frame", "parent": "housing", "name": "Frame, aluminium 6013", "quantity": "38 g",
     "dataset": "material-aluminium-primary", "recycled_content": "30 %",
     "eol_recycling_rate": 0.35, "country": "CN", "supplier": "Shenzhen Metals",
     "Part number": "FR-6013-01"},
    {"id": "back-glass", "parent": "housing", "name": "Back glass", "quantity": 0.011,
     "unit": "kg", "dataset": "material-glass-primary", "Part number": "BG-220"},
    {"id": "screws", "parent": "housing", "name": "Screws M1.4", "quantity": 12, "unit": "pcs",
     "dataset": "material-steel-primary", "mass_per_piece": "0.05 g"},
    {"id": "display", "parent": "phone", "name": "Display glass", "quantity": 24, "unit": "g",
     "dataset": "material-glass-primary", "country": "KR"},
    {"id": "mainboard", "parent": "phone", "name": "Main board", "quantity": 1,
     "unit": "piece"},
    {"id": "soc", "parent": "mainboard", "name": "SoC die, 5 nm", "quantity": 1.1,
     "unit": "cm2", "dataset": "electronics-ic-die-5nm", "country": "TW"},
    {"id": "dram", "parent": "mainboard", "name": "LPDDR4 memory", "quantity": 8, "unit": "GB",
     "dataset": "electronics-dram-lpddr4"},
    {"id": "flash", "parent": "mainboard", "name": "Flash storage", "quantity": 128,
     "unit": "GB", "dataset": "electronics-ssd"},
    {"id": "pcb-copper", "parent": "mainboard", "name": "Copper traces", "quantity": 6.5,
     "unit": "g", "dataset": "metal-copper", "smelter_id": "CID000164"},
    {"id": "gold", "parent": "mainboard", "name": "Gold plating", "quantity": 30, "unit": "mg",
     "dataset": "metal-gold", "smelter_id": "CID000015", "certification": "RMAP conformant"},
    {"id": "battery", "parent": "phone", "name": "Li-ion battery 4500 mAh", "quantity": 52,
     "unit": "g", "dataset": "material-battery-li-ion"},
    {"id": "plastics", "parent": "phone", "name": "Plastic parts, PC/ABS", "quantity": 9,
     "unit": "g", "dataset": "material-plastics-rigid-primary"},
    {"id": "box", "name": "Retail box", "quantity": 0.12, "unit": "kg",
     "dataset": "material-paper-board-primary", "recycled_content": 0.6},
    {"id": "assembly-power", "name": "Final assembly electricity", "quantity": 2.4,
     "unit": "kWh", "dataset": "electricity-grid-CN", "stage": "manufacturing"},
    {"id": "air", "name": "Air freight Shenzhen–Frankfurt", "quantity": 3150,
     "unit": "kg*km", "dataset": "freight-air-long-haul", "stage": "distribution"},
    {"id": "truck", "name": "Truck to retail", "quantity": "0.16 tkm",
     "dataset": "freight-lorry-average", "stage": "transport"},
    {"id": "charging", "name": "Charging, 3 years", "quantity": 12000, "unit": "Wh",
     "dataset": "electricity-grid-DE", "stage": "use"},
    {"id": "eol", "name": "Phone collected and recycled", "quantity": 0.141, "unit": "kg",
     "dataset": "eol-electrical-small-recycling", "stage": "end-of-life"},
    {"id": "eol-box", "name": "Box recycled", "quantity": 120, "unit": "g",
     "dataset": "eol-paper-board-recycling", "stage": "disposal"},
])  # fmt: skip

SMARTPHONE_PRODUCTS: list[Row] = [
    {"product": "phone-x1", "name": "Smartphone X1", "category": "weee-6-small-it",
     "functional_unit": "1 smartphone used for 3 years", "reference_flow": 1,
     "placed_on_market": date(2027, 3, 1), "lifetime": 3, "mass": "261 g",
     "eol_model": "cut-off"},
]  # fmt: skip

EBIKE_LINES = _lines("ebike-pack-36v", [
    {"id": "pack", "name": "E-bike battery pack 36 V 14 Ah", "quantity": 1, "unit": "piece"},
    {"id": "cells", "parent": "pack", "name": "Cell block 10s4p", "quantity": 1,
     "unit": "piece"},
    {"id": "cell", "parent": "cells", "name": "Cell 21700, NMC811, 68 g", "quantity": 40,
     "unit": "pcs", "country": "KR", "supplier": "CellCo"},
    # one cell by its active materials; footprint of every part: the whole-cell figure per kg
    {"id": "cathode", "parent": "cell",
     "name": "Cathode active material NMC811 (footprint: Li-ion cell average per kg)",
     "quantity": 24.5, "unit": "g", "dataset": "material-battery-li-ion",
     "chemistry": "NMC811", "recycled_content": "20 %", "country": "KR", "supplier": "CellCo"},
    {"id": "anode", "parent": "cell",
     "name": "Anode active material, graphite (footprint: Li-ion cell average per kg)",
     "quantity": 13.5, "unit": "g", "dataset": "material-battery-li-ion",
     "chemistry": "graphite", "country": "KR", "supplier": "CellCo"},
    {"id": "cell-rest", "parent": "cell",
     "name": "Rest of the cell: foils, electrolyte, separator, can (footprint: cell average)",
     "quantity": 30, "unit": "g", "dataset": "material-battery-li-ion",
     "active_material": "no", "country": "KR", "supplier": "CellCo"},
    {"id": "nickel-strip", "parent": "cells", "name": "Nickel connector strips",
     "quantity": 0.09, "unit": "kg", "dataset": "metal-nickel", "active_material": "no"},
    {"id": "bms", "parent": "pack", "name": "Battery management system", "quantity": 1,
     "unit": "piece"},
    {"id": "bms-die", "parent": "bms", "name": "BMS controller die, 28 nm", "quantity": 0.3,
     "unit": "cm²", "dataset": "electronics-ic-die-28nm"},
    {"id": "bms-copper", "parent": "bms", "name": "PCB copper", "quantity": 18, "unit": "g",
     "dataset": "metal-copper"},
    {"id": "housing", "parent": "pack", "name": "Housing", "quantity": 1, "unit": "piece"},
    {"id": "shell", "parent": "housing", "name": "Extruded aluminium shell", "quantity": 0.48,
     "unit": "kg", "dataset": "material-aluminium-primary", "recycled_content": 0.5,
     "eol_recycling_rate": 0.9},
    {"id": "end-caps", "parent": "housing", "name": "End caps, PP", "quantity": 2,
     "unit": "pcs", "dataset": "material-pp-primary", "mass_per_piece": "45 g"},
    {"id": "cabling", "parent": "pack", "name": "Cabling and connectors", "quantity": 1,
     "unit": "piece"},
    {"id": "wire", "parent": "cabling", "name": "Copper wire", "quantity": 60, "unit": "g",
     "dataset": "metal-copper", "recycled_content": "20 %"},
    {"id": "insulation", "parent": "cabling", "name": "PVC insulation", "quantity": 25,
     "unit": "g", "dataset": "material-pvc-primary"},
    {"id": "pack-assembly", "parent": "pack", "name": "Pack assembly and end-of-line test",
     "quantity": 4.5, "unit": "kWh", "dataset": "electricity-grid-PL",
     "stage": "manufacturing"},
    {"id": "ship", "name": "Container ship Busan–Rotterdam", "quantity": "56 tkm",
     "dataset": "freight-container-ship", "stage": "distribution"},
    {"id": "lorry", "name": "Lorry to the bicycle maker", "quantity": 1.9, "unit": "t*km",
     "dataset": "freight-lorry-average", "stage": "distribution"},
    {"id": "charge-losses", "name": "Charging losses over service life", "quantity": 75,
     "unit": "kWh", "dataset": "electricity-grid-DE", "stage": "use"},
    {"id": "eol", "name": "Battery recycling", "quantity": 3.5, "unit": "kg",
     "dataset": "eol-battery-recycling", "stage": "eol"},
])  # fmt: skip

EBIKE_PRODUCTS: list[Row] = [
    {"product": "ebike-pack-36v", "name": "E-bike battery pack 36 V 14 Ah (504 Wh)",
     "category": "lmt-battery",
     "functional_unit": "1 battery pack delivering 378 kWh over 5 years",
     "placed_on_market": date(2036, 9, 1), "lifetime": 5, "mass": "3.5 kg",
     "usable_capacity_kwh": 0.504, "cycles_per_year": 150, "service_life_years": 5},
]  # fmt: skip

EV_LINES = _lines("ev-module-nmc811", [
    {"id": "module", "name": "EV battery module, NMC811, 5.3 kWh", "quantity": 1,
     "unit": "piece"},
    {"id": "cells", "parent": "module", "name": "Pouch cells", "quantity": 24, "unit": "pcs"},
    {"id": "cobalt", "parent": "cells", "name": "Cobalt in cathode (as Co metal)", "quantity": 28,
     "unit": "g", "dataset": "metal-cobalt", "recycled_content": 0.16,
     "active_material": "yes", "country": "CD", "smelter_id": "CID002000"},
    {"id": "nickel", "parent": "cells", "name": "Nickel in cathode (as Ni metal)", "quantity": 225,
     "unit": "g", "dataset": "metal-nickel", "recycled_content": "6 %",
     "active_material": "yes", "country": "ID"},
    {"id": "lithium", "parent": "cells", "name": "Lithium carbonate for the cathode",
     "quantity": 150, "unit": "g", "dataset": "battery-lithium-carbonate-brine",
     "recycled_content": 0.06, "active_material": "yes", "country": "CL"},
    {"id": "graphite", "parent": "cells", "name": "Graphite anode", "quantity": 0.26,
     "unit": "kg", "dataset": "battery-graphite-natural", "chemistry": "graphite",
     "country": "CN"},
    {"id": "cu-foil", "parent": "cells", "name": "Copper foil", "quantity": 0.11, "unit": "kg",
     "dataset": "metal-copper"},
    {"id": "al-foil", "parent": "cells", "name": "Aluminium foil and pouch", "quantity": 0.07,
     "unit": "kg", "dataset": "material-aluminium-primary"},
    {"id": "separator", "parent": "cells", "name": "Separator, PP", "quantity": 18,
     "unit": "g", "dataset": "material-pp-primary"},
    {"id": "cell-power", "parent": "cells", "name": "Cell formation and drying",
     "quantity": 45, "unit": "MJ", "dataset": "electricity-grid-HU", "stage": "manufacturing"},
    {"id": "frame", "parent": "module", "name": "Module frame, aluminium", "quantity": 2.1,
     "unit": "kg", "dataset": "material-aluminium-primary", "recycled_content": 0.4,
     "eol_recycling_rate": 0.95, "cff_a": 0.2},
    {"id": "busbars", "parent": "module", "name": "Copper busbars", "quantity": 0.35,
     "unit": "kg", "dataset": "metal-copper", "recycled_content": 0.3},
    {"id": "module-assembly", "parent": "module", "name": "Module assembly", "quantity": 6,
     "unit": "kWh", "dataset": "electricity-grid-HU", "stage": "manufacturing"},
    {"id": "rail", "name": "Rail to the vehicle plant", "quantity": 12.5, "unit": "tkm",
     "dataset": "freight-rail", "stage": "distribution"},
    {"id": "losses", "name": "Charging losses, 10 years", "quantity": 520, "unit": "kWh",
     "dataset": "electricity-grid-DE", "stage": "use"},
    {"id": "eol", "name": "Battery recycling", "quantity": 23.1, "unit": "kg",
     "dataset": "eol-battery-recycling", "stage": "end of life"},
])  # fmt: skip

EV_PRODUCTS: list[Row] = [
    {"product": "ev-module-nmc811", "name": "EV battery module NMC811 5.3 kWh",
     "category": "ev-battery",
     "functional_unit": "1 battery module delivering 6,360 kWh over 10 years",
     "placed_on_market": date(2032, 1, 1), "lifetime": 10, "mass": "23.1 kg",
     "usable_capacity_kwh": 5.3, "cycles_per_year": 120, "service_life_years": 10,
     "eol_model": "cff"},
]  # fmt: skip


def _multipack(product: str, bottles: int, preform_g: float, film_g: float) -> list[Row]:
    return _lines(product, [
        {"id": "pack", "name": f"Multipack {bottles} bottles", "quantity": 1, "unit": "piece"},
        {"id": "bottle", "parent": "pack", "name": "Bottle", "quantity": bottles,
         "unit": "pcs"},
        {"id": "preform", "parent": "bottle", "name": "Preform, PET", "quantity": preform_g,
         "unit": "g", "dataset": "material-pet-primary", "recycled_content": "30 %",
         "recycled_content_post_consumer": "30 %", "eol_recycling_rate": 0.6,
         "eol_energy_recovery_rate": 0.25},
        {"id": "cap", "parent": "bottle", "name": "Cap, HDPE", "quantity": 2.1, "unit": "g",
         "dataset": "material-hdpe-primary"},
        {"id": "label", "parent": "bottle", "name": "Label, PP film", "quantity": 0.6,
         "unit": "g", "dataset": "material-plastics-film-primary"},
        {"id": "blow-moulding", "parent": "bottle", "name": "Stretch blow moulding",
         "quantity": 0.045, "unit": "kWh", "dataset": "electricity-grid-FR",
         "stage": "production"},
        {"id": "shrink-film", "parent": "pack", "name": "Shrink film, LDPE",
         "quantity": film_g, "unit": "g", "dataset": "material-ldpe-primary",
         "recycled_content": 0.1},
        {"id": "truck", "name": "Distribution by lorry", "quantity": 0.0025 * bottles,
         "unit": "t*km", "dataset": "freight-lorry-average", "stage": "distribution"},
        {"id": "eol-pet", "name": "PET collected for recycling", "quantity": round(
            preform_g * bottles * 0.6, 3), "unit": "g", "dataset": "eol-pet-recycling",
         "stage": "end of life"},
        {"id": "eol-rest", "name": "Rest to incineration", "quantity": round(
            (preform_g * 0.4 + 2.7) * bottles + film_g, 3), "unit": "g",
         "dataset": "eol-plastics-average-combustion", "stage": "end of life"},
    ])  # fmt: skip


PET_LINES = _multipack("pet-6x1.5l", 6, 31.0, 16.0) + _multipack("pet-12x0.5l", 12, 17.5, 21.0)

PET_PRODUCTS: list[Row] = [
    {"product": "pet-6x1.5l", "name": "PET multipack 6 × 1.5 l",
     "category": "packaging-plastic-beverage-bottle",
     "functional_unit": "packaging of 9 l of mineral water", "reference_flow": 1,
     "placed_on_market": date(2030, 1, 1), "mass": "218.2 g"},
    {"product": "pet-12x0.5l", "name": "PET multipack 12 × 0.5 l",
     "category": "packaging-plastic-beverage-bottle",
     "functional_unit": "packaging of 6 l of mineral water", "reference_flow": 1,
     "placed_on_market": date(2030, 1, 1), "mass": "263.4 g"},
]  # fmt: skip

CHAIR_LINES: list[Row] = [
    {"id": "chair", "name": "Office chair", "quantity": "1", "unit": "piece"},
    {"id": "base", "parent": "chair", "name": "Five-star base, aluminium", "quantity": "2.4",
     "unit": "kg", "dataset": "material-aluminium-recycled", "recycled_content": "100 %"},
    {"id": "column", "parent": "chair", "name": "Gas column, steel", "quantity": "1.6",
     "unit": "kg", "dataset": "material-steel-primary", "recycled_content": "0.25"},
    {"id": "castors", "parent": "chair", "name": "Castors, PA", "quantity": "5", "unit": "pcs",
     "dataset": "material-plastics-rigid-primary", "mass_per_piece": "85 g"},
    {"id": "seat-shell", "parent": "chair", "name": "Seat shell, PP", "quantity": "1,8 kg",
     "dataset": "material-pp-primary"},
    {"id": "foam", "parent": "chair", "name": "PU foam", "quantity": "0.9", "unit": "kg",
     "dataset": "material-plastics-average-primary"},
    {"id": "fabric", "parent": "chair", "name": "Fabric, recycled PET", "quantity": "0.35",
     "unit": "kg", "dataset": "material-pet-recycled", "recycled_content": "1"},
    {"id": "assembly", "name": "Assembly", "quantity": "1.2", "unit": "kWh",
     "dataset": "electricity-grid-IT", "stage": "manufacturing"},
    {"id": "delivery", "name": "Delivery", "quantity": "8.1", "unit": "tkm",
     "dataset": "freight-lorry-articulated", "stage": "distribution"},
    {"id": "eol-metals", "name": "Metals recycled", "quantity": "4.0", "unit": "kg",
     "dataset": "eol-mixed-metals-recycling", "stage": "end of life"},
    {"id": "eol-plastics", "name": "Plastics incinerated", "quantity": "3.475", "unit": "kg",
     "dataset": "eol-plastics-average-combustion", "stage": "end of life"},
]  # fmt: skip

CHAIR_PRODUCTS: list[Row] = [
    {"product": "office-chair", "name": "Office chair OC-7",
     "functional_unit": "1 chair used for 10 years", "lifetime": 10, "mass": "7.5 kg"},
]  # fmt: skip

WORKBOOKS: dict[str, tuple[list[Row], list[Row], list[str]]] = {
    "smartphone.xlsx": (SMARTPHONE_LINES, SMARTPHONE_PRODUCTS, ["Part number"]),
    "e-bike-battery.xlsx": (EBIKE_LINES, EBIKE_PRODUCTS, []),
    "ev-battery-module.xlsx": (EV_LINES, EV_PRODUCTS, []),
    "pet-multipack.xlsx": (PET_LINES, PET_PRODUCTS, []),
}

BOM_COLUMNS = [
    "product", "id", "parent", "name", "quantity", "unit", "dataset", "stage",
    "mass_per_piece", "chemistry", "composition", "active_material",
    "recycled_content", "recycled_content_post_consumer",
    "eol_recycling_rate", "eol_energy_recovery_rate", "cff_a", "country", "supplier",
    "smelter_id", "certification",
]  # fmt: skip
CSV_COLUMNS = [c for c in BOM_COLUMNS if c in {k for row in CHAIR_LINES for k in row}]
PRODUCT_CSV_COLUMNS = ["product", "name", "functional_unit", "lifetime", "mass"]


def example_instructions(file_name: str, products: list[Row]) -> list[str]:
    """The Instructions sheet of an example, written for its reader: what the example is,
    how to assess it, then the template's own instructions (this file's docstring is for
    the developers who regenerate the examples)."""
    names = ", ".join(str(p["name"]) for p in products)
    steps = [_FOR_EXAMPLES.get(text[:3], text) for text in INSTRUCTIONS[1:]]
    return [
        f"footprint example: {names}",
        "",
        "An example bill of materials to try footprint on, or to copy. The quantities are "
        "plausible engineering estimates for demonstration, not measured data.",
        "Assess it as it is:",
        f"      footprint assess {file_name} --html report.html --xlsx report.xlsx",
        "",
        "How to fill in a BOM like this one",
        *steps,
    ]


# the template's steps 1, 2, 3 and 6 speak of its desk lamp and of its lists of datasets and
# categories; an example has its own product and keeps the plain layout (lists of stage,
# unit and end-of-life model only)
_FOR_EXAMPLES = {
    "1. ": "1. Sheet BOM: one row per line of the bill of materials. To start your own, replace "
    "these lines with yours. Hover over a header to see what the column means.",
    "2. ": "2. For each line, give a quantity and unit (or write both in the quantity cell, e.g. "
    '"650 g"), and a dataset id. footprint datasets search steel lists the shipped datasets '
    "with their unit, climate change per unit and source; the BOM template (footprint "
    "template my-bom.xlsx) offers them as a list on its Datasets sheet.",
    "3. ": "3. No dataset fits? Use your own dataset file (footprint assess --datasets "
    "my-factors.csv) or a Brightway activity (database::code).",
    "6. ": "6. Sheet Products (optional): name, functional unit, category (it selects the rules "
    "that apply: footprint rules show NAME lists the categories of a rule set), date placed "
    "on the market, declared mass.",
}


def build(out_dir: Path) -> list[Path]:
    """Write every example into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (lines, products, extra_columns) in WORKBOOKS.items():
        used = {key for row in lines for key in row}
        headers = [c for c in BOM_COLUMNS if c in used] + extra_columns
        instructions = example_instructions(name, products)
        workbook = bom_workbook(lines, products, bom_headers=headers, instructions=instructions)
        written.append(save_workbook(workbook, out_dir / name))
    written.extend(_write_csv(out_dir))
    return written


def _write_csv(out_dir: Path) -> list[Path]:
    paths = [out_dir / "office-chair.csv", out_dir / "office-chair.products.csv"]
    for path, columns, rows in (
        (paths[0], CSV_COLUMNS, CHAIR_LINES),
        (paths[1], PRODUCT_CSV_COLUMNS, CHAIR_PRODUCTS),
    ):
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in build(target):
        print(f"wrote {path}")
