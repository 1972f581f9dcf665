"""Units: the one pint registry, parsing what BOMs write, and conversion to a dataset's unit.

Our aliases live in ``units.txt`` beside this module (pieces, metric tons, t·km …).
Every function returns or accepts *canonical unit strings*: short, stable, pint-parsable
spellings such as ``"kg"``, ``"kWh"``, ``"t*km"``, ``"piece"``, ``"m**2"``.

Errors are ``UnitError`` with one ``Problem``.  Callers that know where a value came from pass
``where={"file": ..., "sheet": ..., "row": ..., "column": ...}`` and the problem carries it;
otherwise they may catch the error and re-locate its problems with ``dataclasses.replace``.
"""

from __future__ import annotations

import atexit
import datetime as dt
import difflib
import hashlib
import importlib.util
import json
import math
import re
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footprint.cache import cache_dir, replace_file
from footprint.errors import Problem, UnitError

if TYPE_CHECKING:
    import pint


@cache
def registry() -> pint.UnitRegistry:
    """pint's registry with our definitions, built on first use: parsed once and then read
    from pint's own cache in footprint's cache folder (pint re-parses a definitions file whose
    content changed).  Importing pint costs more than the rest of a warm assessment, so a run
    whose units are all in the answers remembered on disk (below) never imports it."""
    import pint

    try:
        made: pint.UnitRegistry = pint.UnitRegistry(
            on_redefinition="ignore", cache_folder=cache_dir() / "pint"
        )
    except OSError:  # cache folder not writable: parse every time
        made = pint.UnitRegistry(on_redefinition="ignore")
    made.load_definitions(Path(__file__).with_name("units.txt"))
    return made


def __getattr__(name: str) -> Any:  # ``units.ureg``: the registry, built when first asked for
    if name == "ureg":
        return registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    ureg: pint.UnitRegistry


# Answers remembered on disk.  Every answer pint gives this module (a unit string's canonical
# spelling, a conversion factor, a dimension) is a pure function of the unit strings, pint's
# code and definitions, units.txt and this file; it is kept in footprint's cache folder under a
# key made of all of these (pint's files by path, size and mtime), written when the process
# ends.  A later run asking the same questions reads them back instead of importing pint.
_MEMO_FORMAT = "1"
_MEMO_LIMIT = 2000  # answers kept per kind


@cache
def _memo_path() -> Path | None:
    spec = importlib.util.find_spec("pint")
    if spec is None or not spec.submodule_search_locations:
        return None
    pint_dir = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256(_MEMO_FORMAT.encode())
    for path in (pint_dir / "__init__.py", pint_dir / "default_en.txt"):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for path in (Path(__file__), Path(__file__).with_name("units.txt")):
        digest.update(path.read_bytes())
    return cache_dir() / f"units-{digest.hexdigest()[:32]}.json"


_memo: dict[str, dict[str, Any]] | None = None
_memo_new: dict[str, dict[str, Any]] = {}


def _remembered(kind: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s answer for (kind, key): from the disk memo when it is there."""
    global _memo
    if _memo is None:
        _memo = {}
        try:
            path = _memo_path()
            if path is not None:
                loaded = json.loads(path.read_text("utf-8"))
                if isinstance(loaded, dict):
                    _memo = {k: v for k, v in loaded.items() if isinstance(v, dict)}
        except (OSError, ValueError):
            pass
        atexit.register(_write_memo)
    answers = _memo.setdefault(kind, {})
    if key in answers:
        return answers[key]
    answer = compute()
    if len(answers) < _MEMO_LIMIT:  # bounded: a hostile file may hold 100,000 junk units
        answers[key] = answer
        _memo_new.setdefault(kind, {})[key] = answer
    return answer


def _write_memo() -> None:
    """Add this run's new answers to the file (merged with what another process wrote)."""
    if not _memo_new:
        return
    try:
        path = _memo_path()
        if path is None:
            return
        try:
            document = json.loads(path.read_text("utf-8"))
            if not isinstance(document, dict):
                document = {}
        except (OSError, ValueError):
            document = {}
        for kind, answers in _memo_new.items():
            known = document.get(kind)
            document[kind] = {**(known if isinstance(known, dict) else {}), **answers}
        replace_file(path, lambda handle: json.dump(document, handle))
    except OSError:  # cache folder not writable: the answers are simply not kept
        pass
    _memo_new.clear()


Where = Mapping[str, Any] | None

# How a unit is written back: the first spelling in this list that is equal to a parsed unit.
PREFERRED_SPELLINGS: tuple[str, ...] = (
    "kg", "g", "mg", "t", "lb", "oz",
    "piece",
    "kWh", "Wh", "MWh", "GWh", "MJ", "kJ", "GJ", "J",
    "t*km", "kg*km",
    "m", "cm", "mm", "km",
    "m**2", "cm**2", "mm**2",
    "m**3", "l", "ml", "cm**3",
    "GB", "MB", "TB",
    "h", "min", "s", "year", "day",
    "kg/piece", "g/piece",
)  # fmt: skip

# Brightway / ecoinvent unit names that pint does not read as written.
_BRIGHTWAY_NAMES: dict[str, str] = {
    "kilogram": "kg",
    "gram": "g",
    "ton": "t",
    "tonne": "t",
    "metric ton": "t",
    "kilowatt hour": "kWh",
    "megajoule": "MJ",
    "kilojoule": "kJ",
    "ton kilometer": "t*km",
    "tonne kilometer": "t*km",
    "metric ton*km": "t*km",
    "kilogram kilometer": "kg*km",
    "square meter": "m**2",
    "square metre": "m**2",
    "cubic meter": "m**3",
    "cubic metre": "m**3",
    "litre": "l",
    "liter": "l",
    "meter": "m",
    "metre": "m",
    "kilometer": "km",
    "kilometre": "km",
    "unit": "piece",
    "item": "piece",
    "hour": "h",
}

# Plain words for dimensions, each given by one unit that has it.
_DIMENSION_EXAMPLES: dict[str, str] = {
    "mass": "kg",
    "length": "m",
    "area": "m**2",
    "volume": "m**3",
    "mass × distance": "t*km",
    "energy": "kWh",
    "power": "kW",
    "count": "piece",
    "time": "h",
    "mass per piece": "kg/piece",
}


@cache
def _dimension_names() -> dict[Any, str]:
    ureg = registry()
    return {ureg.parse_units(u).dimensionality: name for name, u in _DIMENSION_EXAMPLES.items()}


def _problem(message: str, where: Where) -> UnitError:
    return UnitError(Problem(message, **dict(where or {})))


def _key(unit: pint.Unit) -> tuple[str, float]:
    base = registry().Quantity(1.0, unit).to_base_units()
    return str(base.units), float(f"{base.magnitude:.12g}")


@cache
def _canonical() -> dict[tuple[str, float], str]:
    canonical: dict[tuple[str, float], str] = {}
    for spelling in PREFERRED_SPELLINGS:
        canonical.setdefault(_key(registry().parse_units(spelling)), spelling)
    return canonical


_VOCABULARY: tuple[str, ...] = PREFERRED_SPELLINGS + ("pcs", "tkm", "m2", "m3", "cm2", "kgkm")
_BY_LOWER: dict[str, list[str]] = {}
for _spelling in _VOCABULARY:
    _BY_LOWER.setdefault(_spelling.lower(), []).append(_spelling)


def _normalise(text: str) -> str:
    """Rewrite the ways people write products and powers into pint's syntax."""
    text = text.strip().replace("²", "**2").replace("³", "**3").replace("^", "**")
    text = re.sub(r"\s*[·×]\s*", "*", text)
    text = re.sub(r"(?<=[A-Za-z])[.-](?=[A-Za-z])", "*", text)  # t.km, t-km
    text = re.sub(r"(?<=[A-Za-z])([23])\b", r"**\1", text)  # m2, cm3
    return text


@lru_cache(maxsize=1024)
def _parse(text: str) -> str | None:
    """Canonical spelling of ``text``, or None when pint cannot read it."""
    answer: str | None = _remembered("parse", text, lambda: _parse_with_pint(text))
    return answer


def _parse_with_pint(text: str) -> str | None:
    try:
        unit = registry().parse_units(_normalise(text))
    except Exception:  # pint raises many types (tokenizer, definition, attribute) on free text
        return None
    if unit.dimensionless and not _is_information(unit):
        return None
    return _canonical().get(_key(unit), f"{unit:~C}")


def _is_information(unit: pint.Unit) -> bool:
    # pint counts bits as dimensionless; tell data sizes (GB) apart from plain ratios (%)
    return str(registry().Quantity(1.0, unit).to_base_units().units) == "bit"


@lru_cache(maxsize=4096)  # a typo is usually repeated on many rows: match it once
def _suggestion(text: str) -> str:
    candidates = list(_VOCABULARY)
    if text.endswith("s") and _parse(text[:-1]) is not None:
        return text[:-1]
    close = difflib.get_close_matches(text, candidates, n=1, cutoff=0.5)
    if not close:
        close = difflib.get_close_matches(text.lower(), [c.lower() for c in candidates], n=1)
        close = [_BY_LOWER[c][0] for c in close]
    return close[0] if close else ""


def parse_unit(text: str, *, where: Where = None) -> str:
    """The canonical spelling of a unit as a BOM writes it: ``"KG"`` → ``"kg"``, ``"tkm"`` →
    ``"t*km"``; raises ``UnitError`` with a suggestion for typos (``"kgs"`` → ``"kg"``)."""
    if not isinstance(text, str) or not text.strip():
        raise _problem("no unit given (write e.g. kg, g, piece, kWh, t*km)", where)
    text = text.strip()
    canonical = _parse(text)
    if canonical is not None:
        return canonical
    spellings = _BY_LOWER.get(text.lower(), [])
    if len(spellings) == 1:  # ERP exports write "KG", "KWH", "PCS"
        found = _parse(spellings[0])
        if found is not None:
            return found
    hint = _suggestion(text)
    did_you_mean = f' (did you mean "{hint}"?)' if hint else " (write e.g. kg, piece, kWh, t*km)"
    raise _problem(f'"{text}" is not a unit{did_you_mean}', where)


_NUMBER = re.compile(r"^([+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$")
_NOT_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)\b", re.IGNORECASE)


def parse_number(value: Any, *, where: Where = None) -> float:
    """A finite float from a cell: a number, or text such as ``"1.5"`` or ``"1,5"``."""
    number, rest = _split_number(value, where)
    if rest:
        raise _problem(f'"{value}" is not a number', where)
    return number


def _split_number(value: Any, where: Where) -> tuple[float, str]:
    if isinstance(value, bool):
        raise _problem(f"{value} is not a number", where)
    if isinstance(value, dt.date | dt.time | dt.timedelta):  # datetime is a date
        shown = value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
        raise _problem(
            f"{shown} is a date or time, not a number: the cell is formatted as a date in the "
            "sheet; format it as a number (Format Cells > Number) and type the value again",
            where,
        )
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise _problem(f"{value} is not a finite number", where)
        return number, ""
    text = str(value).strip()
    if _NOT_FINITE.match(text):
        raise _problem(f'"{text}" is not a finite number', where)
    match = _NUMBER.match(text)
    if not match:
        raise _problem(f'"{text}" is not a number', where)
    digits, rest = match.group(1), match.group(2).strip()
    if rest[:1].isdigit():  # "12 000 g": a thousands separator
        raise _problem(
            f'"{text}" is not a number (write it without spaces or thousands separators)', where
        )
    if "," in digits:
        digits = _decimal_comma(digits, text, where)
    number = float(digits)
    if not math.isfinite(number):
        raise _problem(f'"{text}" is not a finite number', where)
    return number, rest


def _decimal_comma(digits: str, text: str, where: Where) -> str:
    """Accept one decimal comma ("1,5"); refuse what could be a thousands separator."""
    whole, _, fraction = digits.partition(",")
    if "." in digits or "," in fraction or len(fraction.split("e")[0].split("E")[0]) == 3:
        raise _problem(
            f'"{text}" is ambiguous: write the number without thousands separators and with '
            "a decimal point (e.g. 1500 or 1.5)",
            where,
        )
    return f"{whole}.{fraction}"


def split_quantity(value: Any, *, where: Where = None) -> tuple[float, str | None]:
    """``(number, canonical unit or None)`` from a cell that may carry its unit ("12 g")."""
    number, rest = _split_number(value, where)
    return number, (parse_unit(rest, where=where) if rest else None)


def parse_quantity(value: Any, unit: str | None, *, where: Where = None) -> tuple[float, str]:
    """``(number, canonical unit)`` from a cell: ``12``, ``"12 g"``, ``"12g"``, ``"0,5 kWh"``.

    A unit written inside the cell wins over ``unit`` (the unit column or the header's
    default).  A decimal comma is accepted when it cannot be a thousands separator.
    """
    number, rest = _split_number(value, where)
    if rest:
        return number, parse_unit(rest, where=where)
    if unit is None or not str(unit).strip():
        raise _problem(
            f"{_format(number)} has no unit (write it in the unit column, or e.g. "
            f'"{_format(number)} kg")',
            where,
        )
    return number, parse_unit(unit, where=where)


def _format(number: float) -> str:
    return f"{number:g}"


@lru_cache(maxsize=1024)
def _units(unit: str) -> pint.Unit:
    return registry().parse_units(_normalise(unit))


@lru_cache(maxsize=1024)
def dimension_name(unit: str) -> str:
    """The dimension in plain words: "mass", "energy", "count", "mass × distance" …"""
    answer: str = _remembered("dimension", unit, lambda: _dimension_name(unit))
    return answer


def _dimension_name(unit: str) -> str:
    parsed = _units(unit)
    if parsed.dimensionless:
        return "data size" if _is_information(parsed) else "a plain number"
    dims = parsed.dimensionality
    return _dimension_names().get(dims) or str(dims).replace("[", "").replace("]", "")


@lru_cache(maxsize=1024)
def is_mass(unit: str) -> bool:
    answer: bool = _remembered(
        "mass", unit, lambda: bool(_units(unit).dimensionality == _units("kg").dimensionality)
    )
    return answer


@lru_cache(maxsize=1024)
def is_count(unit: str) -> bool:
    answer: bool = _remembered(
        "count", unit, lambda: bool(_units(unit).dimensionality == _units("piece").dimensionality)
    )
    return answer


@lru_cache(maxsize=4096)
def _factor(from_unit: str, to_unit: str) -> float | None:
    answer: float | None = _remembered(
        "factor", f"{from_unit}\t{to_unit}", lambda: _factor_with_pint(from_unit, to_unit)
    )
    return answer


def _factor_with_pint(from_unit: str, to_unit: str) -> float | None:
    source, target = _units(from_unit), _units(to_unit)
    if source.dimensionality != target.dimensionality:
        return None
    return float(registry().Quantity(1.0, source).to(target).magnitude)


def amount_in(reference_unit: str, unit: str) -> float:
    """How many ``unit`` one ``reference_unit`` is, both as pint reads them (1 t = 1000 kg);
    ``ValueError`` with pint's message when it cannot say."""
    answer: float | str = _remembered(
        "amount", f"{reference_unit}\t{unit}", lambda: _amount_with_pint(reference_unit, unit)
    )
    if isinstance(answer, str):
        raise ValueError(answer)
    return answer


def _amount_with_pint(reference_unit: str, unit: str) -> float | str:
    import pint

    try:
        return float(registry().Quantity(1, reference_unit).to(unit).magnitude)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError) as error:
        return str(error)


def to_kg(value: float, unit: str) -> float:
    """Mass in kilograms; raises ``UnitError`` when ``unit`` is not a mass."""
    return convert(value, unit, "kg")


def convert(
    value: float,
    from_unit: str,
    to_unit: str,
    *,
    mass_per_piece_kg: float | None = None,
    where: Where = None,
) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (a dataset's reference unit).

    Pieces of a per-mass dataset (and mass of a per-piece dataset) go through
    ``mass_per_piece_kg``; any other change of dimension is a ``UnitError`` naming both units
    and both dimensions.
    """
    factor = _factor(from_unit, to_unit)
    if factor is not None:
        return value * factor
    if is_count(from_unit) and is_mass(to_unit):
        if mass_per_piece_kg is None:
            raise _problem(
                f"cannot use {from_unit} (count) for a dataset per {to_unit} (mass) without a "
                "mass_per_piece (e.g. 3.2 g)",
                where,
            )
        return convert(value * mass_per_piece_kg, "kg", to_unit)
    if is_mass(from_unit) and is_count(to_unit) and mass_per_piece_kg:
        return to_kg(value, from_unit) / mass_per_piece_kg
    raise _problem(
        f"cannot use {from_unit} ({dimension_name(from_unit)}) for a dataset per {to_unit} "
        f"({dimension_name(to_unit)})",
        where,
    )


def brightway_unit(name: str) -> str:
    """The canonical unit of a Brightway / ecoinvent unit name ("kilowatt hour" → "kWh")."""
    key = " ".join(str(name).strip().lower().split())
    if key in _BRIGHTWAY_NAMES:
        return _BRIGHTWAY_NAMES[key]
    canonical = _parse(str(name).strip())
    if canonical is None:
        raise UnitError(f'Brightway unit "{name}" has no equivalent in footprint\'s units')
    return canonical


_SUPERSCRIPTS = {"2": "²", "3": "³", "-1": "⁻¹", "-2": "⁻²", "-3": "⁻³"}
_POWER = re.compile(r"\*\*(-?\d+)")


def display_unit(unit: str | None) -> str:
    """A canonical unit as people write it: ``cm**2`` → ``cm²``, ``m**3`` → ``m³``,
    ``t*km`` → ``t·km``.  For reading only; ``parse_unit`` reads both spellings back."""
    if not unit:
        return ""
    text = _POWER.sub(lambda m: _SUPERSCRIPTS.get(m.group(1), f"^{m.group(1)}"), unit)
    return text.replace(" * ", "·").replace("*", "·").replace(" / ", "/")
