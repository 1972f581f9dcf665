"""The configurable PEF most-relevant rules, from ``datasets/pef/most_relevant_rules.csv``
(the cumulative share itself from ``relevance_threshold.csv``).  See that folder's README
for the source and verification tag of each value."""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass
from functools import cache

from footprint.data_quality import relevance_share
from footprint.errors import DatasetError
from footprint.resources import pef_parameters_dir

RULES_FILE = "most_relevant_rules.csv"


@dataclass(frozen=True)
class HotspotRules:
    """How the most relevant categories, stages, processes and flows are chosen."""

    threshold: float  # cumulative share every list reaches (0.8)
    use_stage_rerun: bool  # rank the processes again without the use stage when it dominates
    use_stage_share: float  # … when its share of the category is more than this (0.5)
    exclude_toxicity: bool  # leave the toxicity categories out of the category ranking
    toxicity: tuple[str, ...]  # the toxicity categories (indicator ids)
    always_include: tuple[str, ...] = ()  # categories added whatever their share

    def replace(self, **changes: object) -> HotspotRules:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@cache
def default_rules() -> HotspotRules:
    path = pef_parameters_dir() / RULES_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        values = {row["parameter"]: row["value"].strip() for row in csv.DictReader(handle)}

    def flag(name: str) -> bool:
        text = values[name].lower()
        if text not in {"true", "false"}:
            raise DatasetError(f"{path}: {name} is {text!r}; write true or false")
        return text == "true"

    def ids(name: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in values.get(name, "").split("|") if part.strip())

    return HotspotRules(
        threshold=relevance_share(),
        use_stage_rerun=flag("use_stage_rerun"),
        use_stage_share=float(values["use_stage_rerun_share"]),
        exclude_toxicity=flag("exclude_toxicity_in_ranking"),
        toxicity=ids("toxicity_categories"),
        always_include=ids("always_include"),
    )
