"""The dataset catalog: the shipped ``datasets/*.csv`` and a user's own dataset files.

A dataset file (input-formats.md §2) has one row per dataset.  ``read_dataset_file`` reads a
.csv or .xlsx file into ``Dataset`` records and reports every problem of the file together,
each naming file, sheet, row (header = row 1) and column.  ``load_catalog`` joins the shipped
files and the user's files into one ``Catalog``, which checks that ids are unique and that
every ``inputs`` reference exists and forms no loop.

Loops among ``inputs`` are rejected: in a hand-written dataset file a loop is almost always a
mistake (A made from B made from A), and a genuine recycling loop belongs in a Brightway
database, which the BOM can reference as ``<database>::<code>``.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from footprint.data_quality import technology_scores
from footprint.errors import (
    DatasetError,
    InputTooLargeError,
    Problem,
    ProblemCollector,
    UnitError,
)
from footprint.finite import parse_number
from footprint.model import DataQuality, Dataset, Scalar, SourceRef
from footprint.resources import datasets_dir
from footprint.units import parse_unit

__all__ = [
    "GAS_COLUMNS",
    "Catalog",
    "load_catalog",
    "read_dataset_file",
    "shipped_dataset_files",
]

#: Gas columns a dataset file may carry: kg of the gas per reference unit.  The engine
#: characterises them with the selected method; datasets/README.md names the biosphere3 flow
#: each one stands for.
GAS_COLUMNS: tuple[str, ...] = (
    "co2_fossil",
    "ch4_fossil",
    "n2o",
    "co2_biogenic",
    "ch4_biogenic",
    "co2_luluc",
    "ch4_luluc",
    "sf6",
    "nf3",
    "cf4",
    "c2f6",
    "hfc_134a",
)

_SUB_INDICATORS = ("climate_change_fossil", "climate_change_biogenic", "climate_change_luluc")
_NUMBER_COLUMNS = ("climate_change", *_SUB_INDICATORS)
_TEXT_COLUMNS = (
    "material", "geography", "source", "source_row", "license", "url", "gwp_basis", "notes",
)  # fmt: skip
_DQR_COLUMNS = {"dqr_ter": "ter", "dqr_ger": "ger", "dqr_tir": "tir", "dqr_p": "p"}
#: GWP bases a dataset's CO2-eq figure may rest on; ``EF3.1`` = characterised with the EF 3.1
#: factors themselves (what a row given as gas columns always is).
GWP_BASES = ("AR4", "AR5", "AR6", "EF3.1")
GAS_BASIS = "EF3.1"
_KNOWN_COLUMNS = (
    "id",
    "name",
    "unit",
    *_NUMBER_COLUMNS,
    *GAS_COLUMNS,
    *_TEXT_COLUMNS,
    "recycled",
    "composition",
    "inputs",
    "year",
    *_DQR_COLUMNS,
)
_REQUIRED_COLUMNS = ("id", "name", "unit")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
# Sums of fractions and sub-indicators published with a few significant figures.
_ROUNDING = 1e-3
_MAX_FILE_BYTES = 50 * 1024 * 1024
_MAX_EXPANDED_BYTES = 500 * 1024 * 1024


def _header_key(header: str) -> str:
    """Headers match ignoring case, spaces, underscores and a trailing ``[unit]``."""
    text = re.sub(r"\[[^\]]*\]\s*$", "", header.strip())
    return re.sub(r"[\s_\-]+", "", text).lower()


_COLUMN_BY_KEY = {_header_key(name): name for name in _KNOWN_COLUMNS}


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------------------------
# Reading one file
# --------------------------------------------------------------------------------------------


def _read_rows(path: Path) -> tuple[str | None, list[list[Any]]]:
    """The sheet name (None for CSV) and the raw rows, header first."""
    if not path.is_file():
        raise DatasetError(Problem("dataset file not found", file=str(path)))
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise DatasetError(
            Problem(f"file is larger than {_MAX_FILE_BYTES // 2**20} MB", file=str(path))
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise DatasetError(
                Problem("CSV file is not UTF-8 text (save it as CSV UTF-8)", file=str(path))
            ) from None
        lines = text.splitlines()
        # Excel in many European locales saves "CSV" with semicolons
        first = lines[0] if lines else ""
        delimiter = ";" if ";" in first and "," not in first else ","
        return None, [list(row) for row in csv.reader(lines, delimiter=delimiter)]
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_workbook(path)
    raise DatasetError(
        Problem(
            f"unsupported file type {suffix or '(none)'!r}; use .csv, .xlsx or .json (PACT)",
            file=str(path),
        )
    )


def _check_expanded_size(path: Path) -> None:
    """A workbook is a zip: refuse one that would expand far beyond any real dataset file."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip (e.g. .xls); calamine reports what is wrong with it
    if expanded > _MAX_EXPANDED_BYTES:
        raise InputTooLargeError(
            Problem(
                f"workbook expands to {expanded // 2**20} MB, over the "
                f"{_MAX_EXPANDED_BYTES // 2**20} MB limit for a dataset file",
                file=str(path),
            )
        )


def _read_workbook(path: Path) -> tuple[str, list[list[Any]]]:
    import python_calamine

    _check_expanded_size(path)

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        wanted = next((n for n in names if n.strip().lower() == "datasets"), names[0])
        sheet = workbook.get_sheet_by_name(wanted)
        if sheet.merged_cell_ranges:
            raise DatasetError(
                Problem("merged cells are not allowed; unmerge them", file=str(path), sheet=wanted)
            )
        return wanted, [list(row) for row in sheet.to_python(skip_empty_area=False)]
    except DatasetError:
        raise
    except python_calamine.PasswordError:
        raise DatasetError(
            Problem("workbook is password-protected; save an unprotected copy", file=str(path))
        ) from None
    except Exception as error:  # calamine raises several unrelated types for broken files
        raise DatasetError(
            Problem(f"not a readable spreadsheet ({type(error).__name__})", file=str(path))
        ) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_pairs(text: str, separator: str) -> list[tuple[str, str]]:
    pairs = []
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition(separator)
        if not sep or not key.strip() or not value.strip():
            raise ValueError(part.strip())
        pairs.append((key.strip(), value.strip()))
    return pairs


class _RowReader:
    """Turns one raw row into a Dataset, adding each problem to the file's collector."""

    def __init__(self, path: Path, sheet: str | None, headers: list[str]) -> None:
        self.path, self.sheet, self.headers = path, sheet, headers
        self.problems = ProblemCollector()
        self._index: dict[str, int] = {}
        self.extra_columns: dict[str, int] = {}

    def problem(self, row: int, column: str | None, message: str) -> None:
        header = self.headers[self._index[column]] if column in self._index else column
        self.problems.add(message, file=str(self.path), sheet=self.sheet, row=row, column=header)

    def _check_distribution(self, row: int, extra: dict[str, Scalar]) -> None:
        """A Monte Carlo distribution given in the file (``uncertainty_type`` and its
        parameters) is checked when the file is read, with or without ``--iterations``."""
        from footprint.uncertainty.distributions import file_distribution

        given = file_distribution(extra)
        kind_header = next((h for h in extra if h.strip().lower() == "uncertainty_type"), None)
        where = Problem("", str(self.path), self.sheet, row, kind_header)
        self.problems.extend(given.problems(where))

    def map_columns(self) -> dict[str, int]:
        for i, header in enumerate(self.headers):
            if not header:
                continue
            name = _COLUMN_BY_KEY.get(_header_key(header))
            if name is None:
                self.extra_columns[header] = i
            elif name in self._index:
                self.problems.add(
                    f"column {header!r} appears twice",
                    file=str(self.path),
                    sheet=self.sheet,
                    row=1,
                    column=header,
                )
            else:
                self._index[name] = i
        return self._index

    def read(self, row_number: int, cells: list[Any]) -> Dataset | None:
        def cell(name: str) -> Any:
            i = self._index.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        before = len(self.problems.problems)
        fields: dict[str, Any] = {}
        for name in _REQUIRED_COLUMNS:
            value = _cell_text(cell(name))
            if not value:
                self.problem(row_number, name, f"{name} is empty; every dataset needs one")
            fields[name] = value
        if fields["unit"]:
            where = {
                "file": str(self.path),
                "sheet": self.sheet,
                "row": row_number,
                "column": self.headers[self._index["unit"]],
            }
            try:
                fields["unit"] = parse_unit(fields["unit"], where=where)
            except UnitError as error:
                self.problems.extend(error.problems)

        numbers: dict[str, float] = {}
        for name in (*_NUMBER_COLUMNS, *GAS_COLUMNS):
            value = cell(name)
            if _is_blank(value):
                continue
            try:
                numbers[name] = parse_number(value)
            except ValueError:
                self.problem(row_number, name, f"{value!r} is not a finite number")
        gases = {g: numbers[g] for g in GAS_COLUMNS if g in numbers}
        burden_cells = [cell(n) for n in ("climate_change", *GAS_COLUMNS)]
        if all(_is_blank(value) for value in burden_cells):  # malformed values are reported above
            self.problem(
                row_number,
                "climate_change",
                "climate_change is empty and no gas column is given; give kg CO2-eq per "
                "reference unit",
            )
        subs = [numbers.get(s) for s in _SUB_INDICATORS]
        if "climate_change" in numbers and all(s is not None for s in subs):
            total = numbers["climate_change"]
            parts = sum(s for s in subs if s is not None)
            if abs(parts - total) > _ROUNDING * max(abs(total), 1e-9) + 1e-12:
                self.problem(
                    row_number,
                    "climate_change",
                    f"sub-indicators add up to {parts:g}, not the total {total:g}; "
                    "fossil + biogenic + luluc must equal climate_change",
                )

        for name in _TEXT_COLUMNS:
            fields[name] = _cell_text(cell(name)) or None
        if fields["gwp_basis"] is not None:
            basis = fields["gwp_basis"].upper().replace(" ", "")
            if basis not in GWP_BASES:
                self.problem(
                    row_number,
                    "gwp_basis",
                    f"{fields['gwp_basis']!r} is not one of {', '.join(GWP_BASES)}",
                )
            fields["gwp_basis"] = basis
        elif gases:  # the engine characterises gases with the method's own factors
            fields["gwp_basis"] = GAS_BASIS

        recycled = _cell_text(cell("recycled")).lower()
        if recycled and recycled not in _TRUE | _FALSE:
            self.problem(row_number, "recycled", f"{recycled!r} is not true or false")
        fields["recycled"] = recycled in _TRUE

        year_text = _cell_text(cell("year"))
        fields["year"] = None
        if year_text:
            if re.fullmatch(r"(19|20|21)\d\d", year_text):
                fields["year"] = int(year_text)
            else:
                self.problem(row_number, "year", f"{year_text!r} is not a year such as 2024")

        fields["composition"] = self._composition(row_number, _cell_text(cell("composition")))
        fields["inputs"] = self._inputs(row_number, _cell_text(cell("inputs")))

        scores: dict[str, float] = {}
        for column, attribute in _DQR_COLUMNS.items():
            value = cell(column)
            if _is_blank(value):
                continue
            kinds = technology_scores() if attribute == "ter" else {}
            if isinstance(value, str) and value.strip().lower() in kinds:
                scores[attribute] = float(kinds[value.strip().lower()])  # e.g. "proxy" → 5
                continue
            try:
                score = parse_number(value)
                if not 1 <= score <= 5:
                    raise ValueError
                scores[attribute] = score
            except ValueError:
                named = f" or one of {', '.join(kinds)}" if kinds else ""
                self.problem(
                    row_number, column, f"{value!r} is not a data-quality score 1–5{named}"
                )

        extra: dict[str, Scalar] = {}
        for header, i in self.extra_columns.items():
            raw = cells[i] if i < len(cells) else None
            if not _is_blank(raw):
                extra[header] = raw if isinstance(raw, str | int | float | bool) else str(raw)

        self._check_distribution(row_number, extra)

        if len(self.problems.problems) > before:
            return None
        return Dataset(
            id=fields["id"],
            name=fields["name"],
            unit=fields["unit"],
            climate_change=numbers.get("climate_change"),
            climate_change_fossil=numbers.get("climate_change_fossil"),
            climate_change_biogenic=numbers.get("climate_change_biogenic"),
            climate_change_luluc=numbers.get("climate_change_luluc"),
            gases=gases,
            inputs=fields["inputs"],
            material=fields["material"],
            recycled=fields["recycled"],
            composition=fields["composition"],
            geography=fields["geography"],
            year=fields["year"],
            source=fields["source"],
            source_row=fields["source_row"],
            license=fields["license"],
            url=fields["url"],
            gwp_basis=fields["gwp_basis"],
            dqr=DataQuality(**scores),
            notes=fields["notes"],
            extra=extra,
            origin=SourceRef(file=str(self.path), sheet=self.sheet, row=row_number),
        )

    def _composition(self, row: int, text: str) -> dict[str, float]:
        if not text:
            return {}
        valid = 'write element:fraction pairs, e.g. "Co:0.208; Ni:0.1"'
        try:
            pairs = _parse_pairs(text, ":")
        except ValueError as bad:
            self.problem(row, "composition", f"{str(bad)!r} is not element:fraction; {valid}")
            return {}
        composition: dict[str, float] = {}
        for element, value in pairs:
            if not re.fullmatch(r"[A-Z][a-z]?", element):
                self.problem(row, "composition", f"{element!r} is not an element symbol like Co")
                continue
            try:
                fraction = parse_number(value)
                if not 0 <= fraction <= 1:
                    raise ValueError
            except ValueError:
                self.problem(row, "composition", f"{element}: {value!r} is not a fraction 0–1")
                continue
            if element in composition:
                self.problem(row, "composition", f"{element} is given twice")
            composition[element] = fraction
        if sum(composition.values()) > 1 + _ROUNDING:
            self.problem(
                row,
                "composition",
                f"fractions add up to {sum(composition.values()):g}; they must not exceed 1",
            )
        return composition

    def _inputs(self, row: int, text: str) -> dict[str, float]:
        if not text:
            return {}
        try:
            pairs = _parse_pairs(text, "=")
        except ValueError as bad:
            self.problem(
                row, "inputs", f"{str(bad)!r} is not id=amount; write e.g. 'material-x=1.05; y=2'"
            )
            return {}
        inputs: dict[str, float] = {}
        for dataset_id, value in pairs:
            try:
                inputs[dataset_id] = inputs.get(dataset_id, 0.0) + parse_number(value)
            except ValueError:
                self.problem(row, "inputs", f"{dataset_id}: {value!r} is not a finite number")
        return inputs


def read_dataset_file(path: Path) -> list[Dataset]:
    """Read a dataset file (.csv or .xlsx); raise ``DatasetError`` listing every problem."""
    path = Path(path)
    if path.suffix.lower() == ".json":  # supplier PCFs: PACT ProductFootprint documents
        from footprint.exchange.pact_import import read_pact_file

        return read_pact_file(path)
    sheet, rows = _read_rows(path)
    while rows and all(_is_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise DatasetError(Problem("file is empty; expected a header row", file=str(path)))
    reader = _RowReader(path, sheet, [_cell_text(h) for h in rows[0]])
    index = reader.map_columns()
    where: dict[str, Any] = {"file": str(path), "sheet": sheet, "row": 1}
    for name in _REQUIRED_COLUMNS:
        if name not in index:
            reader.problems.add(f"required column {name!r} is missing", **where)
    if not any(n in index for n in ("climate_change", *GAS_COLUMNS)):
        reader.problems.add(
            "column 'climate_change' is missing (or give gas columns such as co2_fossil)", **where
        )
    if reader.problems:
        reader.problems.raise_if_any(DatasetError)
    if len(rows) == 1:
        raise DatasetError(Problem("file has a header but no datasets", str(path), sheet, 1))

    datasets: list[Dataset] = []
    first_row: dict[str, int] = {}
    for offset, cells in enumerate(rows[1:]):
        row_number = offset + 2
        if all(_is_blank(c) for c in cells):
            continue
        dataset = reader.read(row_number, cells)
        if dataset is None:
            continue
        if dataset.id in first_row:
            reader.problem(
                row_number,
                "id",
                f"id {dataset.id!r} is already used on row {first_row[dataset.id]}; ids are unique",
            )
            continue
        first_row[dataset.id] = row_number
        datasets.append(dataset)
    reader.problems.raise_if_any(DatasetError)
    return datasets


# --------------------------------------------------------------------------------------------
# The catalog
# --------------------------------------------------------------------------------------------


def _where(dataset: Dataset) -> dict[str, Any]:
    return {"file": dataset.origin.file, "sheet": dataset.origin.sheet, "row": dataset.origin.row}


def _describe(dataset: Dataset) -> str:
    origin = dataset.origin
    if origin.file is None:
        return "given in code"
    name = Path(origin.file).name
    return f"{name} row {origin.row}" if origin.row is not None else name


class Catalog:
    """Datasets by id, with search and "did you mean" suggestions."""

    def __init__(self, datasets: Iterable[Dataset] = (), files: Sequence[Path] = ()) -> None:
        self.files: list[Path] = [Path(f) for f in files]
        self.datasets: dict[str, Dataset] = {}
        self.aliases: dict[str, str] = {}  # another name a BOM may use → dataset id
        self._suggestions: dict[tuple[str, int], list[str]] = {}
        problems = ProblemCollector()
        for dataset in datasets:
            seen = self.datasets.get(dataset.id)
            if seen is not None:
                problems.add(
                    f"dataset id {dataset.id!r} is already defined in {_describe(seen)}; "
                    "rename one of them",
                    **_where(dataset),
                    column="id",
                )
                continue
            self.datasets[dataset.id] = dataset
        for dataset in self.datasets.values():
            for alias in dataset.aliases:
                taken = self.aliases.get(alias) or (alias if alias in self.datasets else None)
                if taken is not None and taken != dataset.id:
                    problems.add(
                        f"{alias!r} names both dataset {taken!r} and {dataset.id!r}; keep one "
                        "active footprint per product id",
                        **_where(dataset),
                        column="id",
                    )
                    continue
                self.aliases[alias] = dataset.id
        problems.extend(self._reference_problems())
        problems.raise_if_any(DatasetError)

    def _reference_problems(self) -> list[Problem]:
        problems = []
        for dataset in self.datasets.values():
            for input_id in dataset.inputs:
                if "::" in input_id or input_id in self.datasets:
                    continue  # '<database>::<code>' is resolved by the engine in Brightway
                hint = self.suggest(input_id)
                tip = f" (did you mean {', '.join(repr(h) for h in hint)}?)" if hint else ""
                problems.append(
                    Problem(
                        f"input {input_id!r} is not a known dataset id{tip}",
                        **_where(dataset),
                        column="inputs",
                    )
                )
        for cycle in self._cycles():
            first = self.datasets[cycle[0]]
            problems.append(
                Problem(
                    f"inputs form a loop {' → '.join([*cycle, cycle[0]])}; loops are not allowed "
                    "in dataset files (model them in a Brightway database)",
                    **_where(first),
                    column="inputs",
                )
            )
        return problems

    def _cycles(self) -> list[list[str]]:
        """One representative loop per strongly connected group of ``inputs``."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
        cycles: list[list[str]] = []
        for start in sorted(self.datasets):
            if start in state:
                continue
            stack: list[tuple[str, Iterator[str]]] = [(start, iter(self._edges(start)))]
            path = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                elif state.get(child) == 1:
                    cycles.append(path[path.index(child) :])
                elif child not in state:
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(self._edges(child))))
        return cycles

    def _edges(self, dataset_id: str) -> list[str]:
        return sorted(i for i in self.datasets[dataset_id].inputs if i in self.datasets)

    def get(self, dataset_id: str) -> Dataset:
        """The dataset of an id, or of an alias (a PACT product id)."""
        found = self.datasets.get(dataset_id)
        return found if found is not None else self.datasets[self.aliases[dataset_id]]

    def __contains__(self, dataset_id: object) -> bool:
        return dataset_id in self.datasets or dataset_id in self.aliases

    def __iter__(self) -> Iterator[Dataset]:
        return iter(self.datasets.values())

    def __len__(self) -> int:
        return len(self.datasets)

    def suggest(self, dataset_id: str, n: int = 3) -> list[str]:
        """The ids closest to a misspelt one, best first, for "did you mean …?".

        Answers are cached per catalog: a misspelt id is usually repeated on many lines."""
        key = (dataset_id, n)
        if key not in self._suggestions:
            self._suggestions[key] = self._suggest(dataset_id, n)
        return list(self._suggestions[key])

    def _suggest(self, dataset_id: str, n: int) -> list[str]:
        wanted = dataset_id.strip().lower()
        by_lower: dict[str, str] = {}
        for known in self.datasets:
            by_lower.setdefault(known.lower(), known)
        close = difflib.get_close_matches(wanted, list(by_lower), n=n, cutoff=0.6)
        if len(close) < n and len(wanted) >= 3:
            containing = sorted(k for k in by_lower if wanted in k and k not in close)
            close.extend(containing[: n - len(close)])
        return [by_lower[c] for c in close]

    def search(self, text: str, material: str | None = None) -> list[Dataset]:
        """Datasets whose id, name, material or notes contain every word of ``text``."""
        words = text.lower().split()
        found = []
        for dataset in self.datasets.values():
            if material is not None and (dataset.material or "").lower() != material.lower():
                continue
            haystack = " ".join(
                filter(None, (dataset.id, dataset.name, dataset.material, dataset.notes))
            ).lower()
            if all(word in haystack for word in words):
                found.append(dataset)
        return sorted(found, key=lambda d: d.id)

    def content_hash(self) -> str:
        """A stable hash of every dataset's content (not where it was read from)."""
        digest = hashlib.sha256()
        for dataset_id in sorted(self.datasets):
            record = self.datasets[dataset_id].model_dump(mode="json", exclude={"origin"})
            digest.update(json.dumps(record, sort_keys=True).encode())
            digest.update(b"\n")
        return digest.hexdigest()


def shipped_dataset_files() -> list[Path]:
    """The shipped catalog files: top-level ``datasets/*.csv`` (sub-folders hold other data)."""
    return sorted(datasets_dir().glob("*.csv"))


def load_catalog(extra_files: Sequence[Path] = (), *, include_shipped: bool = True) -> Catalog:
    """The shipped datasets plus the user's dataset files, as one catalog.

    A user id that collides with a shipped id (or with another user file's id) is an error
    naming both files: silently replacing a shipped factor would hide where a number came from.
    """
    shipped = shipped_dataset_files() if include_shipped else []
    files = [*shipped, *map(Path, extra_files)]
    problems = ProblemCollector()
    datasets: list[Dataset] = []
    if include_shipped:  # kept between runs (catalog_cache) when neither files nor code changed
        from footprint.catalog_cache import shipped_datasets

        try:
            read = lambda: _read_files(shipped, energy_demand=True)  # noqa: E731
            datasets = [*shipped_datasets(shipped, read)]
        except DatasetError as error:
            problems.extend(error.problems)
    datasets += _read_files(extra_files, energy_demand=include_shipped, problems=problems)
    problems.raise_if_any(DatasetError)
    return Catalog(datasets, files)


def _read_files(
    files: Sequence[Path], *, energy_demand: bool, problems: ProblemCollector | None = None
) -> list[Dataset]:
    """The files' datasets (with their known CED when ``energy_demand``).  Problems go to
    ``problems``; without it, every problem of every file is raised in one ``DatasetError``."""
    found = ProblemCollector() if problems is None else problems
    datasets: list[Dataset] = []
    for path in files:
        try:
            datasets.extend(read_dataset_file(Path(path)))
        except DatasetError as error:
            found.extend(error.problems)
    if problems is None:
        found.raise_if_any(DatasetError)
    if energy_demand:
        from footprint.impacts.energy import with_energy_demand

        datasets = with_energy_demand(datasets)
    return datasets
