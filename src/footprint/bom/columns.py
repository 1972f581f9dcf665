"""Column names of the BOM and Products sheets, the spellings accepted for them, and stages.

Headers are matched ignoring case, spaces, underscores, hyphens and dots, and a trailing unit in
brackets is the column's default unit: "Quantity [kg]" is ``quantity`` in kg.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from footprint.model import CIRCULARITY_PARAMETER_NAMES, Stage

# canonical column → other spellings seen in PLM/ERP exports (compared after normalise_key)
BOM_COLUMNS: dict[str, tuple[str, ...]] = {
    "product": ("product id", "product_id", "productid"),
    "id": ("line", "line id", "line_id", "item id", "position", "pos", "part number", "part no"),
    "parent": ("parent id", "parent_id", "assembly", "parent line"),
    "name": ("description", "part name", "designation", "component"),
    "quantity": ("qty", "amount", "quantity per parent"),
    "unit": ("uom", "unit of measure", "units"),
    "dataset": ("dataset id", "dataset_id", "lca dataset", "activity"),
    "stage": ("life cycle stage", "lifecycle stage", "pef stage", "phase"),
    "mass_per_piece": ("mass per piece", "unit mass", "piece mass", "weight per piece"),
    "country": ("country of origin", "origin"),
    "supplier": ("vendor",),
    "smelter_id": ("smelter", "smelter id"),
    "certification": ("certificate",),
    "composition": ("element composition", "elements"),
    "chemistry": ("cell chemistry", "cathode chemistry", "active material chemistry"),
    "active_material": ("active material", "is active material"),
    **{name: () for name in CIRCULARITY_PARAMETER_NAMES},
}
BOM_COLUMNS["recycled_content"] = ("r1", "recycled share")
BOM_COLUMNS["eol_recycling_rate"] = ("r2", "recycling rate")
BOM_COLUMNS["eol_energy_recovery_rate"] = ("r3", "energy recovery rate")
BOM_COLUMNS["cff_a"] = ("a",)

# Columns the Monte Carlo (--iterations) reads from the passed-through cells of BOM lines and
# Products rows: a quantity tolerance (lines), and ranges of recycled content, its post-consumer
# part and end-of-life rates (column → the parameter it is a range of); checked when read
# (bom/monte_carlo.py), see docs/uncertainty.md
RANGE_COLUMNS: dict[str, str] = {
    "recycled_content_range": "recycled_content",
    "recycled_content_post_consumer_range": "recycled_content_post_consumer",
    "eol_recycling_rate_range": "eol_recycling_rate",
    "eol_energy_recovery_rate_range": "eol_energy_recovery_rate",
}
MONTE_CARLO_COLUMNS = ("quantity_tolerance", *RANGE_COLUMNS)

PRODUCT_COLUMNS: dict[str, tuple[str, ...]] = {
    "product": ("product id", "product_id", "id"),
    "name": ("description", "product name"),
    "functional_unit": ("fu",),
    "reference_flow": (),
    "category": ("product category",),
    "placed_on_market": ("placed on the market", "market date"),
    "lifetime": ("service life", "lifetime years"),
    "lifetime_industry_average": ("lav",),
    "use_intensity": (),
    "use_intensity_industry_average": ("uav",),
    "energy_kwh": ("energy", "total energy"),
    "usable_capacity_kwh": ("usable capacity", "capacity"),
    "cycles_per_year": (),
    "service_life_years": (),
    "vehicle_category": ("vehicle category", "ev category"),
    "mass": ("declared mass", "weight", "mass kg"),
    "eol_model": ("end of life model",),
    **{name: () for name in CIRCULARITY_PARAMETER_NAMES},
}

# Stage spellings, compared with every non-letter removed ("End-of-Life" → "endoflife").
STAGE_ALIASES: dict[str, Stage] = {
    "rawmaterials": Stage.RAW_MATERIALS,
    "rawmaterial": Stage.RAW_MATERIALS,
    "raw": Stage.RAW_MATERIALS,
    "materials": Stage.RAW_MATERIALS,
    "material": Stage.RAW_MATERIALS,
    "rawmaterialacquisition": Stage.RAW_MATERIALS,
    "rawmaterialacquisitionandpreprocessing": Stage.RAW_MATERIALS,
    "manufacturing": Stage.MANUFACTURING,
    "manufacture": Stage.MANUFACTURING,
    "production": Stage.MANUFACTURING,
    "assembly": Stage.MANUFACTURING,
    "distribution": Stage.DISTRIBUTION,
    "transport": Stage.DISTRIBUTION,
    "logistics": Stage.DISTRIBUTION,
    "distributionandstorage": Stage.DISTRIBUTION,
    "use": Stage.USE,
    "usephase": Stage.USE,
    "usestage": Stage.USE,
    "operation": Stage.USE,
    "endoflife": Stage.END_OF_LIFE,
    "eol": Stage.END_OF_LIFE,
    "disposal": Stage.END_OF_LIFE,
    "waste": Stage.END_OF_LIFE,
    "recycling": Stage.END_OF_LIFE,
}

EOL_MODELS: dict[str, str] = {"cutoff": "cut-off", "cff": "cff", "circularfootprintformula": "cff"}

_BRACKETED_UNIT = re.compile(r"^(.*?)\s*[\[(]\s*([^\])]*?)\s*[\])]\s*$")
_SEPARATORS = re.compile(r"[\s_\-.]+")


def normalise_key(text: str) -> str:
    return _SEPARATORS.sub("", text.strip().lower())


def stage_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


@dataclass(frozen=True)
class Column:
    """One header cell: its position, the header as written, and its default unit."""

    index: int
    header: str
    unit: str | None = None


def split_header(text: str) -> tuple[str, str | None]:
    """``"Quantity [kg]"`` → ``("Quantity", "kg")``."""
    match = _BRACKETED_UNIT.match(text)
    if match and match.group(1).strip():
        return match.group(1).strip(), (match.group(2).strip() or None)
    return text.strip(), None


def alias_table(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Normalised spelling → canonical column name."""
    table: dict[str, str] = {}
    for name, aliases in columns.items():
        table[normalise_key(name)] = name
        for alias in aliases:
            table.setdefault(normalise_key(alias), name)
    return table


BOM_ALIASES = alias_table(BOM_COLUMNS)
PRODUCT_ALIASES = alias_table(PRODUCT_COLUMNS)
