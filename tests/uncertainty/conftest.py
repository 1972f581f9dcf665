"""Fixtures of the uncertainty tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``footprint ARGS…`` in a fresh interpreter, as a user runs it."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "footprint", *args], capture_output=True, text=True, check=False
        )

    return run


@pytest.fixture(scope="session")
def write_bom() -> Callable[..., Path]:
    """``write_bom(folder, name, bom, products)``: a CSV BOM and its ``.products.csv``."""

    def write(folder: Path, name: str, bom: str, products: str) -> Path:
        path = folder / f"{name}.csv"
        path.write_text(bom, encoding="utf-8")
        (folder / f"{name}.products.csv").write_text(products, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def assess_and_simulate() -> Callable[..., tuple[Any, Any]]:
    """``assess_and_simulate(engine, bom, rules, **simulate_options)``: the BOM read and
    assessed with the rules, and its Monte Carlo with the BOM products (ranges)."""

    def run(engine: Any, bom: Path, rules: list, **options: Any) -> tuple[Any, Any]:
        from footprint.api import load_rules, read_products
        from footprint.uncertainty.montecarlo import simulate

        products, warnings = read_products(bom)
        rule_sets = load_rules(rules)
        assessment = engine.assess_products(products, warnings, rule_sets=rule_sets)
        result = simulate(
            assessment,
            dict(engine.catalog.datasets),
            rule_sets=rule_sets,
            products=products,
            **options,
        )
        return assessment, result

    return run
