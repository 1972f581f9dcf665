"""The HTML step of benchmarks/workbook.py against a baseline commit: the child process that
times the baseline's ``write_html``, and the comparison of two reports' figures.

Both reports are read chart by chart (``figures``): every figure's data and layout (its
template left out: the baseline writes it into every figure, the current report once per page)
must be the same JSON, so a faster report is shown to draw the same charts with the same
numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

# Run in the child process: time one HTML report with whatever ``footprint`` the child's
# PYTHONPATH holds (the baseline commit's); prints the same keys as workbook.CHILD.
CHILD = """
import json, sys, time
from pathlib import Path
from footprint.api import Engine
from footprint.report.html import write_html
bom, out, rules = sys.argv[1], sys.argv[2], sys.argv[3:]
assessment = Engine().assess(bom, rules=rules)
start, cpu = time.perf_counter(), time.process_time()
write_html(assessment, Path(out))
print(json.dumps({"workbook": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""


def figures(path: Path) -> dict[str, Any]:
    """Every figure of a report by its div id: ``{"data": …, "layout": …}``, template left out.
    Reads both ways a report has held its figures: ``Plotly.newPlot("id", data, layout, …)``
    calls (plotly's ``to_html``, the baseline) and ``<script type="application/json"
    id="id-data">`` blocks (the current report)."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    found: dict[str, Any] = {}
    for match in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)",\s*', text):
        data, end = decoder.raw_decode(text, match.end())
        comma = re.compile(r"\s*,\s*").match(text, end)
        layout, _ = decoder.raw_decode(text, comma.end() if comma else end)
        found[match.group(1)] = {"data": data, "layout": layout}
    for match in re.finditer(
        r'<script type="application/json" id="(figure-\d+)-data">(.*?)</script>', text, re.S
    ):
        found[match.group(1)] = json.loads(match.group(2))
    for figure in found.values():
        figure["layout"].pop("template", None)
    return found


def compare(new: Path, old: Path) -> str:
    a, b = figures(new), figures(old)
    differ = sorted(key for key in a.keys() | b.keys() if a.get(key) != b.get(key))
    same = "the same" if not differ else f"DIFFERENT in {len(differ)} (e.g. {differ[:3]})"
    sizes = f"{new.stat().st_size / 1e6:.1f} MB here, {old.stat().st_size / 1e6:.1f} MB"
    return f"figures: {len(a):,} here, {len(b):,} in the baseline: {same}; files {sizes}"
