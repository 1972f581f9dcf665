"""The sourcing picture in the reports: the Sourcing and Suppliers sheets, the HTML section.

Everything reads ``ProductResult.sourcing`` / ``Assessment.sourcing`` only.  The sheets are
tidy tables from row 1 (filterable), with the lines lacking data and the scales stated below
them.  The HTML fragment (per product: origin by country per element as bars, concentration,
traceability, the scorecards as a sortable table with flags) is shared by the HTML report and
the web page; its sorting script is ``SORT_SCRIPT`` (inline in the report, a static file on
the web page).  No map: no geometry ships, and nothing is fetched from the network.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from footprint.model import Assessment
from footprint.report import _xlsx as x
from footprint.report._xlsx import Column, Value
from footprint.report.figures import esc
from footprint.sourcing.results import (
    HHI_SCALE,
    UNKNOWN,
    Bounded,
    SourcingResult,
    SubjectSourcing,
    SupplierScorecard,
)

SHEETS = ("Sourcing", "Suppliers")
UNKNOWN_COLOUR = "#BDBDBD"
PALETTE = ("#4472C4", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#A5A5A5", "#264478",
           "#9E480E", "#636363", "#997300")  # fmt: skip
FLAGGED_STATUSES = {"expired", "none", "not yet valid", "unknown"}


def scoped(assessment: Assessment) -> list[tuple[str, SourcingResult]]:
    """(label, sourcing) of each product that has figures, then the portfolio's."""
    found = [(p.id, p.sourcing) for p in assessment.products if p.sourcing is not None]
    if assessment.sourcing is not None:
        found.append(("portfolio", assessment.sourcing))
    return found


def _share_pair(bounded: Bounded | None) -> tuple[float | None, float | None]:
    if bounded is None:
        return None, None
    return bounded.value, bounded.highest


# --------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------


def add_sourcing_sheets(workbook: Workbook, assessment: Assessment, footer: str) -> None:
    """Add the Sourcing and Suppliers sheets when the assessment has sourcing figures."""
    scopes = scoped(assessment)
    if not scopes:
        return
    _sourcing_sheet(workbook.create_sheet(SHEETS[0]), scopes, footer)
    _suppliers_sheet(
        workbook.create_sheet(SHEETS[1]),
        [(p.id, p.sourcing) for p in assessment.products if p.sourcing is not None],
        footer,
    )


SUBJECT_COLUMNS = [
    Column("Product"),
    Column("Kind", width=9),
    Column("Element / material", width=14),
    Column("Mass (kg)", x.MASS, width=11),
    Column("Top country", width=9),
    Column("Top-country share", x.SHARE, width=10),
    Column("Top-country share, highest", x.SHARE, width=11),
    Column("HHI (0–10,000)", "#,##0", width=10),
    Column("HHI lowest", "#,##0", width=9),
    Column("HHI highest", "#,##0", width=9),
    Column("Unknown origin (kg)", x.MASS, width=11),
    Column("Valid certificate", x.SHARE, width=10),
    Column("Valid certificate, highest", x.SHARE, width=11),
    Column("Approved smelters", x.SHARE, width=10),
    Column("Approved smelters, highest", x.SHARE, width=11),
    Column("High-risk origin", x.SHARE, width=10),
    Column("High-risk origin, highest", x.SHARE, width=11),
    Column("Traceability", x.SHARE, width=10),
    Column("Lines lacking data", x.GENERAL, width=9),
    Column("Mass by country (kg)", width=40, wrap=True),
    Column("Mass by supplier (kg)", width=40, wrap=True),
]


def _kg_list(kg: dict[str, float]) -> str:
    return "; ".join(f"{key} {value:.6g}" for key, value in kg.items())


def subject_row(label: str, s: SubjectSourcing) -> list[Value]:
    certified, certified_high = _share_pair(s.certified)
    approved, approved_high = _share_pair(s.approved_smelters)
    risky, risky_high = _share_pair(s.high_risk)
    return [label, s.kind, s.subject, s.mass_kg, s.top_country, s.top_country_share,
            s.top_country_share_highest, s.hhi, s.hhi_lowest, s.hhi_highest,
            s.by_country.get(UNKNOWN, 0.0), certified, certified_high, approved, approved_high,
            risky, risky_high, s.traceability, len(s.lacking), _kg_list(s.by_country),
            _kg_list(s.by_supplier)]  # fmt: skip


def _sourcing_sheet(
    ws: Worksheet, scopes: Sequence[tuple[str, SourcingResult]], footer: str
) -> None:
    rows = [
        subject_row(label, s)
        for label, sourcing in scopes
        for s in [*sourcing.elements, *sourcing.materials]
    ]
    last = x.write_table(ws, 1, SUBJECT_COLUMNS, rows)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{ws.cell(row=max(last, 2), column=len(SUBJECT_COLUMNS)).coordinate}"
    x.fit_columns(ws, SUBJECT_COLUMNS, rows)
    x.print_setup(ws, title_rows="1:1", footer=footer)
    row = last + 3
    x.put(ws, row, 1, "Lines lacking sourcing data").font = x.SECTION_FONT
    gap_columns = [Column("Product"), Column("Element / material"), Column("Line"),
                   Column("Line path", width=30), Column("Mass (kg)", x.MASS),
                   Column("Missing", width=50, wrap=True)]  # fmt: skip
    gap_rows: list[list[Value]] = [
        [label, s.subject, gap.line, gap.path, gap.mass_kg, ", ".join(gap.missing)]
        for label, sourcing in scopes
        for s in [*sourcing.elements, *sourcing.materials]
        for gap in s.lacking
    ]
    last = x.write_table(ws, row + 1, gap_columns, gap_rows or [["none"] + [None] * 5])
    row = last + 3
    x.put(ws, row, 1, "How to read this sheet").font = x.SECTION_FONT
    first = scopes[0][1]
    notes = [
        f"Assessed on {first.assessed_on.isoformat()}: certificates are valid from their first "
        "to their last day, both included.",
        HHI_SCALE + ". 'HHI' is over the mass of known origin; 'lowest'/'highest' bound it over "
        "every way the mass of unknown origin could be split.",
        "Shares are of all the mass, unknown included: the value counts the kg shown to "
        "qualify; 'highest' adds the kg that cannot be judged.",
        "Country: " + first.country_basis + ".",
        "Traceability: share of the mass whose line or supplier gives country, facility "
        "(smelter id or a registered facility) and certification.",
        "Approved smelters: "
        + (first.approved_smelters_file or "no list given (footprint ships none)")
        + ". High-risk countries: "
        + (first.high_risk_countries_file or "no list given (footprint ships none)")
        + ". Supplier register: "
        + (first.register_file or "none given")
        + ".",
        *[note for _, sourcing in scopes for note in sourcing.notes],
    ]
    for i, note in enumerate(notes, start=1):
        x.put(ws, row + i, 1, note)


SUPPLIER_COLUMNS = [
    Column("Product"),
    Column("Supplier"),
    Column("In register", width=8),
    Column("Name", width=24, wrap=True),
    Column("Country", width=8),
    Column("Facility type", width=14),
    Column("Smelter id", width=12),
    Column("Lines", width=20, wrap=True),
    Column("Mass (kg)", x.MASS, width=11),
    Column("Mass share", x.SHARE, width=9),
    Column("Climate change (kg CO2-eq per FU)", x.KG_CO2, width=13),
    Column("Footprint share", x.SHARE, width=9),
    Column("Recycled share", x.SHARE, width=9),
    Column("Energy intensity", width=14),
    Column("Certificate status", width=12),
    Column("Certificates", width=36, wrap=True),
    Column("Last audit", x.DATE, width=11),
    Column("Audit result", width=16, wrap=True),
    Column("Days since audit", x.GENERAL, width=8),
    Column("Open corrective actions", x.GENERAL, width=9),
    Column("Oldest open (days)", x.GENERAL, width=9),
    Column("Flags", width=44, wrap=True),
]


def _certificates(card: SupplierScorecard) -> str:
    return "; ".join(
        f"{c.standard} until {c.valid_until.isoformat()} ({c.status})" for c in card.certificates
    )


def _suppliers_sheet(
    ws: Worksheet, scopes: Sequence[tuple[str, SourcingResult | None]], footer: str
) -> None:
    rows: list[list[Value]] = [
        [label, c.supplier, "yes" if c.in_register else "no", c.name, c.country,
         c.facility_type, c.smelter_id, ", ".join(c.lines), c.mass_kg, c.mass_share,
         c.climate_change, c.footprint_share, c.recycled_share, c.energy_intensity,
         c.certificate_status, _certificates(c), c.last_audit_date, c.last_audit_result,
         c.days_since_audit, c.open_corrective_actions, c.oldest_open_action_days,
         "; ".join(c.flags)]
        for label, sourcing in scopes
        if sourcing is not None
        for c in sourcing.suppliers
    ]  # fmt: skip
    last = x.write_table(ws, 1, SUPPLIER_COLUMNS, rows)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{ws.cell(row=max(last, 2), column=len(SUPPLIER_COLUMNS)).coordinate}"
    x.fit_columns(ws, SUPPLIER_COLUMNS, rows)
    x.print_setup(ws, title_rows="1:1", footer=footer)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _range(low: float | None, high: float | None) -> str:
    if low is None:
        return "–"
    if high is None or abs(high - low) < 1e-12:
        return _pct(low)
    return f"{_pct(low)} to {_pct(high)}"


def _hhi(s: SubjectSourcing) -> str:
    if s.hhi is None:
        return "– (no known origin)"
    text = f"{s.hhi:,.0f}"
    if (
        s.hhi_lowest is not None
        and s.hhi_highest is not None
        and s.hhi_highest - s.hhi_lowest > 0.5
    ):
        text += f" <small>(could be {s.hhi_lowest:,.0f}–{s.hhi_highest:,.0f})</small>"
    return text


def origin_figure(sourcing: SourcingResult) -> go.Figure | None:
    """Mass by country per element, as stacked horizontal bars in percent of each element."""
    spec = origin_spec(sourcing)
    return None if spec is None else go.Figure(spec)


def origin_spec(sourcing: SourcingResult) -> dict[str, Any] | None:
    """``origin_figure`` as plain plotly JSON (no graph-objects validation)."""
    subjects = sourcing.elements or sourcing.materials
    if not subjects:
        return None
    countries = sorted(
        {c for s in subjects for c in s.by_country if c != UNKNOWN},
        key=lambda c: -sum(s.by_country.get(c, 0.0) for s in subjects),
    )
    if any(UNKNOWN in s.by_country for s in subjects):
        countries.append(UNKNOWN)
    labels = [esc(s.subject) for s in subjects]
    traces = [
        {
            "type": "bar",
            "y": labels,
            "x": [
                100 * s.by_country.get(country, 0.0) / s.mass_kg if s.mass_kg else 0
                for s in subjects
            ],
            "customdata": [s.by_country.get(country, 0.0) for s in subjects],
            "name": "unknown origin" if country == UNKNOWN else esc(country),
            "orientation": "h",
            "marker": {
                "color": UNKNOWN_COLOUR if country == UNKNOWN else PALETTE[i % len(PALETTE)]
            },
            "hovertemplate": "%{y}: "
            + esc(country)
            + " %{x:.1f} % (%{customdata:.4g} kg)<extra></extra>",
        }
        for i, country in enumerate(countries)
    ]
    layout = {
        "barmode": "stack",
        "title": {"text": "Origin by country (share of each element's mass)"},
        "xaxis": {"title": {"text": "% of the element's mass"}, "range": [0, 100]},
        "height": max(260, 60 + 34 * len(subjects)),
        "margin": {"l": 70, "r": 20, "t": 50, "b": 40},
        "legend": {"traceorder": "normal"},
    }
    return {"data": traces, "layout": layout}


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], cls: str, numeric: set[int],
           sortable: bool = False) -> str:  # fmt: skip
    def sort_attribute(j: int) -> str:
        if not sortable:
            return ""
        return ' data-sort="num"' if j in numeric else ' data-sort="text"'

    head = "".join(f"<th{sort_attribute(j)}>{e(h)}</th>" for j, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{cell}</td>' if j in numeric else f"<td>{cell}</td>"
            for j, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    attrs = f' class="{cls}{" sortable" if sortable else ""}"'
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _num_cell(value: float | int | None, text: str | None = None) -> str:
    """A numeric cell whose sort key is the number itself (empty sorts last)."""
    shown = text if text is not None else ("–" if value is None else f"{value:,.4g}")
    key = "" if value is None else repr(float(value))
    return f'<span data-value="{key}">{shown}</span>'


def sourcing_section(sourcing: SourcingResult, figure_html: str = "") -> str:
    """The sourcing fragment of one product (or the portfolio); ``figure_html``: the origin
    chart as the caller embeds it."""
    subjects = [*sourcing.elements, *sourcing.materials]
    concentration = _table(
        ["Element / material", "Mass (kg)", "Top country", "Top-country share", "HHI",
         "Valid certificate", "Approved smelters", "High-risk origin", "Traceability"],
        (
            [f"{e(s.subject)} <small>{e(s.kind)}</small>", f"{s.mass_kg:,.4g}",
             e(s.top_country or "–"), _range(s.top_country_share, s.top_country_share_highest),
             _hhi(s), _range(*_share_pair(s.certified)),
             _range(*_share_pair(s.approved_smelters)), _range(*_share_pair(s.high_risk)),
             _pct(s.traceability)]
            for s in subjects
        ),
        "sourcing-concentration",
        numeric={1, 3, 4, 5, 6, 7, 8},
    )  # fmt: skip
    gaps = [(s, gap) for s in subjects for gap in s.lacking]
    lacking = (
        _table(
            ["Element / material", "Line", "Mass (kg)", "Missing"],
            (
                [e(s.subject), e(g.path), f"{g.mass_kg:,.4g}", e(", ".join(g.missing))]
                for s, g in gaps
            ),
            "sourcing-gaps",
            numeric={2},
        )
        if gaps
        else "<p>Every line gives country, facility and certification.</p>"
    )
    cards = sourcing.suppliers
    scorecards = (
        _table(
            ["Supplier", "Country", "Facility", "Mass (kg)", "Mass share", "Footprint share",
             "Recycled share", "Energy intensity", "Certificate", "Days since audit",
             "Open actions", "Oldest open (days)", "Flags"],
            (
                [e(c.supplier) + (f"<br><small>{e(c.name)}</small>" if c.name else ""),
                 e(c.country or "–"), e(c.facility_type or "–"), _num_cell(c.mass_kg),
                 _num_cell(c.mass_share, _pct(c.mass_share)),
                 _num_cell(c.footprint_share, _pct(c.footprint_share)),
                 _num_cell(c.recycled_share, _pct(c.recycled_share)),
                 e(c.energy_intensity or "–"),
                 f'<span class="cert {e(c.certificate_status.replace(" ", "-"))}">'
                 f"{e(c.certificate_status)}</span>",
                 _num_cell(c.days_since_audit), _num_cell(c.open_corrective_actions),
                 _num_cell(c.oldest_open_action_days),
                 "".join(f'<span class="flag">{e(f)}</span>' for f in c.flags)]
                for c in cards
            ),
            "scorecards",
            numeric={3, 4, 5, 6, 9, 10, 11},
            sortable=True,
        )
        if cards
        else ""
    )  # fmt: skip
    notes = [
        f"Assessed on {sourcing.assessed_on.isoformat()}. {HHI_SCALE}; a range is shown where "
        "mass of unknown origin could change it.",
        "Shares are of all the mass: the first figure counts what is shown to qualify, the "
        "second adds what cannot be judged (no country, no smelter id, supplier not in the "
        "register). – : not computed (no list or register given; footprint ships none).",
        *sourcing.notes,
    ]
    return (
        '<div class="sourcing">'
        + figure_html
        + "<h4>Concentration, certification and traceability</h4>"
        + concentration
        + "<h4>Lines lacking sourcing data</h4>"
        + lacking
        + (
            "<h4>Supplier scorecards <small>(click a header to sort)</small></h4>" + scorecards
            if cards
            else ""
        )
        + "".join(f'<p class="note">{e(n)}</p>' for n in notes)
        + "</div>"
    )


SOURCING_STYLE = """
.sourcing .flag { display: inline-block; background: #FFEB9C; color: #9C5700; border-radius: 3px;
                  padding: 0 5px; margin: 1px 2px; font-size: 0.85em; white-space: nowrap; }
.sourcing .cert { font-weight: 600; border-radius: 3px; padding: 0 5px; white-space: nowrap; }
.sourcing .cert.valid { background: #C6EFCE; color: #006100; }
.sourcing .cert.expiring, .sourcing .cert.not-yet-valid { background: #FFEB9C; color: #9C5700; }
.sourcing .cert.expired, .sourcing .cert.none { background: #FFC7CE; color: #9C0006; }
.sourcing .cert.unknown { background: #eee; color: #555; }
table.sortable th { cursor: pointer; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
"""

# Sorting of the scorecard tables: numbers by their data-value (empty last), text as text.
SORT_SCRIPT = """
function footprintSortTables() {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, column) {
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.sort === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          if (numeric) {
            var vx = x.querySelector("[data-value]"), vy = y.querySelector("[data-value]");
            var nx = vx && vx.dataset.value !== "" ? parseFloat(vx.dataset.value) : null;
            var ny = vy && vy.dataset.value !== "" ? parseFloat(vy.dataset.value) : null;
            if (nx === null || ny === null) { return (nx === null) - (ny === null); }
            return ascending ? nx - ny : ny - nx;
          }
          var tx = x.textContent.trim(), ty = y.textContent.trim();
          return ascending ? tx.localeCompare(ty) : ty.localeCompare(tx);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
}
"""
