"""The sourcing rule kinds of a rule set: concentration, certification, smelters, audits.

    max_hhi                       HHI of an element's (or materials') mass by country ≤ limit
                                  (Σ share-in-%², 0–10,000)
    approved_smelters             share of the mass from smelters on the user's list ≥ limit
    valid_certification           share of the mass from suppliers holding a certificate valid
                                  on the assessment day ≥ limit
    max_open_corrective_actions   open corrective actions at any one supplier of the product
                                  ≤ limit

``required_fields`` and ``max_single_country_share`` (in ``rules.py``) are sourcing rules too.
The figures come from the product's sourcing result (``footprint.sourcing``); mass whose data
is unknown is never counted for or against silently: when it could swing the verdict the check
is "insufficient data" (``compliance.sourcing_measures``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from footprint.compliance.rules import _RuleBase


class _SubjectRule(_RuleBase):
    element: str | None = Field(None, description="chemical symbol, e.g. Co")
    materials: list[str] = Field(default_factory=list, description="material families")

    @model_validator(mode="after")
    def _one_subject(self) -> _SubjectRule:
        if bool(self.element) == bool(self.materials):
            raise ValueError("give either 'element' (e.g. Co) or 'materials', not both")
        return self


class MaxHhi(_SubjectRule):
    """The Herfindahl–Hirschman index of the subject's mass by country must not exceed
    ``limit`` (shares in percent, 0–10,000)."""

    kind: Literal["max_hhi"]

    @model_validator(mode="after")
    def _on_the_scale(self) -> MaxHhi:
        limits = [self.limit, *(phase.limit for phase in self.schedule)]
        if any(limit is not None and not 0 <= limit <= 10_000 for limit in limits):
            raise ValueError("an HHI limit is on the 0–10,000 scale (shares in percent)")
        return self


class ApprovedSmelters(_SubjectRule):
    """The share of the subject's mass from smelters on the approved list must reach ``limit``."""

    kind: Literal["approved_smelters"]


class ValidCertification(_SubjectRule):
    """The share of the subject's mass from suppliers with a certificate valid on the day must
    reach ``limit``."""

    kind: Literal["valid_certification"]
    standards: list[str] = Field(
        default_factory=list,
        description="certification standards that count (e.g. [RMI RMAP, IRMA]); empty = any",
    )


class MaxOpenCorrectiveActions(_RuleBase):
    """No supplier of the product may have more than ``limit`` open corrective actions
    (optionally only those open longer than ``older_than_days``)."""

    kind: Literal["max_open_corrective_actions"]
    older_than_days: int = Field(0, ge=0)


SOURCING_RULE_KINDS: tuple[str, ...] = (
    "max_hhi",
    "approved_smelters",
    "valid_certification",
    "max_open_corrective_actions",
)
SOURCING_MAXIMUM_KINDS: frozenset[str] = frozenset({"max_hhi", "max_open_corrective_actions"})
SOURCING_SHARE_KINDS: frozenset[str] = frozenset({"approved_smelters", "valid_certification"})
# kinds whose figures need the product's sourcing result
NEEDS_SOURCING: frozenset[str] = frozenset(SOURCING_RULE_KINDS)
