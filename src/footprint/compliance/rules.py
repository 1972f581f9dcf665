"""The rule-set format: what a YAML rule file may say, as pydantic models.

A rule set is a named list of rules.  Every rule has an ``id``, a ``title``, the ``source`` of
its limit (regulation, article, URL), an optional ``applies_to`` (product categories and a
``placed_on_market`` date range), a threshold (``limit``, or a ``schedule`` of dated limits)
and one ``kind`` with the fields that kind needs.  ``limit: null`` is how a rule says "the
law asks for the figure but has set no threshold yet"; the check then reports the value and
says so.  The format is documented for users in ``templates/rules/README.md``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from footprint.model import RuleSource, Stage

RULE_KINDS: tuple[str, ...] = (
    "max_footprint",
    "min_recycled_content",
    "min_eol_recycling_rate",
    "max_single_country_share",
    "max_dqr",
    "required_fields",
)

# A kind's threshold is a maximum (value ≤ limit passes) or a minimum (value ≥ limit passes).
MAXIMUM_KINDS = frozenset({"max_footprint", "max_single_country_share", "max_dqr"})
SHARE_KINDS = frozenset(
    {"min_recycled_content", "min_eol_recycling_rate", "max_single_country_share"}
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DateRange(_Strict):
    """Dates a rule covers, both ends included; a missing end is open."""

    from_: date | None = Field(None, alias="from")
    until: date | None = None

    def contains(self, day: date) -> bool:
        if self.from_ is not None and day < self.from_:
            return False
        return not (self.until is not None and day > self.until)


class AppliesTo(_Strict):
    """Which products a rule concerns.  Empty means every product."""

    categories: list[str] = Field(default_factory=list)
    placed_on_market: DateRange | None = None


class Phase(_Strict):
    """One step of a schedule: ``limit`` is in force from ``from`` until the next step."""

    from_: date = Field(alias="from")
    limit: float | None
    note: str | None = None


class _RuleBase(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    source: RuleSource
    verification: str | None = Field(
        None, description="how far the figure is verified, e.g. '[V] OJ text' or '[M] memory'"
    )
    note: str | None = None
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    limit: float | None = None
    schedule: list[Phase] = Field(default_factory=list)
    informative: bool = Field(
        False,
        description="the limit is a benchmark, not a product obligation: the check reports "
        "the value against it with status 'indicator', never pass or fail",
    )


class MaxFootprint(_RuleBase):
    """Climate change of the product must not exceed ``limit`` on the chosen basis."""

    kind: Literal["max_footprint"]
    indicator: Literal["total", "fossil", "biogenic", "luluc"] = "total"
    basis: Literal["per functional unit", "per kg", "per kWh"] = "per functional unit"
    stages: list[Stage] = Field(
        default_factory=list, description="life-cycle stages counted; empty = all five"
    )
    stage_labels: dict[Stage, str] = Field(
        default_factory=dict,
        description="the regulation's name of each counted stage, for the declared split",
    )


class MinRecycledContent(_RuleBase):
    """Recycled share of an element or of material families must reach ``limit``."""

    kind: Literal["min_recycled_content"]
    element: str | None = Field(None, description="chemical symbol, e.g. Co")
    materials: list[str] = Field(default_factory=list, description="material families")
    basis: Literal["all recycled", "post-consumer"] = "all recycled"
    exclude_parts_below: float | None = Field(
        None,
        ge=0,
        le=1,
        description="lines of the listed materials lighter than this share of the product's "
        "weight are left out (PPWR Art. 7: plastic parts under 5 % of the packaging's weight)",
    )
    within: Literal["product", "active materials"] = Field(
        "product",
        description="whose element mass counts: every material line, or the battery active "
        "materials only (Battery Regulation Art. 8 for Co, Li, Ni)",
    )


class MinEolRecyclingRate(_RuleBase):
    """End-of-life recycling (R2) or recovery (R2 + R3) share must reach ``limit``."""

    kind: Literal["min_eol_recycling_rate"]
    materials: list[str] = Field(
        default_factory=list, description="material families; empty = the whole product"
    )
    basis: Literal["recycling", "recovery"] = "recycling"


class MaxSingleCountryShare(_RuleBase):
    """No single country may supply more than ``limit`` of an element or material."""

    kind: Literal["max_single_country_share"]
    element: str | None = None
    materials: list[str] = Field(default_factory=list)
    ignore_countries: list[str] = Field(
        default_factory=list,
        description="countries whose supply is not a concentration risk (e.g. EU members)",
    )


class MaxDqr(_RuleBase):
    """The product's data-quality rating (1 best … 5 worst) must not exceed ``limit``."""

    kind: Literal["max_dqr"]


class RequiredFields(_RuleBase):
    """Every selected BOM line must fill ``fields``; ``limit`` is the tolerated number missing."""

    kind: Literal["required_fields"]
    fields: list[str] = Field(min_length=1)
    elements: list[str] = Field(
        default_factory=list, description="select lines whose dataset contains these elements"
    )
    materials: list[str] = Field(default_factory=list, description="select lines by material")
    limit: float | None = 0


# the sourcing kinds extend _RuleBase, so they are imported once it exists
from footprint.compliance import sourcing_rules as _sourcing  # noqa: E402

RULE_KINDS += _sourcing.SOURCING_RULE_KINDS
MAXIMUM_KINDS |= _sourcing.SOURCING_MAXIMUM_KINDS
SHARE_KINDS |= _sourcing.SOURCING_SHARE_KINDS

Rule = Annotated[
    MaxFootprint
    | MinRecycledContent
    | MinEolRecyclingRate
    | MaxSingleCountryShare
    | MaxDqr
    | RequiredFields
    | _sourcing.MaxHhi
    | _sourcing.ApprovedSmelters
    | _sourcing.ValidCertification
    | _sourcing.MaxOpenCorrectiveActions,
    Field(discriminator="kind"),
]


class RuleSet(_Strict):
    """A named list of rules, read from one YAML file."""

    name: str
    title: str
    description: str | None = None
    categories: list[str] = Field(
        default_factory=list,
        description="product categories the set knows besides those its rules name "
        "(a product of such a category is covered by no rule of the set)",
    )
    file: str | None = Field(None, description="the YAML file it was read from")
    rules: list[Rule] = Field(default_factory=list)
