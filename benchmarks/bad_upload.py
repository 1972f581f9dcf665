"""Benchmark: a web upload of 100,000 rows that all carry the same unit typo.

    python benchmarks/bad_upload.py [--rows 100000] [--repeat 3]

A hostile or careless export: 100,000 BOM rows with the unit "kgs" (1.6 MB of CSV).  Posted
to ``/api/assess`` of the web app (FastAPI's TestClient, engine warm), timed from the request
to the 422 answer, with the answer's size and number of problems.  Baseline in the same run:
the same rows with the valid unit "kg" read and validated by ``footprint.read_bom`` (the work
any upload of that size costs before its footprint is computed), so the figure says what
refusing bad input costs compared with reading good input.

Target (issue 14): ≤ 3 s for 100,000 bad rows, an answer of a few hundred problems.
Before this change: 29 s and 100,000 problems in 13 MB (failed look-ups not cached).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from footprint.bom import read_bom

HEADER = "product,id,name,quantity,unit,dataset\n"


def generate(rows: int, unit: str) -> bytes:
    lines = (f"bench,p{i},Part {i},1.5,{unit},material-steel-primary\n" for i in range(rows))
    return (HEADER + "".join(lines)).encode("utf-8")


def best(times: list[float]) -> str:
    return f"{min(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from footprint.web import WebSettings, create_app

    bad = generate(args.rows, "kgs")
    good = generate(args.rows, "kg")
    with tempfile.TemporaryDirectory() as folder:
        good_path = Path(folder) / "good.csv"
        good_path.write_bytes(good)
        app = create_app(WebSettings(work_dir=Path(folder), max_upload_bytes=50 * 1024**2))
        with TestClient(app) as client:
            deadline = time.monotonic() + 600  # engine warm before timing
            while client.get("/health").status_code != 200:
                if time.monotonic() > deadline:
                    raise SystemExit("the engine did not start")
                time.sleep(0.5)
            upload_times, upload_cpu, size, problems = [], [], 0, 0
            for _ in range(args.repeat):
                start, cpu = time.perf_counter(), time.process_time()
                answer = client.post("/api/assess", files={"file": ("bad.csv", bad)})
                upload_times.append(time.perf_counter() - start)
                upload_cpu.append(time.process_time() - cpu)  # the app runs in this process
                assert answer.status_code == 422, answer.status_code  # an invalid BOM
                size, problems = len(answer.content), len(answer.json()["problems"])
        read_times, read_cpu = [], []
        for _ in range(args.repeat):
            start, cpu = time.perf_counter(), time.process_time()
            read_bom(good_path)
            read_times.append(time.perf_counter() - start)
            read_cpu.append(time.process_time() - cpu)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.1f}"
    )
    print(
        f"upload of {args.rows:,} bad rows ({len(bad) / 1024**2:.1f} MB) → 422 with "
        f"{problems} problems in {size / 1024:.0f} KB: {best(upload_times)}; "
        f"CPU {min(upload_cpu):.2f} s"
    )
    print(
        f"baseline read_bom of the same rows, valid: {best(read_times)}; CPU {min(read_cpu):.2f} s"
    )


if __name__ == "__main__":
    main()
