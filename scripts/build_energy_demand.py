"""Write datasets/energy/cumulative_energy_demand.csv from the Nuss & Eckelman (2014) source.

One row per shipped metal dataset (``metal-<element>`` in datasets/metals.csv, built from the
same source by scripts/build_datasets.py): its cumulative energy demand in MJ per kg, copied
from the source file's ``ced_mj_per_kg`` column (SI S1, Table S38, TOTAL rows).  Run from the
repository root: ``python scripts/build_energy_demand.py``; the output is byte for byte the
same on every run.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "datasets" / "sources" / "nuss_eckelman_2014_metals_cradle_to_gate.csv"
METALS = ROOT / "datasets" / "metals.csv"
OUTPUT = ROOT / "datasets" / "energy" / "cumulative_energy_demand.csv"
CITATION = (
    "Nuss & Eckelman (2014), Life Cycle Assessment of Metals, PLoS ONE 9(7) e101298, "
    "SI S1, Table S38 TOTAL"
)


def main() -> None:
    with METALS.open(encoding="utf-8", newline="") as handle:
        shipped = {row["id"]: row for row in csv.DictReader(handle)}
    rows = []
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            dataset = f"metal-{row['element'].lower()}"
            if dataset not in shipped or shipped[dataset]["unit"] != "kg":
                raise SystemExit(f"{dataset}: no shipped per-kg dataset for {row['element']}")
            rows.append(
                {
                    "dataset": dataset,
                    "cumulative_energy_demand_mj": row["ced_mj_per_kg"],
                    "unit": "MJ per kg",
                    "source": CITATION,
                    "license": "CC-BY-4.0",
                    "url": "https://doi.org/10.1371/journal.pone.0101298",
                }
            )
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
