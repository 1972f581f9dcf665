"""The configurable PEF most-relevant rules ([M] in shared spec §10.1): toxicity left out of
the category ranking, categories always included, and the process ranking run again without
the use stage when it makes up more than 50 % of a category, all by hand."""

from __future__ import annotations

import csv

import pytest

import footprint
from footprint.impacts.most_relevant import Contribution, most_relevant_categories, use_stage_share
from footprint.impacts.relevance_rules import default_rules
from footprint.model import ImpactProfile, IndicatorResult, Stage
from footprint.resources import pef_parameters_dir


def result(identifier: str, weighted: float) -> IndicatorResult:
    return IndicatorResult(
        id=identifier, name=identifier, method=["EF v3.1", identifier, "x"], unit="u", value=1.0,
        status="complete", lines_with_dataset=1, lines_covered=1, category=identifier,
        weighted=weighted,
    )  # fmt: skip


# weighted results (Pt): toxicity large enough to matter
PROFILE = ImpactProfile(
    indicators=[
        result("climate-change", 30.0),
        result("human-toxicity-carcinogenic", 25.0),
        result("particulate-matter-formation", 20.0),
        result("ecotoxicity-freshwater", 10.0),
        result("water-use", 10.0),
        result("land-use", 5.0),
    ]
)


def test_the_shipped_rules_are_the_specs_defaults() -> None:
    rules = default_rules()
    assert rules.threshold == 0.8
    assert rules.use_stage_rerun is True and rules.use_stage_share == 0.5
    assert rules.exclude_toxicity is False and rules.always_include == ()
    assert rules.toxicity == (
        "human-toxicity-carcinogenic", "human-toxicity-non-carcinogenic", "ecotoxicity-freshwater"
    )  # fmt: skip
    with (pef_parameters_dir() / "most_relevant_rules.csv").open(encoding="utf-8") as handle:
        tags = {row["parameter"]: row["tag"] for row in csv.DictReader(handle)}
    assert tags["use_stage_rerun"] == tags["exclude_toxicity_in_ranking"] == "M"


def test_toxicity_ranked_like_any_category_by_default() -> None:
    kept = most_relevant_categories(PROFILE, 0.8, default_rules())
    # Σ = 100: 30, 55, 75, 85 % → climate, human toxicity, PM, ecotoxicity (first at 85)
    assert [i.key for i in kept.items] == [
        "climate-change", "human-toxicity-carcinogenic", "particulate-matter-formation",
        "ecotoxicity-freshwater", "water-use",
    ]  # fmt: skip  (water ties with the crossing ecotoxicity at 10 and is kept with it)
    assert kept.items[3].cumulative == pytest.approx(0.85)


def test_toxicity_left_out_of_the_ranking_and_its_total() -> None:
    rules = default_rules().replace(exclude_toxicity=True)
    kept = most_relevant_categories(PROFILE, 0.8, rules)
    # without the 25 + 10 of toxicity Σ = 65: 30/65 = 46.2 %, +20 → 76.9 %, +10 → 92.3 %
    assert [i.key for i in kept.items] == [
        "climate-change", "particulate-matter-formation", "water-use"
    ]  # fmt: skip
    assert kept.total == 65.0
    assert [round(i.cumulative, 4) for i in kept.items] == [0.4615, 0.7692, 0.9231]


def test_always_included_categories_are_added_never_removed() -> None:
    rules = default_rules().replace(always_include=("land-use", "climate-change"))
    kept = most_relevant_categories(PROFILE, 0.8, rules)
    keys = [i.key for i in kept.items]
    assert keys[-1] == "land-use" and keys.count("climate-change") == 1
    added = kept.items[-1]
    assert added.note == "always included (rules)"
    assert added.share == pytest.approx(0.05) and added.cumulative == pytest.approx(1.0)


def test_use_stage_share_is_the_absolute_share_of_the_stages() -> None:
    def stage(s: Stage, value: float) -> Contribution:
        return Contribution(key=s.value, name=s.value, value=value, stage=s)

    stages = [stage(Stage.RAW_MATERIALS, 3.0), stage(Stage.USE, 6.0),
              stage(Stage.END_OF_LIFE, -1.0)]  # fmt: skip
    assert use_stage_share(stages) == pytest.approx(0.6)  # 6 / (3 + 6 + 1)
    assert use_stage_share([stage(Stage.USE, 0.0)]) is None


# A widget whose use-stage electricity dominates climate change (factors: shipped datasets)
USE_HEAVY_CSV = """product,id,parent,name,quantity,unit,dataset,stage
widget,case,,Housing,120 g,,material-aluminium-primary,raw materials
widget,power,,Assembly power,0.5,kWh,electricity-grid-DE,manufacturing
widget,use,,Charging over its life,10,kWh,electricity-grid-DE,use
"""


def factor(dataset_id: str) -> float:
    from footprint.resources import datasets_dir

    for path in sorted(datasets_dir().glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["id"] == dataset_id:
                    return float(row["climate_change"])
    raise KeyError(dataset_id)


def test_the_process_ranking_runs_again_without_a_dominant_use_stage(bw_module, tmp_path):
    bom = tmp_path / "widget.csv"
    bom.write_text(USE_HEAVY_CSV, encoding="utf-8")
    engine = footprint.Engine(brightway_project=bw_module)
    product = engine.assess(bom, hotspots=True).products[0]
    hotspots = product.impacts.most_relevant.per_category[0]
    aluminium = 0.120 * factor("material-aluminium-primary")
    assembly = 0.5 * factor("electricity-grid-DE")
    use = 10 * factor("electricity-grid-DE")
    assert hotspots.use_stage_share == pytest.approx(use / (aluminium + assembly + use), rel=1e-6)
    assert hotspots.use_stage_share > 0.5
    # first run: the use-stage electricity alone crosses 80 % (3.316 of 4.575 = 72.5 %, then
    # aluminium 1.094 → 96.4 %)
    first = [(i.stage, i.name) for i in hotspots.processes.items]
    assert first[0][0] == Stage.USE and len(first) == 2
    # again without the use stage: aluminium 1.094 of 1.260 = 86.8 % is the whole list
    again = hotspots.processes_without_use
    assert again is not None
    assert [i.stage for i in again.items] == [Stage.RAW_MATERIALS]
    assert again.total == pytest.approx(aluminium + assembly, rel=1e-6)
    assert again.items[0].share == pytest.approx(aluminium / (aluminium + assembly), rel=1e-6)
    assert again.items[0].key in hotspots.flows_by_process  # its flows are kept too
    assert any(rule.startswith("use stage [M]: above 50%") for rule in
               product.impacts.most_relevant.rules)  # fmt: skip
    # switched off: no second run
    rules = default_rules().replace(use_stage_rerun=False)
    off = engine.assess(bom, hotspots=rules).products[0]
    assert off.impacts.most_relevant.per_category[0].processes_without_use is None
