"""Fixtures of the uncertainty tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``footprint ARGS…`` in a fresh interpreter, as a user runs it."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "footprint", *args], capture_output=True, text=True, check=False
        )

    return run
