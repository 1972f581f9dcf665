"""What ``footprint assess`` prints: one table for every product of every file, the failing
rules by name, the checks in full with ``--details``, and the warnings grouped and counted.

Only reading: every figure comes from the ``Assessment`` unchanged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from footprint.cli.terminal import inert
from footprint.coded_warnings import per_subject
from footprint.errors import Problem
from footprint.model import Assessment, ProductResult, Warning_
from footprint.report.basis import basis_text, not_all_ef31, split_text
from footprint.report.summary import STATUS_ORDER, is_share, no_verdict_note, sorted_checks

PLACES_SHOWN = 4  # places listed under a grouped warning before "and N more" (all with --details)
NARROW = 100  # below this terminal width the functional unit goes under the product id


def print_summary(assessment: Assessment, console: Console, *, details: bool = False) -> None:
    """The summary table, the checks (``details``: every check), then the grouped warnings."""
    console.print(summary_table(assessment, width=console.width))
    for product in assessment.products:
        console.print(Text(basis_line(product)))
    if details:
        for product in assessment.products:
            if product.checks:
                console.print(checks_table(product))
    for group in group_warnings(assessment.warnings):
        console.print(Text(inert(group.text(all_places=details))))


def basis_line(product: ProductResult) -> str:
    """'office-chair: fossil 8.96 · not split 17.8 kg CO2-eq; GWP basis AR5 67 % · AR4 33 %
    (not all EF 3.1)' — how far the figure is split and what it was characterised with."""
    split = split_text(product.climate_change) or "0"
    basis = basis_text(product) or "none"
    warn = " (not all EF 3.1)" if not_all_ef31(product) else ""
    return f"{product.id}: {split} {product.climate_change.unit}; GWP basis {basis}{warn}"


def summary_table(assessment: Assessment, *, width: int = 200) -> Table:
    """One row per product; ``width`` (the terminal's) decides the layout, ids fold, never cut."""
    narrow = width < NARROW
    files = {_file_name(p) for p in assessment.products}
    table = Table(
        title=f"Climate change, {assessment.method.name}, per functional unit",
        box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
        show_edge=not narrow,
    )
    file_column = len(files) > 1 and not narrow  # narrow: the file goes under the product
    # columns that fold, with their share of the width the figures leave
    folding: list[tuple[str, int]] = [("file", 2)] if file_column else []
    folding += [("product", 3)] + ([] if narrow else [("functional unit", 3)])
    folding += [("top stage", 2), ("checks", 3)]
    figures = {assessment.method.unit: 9, "recycled": 8, "MCI": 4}
    columns = len(folding) + len(figures)
    overhead = 3 * columns + (-1 if narrow else 1)  # padding, column rules and edges
    free = max(width - overhead - sum(figures.values()), 8 * len(folding))
    # the product id whole if it can be (up to 24 characters); the rest share what is left
    product_width = min(max(len(p.id) for p in assessment.products), 24, free // 2)
    shares = sum(share for name, share in folding if name != "product")
    widths = {
        name: max(8, (free - product_width) * share // shares)
        for name, share in folding
        if name != "product"
    }
    widths["product"] = max(8, product_width)
    for name, _ in folding[:-1]:
        if name == "top stage":
            table.add_column(assessment.method.unit, justify="right", no_wrap=True)
        table.add_column(name, overflow="fold", max_width=widths[name])
    table.add_column("recycled", justify="right", no_wrap=True)
    table.add_column("MCI", justify="right", no_wrap=True)
    table.add_column("checks", overflow="fold", max_width=widths["checks"])
    for product in assessment.products:
        unit = product.functional_unit or "1 product"
        cells: list[Text | str] = []
        if file_column:
            cells.append(Text(inert(_file_name(product))))
        if narrow:
            under = f"{unit}\n{_file_name(product)}" if len(files) > 1 else unit
            cells.append(Text.assemble(inert(product.id), "\n", (inert(under), "dim")))
        else:
            cells += [Text(inert(product.id)), Text(inert(unit))]
        cells += [
            f"{product.climate_change.total:.4g}",
            _top_stage(product),
            _recycled(product),
            f"{product.circularity.mci.mci:.2f}"
            if product.circularity and product.circularity.mci
            else "",
            _checks(product),
        ]
        table.add_row(*cells)
    if len(files) == 1 and files != {""}:
        table.caption = Text(f"from {inert(files.pop())}")
    return table


def checks_table(product: ProductResult) -> Table:
    """Every check of one product, failures first (``--details``)."""
    table = Table(title=Text(f"Checks of {inert(product.id)}"), title_justify="left")
    table.add_column("status", no_wrap=True)
    table.add_column("rule", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("limit", justify="right", no_wrap=True)
    table.add_column("source", overflow="fold")
    for check in sorted_checks(product.checks):
        source = ", ".join(x for x in (check.source.regulation, check.source.article) if x)
        table.add_row(
            Text(check.status, style=_STATUS_STYLE.get(check.status, "")),
            Text(inert(f"{check.rule}\n{check.title}")),
            _figure(check.value, check.unit),
            _figure(check.limit, check.unit),
            Text(inert(source)),
        )
    return table


_STATUS_STYLE = {"fail": "bold red", "insufficient data": "yellow", "pass": "green"}


def _figure(value: float | None, unit: str | None) -> str:
    if value is None:
        return "-"
    if is_share(unit):
        return f"{value:.1%}"
    return f"{value:.4g} {unit}" if unit else f"{value:.4g}"


def _file_name(product: ProductResult) -> str:
    return Path(product.source_file).name if product.source_file else ""


def _top_stage(product: ProductResult) -> str:
    if not product.by_stage:
        return ""
    stage, figure = max(product.by_stage.items(), key=lambda item: item[1].total)
    total = product.climate_change.total
    share = f" ({figure.total / total:.0%})" if total else ""
    return f"{stage.value}{share}"


def _recycled(product: ProductResult) -> str:
    if product.circularity is None or product.circularity.recycled_content.share is None:
        return ""
    return f"{product.circularity.recycled_content.share:.0%}"


def _checks(product: ProductResult) -> Text:
    """The failing rules by name, then how many checks have each other status."""
    if not product.checks:
        return Text("")
    failing = [c.rule for c in product.checks if c.status == "fail"]
    counts: Counter[str] = Counter(c.status for c in product.checks if c.status != "fail")
    text = Text()
    if failing:
        text.append(f"{len(failing)} fail: " + ", ".join(failing), style="bold red")
    rest = ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])
    if rest:
        text.append(("\n" if failing else "") + rest)
    note = no_verdict_note(product.checks)  # neutral: never read as a pass
    if note:
        text.append(f" ({note})", style="dim")
    return text


@dataclass
class WarningGroup:
    """The same warning met at several places (products or file rows)."""

    message: str
    places: list[str] = field(default_factory=list)
    by_product: bool = True  # every place is a product (no file row)

    def text(self, *, all_places: bool = False) -> str:
        if len(self.places) <= 1:
            where = self.places[0] if self.places else ""
            if where and self.by_product:
                where = f"product {where}"
            return f"warning: {where}: {self.message}" if where else f"warning: {self.message}"
        shown = self.places if all_places else self.places[:PLACES_SHOWN]
        more = len(self.places) - len(shown)
        tail = f" and {more} more (--details lists all)" if more else ""
        kind = "products" if self.by_product else "places"
        return f"warning: {self.message} — {len(self.places)} {kind}: {'; '.join(shown)}{tail}"


def group_warnings(warnings: list[Warning_]) -> list[WarningGroup]:
    """Warnings with the same message, in the order first met, each with where it was met.

    A coded warning about several subjects counts once for each ("MCI: no recycling
    efficiency EC/EF for aluminium … — 7 products"), so products that lack the figure for
    different mixes of materials still add up per material."""
    groups: dict[str, WarningGroup] = {}
    for warning in (single for w in warnings for single in per_subject(w)):
        group = groups.setdefault(warning.message, WarningGroup(warning.message))
        group.places.append(_place(warning))
        group.by_product = group.by_product and warning.file is None and warning.row is None
    return list(groups.values())


def _place(warning: Warning_) -> str:
    """Where a warning was met: "bom.xlsx, sheet BOM, row 4", or the product's id."""
    where = Problem("", warning.file, warning.sheet, warning.row, warning.column).location()
    return where or warning.product or ""
