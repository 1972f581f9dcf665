"""Helpers that write small BOM files for the reading tests."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

Rows = Sequence[Sequence[Any]]


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    workbook = Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        first = False
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    def make(sheets: dict[str, Rows], name: str = "bom.xlsx") -> Path:
        return write_xlsx(tmp_path / name, sheets)

    return make


@pytest.fixture
def bom_csv(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Rows, name: str = "bom.csv") -> Path:
        return write_csv(tmp_path / name, rows)

    return make
