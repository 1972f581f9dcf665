"""Build footprint's shipped dataset library (``datasets/*.csv``) from the open source files.

    python scripts/build_datasets.py                 # rewrite datasets/*.csv in place
    python scripts/build_datasets.py --out /tmp/x    # write into another folder

Reads only ``datasets/sources/*`` (copies of the open source files, each with its
``.source.txt`` licence and provenance note) and writes one CSV per family in the dataset-file
format of input-formats.md §2.  Values are stored as published, only converted to the row's
reference unit with exact decimal arithmetic (kg CO2e per tonne ÷ 1000 → per kg; g ÷ 1000 →
kg).  The output is deterministic: a test re-runs this script and compares bytes.

The data-quality scores (PEF TeR, GeR, TiR, P; 1 = best, 5 = worst) follow the rule in
``TIR_BY_MAX_AGE``, ``GER``, ``TER`` and ``P`` below, explained in datasets/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "datasets" / "sources"

# Gas columns the library uses (kg of gas per reference unit; the engine characterises them
# with EF 3.1): the IPCC-derived incineration rows
GAS_COLUMNS = ("co2_fossil", "co2_biogenic", "ch4_fossil", "ch4_biogenic", "n2o")

COLUMNS = (
    "id",
    "name",
    "unit",
    "climate_change",
    "climate_change_fossil",
    "climate_change_biogenic",
    "climate_change_luluc",
    *GAS_COLUMNS,
    "material",
    "recycled",
    "composition",
    "inputs",
    "geography",
    "year",
    "source",
    "source_row",
    "license",
    "url",
    "gwp_basis",
    "dqr_ter",
    "dqr_ger",
    "dqr_tir",
    "dqr_p",
    "notes",
)

# The rule behind every data-quality score (PEF DQR criteria, simplified; see README).
REFERENCE_YEAR = 2026  # the year the library is built for: TiR counts data age from it
# TiR: (maximum age in years, score); older than the last → 5
TIR_BY_MAX_AGE = ((1, 1), (3, 2), (6, 3), (10, 4))
# GeR: how the dataset's geography relates to where it is used
GER = {"country": 1, "global": 2, "UK": 3, "US": 3}
# TeR: how specific the technology is, on the PEF scale (a proxy: 5), from its rule file
TER_RULES = ROOT / "datasets" / "pef" / "dqr_technology.csv"


def _technology_scores() -> dict[str, int]:
    with TER_RULES.open(encoding="utf-8", newline="") as f:
        return {r["kind"]: int(r["ter"]) for r in csv.DictReader(f)}


TER = _technology_scores()
# P: the kind of source
P = {
    "government": 2,  # national reporting factors with a published method (DESNZ)
    "statistics": 2,  # energy statistics with a published method (OWID/Ember)
    "peer-reviewed": 2,  # peer-reviewed LCA, values cross-checked
    "single-transcription": 4,  # peer-reviewed LCA, one transcription not yet verified
    "industry": 3,  # manufacturer or industry reports compiled by a model (ACT)
}

OGL = "OGL-3.0"
DESNZ_2025 = "DESNZ/DEFRA, Greenhouse gas reporting: conversion factors 2025"
DESNZ_2025_URL = (
    "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2025"
)
DESNZ_2024 = "DESNZ/DEFRA, Greenhouse gas reporting: conversion factors 2024 (full set v1.1)"
DESNZ_2024_URL = (
    "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2024"
)
NUSS = "Nuss & Eckelman (2014), Life Cycle Assessment of Metals, PLoS ONE 9(7) e101298, SI S1"
NUSS_URL = "https://doi.org/10.1371/journal.pone.0101298"
NUSS_SI_URL = NUSS_URL + ".s001"  # PLoS gives each supporting-information file its own DOI
ISTRATE = "Istrate et al. (2024), Joule; repository robyistrate/decarbonization_LIB_raw_materials"
ISTRATE_URL = "https://github.com/robyistrate/decarbonization_LIB_raw_materials"
ISTRATE_FILE = "data/results/fig2_total_ghgs_30-07-2024.csv"
ISTRATE_COMMIT = "359e93eb0acee89e47b36e8358f167ff7c84ff34"  # its .source.txt
OWID = (
    "Ember (2025); Energy Institute - Statistical Review of World Energy (2025) - "
    "with major processing by Our World in Data"
)
OWID_URL = "https://ourworldindata.org/grapher/carbon-intensity-electricity"
ACT = (
    "Gupta et al. (2022), ACT: Architectural Carbon Modeling Tool, ISCA 2022 (facebookresearch/ACT)"
)
ACT_URL = "https://github.com/facebookresearch/ACT"


@dataclass
class Row:
    id: str
    name: str
    unit: str
    climate_change: Decimal | None
    source: str
    license: str
    url: str
    year: int
    geography: str
    gwp_basis: str
    ter: str
    ger: str
    p: str
    material: str = ""
    recycled: bool = False
    composition: dict[str, Decimal] = field(default_factory=dict)
    inputs: dict[str, Decimal] = field(default_factory=dict)
    notes: str = ""
    # where the figure is in the source: table and row (DESNZ row id, OWID country-year, ...)
    source_row: str = ""
    # sub-indicators, only where the source splits the total (blank = not split)
    fossil: Decimal | None = None
    biogenic: Decimal | None = None
    gases: dict[str, Decimal] = field(default_factory=dict)

    def cells(self) -> list[str]:
        def optional(value: Decimal | None) -> str:
            return "" if value is None else number(value)

        return [
            self.id,
            self.name,
            self.unit,
            optional(self.climate_change),
            optional(self.fossil),
            optional(self.biogenic),
            "",
            *(optional(self.gases.get(gas)) for gas in GAS_COLUMNS),
            self.material,
            "true" if self.recycled else "false",
            "; ".join(f"{k}:{number(v)}" for k, v in self.composition.items()),
            "; ".join(f"{k}={number(v)}" for k, v in self.inputs.items()),
            self.geography,
            str(self.year),
            self.source,
            self.source_row,
            self.license,
            self.url,
            self.gwp_basis,
            str(TER[self.ter]),
            str(GER[self.ger]),
            str(tir(self.year)),
            str(P[self.p]),
            self.notes,
        ]


def desnz_row(year: int, **fields: Any) -> Row:
    """A row from the UK DESNZ/DEFRA conversion factors of ``year``: OGL v3.0, Great Britain,
    AR5 GWPs, a government publication scored as UK-representative."""
    url = {2024: DESNZ_2024_URL, 2025: DESNZ_2025_URL}[year]
    fields.setdefault("gwp_basis", "AR5")
    return Row(
        license=OGL,
        url=url,
        year=year,
        geography="GB",
        ger="UK",
        p="government",
        **fields,
    )


def tir(year: int) -> int:
    age = REFERENCE_YEAR - year
    for max_age, score in TIR_BY_MAX_AGE:
        if age <= max_age:
            return score
    return 5


def number(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros (9.11590131, 0.00353)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def per_thousand(text: str) -> Decimal:
    """Per tonne → per kg, or grams → kilograms: exact decimal division by 1000."""
    return Decimal(text.strip()) / 1000


def read_csv(name: str) -> list[dict[str, str]]:
    # The DESNZ mirror lost its en dashes (U+FFFD); restore them as the official file has them.
    text = (SOURCES / name).read_text(encoding="utf-8-sig").replace("\ufffd", "\u2013")
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------------------------
# DESNZ 2025: materials and end of life
# --------------------------------------------------------------------------------------------

# id family → (DESNZ "Level 3" name, material family, note)
DESNZ_MATERIALS = {
    "aluminium": ("Metal: aluminium cans and foil (excl. forming)", "aluminium"),
    "steel": ("Metal: steel cans", "steel"),
    "mixed-metals": ("Metal: mixed cans", "mixed-metals"),
    "plastics-average": ("Plastics: average plastics", "plastics-average"),
    "plastics-film": ("Plastics: average plastic film", "plastics-film"),
    "plastics-rigid": ("Plastics: average plastic rigid", "plastics-rigid"),
    "hdpe": ("Plastics: HDPE (incl. forming)", "hdpe"),
    "ldpe": ("Plastics: LDPE and LLDPE (incl. forming)", "ldpe"),
    "pet": ("Plastics: PET (incl. forming)", "pet"),
    "pp": ("Plastics: PP (incl. forming)", "pp"),
    "ps": ("Plastics: PS (incl. forming)", "ps"),
    "pvc": ("Plastics: PVC (incl. forming)", "pvc"),
    "glass": ("Glass", "glass"),
    "paper-board": ("Paper and board: board", "paper-board"),
    "paper": ("Paper and board: paper", "paper"),
    "paper-mixed": ("Paper and board: mixed", "paper-mixed"),
}
# Whole products per kg: primary production only in DESNZ.
DESNZ_PRODUCTS = {
    "battery-li-ion": "Batteries - Li ion",
    "battery-alkaline": "Batteries - Alkaline",
    "battery-nimh": "Batteries - NiMh",
    "electrical-it": "Electrical items - IT",
    "electrical-small": "Electrical items - small",
    "electrical-large": "Electrical items - large",
    "electrical-fridges": "Electrical items - fridges and freezers",
}
# End-of-life families that exist only in the waste table (WEEE, batteries).
DESNZ_WASTE_ONLY = {
    "electrical-small": "WEEE - small",
    "electrical-large": "WEEE - large",
    "electrical-mixed": "WEEE - mixed",
    "electrical-fridges": "WEEE - fridges and freezers",
    "battery": "Batteries",
    "wood": "Wood",
    "food": "Organic: food and drink waste",
    "textiles": "Clothing",
}
MATERIAL_SCOPE_NOTE = (
    "DESNZ material-use factor: UK supply of the material as purchased, cradle to gate; "
    "AR5 GWP100; no fossil/biogenic split published."
)


def _desnz_index(rows: Iterable[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["Level 3"].strip(), r["Column Text"].strip()): r for r in rows}


def desnz_materials() -> list[Row]:
    table = _desnz_index(read_csv("desnz_2025_material_use.csv"))
    rows = []
    for family, (level3, material) in DESNZ_MATERIALS.items():
        for column, suffix, recycled in (
            ("Primary material production", "primary", False),
            ("Closed-loop source", "recycled", True),
        ):
            source_row = table[(level3, column)]
            value = source_row["GHG Conversion Factor 2025"]
            if not value.strip():
                continue
            kind = "closed-loop recycled source" if recycled else "primary production"
            rows.append(
                desnz_row(
                    2025,
                    id=f"material-{family}-{suffix}",
                    name=f"{level3}, {kind}",
                    unit="kg",
                    climate_change=per_thousand(value),
                    material=material,
                    recycled=recycled,
                    source=DESNZ_2025,
                    source_row=f"Material use, row {source_row['ID']}",
                    ter="average",
                    notes=f"{MATERIAL_SCOPE_NOTE} Published {value} kg CO2e/t.",
                )
            )
    for family, level3 in DESNZ_PRODUCTS.items():
        source_row = table[(level3, "Primary material production")]
        value = source_row["GHG Conversion Factor 2025"]
        rows.append(
            desnz_row(
                2025,
                id=f"material-{family}",
                name=f"{level3} (whole product, per kg)",
                unit="kg",
                climate_change=per_thousand(value),
                material=family,
                source=DESNZ_2025,
                source_row=f"Material use, row {source_row['ID']}",
                ter="proxy",
                notes=(
                    f"{MATERIAL_SCOPE_NOTE} Published {value} kg CO2e/t. A whole-product "
                    "average per kg: a proxy for a specific product, use only when no "
                    "bill of materials of the item is available."
                ),
            )
        )
    return rows


EOL_ROUTES = (
    # (id suffix, DESNZ columns tried in order, description)
    ("landfill", ("Landfill",), "landfill"),
    (
        "combustion-transport-only",
        ("Incineration with Energy Recovery",),
        "transport to incineration with energy recovery only (combustion not included)",
    ),
    ("recycling", ("Closed-loop", "Open-loop"), "transport to recycling only"),
)
EOL_NOTE = (
    "DESNZ waste-disposal factor (GHG Protocol attribution, cut-off): landfill covers "
    "collection, transport and landfill emissions; for incineration and recycling DESNZ counts "
    "only the transport to the energy-recovery or reclamation facility (its 2024 guidance: the "
    "later emissions belong to the electricity or the recycled material); no credit for "
    "recovered material or energy; not the PEF Circular Footprint Formula."
)
TRANSPORT_ONLY_NOTE = (
    " NOT the burden of burning the material: the fossil carbon's combustion CO2 is not in this "
    "figure; use eol-{family}-combustion for that."
)
# Families whose landfill emissions are methane from biogenic carbon (paper, wood, food,
# textiles).  DESNZ gives one landfill value for every inert material of the household and
# commercial groups (collection, transport and landfill operation); the rest of a
# biodegradable material's landfill factor is the methane of its decomposition.
BIODEGRADABLE = ("paper-board", "paper", "paper-mixed", "wood", "food", "textiles")
INERT_LANDFILL_REFERENCE = ("Glass", "Landfill")  # DESNZ row: 8.98311 kg CO2e/t


def desnz_end_of_life() -> list[Row]:
    table = _desnz_index(read_csv("desnz_2025_waste_disposal.csv"))
    inert = table[INERT_LANDFILL_REFERENCE]
    inert_value = Decimal(inert["GHG Conversion Factor 2025"])
    families = {f: (level3, m) for f, (level3, m) in DESNZ_MATERIALS.items()}
    families.update({f: (level3, f) for f, level3 in DESNZ_WASTE_ONLY.items()})
    rows = []
    for family, (level3, material) in families.items():
        for suffix, columns, description in EOL_ROUTES:
            found = [(c, table[(level3, c)]) for c in columns if (level3, c) in table]
            found = [(c, r) for c, r in found if r["GHG Conversion Factor 2025"].strip()]
            if not found:
                continue
            column, source_row = found[0]
            value = source_row["GHG Conversion Factor 2025"]
            loop = f" ({column.lower()})" if suffix == "recycling" else ""
            notes = f"{EOL_NOTE} Published {value} kg CO2e/t ({column})."
            biogenic = None
            if suffix == "landfill" and family in BIODEGRADABLE:
                biogenic = (Decimal(value) - inert_value) / 1000
                notes += (
                    f" Split: {number(biogenic)} kg CO2e/kg counted as biogenic (EF 3.1 "
                    "'Methane, non-fossil': landfill methane of biogenic carbon) = published "
                    f"{value} minus {number(inert_value)} kg CO2e/t, the landfill factor DESNZ "
                    f"gives inert materials (row {inert['ID']}: collection, transport and "
                    "landfill operation), which stays not split."
                )
            elif suffix.startswith("combustion"):
                notes += TRANSPORT_ONLY_NOTE.format(family=family)
            rows.append(
                desnz_row(
                    2025,
                    id=f"eol-{family}-{suffix}",
                    name=f"{level3}, end of life: {description}{loop}",
                    unit="kg",
                    climate_change=per_thousand(value),
                    biogenic=biogenic,
                    material=material,
                    source=DESNZ_2025,
                    source_row=f"Waste disposal, row {source_row['ID']}",
                    ter="average",
                    notes=notes,
                )
            )
    return rows + incineration()


# --------------------------------------------------------------------------------------------
# Incineration with the material's own combustion emissions: EPA WARM (Table 9), else IPCC 2006
# --------------------------------------------------------------------------------------------

EPA = (
    "US EPA, GHG Emission Factors Hub 2024, Table 9 (Scope 3 categories 5 and 12, waste; from WARM)"
)
EPA_URL = "https://www.epa.gov/climateleadership/ghg-emission-factors-hub"
EPA_LICENSE = "public-domain"  # a US Government work
EPA_WORKBOOK = "epa_ghg_emission_factors_hub_2024.xlsx"
SHORT_TON_IN_TONNES = Decimal("0.90718474")  # 2000 lb × 0.45359237 kg/lb, exact
EPA_SIGNIFICANT_DIGITS = 12
IPCC = (
    "IPCC 2006 Guidelines for National Greenhouse Gas Inventories, Vol. 5 Waste: ch. 2 "
    "Table 2.4 (carbon content, fossil carbon fraction) and ch. 5 (incineration, oxidation "
    "factor, CH4 and N2O defaults), as transcribed by OpenAMEE/datasets"
)
IPCC_URL = "https://www.ipcc-nggip.iges.or.jp/public/2006gl/pdf/5_Volume5/V5_5_Ch5_IOB.pdf"
IPCC_LICENSE = "IPCC-defaults"  # default factors cited from the Guidelines (see LICENSES.md)
CO2_PER_C = Decimal(44) / Decimal(12)
# family → ("epa", Table 9 material) or ("ipcc", IPCC waste component) where EPA has no row
INCINERATION = {
    "aluminium": ("epa", "Aluminum Cans"),
    "steel": ("epa", "Steel Cans"),
    "mixed-metals": ("epa", "Mixed Metals"),
    "plastics-average": ("epa", "Mixed Plastics"),
    "plastics-film": ("ipcc", "plastics"),
    "plastics-rigid": ("ipcc", "plastics"),
    "hdpe": ("epa", "HDPE"),
    "ldpe": ("epa", "LDPE"),
    "pet": ("epa", "PET"),
    "pp": ("epa", "PP"),
    "ps": ("epa", "PS"),
    "pvc": ("epa", "PVC"),
    "glass": ("epa", "Glass"),
    "paper-board": ("epa", "Corrugated Containers"),
    "paper": ("epa", "Office Paper"),
    "paper-mixed": ("epa", "Mixed Paper (general)"),
    "electrical-small": ("epa", "Portable Electronic Devices"),
    "electrical-mixed": ("epa", "Mixed Electronics"),
    "wood": ("epa", "Dimensional Lumber"),
    "food": ("epa", "Food Waste"),
    "textiles": ("ipcc", "textiles"),
}
EPA_NOTE = (
    "Incineration with energy recovery including the material's own combustion emissions: EPA "
    "Table 9 'Combusted' = transport to the waste-to-energy plant + combustion-related "
    "non-biogenic CO2 and N2O, no credit for the electricity or metals recovered (those belong "
    "to the CFF energy term, LHV·XER·ESE). Biogenic CO2 is not counted (as in EF 3.1). All of "
    "it is fossil in EF 3.1 terms (fossil CO2, N2O, diesel of transport). Conversion: published "
    "{value} metric t CO2e per short ton ÷ 0.90718474 t per short ton = {converted} kg CO2e/kg "
    "(12 significant figures). GWP basis AR4 (Table 9 note: 'AR4 GWP values are used to convert "
    "all waste emission factors'). US average (WARM)."
)
IPCC_NOTE = (
    "Incineration (continuous stoker) with the material's own combustion emissions, derived "
    "from IPCC 2006 defaults for the MSW component '{component}' because EPA Table 9 has no row "
    "for this family: dry matter {dm} %, total carbon {tc} % of dry matter, fossil carbon {fcf} "
    "% of total carbon, oxidation {of} %: fossil CO2 = {dm}% × {tc}% × {fcf}% × {of}% × 44/12 "
    "= {co2f} kg/kg, biogenic CO2 {co2b} kg/kg (counts zero in EF 3.1); CH4 {ch4} g/t and N2O "
    "{n2o} g/t of wet waste (CH4 split by the fossil fraction). Given as gases, characterised "
    "with EF 3.1. Excludes transport to the plant (about 0.005 kg CO2e/kg by DESNZ) and gives "
    "no energy credit (the CFF energy term's LHV·XER·ESE does)."
)


def _epa_combusted() -> dict[str, tuple[int, Decimal]]:
    """Table 9 material → (sheet row, metric t CO2e per short ton) of the 'Combusted' column."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(SOURCES / EPA_WORKBOOK))
    sheet = workbook.get_sheet_by_name("Emission Factors Hub")
    first_row, _ = sheet.start  # calamine starts at the used range (here B2): keep Excel's rows
    found: dict[str, tuple[int, Decimal]] = {}
    in_table, column = False, None
    for number_, cells in enumerate(sheet.to_python(), start=first_row + 1):
        label = str(cells[0]).strip()
        if label.startswith("Table "):
            in_table = label == "Table 9"
            continue
        name = str(cells[1]).strip()  # "Table 9" is in column B, the materials in column C
        if not in_table or not name:
            continue
        if name == "Material":
            column = next(i for i, c in enumerate(cells) if str(c).startswith("Combusted"))
        elif column is not None and isinstance(cells[column], float):
            found[name] = (number_, Decimal(str(cells[column])))
    return found


def _significant(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1))


def incineration() -> list[Row]:
    epa = _epa_combusted()
    ipcc = {
        r["type"]: r
        for r in read_csv("ipcc2006_v5_incineration_defaults.csv")
        if (r["method"], r["technology"]) == ("continuous incineration", "stoker")
    }
    rows = []
    for family, (source, key) in INCINERATION.items():
        common = {
            "id": f"eol-{family}-combustion",
            "unit": "kg",
            "material": family,
            "ter": "average",
        }
        if source == "epa":
            sheet_row, value = epa[key]
            converted = _significant(value / SHORT_TON_IN_TONNES, EPA_SIGNIFICANT_DIGITS)
            rows.append(
                Row(
                    **common,
                    name=f"{key}, end of life: incineration with energy recovery, combustion "
                    "emissions included (EPA WARM)",
                    climate_change=converted,
                    fossil=converted,
                    source=EPA,
                    source_row=f"row '{key}' (sheet row {sheet_row}), column Combusted",
                    license=EPA_LICENSE,
                    url=EPA_URL,
                    year=2024,
                    geography="US",
                    gwp_basis="AR4",
                    ger="US",
                    p="government",
                    notes=EPA_NOTE.format(value=number(value), converted=number(converted)),
                )
            )
            continue
        r = ipcc[key]
        dm, tc, fcf, of = (
            Decimal(r[c]) / 100
            for c in ("dryMatterContent", "totalCarbonContent", "fossilFraction", "oxidationFactor")
        )
        carbon = dm * tc * of
        co2f = carbon * fcf * CO2_PER_C
        co2b = carbon * (1 - fcf) * CO2_PER_C
        ch4 = Decimal(r["massCH4PerMass"]) / 1_000_000  # g per t → kg per kg
        n2o = Decimal(r["massN2OPerMass"]) / 1_000_000
        gases = {
            "co2_fossil": _significant(co2f, EPA_SIGNIFICANT_DIGITS),
            "co2_biogenic": _significant(co2b, EPA_SIGNIFICANT_DIGITS) if co2b else Decimal(0),
            "ch4_fossil": ch4 * fcf,
            "ch4_biogenic": ch4 * (1 - fcf),
            "n2o": n2o,
        }
        rows.append(
            Row(
                **common,
                name=f"{key.capitalize()} (IPCC 2006 default), end of life: incineration, "
                "combustion emissions included",
                climate_change=None,
                gases={gas: amount for gas, amount in gases.items() if amount},
                source=IPCC,
                source_row=f"component '{key}', continuous incineration, stoker",
                license=IPCC_LICENSE,
                url=IPCC_URL,
                year=2006,
                geography="GLO",
                gwp_basis="EF3.1",  # gases, characterised with the method's own factors
                ger="global",
                p="single-transcription",
                notes=IPCC_NOTE.format(
                    component=key,
                    dm=r["dryMatterContent"],
                    tc=r["totalCarbonContent"],
                    fcf=r["fossilFraction"],
                    of=r["oxidationFactor"],
                    co2f=number(gases["co2_fossil"]),
                    co2b=number(gases["co2_biogenic"]),
                    ch4=r["massCH4PerMass"],
                    n2o=r["massN2OPerMass"],
                ),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# DESNZ 2025: freight
# --------------------------------------------------------------------------------------------

# id → (Level 2, Level 3, Column Text)
FREIGHT = {
    "freight-lorry-average": ("HGV (all diesel)", "All HGVs", "Average laden"),
    "freight-lorry-rigid": ("HGV (all diesel)", "All rigids", "Average laden"),
    "freight-lorry-articulated": ("HGV (all diesel)", "All artics", "Average laden"),
    "freight-rail": ("Rail", "Freight train", ""),
    "freight-container-ship": ("Cargo ship", "Container ship", "Average"),
    "freight-bulk-carrier": ("Cargo ship", "Bulk carrier", "Average"),
    "freight-air-short-haul": ("Freight flights", "Short-haul, to/from UK", "Without RF"),
    "freight-air-long-haul": ("Freight flights", "Long-haul, to/from UK", "Without RF"),
}
# The well-to-tank (WTT) table names each freight group differently from the freighting table.
WTT_FREIGHT_GROUP = {
    "HGV (all diesel)": "WTT- HGV (all diesel)",
    "Rail": "WTT- rail",
    "Cargo ship": "WTT- cargo ship",
    "Freight flights": "WTT- freight flights",
}
WTT_PREFIX = "wtt-"  # a well-to-tank dataset's id is its tank-to-wheel dataset's id with this
FREIGHT_NOTE = (
    "DESNZ freighting-goods factor. climate_change is the published tank-to-wheel value "
    "(direct vehicle emissions); the well-to-tank fuel supply (DESNZ 'WTT- delivery vehs & "
    "freight') is the input {wtt}, 1 per t*km, so the dataset's score is well-to-wheel."
)
AIR_NOTE = (
    " Without the radiative-forcing uplift: GWP100 covers the greenhouse gases only, as EF 3.1 "
    "climate change does."
)


def _desnz_freight_row(
    rows: Iterable[dict[str, str]], dataset_id: str, level2: str, level3: str, variant: str
) -> dict[str, str]:
    matches = [
        r
        for r in rows
        if r["UOM"] == "tonne.km"
        and r["GHG/Unit"] == "kg CO2e"
        and (r["Level 2"].strip(), r["Level 3"].strip()) == (level2, level3)
        and variant in (r["Level 4"].strip(), r["Column Text"].strip())
    ]
    if len(matches) != 1:
        raise SystemExit(f"{dataset_id}: expected one DESNZ row, found {len(matches)}")
    return matches[0]


GAS_NOTE = (
    " Engine figure: DESNZ's per-gas parts (kg CO2e of CO2, CH4, N2O: {parts}) are given as kg of "
    "gas, CO2e ÷ DESNZ's AR5 GWP100 (CH4 {ch4}, N2O {n2o}; 2024 workbook, sheet 'Refrigerant & "
    "other'), and characterised with the EF 3.1 factors; climate_change keeps the published "
    "AR5 total for reference and is not added again. CO2 is the fossil CO2 (DESNZ reports "
    "biofuel CO2 outside of scopes); CH4 counted as fossil."
)


def desnz_gwp() -> dict[str, Decimal]:
    """DESNZ's AR5 GWP100 of CH4 and N2O, from the 2024 workbook (sheet Refrigerant & other)."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(SOURCES / DESNZ_2024_WORKBOOK))
    sheet = workbook.get_sheet_by_name("Refrigerant & other").to_python()
    found = {}
    for cells in sheet:
        name = str(cells[1]).strip() if len(cells) > 3 else ""
        if name in ("Methane", "Nitrous oxide") and name not in found and cells[2] == "kg":
            found[name] = Decimal(str(cells[3]))
    return {"ch4": found["Methane"], "n2o": found["Nitrous oxide"]}


def gases_from_co2e(co2: Decimal, ch4: Decimal, n2o: Decimal, gwp: dict[str, Decimal]) -> dict:
    """Per-gas CO2e parts → kg of each gas (AR5 GWPs divided out, 12 significant figures)."""
    gases = {
        "co2_fossil": co2,
        "ch4_fossil": _significant(ch4 / gwp["ch4"], 12) if ch4 else Decimal(0),
        "n2o": _significant(n2o / gwp["n2o"], 12) if n2o else Decimal(0),
    }
    return {gas: amount for gas, amount in gases.items() if amount}


def desnz_freight() -> list[Row]:
    rows = []
    source_rows = read_csv("desnz_2025_freighting_goods.csv")
    by_id = {r["ID"]: r for r in source_rows}
    gwp = desnz_gwp()
    for dataset_id, (level2, level3, variant) in FREIGHT.items():
        source_row = _desnz_freight_row(source_rows, dataset_id, level2, level3, variant)
        stem = source_row["ID"].rsplit("_", 1)[0]
        co2, ch4, n2o = (
            Decimal(by_id[f"{stem}_{part}"]["GHG Conversion Factor 2025"]) for part in (2, 3, 4)
        )
        parts = f"{number(co2)}, {number(ch4)}, {number(n2o)} (rows {stem}_2 to _4)"
        rows.append(
            desnz_row(
                2025,
                id=dataset_id,
                name=f"{level2}, {level3}" + (f", {variant}" if variant else ""),
                unit="t*km",
                climate_change=Decimal(source_row["GHG Conversion Factor 2025"]),
                material="",
                inputs={WTT_PREFIX + dataset_id: Decimal(1)},
                gases=gases_from_co2e(co2, ch4, n2o, gwp),
                gwp_basis="EF3.1",
                source=DESNZ_2025,
                source_row=f"Freighting goods, row {source_row['ID']}",
                ter="specific",
                notes=FREIGHT_NOTE.format(wtt=WTT_PREFIX + dataset_id)
                + (AIR_NOTE if level2 == "Freight flights" else "")
                + GAS_NOTE.format(parts=parts, ch4=number(gwp["ch4"]), n2o=number(gwp["n2o"])),
            )
        )
    return rows


WTT_FREIGHT_NOTE = (
    "DESNZ well-to-tank factor of the vehicle's fuel: extraction, refining and transport of "
    "the fuel up to the vehicle (UK fuel supply), per t*km. It is an input of {ttw}; use it "
    "on its own only to report the well-to-tank part separately."
)


def desnz_wtt_freight() -> list[Row]:
    rows = []
    source_rows = [
        r
        for r in read_csv("desnz_2025_scope3_and_outside_scopes_flat.csv")
        if r["Level 1"].strip() == "WTT- delivery vehs & freight"
    ]
    for ttw_id, (level2, level3, variant) in FREIGHT.items():
        dataset_id = WTT_PREFIX + ttw_id
        group = WTT_FREIGHT_GROUP[level2]
        source_row = _desnz_freight_row(source_rows, dataset_id, group, level3, variant)
        value = source_row["GHG Conversion Factor 2025"]
        rows.append(
            desnz_row(
                2025,
                id=dataset_id,
                name=f"{group}, {level3}" + (f", {variant}" if variant else ""),
                unit="t*km",
                climate_change=Decimal(value),
                source=DESNZ_2025,
                source_row=f"WTT- delivery vehs & freight, row {source_row['ID']}",
                ter="specific",
                notes=WTT_FREIGHT_NOTE.format(ttw=ttw_id)
                + (
                    " DESNZ publishes the same well-to-tank value with and without RF."
                    if level2 == "Freight flights"
                    else ""
                ),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# DESNZ 2024 workbook: fuels
# --------------------------------------------------------------------------------------------

# id → (fuel name in the Fuels sheet, unit column text, reference unit, note)
FUELS = {
    "fuel-natural-gas": (
        "Natural gas",
        "kWh (Gross CV)",
        "kWh",
        "per kWh on gross calorific value",
    ),
    "fuel-natural-gas-net-cv": (
        "Natural gas",
        "kWh (Net CV)",
        "kWh",
        "per kWh on net calorific value",
    ),
    "fuel-natural-gas-m3": ("Natural gas", "cubic metres", "m**3", "per cubic metre"),
    "fuel-diesel": ("Diesel (average biofuel blend)", "litres", "l", "per litre"),
    "fuel-lpg": ("LPG", "litres", "l", "per litre"),
    "fuel-lpg-kwh": ("LPG", "kWh (Gross CV)", "kWh", "per kWh on gross calorific value"),
}
FUEL_NOTE = (
    "DESNZ Scope 1 combustion factor. climate_change is the published value at the burner "
    "(CO2, CH4, N2O); the well-to-tank fuel supply chain (DESNZ 'WTT- fuels', same year) is "
    "the input {wtt}, 1 per {unit}, so the dataset's score is well-to-burner."
)
WTT_FUEL_NOTE = (
    "DESNZ well-to-tank factor: extraction, refining and transport of the fuel to the site, "
    "before combustion (UK fuel supply). It is an input of {ttw}; use it on its own only to "
    "report the well-to-tank part separately."
)
DESNZ_2024_WORKBOOK = "desnz_2024_ghg_conversion_factors_full_set_v1_1.xlsx"


def _desnz_2024_fuel_table(
    sheet_name: str,
) -> dict[tuple[str, str], tuple[int, object, list[object]]]:
    """(fuel, unit text) → (sheet row, kg CO2e, [kg CO2e of CO2, CH4, N2O]) from a fuel sheet
    of the 2024 workbook (the per-gas cells are blank where the sheet has none)."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(SOURCES / DESNZ_2024_WORKBOOK))
    sheet = workbook.get_sheet_by_name(sheet_name).to_python()
    # The sheet is laid out for people: a fuel's name is written once, on its first unit row.
    table: dict[tuple[str, str], tuple[int, object, list[object]]] = {}
    in_table = False
    fuel = ""
    for number_, cells in enumerate(sheet, start=1):
        cells = [*cells, "", "", "", ""]
        if str(cells[0]).strip() == "Activity":
            in_table = str(cells[3]).strip() == "kg CO2e"
            continue
        if not in_table:
            continue
        if str(cells[1]).strip():
            fuel = str(cells[1]).strip()
        unit_text = str(cells[2]).strip()
        if unit_text:
            table.setdefault((fuel, unit_text), (number_, cells[3], list(cells[4:7])))
    return table


def desnz_fuels() -> list[Row]:
    table = _desnz_2024_fuel_table("Fuels")
    gwp = desnz_gwp()
    rows = []
    for dataset_id, (fuel_name, unit_text, unit, description) in FUELS.items():
        sheet_row, value, per_gas = table[(fuel_name, unit_text)]
        co2, ch4, n2o = (Decimal(str(v)) for v in per_gas)
        parts = f"{number(co2)}, {number(ch4)}, {number(n2o)} (same row)"
        rows.append(
            desnz_row(
                2024,
                id=dataset_id,
                name=f"{fuel_name}, combustion, {description}",
                unit=unit,
                climate_change=Decimal(str(value)),
                inputs={WTT_PREFIX + dataset_id: Decimal(1)},
                gases=gases_from_co2e(co2, ch4, n2o, gwp),
                gwp_basis="EF3.1",
                source=DESNZ_2024,
                source_row=f"sheet Fuels, row {sheet_row} ({unit_text})",
                ter="specific",
                notes=FUEL_NOTE.format(wtt=WTT_PREFIX + dataset_id, unit=unit)
                + GAS_NOTE.format(parts=parts, ch4=number(gwp["ch4"]), n2o=number(gwp["n2o"])),
            )
        )
    return rows


def desnz_wtt_fuels() -> list[Row]:
    # The same workbook and year as the combustion factors: the WTT of a blended fuel
    # (diesel's biofuel share) belongs to the blend of that year.
    table = _desnz_2024_fuel_table("WTT- fuels")
    rows = []
    for ttw_id, (fuel_name, unit_text, unit, description) in FUELS.items():
        sheet_row, value, _ = table[(fuel_name, unit_text)]
        rows.append(
            desnz_row(
                2024,
                id=WTT_PREFIX + ttw_id,
                name=f"{fuel_name}, well-to-tank fuel supply, {description}",
                unit=unit,
                climate_change=Decimal(str(value)),
                source=DESNZ_2024,
                source_row=f"sheet WTT- fuels, row {sheet_row} ({unit_text})",
                ter="specific",
                notes=WTT_FUEL_NOTE.format(ttw=ttw_id),
            )
        )
    return rows


def desnz_well_to_tank() -> list[Row]:
    return desnz_wtt_freight() + desnz_wtt_fuels()


# --------------------------------------------------------------------------------------------
# OWID / Ember: electricity by country
# --------------------------------------------------------------------------------------------


def owid_electricity() -> list[Row]:
    alpha2 = {
        r["alpha_3"]: (r["alpha_2"], r["name"]) for r in read_csv("iso3166_country_codes.csv")
    }
    latest: dict[str, dict[str, str]] = {}
    for r in read_csv("owid_carbon_intensity_electricity.csv"):
        code = r["Code"].strip()
        if not r["carbon_intensity"].strip() or not code:
            continue
        if code in latest and int(latest[code]["Year"]) >= int(r["Year"]):
            continue
        latest[code] = r
    rows = []
    for code, r in latest.items():
        if code == "OWID_WRL":
            dataset_id, geography, name = "electricity-grid-world", "GLO", "World"
        elif code in alpha2:
            iso2, _ = alpha2[code]
            dataset_id, geography, name = f"electricity-grid-{iso2}", iso2, r["Entity"]
        else:
            continue  # OWID regional aggregates and Kosovo (no ISO 3166-1 code)
        year = int(r["Year"])
        provisional = " Provisional value (Ember monthly data)." if year == 2025 else ""
        rows.append(
            Row(
                id=dataset_id,
                name=f"Electricity, grid average generation mix, {name} {year}",
                unit="kWh",
                climate_change=per_thousand(r["carbon_intensity"]),
                source=OWID,
                source_row=f"{r['Entity']} ({code}), {year}",
                license="CC-BY-4.0",
                url=f"{OWID_URL}?country=~{code}",  # the chart of that country
                year=year,
                geography=geography,
                gwp_basis="AR5",
                ter="specific",
                ger="global" if geography == "GLO" else "country",
                p="statistics",
                notes=(
                    f"Published {r['carbon_intensity']} g CO2e/kWh generated. Life-cycle "
                    "emissions of generation (Ember factors per fuel, upstream included); "
                    "excludes imports and transmission and distribution losses; not a "
                    "residual mix." + provisional
                ),
            )
        )
    return sorted(rows, key=lambda row: row.id)


# --------------------------------------------------------------------------------------------
# Nuss & Eckelman 2014: metals
# --------------------------------------------------------------------------------------------


def nuss_metals() -> list[Row]:
    rows = []
    for r in read_csv("nuss_eckelman_2014_metals_cradle_to_gate.csv"):
        element, symbol = r["element"].strip(), r["symbol"].strip()
        checked = r["second_transcription_agrees_gwp"].strip() == "yes"
        form = r["form_or_note"].strip()
        bounds = ""
        if r["gwp_p2_5"].strip() and r["gwp_p97_5"].strip():
            bounds = f" 95 % range {r['gwp_p2_5']}–{r['gwp_p97_5']} kg CO2e/kg."
        rows.append(
            Row(
                id=f"metal-{element.lower()}",
                name=f"{element} ({symbol}), cradle to gate, global supply mix 2008",
                unit="kg",
                climate_change=Decimal(r["gwp100_kgco2e_per_kg"]),
                material=element.lower(),
                composition={symbol: Decimal(1)},
                source=NUSS,
                source_row=f"Table S38, {element} TOTAL",
                license="CC-BY-4.0",
                url=NUSS_SI_URL,
                year=2008,
                geography="GLO",
                gwp_basis="AR4",
                ter="average",
                ger="global",
                p="peer-reviewed" if checked else "single-transcription",
                notes=(
                    (f"Supply form: {form}. " if form else "")
                    + "Per kg of the metal or its main commercial compound; composition "
                    f"counts it as {symbol} 1.0.{bounds} ecoinvent 2.2 background, 2008 data."
                    + (
                        ""
                        if checked
                        else " Rests on a single transcription of the paper's SI: not yet "
                        "verified against the original spreadsheet."
                    )
                ),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# Istrate et al. 2024: battery raw materials
# --------------------------------------------------------------------------------------------

# source name → (id, name, formula as {symbol: atoms} where the stoichiometry is certain)
ISTRATE_PRODUCTS = {
    "Lithium, brine - carbonate": (
        "battery-lithium-carbonate-brine",
        "Lithium carbonate (Li2CO3), battery grade, from brine",
        {"Li": 2, "C": 1, "O": 3},
    ),
    "Lithium, spodumene - carbonate": (
        "battery-lithium-carbonate-spodumene",
        "Lithium carbonate (Li2CO3), battery grade, from spodumene",
        {"Li": 2, "C": 1, "O": 3},
    ),
    "Lithium, brine": (
        "battery-lithium-hydroxide-brine",
        "Lithium hydroxide monohydrate (LiOH·H2O), battery grade, from brine",
        {"Li": 1, "O": 2, "H": 3},
    ),
    "Lithium, spodumene": (
        "battery-lithium-hydroxide-spodumene",
        "Lithium hydroxide monohydrate (LiOH·H2O), battery grade, from spodumene",
        {"Li": 1, "O": 2, "H": 3},
    ),
    "Cobalt": (
        "battery-cobalt",
        "Cobalt sulfate (CoSO4·7H2O), battery grade, for cathode precursors",
        {"Co": 1, "S": 1, "O": 11, "H": 14},
    ),
    "Nickel": (
        "battery-nickel",
        "Nickel sulfate (NiSO4·6H2O), battery grade, for cathode precursors",
        {"Ni": 1, "S": 1, "O": 10, "H": 12},
    ),
    "Graphite, natural": ("battery-graphite-natural", "Natural graphite, battery anode grade", {}),
    "Graphite, synthetic": (
        "battery-graphite-synthetic",
        "Synthetic graphite, battery anode grade",
        {},
    ),
}
ISTRATE_SULFATE_ACTIVITIES = {
    "cobalt": "cobalt sulfate production, from copper-cobalt ore, economic allocation",
    "nickel": "nickel sulfate production, average excluding China, economic allocation",
}
ISTRATE_UNIT_NOTE = (
    "The source file states no unit; per kg of battery-grade product is inferred from the paper "
    "and the magnitudes."
)


def istrate_battery_materials() -> list[Row]:
    weights = {r["symbol"]: Decimal(r["atomic_weight"]) for r in read_csv("atomic_weights.csv")}
    rows = []
    for r in read_csv("istrate2024_lib_raw_materials_total_ghg.csv"):
        dataset_id, name, formula = ISTRATE_PRODUCTS[r["Raw material"].strip()]
        composition: dict[str, Decimal] = {}
        note = ISTRATE_UNIT_NOTE
        technology = "specific"
        material = dataset_id.removeprefix("battery-").rsplit("-", 1)[0]
        if formula:
            # the metal the product is named for: Li, Co or Ni (the first symbol)
            symbol = next(iter(formula))
            molar_mass = sum(weights[s] * n for s, n in formula.items())
            share = (weights[symbol] * formula[symbol] / molar_mass).quantize(Decimal("0.0001"))
            composition = {symbol: share}
            note += (
                f" {symbol} mass fraction {number(share)} from the formula and IUPAC atomic "
                "weights (datasets/sources/atomic_weights.csv)."
            )
        if dataset_id in ("battery-cobalt", "battery-nickel"):
            material = dataset_id.removeprefix("battery-")
            note += (
                " Per kg of the sulfate, not of the metal: the source notebook "
                "(notebooks/01_ghg_breakdown.ipynb, INVENTORIES) computes the ecoinvent "
                f"activity '{ISTRATE_SULFATE_ACTIVITIES[material]}' "
                "whose reference product is the sulfate. The hydrate (CoSO4·7H2O, NiSO4·6H2O, "
                "the usual battery-grade forms) is assumed [M]: the notebook names no hydrate."
            )
        elif not formula:
            material = "graphite"
            composition = {"C": Decimal(1)}
        rows.append(
            Row(
                id=dataset_id,
                name=name,
                unit="kg",
                climate_change=Decimal(r["Climate change"].strip()),
                material=material,
                composition=composition,
                source=ISTRATE,
                source_row=f"{ISTRATE_FILE}, row '{r['Raw material'].strip()}'",
                license="MIT",
                url=f"{ISTRATE_URL}/blob/{ISTRATE_COMMIT}/{ISTRATE_FILE}",
                year=2024,
                geography="GLO",
                gwp_basis="AR6",
                ter=technology,
                ger="global",
                p="peer-reviewed",
                notes=note + " ecoinvent background; IPCC 2021 (AR6) GWP100 assumed from the "
                "paper's date, the file does not state it.",
            )
        )
    return sorted(rows, key=lambda row: row.id)


# --------------------------------------------------------------------------------------------
# ACT: electronics
# --------------------------------------------------------------------------------------------

ACT_NODES = ("28nm", "20nm", "14nm", "10nm", "8nm", "7nm", "5nm", "3nm")
ACT_FAB_GRID = "electricity-grid-TW"  # most leading-edge logic is made in Taiwan (proxy)
ACT_MEMORY = {
    # id → (category, key, name)
    "electronics-dram": ("dram_per_capacity", "ddr4_10nm", "DRAM, DDR4 10 nm class"),
    "electronics-dram-lpddr4": ("dram_per_capacity", "lpddr4", "DRAM, LPDDR4"),
    "electronics-ssd": ("ssd_per_capacity_hynix", "nand_10nm", "SSD/NAND flash, 10 nm class"),
}


def act_electronics() -> list[Row]:
    table = {
        (r["category"], r["key"]): r for r in read_csv("act_electronics_carbon_parameters.csv")
    }
    rows = []
    for node in ACT_NODES:
        energy = table[("ic_logic_fab_energy_per_die_area", node)]
        gases = table[("ic_logic_fab_gases_95pct_abatement", node)]
        materials = table[("ic_logic_raw_materials", node)]
        gases_99 = table[("ic_logic_fab_gases_99pct_abatement", node)]
        rows.append(
            Row(
                id=f"electronics-ic-die-{node}",
                name=f"Logic IC die, {node} process, per cm2 of die area (bare die)",
                unit="cm**2",
                climate_change=per_thousand(gases["value"]) + per_thousand(materials["value"]),
                inputs={ACT_FAB_GRID: Decimal(energy["value"])},
                source=ACT,
                source_row=f"act/models/logic (epa, gpa_95, materials: {node})",
                license="MIT",
                url=f"{ACT_URL}/tree/{energy['source_commit']}/act/models/logic",
                year=2022,
                geography="GLO",
                gwp_basis="AR5",
                ter="similar",  # a bare-die model: packaging, test and yield left out
                ger="global",
                p="industry",
                notes=(
                    "ACT die model per cm2: process gases with 95 % abatement "
                    f"({gases['value']} g) + raw materials ({materials['value']} g), plus fab "
                    f"electricity {energy['value']} kWh/cm2 taken from {ACT_FAB_GRID} (proxy: "
                    "most leading-edge logic is made in Taiwan). Excludes packaging, test and "
                    "yield loss (divide by the die yield if known). With 99 % abatement the "
                    f"gases are {gases_99['value']} g/cm2."
                ),
            )
        )
    for dataset_id, (category, key, name) in ACT_MEMORY.items():
        r = table[(category, key)]
        rows.append(
            Row(
                id=dataset_id,
                name=f"{name}, per GB of capacity",
                unit="GB",
                climate_change=per_thousand(r["value"]),
                source=ACT,
                source_row=f"{r['source_path']} ({key})",
                license="MIT",
                url=f"{ACT_URL}/blob/{r['source_commit']}/{r['source_path']}",
                year=2022,
                geography="GLO",
                gwp_basis="AR5",
                ter="average",
                ger="global",
                p="industry",
                notes=(
                    f"Published {r['value']} g CO2e/GB (SK hynix data collected by ACT). "
                    "Memory chips only: no controller, board or enclosure. ACT's values for "
                    "other generations range from 48 to 600 g/GB (DRAM) and 4 to 31 g/GB "
                    "(SSD). GWP basis of the manufacturer reports is not stated (AR5 assumed)."
                ),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------

FAMILIES = {
    "materials.csv": desnz_materials,
    "end_of_life.csv": desnz_end_of_life,
    "freight.csv": desnz_freight,
    "fuels.csv": desnz_fuels,
    "well_to_tank.csv": desnz_well_to_tank,
    "electricity.csv": owid_electricity,
    "metals.csv": nuss_metals,
    "battery_materials.csv": istrate_battery_materials,
    "electronics.csv": act_electronics,
}


def render(rows: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    return buffer.getvalue()


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, make_rows in FAMILIES.items():
        target = out / file_name
        target.write_text(render(make_rows()), encoding="utf-8", newline="")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "datasets", help="output folder")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
