"""Benchmark: a warm ``footprint assess examples/e-bike-battery.xlsx`` in a fresh process.

    python benchmarks/warm_start.py                 # --baseline 807fb55 --repeat 7

"Warm": the Brightway project is set up and the unit scores are cached, as on a user's second
run.  The same command is timed, in fresh processes taking turns, with this checkout's code
and with the code of ``--baseline`` (a git revision, extracted with ``git archive``; by default
the last one before the warm start: every assessment imports bw2data and builds two pint
registries).  Each has its own Brightway and cache folders, filled by one untimed run, and its
own folder of compiled bytecode (``PYTHONPYCACHEPREFIX``, written by that run, as an installed
package has its ``.pyc`` files; ``PYTHONDONTWRITEBYTECODE`` is cleared).  The products' printed
totals must be the same.  Reports the median and the range of the wall time and of the CPU
time (user + system) of the process: on a shared machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "e-bike-battery.xlsx"


def _extract(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src", "datasets", "templates"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(into, filter="data")
    return into / "src"


def _environments(work: Path, contenders: dict[str, Path]) -> dict[str, dict[str, str]]:
    """Each contender's environment: its own Brightway folder (their datasets may differ),
    cache folder and bytecode folder, under ``work`` (the Brightway folders are created)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    envs = {
        name: {
            **environment,
            "PYTHONPYCACHEPREFIX": str(work / f"pycache-{i}"),
            "BRIGHTWAY_DIR": str(work / f"bw-{i}"),
            "BRIGHTWAY2_DIR": str(work / f"bw-{i}"),
            "FOOTPRINT_CACHE_DIR": str(work / f"cache-{i}"),
        }
        for i, name in enumerate(contenders)
    }
    for env in envs.values():
        Path(env["BRIGHTWAY_DIR"]).mkdir(parents=True)
    return envs


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(
    src: Path, env: dict[str, str], arguments: list[str] | None = None
) -> tuple[float, float, str]:
    """Wall and CPU seconds and the output of ``footprint`` (default: assess the example)."""
    command = [sys.executable, "-m", "footprint", *(arguments or ["assess", str(EXAMPLE)])]
    cpu, started = _cpu(), time.perf_counter()
    done = subprocess.run(
        command, env={**env, "PYTHONPATH": str(src)}, capture_output=True, text=True, cwd=src
    )
    seconds, cpu_seconds = time.perf_counter() - started, _cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"{command} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, cpu_seconds, done.stdout


def _product_rows(text: str) -> list[str]:
    """The table rows of the products (id, kg CO2-eq, …): the figures both versions print."""
    return [line.split()[1] for line in text.splitlines() if line.strip().startswith("ebike-")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="807fb55", help="git revision of the baseline")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="footprint-warm-bench-"))
    contenders = {
        "this checkout": ROOT / "src",
        f"baseline {args.baseline}": _extract(args.baseline, work / "baseline"),
    }
    envs = _environments(work, contenders)
    outputs = {}
    for name, src in contenders.items():  # untimed: set the project up, fill the caches
        _run(src, envs[name])
        _run(src, envs[name])
    times: dict[str, list[float]] = {name: [] for name in contenders}
    cpu_times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.repeat):
        for name, src in contenders.items():
            seconds, cpu_seconds, outputs[name] = _run(src, envs[name])
            times[name].append(seconds)
            cpu_times[name].append(cpu_seconds)
    first, second = (_product_rows(text) for text in outputs.values())
    assert first == second, f"the two versions give different figures: {first} / {second}"
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.repeat} runs each")
    medians, cpu_medians = {}, {}
    for name, values in times.items():
        medians[name] = statistics.median(values)
        cpu_medians[name] = statistics.median(cpu_times[name])
        print(
            f"{name:<24} wall median {medians[name]:.2f} s (min {min(values):.2f}, "
            f"max {max(values):.2f}); CPU median {cpu_medians[name]:.2f} s "
            f"(min {min(cpu_times[name]):.2f}, max {max(cpu_times[name]):.2f})"
        )
    ours, baseline = medians.values()
    cpu_ours, cpu_baseline = cpu_medians.values()
    print(
        f"warm start: {baseline / ours:.1f}× faster than the baseline (CPU "
        f"{cpu_baseline / cpu_ours:.1f}×); same totals: {first}"
    )


if __name__ == "__main__":
    main()
