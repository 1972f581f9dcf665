"""Benchmark: a million result lines — ``Engine.footprint_table``, ``Engine.assess_products``
and ``Assessment.to_json`` — this checkout against a baseline revision, in the same run.

    BRIGHTWAY_DIR=/tmp/footprint-bench/bw python benchmarks/lines.py   # --products 10000
    ... --what table --baseline 35b834f,0043523   # several baselines, in one run

Background and products are ``benchmarks/engine.py``'s (nearly triangular background of
20,000 activities, written once into the project ``footprint-bench`` — run engine.py once, or
this script prepares it; products of 100 lines on random activities).  Each contender runs in
a fresh process with ``PYTHONPATH`` on its own code: this checkout's ``src`` or the baseline's
(extracted with ``git archive``), each with its own copy of the Brightway folder and its own
cache folder.  Untimed in the child: the warm ``Engine`` (unit scores from the cache, computed
on the first run; the background's activity table read by a one-product table) and the
products (validated ``Product`` models).  Timed: the call alone, wall-clock and CPU seconds
of the process (on a loaded machine the CPU seconds are the steadier figure; ratios of both
are printed).  ``write_json`` (streamed to a file, where the revision has it) is timed before
``to_json`` (which also returns the text), each with the peak resident set after it.
Memory: the process's peak resident set (VmHWM) and its resident set just before the call
(the products and the engine), so the call's own part is the difference.

Checked in the same run: the footprint tables give the same figures, the assessments the same
product totals, and the JSON documents (``created`` set to a fixed time) the same bytes
(SHA-256) under both revisions.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from warm_start import _extract  # noqa: E402  # a revision's src, datasets, templates

BASELINE = "35b834f,0043523"  # before column-oriented lines; main before this session


def _engine_benchmark():  # benchmarks/engine.py: its products and its background
    spec = importlib.util.spec_from_file_location(
        "engine_benchmark", ROOT / "benchmarks" / "engine.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _memory() -> dict[str, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmHWM:", "VmRSS:")):
            fields[line.split(":")[0]] = int(line.split()[1]) / 1024
    return fields


def _reset_peak() -> None:
    """Peak resident set back to the present one (Linux: ``clear_refs`` 5), so that the peak
    after a call is that call's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _timed(result: dict, name: str, call: Callable[[], object]) -> None:
    """Time ``call`` (wall, CPU) with the resident set before it and the peak after it."""
    _reset_peak()
    result[f"{name}_rss_before_mib"] = _memory()["VmRSS"]
    start, cpu = time.perf_counter(), time.process_time()
    call()
    result[f"{name}_seconds"] = time.perf_counter() - start
    result[f"{name}_cpu_seconds"] = time.process_time() - cpu
    result[f"{name}_peak_mib"] = _memory()["VmHWM"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            digest.update(block)
    return digest.hexdigest()


def _products(n_products: int) -> list:
    from pydantic import TypeAdapter

    from footprint.model import Product

    bench = _engine_benchmark()
    activities, amounts = bench.product_lines(n_products)
    source = {"file": "bench.xlsx", "sheet": "BOM"}
    adapter = TypeAdapter(Product)
    return [  # validated one at a time, as a reader does: the rows of one product at a time
        adapter.validate_python(
            {
                "id": f"p{p}",
                "lines": [
                    {
                        "id": f"l{k}",
                        "quantity": float(amounts[p, k]),
                        "unit": "kg",
                        "dataset": f"{bench.DATABASE}::a{activities[p, k]}",
                        "source": {**source, "row": k + 2},
                    }
                    for k in range(bench.LINES_PER_PRODUCT)
                ],
            }
        )
        for p in range(n_products)
    ]


def _child(what: str, n_products: int, out: Path, json_path: Path | None) -> None:
    import numpy as np

    from footprint.api import Engine

    engine = Engine(brightway_project=_engine_benchmark().PROJECT)
    products = _products(n_products)
    engine.footprint_table(products[:1])  # untimed: the background's activity table is read
    before = _memory()["VmRSS"]
    result: dict = {"rss_before_mib": before}
    if what == "table":
        start, cpu = time.perf_counter(), time.process_time()
        table = engine.footprint_table(products)
        result["seconds"] = time.perf_counter() - start
        result["cpu_seconds"] = time.process_time() - cpu
        result["peak_mib"] = _memory()["VmHWM"]
        columns = ["total", "fossil", "biogenic", "luluc", "not_split"]
        result["rows"] = len(table)
        result["sha256"] = hashlib.sha256(
            np.ascontiguousarray(table[columns].to_numpy()).tobytes()
            + "\n".join(table["line"] + "|" + table["path"] + "|" + table["dataset"]).encode()
        ).hexdigest()
    else:
        start, cpu = time.perf_counter(), time.process_time()
        assessment = engine.assess_products(products)
        result["seconds"] = time.perf_counter() - start
        result["cpu_seconds"] = time.process_time() - cpu
        result["peak_mib"] = _memory()["VmHWM"]
        result["totals"] = [p.climate_change.total for p in assessment.products]
        if json_path is not None:
            fixed = assessment.model_copy(update={"created": datetime(2026, 12, 2, tzinfo=UTC)})
            del assessment, products
            if hasattr(fixed, "write_json"):
                _timed(result, "write_json", lambda: fixed.write_json(json_path))
                result["write_json_sha256"] = _sha256(json_path)
                json_path.unlink()
            _timed(result, "to_json", lambda: fixed.to_json(json_path))
            result["sha256"] = _sha256(json_path)
            result["json_mib"] = json_path.stat().st_size / 2**20
            json_path.unlink()
    out.write_text(json.dumps(result), encoding="utf-8")


def _run(src: Path, env: dict[str, str], what: str, products: int, work: Path) -> dict:
    out = work / "result.json"
    command = [sys.executable, __file__, "--child", what, "--products", str(products)]
    command += ["--out", str(out), "--json-file", str(work / "document.json")]
    subprocess.run(command, check=True, env={**env, "PYTHONPATH": str(src)})
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000, help="products of 100 lines")
    parser.add_argument(
        "--baseline", default=BASELINE, help="git revision(s) of the baseline(s), comma-separated"
    )
    parser.add_argument("--what", default="table,pipeline")
    parser.add_argument("--child")
    parser.add_argument("--out")
    parser.add_argument("--json-file")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.products, Path(args.out), Path(args.json_file))
        return
    if "BRIGHTWAY_DIR" not in os.environ:
        sys.exit("set BRIGHTWAY_DIR to a folder under /tmp (never your own Brightway folder)")
    bench = _engine_benchmark()
    bench.prepare("triangular")  # the background, once
    work = Path(tempfile.mkdtemp(prefix="footprint-lines-bench-"))
    contenders = {"this checkout": ROOT / "src"}
    for revision in args.baseline.split(","):
        contenders[f"baseline {revision}"] = _extract(revision, work / f"baseline-{revision}")
    envs = {}
    for i, name in enumerate(contenders):
        folder = work / f"bw-{i}"
        shutil.copytree(os.environ["BRIGHTWAY_DIR"], folder)
        envs[name] = {
            **os.environ,
            "BRIGHTWAY_DIR": str(folder),
            "BRIGHTWAY2_DIR": str(folder),
            "FOOTPRINT_CACHE_DIR": str(work / f"cache-{i}"),
        }
    print(f"{args.products:,} products × 100 lines; {os.uname().nodename}, load {os.getloadavg()}")
    for what in args.what.split(","):
        results = {}
        for name, src in contenders.items():
            _run(src, envs[name], what, 10, work)  # untimed: unit scores into the cache
            results[name] = result = _run(src, envs[name], what, args.products, work)
            extra = ""
            if "write_json_seconds" in result:
                extra += (
                    f"; write_json {result['write_json_seconds']:.2f} s "
                    f"(CPU {result['write_json_cpu_seconds']:.2f} s), "
                    f"peak then {result['write_json_peak_mib']:,.0f} MiB (before "
                    f"{result['write_json_rss_before_mib']:,.0f} MiB)"
                )
            if "to_json_seconds" in result:
                extra += (
                    f"; to_json {result['to_json_seconds']:.2f} s "
                    f"(CPU {result['to_json_cpu_seconds']:.2f} s), {result['json_mib']:.0f} MiB, "
                    f"peak then {result['to_json_peak_mib']:,.0f} MiB"
                )
            print(
                f"{what:<9} {name:<22} {result['seconds']:8.2f} s (CPU {result['cpu_seconds']:.2f}"
                f" s)   peak {result['peak_mib']:7,.0f} MiB (before the call "
                f"{result['rss_before_mib']:,.0f} MiB){extra}   load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        ours = results["this checkout"]
        for name, baseline in results.items():
            if name == "this checkout":
                continue
            for call in ("", "write_json_", "to_json_"):
                if f"{call}seconds" not in ours or "to_json_seconds" not in baseline and call:
                    continue
                theirs = call if f"{call}seconds" in baseline else "to_json_"  # no write_json
                wall = baseline[f"{theirs}seconds"] / ours[f"{call}seconds"]
                cpu = baseline[f"{theirs}cpu_seconds"] / ours[f"{call}cpu_seconds"]
                label = (call.rstrip("_") or what) + (
                    f" vs its {theirs.rstrip('_')}" if theirs != call else ""
                )
                print(f"{label:<9} {name} / this checkout: {wall:.2f}× wall, {cpu:.2f}× CPU")
            assert ours.get("totals") == baseline.get("totals"), f"{name}: product totals differ"
            assert ours["sha256"] == baseline["sha256"], f"{what}: outputs differ from {name}"
        if "write_json_sha256" in ours:
            assert ours["write_json_sha256"] == ours["sha256"], "write_json and to_json differ"
        print(f"{what:<9} same figures and same bytes under every revision: yes")
    print(f"load average at the end: {os.getloadavg()}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
