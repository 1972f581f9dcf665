"""Which CFF/MCI parameter value a BOM line uses, where it came from, and whether it is valid.

Order of precedence for a value: the BOM line, then the dataset (a recycled-variant dataset
means R1 = 1), then the product (``Products`` sheet), then the material family's default, then
the ``*`` default.  The dataset comes before the product because it is specific to the line:
a product-wide R1 must not turn a line bought as recycled material into a partly virgin one.

Every value is returned as a ``CffParameter`` naming its origin, so the JSON shows the figure
actually used.  Invalid values are ``Problem``s naming file, sheet, row and column; doubtful
ones (A outside 0.2–0.8, a quality ratio above 1) are warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from footprint.circularity.defaults import MaterialDefaults, bound_problem
from footprint.errors import Problem
from footprint.model import (
    CIRCULARITY_PARAMETER_NAMES,
    BomLine,
    CffParameter,
    CircularityParameters,
    Dataset,
    Product,
    SourceRef,
    Warning_,
)

#: PEF / EMF symbol of each parameter, the key of ``CffLine.parameters`` in the JSON.
SYMBOLS: dict[str, str] = {
    "recycled_content": "R1",
    "recycled_content_post_consumer": "R1 post-consumer",
    "eol_recycling_rate": "R2",
    "eol_energy_recovery_rate": "R3",
    "cff_a": "A",
    "cff_b": "B",
    "cff_qsin_qp": "Qsin/Qp",
    "cff_qsout_qp": "Qsout/Qp",
    "cff_lhv": "LHV",
    "cff_xer_heat": "XER,heat",
    "cff_xer_elec": "XER,elec",
    "reuse_share": "FU",
    "eol_reuse_rate": "CU",
    "recycling_efficiency_eol": "EC",
    "recycling_efficiency_feedstock": "EF",
}

# A outside this range is allowed (a PEFCR may say so) but deserves a look; PEF Annex I.
_A_RANGE_NOTE = "PEF: 0.2 ≤ A ≤ 0.8"
_RECYCLED_DATASET = "recycled-variant dataset: R1 = 1 unless the BOM line says otherwise"


@dataclass
class Findings:
    """Problems (errors) and warnings gathered while resolving a product's parameters."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


def _where(source: SourceRef) -> dict[str, object]:
    return {"file": source.file, "sheet": source.sheet, "row": source.row}


def check_inputs(
    params: CircularityParameters,
    source: SourceRef,
    product: str,
    findings: Findings,
    valid: set[tuple[float | None, ...]] | None = None,
) -> None:
    """Bounds of the values a BOM line or product row gives itself.  ``valid``: value tuples
    already found without problem or warning (a product's lines repeat them), not checked
    again; tuples found so are added."""
    values = tuple(params.__dict__.values())
    if valid is not None and values in valid:
        return  # most lines give none, or values already checked: quick for millions of lines
    if values.count(None) == len(values):
        return
    found = len(findings.problems) + len(findings.warnings)
    for name in CIRCULARITY_PARAMETER_NAMES:
        value = getattr(params, name)
        if value is None:
            continue
        why = bound_problem(name, value)
        if why:
            findings.problems.append(
                Problem(f"{SYMBOLS[name]} {why}", column=name, **_where(source))  # type: ignore[arg-type]
            )
        elif name == "cff_a" and not 0.2 <= value <= 0.8:
            findings.warnings.append(
                Warning_(
                    message=f"A = {value:g} is outside 0.2–0.8 ({_A_RANGE_NOTE})",
                    column=name,
                    product=product,
                    **_where(source),
                )
            )
        elif name in ("cff_qsin_qp", "cff_qsout_qp") and value > 1:
            findings.warnings.append(
                Warning_(
                    message=f"{SYMBOLS[name]} = {value:g} > 1: recyclate better than primary?",
                    column=name,
                    product=product,
                    **_where(source),
                )
            )
    if valid is not None and len(findings.problems) + len(findings.warnings) == found:
        valid.add(values)


class LineParameters:
    """The resolved parameters of one BOM line (or of a line with no BOM row, e.g. from the API)."""

    def __init__(
        self,
        product: Product,
        line: BomLine | None,
        dataset: Dataset | None,
        family: str | None,
        defaults: MaterialDefaults,
        shared: dict[tuple[str, str | None, str], CffParameter | None] | None = None,
    ) -> None:
        self.product = product
        self.line = line
        self.dataset = dataset
        self.family = family
        self.defaults = defaults
        # values of the product, dataset and default levels are the same for every line of a
        # product that reaches them: resolved once (``shared``, one per product) and reused
        self.shared = shared if shared is not None else {}
        self._resolved: dict[str, CffParameter | None] = {}
        self.used: dict[str, CffParameter] = {}
        self.assumptions: list[str] = []  # conservative fills of missing E terms, in words

    def get(self, name: str) -> float | None:
        """The value of ``name`` from the first level that has one; recorded in ``used``."""
        found = self._resolve(name)
        if found is not None:
            self.used[SYMBOLS[name]] = found
            return found.value
        return None

    def value(self, name: str, fallback: float, note: str) -> float:
        """Like ``get``, but a missing value becomes ``fallback``, recorded with ``note``."""
        found = self.get(name)
        if found is not None:
            return found
        self.used[SYMBOLS[name]] = CffParameter(value=fallback, origin="default", source=note)
        return fallback

    def origin_of(self, name: str) -> str | None:
        used = self.used.get(SYMBOLS[name])
        return used.origin if used else None

    def _resolve(self, name: str) -> CffParameter | None:
        if name not in self._resolved:
            self._resolved[name] = self._first_level(name)
        return self._resolved[name]

    def _first_level(self, name: str) -> CffParameter | None:
        if self.line is not None:
            value = getattr(self.line.circularity, name)
            if value is not None:
                return CffParameter(value=value, origin="bom line", source=self._row_note())
        recycled = name == "recycled_content" and self.dataset is not None and self.dataset.recycled
        key = ("dataset" if recycled else "product", self.family, name)
        if key not in self.shared:
            self.shared[key] = self._shared_level(name, recycled)
        return self.shared[key]

    def _shared_level(self, name: str, recycled: bool) -> CffParameter | None:
        if recycled:
            return CffParameter(value=1.0, origin="dataset", source=_RECYCLED_DATASET)
        value = getattr(self.product.circularity, name)
        if value is not None:
            return CffParameter(value=value, origin="product", source=None)
        default = self.defaults.get(self.family, name)
        if default is not None:
            return CffParameter(
                value=float(default.value), origin="default", source=default.citation
            )
        return None

    def _row_note(self) -> str | None:
        if self.line is None or self.line.source.row is None:
            return None
        return f"row {self.line.source.row}"

    def location(self, *names: str) -> dict[str, object]:
        """Where to point a problem about ``names``: the line's row if it gave one of them."""
        if self.line is not None and any(
            getattr(self.line.circularity, n) is not None for n in names
        ):
            column = next(n for n in names if getattr(self.line.circularity, n) is not None)
            return {"column": column, **_where(self.line.source)}
        if any(getattr(self.product.circularity, n) is not None for n in names):
            column = next(n for n in names if getattr(self.product.circularity, n) is not None)
            return {"column": column, **_where(self.product.source)}
        line_source = self.line.source if self.line is not None else SourceRef()
        return {"column": names[0], **_where(line_source)}


def check_combinations(params: LineParameters, findings: Findings) -> None:
    """Rules that involve two values: R2 + R3 ≤ 1, FR + FU ≤ 1, CR + CU ≤ 1, post ≤ R1."""
    pairs = (
        (
            "eol_recycling_rate",
            "eol_energy_recovery_rate",
            "R2 + R3",
            "recycling and energy recovery are exclusive end-of-life routes of the same material",
        ),
        ("recycled_content", "reuse_share", "R1 + FU", "recycled and reused input"),
        ("eol_recycling_rate", "eol_reuse_rate", "R2 + CU", "recycled and reused at end of life"),
    )
    for first, second, label, why in pairs:
        a, b = params.get(first), params.get(second)
        if a is not None and b is not None and a + b > 1 + 1e-12:
            findings.problems.append(
                Problem(
                    f"{label} = {a:g} + {b:g} = {a + b:g} > 1; it must be ≤ 1 ({why})",
                    **params.location(second, first),  # type: ignore[arg-type]
                )
            )
    r1 = params.get("recycled_content")
    post = params.get("recycled_content_post_consumer")
    if r1 is not None and post is not None and post > r1 + 1e-12:
        findings.problems.append(
            Problem(
                f"the post-consumer recycled content {post:g} exceeds the recycled content R1 = "
                f"{r1:g}; it must be ≤ R1",
                **params.location("recycled_content_post_consumer", "recycled_content"),  # type: ignore[arg-type]
            )
        )
