"""The one error family of footprint.

    FootprintError            anything a user can act on; carries one or more Problems
    ├── BomError              a bill of materials that cannot be read or is invalid
    ├── UnitError             a unit that is unknown or does not fit the dataset
    ├── DatasetError          a dataset file, a dataset reference or a Brightway activity
    ├── RuleError             a compliance rule set
    ├── InputTooLargeError    a file over a size limit, or a zip bomb
    └── OutputError           an output path that cannot be written safely (nothing written)

Every error holds a list of ``Problem`` records, each naming where it happened (file, sheet,
row as the spreadsheet shows it with the header on row 1, column) and what would be valid.
``str(error)`` is one line per problem, ready for a terminal.  Anything that is not a
``FootprintError`` is a bug in footprint, not a user mistake.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(Path(self.file).name)
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, str | int | None]:
        return {
            "file": Path(self.file).name if self.file else None,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class FootprintError(Exception):
    """Base class: an input problem a user can fix; holds every problem found."""

    def __init__(self, problems: Problem | str | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):  # keep pickling (multiprocessing, web workers) working
        return (type(self), (self.problems,))


class BomError(FootprintError):
    """A bill of materials that cannot be read, or whose content is invalid."""


class UnitError(FootprintError):
    """A unit that is not known, or whose dimension does not fit where it is used."""


class DatasetError(FootprintError):
    """A dataset file, an unknown dataset reference, or a Brightway activity problem."""


class RuleError(FootprintError):
    """A compliance rule set that cannot be read or is invalid."""


class InputTooLargeError(FootprintError):
    """A file over a size limit, or a compressed file that expands far beyond its size."""


class OutputError(FootprintError):
    """An output path that is a folder, a link, an input, a duplicate, or cannot be written."""


PROBLEMS_SHOWN_PER_FILE = 200  # the rest of a file's problems are grouped by kind
KINDS_SHOWN_PER_FILE = 20
_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'|\b\d[\d.,e+-]*\b')


def cap_problems(
    problems: Iterable[Problem], limit: int = PROBLEMS_SHOWN_PER_FILE
) -> list[Problem]:
    """The first ``limit`` problems of each file in full; the rest grouped, one line per kind:
    "and 99,800 more like this: "kgs" is not a unit … (rows 202–100,001)".

    A kind is the sheet, column and message with quoted values and numbers left out, so a
    typo repeated on 100,000 rows is one line, and a file's report stays readable (and small
    enough for a web answer) however bad the file is.
    """
    kept: list[Problem] = []
    shown: dict[str | None, int] = {}
    rest: dict[str | None, dict[tuple[object, ...], list[Problem]]] = {}
    for problem in problems:
        count = shown.get(problem.file, 0)
        if count < limit:
            shown[problem.file] = count + 1
            kept.append(problem)
            continue
        kind = (problem.sheet, problem.column, _QUOTED.sub("…", problem.message))
        rest.setdefault(problem.file, {}).setdefault(kind, []).append(problem)
    for file, kinds in rest.items():
        ordered = sorted(kinds.values(), key=len, reverse=True)
        for group in ordered[:KINDS_SHOWN_PER_FILE]:
            first = group[0]
            rows = [p.row for p in group if p.row is not None]
            where = ""
            if rows:
                low, high = min(rows), max(rows)
                where = f" (row {low:,})" if low == high else f" (rows {low:,}–{high:,})"
            kept.append(
                Problem(
                    f"and {len(group):,} more like this: {first.message}{where}",
                    file=file,
                    sheet=first.sheet,
                    column=first.column,
                )
            )
        others = sum(len(group) for group in ordered[KINDS_SHOWN_PER_FILE:])
        if others:
            kept.append(Problem(f"and {others:,} more problems of other kinds", file=file))
    return kept


class ProblemCollector:
    """Gathers problems while reading a file so that all of them are reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, message: str, **where: object) -> None:
        self.problems.append(Problem(message, **where))  # type: ignore[arg-type]

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self, error_type: type[FootprintError] = BomError) -> None:
        """Raise every problem (beyond 200 in a file, grouped: see ``cap_problems``)."""
        if self.problems:
            raise error_type(cap_problems(self.problems))
