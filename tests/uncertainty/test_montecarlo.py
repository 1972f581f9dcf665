"""Monte Carlo against analytic results, reproducibility across chunkings and Dask workers,
and bad input as one line each."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

DATASETS = """id,name,unit,climate_change,uncertainty_type,uncertainty_loc,uncertainty_scale,\
uncertainty_minimum,uncertainty_maximum
mc-steel,steel,kg,2,normal,2,0.2,,
mc-power,power,kWh,1,normal,1,0.1,,
mc-resin,resin,kg,5,lognormal,{ln5},0.3,,
"""

BOM = """id,parent,name,quantity,unit,dataset,stage
kit,,Kit,1,piece,,
frame,kit,Frame,3,kg,mc-steel,raw materials
press,kit,Press,5,kWh,mc-power,manufacturing
"""

LOGNORMAL_BOM = """id,parent,name,quantity,unit,dataset,stage
kit,,Kit,1,piece,,
cover,kit,Cover,2,kg,mc-resin,raw materials
"""

RULES = """name: mc-rules
title: Test limit
categories: [test-kit]
rules:
  - id: kit-limit
    title: Kit footprint
    kind: max_footprint
    basis: per functional unit
    limit: 11.5
    applies_to: {categories: [test-kit]}
    source: {regulation: Test}
"""

N = 4000


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mc")
    paths = {
        "datasets": folder / "mc-datasets.csv",
        "bom": folder / "kit.csv",
        "products": folder / "kit.products.csv",
        "limited": folder / "kit-limited.csv",
        "lognormal": folder / "cover.csv",
        "rules": folder / "mc-rules.yaml",
    }
    paths["datasets"].write_text(DATASETS.format(ln5=math.log(5)), encoding="utf-8")
    paths["bom"].write_text(BOM, encoding="utf-8")
    paths["products"].write_text("product,name\nkit,Kit\n", encoding="utf-8")
    paths["limited"].write_text(BOM, encoding="utf-8")
    (folder / "kit-limited.products.csv").write_text(
        "product,name,category\nkit,Kit,test-kit\n", encoding="utf-8"
    )
    paths["lognormal"].write_text(LOGNORMAL_BOM, encoding="utf-8")
    paths["rules"].write_text(RULES, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def kit(files):
    import footprint

    return footprint.Engine([files["datasets"]])


def _simulate(engine, assessment, **options):
    from footprint.uncertainty.montecarlo import simulate

    return simulate(assessment, dict(engine.catalog.datasets), **options)


def test_sum_of_normal_lines(kit, files) -> None:
    """3 kg × N(2, 0.2) + 5 kWh × N(1, 0.1): mean 11, variance 9·0.04 + 25·0.01 = 0.61."""
    assessment = kit.assess(files["bom"])
    result = _simulate(kit, assessment, iterations=N, seed=7)
    (product,) = result.products
    sd = math.sqrt(0.61)
    assert abs(product.total.mean - 11) < 4 * sd / math.sqrt(N)
    assert abs(product.total.sd - sd) < 4 * sd / math.sqrt(2 * (N - 1))
    assert abs(product.by_stage["raw materials"].mean - 6) < 4 * 0.6 / math.sqrt(N)
    assert set(product.drivers) == {"frame", "press"}
    # the frame's variance (0.36) outweighs the press's (0.25)
    assert product.drivers["frame"] > product.drivers["press"]


def test_lognormal_factor_percentiles(kit, files) -> None:
    """2 kg × LN(ln 5, 0.3): median 10, 97.5th percentile 10·e^(1.96·0.3)."""
    result = _simulate(kit, kit.assess(files["lognormal"]), iterations=N, seed=3)
    (product,) = result.products
    assert product.total.median == pytest.approx(10, rel=0.02)
    assert product.total.p97_5 == pytest.approx(10 * math.exp(1.959964 * 0.3), rel=0.04)
    assert product.total.p2_5 == pytest.approx(10 * math.exp(-1.959964 * 0.3), rel=0.04)


def test_probability_of_failing_a_limit(kit, files) -> None:
    """P(total > 11.5) for a N(11, √0.61) total = 1 − Φ(0.5 / √0.61)."""
    from footprint.api import load_rules

    rules = load_rules([files["rules"]])
    assessment = kit.assess(files["limited"], rules=[files["rules"]])
    result = _simulate(kit, assessment, iterations=N, seed=11, rule_sets=rules)
    (check,) = result.products[0].checks
    expected = 1 - 0.5 * (1 + math.erf(0.5 / math.sqrt(0.61) / math.sqrt(2)))
    standard_error = math.sqrt(expected * (1 - expected) / N)
    assert abs(check.probability_fail - expected) < 4 * standard_error
    assert check.probability_pass == pytest.approx(1 - check.probability_fail)


def test_same_seed_same_numbers_whatever_the_chunks(kit, files) -> None:
    assessment = kit.assess(files["bom"])
    one = _simulate(kit, assessment, iterations=450, seed=5, blocks_per_task=1)
    three = _simulate(kit, assessment, iterations=450, seed=5, blocks_per_task=3)
    assert one == three
    other = _simulate(kit, assessment, iterations=450, seed=6)
    assert other.products[0].total.mean != one.products[0].total.mean


def test_same_numbers_on_one_and_two_dask_worker_processes(kit, files) -> None:
    from footprint.uncertainty.cluster import dask_client

    assessment = kit.assess(files["bom"])
    alone = _simulate(kit, assessment, iterations=450, seed=5)
    with dask_client(workers=1) as client:
        one = _simulate(kit, assessment, iterations=450, seed=5, client=client)
    with dask_client(workers=2) as client:
        two = _simulate(kit, assessment, iterations=450, seed=5, client=client, blocks_per_task=2)
    assert alone == one == two


def test_shipped_metal_uses_the_published_interval() -> None:
    """Nuss & Eckelman lithium: p2.5 5.7, p97.5 8.9 kg CO2-eq/kg → σ = ln(8.9/5.7)/(2·1.96)."""
    from footprint.catalog import load_catalog
    from footprint.uncertainty.montecarlo import dataset_distribution, published_intervals

    lithium = load_catalog().get("metal-lithium")
    found = dataset_distribution(lithium, published_intervals())
    assert found is not None and found.kind == "lognormal"
    assert found.scale == pytest.approx(math.log(8.9 / 5.7) / (2 * 1.959964), rel=1e-6)
    assert math.exp(found.loc) == pytest.approx(math.sqrt(5.7 * 8.9), rel=1e-9)


def test_bad_input_one_line_each(run_cli, files, tmp_path: Path) -> None:
    bad = tmp_path / "bad-datasets.csv"
    bad.write_text(
        "id,name,unit,climate_change,uncertainty_type,uncertainty_loc,uncertainty_scale,"
        "uncertainty_minimum,uncertainty_maximum\n"
        "mc-a,a,kg,1,lognormal,0,-0.5,,\n"
        "mc-b,b,kg,1,triangular,1,,3,2\n",
        encoding="utf-8",
    )
    bom = tmp_path / "bad.csv"
    bom.write_text(
        "id,parent,name,quantity,unit,dataset,stage,quantity_tolerance\n"
        "kit,,Kit,1,piece,,,\n"
        "a,kit,A,1,kg,mc-a,raw materials,±5 %\n"
        "b,kit,B,1,kg,mc-b,raw materials,\n",
        encoding="utf-8",
    )
    result = run_cli("assess", str(bom), "--datasets", str(bad), "--iterations", "100")
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, result.stderr
    assert "uncertainty_scale -0.5 must be > 0" in errors[0] and "row 2" in errors[0]
    assert "uncertainty_minimum 3 is not below the maximum 2" in errors[1]
    # a bad tolerance is refused when the BOM is read, with or without --iterations
    bom.write_text(bom.read_text(encoding="utf-8").replace("±5 %", "200 %"), encoding="utf-8")
    for options in ((), ("--iterations", "100")):
        result = run_cli("assess", str(bom), "--datasets", str(files["datasets"]), *options)
        assert result.returncode == 2, result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, result.stderr
        assert "bad.csv, row 3, column quantity_tolerance" in errors[0]
        assert "a tolerance must be below 100 %" in errors[0]
        assert "Traceback" not in result.stderr
    zero = run_cli(
        "assess", str(files["bom"]), "--datasets", str(files["datasets"]), "--iterations", "0"
    )
    assert zero.returncode == 2
    assert "--iterations 0: give at least 2" in zero.stderr


def test_reports_show_the_monte_carlo(kit, files, tmp_path: Path) -> None:
    import json

    import openpyxl

    from footprint.api import load_rules

    assessment = kit.assess(files["limited"], rules=[files["rules"]])
    result = _simulate(
        kit, assessment, iterations=300, seed=1, rule_sets=load_rules([files["rules"]])
    )
    with_mc = assessment.model_copy(update={"uncertainty": result})
    document = json.loads(with_mc.to_json())
    total = document["uncertainty"]["products"][0]["total"]
    sheet = openpyxl.load_workbook(with_mc.to_excel(tmp_path / "mc.xlsx"))["Uncertainty"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert header[:3] == ["Product", "Figure", "Mean"]
    assert row[:2] == ["kit", "total"]
    assert row[2:9] == [total[k] for k in ("mean", "median", "sd", "p2_5", "p25", "p75", "p97_5")]
    page = with_mc.to_html(tmp_path / "mc.html").read_text(encoding="utf-8")
    assert '<section id="uncertainty">' in page
    assert "kit-limit: P(fail)" in page


def test_a_scheduler_started_as_a_separate_process(run_cli, kit, files, tmp_path: Path) -> None:
    """``--scheduler``: a dask scheduler and one worker in their own processes, as on a real
    cluster; the numbers equal the single-process ones."""
    import json
    import time

    address_file = tmp_path / "scheduler.json"
    common = ["--no-dashboard"]
    scheduler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--scheduler-file",
            str(address_file),
            "--dashboard-address",
            ":0",  # a free port: 8787 may be another cluster's
            *common,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists():
            assert time.monotonic() < deadline and scheduler.poll() is None
            time.sleep(0.2)
        time.sleep(0.5)
        address = json.loads(address_file.read_text())["address"]
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                address,
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                *common,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        out = tmp_path / "mc.json"
        result = run_cli(
            "assess",
            str(files["bom"]),
            "--datasets",
            str(files["datasets"]),
            "--iterations",
            "300",
            "--seed",
            "9",
            "--scheduler",
            address,
            "--json",
            str(out),
        )
        assert result.returncode == 0, result.stderr
        distributed = json.loads(out.read_text())["uncertainty"]
        alone = _simulate(kit, kit.assess(files["bom"]), iterations=300, seed=9)
        assert distributed["products"][0]["total"] == alone.products[0].total.model_dump()
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def test_dataset_file_distributions_are_checked_when_read(run_cli, files, tmp_path: Path) -> None:
    """A bad distribution in a dataset file is refused whenever the file is read (exit 2, one
    line per problem naming file, row and column), not only under --iterations; a parameter
    that is not a number is such a problem (it used to reach float() inside the simulation)."""
    bad = tmp_path / "bad-datasets.csv"
    bad.write_text(
        "id,name,unit,climate_change,uncertainty_type,uncertainty_loc,uncertainty_scale,"
        "uncertainty_minimum,uncertainty_maximum\n"
        "mc-a,a,kg,1,lognormal,0,-0.5,,\n"
        "mc-b,b,kg,1,triangular,1,,3,2\n"
        "mc-c,c,kg,1,normal,abc,0.1,,\n"
        "mc-d,d,kg,1,gamma,1,1,,\n"
        "mc-e,e,kg,1,fixed,,,,\n"
        "mc-f,f,kg,1,,,,,\n"
        "mc-g,g,kg,1,,,0.2,,\n"
        "mc-h,h,kg,1, ,0,,1,\n",
        encoding="utf-8",
    )
    before = bad.read_bytes()
    bom = tmp_path / "kit.csv"
    bom.write_text(
        "id,parent,name,quantity,unit,dataset,stage\n"
        "kit,,Kit,1,piece,,\n"
        "e,kit,E,1,kg,mc-e,raw materials\n",
        encoding="utf-8",
    )
    for options in ((), ("--iterations", "50")):
        result = run_cli("assess", str(bom), "--datasets", str(bad), *options)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 6, result.stderr
        assert "row 2" in errors[0] and "uncertainty_scale -0.5 must be > 0" in errors[0]
        assert "row 3" in errors[1] and "uncertainty_minimum 3 is not below the maximum 2" in (
            errors[1]
        )
        assert "row 4, column uncertainty_loc" in errors[2] and "'abc' is not a finite number" in (
            errors[2]
        )
        assert "row 5" in errors[3] and "uncertainty type 'gamma'" in errors[3]
        # parameters without a type were silently ignored (the value stayed fixed)
        assert "row 8, column uncertainty_scale" in errors[4], errors[4]
        assert "uncertainty_scale given without an uncertainty_type" in errors[4]
        assert "row 9, column uncertainty_loc" in errors[5], errors[5]
        assert "uncertainty_loc, uncertainty_minimum given without" in errors[5]
        assert all("bad-datasets.csv" in e for e in errors)
    assert bad.read_bytes() == before


def test_dataset_built_in_code_with_parameters_but_no_type_is_refused() -> None:
    """A Dataset made in code (not read from a file) reaches the Monte Carlo unchecked: a
    parameter without uncertainty_type is a ValueError naming dataset and column, a fixed
    kind gives no distribution, a lognormal its own parameters."""
    from footprint.model import Dataset
    from footprint.uncertainty.montecarlo import dataset_distribution

    def dataset(**extra: object) -> Dataset:
        return Dataset(id="x", name="x", unit="kg", climate_change=2.0, extra=extra)

    with pytest.raises(ValueError, match="dataset 'x': uncertainty_scale given without an"):
        dataset_distribution(dataset(uncertainty_scale=0.3), {})
    with pytest.raises(ValueError, match=r"'abc' is not a finite number \(column uncertainty_loc"):
        dataset_distribution(dataset(uncertainty_type="normal", uncertainty_loc="abc"), {})
    assert dataset_distribution(dataset(uncertainty_type="None", uncertainty_loc=1), {}) is None
    found = dataset_distribution(
        dataset(uncertainty_type="lognormal", uncertainty_loc="0.5", uncertainty_scale=0.25), {}
    )
    assert found is not None and (found.kind, found.loc, found.scale) == ("lognormal", 0.5, 0.25)
