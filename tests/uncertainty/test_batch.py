"""Batch assessment of a folder of BOM files on a real Dask LocalCluster (worker processes):
the files are read on the workers, the Monte Carlo runs there, and the result is the same as
one process gives, with progress reported as tasks complete."""

from __future__ import annotations

import json
import math
import socket
import warnings as warnings_module
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DATASETS = """id,name,unit,climate_change,material,uncertainty_type,uncertainty_loc,\
uncertainty_scale
bt-steel,steel,kg,2,steel,normal,2,0.2
bt-power,power,kWh,1,,normal,1,0.1
bt-pet,PET,kg,3,pet,,,
"""

RULES = """name: bt-rules
title: Batch rules
categories: [bt-kit]
rules:
  - id: bt-limit
    title: Kit footprint
    kind: max_footprint
    limit: 11.5
    applies_to: {categories: [bt-kit]}
    source: {regulation: Test}
  - id: bt-pet
    title: Recycled PET
    kind: min_recycled_content
    materials: [pet]
    limit: 0.18
    applies_to: {categories: [bt-kit]}
    source: {regulation: Test}
"""


def _bom(i: int) -> str:
    return (
        "id,parent,name,quantity,unit,dataset,stage,quantity_tolerance,recycled_content,"
        "recycled_content_range\n"
        f"kit{i},,Kit {i},1,piece,,,,,\n"
        f"frame,kit{i},Frame,{2 + i},kg,bt-steel,raw materials,±5 %,,\n"
        f"press,kit{i},Press,5,kWh,bt-power,manufacturing,,,\n"
        f"cap,kit{i},Cap,0.1,kg,bt-pet,raw materials,,0.2,1{i}–2{i + 3} %\n"
    )


def _write_boms(boms: Path, texts: list[str]) -> None:
    """kit0.csv, kit1.csv, … with their Products sheets (category bt-kit)."""
    boms.mkdir()
    for i, text in enumerate(texts):
        (boms / f"kit{i}.csv").write_text(text, encoding="utf-8")
        (boms / f"kit{i}.products.csv").write_text(
            f"product,name,category\nkit{i},Kit {i},bt-kit\n", encoding="utf-8"
        )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    _write_boms(root / "boms", [_bom(i) for i in range(5)])
    (root / "bt-datasets.csv").write_text(DATASETS, encoding="utf-8")
    (root / "bt-rules.yaml").write_text(RULES, encoding="utf-8")
    return root


def test_files_and_iterations_on_two_workers_same_as_one_process(folder: Path) -> None:
    """The API: files read on the workers (progress per file), the Monte Carlo on the
    workers (progress per task); products and numbers equal to one process."""
    import footprint
    from footprint.api import load_rules, read_products
    from footprint.uncertainty.cluster import dask_client
    from footprint.uncertainty.montecarlo import simulate

    engine = footprint.Engine([folder / "bt-datasets.csv"])
    rules = load_rules([folder / "bt-rules.yaml"])
    alone_products, alone_warnings = read_products(folder / "boms")
    assessment = engine.assess_products(alone_products, alone_warnings, rule_sets=rules)
    options = {"iterations": 450, "seed": 3, "rule_sets": rules}
    alone = simulate(assessment, dict(engine.catalog.datasets), products=alone_products, **options)
    read: list[tuple[int, int]] = []
    sampled: list[tuple[int, int]] = []
    with dask_client(workers=2) as client:
        products, warnings = read_products(
            folder / "boms", progress=lambda *count: read.append(count), client=client
        )
        distributed = simulate(
            engine.assess_products(products, warnings, rule_sets=rules),
            dict(engine.catalog.datasets),
            products=products,
            client=client,
            blocks_per_task=2,
            products_per_task=2,
            progress=lambda *count: sampled.append(count),
            **options,
        )
    assert products == alone_products and warnings == alone_warnings
    assert distributed == alone
    assert read == [(i, 5) for i in range(1, 6)]  # increasing counts to the total
    # 3 batches (2, 2, 1 products) × 3 chunks (2, 2, 1 blocks) of draws + 3 summaries
    assert sampled == [(i, 12) for i in range(1, 13)]
    # the ranges made the recycled-content checks vary: each has a probability of its own
    pet = [next(c for c in p.checks if c.rule == "bt-pet") for p in alone.products]
    assert len({c.probability_fail for c in pet}) > 1


def test_batched_tasks_same_numbers_in_process_and_on_one_and_two_workers(folder: Path) -> None:
    """Products batched into tasks: the same bits in this process (one product per task and
    one block per task, or batches of 3 products × 2 blocks, or the automatic shape) and on a
    LocalCluster of 1 and of 2 worker processes (automatic shape, and batches of 2 × 3)."""
    import footprint
    from footprint.api import load_rules, read_products
    from footprint.uncertainty.cluster import dask_client
    from footprint.uncertainty.montecarlo import simulate

    engine = footprint.Engine([folder / "bt-datasets.csv"])
    rules = load_rules([folder / "bt-rules.yaml"])
    products, warnings = read_products(folder / "boms")
    assessment = engine.assess_products(products, warnings, rule_sets=rules)
    datasets = dict(engine.catalog.datasets)
    options = {"iterations": 530, "seed": 8, "rule_sets": rules, "products": products}
    single = simulate(assessment, datasets, products_per_task=1, blocks_per_task=1, **options)
    batched = simulate(assessment, datasets, products_per_task=3, blocks_per_task=2, **options)
    automatic = simulate(assessment, datasets, **options)
    with _port_8787_taken(), warnings_module.catch_warnings(record=True) as heard:
        warnings_module.simplefilter("always")
        with dask_client(workers=1) as client:
            one = simulate(assessment, datasets, client=client, **options)
            http = client.scheduler_info()["services"]
    # footprint's cluster binds its HTTP routes to a free port: no "port 8787 in use"
    assert not [w for w in heard if "8787" in str(w.message)], [str(w.message) for w in heard]
    assert http and 8787 not in http.values()
    with dask_client(workers=2) as client:
        two = simulate(assessment, datasets, client=client, **options)
        two_batched = simulate(
            assessment, datasets, client=client, products_per_task=2, blocks_per_task=3,
            **options,
        )  # fmt: skip
    assert single == batched == automatic == one == two == two_batched
    assert [p.product for p in single.products] == [p.id for p in assessment.products]
    # a real spread, different per product (the frames differ in mass)
    assert len({p.total.sd for p in single.products}) == 5
    assert all(p.total.sd > 0 for p in single.products)


@contextmanager
def _port_8787_taken() -> Iterator[None]:
    """Port 8787 (Dask's default dashboard) in use, as when another cluster runs."""
    holder = socket.socket()
    try:
        holder.bind(("", 8787))
        holder.listen()
    except OSError:
        pass  # already taken by another process: the same situation
    try:
        yield
    finally:
        holder.close()


def test_task_shape_a_few_tasks_per_worker() -> None:
    """1,000 products of 100 lines, 1,000 iterations (10 blocks), 2 workers: 6 batches of
    167 products over all blocks (12 tasks, 3 per worker per stage); one product: 6 chunks
    wanted → 2 blocks per chunk (5 chunks); a batch's draws capped at CELLS_PER_BATCH."""
    from footprint.uncertainty.montecarlo import CELLS_PER_BATCH, _task_shape

    ranges, per_chunk = _task_shape([100] * 1000, 10, 2)
    assert [len(r) for r in ranges] == [167] * 5 + [165] and per_chunk == 10
    assert ranges[0].start == 0 and ranges[-1].stop == 1000
    assert _task_shape([100], 10, 2) == ([range(1)], 2)
    big = 100_000  # products of 100 lines × 1,000 iterations: memory decides the batches
    ranges, per_chunk = _task_shape([100] * big, 10, 2)
    assert len(ranges) == math.ceil(big * 100 * 1000 / CELLS_PER_BATCH)
    assert max(len(r) for r in ranges) * 100 * 1000 <= CELLS_PER_BATCH
    assert _task_shape([100] * 10, 10, 2, products_per_task=4, blocks_per_task=3) == (
        [range(4), range(4, 8), range(8, 10)],
        3,
    )


def test_cli_assess_folder_with_workers_writes_the_same_json(run_cli, folder: Path) -> None:
    common = [
        "assess",
        str(folder / "boms"),
        "--datasets",
        str(folder / "bt-datasets.csv"),
        "--rules",
        str(folder / "bt-rules.yaml"),
        "--iterations",
        "300",
        "--seed",
        "11",
        "--quiet",
    ]
    one = run_cli(*common, "--json", str(folder / "one.json"))
    two = run_cli(*common, "--workers", "2", "--json", str(folder / "two.json"))
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    # --quiet: no progress bar
    assert "Monte Carlo tasks" not in two.stderr and "reading BOMs" not in two.stderr
    first, second = (json.loads((folder / n).read_text()) for n in ("one.json", "two.json"))
    first.pop("created"), second.pop("created")
    assert first == second
    assert len(first["products"]) == 5
    assert first["uncertainty"]["products"][0]["checks"][1]["kind"] == "share"


MIXED_DATASETS = """id,name,unit,climate_change,material,inputs
mx-steel,steel,kg,2,steel,
mx-power,power,kWh,0.5,,
mx-part,machined part,kg,0.4,steel,mx-steel=1.2; mx-power=0.5
mx-frame,welded frame,kg,0.3,steel,mx-steel=1.1
mx-pet,PET,kg,3,pet,
"""


def _mixed_bom(i: int) -> str:
    """Files that differ: some use the part, some the frame (both made from steel, so steel's
    ``input_of`` is gathered from different workers), one has a column the reader warns of."""
    dataset = "mx-part" if i % 2 else "mx-frame"
    extra = ",colour" if i == 3 else ""
    value = ",red" if i == 3 else ""
    return (
        f"id,parent,name,quantity,unit,dataset,stage,recycled_content{extra}\n"
        f"kit{i},,Kit {i},1,piece,,,{',' if extra else ''}\n"
        f"body,kit{i},Body,{1 + i},kg,{dataset},raw materials,{value}\n"
        f"press,kit{i},Press,{2 + i},kWh,mx-power,manufacturing,{value}\n"
        f"cap,kit{i},Cap,0.1,kg,mx-pet,raw materials,0.{i}{value}\n"
    )


def test_footprints_of_many_files_on_the_workers_same_json(tmp_path: Path) -> None:
    """``assess_files``: 7 files in groups on 2 workers (each builds its engine once), read,
    linked, computed, checked there; the assessment's JSON equals one process's assessment
    of all files at once (``created`` aside): products, figures, checks, warnings in the same
    order, datasets merged with every ``input_of``."""
    import footprint
    from footprint.api import load_rules, read_products
    from footprint.bom.distributed import AssessOptions, EngineSpec, _engine, assess_files
    from footprint.uncertainty.cluster import dask_client

    boms = tmp_path / "boms"
    _write_boms(boms, [_mixed_bom(i) for i in range(7)])
    datasets = tmp_path / "mx-datasets.csv"
    datasets.write_text(MIXED_DATASETS, encoding="utf-8")
    rules_file = tmp_path / "bt-rules.yaml"
    rules_file.write_text(RULES.replace("limit: 11.5", "limit: 9"), encoding="utf-8")
    rules = load_rules([rules_file])
    engine = footprint.Engine([datasets])
    products, warnings = read_products(boms)
    alone = engine.assess_products(products, warnings, rule_sets=rules)
    paths = sorted(boms.glob("kit?.csv"))
    options = AssessOptions(EngineSpec((str(datasets),)), rule_sets=tuple(rules))
    told: list[tuple[int, int]] = []
    with dask_client(workers=2) as client:
        found, distributed = assess_files(
            paths, client, options, catalog=engine.catalog,
            progress=lambda *count: told.append(count),
        )  # fmt: skip
        engines = client.run(
            lambda: len(__import__("footprint.bom.distributed").bom.distributed._ENGINES)
        )
    assert found == products
    first, second = (json.loads(a.to_json()) for a in (alone, distributed))
    first.pop("created"), second.pop("created")
    assert first == second
    # the case is not trivial: warnings, a dataset used by groups on both workers, checks
    assert any("colour" in w["message"] for w in first["warnings"])
    steel = next(d for d in first["datasets"] if d["id"] == "mx-steel")
    assert steel["input_of"] == ["mx-frame", "mx-part"]
    assert {c["status"] for p in first["products"] for c in p["checks"]} >= {"pass", "fail"}
    # the work happened on the workers: each built its engine; 6 groups (3 per worker: 2 files
    # in the first, 1 in each other)
    assert sorted(engines.values()) == [1, 1]
    assert told == [(i, 6) for i in range(1, 7)]
    assert _engine(EngineSpec((str(datasets),))) is _engine(EngineSpec((str(datasets),)))


def test_cli_bad_file_among_many_on_the_workers_same_errors(run_cli, folder: Path) -> None:
    """One file of the folder names an unknown dataset: the same error lines and exit 2 with
    the footprints on the workers as in one process."""
    boms = folder.parent / "with-bad"
    boms.mkdir(exist_ok=True)
    for i in range(3):
        (boms / f"kit{i}.csv").write_text(_bom(i), encoding="utf-8")
    (boms / "kit1.csv").write_text(_bom(1).replace("bt-power", "bt-nothing"), encoding="utf-8")
    common = ["assess", str(boms), "--datasets", str(folder / "bt-datasets.csv"), "--quiet"]
    one = run_cli(*common)
    two = run_cli(*common, "--workers", "2")
    assert one.returncode == 2 and two.returncode == 2, two.stderr
    errors = [line for line in one.stderr.splitlines() if line.startswith("error")]
    assert errors and "bt-nothing" in errors[0]
    assert errors == [line for line in two.stderr.splitlines() if line.startswith("error")]
    assert "Traceback" not in two.stderr
