"""What-if scenarios: changes applied to a BOM's products before they are assessed.

A scenario is a small YAML file (``docs/scenarios.md``; schema ``docs/scenario.schema.json``)
or the same changes given as command-line options.  Each entry selects lines (one ``line`` by
id, or every line of a material ``material`` family, optionally only in one ``product``) or a
whole product, optionally only the lines of one ``supplier`` (the factory or
supplier named in the BOM's supplier column), and changes one or more of:

    dataset            swap the line's dataset (the same dimension: kg for kg, kWh for kWh)
    recycled_content   R1 of the line, or of every line of the family (a share, 0–1 or "35 %")
    scale              multiply the line's quantity (an assembly: with everything below it)
    eol_recycling_rate, eol_energy_recovery_rate
                       R2 / R3 of the line, the family's lines, or the product
    grid_country       every electricity line (``electricity-grid-XX`` of the shipped
                       library; or only ``line``, or only the lines of one ``supplier``,
                       i.e. a named factory) takes the grid of this country
    placed_on_market   the product's placing-on-market date (selects the limits in force)

Applying a scenario copies the products; the BOM file and the ``Product`` objects given are
never modified.  Every problem of a scenario is reported together, one line each, naming the
file, the entry and the field (and the YAML line).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footprint import units
from footprint.errors import FootprintError, Problem
from footprint.model import BomLine, Dataset, Product, ScenarioInfo
from footprint.yaml_files import read_yaml

#: The shipped library names its grid-electricity datasets ``electricity-grid-<country>``.
GRID_PREFIX = "electricity-grid-"
_MAX_FILE_BYTES = 1_000_000
_SHARE_FIELDS = ("recycled_content", "eol_recycling_rate", "eol_energy_recovery_rate")
_CHANGE_FIELDS = ("dataset", *_SHARE_FIELDS, "scale", "grid_country", "placed_on_market")


class ScenarioError(FootprintError):
    """A scenario file or option that cannot be read, or does not fit the BOM."""


class ScenarioEntry(BaseModel):
    """One change of a scenario file (``changes:`` list item)."""

    model_config = ConfigDict(extra="forbid")

    product: str | None = Field(None, description="only this product (default: every product)")
    line: str | None = Field(None, description="the line id the change applies to")
    supplier: str | None = Field(
        None,
        description="only lines of this supplier or factory (the BOM's supplier column)",
    )
    material: str | None = Field(None, description="every line of this material family")
    dataset: str | None = Field(None, description="the line's new dataset id")
    recycled_content: float | str | None = Field(None, description="R1, 0–1 or '35 %'")
    eol_recycling_rate: float | str | None = Field(None, description="R2, 0–1 or '35 %'")
    eol_energy_recovery_rate: float | str | None = Field(None, description="R3, 0–1 or '35 %'")
    scale: float | None = Field(None, description="factor the line's quantity is multiplied by")
    grid_country: str | None = Field(
        None, description="country code of the grid every electricity line takes (e.g. FR)"
    )
    placed_on_market: date | None = Field(None, description="YYYY-MM-DD")


class ScenarioFile(BaseModel):
    """A what-if scenario file."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="shown in reports (default: the file name)")
    description: str | None = None
    changes: list[ScenarioEntry] = Field(description="applied in order")


def scenario_schema() -> dict[str, Any]:
    return ScenarioFile.model_json_schema()


@dataclass(frozen=True)
class Change:
    """A validated entry: where it came from and what it sets."""

    label: str  # "entry #2 (line 7)" or "--swap 12=material-x"
    entry: ScenarioEntry
    shares: dict[str, float] = field(default_factory=dict)
    yaml_lines: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        e = self.entry
        where = (
            f"line {e.line}"
            if e.line
            else f"material {e.material}"
            if e.material
            else "every electricity line"
            if e.grid_country
            else "the product"
        )
        if e.supplier:
            where += f" of supplier {e.supplier}"
        if e.product:
            where += f" of product {e.product}"
        parts = []
        if e.dataset:
            parts.append(f"dataset → {e.dataset}")
        parts += [f"{name} → {value:g}" for name, value in self.shares.items()]
        if e.scale is not None:
            parts.append(f"quantity × {e.scale:g}")
        if e.grid_country:
            parts.append(f"grid → {e.grid_country}")
        if e.placed_on_market:
            parts.append(f"placed on market → {e.placed_on_market.isoformat()}")
        return f"{where}: {', '.join(parts)}"


@dataclass(frozen=True)
class Scenario:
    name: str
    changes: list[Change]
    file: str | None = None
    description: str | None = None
    problems: list[Problem] = field(
        default_factory=list, compare=False
    )  # entry problems found on reading, reported with those found on applying

    def info(self) -> ScenarioInfo:
        return ScenarioInfo(
            name=self.name, file=self.file, changes=[c.describe() for c in self.changes]
        )

    def problem(self, change: Change, field_name: str | None, message: str) -> Problem:
        where = change.label
        if field_name:
            line = change.yaml_lines.get(field_name)
            shown = line and line != change.yaml_lines.get("")  # else the entry's line says it
            where += f", field {field_name}" + (f" (line {line})" if shown else "")
        return Problem(f"{where}: {message}", file=self.file)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def parse_share(value: float | str) -> float:
    """A share from 0.35 or "35 %"; raises ValueError with what would be valid."""
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        percent = text.endswith("%")
        number = float(text.rstrip("%").strip())
        value = number / 100 if percent else number
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"{value!r} is not a share; write a number from 0 to 1 (or '35 %')")
    return float(value)


def load_scenario(source: str | Path | Scenario) -> Scenario:
    """A scenario from a YAML file (or one already built); ``ScenarioError`` lists problems."""
    if isinstance(source, Scenario):
        return source
    path = Path(source)
    where = str(path)
    data, node = read_yaml(path, what="a scenario", max_bytes=_MAX_FILE_BYTES, error=ScenarioError)
    if not isinstance(data, dict):
        raise ScenarioError(
            Problem("a scenario is a YAML mapping with 'name' and a list 'changes'", file=where)
        )
    problems: list[Problem] = []
    for key in data:
        if key not in ScenarioFile.model_fields:
            problems.append(
                Problem(
                    f"unknown key {key!r}; valid keys: {', '.join(ScenarioFile.model_fields)}",
                    file=where,
                )
            )
    raw = data.get("changes")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem("'changes' must be a non-empty list of changes", file=where))
        raw = []
    if problems:
        raise ScenarioError(problems)
    changes = []
    for index, item in enumerate(raw):
        label = f"entry #{index + 1}"
        lines = _entry_lines(node, index)
        if lines.get(""):
            label += f" (line {lines['']})"
        change, found = _validated(item, label, lines, where)
        problems.extend(found)
        if change is not None:
            changes.append(change)
    return Scenario(
        name=str(data.get("name") or path.stem),
        changes=changes,
        file=where,
        description=data.get("description"),
        problems=problems,
    )


def _entry_lines(node: Any, index: int) -> dict[str, int]:
    """The YAML line of the entry ("") and of each of its fields."""
    try:
        for key, value in node.value:
            if key.value == "changes":
                item = value.value[index]
                lines = {"": item.start_mark.line + 1}
                if isinstance(item, yaml.MappingNode):
                    lines |= {k.value: k.start_mark.line + 1 for k, _ in item.value}
                return lines
    except (AttributeError, IndexError, TypeError):
        pass
    return {}


def _validated(
    item: Any, label: str, lines: dict[str, int], file: str | None
) -> tuple[Change | None, list[Problem]]:
    scenario = Scenario(name="", changes=[], file=file)
    stub = Change(label, ScenarioEntry(), yaml_lines=lines)
    if not isinstance(item, dict):
        return None, [scenario.problem(stub, None, "a change is a mapping such as {line: …}")]
    try:
        entry = ScenarioEntry.model_validate(item)
    except ValidationError as error:
        found = []
        for err in error.errors():
            name = str(err["loc"][0]) if err["loc"] else None
            if err["type"] == "extra_forbidden":
                message = f"unknown field; valid fields: {', '.join(ScenarioEntry.model_fields)}"
            elif name == "placed_on_market":
                message = f"{err.get('input')!r} is not a date; write YYYY-MM-DD"
            else:
                message = f"{err.get('input')!r} is not valid ({err['msg']})"
            found.append(scenario.problem(stub, name, message))
        return None, found
    found = []
    change = Change(label, entry, yaml_lines=lines)
    shares: dict[str, float] = {}
    for name in _SHARE_FIELDS:
        value = getattr(entry, name)
        if value is None:
            continue
        try:
            shares[name] = parse_share(value)
        except ValueError as error:
            message = str(error) if "share" in str(error) else f"{value!r} is not a number"
            found.append(scenario.problem(change, name, message))
    if entry.scale is not None and (not math.isfinite(entry.scale) or entry.scale < 0):
        found.append(scenario.problem(change, "scale", f"{entry.scale!r} must be a number ≥ 0"))
    if not any(getattr(entry, name) is not None for name in _CHANGE_FIELDS):
        found.append(
            scenario.problem(
                change, None, f"changes nothing; give one of {', '.join(_CHANGE_FIELDS)}"
            )
        )
    if entry.line and entry.material:
        found.append(scenario.problem(change, "material", "give either 'line' or 'material'"))
    if entry.dataset and not entry.line:
        found.append(
            scenario.problem(change, "dataset", "a dataset swap needs the 'line' it is for")
        )
    for name in ("recycled_content", "scale"):
        if getattr(entry, name) is not None and not (entry.line or entry.material):
            found.append(scenario.problem(change, name, "needs a 'line' or a 'material' family"))
    if entry.supplier is not None and not (
        entry.line or entry.material or entry.grid_country or entry.dataset
    ):
        found.append(
            scenario.problem(
                change,
                "supplier",
                "selects lines: give it with 'grid_country', 'material' or 'line'",
            )
        )
    if entry.placed_on_market and (entry.line or entry.material):
        found.append(
            scenario.problem(change, "placed_on_market", "applies to a product, not to lines")
        )
    return Change(label, entry, shares, lines), found


# --------------------------------------------------------------------------------------------
# Command-line options
# --------------------------------------------------------------------------------------------


def scenario_from_options(
    *,
    swap: Sequence[str] = (),
    recycled_content: Sequence[str] = (),
    scale: Sequence[str] = (),
    eol_recycling_rate: Sequence[str] = (),
    grid_country: Sequence[str] = (),
    placed_on_market: str | None = None,
) -> Scenario | None:
    """The changes of repeated options (``--swap 12=dataset``, ``--recycled-content
    material:aluminium=0.5`` …) as one scenario; None when no option is given."""
    problems: list[Problem] = []
    changes: list[Change] = []

    def add(option: str, text: str, **fields: Any) -> None:
        label = f"{option} {text}"
        change, found = _validated(fields, label, {}, None)
        problems.extend(found)
        if change is not None:
            changes.append(change)

    def target(option: str, text: str) -> tuple[dict[str, str], str] | None:
        key, sep, value = text.partition("=")
        if not sep or not key.strip() or not value.strip():
            problems.append(Problem(f"{option} {text}: write LINE=VALUE or material:FAMILY=VALUE"))
            return None
        key = key.strip()
        if key.startswith("material:"):
            return {"material": key.removeprefix("material:").strip()}, value.strip()
        return {"line": key}, value.strip()

    for text in swap:
        found = target("--swap", text)
        if found:
            add("--swap", text, **found[0], dataset=found[1])
    for option, values, name in (
        ("--recycled-content", recycled_content, "recycled_content"),
        ("--eol-recycling-rate", eol_recycling_rate, "eol_recycling_rate"),
    ):
        for text in values:
            found = target(option, text)
            if found:
                add(option, text, **found[0], **{name: found[1]})
    for text in scale:
        found = target("--scale", text)
        if found:
            try:
                factor = float(found[1])
            except ValueError:
                problems.append(Problem(f"--scale {text}: {found[1]!r} is not a number"))
                continue
            add("--scale", text, **found[0], scale=factor)
    for text in grid_country:
        key, sep, value = text.partition("=")
        if not sep:
            add("--grid-country", text, grid_country=text.strip())
        elif key.strip().startswith("supplier:") and key.partition(":")[2].strip():
            supplier = key.partition(":")[2].strip()
            add("--grid-country", text, supplier=supplier, grid_country=value.strip())
        elif key.strip() and value.strip():
            add("--grid-country", text, line=key.strip(), grid_country=value.strip())
        else:
            problems.append(
                Problem(
                    f"--grid-country {text}: write COUNTRY, LINE=COUNTRY or supplier:NAME=COUNTRY"
                )
            )
    if placed_on_market is not None:
        try:
            day = date.fromisoformat(placed_on_market.strip())
        except ValueError:
            problems.append(
                Problem(f"--placed-on-market {placed_on_market}: not a date; write YYYY-MM-DD")
            )
        else:
            add("--placed-on-market", placed_on_market, placed_on_market=day)
    if problems:
        raise ScenarioError(problems)
    if not changes:
        return None
    return Scenario(name="command-line changes", changes=changes)


# --------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------


class _Catalog:
    """What applying needs of the catalog: ids, records and suggestions."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self.grids = {
            ds.id.removeprefix(GRID_PREFIX).casefold(): ds.id
            for ds in catalog
            if ds.id.startswith(GRID_PREFIX)
        }

    def record(self, dataset_id: str | None) -> Dataset | None:
        if dataset_id and dataset_id in self.catalog:
            record: Dataset = self.catalog.get(dataset_id)
            return record
        return None

    def family(self, line: BomLine) -> str | None:
        record = self.record(line.dataset)
        return record.material.casefold() if record and record.material else None


def apply_scenario(products: Sequence[Product], scenario: Scenario, catalog: Any) -> list[Product]:
    """Copies of ``products`` with the scenario's changes; ``ScenarioError`` lists problems."""
    lookup = _Catalog(catalog)
    problems: list[Problem] = list(scenario.problems)
    out = list(products)
    for change in scenario.changes:
        entry = change.entry
        if entry.grid_country is not None and _grid(entry.grid_country, lookup) is None:
            problems.append(
                scenario.problem(
                    change,
                    "grid_country",
                    f"no grid dataset {GRID_PREFIX}{entry.grid_country} "
                    f"(e.g. {', '.join(sorted(lookup.grids)[:5]).upper()}…: see "
                    "footprint datasets search electricity)",
                )
            )
            continue
        selected = [k for k, p in enumerate(out) if entry.product in (None, p.id)]
        if not selected:
            ids = ", ".join(p.id for p in out)
            problems.append(
                scenario.problem(
                    change, "product", f"no product {entry.product!r}; products: {ids}"
                )
            )
            continue
        before = len(problems)
        touched = 0
        for k in selected:
            product, count = _apply(out[k], change, scenario, lookup, problems)
            out[k] = product
            touched += count
        if len(problems) == before and not touched:
            problems.append(_nothing_selected(change, scenario, [out[k] for k in selected], lookup))
    if problems:
        raise ScenarioError(problems)
    return out


def _nothing_selected(
    change: Change, scenario: Scenario, products: Sequence[Product], lookup: _Catalog
) -> Problem:
    entry = change.entry
    if entry.supplier is not None:
        suppliers = sorted({ln.supplier for p in products for ln in p.lines if ln.supplier})
        kind = (
            f"line {entry.line!r}"
            if entry.line
            else f"line of material family {entry.material!r}"
            if entry.material
            else f"electricity line ({GRID_PREFIX}…)"
        )
        return scenario.problem(
            change,
            "supplier",
            f"no {kind} of supplier {entry.supplier!r} in {_names(products)}; suppliers in "
            f"the BOM: {', '.join(suppliers) or 'none (the BOM has no supplier column)'}",
        )
    if entry.line:
        return scenario.problem(change, "line", f"no line {entry.line!r} in {_names(products)}")
    if entry.material:
        families = sorted({f for p in products for ln in p.lines if (f := lookup.family(ln))})
        return scenario.problem(
            change,
            "material",
            f"no line of material family {entry.material!r}; families in the BOM: "
            f"{', '.join(families) or 'none'}",
        )
    return scenario.problem(
        change, "grid_country", f"no electricity line ({GRID_PREFIX}…) in {_names(products)}"
    )


def _names(products: Sequence[Product]) -> str:
    return "product " + ", ".join(p.id for p in products)


def _apply(
    product: Product, change: Change, scenario: Scenario, lookup: _Catalog, problems: list[Problem]
) -> tuple[Product, int]:
    """The product with one change, and how many of its lines (or itself) it touched."""
    entry = change.entry
    update: dict[str, Any] = {}
    touched = 0
    if entry.placed_on_market is not None:
        update["placed_on_market"] = entry.placed_on_market
        touched += 1
    product_level = not (entry.line or entry.material or entry.grid_country)
    if product_level and any(name in change.shares for name in _SHARE_FIELDS[1:]):
        rates = {k: v for k, v in change.shares.items() if k != "recycled_content"}
        update["circularity"] = product.circularity.model_copy(update=rates)
        touched += 1
    if entry.line or entry.material or entry.grid_country:
        lines = []
        for line in product.lines:
            new = _apply_line(line, change, scenario, lookup, problems)
            touched += new is not line
            lines.append(new)
        update["lines"] = lines
    return (product.model_copy(update=update) if update else product), touched


def _grid(country: str, lookup: _Catalog) -> str | None:
    return lookup.grids.get(country.strip().casefold())


def _selects(line: BomLine, entry: ScenarioEntry, lookup: _Catalog) -> bool:
    if entry.supplier is not None and (line.supplier or "").casefold() != (
        entry.supplier.strip().casefold()
    ):
        return False
    if entry.line is not None:
        return line.id == entry.line
    if entry.material is not None:
        return lookup.family(line) == entry.material.casefold()
    if entry.grid_country is not None:
        return bool(line.dataset and line.dataset.startswith(GRID_PREFIX))
    return False


def _apply_line(
    line: BomLine, change: Change, scenario: Scenario, lookup: _Catalog, problems: list[Problem]
) -> BomLine:
    entry = change.entry
    if not _selects(line, entry, lookup):
        return line
    update: dict[str, Any] = {}
    dataset = entry.dataset
    if entry.grid_country is not None:
        grid = _grid(entry.grid_country, lookup)
        assert grid is not None  # checked once per change in apply_scenario
        if line.dataset is None or not line.dataset.startswith(GRID_PREFIX):
            problems.append(
                scenario.problem(
                    change, "grid_country", f"line {line.id} is not an electricity line"
                )
            )
            return line
        dataset = grid
    if dataset is not None:
        problem = _swap_problem(line, dataset, lookup)
        if problem:
            problems.append(scenario.problem(change, "dataset", problem))
            return line
        update["dataset"] = dataset
    if entry.scale is not None:
        update["quantity"] = line.quantity * entry.scale
    if change.shares:
        update["circularity"] = line.circularity.model_copy(update=change.shares)
    return line.model_copy(update=update)


def _swap_problem(line: BomLine, dataset: str, lookup: _Catalog) -> str | None:
    record = lookup.record(dataset)
    if record is None:
        hints = lookup.catalog.suggest(dataset)
        tip = f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""
        return f"{dataset!r} is not a known dataset id{tip}"
    try:
        units.convert(
            line.quantity, line.unit, record.unit, mass_per_piece_kg=line.mass_per_piece_kg
        )
    except FootprintError as error:
        return f"line {line.id}: {error.problems[0].message} ({dataset!r})"
    return None


def load_scenarios(sources: Sequence[str | Path | Scenario]) -> list[Scenario]:
    """Several scenarios, every problem of every file reported together."""
    problems: list[Problem] = []
    scenarios = []
    for source in sources:
        try:
            scenarios.append(load_scenario(source))
        except FootprintError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def combined(scenarios: Sequence[Scenario]) -> Scenario:
    """Several scenarios applied one after the other, as one."""
    if len(scenarios) == 1:
        return scenarios[0]
    return Scenario(
        name=" + ".join(s.name for s in scenarios),
        changes=[c for s in scenarios for c in s.changes],
        file=None,
    )


def assess_with_scenarios(
    engine: Any,
    products: Sequence[Product],
    warnings: Sequence[Any],
    scenarios: Sequence[Scenario],
    **options: Any,
) -> Any:
    """``engine.assess_products`` of the products with the scenarios applied in order; the
    result names the scenario (``Assessment.scenario``).  No scenario: the BOM as it is."""
    if not scenarios:
        return engine.assess_products(products, warnings, **options)
    changed = list(products)
    problems: list[Problem] = []
    for scenario in scenarios:  # each file's problems located in that file
        try:
            changed = apply_scenario(changed, scenario, engine.catalog)
        except FootprintError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    assessment = engine.assess_products(changed, warnings, **options)
    whole = combined(scenarios)
    info = whole.info()
    if len(scenarios) > 1:
        info.changes = [f"{s.name}: {c.describe()}" for s in scenarios for c in s.changes]
    return assessment.model_copy(update={"scenario": info})
