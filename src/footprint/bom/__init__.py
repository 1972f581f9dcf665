"""Reading bills of materials: ``read_bom(path) -> list[Product]``.

sheets.py     opening .xlsx / .csv files safely, rows of cells
columns.py    column names, their accepted spellings, stage aliases
reader.py     cells → validated ``Product`` / ``BomLine`` models, all problems together
hierarchy.py  the assembly tree: broken parents, cycles, ``flatten``
summary.py    totals per dimension and the mass of a product's materials
template.py   the BOM template workbook
"""

from __future__ import annotations

from footprint.bom.files import bom_files, is_bom_file
from footprint.bom.hierarchy import FlatLine, flatten
from footprint.bom.reader import BomFile, read_bom, read_bom_file

__all__ = [
    "BomFile",
    "FlatLine",
    "bom_files",
    "flatten",
    "is_bom_file",
    "read_bom",
    "read_bom_file",
]
