"""The tidy long table of an assessment: one row per product × BOM line × indicator.

This is what ``Assessment.to_dataframe()`` returns, for pandas ``.loc``, pivots and Excel
filters.  Values are the assessment's own figures, per functional unit.  ``value`` is the
figure under the product's end-of-life model (the lines add up to the product); for a product
under the CFF, ``value_cut_off`` is the same line under the cut-off model and ``note`` says
why a line changed.

With an impact profile (``--indicators`` other than climate, ``--hotspots``) the chosen
indicators follow as rows of ``scope`` "stage" (one per life-cycle stage) and "product" (the
product's figure, with its ``coverage``, ``normalised`` and ``weighted_pt``), and one
"single score" row per product in Pt.  Lines carry climate change only, so every BOM row's
``scope`` is "line": filter on ``scope`` before summing.  An indicator that no line's dataset
characterises has ``value`` NaN and ``coverage`` "not covered" (unknown, never 0); a stage
row's ``coverage`` is "not covered" when none of its lines is characterised, else the
product's (a stage of a partly covered indicator may itself be complete).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from footprint.model import Assessment, ClimateChange, ProductResult

NOT_COVERED = "not covered"

if TYPE_CHECKING:
    import pandas as pd

# EF 3.1 climate change and its three sub-indicators, as (column value, ClimateChange field).
INDICATORS: tuple[tuple[str, str], ...] = (
    ("climate change", "total"),
    ("climate change, fossil", "fossil"),
    ("climate change, biogenic", "biogenic"),
    ("climate change, land use and land use change", "luluc"),
    ("climate change, not split", "not_split"),  # no fossil/biogenic/land-use split in the data
)

COLUMNS: tuple[str, ...] = (
    "product",
    "product_name",
    "line",
    "path",
    "depth",
    "name",
    "dataset",
    "dataset_name",
    "stage",
    "quantity",
    "unit",
    "mass_kg",
    "material",
    "recycled_content",
    "country",
    "supplier",
    "smelter_id",
    "certification",
    "row",
    "indicator",
    "value",
    "value_cut_off",
    "indicator_unit",
    "share_of_product",
    "note",
)
IMPACT_COLUMNS: tuple[str, ...] = ("scope", "coverage", "normalised", "weighted_pt")


def assessment_dataframe(assessment: Assessment) -> pd.DataFrame:
    """Rows: product × line × indicator; ``share_of_product`` only on the total's rows.

    Unknown BOM columns (``extra``) follow as ``extra.<name>`` columns.
    """
    import pandas as pd

    extra_keys = sorted(
        {key for p in assessment.products for line in p.lines for key in line.extra}
    )
    records: list[dict[str, object]] = []
    for product in assessment.products:
        for line in product.lines:
            common: dict[str, object] = {
                "product": product.id,
                "product_name": product.name,
                "line": line.id,
                "path": line.path,
                "depth": line.depth,
                "name": line.name,
                "dataset": line.dataset,
                "dataset_name": line.dataset_name,
                "stage": line.stage.value,
                "quantity": line.quantity,
                "unit": line.unit,
                "mass_kg": line.mass_kg,
                "material": line.material,
                "recycled_content": line.recycled_content,
                "country": line.country,
                "supplier": line.supplier,
                "smelter_id": line.smelter_id,
                "certification": line.certification,
                "row": line.row,
            }
            extras = {f"extra.{key}": line.extra.get(key) for key in extra_keys}
            cut_off = (
                (line.climate_change_cut_off or line.climate_change)
                if product.eol_model == "cff"
                else None
            )
            for indicator, field in INDICATORS:
                records.append(
                    {
                        **common,
                        "indicator": indicator,
                        "value": _value(line.climate_change, field),
                        "value_cut_off": None if cut_off is None else _value(cut_off, field),
                        "indicator_unit": line.climate_change.unit,
                        "share_of_product": line.share if field == "total" else None,
                        "note": line.note,
                        **extras,
                        "scope": "line",
                    }
                )
        records.extend(_impact_records(product))
    columns = [*COLUMNS, *(f"extra.{key}" for key in extra_keys)]
    if any(p.impacts is not None for p in assessment.products):
        columns += IMPACT_COLUMNS
    else:
        for record in records:
            del record["scope"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    floats = ("quantity", "mass_kg", "recycled_content", "value", "value_cut_off")
    for column in (*floats, "share_of_product"):
        frame[column] = frame[column].astype("float64")
    if "scope" in frame:
        for column in ("normalised", "weighted_pt"):
            frame[column] = frame[column].astype("float64")
        frame["depth"] = frame["depth"].astype("Int64")  # profile rows have no line
        return frame.assign(row=frame["row"].astype("Int64"))
    frame["depth"] = frame["depth"].astype("int64")
    frame["row"] = frame["row"].astype("Int64")
    return frame


def _value(climate_change: ClimateChange, field: str) -> float:
    return float(getattr(climate_change, field))


def _impact_records(product: ProductResult) -> list[dict[str, object]]:
    """The profile's rows of one product: per indicator its stages and its total, then the
    single score (none without a profile)."""
    profile = product.impacts
    if profile is None:
        return []
    common: dict[str, object] = {"product": product.id, "product_name": product.name}
    records: list[dict[str, object]] = []
    for result in profile.indicators:
        for stage, figure in result.by_stage.items():
            records.append(
                {
                    **common,
                    "stage": stage.value,
                    "indicator": result.id,
                    "value": figure,
                    "indicator_unit": result.unit,
                    "scope": "stage",
                    "coverage": NOT_COVERED if figure is None else result.status,
                }
            )
        records.append(
            {
                **common,
                "indicator": result.id,
                "value": result.value,
                "indicator_unit": result.unit,
                "scope": "product",
                "coverage": result.status,
                "normalised": result.normalised,
                "weighted_pt": result.weighted,
                "note": result.category,
            }
        )
    score = profile.single_score
    if score is not None:
        lacking = "; ".join(f"{k}: {v}" for k, v in score.missing.items())
        records.append(
            {
                **common,
                "indicator": "single score",
                "value": score.value,
                "indicator_unit": "Pt",
                "scope": "product",
                "coverage": score.status,
                "weighted_pt": score.value,
                "note": lacking or None,
            }
        )
    return records
