"""The end-of-life model of a product's footprint: cut-off, or the PEF Circular Footprint Formula.

The engine computes every product under the cut-off (recycled-content) model.  When a product
says ``eol_model = "cff"``, ``apply_cff`` moves its stage figures to the CFF: each CFF line's
cut-off figure leaves its stage, its virgin and recycled-input terms join raw materials, its
recycling credit, energy and disposal terms join end of life, and explicit end-of-life lines of
the same material families leave the end-of-life stage (the CFF models that end of life).

The lines follow, so that they still add up to the product total on every sub-indicator: a CFF
line's figure becomes its CFF figure, a replaced end-of-life line's becomes 0, and each changed
line keeps its cut-off figure in ``climate_change_cut_off`` with a ``note``.  The cut-off total
stays visible in ``circularity.cff.cut_off_total``; the CFF terms per line are in
``circularity.cff.lines``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from footprint.circularity.product import CircularityOutcome
from footprint.lines import LineColumns
from footprint.model import STAGES, ClimateChange, LineResult, ProductResult


def apply_cff(result: ProductResult, outcome: CircularityOutcome) -> ProductResult:
    """A copy of ``result`` with its stages and total under its end-of-life model.

    A cut-off product comes back unchanged (as a copy).  ``outcome`` is what
    ``compute_circularity`` returned for this product; its circularity is attached.
    """
    if result.eol_model != "cff":
        # the engine built ``result`` for this call alone: a shallow copy is safe and cheap
        return result.model_copy(update={"circularity": outcome.circularity})
    by_stage = {
        stage: result.by_stage.get(stage, ClimateChange())
        + outcome.stage_changes.get(stage, ClimateChange())
        for stage in STAGES
    }
    total = sum(by_stage.values(), ClimateChange())
    lines: Sequence[LineResult]
    if isinstance(result.lines, LineColumns):
        lines = _changed_columns(result.lines, outcome, total.total)
    else:
        lines = changed = []
        for line in result.lines:
            update: dict[str, object] = {}
            change = outcome.line_changes.get(line.id)
            if change is not None:
                update = {
                    "climate_change": change.climate_change,
                    "climate_change_cut_off": line.climate_change,
                    "note": change.note,
                }
            figure = change.climate_change if change is not None else line.climate_change
            update["share"] = figure.total / total.total if total.total else 0.0
            changed.append(line.model_copy(update=update))
    return result.model_copy(
        update={
            "by_stage": by_stage,
            "climate_change": total,
            "lines": lines,
            "circularity": outcome.circularity,
        },
    )


def _changed_columns(lines: LineColumns, outcome: CircularityOutcome, total: float) -> LineColumns:
    """The same change as for a list of lines, column by column: the lines the CFF changes
    take their CFF figure (their cut-off figure kept with a note), every share is refigured."""
    ids = lines.values("id")
    changed = [k for k, line_id in enumerate(ids) if line_id in outcome.line_changes]
    figures = lines.values("climate_change") if changed else []
    cut_off = list(lines.values("climate_change_cut_off"))
    notes = list(lines.values("note"))
    parts = {name: np.array(lines.array(f"climate_change.{name}")) for name in _FLOAT_PARTS}
    units = lines.values("climate_change.unit")
    for k in changed:
        change = outcome.line_changes[ids[k]]
        cut_off[k] = figures[k]
        notes[k] = change.note
        for name in _FLOAT_PARTS:
            parts[name][k] = getattr(change.climate_change, name)
        units[k] = change.climate_change.unit
    share = parts["total"] / total if total else np.zeros(len(lines))
    return lines.replaced(
        {
            "climate_change": {**parts, "unit": units},
            "climate_change_cut_off": cut_off,
            "note": notes,
            "share": share,
        }
    )


_FLOAT_PARTS = ("total", "fossil", "biogenic", "luluc", "not_split")
