"""--iterations with --indicators ef31 and --hotspots, in one process and on a LocalCluster of
two worker processes: the Monte Carlo samples the climate change total only, and the result
says so (the other chosen indicators listed as not sampled); the indicators and hotspots are
the same as without workers, and the Monte Carlo the same as a climate-only run's."""

from __future__ import annotations

import json
from pathlib import Path


def test_ef31_and_hotspots_with_iterations_on_two_workers(
    run_cli, examples_dir: Path, tmp_path: Path
) -> None:
    bom = str(examples_dir / "e-bike-battery.xlsx")
    common = ("--iterations", "200", "--seed", "3")
    outputs = {}
    for name, options in (
        ("climate", ()),
        ("here", ("--indicators", "ef31", "--hotspots")),
        # the workers start warm from the cache the runs before wrote (their hotspots once
        # read bw2data's default project there: an internal error)
        ("workers", ("--indicators", "ef31", "--hotspots", "--workers", "2")),
    ):
        path = tmp_path / f"{name}.json"
        result = run_cli("assess", bom, *common, *options, "--json", str(path))
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        outputs[name] = (json.loads(path.read_text(encoding="utf-8")), result.stdout)
    here, workers, climate = outputs["here"][0], outputs["workers"][0], outputs["climate"][0]
    product = here["products"][0]
    assert product["impacts"]["most_relevant"] is not None  # --hotspots ran
    assert workers["products"] == here["products"]  # indicators and hotspots alike
    assert workers["uncertainty"] == here["uncertainty"]
    # choosing more indicators does not change what is sampled: the climate change total
    assert here["uncertainty"]["products"] == climate["uncertainty"]["products"]
    assert climate["uncertainty"]["not_sampled_indicators"] == []
    label = here["uncertainty"]["indicator"]
    assert "climate change, total" in label and "kg CO2-eq per functional unit" in label
    chosen = [i["id"] for i in product["impacts"]["indicators"]]
    assert len(chosen) == 25 and "climate-change" in chosen
    not_sampled = here["uncertainty"]["not_sampled_indicators"]
    assert not_sampled == [i for i in chosen if i != "climate-change"]
    assert "climate-change-fossil" in not_sampled  # its sub-indicators are not sampled either
    stdout = " ".join(outputs["workers"][1].split())
    assert "not sampled (no uncertainty given): acidification" in stdout
